import pytest
import torch

from fitorch.layers.preprocessing import RandomFlip
from tests.layers.augmentation_checks import (
    assert_matches_keras,
    check_active_in_fit,
    check_inference_identity,
    check_seed_and_config,
    check_symbolic,
    images,
    keras,
)


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
@pytest.mark.parametrize("data_format, shape", [("channels_last", (4, 5, 6, 3)), ("channels_first", (4, 3, 5, 6))])
def test_given_flips_match_keras_transform_images(mode, data_format, shape):
    x = images(shape)
    flips = torch.tensor([True, False, True, False])
    ours = RandomFlip(mode, data_format=data_format).transform_images(torch.from_numpy(x), {"flips": flips})
    keras_layer = keras().layers.RandomFlip(mode, data_format=data_format)
    theirs = keras_layer.transform_images(torch.from_numpy(x), {"flips": flips.reshape(-1, 1, 1, 1)}, training=True)
    assert_matches_keras(ours, theirs, atol=0)


def test_every_output_is_one_of_the_allowed_flips_and_both_happen():
    x = torch.from_numpy(images((64, 4, 5, 1)))
    outputs = RandomFlip("horizontal", seed=0)(x, training=True)
    flipped = torch.tensor([torch.equal(o, i.flip(1)) for o, i in zip(outputs, x, strict=True)])
    kept = torch.tensor([torch.equal(o, i) for o, i in zip(outputs, x, strict=True)])
    assert bool((flipped | kept).all()) and 16 < int(flipped.sum()) < 48
    both = RandomFlip(seed=1)(x, training=True)  # Keras 3: one draw decides both flips
    assert all(torch.equal(o, i) or torch.equal(o, i.flip(0, 1)) for o, i in zip(both, x, strict=True))


def test_inference_is_the_identity():
    check_inference_identity(lambda: RandomFlip(), (2, 6, 6, 3))


def test_seed_config_and_symbolic():
    check_seed_and_config(lambda seed: RandomFlip("vertical", seed=seed), (16, 5, 5, 1))
    check_symbolic(lambda: RandomFlip(), (2, 5, 5, 3))


def test_active_in_fit_not_in_predict():
    x = images((8, 4, 4, 1))
    layer = RandomFlip("horizontal", seed=3)
    expected_flips = RandomFlip("horizontal", seed=3).get_random_transformation(torch.from_numpy(x))
    expected = (
        keras()
        .layers.RandomFlip("horizontal")
        .transform_images(torch.from_numpy(x), {"flips": expected_flips["flips"].reshape(-1, 1, 1, 1)}, training=True)
    )
    check_active_in_fit(layer, x, keras().ops.convert_to_numpy(expected))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"RandomFlip 'f1': mode must be one of \['horizontal', 'vertical'"):
        RandomFlip("diagonal", name="f1")
    with pytest.raises(ValueError, match=r"RandomFlip 'f2': expected images of rank 4 \(a batch\) or 3"):
        RandomFlip(name="f2")(torch.zeros(2, 2, 2, 2, 2))
