"""RandomPerspective and RandomElasticTransform against Keras 3 for forced transformations, plus inference, seeds,
config, symbolic shapes and fit.

Keras' RandomElasticTransform draws its displacement fields from torch's global random state on the CPU, so under
the same ``torch.manual_seed`` a fitorch layer without a seed draws the same fields: an exact oracle.
"""

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from tests.layers.augmentation_checks import (
    Probe,
    assert_matches_keras,
    check_inference_identity,
    check_seed_and_config,
    check_symbolic,
    images,
    keras,
)


def batch(data_format, size=3, high=1.0):
    shape = (size, 7, 6, 2) if data_format == "channels_last" else (size, 2, 7, 6)
    return torch.from_numpy(images(shape) * high)


@pytest.mark.parametrize("interpolation, data_format", [("bilinear", "channels_last"), ("nearest", "channels_first")])
def test_forced_perspective_matches_keras(interpolation, data_format):
    x = batch(data_format)
    kwargs = {"scale": 0.6, "interpolation": interpolation, "fill_value": 0.25, "data_format": data_format}
    corners = torch.tensor([[0.0, 0.0], [5.0, 0.0], [0.0, 6.0], [5.0, 6.0]]).repeat(3, 1, 1)
    moves = torch.from_numpy(np.random.default_rng(5).uniform(-0.3, 0.3, (3, 4, 2)).astype("float32"))
    transformation = {"apply_perspective": torch.tensor([True, False, True]), "start_points": corners,
                      "end_points": corners + corners * moves}  # fmt: skip
    ours = layers.RandomPerspective(**kwargs).transform_images(x, transformation)
    theirs = keras().layers.RandomPerspective(**kwargs).transform_images(x, transformation, training=True)
    assert_matches_keras(ours, theirs, atol=1e-5)
    assert torch.equal(ours[1], x[1])


def test_perspective_draws_follow_keras():
    layer = layers.RandomPerspective(factor=(0.5, 0.5), scale=0.4, seed=0)
    transformation = layer.get_random_transformation(torch.zeros(2000, 5, 9, 1))
    start, end = transformation["start_points"], transformation["end_points"]
    assert torch.equal(start[0], torch.tensor([[0.0, 0.0], [8.0, 0.0], [0.0, 4.0], [8.0, 4.0]]))
    moves = (end - start)[:, 1:] / start[:, 1:].clamp(min=1)  # the top-left corner (0, 0) cannot move
    nonzero = start[:, 1:] > 0
    assert moves[nonzero].min() >= -0.2 and moves[nonzero].max() <= 0.2 and moves[nonzero].std() > 0.1
    assert 0.45 < transformation["apply_perspective"].float().mean() < 0.55
    theirs = keras().layers.RandomPerspective(0.3, scale=0.4)
    assert list(layers.RandomPerspective(0.3).factor) == list(theirs.factor)


@pytest.mark.parametrize(
    "fill_mode, interpolation, data_format",
    [("reflect", "bilinear", "channels_last"), ("constant", "nearest", "channels_first"),
     ("wrap", "bilinear", "channels_last")],
)  # fmt: skip
def test_forced_elastic_transform_matches_keras(fill_mode, interpolation, data_format):
    x = batch(data_format, high=255.0)
    kwargs = {"fill_mode": fill_mode, "interpolation": interpolation, "data_format": data_format, "fill_value": 9.0,
              "value_range": (0, 200)}  # fmt: skip
    transformation = {"apply_transform": torch.tensor([True, False, True]), "distortion_factor": torch.tensor(0.7)}
    torch.manual_seed(11)
    theirs = (
        keras()
        .layers.RandomElasticTransform(**kwargs)
        .transform_images(x, {**transformation, "seed": None}, training=True)
    )
    torch.manual_seed(11)
    ours = layers.RandomElasticTransform(**kwargs).transform_images(x, transformation)
    assert_matches_keras(ours, theirs, atol=1e-4)
    assert torch.equal(ours[1], x[1].clamp(0, 200))


def test_elastic_parsing_and_degenerate_ranges_follow_keras():
    ours, theirs = layers.RandomElasticTransform(0.4, scale=0.3), keras().layers.RandomElasticTransform(0.4, scale=0.3)
    assert list(ours.factor) == list(theirs.factor) and list(ours.scale) == list(theirs.scale)
    x = batch("channels_last", high=255.0)
    for layer in (layers.RandomElasticTransform(scale=0.0), layers.RandomElasticTransform(factor=0.0)):
        assert layer.get_random_transformation(x) is None
        assert torch.equal(layer(x, training=True), x)


MAKERS = {
    "RandomPerspective": lambda **kw: layers.RandomPerspective(0.8, scale=0.5, **kw),
    "RandomElasticTransform": lambda **kw: layers.RandomElasticTransform(0.8, value_range=(0, 1), **kw),
}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_inference_identity_seed_config_symbolic_and_fit(name):
    make = MAKERS[name]
    check_inference_identity(lambda: make(), (2, 8, 8, 3))
    check_seed_and_config(lambda seed: make(seed=seed), (8, 8, 8, 1))
    check_symbolic(lambda: make(), (2, 8, 8, 3))
    single = torch.from_numpy(images((8, 8, 3)))
    assert make(seed=1)(single, training=True).shape == single.shape
    x = images((4, 8, 8, 1))
    probe = Probe()
    inputs = layers.Input(shape=x.shape[1:])
    forced = {"RandomPerspective": {"factor": (1.0, 1.0)},
              "RandomElasticTransform": {"factor": (1.0, 1.0), "value_range": (0, 1)}}[name]  # fmt: skip
    model_layer = getattr(layers, name)(**forced)
    model = fitorch.Model(inputs, layers.Dense(1)(layers.Flatten()(probe(model_layer(inputs)))))
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((4, 1), "float32"), batch_size=4, epochs=1, verbose=0)
    assert not np.allclose(probe.seen[-1].numpy(), x)
    model.predict(x, batch_size=4, verbose=0)
    np.testing.assert_array_equal(probe.seen[-1].numpy(), x)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_keras_config_loads(name):
    kwargs = {
        "factor": 0.5,
        "scale": 0.3,
        "interpolation": "nearest",
        "fill_value": 2.0,
        "data_format": "channels_first",
    }
    config = getattr(keras().layers, name)(**kwargs).get_config()
    ours = getattr(layers, name).from_config({k: config[k] for k in (*kwargs, "seed")})
    assert list(ours.factor) == list(config["factor"]) and ours.interpolation == "nearest"
    assert ours.data_format == "channels_first" and ours.fill_value == 2.0


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"RandomPerspective 'p1': scale must be a number in \[0, 1\]; received"):
        layers.RandomPerspective(scale=1.5, name="p1")
    with pytest.raises(ValueError, match=r"RandomPerspective 'p2': interpolation must be one of"):
        layers.RandomPerspective(interpolation="bicubic", name="p2")
    with pytest.raises(ValueError, match=r"RandomPerspective 'p3': factor must be a number or a pair of numbers in"):
        layers.RandomPerspective(factor=2.0, name="p3")
    with pytest.raises(ValueError, match=r"RandomElasticTransform 'e1': scale must be a number or a pair of numbers"):
        layers.RandomElasticTransform(scale=-0.5, name="e1")
    with pytest.raises(ValueError, match=r"RandomElasticTransform 'e2': fill_mode must be one of"):
        layers.RandomElasticTransform(fill_mode="edge", name="e2")
    with pytest.raises(ValueError, match=r"RandomElasticTransform 'e3': value_range must be a pair of numbers"):
        layers.RandomElasticTransform(value_range=(0,), name="e3")
