import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from fitorch import config, initializers, layers
from fitorch.layers.convolutional import Conv2D
from fitorch.layers.convolutional.padding import same_padding
from fitorch.layers.pooling import MaxPooling2D
from tests.layers.harness import keras, run_layer_test


def check_against_keras(input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: Conv2D(**kwargs),
        input_shape,
        lambda: keras().layers.Conv2D(**kwargs),
        check_compile=check_compile,
    )


@pytest.fixture
def channels_first_default():
    config.set_image_data_format("channels_first")
    yield
    config.set_image_data_format("channels_last")


@pytest.mark.parametrize("size", [7, 8])
@pytest.mark.parametrize("strides", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_matches_keras(padding, strides, size):
    check_against_keras((2, size, size, 3), filters=4, kernel_size=3, strides=strides, padding=padding)


@pytest.mark.parametrize(
    "kernel_size, strides, shape",
    [
        (2, 1, (2, 6, 6, 3)),  # an even kernel pads one position, at the end
        (4, 1, (2, 6, 6, 3)),
        ((3, 4), (2, 1), (2, 7, 8, 3)),  # asymmetric on one axis only
        ((1, 5), (3, 2), (2, 10, 8, 3)),  # stride > kernel on the first axis
    ],
)
def test_conv2d_asymmetric_same_padding_matches_keras(kernel_size, strides, shape):
    check_against_keras(shape, filters=5, kernel_size=kernel_size, strides=strides, padding="same")


def test_conv2d_same_padding_compiles_and_matches_keras():
    check_against_keras((2, 8, 8, 3), check_compile=True, filters=4, kernel_size=3, strides=2, padding="same")


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_dilation_matches_keras(padding):
    check_against_keras((2, 9, 10, 3), filters=4, kernel_size=3, dilation_rate=(2, 3), padding=padding)


def test_conv2d_groups_match_keras():
    layer = check_against_keras((2, 6, 6, 4), filters=6, kernel_size=3, groups=2, padding="same")
    assert layer.weight.shape == (6, 2, 3, 3)
    assert layer.get_weights()[0].shape == (3, 3, 2, 6)


def test_conv2d_activation_without_bias_matches_keras():
    layer = check_against_keras((2, 6, 6, 3), filters=4, kernel_size=2, activation="relu", use_bias=False)
    assert layer.bias is None and len(layer.get_weights()) == 1


@pytest.mark.parametrize("strides", [1, 2])
def test_conv2d_channels_first_matches_keras(strides):
    check_against_keras(
        (2, 3, 7, 8), filters=4, kernel_size=3, strides=strides, padding="same", data_format="channels_first"
    )


def test_conv2d_global_channels_first(channels_first_default):
    layer = Conv2D(4, 3)
    assert layer.data_format == "channels_first"
    assert layer(torch.zeros(2, 3, 8, 8)).shape == (2, 4, 6, 6)
    run_layer_test(
        lambda: Conv2D(4, 3, padding="same"),
        (2, 3, 7, 7),
        lambda: keras().layers.Conv2D(4, 3, padding="same", data_format="channels_first"),
        check_compile=False,
    )


def test_conv2d_state_dict_loads_into_nn_conv2d():
    layer = Conv2D(6, (3, 2), strides=2, padding="valid", data_format="channels_first", groups=3)
    x = torch.randn(2, 3, 9, 9)
    out = layer(x)
    conv = nn.Conv2d(3, 6, (3, 2), stride=2, groups=3)
    conv.load_state_dict(layer.state_dict())
    torch.testing.assert_close(conv(x), out)


def test_conv2d_strides_with_dilation_match_torch():
    # Keras rejects strides > 1 together with dilation_rate > 1; torch and fitorch allow it.
    layer = Conv2D(4, 3, strides=2, dilation_rate=2, padding="same", data_format="channels_first")
    x = torch.randn(2, 3, 9, 10)
    out = layer(x)
    pads = [same_padding(size, 3, 2, 2) for size in (9, 10)]
    padded = F.pad(x, (*pads[1], *pads[0]))
    expected = F.conv2d(padded, layer.weight, layer.bias, stride=2, dilation=2)
    torch.testing.assert_close(out, expected)
    assert out.shape == layer.compute_output_shape((2, 3, 9, 10))


def test_conv2d_keras_default_initializers():
    layer = Conv2D(32, 3)
    layer(torch.zeros(1, 8, 8, 16))
    limit = np.sqrt(6 / (9 * 16 + 9 * 32))  # glorot_uniform with Keras' receptive-field fans
    assert limit * 0.9 < float(layer.weight.detach().abs().max()) <= limit
    assert torch.count_nonzero(layer.bias) == 0


# ---------------------------------------------------------------- copy-free channels_last
def _copied_shapes(fn):
    with torch.profiler.profile(record_shapes=True) as profile:
        fn()
    copies = ("aten::copy_", "aten::clone", "aten::contiguous", "aten::_to_copy")
    return [tuple(e.input_shapes[0]) for e in profile.events() if e.name in copies]


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_channels_last_output_is_contiguous(padding):
    for size in (8, 9):  # 'same' with stride 2 is symmetric for 9, asymmetric for 8
        x = torch.randn(2, size, size, 16)
        out = Conv2D(8, 3, strides=2, padding=padding, activation="relu")(x)
        assert out.is_contiguous()


def test_conv2d_channels_last_feeds_the_input_to_the_kernel_without_copies(monkeypatch):
    seen = {}
    original = F.conv2d

    def spy(inputs, *args, **kwargs):
        seen["input"] = inputs
        seen["output"] = original(inputs, *args, **kwargs)
        return seen["output"]

    x = torch.randn(2, 8, 8, 16)
    layer = Conv2D(8, 3, padding="same")
    layer(x)
    monkeypatch.setattr(F, "conv2d", spy)
    out = layer(x)
    assert seen["input"].data_ptr() == x.data_ptr()  # the NCHW view of the user's NHWC tensor
    assert seen["input"].is_contiguous(memory_format=torch.channels_last)
    assert out.data_ptr() == seen["output"].data_ptr() and out.is_contiguous()  # permuted back for free
    # Only the (small) weight is reordered by the kernel; no activation-sized tensor is copied.
    assert set(_copied_shapes(lambda: layer(x))) <= {tuple(layer.weight.shape)}
    layer.to(memory_format=torch.channels_last)  # torch's own switch for channels_last weights
    assert _copied_shapes(lambda: layer(x)) == []


# ---------------------------------------------------------------- shapes
def test_conv2d_symbolic_shapes_match_keras():
    inputs = layers.Input((32, 32, 3))
    x = Conv2D(64, (3, 3))(inputs)
    assert x.shape == (None, 30, 30, 64)
    x = Conv2D(64, (3, 3))(x)
    assert x.shape == (None, 28, 28, 64)
    x = MaxPooling2D((2, 2), strides=(2, 2))(x)
    assert x.shape == (None, 14, 14, 64)


def test_conv2d_unknown_dims_propagate():
    out = Conv2D(8, 3, strides=2, padding="same")(layers.Input((None, 9, 3)))
    assert out.shape == (None, None, 5, 8)
    layer = Conv2D(8, 3, data_format="channels_first")
    assert layer.compute_output_shape((None, 3, None, 9)) == (None, 8, None, 7)


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"filters": -1, "kernel_size": 3},
         r"Conv2D 'c': filters must be a positive int; received filters=-1"),
        ({"filters": 4, "kernel_size": 3, "padding": "foo"},
         r"padding must be one of \('valid', 'same'\); received padding='foo'"),
        ({"filters": 4, "kernel_size": 3, "padding": "causal"}, r"received padding='causal'"),
        ({"filters": 4, "kernel_size": (3, 3, 3)},
         r"kernel_size must be a positive int or a tuple of 2 positive ints; "
         r"received kernel_size=\(3, 3, 3\)"),
        ({"filters": 4, "kernel_size": 3, "strides": 0}, r"strides must be .*; received strides=0"),
        ({"filters": 4, "kernel_size": 3, "groups": 3},
         r"filters must be divisible by groups; received filters=4, groups=3"),
        ({"filters": 4, "kernel_size": 3, "data_format": "NHWC"}, r"Conv2D 'c': data_format must be one of"),
    ],
)
def test_conv2d_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2D(name="c", **kwargs)


def test_conv2d_rejects_groups_not_dividing_the_channels():
    with pytest.raises(ValueError, match=r"Conv2D 'g': the input channels must be divisible by groups=2; "
                       r"received 3 channels \(input shape \(None, 8, 8, 3\)\)"):
        Conv2D(4, 3, groups=2, name="g")(layers.Input((8, 8, 3)))


def test_conv2d_rejects_inputs_smaller_than_the_kernel_at_definition():
    with pytest.raises(ValueError, match=r"Conv2D 'small': the input is too small for kernel_size=\(3, 3\) .*"
                       r"expected spatial sizes >= \(3, 3\), received input shape \(None, 2, 5, 3\)"):
        Conv2D(4, 3, name="small")(layers.Input((2, 5, 3)))
    with pytest.raises(ValueError, match=r"expected spatial sizes >= \(5, 5\)"):
        Conv2D(4, 3, dilation_rate=2, name="small2")(layers.Input((4, 9, 3)))


def test_conv2d_rejects_wrong_rank_and_channels():
    with pytest.raises(ValueError, match=r"'r' \(Conv2D\) is incompatible: expected ndim=4, received ndim=3"):
        Conv2D(4, 3, name="r")(layers.Input((8, 3)))
    layer = Conv2D(4, 3, name="ch")
    layer(layers.Input((8, 8, 3)))
    with pytest.raises(ValueError, match=r"'ch' \(Conv2D\) is incompatible: expected last axis = 3, "
                       r"received shape \(None, 8, 8, 5\)"):
        layer(layers.Input((8, 8, 5)))


def test_conv2d_config_round_trips_initializer_objects_through_json():
    layer = Conv2D(4, 3, kernel_initializer=initializers.HeNormal(seed=1), bias_initializer="ones")
    config_dict = json.loads(json.dumps(layer.get_config()))
    rebuilt = Conv2D.from_config(config_dict)
    assert json.loads(json.dumps(rebuilt.get_config())) == config_dict
    x = torch.zeros(1, 5, 5, 2)
    layer(x), rebuilt(x)
    torch.testing.assert_close(layer.weight, rebuilt.weight)
    with pytest.raises(ValueError, match="Unknown initializer: 'glorot_unifrom'"):
        Conv2D(4, 3, kernel_initializer="glorot_unifrom")
