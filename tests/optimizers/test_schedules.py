"""fitorch.optimizers.schedules: Keras' schedules, per step against Keras 3, and how they drive optimizers."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import copy  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from fitorch import optimizers  # noqa: E402
from fitorch.optimizers import schedules  # noqa: E402

CASES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.9}),
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.9, "staircase": True}),
    ("PiecewiseConstantDecay", {"boundaries": [5, 12, 30], "values": [1.0, 0.5, 0.1, 0.01]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 20, "end_learning_rate": 0.001, "power": 0.5}),
    (
        "PolynomialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 20, "end_learning_rate": 0.001, "power": 2.0, "cycle": True},
    ),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 3, "decay_rate": 0.5, "staircase": True}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 30, "alpha": 0.1}),
    (
        "CosineDecay",
        {"initial_learning_rate": 0.0, "decay_steps": 30, "alpha": 0.1, "warmup_target": 0.2, "warmup_steps": 10},
    ),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10, "t_mul": 1.0, "m_mul": 0.5}),
    # t_mul=1.5: period ends at steps 25, 47.5, ...; step 25 is where float32 rounding decides.
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 10, "t_mul": 1.5, "m_mul": 0.8}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 3, "t_mul": 1.1, "alpha": 0.05}),
]
IDS = [f"{name}-{i}" for i, (name, _) in enumerate(CASES)]


def _keras_value(schedule, step: int) -> float:
    return float(keras.ops.convert_to_numpy(schedule(step)))


@pytest.mark.parametrize("name, kwargs", CASES, ids=IDS)
def test_values_match_keras_at_every_step(name, kwargs) -> None:
    ours = getattr(schedules, name)(**kwargs)
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    steps = range(0, 300)
    ours_values = np.array([ours(s) for s in steps])
    keras_values = np.array([_keras_value(theirs, s) for s in steps])
    # Keras computes in float32, fitorch in float64: agreement is float32 rounding (which,
    # for CosineDecayRestarts after many geometric restarts, reaches ~6e-7 absolute).
    np.testing.assert_allclose(ours_values, keras_values, rtol=2e-6, atol=1e-6)
    assert isinstance(ours(3), float) and ours(torch.tensor(3)) == ours(3)


@pytest.mark.parametrize("name, kwargs", CASES, ids=IDS)
def test_config_is_keras_config_and_round_trips(name, kwargs) -> None:
    ours = getattr(schedules, name)(**kwargs)
    config = ours.get_config()
    assert config == getattr(keras.optimizers.schedules, name)(**kwargs).get_config()
    assert json.loads(json.dumps(config)) == config
    restored = schedules.deserialize(json.loads(json.dumps(schedules.serialize(ours))))
    assert type(restored) is type(ours) and restored.get_config() == config
    keras_serialized = keras.optimizers.schedules.serialize(getattr(keras.optimizers.schedules, name)(**kwargs))
    assert schedules.deserialize(keras_serialized).get_config() == config


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), "decay_steps` must be > 0"),
        (lambda: schedules.PolynomialDecay(0.1, -1), "decay_steps` must be > 0"),
        (lambda: schedules.InverseTimeDecay(0.1, 0, 0.5), "decay_steps` must be > 0"),
        (lambda: schedules.CosineDecay(0.1, 0), "decay_steps` must be > 0"),
        (lambda: schedules.CosineDecayRestarts(0.1, 0), "first_decay_steps` must be > 0"),
        (lambda: schedules.PiecewiseConstantDecay([1, 2], [1.0]), "1 less than the length of values"),
        (lambda: schedules.PiecewiseConstantDecay([2, 1], [1.0, 0.5, 0.1]), "strictly increasing"),
    ],
)
def test_bad_arguments_are_explained(make, match) -> None:
    with pytest.raises(ValueError, match=match):
        make()


def test_unknown_schedule_name_suggests_close_names() -> None:
    with pytest.raises(ValueError, match="(?i)did you mean 'cosinedecay'"):
        schedules.deserialize({"class_name": "CosineDecy", "config": {}})


def test_base_class_explains_what_to_override() -> None:
    with pytest.raises(NotImplementedError, match="must override `__call__"):
        schedules.LearningRateSchedule()(0)


# ---------------------------------------------------------------- schedules as learning_rate


def _quadratic_run(make_ours, make_keras, steps: int = 15) -> float:
    """Runs both optimizers on 0.5 * c * (w - t)^2 and returns the worst weight difference."""
    rng = np.random.default_rng(0)
    start = rng.normal(size=(3, 4)).astype("f")
    target = rng.normal(size=(3, 4)).astype("f")
    curvature = rng.uniform(0.1, 3.0, size=(3, 4)).astype("f")
    param = torch.nn.Parameter(torch.tensor(start))
    ours = make_ours([param])
    variable = keras.Variable(start)
    theirs = make_keras()
    worst = 0.0
    for _ in range(steps):
        param.grad = torch.tensor(curvature * (param.detach().numpy() - target))
        ours.step()
        grad = curvature * (keras.ops.convert_to_numpy(variable) - target)
        theirs.apply_gradients([(keras.ops.convert_to_tensor(grad), variable)])
        assert float(ours.learning_rate) == pytest.approx(
            float(keras.ops.convert_to_numpy(theirs.learning_rate)), rel=2e-6, abs=1e-9
        )
        assert ours.iterations == int(keras.ops.convert_to_numpy(theirs.iterations))
        worst = max(worst, float(np.abs(param.detach().numpy() - keras.ops.convert_to_numpy(variable)).max()))
    return worst


@pytest.mark.parametrize("momentum, nesterov", [(0.0, False), (0.9, False), (0.9, True)])
def test_sgd_with_a_warmup_schedule_follows_keras(momentum, nesterov) -> None:
    # Momentum under a changing rate is where torch's and Keras' SGD formulations differ;
    # fitorch rescales the buffer so that the updates are Keras'.
    def schedule(lib):
        return lib.CosineDecay(0.0, decay_steps=10, alpha=0.1, warmup_target=0.1, warmup_steps=3)

    worst = _quadratic_run(
        lambda p: optimizers.SGD(
            learning_rate=schedule(schedules), momentum=momentum, nesterov=nesterov, params=p
        ),
        lambda: keras.optimizers.SGD(
            learning_rate=schedule(keras.optimizers.schedules), momentum=momentum, nesterov=nesterov
        ),
    )
    assert worst <= 2e-6


def test_adam_with_exponential_decay_follows_keras() -> None:
    worst = _quadratic_run(
        lambda p: optimizers.Adam(learning_rate=schedules.ExponentialDecay(0.05, 3, 0.7), params=p),
        lambda: keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.ExponentialDecay(0.05, 3, 0.7)),
    )
    assert worst <= 1e-4  # Adam's epsilon placement, see test_optimizers.py


def test_sgd_momentum_follows_keras_when_the_rate_is_set_mid_training() -> None:
    # What ReduceLROnPlateau and LearningRateScheduler do: set optimizer.learning_rate.
    param = torch.nn.Parameter(torch.ones(2))
    ours = optimizers.SGD(learning_rate=0.1, momentum=0.9, params=[param])
    variable = keras.Variable(np.ones(2, "f"))
    theirs = keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    for step in range(8):
        if step == 4:
            ours.learning_rate = theirs.learning_rate = 0.01
        param.grad = torch.full((2,), 1.0 + step)
        ours.step()
        theirs.apply_gradients([(keras.ops.convert_to_tensor(np.full(2, 1.0 + step, "f")), variable)])
    np.testing.assert_allclose(param.detach().numpy(), keras.ops.convert_to_numpy(variable), atol=1e-6)


def test_schedule_is_not_settable_and_serializes_in_the_config() -> None:
    opt = optimizers.SGD(learning_rate=schedules.PiecewiseConstantDecay([2], [0.1, 0.01]))
    assert opt.learning_rate == 0.1  # unbuilt: the schedule's value at step 0
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.5
    config = opt.get_config()
    assert config["learning_rate"] == {
        "class_name": "PiecewiseConstantDecay",
        "config": {"boundaries": [2], "values": [0.1, 0.01], "name": "PiecewiseConstant"},
    }
    assert json.loads(json.dumps(config)) == config
    restored = optimizers.SGD.from_config(config)
    assert isinstance(restored._config["learning_rate"], schedules.PiecewiseConstantDecay)
    with pytest.raises(TypeError, match="only be passed when the optimizer is created"):
        optimizers.SGD().learning_rate = schedules.ExponentialDecay(0.1, 1, 0.5)


def test_optimizer_state_dict_resumes_the_schedule_exactly() -> None:
    def run(opt, param, steps):
        for step in range(steps):
            param.grad = torch.full_like(param, 1.0 + step)
            opt.step()

    def make(param):
        return optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 2, 0.5), momentum=0.9, params=[param])

    straight = torch.nn.Parameter(torch.ones(3))
    run(make(straight), straight, 6)
    first = torch.nn.Parameter(torch.ones(3))
    opt = make(first)
    run(opt, first, 3)
    saved = copy.deepcopy(opt.state_dict())
    extras = saved["param_groups"][0]["fitorch"]
    assert extras["iterations"] == 3 and extras["lr_schedulers"][0]["last_epoch"] == 3
    assert json.loads(json.dumps(extras)) == extras
    assert "fitorch" not in opt.param_groups[0]
    resumed_param = torch.nn.Parameter(first.detach().clone())
    resumed = make(resumed_param)
    resumed.load_state_dict(saved)
    assert resumed.iterations == 3 and resumed.learning_rate == pytest.approx(0.1 * 0.5**1.5)
    # The remaining steps continue the same schedule (grads 4, 5, 6 as in the straight run).
    for step in range(3, 6):
        resumed_param.grad = torch.full_like(resumed_param, 1.0 + step)
        resumed.step()
    assert torch.equal(resumed_param, straight)


@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda o: pickle.loads(pickle.dumps(o))])
def test_copies_keep_the_schedule_position(duplicate) -> None:
    param = torch.nn.Parameter(torch.zeros(1))
    opt = optimizers.SGD(learning_rate=schedules.InverseTimeDecay(1.0, 1, 1.0), params=[param])
    for _ in range(3):
        param.grad = torch.ones(1)
        opt.step()
    copied = duplicate(opt)
    assert copied.iterations == 3 and copied.learning_rate == pytest.approx(0.25)
    copied.param_groups[0]["params"][0].grad = torch.ones(1)
    copied.step()
    assert copied.learning_rate == pytest.approx(0.2)


# ---------------------------------------------------------------- attach: torch schedulers


def test_attach_steps_a_torch_scheduler_after_every_optimizer_step() -> None:
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=1.0)
    handle = schedules.attach(opt, torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1))
    rates = []
    for _ in range(5):
        param.grad = torch.ones(1)
        opt.step()
        rates.append(opt.param_groups[0]["lr"])
    assert rates == pytest.approx([1.0, 0.1, 0.1, 0.01, 0.01])
    assert schedules.attached_schedulers(opt) == [handle]
    handle.detach()
    opt.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.01) and schedules.attached_schedulers(opt) == []


def test_attach_per_epoch_is_a_callback_that_fit_runs() -> None:
    import fitorch

    model = fitorch.Sequential([fitorch.layers.Dense(1)])
    model.compile(optimizers.SGD(learning_rate=1.0), "mse")
    x, y = np.ones((8, 2), "f"), np.zeros((8, 1), "f")
    model.train_on_batch(x[:2], y[:2])  # builds the model and the optimizer
    handle = schedules.attach(
        model.optimizer, torch.optim.lr_scheduler.StepLR(model.optimizer, step_size=1, gamma=0.5), "epoch"
    )
    seen = []
    record = fitorch.callbacks.LambdaCallback(on_epoch_begin=lambda e, logs: seen.append(model.optimizer.learning_rate))
    model.fit(x, y, batch_size=2, epochs=3, verbose=0, callbacks=[handle, record])
    assert seen == pytest.approx([1.0, 0.5, 0.25])


def test_attach_saves_torch_scheduler_state_with_the_optimizer() -> None:
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=1.0)
    schedules.attach(opt, torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10))
    for _ in range(4):
        param.grad = torch.ones(1)
        opt.step()
    state = opt.state_dict()
    fresh = torch.optim.SGD([param], lr=1.0)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(fresh, T_max=10)
    schedules.attach(fresh, scheduler)
    fresh.load_state_dict(state)
    assert scheduler.last_epoch == 4 and fresh.param_groups[0]["lr"] == pytest.approx(opt.param_groups[0]["lr"])
    bare = torch.optim.SGD([param], lr=1.0)
    bare.load_state_dict(state)  # a plain torch optimizer ignores the extras
    lonely = torch.optim.SGD([param], lr=1.0)
    from fitorch.optimizers.state_extras import install_state_hooks

    install_state_hooks(lonely)
    with pytest.raises(ValueError, match="attach the same schedulers"):
        lonely.load_state_dict(state)


def test_attach_errors_teach() -> None:
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=1.0)
    with pytest.raises(TypeError, match="fitorch.callbacks.ReduceLROnPlateau"):
        schedules.attach(opt, torch.optim.lr_scheduler.ReduceLROnPlateau(opt))
    with pytest.raises(ValueError, match="'step' or 'epoch'"):
        schedules.attach(opt, torch.optim.lr_scheduler.StepLR(opt, 1), interval="batch")
    with pytest.raises(ValueError, match="not built yet"):
        schedules.attach(optimizers.Adam(), schedules.ExponentialDecay(0.1, 1, 0.5))
    other = torch.optim.SGD([param], lr=1.0)
    with pytest.raises(ValueError, match="different optimizer"):
        schedules.attach(opt, torch.optim.lr_scheduler.StepLR(other, 1))
    with pytest.raises(TypeError, match="LRScheduler"):
        schedules.attach(opt, lambda step: 0.1)


def test_attach_wraps_a_keras_schedule_for_any_torch_optimizer() -> None:
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([param], lr=123.0)
    schedules.attach(opt, schedules.PiecewiseConstantDecay([1], [0.5, 0.25]))
    assert opt.param_groups[0]["lr"] == 0.5
    for expected in (0.5, 0.25, 0.25):
        param.grad = torch.ones(1)
        opt.step()
        assert opt.param_groups[0]["lr"] == expected
