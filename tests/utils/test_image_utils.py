"""load_img / img_to_array / array_to_img / save_img against Keras' own functions (torch backend, Pillow)."""

import io

import keras
import numpy as np
import pytest

import fitorch


@pytest.fixture
def picture(tmp_path):
    pixels = np.random.default_rng(0).integers(0, 256, size=(13, 21, 3)).astype("uint8")
    path = tmp_path / "picture.png"
    keras.utils.save_img(str(path), pixels, scale=False)
    return path


@pytest.mark.parametrize("color_mode", ["rgb", "rgba", "grayscale"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic", "lanczos", "box", "hamming"])
@pytest.mark.parametrize("keep_aspect_ratio", [False, True])
def test_load_img_matches_keras(picture, color_mode, interpolation, keep_aspect_ratio):
    kwargs = dict(color_mode=color_mode, target_size=(8, 5), interpolation=interpolation,
                  keep_aspect_ratio=keep_aspect_ratio)  # fmt: skip
    ours = fitorch.utils.img_to_array(fitorch.utils.load_img(picture, **kwargs))
    theirs = keras.utils.img_to_array(keras.utils.load_img(picture, **kwargs))
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def test_load_img_from_str_bytes_and_buffer(picture):
    expected = keras.utils.img_to_array(keras.utils.load_img(str(picture)))
    for source in (str(picture), str(picture).encode(), io.BytesIO(picture.read_bytes())):
        np.testing.assert_array_equal(fitorch.utils.img_to_array(fitorch.utils.load_img(source)), expected)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("scale", [True, False])
def test_array_to_img_and_back_match_keras(data_format, channels, scale):
    x = np.random.default_rng(channels).uniform(0, 300 if channels == 1 else 255, size=(6, 7, channels))
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    ours = fitorch.utils.array_to_img(x.copy(), data_format=data_format, scale=scale)
    theirs = keras.utils.array_to_img(x.copy(), data_format=data_format, scale=scale)
    assert ours.mode == theirs.mode and ours.size == theirs.size
    np.testing.assert_array_equal(
        fitorch.utils.img_to_array(ours, data_format=data_format, dtype="float64"),
        keras.utils.img_to_array(theirs, data_format=data_format, dtype="float64"),
    )


@pytest.mark.parametrize("suffix", ["png", "jpg", "bmp"])
def test_save_img_matches_keras(tmp_path, suffix):
    x = np.random.default_rng(1).uniform(0, 1, size=(9, 5, 4 if suffix == "png" else 3))
    fitorch.utils.save_img(str(tmp_path / f"ours.{suffix}"), x)
    keras.utils.save_img(str(tmp_path / f"theirs.{suffix}"), x)
    assert (tmp_path / f"ours.{suffix}").read_bytes() == (tmp_path / f"theirs.{suffix}").read_bytes()


def test_bad_arguments_are_named(picture):
    with pytest.raises(ValueError, match="load_img: color_mode"):
        fitorch.utils.load_img(picture, color_mode="cmyk")
    with pytest.raises(ValueError, match="load_img: interpolation"):
        fitorch.utils.load_img(picture, target_size=(2, 2), interpolation="cubic")
    with pytest.raises(TypeError, match="load_img: path"):
        fitorch.utils.load_img(3)
    with pytest.raises(ValueError, match="array_to_img: expected a 3D array"):
        fitorch.utils.array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="array_to_img: expected 1, 3 or 4 channels"):
        fitorch.utils.array_to_img(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="img_to_array: data_format"):
        fitorch.utils.img_to_array(fitorch.utils.load_img(picture), data_format="nhwc")
