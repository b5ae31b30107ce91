"""Lion, Lamb, Adafactor, Ftrl and serialize/deserialize against Keras 3 (torch backend)."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import json  # noqa: E402
import re  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import fitorch  # noqa: E402
from fitorch import optimizers  # noqa: E402
from fitorch.saving import load_model  # noqa: E402
from tests.saving.helpers import functional_model, small_data  # noqa: E402

# A small MLP, with a 3-D weight so that Adafactor factors over the last two dimensions.
SHAPES = [(4, 6), (6,), (6, 1), (2, 3, 6)]


def _start_weights() -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    return [rng.normal(scale=0.5, size=s).astype("f") for s in SHAPES]


def _gradients(weights: list[np.ndarray]) -> list[np.ndarray]:
    """Gradients of one fixed batch's loss (same data every call), by torch autograd from NumPy weights."""
    rng = np.random.default_rng(1)
    x = torch.tensor(rng.normal(size=(16, 4)).astype("f"))
    y = torch.tensor(rng.normal(size=(16, 1)).astype("f"))
    w1, b1, w2, w3 = (torch.tensor(w, requires_grad=True) for w in weights)
    hidden = torch.tanh(x @ w1 + b1)
    loss = ((hidden @ w2 - y) ** 2).mean() + (w3.sum(dim=(0, 1)) * hidden).pow(2).mean()
    loss.backward()
    return [t.grad.numpy() for t in (w1, b1, w2, w3)]


def _train_both(ours_cls, keras_cls, kwargs: dict, steps: int = 8) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The same model, start and data trained with fitorch's and Keras' optimizer; returns both weight lists."""
    start = _start_weights()
    params = [torch.nn.Parameter(torch.tensor(w)) for w in start]
    ours = ours_cls(**kwargs)
    variables = [keras.Variable(w) for w in start]
    theirs = keras_cls(**kwargs)
    for _ in range(steps):
        ours.apply([torch.tensor(g) for g in _gradients([p.detach().numpy() for p in params])], params)
        keras_grads = _gradients([keras.ops.convert_to_numpy(v) for v in variables])
        theirs.apply([keras.ops.convert_to_tensor(g) for g in keras_grads], variables)
        assert ours.iterations == int(keras.ops.convert_to_numpy(theirs.iterations))
    if kwargs.get("use_ema"):
        ours.finalize_variable_values()
        theirs.finalize_variable_values(variables)
    return [p.detach().numpy() for p in params], [keras.ops.convert_to_numpy(v) for v in variables]


CASES = [
    (optimizers.Lion, keras.optimizers.Lion, {"learning_rate": 0.01}),
    (optimizers.Lion, keras.optimizers.Lion, {"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9, "weight_decay": 0.1}),
    (optimizers.Lion, keras.optimizers.Lion, {"learning_rate": 0.01, "clipnorm": 0.1, "gradient_accumulation_steps": 2}),
    (optimizers.Lamb, keras.optimizers.Lamb, {"learning_rate": 0.01}),
    (optimizers.Lamb, keras.optimizers.Lamb, {"learning_rate": 0.02, "beta_1": 0.8, "epsilon": 1e-3, "weight_decay": 0.05}),
    (optimizers.Lamb, keras.optimizers.Lamb, {"learning_rate": 0.01, "use_ema": True, "ema_momentum": 0.8}),
    (optimizers.Adafactor, keras.optimizers.Adafactor, {"learning_rate": 0.1}),
    (optimizers.Adafactor, keras.optimizers.Adafactor,
     {"learning_rate": 0.5, "beta_2_decay": -0.5, "epsilon_2": 0.1, "clip_threshold": 1.2, "weight_decay": 0.1}),
    (optimizers.Adafactor, keras.optimizers.Adafactor, {"learning_rate": 0.05, "relative_step": False}),
    (optimizers.Ftrl, keras.optimizers.Ftrl, {"learning_rate": 0.1}),
    (optimizers.Ftrl, keras.optimizers.Ftrl,
     {"learning_rate": 0.2, "learning_rate_power": -0.3, "initial_accumulator_value": 0.5,
      "l1_regularization_strength": 0.01, "l2_regularization_strength": 0.02,
      "l2_shrinkage_regularization_strength": 0.03, "beta": 0.1}),
    (optimizers.Ftrl, keras.optimizers.Ftrl, {"learning_rate": 0.1, "learning_rate_power": 0.0, "global_clipnorm": 0.5}),
]  # fmt: skip
IDS = [f"{ours.__name__}-{i}" for i, (ours, _, _) in enumerate(CASES)]


@pytest.mark.parametrize("ours, theirs, kwargs", CASES, ids=IDS)
def test_training_matches_keras(ours, theirs, kwargs) -> None:
    ours_weights, keras_weights = _train_both(ours, theirs, kwargs)
    start = _start_weights()
    for mine, reference, first in zip(ours_weights, keras_weights, start, strict=True):
        assert not np.allclose(reference, first)  # the optimizer did move the weights
        np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-6)


def test_adafactor_zero_gradients_give_zero_updates_as_in_keras() -> None:
    """Keras adds epsilon_1 to the squared gradients; a zero row or vector must not become 0/0 here."""
    start = [np.ones((3, 4), "f"), np.ones(5, "f")]
    grads = [np.zeros((3, 4), "f"), np.zeros(5, "f")]
    grads[0][0] = [0.5, -1.0, 2.0, 0.1]
    params = [torch.nn.Parameter(torch.tensor(w)) for w in start]
    variables = [keras.Variable(w) for w in start]
    ours, theirs = optimizers.Adafactor(learning_rate=0.1), keras.optimizers.Adafactor(learning_rate=0.1)
    for _ in range(3):
        ours.apply([torch.tensor(g) for g in grads], params)
        theirs.apply([keras.ops.convert_to_tensor(g) for g in grads], variables)
    for p, v in zip(params, variables, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), keras.ops.convert_to_numpy(v), rtol=1e-5, atol=1e-6)
    assert torch.equal(params[1].detach(), torch.ones(5)) and not torch.equal(params[0][0].detach(), torch.ones(4))


@pytest.mark.parametrize("ours, theirs, kwargs", CASES, ids=IDS)
def test_get_config_matches_keras(ours, theirs, kwargs) -> None:
    for arguments in ({}, kwargs):
        config, keras_config = ours(**arguments).get_config(), theirs(**arguments).get_config()
        # Keras-only keys: the optimizer's name and loss_scale_factor; fitorch-only: torch's foreach switch.
        assert set(keras_config) - set(config) == {"name", "loss_scale_factor"}
        assert set(config) - set(keras_config) == {"foreach"}
        # Keras keeps the learning rate in a float32 variable: 0.001 reads back as 0.0010000000474974513.
        assert config.pop("learning_rate") == pytest.approx(keras_config.pop("learning_rate"), rel=1e-7)
        assert {k: config[k] for k in keras_config if k in config} == {
            k: v for k, v in keras_config.items() if k in config
        }
        restored = ours.from_config(json.loads(json.dumps(ours(**arguments).get_config())))
        assert restored.get_config() == ours(**arguments).get_config()


def test_own_step_runs_per_parameter_and_foreach_alike() -> None:
    for cls in (optimizers.Lion, optimizers.Lamb, optimizers.Ftrl):
        results = []
        for foreach in (False, True):
            params = [torch.nn.Parameter(torch.tensor(w)) for w in _start_weights()]
            opt = cls(learning_rate=0.05, foreach=foreach, params=params)
            for _ in range(3):
                opt.apply([torch.tensor(g) for g in _gradients([p.detach().numpy() for p in params])])
            results.append([p.detach().clone() for p in params])
        for a, b in zip(*results, strict=True):
            torch.testing.assert_close(a, b, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name, cls", [("lion", optimizers.Lion), ("Adafactor", optimizers.Adafactor),
                                       ("ftrl", optimizers.Ftrl)])  # fmt: skip
def test_string_names_match_keras(name, cls) -> None:
    assert type(optimizers.get(name)) is cls
    assert type(keras.optimizers.get(name)).__name__ == cls.__name__
    model = functional_model()
    model.compile(optimizer=name, loss="sparse_categorical_crossentropy")
    assert type(model.optimizer) is cls


def test_lamb_has_no_string_name_as_in_keras() -> None:
    with pytest.raises(ValueError, match="lamb"):
        keras.optimizers.get("lamb")
    with pytest.raises(ValueError, match="Unknown optimizer: 'lamb'"):
        optimizers.get("lamb")


SAVED = {
    "lion": lambda: optimizers.Lion(learning_rate=0.003, weight_decay=0.01),
    "lamb": lambda: optimizers.Lamb(learning_rate=0.01),
    "ftrl": lambda: optimizers.Ftrl(learning_rate=0.1, l1_regularization_strength=0.001),
    "adafactor": lambda: optimizers.Adafactor(learning_rate=0.05),  # factored moments: not the weights' shapes
}


def _fresh(make):
    torch.manual_seed(1)
    model = functional_model()
    model.compile(optimizer=make(), loss="sparse_categorical_crossentropy")
    return model


@pytest.mark.parametrize("make", SAVED.values(), ids=SAVED.keys())
def test_saved_model_resumes_bitwise(tmp_path, make) -> None:
    x, y = small_data(32)
    straight = _fresh(make)
    straight.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    first = _fresh(make)
    first.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    first.save(tmp_path / "epoch1.fitorch")
    resumed = load_model(tmp_path / "epoch1.fitorch")
    assert type(resumed.optimizer) is type(first.optimizer)
    assert resumed.optimizer.get_config() == first.optimizer.get_config()
    resumed.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for name, tensor in straight.state_dict().items():
        assert torch.equal(resumed.state_dict()[name], tensor), name
    # The control: a fresh optimizer state (Ftrl's accumulators, Lion's and Lamb's moments) changes the result.
    restarted = load_model(tmp_path / "epoch1.fitorch", compile=False)
    restarted.compile(optimizer=make(), loss="sparse_categorical_crossentropy")
    restarted.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert not torch.equal(restarted.get_layer("probs").weight, straight.get_layer("probs").weight)


def test_state_dict_round_trip_continues_identically() -> None:
    def run(reload: bool) -> list[torch.Tensor]:
        params = [torch.nn.Parameter(torch.tensor(w)) for w in _start_weights()]
        opt = optimizers.Adafactor(learning_rate=0.1, params=params)
        for step in range(4):
            if step == 2 and reload:
                saved = opt.state_dict()
                opt = optimizers.Adafactor(learning_rate=0.1, params=params)
                opt.load_state_dict(saved)
            opt.apply([torch.tensor(g) for g in _gradients([p.detach().numpy() for p in params])])
        return [p.detach() for p in params]

    for a, b in zip(run(False), run(True), strict=True):
        assert torch.equal(a, b)


# ---------------------------------------------------------------------- serialize / deserialize
@pytest.mark.parametrize(
    "optimizer",
    [optimizers.Lion(learning_rate=0.01, beta_1=0.8), optimizers.Lamb(epsilon=1e-5), optimizers.Adafactor(),
     optimizers.Ftrl(beta=0.5), optimizers.Adam(clipnorm=1.0),
     optimizers.SGD(learning_rate=optimizers.schedules.ExponentialDecay(0.1, 10, 0.5))],
    ids=lambda o: type(o).__name__,
)  # fmt: skip
def test_serialize_round_trips_through_json(optimizer) -> None:
    data = json.loads(json.dumps(optimizers.serialize(optimizer)))
    assert set(data) == {"module", "class_name", "config", "registered_name"}
    assert data["class_name"] == type(optimizer).__name__ and data["config"] == optimizer.get_config()
    restored = optimizers.deserialize(data)
    assert type(restored) is type(optimizer) and not restored.built
    assert restored.get_config() == optimizer.get_config()


def test_serialize_torch_optimizers() -> None:
    deferred = optimizers.deferred(torch.optim.Adagrad)(lr=0.5)
    restored = optimizers.deserialize(optimizers.serialize(deferred))
    assert isinstance(restored, torch.optim.Adagrad) and restored.get_config() == deferred.get_config()
    built = torch.optim.RMSprop([torch.nn.Parameter(torch.ones(1))], lr=0.2)
    data = optimizers.serialize(built)
    assert data["config"]["lr"] == 0.2
    assert optimizers.deserialize(data).get_config()["learning_rate"] == 0.2


@pytest.mark.parametrize("name", ["Lion", "Adafactor", "Ftrl", "Lamb", "Adam"])
def test_deserialize_reads_keras_serialize(name) -> None:
    keras_data = keras.optimizers.serialize(getattr(keras.optimizers, name)(learning_rate=0.25))
    restored = optimizers.deserialize(json.loads(json.dumps(keras_data)))
    assert type(restored) is getattr(optimizers, name)
    assert restored.learning_rate == 0.25
    keras_config = keras_data["config"]
    assert {k: v for k, v in restored.get_config().items() if k in keras_config and k != "learning_rate"} == {
        k: keras_config[k] for k in restored.get_config() if k in keras_config and k != "learning_rate"
    }


def test_deserialize_is_case_insensitive_for_builtins_as_in_keras() -> None:
    assert type(optimizers.deserialize({"class_name": "lion", "config": {}})) is optimizers.Lion
    assert type(keras.optimizers.deserialize({"class_name": "lion", "config": {}})).__name__ == "Lion"


def test_deserialize_uses_custom_objects_and_refuses_unknown_names() -> None:
    class MyLion(optimizers.Lion):
        pass

    assert type(optimizers.deserialize({"class_name": "MyLion", "config": {}}, {"MyLion": MyLion})) is MyLion
    with pytest.raises(ValueError, match="Unknown optimizer 'MyLion'"):
        optimizers.deserialize({"class_name": "MyLion", "config": {}})
    with pytest.raises(ValueError, match="dotted path"):
        optimizers.deserialize({"class_name": "os.system", "config": {}})
    with pytest.raises(ValueError, match="expected \\{'class_name'"):
        optimizers.deserialize({"config": {}})
    with pytest.raises(ValueError, match="loss_scale_factor=128.0"):
        optimizers.deserialize({"class_name": "Adam", "config": {"loss_scale_factor": 128.0}})
    with pytest.raises(TypeError, match="expected a fitorch or torch.optim optimizer"):
        optimizers.serialize("adam")


# ---------------------------------------------------------------------- bad arguments
@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: optimizers.Lion(beta_1=0.0), "`beta_1` of Lion must be in \\(0, 1\\].*beta_1=0.0"),
        (lambda: optimizers.Lion(beta_2=1.5), "`beta_2`.*beta_2=1.5"),
        (lambda: optimizers.Lamb(beta_1=1.0), "`beta_1`.*beta_1=1.0"),
        (lambda: optimizers.Lamb(epsilon=-1.0), "`epsilon`.*epsilon=-1.0"),
        (lambda: optimizers.Adafactor(beta_2_decay=0.5), "`beta_2_decay` of Adafactor must be <= 0.*0.5"),
        (lambda: optimizers.Adafactor(clip_threshold=0.5), "`clip_threshold` must be a float >= 1.0.*=0.5"),
        (lambda: optimizers.Adafactor(epsilon_1=-1e-3), "`epsilon_1`"),
        (lambda: optimizers.Ftrl(initial_accumulator_value=-0.1), "`initial_accumulator_value` of Ftrl.*positive"),
        (lambda: optimizers.Ftrl(learning_rate_power=0.5), "`learning_rate_power` of Ftrl.*negative"),
        (lambda: optimizers.Ftrl(l1_regularization_strength=-1), "`l1_regularization_strength` of Ftrl"),
        (lambda: optimizers.Ftrl(l2_regularization_strength=-1), "`l2_regularization_strength` of Ftrl"),
        (lambda: optimizers.Ftrl(l2_shrinkage_regularization_strength=-1), "`l2_shrinkage_regularization_strength`"),
        (lambda: optimizers.Lion(weight_decay=-0.1), "`weight_decay`"),
        (lambda: optimizers.Lamb(clipnorm=1.0, clipvalue=1.0), "Only one of `clipnorm`"),
    ],
)
def test_bad_values_name_the_argument(make, match) -> None:
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_types_name_the_argument() -> None:
    with pytest.raises(TypeError, match="`relative_step` of Adafactor must be a bool"):
        optimizers.Adafactor(relative_step="yes")
    with pytest.raises(TypeError, match="Lion.__init__\\(\\) got an unexpected keyword argument 'fused'"):
        optimizers.Lion(fused=True)


def test_new_optimizers_are_torch_optimizers_built_on_first_use() -> None:
    opt = optimizers.Adafactor(learning_rate=0.02)
    assert not opt.built
    w = torch.nn.Parameter(torch.ones(3, 2))
    opt.build([w])
    assert isinstance(opt, torch.optim.Adafactor)
    assert opt.param_groups[0]["eps"] == (1e-15, 1e-3) and opt.param_groups[0]["weight_decay"] == 0.0
    assert isinstance(fitorch.optimizers.Lion(params=[w]), torch.optim.Optimizer)


def test_saved_state_may_have_factored_shapes_but_no_others() -> None:
    """optimizer.safetensors accepts Adafactor's (rows, 1) / (1, columns) moments, and still refuses other shapes."""
    from fitorch.saving import UnsafeModelError
    from fitorch.saving.compile_state import optimizer_state, restore_optimizer_state

    model = _fresh(SAVED["adafactor"])
    x, y = small_data(16)
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    tensors, metadata = optimizer_state(model, model.optimizer)
    assert tensors["state/hidden.weight/row_var"].shape == (8, 1)
    assert tensors["state/hidden.weight/col_var"].shape == (1, 6)
    restore_optimizer_state(model, optimizers.Adafactor(learning_rate=0.05), tensors, metadata)
    for bad in [(8, 2), (8,), (1, 8, 1)]:
        with pytest.raises(UnsafeModelError, match=re.escape(f"row_var of hidden.weight: expected (8, 6) got {bad}")):
            restore_optimizer_state(
                model, optimizers.Adafactor(learning_rate=0.05), {**tensors, "state/hidden.weight/row_var": torch.zeros(bad)},
                metadata,
            )  # fmt: skip
    # Only Adafactor's factored moments may differ from the weight's shape.
    with pytest.raises(UnsafeModelError, match=re.escape("exp_avg of hidden.weight: expected (8, 6) got (8, 1)")):
        restore_optimizer_state(
            model, optimizers.Adafactor(learning_rate=0.05), {**tensors, "state/hidden.weight/exp_avg": torch.zeros(8, 1)},
            metadata,
        )  # fmt: skip
