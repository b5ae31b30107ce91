"""Whole-architecture configs: from_config(get_config()), model_from_json(to_json()) and clone_model give the
same architecture (summary, layer configs), load the same weights and predict the same; JSON is loaded as safely
as load_model."""

import json

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.saving import UnsafeModelError


def functional():
    text, meta = layers.Input(shape=(8,), name="text"), layers.Input(shape=(4,), name="meta")
    shared = layers.Dense(6, activation="relu", name="shared")
    joined = layers.Concatenate(name="joined")(
        [shared(layers.Dense(6, name="proj")(text)), shared(layers.Dense(6, name="meta_proj")(meta))]
    )
    hidden = layers.Dropout(0.1, name="drop")(layers.Dense(12, name="hidden")(joined))
    return fitorch.Model(
        [text, meta], [layers.Dense(1, name="score")(hidden), layers.Dense(3, name="kind")(joined)], name="two_heads"
    )


def sequential():
    return fitorch.Sequential([layers.Input(shape=(5, 5, 2)), layers.Conv2D(3, 3, activation="relu", name="conv"),
                               layers.BatchNormalization(name="bn"), layers.Flatten(name="flat"),
                               layers.Dense(2, name="out")], name="seq")  # fmt: skip


def nested():
    inner = fitorch.Sequential([layers.Input(shape=(4,)), layers.Dense(3, name="inner_dense")], name="inner")
    inputs = layers.Input(shape=(4,), name="x")
    return fitorch.Model(inputs, layers.Dense(1, name="head")(inner(inputs)), name="outer")


def summary_text(model):
    lines = []
    model.summary(print_fn=lines.append)
    return "\n".join(lines)


def layer_configs(model):
    return [(type(layer).__name__, layer.get_config()) for layer in model.layers]


def inputs_for(model):
    rng = np.random.default_rng(0)
    return [rng.standard_normal((3, *t.shape[1:])).astype("float32") for t in model.inputs]


def assert_same_architecture_and_outputs(model, rebuilt):
    assert type(rebuilt) is type(model) and rebuilt.name == model.name
    assert summary_text(rebuilt) == summary_text(model)
    assert layer_configs(rebuilt) == layer_configs(model)
    assert rebuilt.get_config() == model.get_config()
    weights = model.get_weights()
    assert [w.shape for w in rebuilt.get_weights()] == [w.shape for w in weights]
    rebuilt.set_weights(weights)
    x = inputs_for(model)
    x = x[0] if len(x) == 1 else x
    ours, theirs = rebuilt.predict(x, verbose=0), model.predict(x, verbose=0)
    ours, theirs = (o if isinstance(o, (list, tuple)) else [o] for o in (ours, theirs))
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(a, b)


BUILDERS = [functional, sequential, nested]


@pytest.mark.parametrize("build", BUILDERS)
def test_from_config_rebuilds_the_whole_architecture(build):
    model = build()
    config = model.get_config()
    json.dumps(config)  # plain JSON data
    assert len(config["layers"]) >= 2  # the whole architecture, not an empty model
    rebuilt = type(model).from_config(config)
    assert_same_architecture_and_outputs(model, rebuilt)
    assert_same_architecture_and_outputs(
        model, fitorch.Model.from_config(config) if type(model) is fitorch.Functional else rebuilt
    )


@pytest.mark.parametrize("build", BUILDERS)
def test_model_from_json_rebuilds_the_whole_architecture(build):
    model = build()
    text = model.to_json(indent=1)
    rebuilt = fitorch.models.model_from_json(text)
    assert_same_architecture_and_outputs(model, rebuilt)
    assert not any(
        np.array_equal(a, b)
        for a, b in zip(fitorch.models.model_from_json(text).get_weights(), model.get_weights(), strict=True)
        if a.ndim >= 2
    )


def test_unbuilt_sequential_round_trips_its_layers():
    model = fitorch.Sequential([layers.Dense(4, name="a"), layers.Dense(1, name="b")])
    rebuilt = fitorch.Sequential.from_config(model.get_config())
    assert [layer.name for layer in rebuilt.layers] == ["a", "b"] and not rebuilt.built
    assert rebuilt(torch.zeros(2, 3)).shape == (2, 1)


def test_model_from_json_is_as_safe_as_load_model():
    model = fitorch.Sequential([layers.Input(shape=(2,)), layers.Dense(1, name="out")])
    document = json.loads(model.to_json())
    document["model"]["config"]["layers"][0]["class_name"] = "os.system"
    with pytest.raises(UnsafeModelError, match="dotted path"):
        fitorch.models.model_from_json(json.dumps(document))
    document = json.loads(model.to_json())
    document["model"]["config"]["layers"][0]["class_name"] = "NotALayer"
    with pytest.raises(UnsafeModelError):
        fitorch.models.model_from_json(json.dumps(document))
    lam = {"format": "fitorch.model", "fitorch_version": "0", "model": {"class_name": "Sequential", "config": {
        "name": "s", "layers": [{"class_name": "Lambda", "name": "l", "config": {"name": "l", "function": {"function_name": "f"}}}],
        "input": {"shape": [2]}}}}  # fmt: skip
    with pytest.raises(UnsafeModelError, match="Lambda"):
        fitorch.models.model_from_json(json.dumps(lam))
    with pytest.raises(UnsafeModelError, match="duplicate key"):
        fitorch.models.model_from_json('{"format": "fitorch.model", "format": "x"}')
    with pytest.raises(TypeError, match="expected the JSON string from model.to_json"):
        fitorch.models.model_from_json({"format": "fitorch.model"})
    bomb = json.loads(model.to_json())
    bomb["model"]["config"]["layers"][0]["config"]["units"] = 10**12
    with pytest.raises(UnsafeModelError, match="allocate"):
        fitorch.models.model_from_json(json.dumps(bomb))


def test_model_from_json_reads_a_keras_to_json_string():
    import keras

    k = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, activation="relu", name="d")])
    rebuilt = fitorch.models.model_from_json(k.to_json())
    rebuilt.set_weights(k.get_weights())
    x = np.random.default_rng(0).standard_normal((4, 3)).astype("float32")
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), keras.ops.convert_to_numpy(k(x)), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("build", BUILDERS)
def test_clone_model_has_new_weights_and_the_same_outputs_after_set_weights(build):
    model = build()
    clone = fitorch.models.clone_model(model)
    own = {id(p) for p in model.parameters()}
    assert not any(id(p) in own for p in clone.parameters())
    assert not all(np.array_equal(a, b) for a, b in zip(clone.get_weights(), model.get_weights(), strict=True))
    assert_same_architecture_and_outputs(model, clone)


def test_clone_model_keeps_shared_layers_shared_and_takes_new_inputs_and_functions():
    model = functional()
    clone = fitorch.models.clone_model(model)
    assert sum(1 for name, _ in clone.named_children() if name == "shared") == 1
    new_inputs = [layers.Input(shape=(8,), name="t2"), layers.Input(shape=(4,), name="m2")]
    renamed = fitorch.models.clone_model(model, input_tensors=new_inputs)
    assert renamed.input_names == ["t2", "m2"]
    seen = []

    def rename(layer):
        seen.append(layer.name)
        return layer.__class__.from_config({**layer.get_config(), "name": f"{layer.name}_copy"})

    copied = fitorch.models.clone_model(model, clone_function=rename)
    assert "shared_copy" in [layer.name for layer in copied.layers] and seen.count("shared") == 1
    kept = fitorch.models.clone_model(model, clone_function=lambda layer: layer)  # share everything
    assert kept.get_layer("hidden") is model.get_layer("hidden")


def test_clone_model_errors():
    class Net(fitorch.Model):
        def forward(self, x):
            return x

    with pytest.raises(TypeError, match="clone_model: expected a functional or Sequential model; received Net"):
        fitorch.models.clone_model(Net())
    with pytest.raises(ValueError, match="has 2 inputs; input_tensors has 1"):
        fitorch.models.clone_model(functional(), input_tensors=[layers.Input(shape=(8,))])
    with pytest.raises(TypeError, match="clone_function must return a layer"):
        fitorch.models.clone_model(functional(), clone_function=lambda layer: 3)


def test_subclassed_model_without_get_config_cannot_be_written_as_json():
    class Net(fitorch.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def forward(self, x):
            return self.dense(x)

    with pytest.raises(TypeError, match="subclassed model without get_config"):
        Net().to_json()
