"""use_ema / ema_momentum / ema_overwrite_frequency and gradient_accumulation_steps against Keras 3."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import copy  # noqa: E402
import json  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import fitorch  # noqa: E402
from fitorch import optimizers  # noqa: E402


def _run(ours_cls, keras_cls, kwargs: dict, steps: int = 12, finalize: bool = False) -> float:
    """Same quadratic as test_optimizers.py; returns the worst weight difference over the steps."""
    rng = np.random.default_rng(0)
    start = [rng.normal(size=s).astype("f") for s in [(3, 4), (4,)]]
    target = [rng.normal(size=w.shape).astype("f") for w in start]
    curvature = [rng.uniform(0.1, 3.0, size=w.shape).astype("f") for w in start]

    def gradients(weights):
        return [c * (w - t) for c, w, t in zip(curvature, weights, target, strict=True)]

    params = [torch.nn.Parameter(torch.tensor(w)) for w in start]
    ours = ours_cls(params=params, **kwargs)
    variables = [keras.Variable(w) for w in start]
    theirs = keras_cls(**kwargs)
    worst = 0.0

    def compare():
        nonlocal worst
        for p, v in zip(params, variables, strict=True):
            worst = max(worst, float(np.abs(p.detach().numpy() - keras.ops.convert_to_numpy(v)).max()))

    for _ in range(steps):
        for p, g in zip(params, gradients([p.detach().numpy() for p in params]), strict=True):
            p.grad = torch.tensor(g)
        ours.step()
        keras_grads = gradients([keras.ops.convert_to_numpy(v) for v in variables])
        theirs.apply_gradients(zip([keras.ops.convert_to_tensor(g) for g in keras_grads], variables, strict=True))
        assert ours.iterations == int(keras.ops.convert_to_numpy(theirs.iterations))
        compare()
    if finalize:
        ours.finalize_variable_values()
        theirs.finalize_variable_values(variables)
        compare()
    return worst


@pytest.mark.parametrize(
    "kwargs",
    [
        {"use_ema": True},
        {"use_ema": True, "ema_momentum": 0.5},
        {"use_ema": True, "ema_momentum": 0.8, "ema_overwrite_frequency": 3},
        {"gradient_accumulation_steps": 3},
        {"gradient_accumulation_steps": 2, "momentum": 0.9, "weight_decay": 0.1, "clipnorm": 0.5},
        {"gradient_accumulation_steps": 2, "global_clipnorm": 0.5, "use_ema": True, "ema_overwrite_frequency": 2},
    ],
    ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()),
)
def test_sgd_matches_keras(kwargs) -> None:
    assert _run(optimizers.SGD, keras.optimizers.SGD, {"learning_rate": 0.05, **kwargs}, finalize=True) <= 2e-6


@pytest.mark.parametrize(
    "ours, theirs",
    [(optimizers.Adam, keras.optimizers.Adam), (optimizers.RMSprop, keras.optimizers.RMSprop),
     (optimizers.Adagrad, keras.optimizers.Adagrad)],  # fmt: skip
    ids=["Adam", "RMSprop", "Adagrad"],
)
def test_adaptive_optimizers_accumulate_and_average_like_keras(ours, theirs) -> None:
    # Adam's bias correction counts updates, not step() calls, in both libraries.
    kwargs = {"learning_rate": 0.05, "gradient_accumulation_steps": 2, "use_ema": True, "ema_momentum": 0.7}
    assert _run(ours, theirs, kwargs, finalize=True) <= 1e-4  # epsilon placement, see test_optimizers.py


def test_accumulation_leaves_weights_alone_between_updates() -> None:
    param = torch.nn.Parameter(torch.zeros(2))
    opt = optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=3, params=[param])
    for step, grad in enumerate([1.0, 2.0, 6.0]):
        param.grad = torch.full((2,), grad)
        opt.step()
        if step < 2:
            assert torch.equal(param.detach(), torch.zeros(2)) and param.grad is None
    assert torch.equal(param.detach(), torch.full((2,), -3.0))  # the mean gradient, 3
    assert opt.iterations == 1 and opt._iterations == 3


def test_state_dict_carries_the_averages_accumulators_and_counter() -> None:
    def make(param):
        return optimizers.Adam(learning_rate=0.1, use_ema=True, gradient_accumulation_steps=2, params=[param])

    def steps(opt, param, grads):
        for grad in grads:
            param.grad = torch.full_like(param, grad)
            opt.step()

    grads = [1.0, -2.0, 0.5, 3.0, -1.0]
    straight = torch.nn.Parameter(torch.ones(3))
    straight_opt = make(straight)
    steps(straight_opt, straight, grads)
    first = torch.nn.Parameter(torch.ones(3))
    opt = make(first)
    steps(opt, first, grads[:3])  # stops mid-accumulation
    state = copy.deepcopy(opt.state_dict())
    assert set(state["state"][0]) >= {"ema", "gradient_accumulator", "exp_avg"}
    assert json.loads(json.dumps(state["param_groups"][0]["fitorch"])) == {"iterations": 3}
    resumed_param = torch.nn.Parameter(first.detach().clone())
    resumed = make(resumed_param)
    resumed.load_state_dict(state)
    steps(resumed, resumed_param, grads[3:])
    assert torch.equal(resumed_param, straight)
    resumed.finalize_variable_values()
    straight_opt.finalize_variable_values()
    assert torch.equal(resumed_param, straight)


def test_saved_model_resumes_optimizer_extras(tmp_path) -> None:
    schedule = optimizers.schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    model = fitorch.Sequential([fitorch.layers.Input(shape=(2,)), fitorch.layers.Dense(1)])
    model.compile(optimizers.SGD(learning_rate=schedule, momentum=0.9, use_ema=True), "mse")
    model.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, epochs=1, verbose=0)
    path = str(tmp_path / "m.fitorch")
    model.save(path)
    restored = fitorch.saving.load_model(path)
    assert restored.optimizer.iterations == model.optimizer.iterations == 4
    assert restored.optimizer.learning_rate == pytest.approx(model.optimizer.learning_rate)
    ours, theirs = restored.optimizer.state_dict(), model.optimizer.state_dict()
    assert theirs["param_groups"][0]["fitorch"] == ours["param_groups"][0]["fitorch"]
    for index, entry in theirs["state"].items():
        for key, value in entry.items():
            assert torch.equal(ours["state"][index][key], value), key


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"gradient_accumulation_steps": 1}, "`gradient_accumulation_steps` must be an integer >= 2"),
        ({"use_ema": True, "ema_momentum": 1.5}, r"`ema_momentum` must be in the range \[0, 1\]"),
        ({"use_ema": True, "ema_overwrite_frequency": 0}, "`ema_overwrite_frequency` must be an integer >= 1"),
    ],
)
def test_bad_values_are_explained(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        optimizers.Adam(**kwargs)


def test_fit_finalizes_ema_only_when_the_trainer_asks() -> None:
    param = torch.nn.Parameter(torch.zeros(1))
    opt = optimizers.SGD(learning_rate=1.0, use_ema=True, ema_momentum=0.5, params=[param])
    for _ in range(3):
        param.grad = torch.ones(1)
        opt.step()
    assert float(param.detach()) == -3.0  # EMA: 0 -> -1 (first step copies) -> -1.5 -> -2.25
    opt.finalize_variable_values([param])
    assert float(param.detach()) == -2.25
