import pytest
import torch

from fitorch import layers
from fitorch.layers import reshaping
from fitorch.layers.reshaping import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D
from tests.layers.harness import keras, run_layer_test


def check_against_keras(name, input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: getattr(reshaping, name)(**kwargs),
        input_shape,
        lambda: getattr(keras().layers, name)(**kwargs),
        check_compile=check_compile,
    )


@pytest.mark.parametrize("padding", [1, (0, 2), (3, 1)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_zero_padding1d_matches_keras(padding, data_format):
    check_against_keras("ZeroPadding1D", (2, 5, 3), padding=padding, data_format=data_format)


@pytest.mark.parametrize("padding", [2, (1, 2), ((1, 0), (0, 3)), ((0, 2), 1)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_zero_padding2d_matches_keras(padding, data_format):
    check_against_keras("ZeroPadding2D", (2, 4, 5, 3), padding=padding, data_format=data_format)


@pytest.mark.parametrize("padding", [1, (1, 0, 2), ((1, 0), (0, 2), (1, 1))])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_zero_padding3d_matches_keras(padding, data_format):
    check_against_keras("ZeroPadding3D", (2, 3, 4, 5, 2), padding=padding, data_format=data_format)


def test_zero_padding_compiles_and_keeps_channels_last_contiguous():
    layer = check_against_keras("ZeroPadding2D", (2, 4, 5, 3), check_compile=True, padding=((0, 1), (2, 0)))
    assert layer(torch.randn(2, 4, 5, 3)).is_contiguous()


def test_zero_padding_defaults_and_shapes():
    assert ZeroPadding1D().padding == (1, 1)
    assert ZeroPadding2D().padding == ((1, 1), (1, 1))
    assert ZeroPadding2D((1, 2)).padding == ((1, 1), (2, 2))
    assert ZeroPadding3D().padding == ((1, 1), (1, 1), (1, 1))
    assert ZeroPadding2D(((1, 2), 0))(layers.Input((None, 9, 3))).shape == (None, None, 9, 3)
    layer = ZeroPadding3D(1, data_format="channels_first")
    assert layer.compute_output_shape((None, 4, 5, None, 7)) == (None, 4, 7, None, 9)


@pytest.mark.parametrize(
    "cls, padding, message",
    [
        (ZeroPadding1D, -1, r"ZeroPadding1D 'z': padding must be a non-negative int or a tuple of 2 non-negative "
         r"ints \(before, after\); received padding=-1"),
        (ZeroPadding2D, ((1, 2), (3, 4), (5, 6)), r"ZeroPadding2D 'z': padding must be a non-negative int, or a "
         r"tuple of 2 entries"),
        (ZeroPadding3D, (1, 2), r"ZeroPadding3D 'z': .*received padding=\(1, 2\)"),
        (ZeroPadding2D, "same", r"received padding='same'"),
    ],
)
def test_zero_padding_rejects_bad_arguments(cls, padding, message):
    with pytest.raises(ValueError, match=message):
        cls(padding, name="z")


def test_zero_padding_rejects_inputs_of_the_wrong_rank():
    with pytest.raises(ValueError, match=r"'z' \(ZeroPadding2D\) is incompatible: expected ndim=4, received ndim=3"):
        ZeroPadding2D(name="z")(layers.Input((8, 3)))
