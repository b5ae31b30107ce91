import pytest
import torch

from fitorch.layers.preprocessing import RandomBrightness
from tests.layers.augmentation_checks import (
    assert_matches_keras,
    check_active_in_fit,
    check_inference_identity,
    check_seed_and_config,
    check_symbolic,
    images,
    keras,
)


@pytest.mark.parametrize(
    "factor, value_range", [((0.2, 0.2), (0, 1)), ((-0.3, -0.3), (0, 255)), ((0.5, 0.5), (-1, 1)), ((0.0, 0.0), (0, 1))]
)
def test_forced_brightness_matches_keras(factor, value_range):
    x = (images((3, 5, 6, 2)) * (value_range[1] - value_range[0]) + value_range[0]).astype("float32")
    ours = RandomBrightness(factor, value_range=value_range)(torch.from_numpy(x), training=True)
    theirs = keras().layers.RandomBrightness(factor, value_range=value_range)(x, training=True)
    assert_matches_keras(ours, theirs)


def test_given_deltas_match_keras_transform_images():
    x = images((3, 4, 4, 1), seed=2)
    deltas = torch.tensor([0.1, -0.5, 0.7])
    ours = RandomBrightness(0.5, value_range=(0, 1)).transform_images(torch.from_numpy(x), {"rgb_delta": deltas})
    theirs = (
        keras()
        .layers.RandomBrightness(0.5, value_range=(0, 1))
        .transform_images(torch.from_numpy(x), {"rgb_delta": deltas.reshape(-1, 1, 1, 1)}, training=True)
    )
    assert_matches_keras(ours, theirs)


def test_offsets_stay_within_the_factor():
    layer = RandomBrightness((-0.2, 0.4), value_range=(0, 255), seed=0)
    deltas = torch.cat([layer.get_random_transformation(torch.zeros(64, 2, 2, 1))["rgb_delta"] for _ in range(20)])
    assert deltas.min() >= -51.0 and deltas.max() <= 102.0 and deltas.min() < -45 and deltas.max() > 95
    assert RandomBrightness(0.3).factor == tuple(keras().layers.RandomBrightness(0.3).factor)


def test_inference_is_the_identity():
    check_inference_identity(lambda: RandomBrightness(0.5), (2, 6, 6, 3))


def test_seed_config_and_symbolic():
    check_seed_and_config(lambda seed: RandomBrightness(0.5, value_range=(0, 1), seed=seed), (4, 5, 5, 1))
    check_symbolic(lambda: RandomBrightness(0.5), (2, 5, 5, 3))


def test_active_in_fit_not_in_predict():
    x = images((4, 6, 6, 1))
    kwargs = {"factor": (-0.25, -0.25), "value_range": (0, 1)}
    expected = keras().ops.convert_to_numpy(keras().layers.RandomBrightness(**kwargs)(x, training=True))
    check_active_in_fit(RandomBrightness(**kwargs), x, expected)


def test_errors_name_the_layer():
    with pytest.raises(
        ValueError, match=r"RandomBrightness 'b1': factor must be a number or a pair of numbers in \[-1, 1\]"
    ):
        RandomBrightness(1.5, name="b1")
    with pytest.raises(ValueError, match=r"RandomBrightness 'b2': value_range must be a pair of numbers"):
        RandomBrightness(0.5, value_range=(0, 1, 2), name="b2")
