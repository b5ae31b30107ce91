"""The arguments every optimizer shares (defined once in fitorch.optimizers.arguments), against Keras and torch."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import copy  # noqa: E402
import inspect  # noqa: E402
import pickle  # noqa: E402

import keras  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from fitorch import _torch_private, optimizers  # noqa: E402
from fitorch.optimizers import registry  # noqa: E402

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
# Keras' base optimizer arguments that fitorch keeps, in fitorch's get_config() order.
KERAS_COMMON = ["clipnorm", "clipvalue", "global_clipnorm", "use_ema", "ema_momentum", "ema_overwrite_frequency",
                "gradient_accumulation_steps"]  # fmt: skip


@pytest.mark.parametrize("ours, theirs, torch_class", PAIRS, ids=IDS)
def test_config_ends_with_keras_common_arguments_then_torch_switches(ours, theirs, torch_class) -> None:
    config = list(ours().get_config())
    keras_config = list(theirs().get_config())
    assert set(KERAS_COMMON) <= set(keras_config)  # each one is a Keras argument of this optimizer
    has_fused = "fused" in inspect.signature(torch_class.__init__).parameters
    expected_tail = KERAS_COMMON + ["foreach"] + (["fused"] if has_fused else [])
    assert config[-len(expected_tail) :] == expected_tail
    # The optimizer's own arguments come first, all of them Keras' arguments.
    assert set(config[: -len(expected_tail)]) <= set(keras_config)


@pytest.mark.parametrize("ours, theirs, torch_class", PAIRS, ids=IDS)
def test_every_optimizer_takes_every_common_argument(ours, theirs, torch_class) -> None:
    values = {"clipnorm": 0.5, "use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 2,
              "gradient_accumulation_steps": 2, "foreach": False}  # fmt: skip
    opt = ours(**values, params=[torch.nn.Parameter(torch.ones(2))])
    config = opt.get_config()
    assert {k: config[k] for k in values} == values
    assert opt.param_groups[0]["foreach"] is False
    keras_config = theirs(**{k: v for k, v in values.items() if k != "foreach"}).get_config()
    assert {k: keras_config[k] for k in values if k != "foreach"} == {k: v for k, v in values.items() if k != "foreach"}


@pytest.mark.parametrize("ours, _, torch_class", PAIRS, ids=IDS)
def test_fused_only_where_torch_has_the_kernel(ours, _, torch_class) -> None:
    if "fused" in inspect.signature(torch_class.__init__).parameters:
        opt = ours(fused=False, params=[torch.nn.Parameter(torch.ones(2))])
        assert opt.param_groups[0]["fused"] is False and opt.get_config()["fused"] is False
    else:
        with pytest.raises(
            TypeError, match=f"{ours.__name__}.__init__\\(\\) got an unexpected keyword argument 'fused'"
        ):
            ours(fused=True)


@pytest.mark.parametrize("ours", [p[0] for p in PAIRS], ids=IDS)
def test_unknown_argument_is_a_type_error_naming_it(ours) -> None:
    with pytest.raises(
        TypeError, match=f"{ours.__name__}.__init__\\(\\) got an unexpected keyword argument 'clip_norm'"
    ):
        ours(clip_norm=1.0)


@pytest.mark.parametrize(
    "ours, kwargs, match",
    [
        (
            optimizers.Adagrad,
            {"weight_decay": -1.0},
            "`weight_decay` must be a float >= 0.0; received weight_decay=-1.0",
        ),
        (
            optimizers.Nadam,
            {"weight_decay": "0.1"},
            "`weight_decay` must be a float >= 0.0; received weight_decay='0.1'",
        ),
        (optimizers.RMSprop, {"global_clipnorm": -1.0}, "`global_clipnorm` must be None or a float > 0"),
        (optimizers.Adadelta, {"clipvalue": 1.0, "global_clipnorm": 1.0}, "Only one of `clipnorm`, `clipvalue`"),
    ],
)
def test_shared_checks_apply_to_every_optimizer(ours, kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        ours(**kwargs)


# ---------------------------------------------------------------- fused kernels (a torch internal)


def test_fused_device_types_agree_with_torchs_own_check() -> None:
    supported = _torch_private.fused_optimizer_device_types()
    assert "cpu" in supported and "cuda" in supported
    for device in ["cpu", "meta"]:
        param = torch.nn.Parameter(torch.ones(2, device=device))
        param.grad = torch.ones(2, device=device)
        opt = torch.optim.Adam([param], fused=True)
        if device in supported:
            opt.step()
        else:
            with pytest.raises(RuntimeError, match="fused=True"):
                opt.step()


def test_fitorch_uses_fused_where_supported_and_torch_default_elsewhere() -> None:
    assert optimizers.Adam(params=[torch.nn.Parameter(torch.ones(2))]).param_groups[0]["fused"] is True
    meta = optimizers.Adam(params=[torch.nn.Parameter(torch.ones(2, device="meta"))])
    assert meta.param_groups[0]["fused"] is None
    # foreach=True asks for torch's other kernel: fused stays off.
    assert optimizers.Adam(foreach=True, params=[torch.nn.Parameter(torch.ones(2))]).param_groups[0]["fused"] is None


# ---------------------------------------------------------------- deferred torch classes


class _NoDefaultLR(torch.optim.SGD):
    def __init__(self, params, lr, momentum=0.0):  # lr is required, unlike torch.optim.SGD's
        super().__init__(params, lr=lr, momentum=momentum)


@pytest.mark.parametrize("duplicate", [copy.deepcopy, lambda o: pickle.loads(pickle.dumps(o))])
def test_deferred_copies_are_made_by_init(duplicate, monkeypatch) -> None:
    calls = []
    original = registry._Deferred.__init__

    def counting_init(self, *args, **kwargs):
        calls.append(kwargs)
        original(self, *args, **kwargs)

    monkeypatch.setattr(registry._Deferred, "__init__", counting_init)
    opt = optimizers.deferred(_NoDefaultLR)(lr=0.5, momentum=0.9)
    unbuilt = duplicate(opt)
    assert calls[-1] == {"learning_rate": 0.5, "momentum": 0.9} and not unbuilt.built
    param = torch.nn.Parameter(torch.zeros(1))
    opt.build([param])
    param.grad = torch.ones(1)
    opt.step()
    built = duplicate(opt)
    assert len(calls) == 3 and built.built and type(built) is type(opt)
    copied = built.param_groups[0]["params"][0]
    assert torch.equal(built.state[copied]["momentum_buffer"], opt.state[param]["momentum_buffer"])
    copied.grad = torch.ones(1)
    built.step()  # -0.5, then -0.5 - 0.5 * (0.9 + 1)
    assert copied.item() == pytest.approx(-1.45)
