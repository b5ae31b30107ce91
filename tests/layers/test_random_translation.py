import pytest
import torch

from fitorch.layers.preprocessing import RandomTranslation
from tests.layers.augmentation_checks import (
    assert_matches_keras,
    check_active_in_fit,
    check_inference_identity,
    check_seed_and_config,
    check_symbolic,
    images,
    keras,
)


@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("height, width", [(0.23, -0.41), (-0.9, 0.6)])
def test_forced_translation_matches_keras(fill_mode, interpolation, height, width):
    x = images((2, 7, 9, 3))
    kwargs = {
        "height_factor": (height, height),
        "width_factor": (width, width),
        "fill_mode": fill_mode,
        "interpolation": interpolation,
        "fill_value": 2.0,
    }
    ours = RandomTranslation(**kwargs)(torch.from_numpy(x), training=True)
    assert_matches_keras(ours, keras().layers.RandomTranslation(**kwargs)(x, training=True))


def test_channels_first_and_single_image_match_keras():
    x = images((2, 3, 6, 8))
    kwargs = {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3), "data_format": "channels_first"}
    assert_matches_keras(
        RandomTranslation(**kwargs)(torch.from_numpy(x), training=True),
        keras().layers.RandomTranslation(**kwargs)(x, training=True),
    )
    single = images((5, 6, 2))
    kwargs = {"height_factor": (0.5, 0.5), "width_factor": (0.1, 0.1)}
    assert_matches_keras(
        RandomTranslation(**kwargs)(torch.from_numpy(single), training=True),
        keras().layers.RandomTranslation(**kwargs)(single, training=True),
    )


def test_inference_and_zero_factor_are_the_identity():
    check_inference_identity(lambda: RandomTranslation(0.5, 0.3), (2, 6, 6, 3))
    x = torch.from_numpy(images((2, 6, 6, 3)))
    torch.testing.assert_close(RandomTranslation(0.0, 0.0)(x, training=True), x)


def test_shifts_stay_within_the_factors():
    layer = RandomTranslation((-0.2, 0.1), 0.5, seed=1)
    shifts = torch.cat([layer.get_random_transformation(torch.zeros(64, 10, 20, 1))["translations"] for _ in range(20)])
    dx, dy = shifts[:, 0], shifts[:, 1]
    assert dy.min() >= -2.0 and dy.max() <= 1.0 and dy.min() < -1.8 and dy.max() > 0.8
    assert dx.min() >= -10.0 and dx.max() <= 10.0 and dx.min() < -9.0 and dx.max() > 9.0


def test_seed_config_and_symbolic():
    check_seed_and_config(lambda seed: RandomTranslation(0.3, (-0.2, 0.4), seed=seed), (2, 5, 5, 1))
    check_symbolic(lambda: RandomTranslation(0.3, 0.3), (2, 5, 5, 3))


def test_active_in_fit_not_in_predict():
    x = images((4, 6, 6, 1))
    kwargs = {"height_factor": (0.5, 0.5), "width_factor": (0.0, 0.0), "fill_mode": "constant"}
    expected = keras().ops.convert_to_numpy(keras().layers.RandomTranslation(**kwargs)(x, training=True))
    check_active_in_fit(RandomTranslation(**kwargs), x, expected)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"RandomTranslation 't1': height_factor must be a number or a pair"):
        RandomTranslation(1.5, 0.1, name="t1")
    with pytest.raises(ValueError, match=r"RandomTranslation 't2': width_factor must be a number or a pair"):
        RandomTranslation(0.1, "x", name="t2")
    with pytest.raises(ValueError, match=r"RandomTranslation 't3': interpolation must be one of"):
        RandomTranslation(0.1, 0.1, interpolation="area", name="t3")
