import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.preprocessing import CenterCrop
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        ({"height": 3, "width": 4}, (2, 8, 10, 3)),
        ({"height": 8, "width": 10}, (2, 8, 10, 3)),
        ({"height": 12, "width": 6}, (2, 8, 10, 3)),
        ({"height": 4, "width": 14}, (2, 8, 10, 3)),
        ({"height": 3, "width": 3, "data_format": "channels_first"}, (2, 3, 7, 6)),
        ({"height": 5, "width": 9, "data_format": "channels_first"}, (2, 3, 7, 6)),
    ],
)
def test_center_crop_matches_keras(kwargs, shape):
    run_layer_test(lambda: CenterCrop(**kwargs), shape, lambda: keras().layers.CenterCrop(**kwargs))


@pytest.mark.parametrize("height, width", [(4, 3), (9, 12)])
def test_single_unbatched_image_matches_keras(height, width):
    x = np.random.default_rng(2).random((7, 9, 2)).astype("float32")
    theirs = keras().ops.convert_to_numpy(keras().layers.CenterCrop(height, width)(x))
    np.testing.assert_allclose(CenterCrop(height, width)(torch.from_numpy(x)).numpy(), theirs, rtol=1e-6, atol=1e-6)


def test_crop_is_centred_and_odd_differences_round_down():
    x = torch.arange(30.0).reshape(1, 5, 6, 1)
    torch.testing.assert_close(CenterCrop(2, 3)(x), x[:, 1:3, 1:4, :])


def test_integer_images_give_float_like_keras():
    x = np.random.default_rng(0).integers(0, 256, size=(1, 6, 6, 3)).astype("uint8")
    ours = CenterCrop(4, 4)(torch.from_numpy(x))
    theirs = keras().ops.convert_to_numpy(keras().layers.CenterCrop(4, 4)(x))
    assert ours.dtype == torch.float32 and theirs.dtype == np.float32
    np.testing.assert_array_equal(ours.numpy(), theirs)
    assert CenterCrop(4, 4)(Input(shape=(6, 6, 3), dtype="uint8")).dtype == torch.float32


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"CenterCrop 'cc': width must be a positive int"):
        CenterCrop(3, -1, name="cc")
    with pytest.raises(ValueError, match=r"CenterCrop 'cc2': expected images of rank 4 \(a batch\) or 3"):
        CenterCrop(3, 3, name="cc2")(Input(shape=(5,)))
    with pytest.raises(ValueError, match="data_format must be one of"):
        CenterCrop(3, 3, data_format="NHWC")


def test_floating_images_keep_their_dtype():
    assert CenterCrop(2, 2)(torch.ones(1, 4, 4, 1, dtype=torch.float64)).dtype == torch.float64
    assert CenterCrop(8, 8)(torch.ones(1, 4, 4, 1, dtype=torch.float64)).dtype == torch.float64
