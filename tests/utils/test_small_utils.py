"""pack/unpack_x_y_sample_weight, standardize_dtype, is_keras_tensor, get_source_inputs and Config against Keras."""

import json

import keras
import numpy as np
import pytest
import torch

import fitorch


@pytest.mark.parametrize("args", [(1,), ((1, 2),), ([1, 2],), (1, 2), (1, 2, 3), (1, None, 3), ((1,), [2])])
def test_pack_matches_keras(args):
    assert fitorch.utils.pack_x_y_sample_weight(*args) == keras.utils.pack_x_y_sample_weight(*args)


@pytest.mark.parametrize("data", [1, (1,), [1], (1, 2), [1, 2], (1, 2, 3), {"x": 1}])
def test_unpack_matches_keras(data):
    assert fitorch.utils.unpack_x_y_sample_weight(data) == keras.utils.unpack_x_y_sample_weight(data)


def test_unpack_refuses_long_tuples_like_keras():
    with pytest.raises(ValueError):
        keras.utils.unpack_x_y_sample_weight((1, 2, 3, 4))
    with pytest.raises(ValueError, match="unpack_x_y_sample_weight: .* 4 elements"):
        fitorch.utils.unpack_x_y_sample_weight((1, 2, 3, 4))


DTYPES = [None, bool, int, float, complex, "int", "float16", "bfloat16", "torch.int64", "uint8",
          torch.float32, torch.float64, torch.bfloat16, torch.int8, torch.uint8, torch.bool, torch.long,
          torch.complex64, torch.float8_e4m3fn, np.float32, np.int16, np.dtype("float64"), np.dtype("bool"),
          np.dtype("uint32"), np.complex128]  # fmt: skip


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_standardize_dtype_matches_keras(dtype):
    assert fitorch.utils.standardize_dtype(dtype) == keras.utils.standardize_dtype(dtype)


@pytest.mark.parametrize("dtype", ["float", "floaty", torch.qint8, object], ids=str)
def test_standardize_dtype_refusals_match_keras(dtype):
    with pytest.raises(ValueError):
        keras.utils.standardize_dtype(dtype)
    with pytest.raises(ValueError, match="standardize_dtype: invalid dtype"):
        fitorch.utils.standardize_dtype(dtype)


def graph(api):
    a, b = api.Input(shape=(2,), name="a"), api.Input(shape=(2,), name="b")
    hidden = api.layers.Dense(2)(a)
    twice = api.layers.Add()([hidden, hidden])
    out = api.layers.Concatenate()([twice, b, api.layers.Dense(2)(a)])
    return a, b, hidden, out


def test_get_source_inputs_matches_keras():
    for api in (keras, fitorch):
        a, b, hidden, out = graph(api)
        assert [t is s for t, s in zip(api.utils.get_source_inputs(out), (a, b), strict=True)] == [True, True]
        assert [t is a for t in api.utils.get_source_inputs(hidden)] == [True]
        assert [t is b for t in api.utils.get_source_inputs(b)] == [True]
        assert api.utils.is_keras_tensor(out) and not api.utils.is_keras_tensor(np.ones(2))
    plain = torch.ones(2)
    assert fitorch.utils.get_source_inputs(plain) is plain
    assert not fitorch.utils.is_keras_tensor(plain)


def test_get_source_inputs_of_a_deep_chain():
    x = fitorch.Input(shape=(1,))
    y = x
    for _ in range(3000):
        y = fitorch.layers.Identity()(y)
    assert fitorch.utils.get_source_inputs(y)[0] is x


def test_config_behaves_like_keras():
    objects = []
    for api in (keras.utils, fitorch.utils):
        config = api.Config(learning_rate=0.1)
        config.seed = 1
        config["momentum"] = 0.9
        config.update(alpha=2)
        assert config.pop("alpha") == 2
        objects.append((sorted(config), dict(config.items()), config.as_dict(), json.loads(config.to_json()),
                        len(config), "seed" in config, config.get("nope", 5), config.frozen))  # fmt: skip
        config.freeze()
        mutations = [(setattr, ("seed", 2)), (type(config).__setitem__, ("x", 1)), (type(config).__delitem__, ("seed",)),
                     (type(config).pop, ("seed",)), (type(config).update, ({"x": 1},))]  # fmt: skip
        for mutate, args in mutations:
            with pytest.raises(ValueError):
                mutate(config, *args)
        config.unfreeze()
        config.seed = 3
        assert config.seed == 3
        with pytest.raises(AttributeError, match="Did you mean 'seed'"):
            _ = config.sed
    assert objects[0] == objects[1]
