import pytest
import torch

from fitorch.layers.preprocessing import RandomContrast
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
    "factor, value_range, data_format",
    [((0.5, 0.5), (0, 1), "channels_last"), ((0.7, 0.0), (0, 1), "channels_last"),
     ((0.0, 0.9), (0.2, 0.8), "channels_first"), ((0.3, 0.3), (0, 255), "channels_last")],
)  # fmt: skip
def test_forced_contrast_matches_keras(factor, value_range, data_format):
    shape = (3, 5, 6, 2) if data_format == "channels_last" else (3, 2, 5, 6)
    x = images(shape) * value_range[1]
    kwargs = {"factor": factor, "value_range": value_range, "data_format": data_format}
    ours = RandomContrast(**kwargs).transform_images(
        torch.from_numpy(x), {"contrast_factor": torch.tensor([1.5, 0.5, 1.0])}
    )
    theirs = (
        keras()
        .layers.RandomContrast(**kwargs)
        .transform_images(
            torch.from_numpy(x), {"contrast_factor": torch.tensor([1.5, 0.5, 1.0]).reshape(-1, 1, 1, 1)}, training=True
        )
    )
    assert_matches_keras(ours, theirs)


def test_degenerate_ranges_match_keras_in_training():
    x = images((2, 5, 5, 3))
    # Keras' contrast range is [1 - lower, 1 + upper], so (-a, a) forces the factor 1 + a.
    for factor in [(-0.4, 0.4), (-0.9, 0.9), (0.0, 0.0)]:
        kwargs = {"factor": factor, "value_range": (0, 1)}
        ours = RandomContrast(**kwargs)(torch.from_numpy(x), training=True)
        assert_matches_keras(ours, keras().layers.RandomContrast(**kwargs)(x, training=True))
    torch.testing.assert_close(
        RandomContrast(0.0, value_range=(0, 1))(torch.from_numpy(x), training=True), torch.from_numpy(x)
    )


def test_factors_follow_keras_parsing_and_stay_in_range():
    assert RandomContrast(0.3).factor == tuple(keras().layers.RandomContrast(0.3).factor) == (0.0, 0.3)
    assert RandomContrast((0.6, 0.2)).factor == tuple(keras().layers.RandomContrast((0.6, 0.2)).factor)
    layer = RandomContrast((0.2, 0.5), seed=0)
    draws = torch.cat([layer.get_random_transformation(torch.zeros(64, 2, 2, 1))["contrast_factor"] for _ in range(20)])
    assert draws.min() >= 0.8 and draws.max() <= 1.5 and draws.min() < 0.85 and draws.max() > 1.45
    out = RandomContrast(1.0, value_range=(0, 1), seed=1)(torch.from_numpy(images((32, 4, 4, 3))), training=True)
    assert out.min() >= 0.0 and out.max() <= 1.0


def test_inference_is_the_identity():
    check_inference_identity(lambda: RandomContrast(0.5), (2, 6, 6, 3))


def test_seed_config_and_symbolic():
    check_seed_and_config(lambda seed: RandomContrast(0.5, value_range=(0, 1), seed=seed), (4, 5, 5, 1))
    check_symbolic(lambda: RandomContrast(0.5), (2, 5, 5, 3))


def test_active_in_fit_not_in_predict():
    x = images((4, 6, 6, 1))
    kwargs = {"factor": (-0.5, 0.5), "value_range": (0, 1)}
    expected = keras().ops.convert_to_numpy(keras().layers.RandomContrast(**kwargs)(x, training=True))
    check_active_in_fit(RandomContrast(**kwargs), x, expected)


def test_errors_name_the_layer():
    with pytest.raises(
        ValueError, match=r"RandomContrast 'c1': factor must be a number or a pair of numbers in \[0, 1\]"
    ):
        RandomContrast(-0.5, name="c1")
    with pytest.raises(ValueError, match=r"RandomContrast 'c2': value_range must be a pair of numbers"):
        RandomContrast(0.5, value_range=255, name="c2")
