import numpy as np
import pytest
import torch

from fitorch import config, layers
from fitorch.layers import pooling
from fitorch.layers.pooling import AveragePooling1D, AveragePooling2D, MaxPooling1D, MaxPooling2D
from tests.layers.harness import keras, run_layer_test


def check_against_keras(name, input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: getattr(pooling, name)(**kwargs),
        input_shape,
        lambda: getattr(keras().layers, name)(**kwargs),
        check_compile=check_compile,
    )


CASES_2D = [
    # (pool_size, strides, padding, size): "sym"/"asym" is how 'same' pads
    (2, None, "valid", 8),
    (2, None, "valid", 7),
    (3, 2, "valid", 8),
    (2, None, "same", 7),  # asym: (0, 1)
    (3, 2, "same", 7),  # sym: (1, 1)
    (3, 2, "same", 8),  # asym: (0, 1)
    (2, 1, "same", 6),  # asym: (0, 1)
    (3, 1, "same", 6),  # sym: (1, 1)
    (4, 1, "same", 6),  # asym: (1, 2)
    ((3, 2), 1, "same", 5),  # sym on one axis, asym on the other
    ((2, 3), (1, 2), "valid", 7),
]


@pytest.mark.parametrize("pool_size, strides, padding, size", CASES_2D)
@pytest.mark.parametrize("name", ["MaxPooling2D", "AveragePooling2D"])
def test_pooling2d_matches_keras(name, pool_size, strides, padding, size):
    check_against_keras(name, (2, size, size + 1, 3), pool_size=pool_size, strides=strides, padding=padding)


CASES_1D = [
    (2, None, "valid", 9),
    (3, 2, "valid", 10),
    (2, None, "same", 9),
    (3, 2, "same", 9),
    (3, 2, "same", 6),
    (2, 1, "same", 6),
    (3, 1, "same", 6),
    (4, 1, "same", 6),
    (2, 3, "same", 8),  # stride larger than the window
]


@pytest.mark.parametrize("pool_size, strides, padding, steps", CASES_1D)
@pytest.mark.parametrize("name", ["MaxPooling1D", "AveragePooling1D"])
def test_pooling1d_matches_keras(name, pool_size, strides, padding, steps):
    check_against_keras(name, (2, steps, 3), pool_size=pool_size, strides=strides, padding=padding)


@pytest.mark.parametrize("name", ["MaxPooling1D", "AveragePooling1D", "MaxPooling2D", "AveragePooling2D"])
def test_pooling_compiles(name):
    shape = (2, 9, 3) if name.endswith("1D") else (2, 9, 8, 3)
    check_against_keras(name, shape, check_compile=True, pool_size=3, strides=2, padding="same")


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("name", ["MaxPooling1D", "AveragePooling1D", "MaxPooling2D", "AveragePooling2D"])
def test_pooling_channels_first_matches_keras(name, padding):
    shape = (2, 3, 9) if name.endswith("1D") else (2, 3, 9, 8)
    check_against_keras(name, shape, pool_size=2, strides=2, padding=padding, data_format="channels_first")
    check_against_keras(name, shape, pool_size=3, strides=1, padding=padding, data_format="channels_first")


def test_pooling_global_channels_first():
    config.set_image_data_format("channels_first")
    try:
        layer = MaxPooling2D()
    finally:
        config.set_image_data_format("channels_last")
    assert layer.data_format == "channels_first"
    assert layer(torch.zeros(2, 3, 8, 6)).shape == (2, 3, 4, 3)


def test_pooling_strides_default_to_pool_size():
    layer = MaxPooling2D((3, 2))
    assert layer.strides == (3, 2) and layer.get_config()["strides"] == (3, 2)
    assert layer(torch.zeros(1, 9, 8, 2)).shape == (1, 3, 4, 2)
    assert AveragePooling1D().strides == (2,)


def test_average_pooling_same_border_follows_keras_torch_backend():
    x = torch.arange(1.0, 7.0).reshape(1, 6, 1)

    def pooled(pool_size, strides):
        return AveragePooling1D(pool_size, strides, padding="same")(x).flatten().tolist()

    # Symmetric padding is left out of the mean (as in TensorFlow) ...
    np.testing.assert_allclose(pooled(3, 1), [1.5, 2, 3, 4, 5, 5.5])
    # ... asymmetric padding repeats the edge values, and they count (TensorFlow gives 5.5 and 2.0).
    np.testing.assert_allclose(pooled(3, 2), [2, 4, 17 / 3], rtol=1e-6)
    np.testing.assert_allclose(pooled(4, 1)[0], 1.75)


def test_max_pooling_same_padding_never_wins():
    x = -torch.arange(1.0, 10.0).reshape(1, 3, 3, 1)
    out = MaxPooling2D(3, strides=1, padding="same")(x)[0, :, :, 0]
    assert out.tolist() == [[-1.0, -1.0, -2.0], [-1.0, -1.0, -2.0], [-4.0, -4.0, -5.0]]
    out = MaxPooling2D(2, strides=1, padding="same")(x)[0, :, :, 0]  # asymmetric: padded at the end
    assert out.tolist() == [[-1.0, -2.0, -3.0], [-4.0, -5.0, -6.0], [-7.0, -8.0, -9.0]]


@pytest.mark.parametrize("layer", [MaxPooling2D(2), AveragePooling2D(3, 1, "same"), MaxPooling1D(2),
                                   AveragePooling1D(3, 2, "same")])
def test_pooling_channels_last_makes_no_copies(layer):
    x = torch.randn(2, 9, 16) if layer.rank == 1 else torch.randn(2, 8, 8, 16)
    layer(x)
    with torch.profiler.profile() as profile:
        out = layer(x)
    copies = {"aten::copy_", "aten::clone", "aten::contiguous", "aten::_to_copy"}
    assert not copies & {event.name for event in profile.events()}
    assert out.is_contiguous()


def test_pooling_symbolic_shapes():
    assert MaxPooling2D(2)(layers.Input((None, 9, 3))).shape == (None, None, 4, 3)
    assert AveragePooling2D(3, 2, "same")(layers.Input((9, 8, 3))).shape == (None, 5, 4, 3)
    assert MaxPooling1D(3, 2)(layers.Input((10, 4))).shape == (None, 4, 4)
    layer = AveragePooling1D(2, data_format="channels_first")
    assert layer.compute_output_shape((None, 4, 7)) == (None, 4, 3)


@pytest.mark.parametrize(
    "cls, kwargs, message",
    [
        (MaxPooling2D, {"pool_size": 0},
         r"MaxPooling2D 'p': pool_size must be a positive int or a tuple of 2 positive ints; "
         r"received pool_size=0"),
        (MaxPooling2D, {"pool_size": (2, 2, 2)}, r"received pool_size=\(2, 2, 2\)"),
        (AveragePooling1D, {"strides": (1, 1)}, r"AveragePooling1D 'p': strides must be a positive int; "
         r"received strides=\(1, 1\)"),
        (AveragePooling2D, {"padding": "causal"}, r"padding must be one of \('valid', 'same'\); "
         r"received padding='causal'"),
        (MaxPooling1D, {"data_format": "NCW"}, r"MaxPooling1D 'p': data_format must be one of"),
    ],
)
def test_pooling_rejects_bad_arguments(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(name="p", **kwargs)


def test_pooling_rejects_inputs_smaller_than_the_window():
    with pytest.raises(ValueError, match=r"MaxPooling2D 'tiny': the input is smaller than pool_size=\(3, 3\) "
                       r".*received input shape \(None, 2, 8, 3\)"):
        MaxPooling2D(3, name="tiny")(layers.Input((2, 8, 3)))
    assert MaxPooling2D(3, padding="same")(layers.Input((2, 8, 3))).shape == (None, 1, 3, 3)
    with pytest.raises(ValueError, match=r"'rank' \(MaxPooling1D\) is incompatible: expected ndim=3"):
        MaxPooling1D(name="rank")(layers.Input((8, 8, 3)))
