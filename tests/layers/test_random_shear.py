import numpy as np
import pytest
import torch

import fitorch
from fitorch.layers.preprocessing import RandomShear
from tests.layers.augmentation_checks import (
    Probe,
    assert_matches_keras,
    check_inference_identity,
    check_seed_and_config,
    check_symbolic,
    images,
    keras,
)
from tests.layers.harness import to_numpy

SHEARS = torch.tensor([[0.33, 0.0], [-0.45, 0.21], [0.0, -0.63]])  # no half-pixel ties for 'nearest'


@pytest.mark.parametrize(
    "fill_mode, interpolation, data_format",
    [("reflect", "bilinear", "channels_last"), ("constant", "nearest", "channels_last"),
     ("wrap", "bilinear", "channels_first"), ("nearest", "bilinear", "channels_first")],
)  # fmt: skip
def test_forced_shear_matches_keras(fill_mode, interpolation, data_format):
    shape = (3, 7, 6, 2) if data_format == "channels_last" else (3, 2, 7, 6)
    x = torch.from_numpy(images(shape))
    kwargs = {"fill_mode": fill_mode, "interpolation": interpolation, "data_format": data_format, "fill_value": 0.5}
    ours = RandomShear(0.5, 0.5, **kwargs).transform_images(x, {"shear_factor": SHEARS})
    theirs = keras().layers.RandomShear(0.5, 0.5, **kwargs).transform_images(x, {"shear_factor": SHEARS}, training=True)
    assert_matches_keras(ours, theirs)


def test_training_call_is_keras_with_plus_or_minus_the_forced_shear():
    x = torch.from_numpy(images((6, 6, 6, 1)))
    ours = to_numpy(RandomShear((0.4, 0.4), (0.2, 0.2), seed=0)(x, training=True))
    theirs = keras().layers.RandomShear((0.4, 0.4), (0.2, 0.2))
    plus = to_numpy(theirs.transform_images(x, {"shear_factor": torch.tensor([[0.4, 0.2]] * 6)}, training=True))
    minus = to_numpy(theirs.transform_images(x, {"shear_factor": torch.tensor([[-0.4, -0.2]] * 6)}, training=True))
    for i in range(6):
        assert np.allclose(ours[i], plus[i], atol=1e-5) or np.allclose(ours[i], minus[i], atol=1e-5)
    single = x[0]
    assert RandomShear(0.3, seed=1)(single, training=True).shape == single.shape


def test_draws_and_parsing_follow_keras():
    layer = RandomShear((0.2, 0.6), (0.05, 0.1), seed=0)
    shears = layer.get_random_transformation(torch.zeros(512, 2, 2, 1))["shear_factor"]
    assert ((shears[:, 0].abs() >= 0.2) & (shears[:, 0].abs() <= 0.6)).all() and (shears[:, 1].abs() >= 0.05).all()
    assert (shears[:, 0] > 0).any() and (shears[:, 0] < 0).any()
    assert torch.equal(torch.sign(shears[:, 0]), torch.sign(shears[:, 1]))  # one sign per image
    theirs = keras().layers.RandomShear(0.3, (0.1, 0.5))
    ours = RandomShear(0.3, (0.1, 0.5))
    assert list(ours.x_factor) == list(theirs.x_factor) and list(ours.y_factor) == list(theirs.y_factor)


def test_inference_seed_config_symbolic_and_fit():
    check_inference_identity(lambda: RandomShear(0.5, 0.5), (2, 6, 6, 3))
    check_seed_and_config(lambda seed: RandomShear(0.5, 0.3, seed=seed), (4, 6, 6, 1))
    check_symbolic(lambda: RandomShear(0.5), (2, 6, 6, 3))
    x = images((4, 6, 6, 1))
    probe = Probe()
    inputs = fitorch.layers.Input(shape=x.shape[1:])
    model = fitorch.Model(inputs, fitorch.layers.Dense(1)(fitorch.layers.Flatten()(probe(RandomShear(0.5)(inputs)))))
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((4, 1), "float32"), batch_size=4, epochs=1, verbose=0)
    assert not np.allclose(probe.seen[-1].numpy(), x)
    model.predict(x, batch_size=4, verbose=0)
    np.testing.assert_array_equal(probe.seen[-1].numpy(), x)


def test_keras_config_loads():
    config = keras().layers.RandomShear(0.3, (0.1, 0.2), fill_mode="constant").get_config()  # x_factor (-0.3, 0.3)
    layer = RandomShear.from_config({k: config[k] for k in ("x_factor", "y_factor", "fill_mode", "data_format")})
    assert list(layer.x_factor) == [-0.3, 0.3] and list(layer.y_factor) == [0.1, 0.2]


def test_errors_name_the_layer():
    with pytest.raises(
        ValueError, match=r"'s1': x_factor must be a number in \[0, 1\] or a pair of numbers in \[-1, 1\]"
    ):
        RandomShear(-0.5, name="s1")
    with pytest.raises(ValueError, match=r"RandomShear 's2': y_factor must be a number in \[0, 1\] or a pair"):
        RandomShear(0.1, (0.1, 1.5), name="s2")
    with pytest.raises(ValueError, match=r"RandomShear 's3': fill_mode must be one of"):
        RandomShear(0.1, fill_mode="edge", name="s3")
