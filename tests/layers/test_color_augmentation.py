"""The color augmentation layers (RandomGrayscale, RandomInvert, Solarization, AutoContrast, RandomPosterization,
RandomHue, RandomSaturation, RandomColorDegeneration, RandomSharpness, RandomColorJitter) against Keras 3.

Keras' random draws cannot be matched bit for bit, so each transform is checked by giving both libraries the
same transformation (``transform_images`` with a forced draw) or a degenerate factor range."""

import json

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


def rgb(batch=3, height=5, width=6, data_format="channels_last", high=1.0, seed=0):
    shape = (batch, height, width, 3) if data_format == "channels_last" else (batch, 3, height, width)
    return torch.from_numpy(images(shape, seed=seed) * high)


def keras_transform(name, kwargs, x, transformation):
    layer = getattr(keras().layers, name)(**kwargs)
    return layer.transform_images(x, transformation, training=True)


# ---------------------------------------------------------------- forced transforms against Keras
@pytest.mark.parametrize("data_format", FORMATS)
def test_grayscale_matches_keras(data_format):
    x = rgb(data_format=data_format)
    should_apply = torch.tensor([True, False, True]).reshape(-1, 1, 1, 1)
    ours = layers.RandomGrayscale(data_format=data_format).transform_images(x, should_apply)
    assert_matches_keras(ours, keras_transform("RandomGrayscale", {"data_format": data_format}, x, should_apply))
    for factor in (0.0, 1.0):  # the draws are forced by the extremes
        kwargs = {"factor": factor, "data_format": data_format}
        assert_matches_keras(
            layers.RandomGrayscale(**kwargs)(x, training=True),
            keras().layers.RandomGrayscale(**kwargs)(x, training=True),
        )


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("value_range", [(0, 255), (0, 1)])
def test_invert_matches_keras(data_format, value_range):
    x = rgb(data_format=data_format, high=value_range[1])
    transformation = {"apply_inversion": torch.tensor([True, False, True])}
    kwargs = {"value_range": value_range, "data_format": data_format}
    ours = layers.RandomInvert(**kwargs).transform_images(x, transformation)
    assert_matches_keras(ours, keras_transform("RandomInvert", kwargs, x, transformation))
    forced = {**kwargs, "factor": (1.0, 1.0)}  # probability 1: every image inverted
    assert_matches_keras(
        layers.RandomInvert(**forced)(x, training=True), keras().layers.RandomInvert(**forced)(x, training=True)
    )


@pytest.mark.parametrize("value_range", [(0, 255), (0, 1), (-1, 1)])
def test_solarization_matches_keras(value_range):
    x = rgb(high=1.0) * (value_range[1] - value_range[0]) + value_range[0]
    transformation = {
        "additions": torch.tensor([0.0, 30.0, 100.0]).reshape(-1, 1, 1, 1),
        "thresholds": torch.tensor([0.0, 128.0, 200.0]).reshape(-1, 1, 1, 1),
    }
    kwargs = {"value_range": value_range}
    ours = layers.Solarization(**kwargs).transform_images(x, transformation)
    assert_matches_keras(ours, keras_transform("Solarization", kwargs, x, transformation), atol=1e-4)
    # Degenerate ranges force the draws in a full call (Keras draws from [lower, upper * 255]).
    forced = {**kwargs, "addition_factor": (0.0, 0.0), "threshold_factor": (0.0, 0.0)}
    assert_matches_keras(
        layers.Solarization(**forced)(x, training=True), keras().layers.Solarization(**forced)(x, training=True)
    )


def test_solarization_draw_ranges_follow_keras():
    layer = layers.Solarization(addition_factor=(0.1, 0.2), threshold_factor=0.5, seed=3)
    draws = [layer.get_random_transformation(torch.zeros(256, 2, 2, 3)) for _ in range(4)]
    additions = torch.cat([d["additions"].flatten() for d in draws])
    thresholds = torch.cat([d["thresholds"].flatten() for d in draws])
    # As Keras: [lower, upper * 255] (the lower end not scaled).
    assert additions.min() >= 0.1 and additions.max() <= 0.2 * 255 and additions.max() > 0.9 * 0.2 * 255
    assert thresholds.min() >= 0.0 and thresholds.max() <= 0.5 * 255
    theirs = keras().layers.Solarization(addition_factor=(0.1, 0.2), threshold_factor=0.5)
    assert list(layer.addition_factor) == list(theirs.addition_factor)
    assert list(layer.threshold_factor) == list(theirs.threshold_factor)


@pytest.mark.parametrize("value_range", [(0, 255), (0, 1)])
def test_auto_contrast_matches_keras_in_training_and_inference(value_range):
    x = (rgb(high=0.6) + 0.2) * value_range[1]  # values well inside the range
    x[1, :, :, 2] = 0.5 * value_range[1]  # a flat channel: Keras keeps it
    kwargs = {"value_range": value_range}
    theirs = keras().layers.AutoContrast(**kwargs)
    for training in (True, False):
        assert_matches_keras(layers.AutoContrast(**kwargs)(x, training=training), theirs(x, training=training))
    assert_matches_keras(layers.AutoContrast(**kwargs)(x[0]), theirs(x[0]))  # one image


def test_auto_contrast_channels_first_is_per_channel():
    x = rgb(high=200.0) + 20
    ours = layers.AutoContrast(data_format="channels_first")(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)
    # Keras reduces over axes (1, 2) whatever the format, so the channels_last result is the reference.
    assert_matches_keras(ours, keras().layers.AutoContrast()(x))


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("value_range", [(0, 255), (0, 1)])
def test_posterization_matches_keras(data_format, value_range):
    x = rgb(data_format=data_format, high=value_range[1])
    transformation = {"shift_factor": torch.tensor([7, 4, 0], dtype=torch.uint8)}
    kwargs = {"factor": 4, "value_range": value_range, "data_format": data_format}
    ours = layers.RandomPosterization(**kwargs).transform_images(x, transformation)
    assert_matches_keras(ours, keras_transform("RandomPosterization", kwargs, x, transformation))
    forced = {**kwargs, "factor": (3, 3)}
    assert_matches_keras(
        layers.RandomPosterization(**forced)(x, training=True),
        keras().layers.RandomPosterization(**forced)(x, training=True),
    )


def test_posterization_bits_follow_keras():
    assert list(layers.RandomPosterization(5).factor) == list(keras().layers.RandomPosterization(5).factor)
    layer = layers.RandomPosterization((2, 6), seed=0)
    shifts = torch.cat([layer.get_random_transformation(torch.zeros(64, 1, 1, 1))["shift_factor"] for _ in range(8)])
    assert set(shifts.tolist()) == {3, 4, 5, 6}  # bits in [2, 6), the upper end excluded as in Keras


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("value_range", [(0, 255), (0, 1)])
def test_hue_matches_keras(data_format, value_range):
    x = rgb(data_format=data_format, high=value_range[1])
    transformation = {"factor": torch.tensor([0.3, -0.45, 0.0])}
    kwargs = {"factor": 0.9, "value_range": value_range, "data_format": data_format}
    ours = layers.RandomHue(**kwargs).transform_images(x, transformation)
    assert_matches_keras(ours, keras_transform("RandomHue", kwargs, x, transformation), atol=1e-4)


def test_hue_draws_have_a_random_sign():
    layer = layers.RandomHue((0.4, 0.6), seed=0)
    shifts = layer.get_random_transformation(torch.zeros(512, 1, 1, 3))["factor"]
    assert (shifts.abs() >= 0.2 - 1e-6).all() and (shifts.abs() <= 0.3 + 1e-6).all()
    assert (shifts > 0).any() and (shifts < 0).any()
    assert list(layers.RandomHue(0.3).factor) == list(keras().layers.RandomHue(0.3).factor)


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("value_range", [(0, 255), (0, 1)])
def test_saturation_matches_keras(data_format, value_range):
    x = rgb(data_format=data_format, high=value_range[1])
    transformation = {"factor": torch.tensor([0.0, 1.0, 3.0])}
    kwargs = {"factor": 0.5, "value_range": value_range, "data_format": data_format}
    ours = layers.RandomSaturation(**kwargs).transform_images(x, transformation)
    assert_matches_keras(ours, keras_transform("RandomSaturation", kwargs, x, transformation), atol=1e-4)
    forced = {**kwargs, "factor": (0.8, 0.8)}
    assert_matches_keras(
        layers.RandomSaturation(**forced)(x, training=True),
        keras().layers.RandomSaturation(**forced)(x, training=True),
        atol=1e-4,
    )
    assert list(layers.RandomSaturation(0.5).factor) == list(keras().layers.RandomSaturation(0.5).factor)


@pytest.mark.parametrize("data_format", FORMATS)
def test_color_degeneration_matches_keras(data_format):
    x = rgb(data_format=data_format, high=255.0)
    transformation = {"factor": torch.tensor([0.0, 0.5, -0.7]).reshape(-1, 1, 1, 1)}
    kwargs = {"factor": 0.9, "data_format": data_format}
    ours = layers.RandomColorDegeneration(**kwargs).transform_images(x, transformation)
    assert_matches_keras(ours, keras_transform("RandomColorDegeneration", kwargs, x, transformation), atol=1e-4)
    forced = {"factor": (0.3, 0.3), "value_range": (0, 1), "data_format": data_format}
    x = x / 255
    assert_matches_keras(
        layers.RandomColorDegeneration(**forced)(x, training=True),
        keras().layers.RandomColorDegeneration(**forced)(x, training=True),
    )


@pytest.mark.parametrize("data_format", FORMATS)
@pytest.mark.parametrize("value_range", [(0, 255), (0, 1)])
def test_sharpness_matches_keras(data_format, value_range):
    x = rgb(data_format=data_format, high=value_range[1])
    transformation = {"factor": torch.tensor([0.0, 0.5, 1.0])}
    kwargs = {"factor": 1.0, "value_range": value_range, "data_format": data_format}
    ours = layers.RandomSharpness(**kwargs).transform_images(x, transformation)
    assert_matches_keras(ours, keras_transform("RandomSharpness", kwargs, x, transformation), atol=1e-4)
    forced = {**kwargs, "factor": (0.9, 0.9)}
    assert_matches_keras(
        layers.RandomSharpness(**forced)(x, training=True),
        keras().layers.RandomSharpness(**forced)(x, training=True),
        atol=1e-4,
    )


def test_color_jitter_matches_keras_with_forced_factors():
    x = rgb(high=255.0)
    kwargs = {"brightness_factor": (0.1, 0.1), "contrast_factor": (-0.3, 0.3), "saturation_factor": (0.7, 0.7)}
    ours = layers.RandomColorJitter(**kwargs)(x, training=True)
    assert_matches_keras(ours, keras().layers.RandomColorJitter(**kwargs)(x, training=True), atol=1e-3)
    # Hue's sign is random: each image equals Keras' result for +shift or for -shift.
    kwargs = {"value_range": (0, 1), "hue_factor": (0.4, 0.4)}
    x = x / 255
    ours = layers.RandomColorJitter(**kwargs, seed=0)(x, training=True)
    hue = keras().layers.RandomHue(0.4, value_range=(0, 1))
    plus = to_numpy(hue.transform_images(x, {"factor": torch.full((3,), 0.2)}, training=True))
    minus = to_numpy(hue.transform_images(x, {"factor": torch.full((3,), -0.2)}, training=True))
    for i in range(3):
        assert np.allclose(to_numpy(ours)[i], plus[i], atol=1e-4) or np.allclose(to_numpy(ours)[i], minus[i], atol=1e-4)


def test_color_jitter_steps_and_config():
    jitter = layers.RandomColorJitter(brightness_factor=0.2, hue_factor=(0.1, 0.3), seed=5)
    assert list(jitter.steps) == ["brightness", "hue"]
    config = jitter.get_config()
    assert config["brightness_factor"] == 0.2 and config["hue_factor"] == [0.1, 0.3]
    assert config["contrast_factor"] is None and config["saturation_factor"] is None
    assert json.loads(json.dumps(config)) == config
    with pytest.raises(ValueError, match=r"RandomColorJitter 'j1': invalid hue_factor: .*factor must be a number"):
        layers.RandomColorJitter(hue_factor=2.0, name="j1")


# ---------------------------------------------------------------- what every layer shares
MAKERS = {
    "RandomGrayscale": lambda **kw: layers.RandomGrayscale(0.5, **kw),
    "RandomInvert": lambda **kw: layers.RandomInvert((0.5, 0.5), value_range=(0, 1), **kw),
    "Solarization": lambda **kw: layers.Solarization(0.5, 0.5, value_range=(0, 1), **kw),
    "RandomPosterization": lambda **kw: layers.RandomPosterization((1, 8), value_range=(0, 1), **kw),
    "RandomHue": lambda **kw: layers.RandomHue(0.8, value_range=(0, 1), **kw),
    "RandomSaturation": lambda **kw: layers.RandomSaturation((0.1, 0.9), value_range=(0, 1), **kw),
    "RandomColorDegeneration": lambda **kw: layers.RandomColorDegeneration(0.9, value_range=(0, 1), **kw),
    "RandomSharpness": lambda **kw: layers.RandomSharpness(1.0, value_range=(0, 1), **kw),
    "RandomColorJitter": lambda **kw: layers.RandomColorJitter(
        (0, 1), brightness_factor=0.3, contrast_factor=0.5, saturation_factor=(0.2, 0.8), hue_factor=0.5, **kw
    ),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_inference_identity_seed_config_and_symbolic(name):
    make = MAKERS[name]
    check_inference_identity(lambda: make(), (4, 6, 6, 3))
    check_seed_and_config(lambda seed: make(seed=seed), (16, 5, 5, 3))
    check_symbolic(lambda: make(), (2, 5, 5, 3))
    single = torch.from_numpy(images((5, 5, 3)))
    assert make(seed=1)(single, training=True).shape == single.shape


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_channels_first_is_channels_last_transposed(name):
    x = torch.from_numpy(images((4, 5, 6, 3)))
    last = MAKERS[name](seed=3, data_format="channels_last")(x, training=True)
    first = MAKERS[name](seed=3, data_format="channels_first")(x.permute(0, 3, 1, 2), training=True)
    torch.testing.assert_close(first.permute(0, 2, 3, 1), last, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize(
    "name, kwargs",
    [("RandomGrayscale", {"factor": 1.0}), ("RandomInvert", {"factor": (1.0, 1.0), "value_range": (0, 1)}),
     ("Solarization", {"value_range": (0, 1)}), ("RandomPosterization", {"factor": (2, 2), "value_range": (0, 1)}),
     ("RandomColorDegeneration", {"factor": (0.6, 0.6), "value_range": (0, 1)}),
     ("RandomSharpness", {"factor": (0.1, 0.1), "value_range": (0, 1)})],
)  # fmt: skip
def test_active_in_fit_not_in_predict(name, kwargs):
    x = images((4, 6, 6, 3))
    expected = to_numpy(getattr(keras().layers, name)(**kwargs)(x, training=True))
    check_active_in_fit(getattr(layers, name)(**kwargs), x, expected)


def test_save_load_in_sequential_and_keras_files(tmp_path):
    x = images((2, 6, 6, 3))
    model = fitorch.Sequential(
        [
            layers.Input((6, 6, 3)),
            layers.AutoContrast(value_range=(0, 1)),
            layers.RandomGrayscale(0.3, seed=1),
            layers.Solarization(0.1, (0.2, 0.4), value_range=(0, 1)),
            layers.RandomColorJitter((0, 1), brightness_factor=0.2, hue_factor=0.1),
            layers.RandomPosterization(4, value_range=(0, 1)),
            layers.Flatten(),
            layers.Dense(2),
        ]
    )
    model.save(tmp_path / "m.fitorch")
    loaded = fitorch.load_model(tmp_path / "m.fitorch")
    for ours, theirs in zip(model.layers, loaded.layers, strict=True):
        assert type(ours) is type(theirs) and ours.get_config() == theirs.get_config()
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    # A Keras file with these layers loads, with Keras' configs, and predicts as Keras does.
    inputs = keras().Input((6, 6, 3))
    y = keras().layers.AutoContrast(value_range=(0, 1))(inputs)
    for layer in (keras().layers.RandomInvert(value_range=(0, 1)), keras().layers.Solarization(0.2),
                  keras().layers.RandomHue(0.3), keras().layers.RandomSharpness(0.4),
                  keras().layers.RandomColorDegeneration(0.5), keras().layers.RandomSaturation(0.5),
                  keras().layers.RandomPosterization(3), keras().layers.RandomGrayscale(),
                  keras().layers.RandomColorJitter(contrast_factor=0.2)):  # fmt: skip
        y = layer(y)
    source = keras().Model(inputs, keras().layers.Dense(2)(keras().layers.Flatten()(y)))
    source.save(str(tmp_path / "k.keras"))
    imported = fitorch.load_model(tmp_path / "k.keras")
    names = [type(layer).__name__ for layer in imported.layers]
    assert names == [type(layer).__name__ for layer in source.layers]
    # training=False explicitly: Keras records `training=True` (the default of its image layers' `call`) in the
    # file's graph, and fitorch's functional import keeps recorded values when `training` is left None.
    imported.eval()
    with torch.no_grad():
        outputs = imported(torch.from_numpy(x), training=False)
    np.testing.assert_allclose(to_numpy(outputs), source.predict(x, verbose=0), atol=1e-5)
    hue = imported.layers[names.index("RandomHue")]
    assert list(hue.factor) == [0.0, 0.3] and hue.value_range == [0.0, 255.0]


def test_errors_name_the_layer():
    with pytest.raises(
        ValueError, match=r"RandomGrayscale 'g': factor must be a float in \[0, 1\]; received factor=1.5"
    ):
        layers.RandomGrayscale(1.5, name="g")
    with pytest.raises(ValueError, match=r"RandomInvert 'i': factor must be a number or a pair of numbers in \[0, 1\]"):
        layers.RandomInvert(-0.5, name="i")
    with pytest.raises(ValueError, match=r"Solarization 's': threshold_factor must be a number or a pair .* \[0, 1\]"):
        layers.Solarization(threshold_factor=(0.2, 1.5), name="s")
    with pytest.raises(ValueError, match=r"AutoContrast 'a': value_range must be a pair of numbers"):
        layers.AutoContrast(value_range=(0, 1, 2), name="a")
    with pytest.raises(
        ValueError, match=r"RandomPosterization 'p': factor must be an int or a pair of ints in \[1, 8\]"
    ):
        layers.RandomPosterization(9, name="p")
    with pytest.raises(ValueError, match=r"RandomHue 'h': factor must be a number or a pair of numbers in \[0, 1\]"):
        layers.RandomHue(1.5, name="h")
    with pytest.raises(ValueError, match=r"RandomSaturation 'sa': value_range must be a pair"):
        layers.RandomSaturation(0.5, value_range="0-255", name="sa")
    with pytest.raises(ValueError, match=r"RandomColorDegeneration 'c': images must have 3 channels"):
        layers.RandomColorDegeneration(0.5, name="c").compute_output_shape((None, 4, 4, 2))
    with pytest.raises(ValueError, match=r"RandomSharpness 'sh': expected images of rank 4 \(a batch\) or 3"):
        layers.RandomSharpness(0.5, name="sh")(torch.zeros(4, 4), training=True)
    with pytest.raises(TypeError, match=r"RandomHue 'h2': seed must be an int or None"):
        layers.RandomHue(0.5, seed="1", name="h2")
