"""Symbolic tensors carry Keras masks (``x._keras_mask``), and a layer defined on a masked symbolic tensor
receives the mask in its call, as in Keras (keras.io's "Understanding masking & padding")."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import fitorch
from tests.layers.harness import keras

BRANCHES = {
    "embedding": lambda lib, x: x,
    "dense": lambda lib, x: lib.layers.Dense(2)(x),
    "lstm_sequences": lambda lib, x: lib.layers.LSTM(2, return_sequences=True)(x),
    "lstm_last": lambda lib, x: lib.layers.LSTM(2)(x),
    "pooling": lambda lib, x: lib.layers.GlobalAveragePooling1D()(x),
    "concatenate": lambda lib, x: lib.layers.Concatenate()([x, lib.layers.Dense(2)(x)]),
    "add": lambda lib, x: lib.layers.Add()([x, x]),
    "activation": lambda lib, x: lib.layers.Activation("relu")(x),
}


def _mask_shape(tensor):
    mask = getattr(tensor, "_keras_mask", None)
    return None if mask is None else tuple(mask.shape)


@pytest.mark.parametrize("name", sorted(BRANCHES))
def test_symbolic_masks_have_keras_shapes(name):
    shapes = []
    for lib in (fitorch, keras()):
        tokens = lib.layers.Input(shape=(None,), dtype="int32")
        shapes.append(_mask_shape(BRANCHES[name](lib, lib.layers.Embedding(10, 4, mask_zero=True)(tokens))))
    assert shapes[0] == shapes[1]


def test_masking_layer_and_unmasked_inputs_like_keras():
    for lib in (fitorch, keras()):
        features = lib.layers.Input(shape=(5, 3))
        assert _mask_shape(lib.layers.Masking()(features)) == (None, 5)
        assert _mask_shape(features) is None and _mask_shape(lib.layers.Dense(2)(features)) is None
    mask = fitorch.layers.Masking()(fitorch.layers.Input(shape=(5, 3)))._keras_mask
    assert mask.dtype == torch.bool


def test_a_layer_that_needs_its_mask_gets_it_when_the_model_is_defined_and_matches_keras():
    def build(lib):
        class TemporalSoftmax(lib.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.supports_masking = True

            def call(self, inputs, mask=None):
                assert mask is not None
                weight = lib.ops.expand_dims(lib.ops.cast(mask, "float32"), -1)
                exp = lib.ops.exp(inputs) * weight
                return exp / lib.ops.sum(exp * weight, axis=-1, keepdims=True)

        tokens = lib.layers.Input(shape=(None,), dtype="int32")
        hidden = lib.layers.Dense(1)(lib.layers.Embedding(10, 4, mask_zero=True)(tokens))
        return lib.Model(tokens, TemporalSoftmax()(hidden))

    model, reference = build(fitorch), build(keras())
    reference.set_weights(model.get_weights())
    ids = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    with torch.no_grad():
        output = model(torch.from_numpy(ids)).numpy()
    np.testing.assert_allclose(output, keras().ops.convert_to_numpy(reference(ids)), rtol=1e-5)
