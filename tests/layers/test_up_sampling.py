import pytest
import torch

from fitorch import config, layers
from fitorch.layers import reshaping
from fitorch.layers.reshaping import UpSampling1D, UpSampling2D, UpSampling3D
from tests.layers.harness import keras, run_layer_test


def check_against_keras(name, input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: getattr(reshaping, name)(**kwargs),
        input_shape,
        lambda: getattr(keras().layers, name)(**kwargs),
        check_compile=check_compile,
    )


@pytest.mark.parametrize("size", [1, 2, 3])
def test_up_sampling1d_matches_keras(size):
    check_against_keras("UpSampling1D", (2, 5, 3), size=size)


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic"])
@pytest.mark.parametrize("size", [2, (2, 3), (3, 1)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_up_sampling2d_matches_keras(data_format, size, interpolation):
    check_against_keras("UpSampling2D", (2, 4, 5, 3), size=size, data_format=data_format,
                        interpolation=interpolation)


@pytest.mark.parametrize("size", [2, (1, 2, 3)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_up_sampling3d_matches_keras(data_format, size):
    check_against_keras("UpSampling3D", (2, 3, 4, 2, 3), size=size, data_format=data_format)


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_up_sampling2d_compiles(interpolation):
    check_against_keras("UpSampling2D", (2, 4, 5, 3), check_compile=True, size=2, interpolation=interpolation)


def test_up_sampling_nearest_repeats_values():
    x = torch.tensor([[[1.0, 2.0], [3.0, 4.0]]]).unsqueeze(-1)  # (1, 2, 2, 1)
    out = UpSampling2D((1, 2))(x)[0, :, :, 0]
    assert out.tolist() == [[1.0, 1.0, 2.0, 2.0], [3.0, 3.0, 4.0, 4.0]]
    assert torch.equal(UpSampling3D(2)(torch.arange(2.0).reshape(1, 1, 1, 2, 1)).flatten(),
                       torch.tensor([0.0, 0.0, 1.0, 1.0] * 4))


def test_up_sampling_keeps_channels_last_contiguous():
    for interpolation in ("nearest", "bilinear"):
        out = UpSampling2D(2, interpolation=interpolation)(torch.randn(2, 4, 5, 8))
        assert out.is_contiguous(), interpolation


def test_up_sampling_defaults_and_shapes():
    assert UpSampling1D().size == 2 and UpSampling2D().size == (2, 2) and UpSampling3D().size == (2, 2, 2)
    assert UpSampling2D(interpolation="BILINEAR").interpolation == "bilinear"
    assert "data_format" not in UpSampling1D().get_config()
    assert "interpolation" not in UpSampling3D().get_config()
    assert UpSampling2D((2, 3))(layers.Input((None, 5, 3))).shape == (None, None, 15, 3)
    assert UpSampling1D(4)(layers.Input((None, 3))).shape == (None, None, 3)
    config.set_image_data_format("channels_first")
    try:
        assert UpSampling1D()(torch.zeros(1, 3, 2)).shape == (1, 6, 2)  # always the time axis
        assert UpSampling3D(2)(torch.zeros(1, 2, 1, 2, 3)).shape == (1, 2, 2, 4, 6)
    finally:
        config.set_image_data_format("channels_last")


@pytest.mark.parametrize(
    "cls, kwargs, message",
    [
        (UpSampling1D, {"size": 0}, r"UpSampling1D 'u': size must be a positive int; received size=0"),
        (UpSampling2D, {"size": (2, 2, 2)},
         r"UpSampling2D 'u': size must be a positive int or a tuple of 2 positive ints; received size=\(2, 2, 2\)"),
        (UpSampling2D, {"interpolation": "lanczos3"},
         r"UpSampling2D 'u': interpolation must be one of \('nearest', 'bilinear', 'bicubic'\); received "
         r"interpolation='lanczos3'"),
        (UpSampling3D, {"size": 1.5}, r"received size=1.5"),
        (UpSampling3D, {"data_format": "NDHWC"}, r"UpSampling3D 'u': data_format must be one of"),
    ],
)
def test_up_sampling_rejects_bad_arguments(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(name="u", **kwargs)


def test_up_sampling_rejects_inputs_of_the_wrong_rank():
    with pytest.raises(ValueError, match=r"'u' \(UpSampling3D\) is incompatible: expected ndim=5, received ndim=4"):
        UpSampling3D(name="u")(layers.Input((4, 4, 3)))
