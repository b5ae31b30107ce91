"""serialize_keras_object / deserialize_keras_object: Keras' format, resolved only through the registry."""

import keras
import numpy as np
import pytest
import torch

import fitorch
from fitorch.utils import deserialize_keras_object, serialize_keras_object


@fitorch.saving.register_keras_serializable("h1_ser")
def halve(x):
    return x / 2


@fitorch.saving.register_keras_serializable("h1_ser")
class Offset(fitorch.layers.Layer):
    def __init__(self, offset=1.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, x):
        return x + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


@pytest.mark.parametrize(
    "make",
    [
        lambda api: api.regularizers.L2(0.25),
        lambda api: api.regularizers.L1L2(l1=0.5, l2=0.25),
        lambda api: api.constraints.NonNeg(),
        lambda api: api.constraints.MaxNorm(2.0, axis=1),
        lambda api: api.initializers.GlorotUniform(seed=3),
        lambda api: api.initializers.Constant(0.5),
        lambda api: api.losses.MeanSquaredError(),
        lambda api: api.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.5),
        lambda api: api.optimizers.schedules.ExponentialDecay(0.5, 10, 0.25),
    ],
)
def test_builtin_objects_serialize_like_keras_and_round_trip(make):
    ours, theirs = serialize_keras_object(make(fitorch)), keras.saving.serialize_keras_object(make(keras))
    assert ours == theirs
    rebuilt = deserialize_keras_object(ours)
    assert type(rebuilt) is type(make(fitorch))
    assert serialize_keras_object(rebuilt) == ours
    # a config Keras wrote rebuilds the fitorch object too
    assert serialize_keras_object(deserialize_keras_object(theirs)) == ours


@pytest.mark.parametrize("name", ["relu", "gelu", "mean_squared_error", "binary_accuracy"])
def test_builtin_functions_serialize_like_keras(name):
    keras_fn = (
        getattr(keras.activations, name, None) or getattr(keras.losses, name, None) or keras.metrics.binary_accuracy
    )
    ours_fn = getattr(fitorch.activations, name, None) or fitorch.saving.registry.builtins("function")[name]
    ours = serialize_keras_object(ours_fn)
    assert ours == keras.saving.serialize_keras_object(keras_fn)
    assert deserialize_keras_object(ours) is ours_fn


def test_registered_and_plain_functions_like_keras():
    def local_fn(x):
        return x

    def keras_halve(x):
        return x / 2

    keras_halve.__name__ = "halve"
    keras.saving.register_keras_serializable("h1_ser")(keras_halve)
    assert serialize_keras_object(halve) == keras.saving.serialize_keras_object(keras_halve)
    assert serialize_keras_object(local_fn) == keras.saving.serialize_keras_object(local_fn)
    assert deserialize_keras_object(serialize_keras_object(halve)) is halve
    assert deserialize_keras_object(serialize_keras_object(local_fn), custom_objects={"local_fn": local_fn}) is local_fn
    with pytest.raises(TypeError, match="could not locate function 'local_fn'"):
        deserialize_keras_object(serialize_keras_object(local_fn))


def test_plain_data_and_special_values_like_keras():
    values = [None, 1, 2.5, "s", True, [1, (2, 3)], {"a": [1]}, b"xy", slice(1, None, 2), Ellipsis,
              np.arange(3, dtype="int32"), np.float32(2.5)]  # fmt: skip
    for value in values:
        assert serialize_keras_object(value) == keras.saving.serialize_keras_object(value)
        back = deserialize_keras_object(serialize_keras_object(value))
        expected = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(value))
        if isinstance(expected, np.ndarray):
            np.testing.assert_array_equal(back, expected)
            assert back.dtype == expected.dtype
        else:
            assert back == expected


def test_tensors_like_keras():
    tensor = torch.arange(4, dtype=torch.float16)
    assert serialize_keras_object(tensor) == keras.saving.serialize_keras_object(tensor)
    back = deserialize_keras_object(serialize_keras_object(tensor))
    assert torch.equal(back, tensor) and back.dtype == torch.float16
    with pytest.raises(ValueError, match="standardize_dtype: invalid dtype 'load'"):
        deserialize_keras_object({"class_name": "__tensor__", "config": {"value": [1], "dtype": "load"}})


def test_layers_round_trip_through_the_model_file_machinery():
    dense = fitorch.layers.Dense(3, activation="relu", kernel_regularizer="l2", name="d")
    entry = serialize_keras_object(dense)
    assert {k: entry[k] for k in ("module", "class_name", "registered_name")} == {
        k: keras.saving.serialize_keras_object(keras.layers.Dense(3))[k]
        for k in ("module", "class_name", "registered_name")
    }
    rebuilt = deserialize_keras_object(entry)
    assert type(rebuilt) is fitorch.layers.Dense and rebuilt.get_config() == dense.get_config()

    offset = serialize_keras_object(Offset(0.5, name="o"))
    assert offset["registered_name"] == "h1_ser>Offset" and offset["class_name"] == "Offset"
    assert deserialize_keras_object(offset).offset == 0.5

    inputs = fitorch.layers.Input(shape=(4,))
    model = fitorch.Model(inputs, Offset(1.0)(fitorch.layers.Dense(2)(inputs)))
    clone = deserialize_keras_object(serialize_keras_object(model))
    clone.load_state_dict(model.state_dict())
    x = torch.randn(3, 4)
    torch.testing.assert_close(clone(x), model(x))


def test_nested_deserialization_in_from_config_sees_custom_objects():
    class Holder(fitorch.layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner if isinstance(inner, fitorch.layers.Layer) else deserialize_keras_object(inner)

        def call(self, x):
            return self.inner(x)

        def get_config(self):
            return {**super().get_config(), "inner": serialize_keras_object(self.inner)}

    class Inner(Offset):
        pass

    entry = serialize_keras_object(Holder(Inner(2.0, name="inner"), name="holder"))
    restored = deserialize_keras_object(entry, custom_objects={"Holder": Holder, "Inner": Inner})
    assert type(restored.inner) is Inner and restored.inner.offset == 2.0


def test_nothing_is_imported_by_name():
    for config in (
        {"module": "os", "class_name": "system", "config": {}, "registered_name": None},
        {"module": "keras.src.saving", "class_name": "NoSuchLayer", "config": {}, "registered_name": None},
        {"module": "builtins", "class_name": "function", "config": "eval", "registered_name": "function"},
    ):
        with pytest.raises(TypeError, match="could not locate"):
            deserialize_keras_object(config)
    for safe_mode in (True, False):
        with pytest.raises(ValueError, match="never runs code"):
            deserialize_keras_object({"class_name": "__lambda__", "config": {"value": "abc"}}, safe_mode=safe_mode)


def test_unserializable_objects_are_refused_clearly():
    with pytest.raises(TypeError, match="lambda"):
        serialize_keras_object(lambda x: x)
    with pytest.raises(TypeError, match="no get_config"):
        serialize_keras_object(object())
    with pytest.raises(TypeError, match="plain torch module"):
        serialize_keras_object(torch.nn.Linear(2, 2))
    with pytest.raises(TypeError, match="unexpected keyword arguments"):
        deserialize_keras_object({}, bogus=1)
