import pytest
import torch
import torch.nn.functional as F
from torch import nn

from fitorch import config, layers
from fitorch.layers.convolutional import Conv1D
from tests.layers.harness import keras, run_layer_test


def check_against_keras(input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: Conv1D(**kwargs),
        input_shape,
        lambda: keras().layers.Conv1D(**kwargs),
        check_compile=check_compile,
    )


@pytest.mark.parametrize("steps", [9, 10])
@pytest.mark.parametrize("strides", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same", "causal"])
def test_conv1d_matches_keras(padding, strides, steps):
    check_against_keras((2, steps, 3), filters=4, kernel_size=3, strides=strides, padding=padding)


def test_conv1d_compiles_and_matches_keras():
    check_against_keras((2, 10, 3), check_compile=True, filters=4, kernel_size=4, strides=2, padding="same")


@pytest.mark.parametrize("padding", ["valid", "same", "causal"])
def test_conv1d_dilation_matches_keras(padding):
    check_against_keras((2, 12, 3), filters=4, kernel_size=3, dilation_rate=2, padding=padding)


def test_conv1d_even_kernel_same_padding_matches_keras():
    check_against_keras((2, 7, 3), filters=4, kernel_size=2, padding="same")


def test_conv1d_groups_match_keras():
    layer = check_against_keras((2, 8, 6), filters=9, kernel_size=3, groups=3, activation="tanh")
    assert layer.weight.shape == (9, 2, 3)
    assert layer.get_weights()[0].shape == (3, 2, 9)


@pytest.mark.parametrize("padding", ["same", "causal"])
def test_conv1d_channels_first_matches_keras(padding):
    check_against_keras(
        (2, 3, 9), filters=4, kernel_size=3, strides=2, padding=padding, data_format="channels_first"
    )


def test_conv1d_global_channels_first():
    config.set_image_data_format("channels_first")
    try:
        layer = Conv1D(4, 3, padding="causal")
    finally:
        config.set_image_data_format("channels_last")
    assert layer.data_format == "channels_first"
    assert layer(torch.zeros(2, 3, 10)).shape == (2, 4, 10)


def test_conv1d_causal_output_ignores_the_future():
    layer = Conv1D(2, 3, padding="causal", dilation_rate=2)
    x = torch.randn(1, 12, 3, requires_grad=True)
    layer(x)[0, 5].sum().backward()
    steps_used = x.grad[0].abs().sum(dim=1).nonzero().flatten().tolist()
    assert steps_used == [1, 3, 5]


def test_conv1d_state_dict_loads_into_nn_conv1d():
    layer = Conv1D(6, 3, strides=2, data_format="channels_first")
    x = torch.randn(2, 4, 11)
    out = layer(x)
    conv = nn.Conv1d(4, 6, 3, stride=2)
    conv.load_state_dict(layer.state_dict())
    torch.testing.assert_close(conv(x), out)


def test_conv1d_channels_last_runs_without_activation_copies(monkeypatch):
    x = torch.randn(2, 16, 8)
    layer = Conv1D(4, 3, padding="same")
    out = layer(x)
    assert out.is_contiguous()
    seen = {}
    original = F.conv2d

    def spy(inputs, *args, **kwargs):
        seen["input"] = inputs
        return original(inputs, *args, **kwargs)

    monkeypatch.setattr(F, "conv2d", spy)
    layer(x)
    # (B, T, C) runs as a (B, C, 1, T) channels_last view of the same memory.
    assert seen["input"].shape == (2, 8, 1, 16) and seen["input"].data_ptr() == x.data_ptr()
    assert seen["input"].is_contiguous(memory_format=torch.channels_last)


def test_conv1d_symbolic_shapes():
    inputs = layers.Input((None, 8))
    assert Conv1D(4, 3, strides=2, padding="causal")(inputs).shape == (None, None, 4)
    assert Conv1D(4, 3)(layers.Input((10, 8))).shape == (None, 8, 4)
    assert Conv1D(4, 3, strides=3, padding="same")(layers.Input((10, 8))).shape == (None, 4, 4)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"filters": 0, "kernel_size": 3}, r"Conv1D 'c': filters must be a positive int; received filters=0"),
        ({"filters": 4, "kernel_size": (3, 3)},
         r"kernel_size must be a positive int; received kernel_size=\(3, 3\)"),
        ({"filters": 4, "kernel_size": 3, "padding": "full"},
         r"padding must be one of \('valid', 'same', 'causal'\); received padding='full'"),
        ({"filters": 4, "kernel_size": 3, "dilation_rate": -2}, r"received dilation_rate=-2"),
        ({"filters": 4, "kernel_size": 3, "groups": 0}, r"groups must be a positive int; received groups=0"),
    ],
)
def test_conv1d_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv1D(name="c", **kwargs)


def test_conv1d_rejects_inputs_shorter_than_the_kernel():
    with pytest.raises(ValueError, match=r"Conv1D 'short': the input is too small for kernel_size=\(5,\) .*"
                       r"expected spatial sizes >= \(5,\), received input shape \(None, 4, 3\)"):
        Conv1D(2, 5, name="short")(layers.Input((4, 3)))
    assert Conv1D(2, 5, padding="causal")(layers.Input((4, 3))).shape == (None, 4, 2)
