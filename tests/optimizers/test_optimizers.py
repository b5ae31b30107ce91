"""fitorch.optimizers: deferred torch optimizers, checked against Keras 3 (torch backend)."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import copy  # noqa: E402
import json  # noqa: E402
import pickle  # noqa: E402
from typing import Any  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from fitorch import optimizers  # noqa: E402

PAIRS = [
    (optimizers.SGD, keras.optimizers.SGD, torch.optim.SGD),
    (optimizers.Adam, keras.optimizers.Adam, torch.optim.Adam),
    (optimizers.AdamW, keras.optimizers.AdamW, torch.optim.AdamW),
    (optimizers.RMSprop, keras.optimizers.RMSprop, torch.optim.RMSprop),
    (optimizers.Adagrad, keras.optimizers.Adagrad, torch.optim.Adagrad),
    (optimizers.Adadelta, keras.optimizers.Adadelta, torch.optim.Adadelta),
    (optimizers.Adamax, keras.optimizers.Adamax, torch.optim.Adamax),
    (optimizers.Nadam, keras.optimizers.Nadam, torch.optim.NAdam),
]
IDS = [p[0].__name__ for p in PAIRS]


def _params() -> list[torch.nn.Parameter]:
    return [torch.nn.Parameter(torch.randn(3, 4)), torch.nn.Parameter(torch.randn(4))]


# ---------------------------------------------------------------- deferred build


@pytest.mark.parametrize("ours, _, torch_class", PAIRS, ids=IDS)
def test_deferred_build_makes_the_torch_optimizer(ours, _, torch_class) -> None:
    opt = ours()
    assert not opt.built and isinstance(opt, torch.optim.Optimizer)
    with pytest.raises(AttributeError, match="not built yet.*build\\(model.parameters\\(\\)\\)"):
        opt.param_groups  # noqa: B018
    assert "not built" in repr(opt)
    params = _params()
    assert opt.build(params) is opt
    assert opt.built and isinstance(opt, torch_class)
    assert opt.param_groups[0]["params"] == params
    assert opt.build(iter(params)) is opt  # same parameters again: a no-op, as in Keras
    with pytest.raises(ValueError, match="already built for other parameters"):
        opt.build(_params())


def test_params_keyword_builds_immediately_and_accepts_torch_param_forms() -> None:
    model = torch.nn.Linear(3, 2)
    assert optimizers.Adam(params=model.parameters()).built
    opt = optimizers.SGD(params=model.named_parameters())
    assert len(opt.param_groups[0]["params"]) == 2
    groups = [{"params": [model.weight]}, {"params": [model.bias], "lr": 0.5}]
    opt = optimizers.SGD(learning_rate=0.1, params=groups)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]


def test_empty_parameter_list_is_explained() -> None:
    with pytest.raises(ValueError, match="empty parameter list"):
        optimizers.Adam().build([])


@pytest.mark.parametrize("ours, theirs, _", PAIRS, ids=IDS)
def test_defaults_match_keras(ours, theirs, _) -> None:
    config, keras_config = ours().get_config(), theirs().get_config()
    shared = set(config) & set(keras_config)
    assert {"learning_rate", "weight_decay"} <= shared
    # Keras keeps the learning rate in a float32 variable: 0.001 reads back as 0.0010000000474974513.
    assert config["learning_rate"] == pytest.approx(keras_config["learning_rate"], rel=1e-7)
    assert {k: config[k] for k in shared - {"learning_rate"}} == {
        k: keras_config[k] for k in shared - {"learning_rate"}
    }


@pytest.mark.parametrize(
    "opt, expected",
    [
        (optimizers.SGD(), {"lr": 0.01, "momentum": 0.0, "nesterov": False, "weight_decay": 0.0}),
        (optimizers.Adam(), {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-7, "amsgrad": False}),
        (optimizers.AdamW(), {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-7, "weight_decay": 0.004}),
        (optimizers.RMSprop(), {"lr": 0.001, "alpha": 0.9, "eps": 1e-7, "momentum": 0.0, "centered": False}),
        (optimizers.Adagrad(), {"lr": 0.001, "initial_accumulator_value": 0.1, "eps": 1e-7, "lr_decay": 0.0}),
        (optimizers.Adadelta(), {"lr": 0.001, "rho": 0.95, "eps": 1e-7}),
        (optimizers.Adamax(), {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-7}),
        (optimizers.Nadam(), {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-7, "momentum_decay": 1.0}),
    ],
    ids=IDS,
)
def test_keras_arguments_map_to_torch_param_groups(opt, expected) -> None:
    group = opt.build(_params()).param_groups[0]
    assert {k: group[k] for k in expected} == expected


# ---------------------------------------------------------------- numerics against Keras

# Each case runs 20 steps on a separable quadratic 0.5 * c * (w - t)^2 (curvatures in
# [0.1, 3], float32) from the same start, feeding both optimizers the gradient at their
# own current weights, and compares the weights after every step.
#
# Tolerances, from the maximum absolute differences observed:
# * SGD (momentum, Nesterov, decoupled decay, all three clippings), Adagrad, Adadelta
#   and Adamax compute the same update as Keras up to float32 rounding or an epsilon
#   term far below the gradients: observed <= 5e-7, so atol 2e-6.
# * Adam, AdamW and Nadam place epsilon differently (torch adds it after the bias
#   correction, Keras before, so Keras' effective epsilon is eps / sqrt(1 - beta_2**t))
#   and divide by sqrt(v), which amplifies float32 rounding; RMSprop puts epsilon inside
#   the square root in Keras and outside in torch, which matters as gradients shrink
#   near the optimum. Observed <= 2.7e-5 (RMSprop with weight decay), so atol 1e-4,
#   still ~500x below the step size (0.05) and far below what a wrong default or formula
#   gives (e.g. torch's Nadam momentum_decay=0.004 is off by more than 1e-3).
EXACT, EPSILON_PLACEMENT = 2e-6, 1e-4
TRAJECTORY_CASES = [
    (optimizers.SGD, keras.optimizers.SGD, {}, EXACT),
    (optimizers.SGD, keras.optimizers.SGD, {"momentum": 0.9}, EXACT),
    (optimizers.SGD, keras.optimizers.SGD, {"momentum": 0.9, "nesterov": True}, EXACT),
    (optimizers.SGD, keras.optimizers.SGD, {"momentum": 0.9, "weight_decay": 0.1}, EXACT),
    (optimizers.SGD, keras.optimizers.SGD, {"clipnorm": 0.5}, EXACT),
    (optimizers.SGD, keras.optimizers.SGD, {"global_clipnorm": 0.5}, EXACT),
    (optimizers.SGD, keras.optimizers.SGD, {"clipvalue": 0.3}, EXACT),
    (optimizers.Adam, keras.optimizers.Adam, {}, EPSILON_PLACEMENT),
    (optimizers.Adam, keras.optimizers.Adam, {"amsgrad": True}, EPSILON_PLACEMENT),
    (optimizers.Adam, keras.optimizers.Adam, {"weight_decay": 0.1}, EPSILON_PLACEMENT),
    (optimizers.AdamW, keras.optimizers.AdamW, {}, EPSILON_PLACEMENT),
    (optimizers.AdamW, keras.optimizers.AdamW, {"weight_decay": 0.1, "clipnorm": 1.0}, EPSILON_PLACEMENT),
    (optimizers.RMSprop, keras.optimizers.RMSprop, {}, EPSILON_PLACEMENT),
    (optimizers.RMSprop, keras.optimizers.RMSprop, {"momentum": 0.5, "centered": True}, EPSILON_PLACEMENT),
    (optimizers.RMSprop, keras.optimizers.RMSprop, {"weight_decay": 0.1}, EPSILON_PLACEMENT),
    (optimizers.Adagrad, keras.optimizers.Adagrad, {}, EXACT),
    (optimizers.Adagrad, keras.optimizers.Adagrad, {"weight_decay": 0.1}, EXACT),
    (optimizers.Adadelta, keras.optimizers.Adadelta, {"learning_rate": 1.0}, EXACT),
    (optimizers.Adamax, keras.optimizers.Adamax, {}, EXACT),
    (optimizers.Adamax, keras.optimizers.Adamax, {"weight_decay": 0.1}, EXACT),
    (optimizers.Nadam, keras.optimizers.Nadam, {}, EPSILON_PLACEMENT),
    (optimizers.Nadam, keras.optimizers.Nadam, {"weight_decay": 0.1}, EPSILON_PLACEMENT),
]


def _trajectory_difference(ours, theirs, kwargs: dict, steps: int = 20) -> float:
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (4,)]
    start = [rng.normal(size=s).astype("f") for s in shapes]
    target = [rng.normal(size=s).astype("f") for s in shapes]
    curvature = [rng.uniform(0.1, 3.0, size=s).astype("f") for s in shapes]

    def gradients(weights):
        return [c * (w - t) for c, w, t in zip(curvature, weights, target, strict=True)]

    kwargs = {"learning_rate": 0.05, **kwargs}
    params = [torch.nn.Parameter(torch.tensor(w)) for w in start]
    opt = ours(params=params, **kwargs)
    variables = [keras.Variable(w) for w in start]
    reference = theirs(**kwargs)
    worst = 0.0
    for _ in range(steps):
        for p, g in zip(params, gradients([p.detach().numpy() for p in params]), strict=True):
            p.grad = torch.tensor(g)
        opt.step()
        keras_grads = gradients([keras.ops.convert_to_numpy(v) for v in variables])
        reference.apply_gradients(
            zip([keras.ops.convert_to_tensor(g) for g in keras_grads], variables, strict=True)
        )
        for p, v in zip(params, variables, strict=True):
            worst = max(worst, float(np.abs(p.detach().numpy() - keras.ops.convert_to_numpy(v)).max()))
    return worst


@pytest.mark.parametrize(
    "ours, theirs, kwargs, atol",
    TRAJECTORY_CASES,
    ids=[f"{c[0].__name__}-{'-'.join(c[2]) or 'default'}" for c in TRAJECTORY_CASES],
)
def test_steps_match_keras(ours, theirs, kwargs, atol) -> None:
    assert _trajectory_difference(ours, theirs, kwargs) <= atol


def test_decoupled_weight_decay_uses_each_groups_learning_rate() -> None:
    a, b = torch.nn.Parameter(torch.ones(1)), torch.nn.Parameter(torch.ones(1))
    opt = optimizers.SGD(
        learning_rate=0.1, weight_decay=0.5, params=[{"params": [a]}, {"params": [b], "lr": 0.2}]
    )
    a.grad, b.grad = torch.zeros(1), torch.zeros(1)
    opt.step()
    assert a.item() == pytest.approx(0.95) and b.item() == pytest.approx(0.9)


# ---------------------------------------------------------------- torch behaviour kept


def test_learning_rate_property_before_and_after_build_and_with_schedulers() -> None:
    opt = optimizers.Adam(learning_rate=0.01)
    opt.learning_rate = 0.02
    assert opt.learning_rate == 0.02
    opt.build(
        [{"params": [torch.nn.Parameter(torch.ones(1))]}, {"params": [torch.nn.Parameter(torch.ones(1))]}]
    )
    assert [g["lr"] for g in opt.param_groups] == [0.02, 0.02]
    opt.learning_rate = 0.5
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.5] and opt.get_config()["learning_rate"] == 0.5
    scheduler = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
    opt.step()
    scheduler.step()
    assert opt.learning_rate == pytest.approx(0.05)
    with pytest.raises(ValueError, match="learning_rate"):
        opt.learning_rate = -1.0


def test_state_dict_round_trips_and_loads_into_plain_torch() -> None:
    params = _params()
    opt = optimizers.Adam(learning_rate=0.01, params=params)
    for p in params:
        p.grad = torch.ones_like(p)
    opt.step()
    state = opt.state_dict()
    fresh = optimizers.Adam(params=params)
    fresh.load_state_dict(state)
    assert fresh.learning_rate == 0.01
    torch.testing.assert_close(fresh.state[params[0]]["exp_avg"], opt.state[params[0]]["exp_avg"])
    plain = torch.optim.Adam(params)
    plain.load_state_dict(state)
    assert plain.param_groups[0]["eps"] == 1e-7


@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda o: pickle.loads(pickle.dumps(o))])
def test_copies_keep_config_and_keras_features(duplicate) -> None:
    unbuilt = duplicate(optimizers.SGD(learning_rate=0.3, clipvalue=0.1))
    assert not unbuilt.built and unbuilt.get_config()["learning_rate"] == 0.3
    built = duplicate(unbuilt.build([torch.nn.Parameter(torch.zeros(2))]))
    param = built.param_groups[0]["params"][0]
    param.grad = torch.tensor([5.0, -5.0])
    built.step()
    # clipvalue still applies after the copy: the step is 0.3 * 0.1, not 0.3 * 5.
    torch.testing.assert_close(param.detach(), torch.tensor([-0.03, 0.03]))


def test_foreach_and_fused_pass_through() -> None:
    opt = optimizers.Adam(foreach=True, params=_params())
    assert opt.param_groups[0]["foreach"] is True and opt.param_groups[0]["fused"] is None
    assert optimizers.SGD(fused=False, params=_params()).param_groups[0]["fused"] is False


@pytest.mark.parametrize("ours, _, __", PAIRS, ids=IDS)
def test_config_round_trip(ours, _, __) -> None:
    opt = ours(learning_rate=0.123)
    opt.build(_params())
    config = opt.get_config()
    assert json.loads(json.dumps(config)) == config
    restored = ours.from_config(config)
    assert not restored.built and restored.get_config() == config


# ---------------------------------------------------------------- registry


@pytest.mark.parametrize(
    "name", ["sgd", "adam", "adamw", "rmsprop", "adagrad", "adadelta", "adamax", "nadam"]
)
def test_get_resolves_names_case_insensitively(name: str) -> None:
    expected = {cls.__name__.lower(): cls for cls, _, _ in PAIRS}[name]
    for spelling in (name, name.upper(), expected.__name__):
        opt = optimizers.get(spelling)
        assert type(opt) is expected and not opt.built


def test_get_instances_and_classes() -> None:
    opt = optimizers.RMSprop()
    assert optimizers.get(opt) is opt
    plain = torch.optim.SGD(_params(), lr=0.1)
    assert optimizers.get(plain) is plain
    assert type(optimizers.get(optimizers.Adamax)) is optimizers.Adamax
    deferred = optimizers.get(torch.optim.Adam)
    assert isinstance(deferred, optimizers.Optimizer) and not deferred.built
    deferred.build(_params())
    assert (
        isinstance(deferred, torch.optim.Adam) and deferred.param_groups[0]["eps"] == 1e-8
    )  # torch's defaults


def test_deferred_torch_class_config_round_trip() -> None:
    opt = optimizers.deferred(torch.optim.RMSprop)(lr=0.05, alpha=0.8)
    config = opt.get_config()
    assert config == {"learning_rate": 0.05, "alpha": 0.8}
    restored = type(opt).from_config(config).build(_params())
    assert restored.param_groups[0]["lr"] == 0.05 and restored.param_groups[0]["alpha"] == 0.8


def test_deferred_torch_class_pickles() -> None:
    opt = optimizers.get(torch.optim.Adagrad)
    opt.build(_params())
    restored = pickle.loads(pickle.dumps(opt))
    assert type(restored) is type(opt) and restored.built and restored.param_groups[0]["lr"] == 0.01


def test_get_unknown_name_suggests_close_names() -> None:
    with pytest.raises(ValueError, match="Did you mean 'rmsprop'"):
        optimizers.get("rmsprob")


@pytest.mark.parametrize("bad", [None, 0.01, torch.nn.Linear(2, 2), int])
def test_get_rejects_other_types(bad: Any) -> None:
    with pytest.raises(TypeError, match="`optimizer` argument.*received optimizer="):
        optimizers.get(bad)


@pytest.mark.parametrize(
    "make, argument",
    [
        (lambda: optimizers.SGD(learning_rate=-0.1), "learning_rate"),
        (lambda: optimizers.Adam(learning_rate="fast"), "learning_rate"),
        (lambda: optimizers.SGD(momentum=1.5), "momentum"),
        (lambda: optimizers.Adam(beta_1=1.0), "beta_1"),
        (lambda: optimizers.Nadam(beta_2=-0.1), "beta_2"),
        (lambda: optimizers.Adam(epsilon=-1e-7), "epsilon"),
        (lambda: optimizers.SGD(weight_decay=-0.1), "weight_decay"),
        (lambda: optimizers.AdamW(weight_decay=None), "weight_decay"),
        (lambda: optimizers.RMSprop(rho=2.0), "rho"),
        (lambda: optimizers.Adagrad(initial_accumulator_value=-1.0), "initial_accumulator_value"),
        (lambda: optimizers.SGD(clipnorm=0.0), "clipnorm"),
        (lambda: optimizers.SGD(clipnorm=1.0, clipvalue=1.0), "Only one of `clipnorm`"),
    ],
)
def test_bad_values_name_the_argument(make, argument: str) -> None:
    with pytest.raises(ValueError, match=f"`?{argument}"):
        make()
