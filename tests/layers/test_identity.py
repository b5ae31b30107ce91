import numpy as np
import torch

import fitorch
from fitorch import layers
from fitorch.layers.core import Identity
from tests.layers.harness import keras, run_layer_test


def test_identity_matches_keras():
    run_layer_test(Identity, (3, 4, 5), lambda: keras().layers.Identity())


def test_identity_on_a_list_returns_it_unchanged():
    layer = Identity()
    a, b = torch.ones(2, 3), torch.zeros(2, 4)
    out = layer([a, b])
    assert out[0] is a and out[1] is b
    assert layer.compute_output_shape([(None, 3), (None, 4)]) == [(None, 3), (None, 4)]


def test_identity_passes_the_mask_on():
    tokens = np.array([[3, 5, 0, 0]], dtype="int64")
    inputs = layers.Input(shape=(4,), dtype="int64")
    embedded = layers.Embedding(10, 2, mask_zero=True)(inputs)
    model = fitorch.Model(inputs, Identity()(embedded))
    out = model(torch.from_numpy(tokens))
    assert out._keras_mask.tolist() == [[True, True, False, False]]


def test_identity_config_is_only_the_base_config():
    assert set(Identity(name="skip").get_config()) == {"name", "trainable"}
