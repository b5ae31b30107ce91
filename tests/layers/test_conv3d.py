import pytest
import torch
import torch.nn.functional as F
from torch import nn

from fitorch import layers
from fitorch.layers.convolutional import Conv3D
from tests.layers.harness import keras, run_layer_test


def check_against_keras(input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: Conv3D(**kwargs),
        input_shape,
        lambda: keras().layers.Conv3D(**kwargs),
        check_compile=check_compile,
    )


@pytest.mark.parametrize("strides", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv3d_matches_keras(padding, strides):
    # odd and even sizes in one input: 'same' with stride 2 pads (1, 1) on 7 and (0, 1) on 6
    check_against_keras((2, 7, 6, 5, 3), filters=4, kernel_size=3, strides=strides, padding=padding)


@pytest.mark.parametrize(
    "kernel_size, strides, dilation_rate",
    [((2, 3, 4), 1, 1), ((3, 1, 2), (2, 1, 3), 1), (3, 1, (2, 1, 2))],
)
def test_conv3d_asymmetric_same_padding_and_dilation_match_keras(kernel_size, strides, dilation_rate):
    check_against_keras(
        (2, 7, 6, 8, 2), filters=3, kernel_size=kernel_size, strides=strides, dilation_rate=dilation_rate,
        padding="same",
    )


def test_conv3d_groups_without_bias_match_keras():
    layer = check_against_keras((2, 5, 5, 5, 4), filters=6, kernel_size=2, groups=2, use_bias=False,
                                activation="relu")
    assert layer.weight.shape == (6, 2, 2, 2, 2) and layer.bias is None
    assert layer.get_weights()[0].shape == (2, 2, 2, 2, 6)


@pytest.mark.parametrize("strides", [1, 2])
def test_conv3d_channels_first_matches_keras(strides):
    check_against_keras(
        (2, 3, 6, 7, 5), filters=4, kernel_size=3, strides=strides, padding="same", data_format="channels_first"
    )


def test_conv3d_compiles_and_matches_keras():
    check_against_keras((2, 6, 6, 6, 3), check_compile=True, filters=4, kernel_size=3, strides=2, padding="same")


def test_conv3d_state_dict_loads_into_nn_conv3d():
    layer = Conv3D(6, (3, 2, 2), strides=2, data_format="channels_first", groups=3)
    x = torch.randn(2, 3, 7, 6, 5)
    out = layer(x)
    conv = nn.Conv3d(3, 6, (3, 2, 2), stride=2, groups=3)
    conv.load_state_dict(layer.state_dict())
    torch.testing.assert_close(conv(x), out)


def test_conv3d_channels_last_feeds_the_input_to_the_kernel_without_copies(monkeypatch):
    seen = {}
    original = F.conv3d

    def spy(inputs, *args, **kwargs):
        seen["input"] = inputs
        seen["output"] = original(inputs, *args, **kwargs)
        return seen["output"]

    x = torch.randn(2, 6, 6, 6, 8)
    layer = Conv3D(4, 3, padding="same")
    layer(x)
    monkeypatch.setattr(F, "conv3d", spy)
    out = layer(x)
    assert seen["input"].data_ptr() == x.data_ptr()  # the NCDHW view of the user's NDHWC tensor
    assert seen["input"].is_contiguous(memory_format=torch.channels_last_3d)
    assert out.data_ptr() == seen["output"].data_ptr() and out.is_contiguous()


def test_conv3d_symbolic_shapes():
    assert Conv3D(8, 3)(layers.Input((10, 9, 8, 3))).shape == (None, 8, 7, 6, 8)
    assert Conv3D(8, 3, strides=2, padding="same")(layers.Input((None, 9, 8, 3))).shape == (None, None, 5, 4, 8)
    layer = Conv3D(8, 3, data_format="channels_first")
    assert layer.compute_output_shape((None, 3, 5, None, 9)) == (None, 8, 3, None, 7)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"filters": 0, "kernel_size": 3}, r"Conv3D 'c': filters must be a positive int; received filters=0"),
        ({"filters": 4, "kernel_size": (3, 3)},
         r"kernel_size must be a positive int or a tuple of 3 positive ints; received kernel_size=\(3, 3\)"),
        ({"filters": 4, "kernel_size": 3, "padding": "causal"},
         r"padding must be one of \('valid', 'same'\); received padding='causal'"),
        ({"filters": 4, "kernel_size": 3, "groups": 3},
         r"filters must be divisible by groups; received filters=4, groups=3"),
    ],
)
def test_conv3d_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv3D(name="c", **kwargs)


def test_conv3d_rejects_bad_inputs():
    with pytest.raises(ValueError, match=r"Conv3D 'small': the input is too small for kernel_size=\(3, 3, 3\) .*"
                       r"received input shape \(None, 8, 2, 8, 3\)"):
        Conv3D(4, 3, name="small")(layers.Input((8, 2, 8, 3)))
    with pytest.raises(ValueError, match=r"'rank' \(Conv3D\) is incompatible: expected ndim=5, received ndim=4"):
        Conv3D(4, 3, name="rank")(layers.Input((8, 8, 3)))
