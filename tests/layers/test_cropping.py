import pytest
import torch

from fitorch import config, layers
from fitorch.layers import reshaping
from fitorch.layers.reshaping import Cropping1D, Cropping2D, Cropping3D
from tests.layers.harness import keras, run_layer_test


def check_against_keras(name, input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: getattr(reshaping, name)(**kwargs),
        input_shape,
        lambda: getattr(keras().layers, name)(**kwargs),
        check_compile=check_compile,
    )


@pytest.mark.parametrize("cropping", [1, (0, 2), (3, 0), (0, 0)])
def test_cropping1d_matches_keras(cropping):
    check_against_keras("Cropping1D", (2, 7, 3), cropping=cropping)


@pytest.mark.parametrize("cropping", [2, (1, 2), ((1, 0), (0, 3)), ((0, 0), (2, 1))])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_cropping2d_matches_keras(cropping, data_format):
    check_against_keras("Cropping2D", (2, 6, 7, 8), cropping=cropping, data_format=data_format)


@pytest.mark.parametrize("cropping", [1, (1, 0, 2), ((1, 0), (0, 2), (1, 1))])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_cropping3d_matches_keras(cropping, data_format):
    check_against_keras("Cropping3D", (2, 5, 6, 7, 6), cropping=cropping, data_format=data_format)


def test_cropping_compiles():
    check_against_keras("Cropping2D", (2, 6, 7, 3), check_compile=True, cropping=((1, 2), (0, 1)))


def test_cropping_defaults_and_attributes_follow_keras():
    assert Cropping1D().cropping == (1, 1)
    assert Cropping2D().cropping == ((0, 0), (0, 0))
    assert Cropping2D((1, 2)).cropping == ((1, 1), (2, 2))
    assert Cropping3D().cropping == ((1, 1), (1, 1), (1, 1))
    assert "data_format" not in Cropping1D().get_config()
    config.set_image_data_format("channels_first")
    try:
        assert Cropping1D()(torch.zeros(2, 5, 3)).shape == (2, 3, 3)  # always the time axis
        assert Cropping2D(1)(torch.zeros(2, 3, 5, 6)).shape == (2, 3, 3, 4)
    finally:
        config.set_image_data_format("channels_last")


def test_cropping_is_a_view():
    x = torch.randn(2, 6, 7, 3)
    out = Cropping2D(((1, 2), (3, 0)))(x)
    assert out.data_ptr() == x[:, 1:, 3:].data_ptr() and torch.equal(out, x[:, 1:4, 3:, :])


def test_cropping_symbolic_shapes():
    assert Cropping2D(((1, 2), (3, 0)))(layers.Input((None, 9, 3))).shape == (None, None, 6, 3)
    assert Cropping1D((2, 3))(layers.Input((10, 4))).shape == (None, 5, 4)
    layer = Cropping3D(1, data_format="channels_first")
    assert layer.compute_output_shape((None, 4, 5, None, 7)) == (None, 4, 3, None, 5)


@pytest.mark.parametrize(
    "cls, cropping, message",
    [
        (Cropping1D, -1, r"Cropping1D 'c': cropping must be a non-negative int or a tuple of 2 non-negative ints "
         r"\(before, after\); received cropping=-1"),
        (Cropping1D, (1, 2, 3), r"received cropping=\(1, 2, 3\)"),
        (Cropping2D, -2, r"Cropping2D 'c': cropping must be a non-negative int, or a tuple of 2 entries"),
        (Cropping2D, ((1, 2), (3,)), r"received cropping=\(\(1, 2\), \(3,\)\)"),
        (Cropping2D, (1, 2, 3), r"received cropping=\(1, 2, 3\)"),
        (Cropping3D, ((1, 1), (1, -1), 0), r"Cropping3D 'c': cropping must be .* a tuple of 3 entries"),
        (Cropping3D, 1.5, r"received cropping=1.5"),
    ],
)
def test_cropping_rejects_bad_arguments(cls, cropping, message):
    with pytest.raises(ValueError, match=message):
        cls(cropping, name="c")


def test_cropping_rejects_crops_that_empty_an_axis():
    with pytest.raises(ValueError, match=r"Cropping2D 'big': cropping=\(\(2, 2\), \(0, 0\)\) would remove all of "
                       r"axis 1 \(size 4\) of inputs of shape \(None, 4, 8, 3\)"):
        Cropping2D(((2, 2), 0), name="big")(layers.Input((4, 8, 3)))
    layer = Cropping1D((1, 1), name="eager")
    layer(torch.zeros(1, 5, 2))
    with pytest.raises(ValueError, match=r"Cropping1D 'eager': cropping=\(1, 1\) would remove all of axis 1 \(size 2\)"):
        layer(torch.zeros(1, 2, 2))
    with pytest.raises(ValueError, match=r"'r' \(Cropping3D\) is incompatible: expected ndim=5, received ndim=4"):
        Cropping3D(name="r")(layers.Input((8, 8, 3)))
