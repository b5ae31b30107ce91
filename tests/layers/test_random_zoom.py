import pytest
import torch

from fitorch.layers.preprocessing import RandomZoom
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
@pytest.mark.parametrize("height, width", [(0.3, None), (-0.4, 0.25), (0.6, -0.2)])
def test_forced_zoom_matches_keras(fill_mode, interpolation, height, width):
    x = images((2, 7, 9, 3))
    kwargs = {
        "height_factor": (height, height),
        "width_factor": None if width is None else (width, width),
        "fill_mode": fill_mode,
        "interpolation": interpolation,
        "fill_value": -1.0,
    }
    ours = RandomZoom(**kwargs)(torch.from_numpy(x), training=True)
    assert_matches_keras(ours, keras().layers.RandomZoom(**kwargs)(x, training=True))


def test_channels_first_and_single_image_match_keras():
    x = images((2, 3, 6, 8))
    kwargs = {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3), "data_format": "channels_first"}
    assert_matches_keras(
        RandomZoom(**kwargs)(torch.from_numpy(x), training=True), keras().layers.RandomZoom(**kwargs)(x, training=True)
    )
    single = images((5, 6, 2))
    assert_matches_keras(
        RandomZoom((0.5, 0.5))(torch.from_numpy(single), training=True),
        keras().layers.RandomZoom((0.5, 0.5))(single, training=True),
    )


def test_inference_and_zero_factor_are_the_identity():
    check_inference_identity(lambda: RandomZoom(0.5, 0.3), (2, 6, 6, 3))
    x = torch.from_numpy(images((2, 6, 6, 3)))
    torch.testing.assert_close(RandomZoom(0.0)(x, training=True), x)


def test_zooms_stay_within_the_factors_and_share_a_draw_without_width_factor():
    layer = RandomZoom((-0.2, 0.3), (0.1, 0.5), seed=1)
    draws = [layer.get_random_transformation(torch.zeros(64, 4, 4, 1)) for _ in range(20)]
    heights = torch.cat([d["height_zoom"] for d in draws])
    widths = torch.cat([d["width_zoom"] for d in draws])
    assert heights.min() >= 0.8 and heights.max() <= 1.3 and heights.min() < 0.85 and heights.max() > 1.25
    assert widths.min() >= 1.1 and widths.max() <= 1.5
    same = RandomZoom(0.4, seed=2).get_random_transformation(torch.zeros(8, 4, 4, 1))
    assert torch.equal(same["height_zoom"], same["width_zoom"])


def test_seed_config_and_symbolic():
    check_seed_and_config(lambda seed: RandomZoom(0.3, (-0.2, 0.4), seed=seed), (2, 5, 5, 1))
    check_symbolic(lambda: RandomZoom(0.3), (2, 5, 5, 3))


def test_active_in_fit_not_in_predict():
    x = images((4, 6, 6, 1))
    expected = keras().ops.convert_to_numpy(keras().layers.RandomZoom((-0.5, -0.5))(x, training=True))
    check_active_in_fit(RandomZoom((-0.5, -0.5)), x, expected)


def test_errors_name_the_layer():
    with pytest.raises(
        ValueError, match=r"RandomZoom 'z1': height_factor must be a number or a pair of numbers in \(-1, 1\]"
    ):
        RandomZoom(-1.0, name="z1")
    with pytest.raises(ValueError, match=r"RandomZoom 'z2': width_factor must be a number or a pair"):
        RandomZoom(0.1, (0.1, 0.2, 0.3), name="z2")
    with pytest.raises(ValueError, match=r"RandomZoom 'z3': fill_mode must be one of"):
        RandomZoom(0.1, fill_mode="edge", name="z3")
