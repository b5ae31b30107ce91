import pytest
import torch
from torch import nn

from fitorch import layers
from fitorch.layers import convolutional
from fitorch.layers.convolutional import DepthwiseConv2D, SeparableConv1D, SeparableConv2D
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
def test_separable_conv2d_matches_keras(padding, strides, depth_multiplier):
    layer = check_against_keras("SeparableConv2D", (2, 7, 8, 3), filters=5, kernel_size=3, strides=strides,
                                padding=padding, depth_multiplier=depth_multiplier)
    assert [tuple(w.shape) for w in layer.get_weights()] == [(3, 3, 3, depth_multiplier),
                                                             (1, 1, 3 * depth_multiplier, 5), (5,)]


@pytest.mark.parametrize("depth_multiplier", [1, 2])
@pytest.mark.parametrize("strides", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_separable_conv1d_matches_keras(padding, strides, depth_multiplier):
    check_against_keras("SeparableConv1D", (2, 10, 3), filters=4, kernel_size=4, strides=strides, padding=padding,
                        depth_multiplier=depth_multiplier)


@pytest.mark.parametrize("name, shape", [("SeparableConv1D", (2, 12, 3)), ("SeparableConv2D", (2, 9, 10, 3))])
def test_separable_conv_dilation_matches_keras(name, shape):
    check_against_keras(name, shape, filters=4, kernel_size=3, dilation_rate=2, padding="same")


@pytest.mark.parametrize("name, shape", [("SeparableConv1D", (2, 3, 9)), ("SeparableConv2D", (2, 3, 7, 8))])
def test_separable_conv_channels_first_matches_keras(name, shape):
    check_against_keras(name, shape, filters=4, kernel_size=3, strides=2, padding="same", depth_multiplier=2,
                        data_format="channels_first")


def test_separable_conv_activation_without_bias_compiles_and_matches_keras():
    layer = check_against_keras("SeparableConv2D", (2, 6, 6, 4), check_compile=True, filters=3, kernel_size=3,
                                activation="tanh", use_bias=False)
    assert layer.bias is None and len(layer.get_weights()) == 2


def test_separable_conv2d_is_depthwise_then_pointwise():
    layer = SeparableConv2D(6, 3, strides=2, padding="same", depth_multiplier=2, data_format="channels_first")
    x = torch.randn(2, 4, 9, 9)
    out = layer(x)
    depthwise = DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2, use_bias=False,
                                data_format="channels_first")
    depthwise(x)
    depthwise.set_weights(layer.get_weights()[:1])
    pointwise = nn.Conv2d(8, 6, 1)  # the pointwise weight is an nn.Conv2d 1 x 1 kernel
    pointwise.load_state_dict({"weight": layer.pointwise_weight, "bias": layer.bias})
    torch.testing.assert_close(pointwise(depthwise(x)), out)


def test_separable_conv_symbolic_shapes():
    assert SeparableConv2D(8, 3)(layers.Input((10, 9, 3))).shape == (None, 8, 7, 8)
    assert SeparableConv1D(8, 3, strides=2, padding="same")(layers.Input((None, 5))).shape == (None, None, 8)
    layer = SeparableConv2D(8, 3, data_format="channels_first")
    assert layer.compute_output_shape((None, 4, None, 9)) == (None, 8, None, 7)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"filters": 0, "kernel_size": 3}, r"SeparableConv2D 's': filters must be a positive int; received filters=0"),
        ({"filters": 4, "kernel_size": 3, "depth_multiplier": -1},
         r"depth_multiplier must be a positive int; received depth_multiplier=-1"),
        ({"filters": 4, "kernel_size": 3, "strides": (1, 0)}, r"received strides=\(1, 0\)"),
        ({"filters": 4, "kernel_size": 3, "activation": "nope"}, r"Unknown activation: 'nope'"),
    ],
)
def test_separable_conv_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SeparableConv2D(name="s", **kwargs)


def test_separable_conv_rejects_bad_inputs():
    with pytest.raises(ValueError, match=r"SeparableConv2D 'small': the input is too small for kernel_size=\(3, 3\)"):
        SeparableConv2D(4, 3, name="small")(layers.Input((2, 8, 3)))
    with pytest.raises(ValueError, match=r"'rank' \(SeparableConv1D\) is incompatible: expected ndim=3"):
        SeparableConv1D(4, 3, name="rank")(layers.Input((8, 8, 3)))
