"""RandomErasing and RandomGaussianBlur against Keras 3 (same transformation, or degenerate ranges that force the
draws), plus inference, seeds, config, symbolic shapes, fit and Keras files."""

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from tests.layers.augmentation_checks import (
    assert_matches_keras,
    check_active_in_fit,
    check_inference_identity,
    check_seed_and_config,
    check_symbolic,
    images,
    keras,
)
from tests.layers.harness import to_numpy

FORMATS = ["channels_last", "channels_first"]


def batch(data_format="channels_last", high=255.0, size=3):
    shape = (size, 5, 6, 3) if data_format == "channels_last" else (size, 3, 5, 6)
    return torch.from_numpy(images(shape) * high)


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("fill_value", [None, 40.0, [10.0, 300.0, -5.0]])
def test_erasing_matches_keras(data_format, fill_value):
    x = batch(data_format)
    kwargs = {"fill_value": fill_value, "data_format": data_format}
    ours, theirs = layers.RandomErasing(**kwargs), keras().layers.RandomErasing(**kwargs)
    corners = [torch.tensor(v) for v in ([0.0, 1.5, 2.0], [3.0, 4.5, 6.0], [1.0, 0.0, 0.5], [4.0, 2.5, 5.0])]
    masks = layers.CutMix(data_format=data_format).batch_masks(tuple(x.shape), *corners)
    np.testing.assert_array_equal(to_numpy(masks), to_numpy(theirs._generate_batch_mask(tuple(x.shape), corners)))
    if fill_value is None:
        fill = torch.from_numpy(images(tuple(x.shape), seed=1) * 255)
    elif data_format == "channels_first" and isinstance(fill_value, list):
        # Keras' full_like puts a per-channel fill on the last axis whatever the format; NumPy is the oracle.
        fill = ours._fill(x)
        expected = np.broadcast_to(np.clip(fill_value, 0, 255).reshape(1, 3, 1, 1), x.shape)
        np.testing.assert_array_equal(to_numpy(fill), expected)
    else:  # the constant fill, clipped to value_range, is Keras' own
        fill = ours._fill(x)
        assert_matches_keras(fill, theirs._get_fill_value(x, tuple(x.shape), None))
    transformation = {"apply_erasing": torch.tensor([True, True, False]), "batch_masks": masks, "fill_value": fill}
    assert_matches_keras(ours.transform_images(x, transformation), theirs.transform_images(x, transformation))


@pytest.mark.parametrize("data_format", FORMATS)
def test_erasing_forced_draws_match_keras_in_training(data_format):
    x = batch(data_format)
    kwargs = {"factor": (1.0, 1.0), "scale": (1.0, 1.0), "fill_value": 7.0, "data_format": data_format}
    ours = layers.RandomErasing(**kwargs)(x, training=True)
    assert_matches_keras(ours, keras().layers.RandomErasing(**kwargs)(x, training=True))
    kwargs["factor"] = (0.0, 0.0)  # never erase
    torch.testing.assert_close(layers.RandomErasing(**kwargs)(x, training=True), x)


def test_erasing_box_sizes_and_noise():
    layer = layers.RandomErasing(scale=(0.25, 0.25), seed=0, value_range=(0, 1))
    x = torch.ones(64, 8, 8, 1) * 0.5
    transformation = layer.get_random_transformation(x)
    rows = transformation["batch_masks"][..., 0].any(dim=2).sum(dim=1)
    cols = transformation["batch_masks"][..., 0].any(dim=1).sum(dim=1)
    assert set(rows.tolist()) <= {4, 5} and set(cols.tolist()) <= {4, 5}  # sides of 0.5 * 8 pixels, at any offset
    fill = transformation["fill_value"]
    assert fill.min() >= 0 and fill.max() <= 1 and fill.std() > 0.2  # clipped N(0, 1) * 1
    assert list(layer.scale) == list(keras().layers.RandomErasing(scale=(0.25, 0.25)).scale)


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("kernel_size", [3, 5])
def test_gaussian_blur_matches_keras(data_format, kernel_size):
    x = batch(data_format)
    kwargs = {"kernel_size": kernel_size, "data_format": data_format}
    transformation = {"should_apply_blur": torch.tensor([True, False, True]), "blur_factor": torch.tensor([0.7, 1.3])}
    ours = layers.RandomGaussianBlur(**kwargs).transform_images(x, transformation)
    theirs = keras().layers.RandomGaussianBlur(**kwargs).transform_images(x, transformation, training=True)
    assert_matches_keras(ours, theirs, atol=1e-4)
    forced = {**kwargs, "factor": (1.0, 1.0), "sigma": (0.6, 0.6), "value_range": (0, 200)}
    assert_matches_keras(
        layers.RandomGaussianBlur(**forced)(x, training=True),
        keras().layers.RandomGaussianBlur(**forced)(x, training=True),
        atol=1e-4,
    )


def test_gaussian_blur_parsing_follows_keras():
    ours, theirs = layers.RandomGaussianBlur(0.4, sigma=0.5), keras().layers.RandomGaussianBlur(0.4, sigma=0.5)
    assert list(ours.factor) == list(theirs.factor) and list(ours.sigma) == list(theirs.sigma)
    assert list(ours.kernel_size) == list(theirs.kernel_size)


MAKERS = {
    "RandomErasing": lambda **kw: layers.RandomErasing(0.8, value_range=(0, 1), **kw),
    "RandomGaussianBlur": lambda **kw: layers.RandomGaussianBlur(0.8, sigma=(0.2, 1.0), value_range=(0, 1), **kw),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_inference_identity_seed_config_and_symbolic(name):
    make = MAKERS[name]
    check_inference_identity(lambda: make(), (4, 6, 6, 3))
    check_seed_and_config(lambda seed: make(seed=seed), (16, 6, 6, 3))
    check_symbolic(lambda: make(), (2, 6, 6, 3))
    single = torch.from_numpy(images((6, 6, 3)))
    assert make(seed=1)(single, training=True).shape == single.shape


@pytest.mark.parametrize(
    "name, kwargs",
    [("RandomErasing", {"factor": (1.0, 1.0), "scale": (1.0, 1.0), "fill_value": 0.5, "value_range": (0, 1)}),
     ("RandomGaussianBlur", {"factor": (1.0, 1.0), "sigma": (0.8, 0.8), "value_range": (0, 1)})],
)  # fmt: skip
def test_active_in_fit_not_in_predict(name, kwargs):
    x = images((4, 6, 6, 3))
    expected = to_numpy(getattr(keras().layers, name)(**kwargs)(x, training=True))
    check_active_in_fit(getattr(layers, name)(**kwargs), x, expected)


def test_keras_file_loads(tmp_path):
    inputs = keras().Input((6, 6, 3))
    y = keras().layers.RandomErasing(0.5, fill_value=[1, 2, 3])(inputs)
    y = keras().layers.RandomGaussianBlur(kernel_size=5, sigma=(0.2, 0.9))(y)
    source = keras().Model(inputs, keras().layers.Dense(2)(keras().layers.Flatten()(y)))
    source.save(str(tmp_path / "k.keras"))
    imported = fitorch.load_model(tmp_path / "k.keras")
    erasing, blur = imported.layers[1], imported.layers[2]
    assert erasing.fill_value == [1.0, 2.0, 3.0] and list(erasing.factor) == [0.0, 0.5]
    assert list(blur.kernel_size) == [5, 5] and list(blur.sigma) == [0.2, 0.9]
    x = images((2, 6, 6, 3))
    with torch.no_grad():
        outputs = imported(torch.from_numpy(x), training=False)
    np.testing.assert_allclose(to_numpy(outputs), source.predict(x, verbose=0), atol=1e-5)
    imported.save(tmp_path / "again.fitorch")
    again = fitorch.load_model(tmp_path / "again.fitorch")
    assert again.layers[1].get_config() == erasing.get_config() and again.layers[2].get_config() == blur.get_config()


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"RandomErasing 'e': fill_value must be None, a number or a list of 3"):
        layers.RandomErasing(fill_value=[1, 2], name="e")
    with pytest.raises(
        ValueError, match=r"RandomErasing 'e2': scale must be a number or a pair of numbers in \[0, 1\]"
    ):
        layers.RandomErasing(scale=1.5, name="e2")
    with pytest.raises(ValueError, match=r"RandomGaussianBlur 'b': kernel_size must be an odd int or a pair of odd"):
        layers.RandomGaussianBlur(kernel_size=4, name="b")
    with pytest.raises(ValueError, match=r"RandomGaussianBlur 'b2': sigma must be a number or a pair of numbers"):
        layers.RandomGaussianBlur(sigma=-1.0, name="b2")
