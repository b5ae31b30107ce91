import numpy as np
import pytest
import torch

from fitorch.layers.preprocessing import RandomCrop
from tests.layers.augmentation_checks import (
    assert_matches_keras,
    check_seed_and_config,
    images,
    keras,
)
from tests.layers.augmentation_checks import check_active_in_fit as _check_active_in_fit


@pytest.mark.parametrize("data_format, shape", [("channels_last", (2, 7, 9, 3)), ("channels_first", (2, 3, 7, 9))])
@pytest.mark.parametrize("offsets", [(0, 0), (2, 5), (4, 6)])
def test_given_offsets_match_keras_transform_images(data_format, shape, offsets):
    x = images(shape)
    ours = RandomCrop(3, 3, data_format=data_format).transform_images(torch.from_numpy(x), offsets)
    theirs = (
        keras()
        .layers.RandomCrop(3, 3, data_format=data_format)
        .transform_images(torch.from_numpy(x), offsets, training=True)
    )
    assert_matches_keras(ours, theirs, atol=0)


@pytest.mark.parametrize("height, width, shape", [(4, 6, (2, 8, 8, 3)), (5, 5, (2, 5, 9, 1)), (10, 4, (1, 6, 8, 2))])
def test_inference_is_the_centred_aspect_ratio_resize(height, width, shape):
    x = images(shape)
    ours = RandomCrop(height, width)(torch.from_numpy(x), training=False)
    theirs = keras().ops.image.resize(x, (height, width), crop_to_aspect_ratio=True)
    assert_matches_keras(ours, theirs)


def test_training_on_small_images_resizes_like_inference():
    x = torch.from_numpy(images((2, 4, 9, 1)))
    layer = RandomCrop(6, 6, seed=0)
    torch.testing.assert_close(layer(x, training=True), layer(x, training=False))


def test_random_windows_stay_inside_and_cover_every_offset():
    x = torch.arange(6 * 7, dtype=torch.float32).reshape(1, 6, 7, 1)
    layer = RandomCrop(4, 4, seed=0)
    seen = set()
    for _ in range(200):
        top, left = layer.get_random_transformation(x)
        assert 0 <= top <= 2 and 0 <= left <= 3
        seen.add((top, left))
        torch.testing.assert_close(layer.transform_images(x, (top, left)), x[:, top : top + 4, left : left + 4, :])
    assert len(seen) == 12
    exact = torch.rand(2, 4, 4, 1)
    torch.testing.assert_close(RandomCrop(4, 4)(exact, training=True), exact)


def test_seed_config_shapes_and_single_images():
    check_seed_and_config(lambda seed: RandomCrop(3, 3, seed=seed), (2, 9, 9, 1))
    from fitorch.layers import Input

    symbolic = RandomCrop(3, 4)(Input(shape=(8, 9, 2), dtype="uint8"))
    assert symbolic.shape == (None, 3, 4, 2) and symbolic.dtype == torch.float32
    assert RandomCrop(3, 4, data_format="channels_first")(torch.rand(2, 8, 9), training=True).shape == (2, 3, 4)
    assert RandomCrop(3, 4)(torch.rand(8, 9, 2), training=False).shape == (3, 4, 2)


def test_active_in_fit_not_in_predict():
    x = images((4, 6, 6, 1))
    layer = RandomCrop(6, 6, seed=0)  # the only window is the whole image in both modes; shapes must hold
    _check_active_in_fit(layer, x, x)
    # A real crop inside fit: the probe sees the window at the seeded offsets; predict sees the centred resize.
    from fitorch import Model, layers
    from tests.layers.augmentation_checks import Probe

    top, left = RandomCrop(4, 4, seed=5).get_random_transformation(torch.from_numpy(x))
    probe = Probe()
    inputs = layers.Input(shape=(6, 6, 1))
    model = Model(inputs, layers.Dense(1)(layers.Flatten()(probe(RandomCrop(4, 4, seed=5)(inputs)))))
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((4, 1), "float32"), batch_size=4, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_array_equal(probe.seen[-1].numpy(), x[:, top : top + 4, left : left + 4, :])
    model.predict(x, batch_size=4, verbose=0)
    assert_matches_keras(probe.seen[-1], keras().ops.image.resize(x, (4, 4), crop_to_aspect_ratio=True))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"RandomCrop 'c1': height must be a positive int"):
        RandomCrop(0, 3, name="c1")
    with pytest.raises(ValueError, match=r"RandomCrop 'c2': expected images of rank 4 \(a batch\) or 3"):
        RandomCrop(3, 3, name="c2")(torch.zeros(4, 4))
