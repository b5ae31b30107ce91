import numpy as np
import pytest
import torch

from fitorch import config, layers
from fitorch.layers import pooling
from fitorch.layers.pooling import GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling2D
from tests.layers.harness import keras, run_layer_test

NAMES = ["GlobalAveragePooling1D", "GlobalMaxPooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling2D"]


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("name", NAMES)
def test_global_pooling_matches_keras(name, data_format, keepdims):
    shape = (2, 5, 3) if name.endswith("1D") else (2, 5, 4, 3)
    run_layer_test(
        lambda: getattr(pooling, name)(data_format=data_format, keepdims=keepdims),
        shape,
        lambda: getattr(keras().layers, name)(data_format=data_format, keepdims=keepdims),
        check_compile=keepdims and data_format == "channels_last",
    )


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_global_average_pooling1d_mask_matches_keras(data_format, keepdims):
    x = np.random.default_rng(0).standard_normal((3, 5, 4)).astype("float32")  # (batch, steps, channels)
    if data_format == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 2, 1))
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0]], dtype=bool)
    expected = keras().layers.GlobalAveragePooling1D(data_format=data_format, keepdims=keepdims)(x, mask=mask)
    actual = GlobalAveragePooling1D(data_format=data_format, keepdims=keepdims)(
        torch.from_numpy(x), mask=torch.from_numpy(mask)
    )
    np.testing.assert_allclose(actual.numpy(), keras().ops.convert_to_numpy(expected), atol=1e-6)


def test_global_pooling_shapes():
    assert GlobalAveragePooling2D()(layers.Input((None, None, 8))).shape == (None, 8)
    assert GlobalMaxPooling2D(keepdims=True)(layers.Input((None, 7, 8))).shape == (None, 1, 1, 8)
    layer = GlobalAveragePooling1D(data_format="channels_first", keepdims=True)
    assert layer.compute_output_shape((None, 6, None)) == (None, 6, 1)
    config.set_image_data_format("channels_first")
    try:
        layer = GlobalMaxPooling2D()
    finally:
        config.set_image_data_format("channels_last")
    assert layer(torch.zeros(2, 6, 4, 4)).shape == (2, 6)
    assert layer.get_config()["data_format"] == "channels_first"


def test_global_pooling_errors():
    with pytest.raises(ValueError, match=r"GlobalMaxPooling2D 'g': keepdims must be True or False; received "
                       r"keepdims='yes'"):
        GlobalMaxPooling2D(keepdims="yes", name="g")
    with pytest.raises(ValueError, match=r"GlobalAveragePooling2D 'g2': data_format must be one of"):
        GlobalAveragePooling2D(data_format="channels_middle", name="g2")
    with pytest.raises(ValueError, match=r"'g3' \(GlobalAveragePooling2D\) is incompatible: expected ndim=4, "
                       r"received ndim=3"):
        GlobalAveragePooling2D(name="g3")(layers.Input((8, 3)))
