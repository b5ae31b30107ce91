import itertools

import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.preprocessing import Resizing
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        ({"height": 5, "width": 7}, (2, 8, 10, 3)),
        ({"height": 12, "width": 9, "interpolation": "nearest"}, (2, 8, 10, 3)),
        ({"height": 4, "width": 4, "interpolation": "bicubic", "antialias": True}, (2, 9, 11, 2)),
        ({"height": 6, "width": 6, "crop_to_aspect_ratio": True, "data_format": "channels_first"}, (2, 3, 8, 12)),
        ({"height": 6, "width": 4, "pad_to_aspect_ratio": True, "fill_value": 1.0}, (2, 8, 12, 3)),
    ],
)
def test_resizing_matches_keras(kwargs, shape):
    run_layer_test(lambda: Resizing(**kwargs), shape, lambda: keras().layers.Resizing(**kwargs))


@pytest.mark.parametrize(
    "interpolation, crop, pad, antialias, data_format",
    [c for c in itertools.product(["bilinear", "nearest", "bicubic"], [False, True], [False, True], [False, True],
                                  ["channels_last", "channels_first"]) if not (c[1] and c[2])],
)  # fmt: skip
def test_every_option_combination_matches_keras_exactly(interpolation, crop, pad, antialias, data_format):
    rng = np.random.default_rng(0)
    for dtype in ("float32", "uint8"):
        x = (rng.random((2, 9, 7, 3)) * 255).astype(dtype)
        if data_format == "channels_first":
            x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
        kwargs = dict(interpolation=interpolation, crop_to_aspect_ratio=crop, pad_to_aspect_ratio=pad,
                      antialias=antialias, data_format=data_format, fill_value=2.0)  # fmt: skip
        for height, width in [(4, 6), (12, 5)]:
            theirs = keras().ops.convert_to_numpy(keras().layers.Resizing(height, width, **kwargs)(x))
            ours = Resizing(height, width, **kwargs)(torch.from_numpy(x)).numpy()
            assert ours.dtype == theirs.dtype
            np.testing.assert_allclose(ours.astype("float64"), theirs.astype("float64"), rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_single_unbatched_image_matches_keras(data_format):
    x = np.random.default_rng(2).random((6, 10, 3) if data_format == "channels_last" else (3, 6, 10)).astype("float32")
    kwargs = {"antialias": True, "data_format": data_format}
    theirs = keras().ops.convert_to_numpy(keras().layers.Resizing(5, 5, **kwargs)(x))
    ours = Resizing(5, 5, **kwargs)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-6)


def test_channels_last_view_is_accepted_and_output_shape():
    x = torch.rand(2, 3, 8, 8).permute(0, 2, 3, 1)  # NHWC view of NCHW memory
    assert Resizing(4, 5)(x).shape == (2, 4, 5, 3)
    assert Resizing(4, 5)(Input(shape=(None, None, 3))).shape == (None, 4, 5, 3)
    assert Resizing(4, 5, data_format="channels_first")(Input(shape=(3, 8, 8))).shape == (None, 3, 4, 5)


def test_integer_images_keep_their_dtype():
    y = Resizing(3, 3)(torch.randint(0, 256, (1, 6, 6, 3), dtype=torch.uint8))
    assert y.dtype == torch.uint8
    assert Resizing(3, 3)(Input(shape=(6, 6, 3), dtype="uint8")).dtype == torch.uint8


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Resizing 'rz': height must be a positive int"):
        Resizing(0, 3, name="rz")
    with pytest.raises(ValueError, match=r"Resizing 'rz2': interpolation='lanczos3' is not available in torch"):
        Resizing(3, 3, interpolation="lanczos3", name="rz2")
    with pytest.raises(ValueError, match=r"Resizing 'rz3': interpolation must be one of \['bicubic', 'bilinear', 'nearest'\]"):
        Resizing(3, 3, interpolation="area", name="rz3")
    with pytest.raises(ValueError, match=r"Resizing 'rz4': only one of crop_to_aspect_ratio and pad_to_aspect_ratio"):
        Resizing(3, 3, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True, name="rz4")
    with pytest.raises(ValueError, match=r"Resizing 'rz5': fill_mode must be 'constant'"):
        Resizing(3, 3, fill_mode="reflect", name="rz5")
    with pytest.raises(ValueError, match=r"Resizing 'rz6': expected images of rank 4 \(a batch\) or 3"):
        Resizing(3, 3, name="rz6")(Input(shape=(4,)))
    with pytest.raises(ValueError, match=r"Resizing 'rz7': expected images of rank 4"):
        Resizing(3, 3, name="rz7")(torch.zeros(1, 2, 3, 4, 5))
