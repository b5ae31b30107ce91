import json

import numpy as np
import pytest
import torch

from fitorch import layers
from fitorch.layers.core import Embedding
from fitorch.layers.normalization import SpectralNormalization
from tests.layers.harness import keras, run_layer_test, to_numpy


@pytest.mark.parametrize("power_iterations", [1, 3])
def test_spectral_normalization_of_dense_matches_keras(power_iterations):
    run_layer_test(
        lambda: SpectralNormalization(layers.Dense(4), power_iterations=power_iterations),
        (3, 5),
        lambda: keras().layers.SpectralNormalization(keras().layers.Dense(4), power_iterations=power_iterations),
    )


def test_spectral_normalization_of_conv2d_matches_keras():
    run_layer_test(
        lambda: SpectralNormalization(layers.Conv2D(3, 2)),
        (2, 5, 5, 2),
        lambda: keras().layers.SpectralNormalization(keras().layers.Conv2D(3, 2)),
    )


def test_weights_are_listed_in_keras_order():
    sn = SpectralNormalization(layers.Dense(3))
    sn(torch.zeros(2, 4))
    keras_sn = keras().layers.SpectralNormalization(keras().layers.Dense(3))
    keras_sn.build((2, 4))
    assert [w.shape for w in sn.get_weights()] == [(4, 3), (1, 3), (3,)]
    assert [w.shape for w in sn.get_weights()] == [tuple(w.shape) for w in keras_sn.get_weights()]


def test_training_calls_drive_the_spectral_norm_to_one_and_inference_leaves_it():
    sn = SpectralNormalization(layers.Dense(8))
    x = torch.randn(4, 16)
    sn(x, training=False)
    with torch.no_grad():
        sn.layer.weight.mul_(5.0)
    before = sn.layer.weight.detach().clone()
    sn(x, training=False)
    assert torch.equal(before, sn.layer.weight)
    for _ in range(30):
        sn(x, training=True)
    sigma = torch.linalg.matrix_norm(sn.layer.weight.detach(), ord=2)
    assert abs(float(sigma) - 1.0) < 1e-3


def test_embedding_kernel_is_normalized_like_keras():
    tokens = np.array([[1, 2, 3], [4, 0, 2]], dtype="int64")
    sn = SpectralNormalization(Embedding(6, 3))
    sn(torch.from_numpy(tokens))
    keras_sn = keras().layers.SpectralNormalization(keras().layers.Embedding(6, 3))
    keras_sn.build((2, 3))
    keras_sn.set_weights(sn.get_weights())
    out = sn(torch.from_numpy(tokens), training=True)
    keras_sn(tokens, training=True)
    for ours, theirs in zip(sn.get_weights(), keras_sn.get_weights(), strict=True):
        np.testing.assert_allclose(ours, to_numpy(theirs), atol=1e-6)
    assert out.dtype == torch.float32  # Keras casts the output to the (integer) input dtype


def test_all_zero_kernel_is_left_unchanged():
    sn = SpectralNormalization(layers.Dense(3, kernel_initializer="zeros"))
    sn(torch.ones(2, 4))
    u = sn.vector_u.clone()
    sn(torch.ones(2, 4), training=True)
    assert torch.count_nonzero(sn.layer.weight) == 0
    assert torch.equal(u, sn.vector_u)


def test_config_round_trip_rebuilds_the_wrapped_layer():
    sn = SpectralNormalization(layers.Dense(5, activation="relu"), power_iterations=2)
    config = json.loads(json.dumps(sn.get_config()))
    rebuilt = SpectralNormalization.from_config(config)
    assert isinstance(rebuilt.layer, layers.Dense) and rebuilt.layer.units == 5
    assert rebuilt.get_config() == config


def test_unknown_wrapped_class_is_refused():
    with pytest.raises(ValueError, match=r"unknown layer class 'Evil'; pass it in custom_objects"):
        SpectralNormalization.from_config({"layer": {"class_name": "Evil", "config": {}}, "power_iterations": 1})


def test_layer_without_kernel_is_explained():
    sn = SpectralNormalization(layers.Flatten(name="flat"), name="sn")
    with pytest.raises(ValueError, match=r"SpectralNormalization 'sn': the wrapped layer 'flat' \(Flatten\) has no "
                       r"kernel named 'weight'"):
        sn(torch.zeros(2, 3, 4))


def test_non_layer_is_refused():
    with pytest.raises(TypeError, match=r"layer must be a fitorch layer"):
        SpectralNormalization(torch.nn.Linear(2, 3))


@pytest.mark.parametrize("power_iterations", [0, -1, 1.5])
def test_bad_power_iterations(power_iterations):
    with pytest.raises(ValueError, match=r"power_iterations must be a positive int"):
        SpectralNormalization(layers.Dense(2), power_iterations=power_iterations)
