"""ContrastLimitedAdaptiveHistogramEqualization (CLAHE) against Keras 3, which is deterministic.

Keras' torch backend departs from Keras' algorithm (as its TensorFlow and JAX backends run it, and fitorch
does) in two places: it counts the histograms in int64, which truncates the clip limit
``clip_limit * tile_pixels / 256`` to an integer, and its ``pad(mode="symmetric")`` pads by repeating the edge
instead of mirroring. So the Keras comparisons use images that fill the tiles exactly and limits that are
whole numbers (or no clipping); real limits and padded images are checked against a NumPy loop
implementation of the algorithm (``np.pad`` symmetric, float histograms), itself checked against Keras.
"""

import json

import numpy as np
import pytest
import torch

from fitorch.layers import Input
from fitorch.layers.preprocessing import ContrastLimitedAdaptiveHistogramEqualization as CLAHE
from tests.layers.augmentation_checks import assert_matches_keras, images, keras
from tests.layers.harness import to_numpy


def _numpy_clahe(x, clip_limit, grid):
    """CLAHE of ``(B, H, W, C)`` values on the [0, 255] scale, tile by tile and pixel by pixel, in float64."""
    batch, height, width, channels = x.shape
    grid_h, grid_w = grid
    tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
    padded = np.pad(x, [(0, 0), (0, tile_h * grid_h - height), (0, tile_w * grid_w - width), (0, 0)], "symmetric")
    pixels = np.clip(padded, 0, 255).astype(int)
    lut = np.zeros((batch, grid_h, grid_w, channels, 256))
    for b, i, j, c in np.ndindex(batch, grid_h, grid_w, channels):
        tile = pixels[b, i * tile_h : (i + 1) * tile_h, j * tile_w : (j + 1) * tile_w, c]
        hist = np.bincount(tile.ravel(), minlength=256).astype(float)
        if clip_limit > 0:
            clipped = np.minimum(hist, clip_limit * tile_h * tile_w / 256)
            hist = clipped + (hist - clipped).sum() / 256
        cdf = np.cumsum(hist)
        lut[b, i, j, c] = np.clip((cdf - cdf[0]) * 255 / ((tile_h * tile_w - cdf[0]) or 1.0), 0, 255)
    out = np.zeros(padded.shape)
    for y, x_ in np.ndindex(padded.shape[1:3]):
        fy, fx = (y - tile_h / 2) / tile_h, (x_ - tile_w / 2) / tile_w
        wy, wx = fy - np.floor(fy), fx - np.floor(fx)
        r0, r1 = (int(np.clip(np.floor(fy) + k, 0, grid_h - 1)) for k in (0, 1))
        c0, c1 = (int(np.clip(np.floor(fx) + k, 0, grid_w - 1)) for k in (0, 1))
        for b, c in np.ndindex(batch, channels):
            v = pixels[b, y, x_, c]
            top = (1 - wx) * lut[b, r0, c0, c, v] + wx * lut[b, r0, c1, c, v]
            bottom = (1 - wx) * lut[b, r1, c0, c, v] + wx * lut[b, r1, c1, c, v]
            out[b, y, x_, c] = (1 - wy) * top + wy * bottom
    return out[:, :height, :width]


def _skewed(shape, value_range=(0, 255), seed=0):
    low, high = value_range
    return torch.from_numpy((images(shape, seed=seed) ** 2 * (high - low) + low).astype("float32"))


@pytest.mark.parametrize("shape, kwargs", [
    ((2, 16, 16, 3), {"tile_grid_size": (2, 2)}),  # limit 4 * 64 / 256 = 1
    ((2, 18, 15, 2), {"tile_grid_size": (3, 3), "clip_limit": 0.0}),  # no clipping
    ((1, 4, 4, 1), {"tile_grid_size": (4, 4), "clip_limit": -1.0}),  # one pixel per tile
    ((2, 3, 32, 32), {"data_format": "channels_first", "tile_grid_size": (2, 4), "clip_limit": 2.0}),
    ((2, 32, 32, 2), {"value_range": (0, 1), "clip_limit": 8.0, "tile_grid_size": (4, 2)}),
    ((2, 3, 10, 12), {"value_range": (-1, 1), "data_format": "channels_first", "clip_limit": 0, "tile_grid_size": (5, 2)}),
    ((64, 64, 3), {}),  # one image (rank 3), the defaults: 8x8 tiles of 64 pixels, limit 1
])  # fmt: skip
def test_matches_keras(shape, kwargs):
    x = _skewed(shape, kwargs.get("value_range", (0, 255)))
    theirs = keras().layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    expected = theirs(x.clone())
    assert_matches_keras(CLAHE(**kwargs)(x), expected, atol=1e-3)
    assert_matches_keras(CLAHE(**kwargs)(x, training=False), theirs(x.clone(), training=False), atol=1e-3)


@pytest.mark.parametrize("dtype", ["uint8", "int32"])
def test_integer_images_keep_their_dtype_like_keras(dtype):
    x = (images((2, 16, 16, 3)) * 255).astype(dtype)
    ours = CLAHE(tile_grid_size=(2, 2))(torch.from_numpy(x))
    theirs = keras().layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))(x)
    assert ours.dtype == getattr(torch, dtype)
    np.testing.assert_array_equal(to_numpy(ours), to_numpy(theirs))


def test_real_clip_limits_and_padding_match_the_numpy_algorithm():
    x = _skewed((1, 16, 12, 2))
    # The NumPy implementation agrees with Keras on full tiles with a whole limit (tiles 4x4: 16 * 16 / 256 = 1).
    keras_out = keras().layers.ContrastLimitedAdaptiveHistogramEqualization(clip_limit=16.0, tile_grid_size=(4, 3))
    np.testing.assert_allclose(_numpy_clahe(x.double().numpy(), 16.0, (4, 3)), to_numpy(keras_out(x)), atol=1e-3)
    cases = [((1, 16, 12, 2), 4.0, (4, 3)), ((1, 13, 11, 2), 2.5, (2, 2)), ((1, 13, 11, 1), 0.0, (4, 3)),
             ((1, 5, 6, 1), 4.0, (8, 8)), ((2, 9, 7, 1), 40.0, (1, 1))]  # fmt: skip
    for shape, clip_limit, grid in cases:  # real limits; padded images (a 5x6 image in 8x8 tiles: past the edge)
        x = _skewed(shape)
        ours = CLAHE(clip_limit=clip_limit, tile_grid_size=grid)(x)
        np.testing.assert_allclose(to_numpy(ours), _numpy_clahe(x.double().numpy(), clip_limit, grid), atol=1e-3)


def test_config_symbolic_and_inference():
    layer = CLAHE(value_range=(0, 1), clip_limit=2.0, tile_grid_size=(4, 4), data_format="channels_first")
    config = json.loads(json.dumps(layer.get_config()))
    theirs = keras().layers.ContrastLimitedAdaptiveHistogramEqualization(
        value_range=(0, 1), clip_limit=2.0, tile_grid_size=(4, 4), data_format="channels_first"
    )
    for key in ("value_range", "clip_limit", "tile_grid_size", "data_format"):
        assert config[key] == json.loads(json.dumps(theirs.get_config()[key]))
    assert "seed" not in config and CLAHE.from_config(config).get_config() == layer.get_config()
    symbolic = CLAHE()(Input(shape=(16, 16, 3), dtype="uint8"))
    assert tuple(symbolic.shape) == (None, 16, 16, 3) and symbolic.dtype == torch.uint8
    x = _skewed((2, 16, 16, 1))
    layer = CLAHE(tile_grid_size=(2, 2))
    trained = layer(x, training=True)
    layer.eval()
    torch.testing.assert_close(layer(x), trained)  # the same in training and at inference, as in Keras


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"ContrastLimitedAdaptiveHistogramEqualization 'c1': tile_grid_size must be"):
        CLAHE(tile_grid_size=(0, 2), name="c1")
    with pytest.raises(ValueError, match=r"'c2': tile_grid_size must be a pair of ints >= 1 \(rows, cols\); received tile_grid_size=8"):
        CLAHE(tile_grid_size=8, name="c2")
    with pytest.raises(ValueError, match=r"'c3': clip_limit must be a number; received clip_limit='4'"):
        CLAHE(clip_limit="4", name="c3")
    with pytest.raises(ValueError, match=r"'c4': value_range must be a pair of numbers"):
        CLAHE(value_range=[0, 1, 2], name="c4")
    with pytest.raises(ValueError, match=r"'c5': expected images of rank 4 \(a batch\) or 3"):
        CLAHE(name="c5")(torch.zeros(4, 4))
