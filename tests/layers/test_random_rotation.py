import pytest
import torch

from fitorch.layers.preprocessing import RandomRotation
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
@pytest.mark.parametrize("angle", [0.07, -0.3])
def test_forced_rotation_matches_keras(fill_mode, interpolation, angle):
    x = images((2, 7, 9, 3))
    kwargs = {"factor": (angle, angle), "fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 0.5}
    ours = RandomRotation(**kwargs)(torch.from_numpy(x), training=True)
    theirs = keras().layers.RandomRotation(**kwargs)(x, training=True)
    assert_matches_keras(ours, theirs)


def test_channels_first_and_single_image_match_keras():
    x = images((2, 3, 6, 8))
    kwargs = {"factor": (0.1, 0.1), "data_format": "channels_first", "fill_mode": "constant"}
    assert_matches_keras(
        RandomRotation(**kwargs)(torch.from_numpy(x), training=True),
        keras().layers.RandomRotation(**kwargs)(x, training=True),
    )
    single = images((5, 5, 2))
    assert_matches_keras(
        RandomRotation((0.2, 0.2))(torch.from_numpy(single), training=True),
        keras().layers.RandomRotation((0.2, 0.2))(single, training=True),
    )


def test_inference_and_zero_factor_are_the_identity():
    check_inference_identity(lambda: RandomRotation(0.5), (2, 6, 6, 3))
    x = torch.from_numpy(images((2, 6, 6, 3)))
    torch.testing.assert_close(RandomRotation(0.0)(x, training=True), x)


def test_angles_stay_within_the_factor_and_cover_it():
    layer = RandomRotation((-0.1, 0.2), seed=3)
    angles = torch.cat([layer.get_random_transformation(torch.zeros(64, 4, 4, 1))["angle"] for _ in range(20)])
    assert angles.min() >= -36.0 and angles.max() <= 72.0
    assert angles.min() < -30.0 and angles.max() > 66.0
    assert RandomRotation(0.25).factor == (-0.25, 0.25)


def test_seed_config_and_symbolic():
    check_seed_and_config(lambda seed: RandomRotation(0.3, seed=seed), (2, 5, 5, 1))
    check_symbolic(lambda: RandomRotation(0.3), (2, 5, 5, 3))


def test_active_in_fit_not_in_predict():
    x = images((4, 6, 6, 1))
    expected = keras().ops.convert_to_numpy(keras().layers.RandomRotation((0.125, 0.125))(x, training=True))
    check_active_in_fit(RandomRotation((0.125, 0.125)), x, expected)


def test_errors_name_the_layer():
    with pytest.raises(
        ValueError, match=r"RandomRotation 'r1': factor must be a number or a pair of numbers in \[-1, 1\]"
    ):
        RandomRotation(2.0, name="r1")
    with pytest.raises(ValueError, match=r"RandomRotation 'r2': fill_mode must be one of"):
        RandomRotation(0.1, fill_mode="mirror", name="r2")
    with pytest.raises(ValueError, match=r"RandomRotation 'r3': interpolation must be one of"):
        RandomRotation(0.1, interpolation="bicubic", name="r3")
    with pytest.raises(ValueError, match=r"RandomRotation 'r4': expected images of rank 4 \(a batch\) or 3"):
        RandomRotation(0.1, name="r4")(torch.zeros(2, 3))
    with pytest.raises(TypeError, match=r"RandomRotation 'r5': seed must be an int or None"):
        RandomRotation(0.1, seed=1.5, name="r5")
    with pytest.raises(ValueError, match=r"RandomRotation 'r6': fill_value must be a float"):
        RandomRotation(0.1, fill_value="x", name="r6")
