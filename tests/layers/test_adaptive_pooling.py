import math

import numpy as np
import pytest
import torch

from fitorch import config, layers
from fitorch.layers import pooling
from fitorch.layers.pooling import AdaptiveAveragePooling1D, AdaptiveAveragePooling2D, AdaptiveMaxPooling3D
from tests.layers.harness import keras, make_input, run_layer_test

SHAPES = {1: (2, 11, 3), 2: (2, 9, 7, 3), 3: (2, 7, 6, 5, 2)}
OUTPUT_SIZES = {1: 4, 2: (4, 3), 3: (3, 2, 4)}


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("kind", ["Average", "Max"])
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_adaptive_pooling_matches_keras(rank, kind, data_format):
    name = f"Adaptive{kind}Pooling{rank}D"
    run_layer_test(
        lambda: getattr(pooling, name)(OUTPUT_SIZES[rank], data_format=data_format),
        SHAPES[rank],
        lambda: getattr(keras().layers, name)(OUTPUT_SIZES[rank], data_format=data_format),
        check_compile=data_format == "channels_last",
    )


def _reference_pool(x: np.ndarray, output_size: tuple[int, ...], reduce) -> np.ndarray:
    """channels_first bins written out: output i covers [floor(i L / n), ceil((i + 1) L / n))."""
    spatial = x.shape[2:]
    out = np.empty(x.shape[:2] + tuple(output_size), dtype=x.dtype)
    for index in np.ndindex(*output_size):
        window = tuple(
            slice(math.floor(i * length / n), math.ceil((i + 1) * length / n))
            for i, length, n in zip(index, spatial, output_size, strict=True)
        )
        out[(..., *index)] = reduce(x[(..., *window)], axis=tuple(range(2, x.ndim)))
    return out


@pytest.mark.parametrize("kind", ["Average", "Max"])
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_adaptive_pooling_bins_match_a_written_out_reference(rank, kind):
    # Keras' torch backend calls the same torch kernels, so check the bins independently too,
    # with output sizes that do not divide the input (overlapping windows) and that exceed it.
    x = make_input((2, 3) + (7, 5, 4)[:rank])
    for output_size in [(3, 2, 3)[:rank], (9, 6, 5)[:rank]]:
        layer = getattr(pooling, f"Adaptive{kind}Pooling{rank}D")(output_size, data_format="channels_first")
        expected = _reference_pool(x, output_size, np.mean if kind == "Average" else np.max)
        np.testing.assert_allclose(layer(torch.from_numpy(x)).numpy(), expected, rtol=1e-6, atol=1e-6)


def test_channels_last_reads_a_view_and_matches_channels_first():
    x = torch.from_numpy(make_input((2, 9, 7, 5)))
    last = AdaptiveAveragePooling2D((4, 3))(x)
    first = AdaptiveAveragePooling2D((4, 3), data_format="channels_first")(x.permute(0, 3, 1, 2))
    torch.testing.assert_close(last, first.permute(0, 2, 3, 1))
    assert last.shape == (2, 4, 3, 5)


def test_adaptive_pooling_shapes_and_config():
    assert AdaptiveAveragePooling2D(5)(layers.Input((None, None, 8))).shape == (None, 5, 5, 8)
    assert AdaptiveMaxPooling3D((1, 2, 3), data_format="channels_first").compute_output_shape(
        (None, 4, 9, None, 9)
    ) == (None, 4, 1, 2, 3)
    layer = AdaptiveAveragePooling1D([6])
    assert layer.output_size == (6,)
    assert layer.get_config()["output_size"] == [6]
    config.set_image_data_format("channels_first")
    try:
        layer = AdaptiveAveragePooling2D(2)
    finally:
        config.set_image_data_format("channels_last")
    assert layer(torch.zeros(2, 6, 5, 5)).shape == (2, 6, 2, 2)
    assert layer.get_config()["data_format"] == "channels_first"


def test_adaptive_pooling_errors():
    with pytest.raises(TypeError, match=r"AdaptiveAveragePooling2D 'a': output_size must be an int or a tuple of "
                       r"2 ints \(height, width\); received output_size='3' of type str"):
        AdaptiveAveragePooling2D("3", name="a")
    with pytest.raises(ValueError, match=r"AdaptiveMaxPooling3D 'b': output_size must be an int or a tuple of 3 "
                       r"ints \(depth, height, width\); received output_size=\(2, 2\) of length 2"):
        AdaptiveMaxPooling3D((2, 2), name="b")
    with pytest.raises(ValueError, match=r"AdaptiveAveragePooling1D 'c': output_size must hold positive ints; "
                       r"received output_size=0"):
        AdaptiveAveragePooling1D(0, name="c")
    with pytest.raises(ValueError, match=r"AdaptiveAveragePooling1D 'd': data_format must be one of"):
        AdaptiveAveragePooling1D(2, data_format="channels_middle", name="d")
    with pytest.raises(ValueError, match=r"'e' \(AdaptiveAveragePooling2D\) is incompatible: expected ndim=4, "
                       r"received ndim=3"):
        AdaptiveAveragePooling2D(2, name="e")(layers.Input((8, 3)))
