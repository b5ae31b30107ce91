import numpy as np
import pytest
import torch

from fitorch import config
from fitorch.layers.core import Input
from fitorch.layers.preprocessing import Rescaling
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "scale, offset, shape",
    [(1 / 255, 0.0, (2, 4, 4, 3)), (1 / 127.5, -1.0, (3, 5)), (2.0, 0.5, (2, 3, 4)), ([0.5, 2.0, 4.0], [1.0, 0.0, -1.0], (2, 4, 3))],
)
def test_rescaling_matches_keras(scale, offset, shape):
    run_layer_test(lambda: Rescaling(scale, offset), shape, lambda: keras().layers.Rescaling(scale, offset))


def test_integer_images_give_float_outputs_like_keras():
    x = np.random.default_rng(0).integers(0, 256, size=(2, 3, 3, 3)).astype("uint8")
    ours = Rescaling(1 / 255)(torch.from_numpy(x))
    theirs = keras().ops.convert_to_numpy(keras().layers.Rescaling(1 / 255)(x))
    assert ours.dtype == torch.float32
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-6)
    symbolic = Rescaling(1 / 255)(Input(shape=(3, 3, 3), dtype="uint8"))
    assert symbolic.dtype == torch.float32


def test_per_channel_scale_with_channels_first_global_format_matches_keras():
    x = np.random.default_rng(1).standard_normal((2, 3, 4, 5)).astype("float32")
    config.set_image_data_format("channels_first")
    keras().config.set_image_data_format("channels_first")
    try:
        ours = Rescaling([1.0, 2.0, 3.0])(torch.from_numpy(x))
        theirs = keras().ops.convert_to_numpy(keras().layers.Rescaling([1.0, 2.0, 3.0])(x))
    finally:
        config.set_image_data_format("channels_last")
        keras().config.set_image_data_format("channels_last")
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-6)
    np.testing.assert_allclose(ours.numpy(), x * np.array([1.0, 2.0, 3.0]).reshape(3, 1, 1), rtol=1e-6)


def test_array_scale_config_is_plain_json():
    config_dict = Rescaling(np.array([1.0, 2.0]), offset=torch.tensor(0.5)).get_config()
    assert config_dict["scale"] == [1.0, 2.0] and config_dict["offset"] == 0.5


@pytest.mark.parametrize("scale", ["0.5", None, [["a"]]])
def test_bad_scale(scale):
    with pytest.raises(ValueError, match=r"Rescaling 'rs': scale must be a float or an array of floats"):
        Rescaling(scale, name="rs")


def test_floating_inputs_keep_their_dtype_unless_the_layer_has_one():
    x = torch.ones(2, 3, dtype=torch.float64)
    assert Rescaling(0.5)(x).dtype == torch.float64
    assert Rescaling(0.5, dtype="float32")(x).dtype == torch.float32
    assert Rescaling([1.0, 2.0, 3.0])(x.half()).dtype == torch.float16
