import pytest
import torch
import torch.nn.functional as F
from torch import nn

from fitorch import layers
from fitorch.layers import convolutional
from fitorch.layers.convolutional import DepthwiseConv1D, DepthwiseConv2D
from tests.layers.harness import keras, run_layer_test


def check_against_keras(name, input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: getattr(convolutional, name)(**kwargs),
        input_shape,
        lambda: getattr(keras().layers, name)(**kwargs),
        check_compile=check_compile,
    )


@pytest.mark.parametrize("depth_multiplier", [1, 2])
@pytest.mark.parametrize("strides", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_depthwise_conv2d_matches_keras(padding, strides, depth_multiplier):
    layer = check_against_keras("DepthwiseConv2D", (2, 7, 8, 3), kernel_size=3, strides=strides, padding=padding,
                                depth_multiplier=depth_multiplier)
    assert layer.weight.shape == (3, depth_multiplier, 3, 3)
    assert layer.get_weights()[0].shape == (3, 3, 3, depth_multiplier)


@pytest.mark.parametrize("depth_multiplier", [1, 3])
@pytest.mark.parametrize("strides", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_depthwise_conv1d_matches_keras(padding, strides, depth_multiplier):
    check_against_keras("DepthwiseConv1D", (2, 9, 4), kernel_size=4, strides=strides, padding=padding,
                        depth_multiplier=depth_multiplier)


@pytest.mark.parametrize("name, shape", [("DepthwiseConv1D", (2, 12, 3)), ("DepthwiseConv2D", (2, 9, 10, 3))])
def test_depthwise_conv_dilation_and_strides_match_keras(name, shape):
    # Keras' depthwise convolutions (unlike Conv2D) accept strides > 1 with dilation_rate > 1.
    check_against_keras(name, shape, kernel_size=3, dilation_rate=2, strides=2, padding="same",
                        depth_multiplier=2)


@pytest.mark.parametrize("name, shape", [("DepthwiseConv1D", (2, 3, 9)), ("DepthwiseConv2D", (2, 3, 7, 8))])
def test_depthwise_conv_channels_first_matches_keras(name, shape):
    check_against_keras(name, shape, kernel_size=3, strides=2, padding="same", depth_multiplier=2,
                        data_format="channels_first")


def test_depthwise_conv_activation_without_bias_compiles_and_matches_keras():
    layer = check_against_keras("DepthwiseConv2D", (2, 6, 6, 4), check_compile=True, kernel_size=(3, 2),
                                depth_multiplier=2, activation="relu", use_bias=False, padding="same")
    assert layer.bias is None and len(layer.get_weights()) == 1


def test_depthwise_conv2d_state_dict_loads_into_a_grouped_nn_conv2d():
    layer = DepthwiseConv2D(3, strides=2, data_format="channels_first")
    x = torch.randn(2, 5, 9, 9)
    out = layer(x)
    conv = nn.Conv2d(5, 5, 3, stride=2, groups=5)
    conv.load_state_dict(layer.state_dict())  # depth_multiplier=1: the same shapes
    torch.testing.assert_close(conv(x), out)
    # depth_multiplier > 1: one reshape gives torch's grouped kernel
    layer = DepthwiseConv1D(3, depth_multiplier=2, data_format="channels_first")
    x = torch.randn(2, 4, 9)
    out = layer(x)
    torch.testing.assert_close(out, F.conv1d(x, layer.weight.reshape(8, 1, 3), layer.bias, groups=4))


def test_depthwise_conv_channels_last_runs_without_activation_copies():
    x = torch.randn(2, 8, 8, 16)
    layer = DepthwiseConv2D(3, padding="same")
    layer(x)
    with torch.profiler.profile() as profile:
        out = layer(x)
    copies = {"aten::copy_", "aten::clone", "aten::contiguous", "aten::_to_copy"}
    assert not copies & {event.name for event in profile.events()}
    assert out.is_contiguous()


def test_depthwise_conv_symbolic_shapes():
    assert DepthwiseConv2D(3, depth_multiplier=2)(layers.Input((10, 9, 3))).shape == (None, 8, 7, 6)
    assert DepthwiseConv1D(3, strides=2, padding="same")(layers.Input((None, 5))).shape == (None, None, 5)
    layer = DepthwiseConv2D(3, data_format="channels_first", depth_multiplier=3)
    assert layer.compute_output_shape((None, 4, None, 9)) == (None, 12, None, 7)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"kernel_size": 3, "depth_multiplier": 0},
         r"DepthwiseConv2D 'd': depth_multiplier must be a positive int; received depth_multiplier=0"),
        ({"kernel_size": (3, 3, 3)}, r"kernel_size must be a positive int or a tuple of 2 positive ints"),
        ({"kernel_size": 3, "padding": "causal"}, r"padding must be one of \('valid', 'same'\)"),
        ({"kernel_size": 3, "data_format": "NHWC"}, r"DepthwiseConv2D 'd': data_format must be one of"),
    ],
)
def test_depthwise_conv_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DepthwiseConv2D(name="d", **kwargs)


def test_depthwise_conv_rejects_small_inputs():
    with pytest.raises(ValueError, match=r"DepthwiseConv1D 'short': the input is too small for kernel_size=\(5,\)"):
        DepthwiseConv1D(5, name="short")(layers.Input((4, 3)))
