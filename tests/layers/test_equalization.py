import numpy as np
import pytest
import torch

from fitorch.layers.preprocessing import Equalization
from tests.layers.augmentation_checks import (
    assert_matches_keras,
    check_active_in_fit,
    check_inference_identity,
    check_symbolic,
    images,
    keras,
)
from tests.layers.harness import to_numpy


@pytest.mark.parametrize(
    "value_range, bins, data_format",
    [((0, 255), 256, "channels_last"), ((0, 1), 256, "channels_last"), ((0, 255), 16, "channels_first"),
     ((-1, 1), 64, "channels_first"), ((0, 255), 1, "channels_last")],
)  # fmt: skip
def test_matches_keras(value_range, bins, data_format):
    shape = (3, 6, 5, 3) if data_format == "channels_last" else (3, 3, 6, 5)
    unit = images(shape) ** 2  # skewed values, so equalization changes them
    x = torch.from_numpy((unit * (value_range[1] - value_range[0]) + value_range[0]).astype("float32"))
    x[..., 0] = value_range[0] + 0.25 * (value_range[1] - value_range[0])  # one occupied bin somewhere: kept
    kwargs = {"value_range": value_range, "bins": bins, "data_format": data_format}
    ours = Equalization(**kwargs)(x, training=True)
    theirs = keras().layers.Equalization(**kwargs)(x, training=True)
    assert_matches_keras(ours, theirs, atol=1e-4)
    assert_matches_keras(Equalization(**kwargs)(x[0], training=True), keras().layers.Equalization(**kwargs)(x[0]))


def test_integer_images_and_the_doctest_match_keras():
    x = (images((2, 8, 8, 3)) * 120).astype("uint8")
    assert_matches_keras(Equalization()(torch.from_numpy(x), training=True), keras().layers.Equalization()(x))
    image = np.array([[[[0.0], [10.0], [10.0], [20.0]]]], "float32")
    np.testing.assert_array_equal(
        to_numpy(Equalization()(torch.from_numpy(image), training=True)), to_numpy(keras().layers.Equalization()(image))
    )


def test_inference_config_symbolic_and_fit():
    check_inference_identity(lambda: Equalization(value_range=(0, 1)), (2, 6, 6, 3))
    layer = Equalization(value_range=(0, 1), bins=32, data_format="channels_first")
    config = layer.get_config()
    assert config["bins"] == 32 and config["value_range"] == [0.0, 1.0] and "seed" not in config
    assert Equalization.from_config(config).get_config() == config
    check_symbolic(lambda: Equalization(), (2, 5, 5, 3))
    x = images((4, 6, 6, 1))
    expected = to_numpy(keras().layers.Equalization(value_range=(0, 1))(x, training=True))
    check_active_in_fit(Equalization(value_range=(0, 1)), x, expected)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Equalization 'e1': bins must be an int >= 1; received bins=0"):
        Equalization(bins=0, name="e1")
    with pytest.raises(ValueError, match=r"Equalization 'e2': value_range must be a pair of numbers"):
        Equalization(value_range=None, name="e2")
