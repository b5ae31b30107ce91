"""Keras masks flow from Embedding(mask_zero=True) through the graph into losses."""

import numpy as np
import torch

import fitorch
from fitorch import layers
from tests.layers.harness import keras


def test_mask_propagates_through_supporting_layers_and_is_consumed_by_pooling():
    tokens = np.array([[3, 5, 0, 0], [1, 0, 0, 0]], dtype="int64")
    inputs = layers.Input(shape=(4,), dtype="int64")
    embedded = layers.Embedding(10, 6, mask_zero=True, name="emb")(inputs)
    hidden = layers.Dense(5, activation="relu", name="proj")(embedded)
    pooled = layers.GlobalAveragePooling1D()(hidden)
    model = fitorch.Model(inputs, pooled)
    x = torch.from_numpy(tokens)
    out = model(x)
    assert not hasattr(out, "_keras_mask")  # pooling consumed it
    h = model.get_layer("proj")(model.get_layer("emb")(x))
    torch.testing.assert_close(h._keras_mask, x != 0)
    expected = torch.stack([h[0, :2].mean(0), h[1, :1].mean(0)])
    torch.testing.assert_close(out, expected)

    k_in = keras().Input(shape=(4,), dtype="int64")
    k_emb = keras().layers.Embedding(10, 6, mask_zero=True)
    k_proj = keras().layers.Dense(5, activation="relu")
    k_model = keras().Model(k_in, keras().layers.GlobalAveragePooling1D()(k_proj(k_emb(k_in))))
    k_emb.set_weights(model.get_layer("emb").get_weights())
    k_proj.set_weights(model.get_layer("proj").get_weights())
    np.testing.assert_allclose(keras().ops.convert_to_numpy(k_model(tokens)), out.detach().numpy(), atol=1e-6)


def test_losses_ignore_masked_steps():
    y_pred = torch.rand(2, 3, 1)
    y_true = torch.rand(2, 3, 1)
    y_pred._keras_mask = torch.tensor([[True, True, False], [True, False, False]])
    loss = fitorch.losses.MeanSquaredError()(y_true, y_pred)
    per_step = ((y_true - y_pred) ** 2).mean(-1)
    kept = per_step[y_pred._keras_mask]
    k_pred = keras().ops.convert_to_tensor(y_pred.numpy())
    k_pred._keras_mask = keras().ops.convert_to_tensor(y_pred._keras_mask.numpy())
    expected = keras().losses.MeanSquaredError()(y_true.numpy(), k_pred)
    np.testing.assert_allclose(float(loss), float(keras().ops.convert_to_numpy(expected)), rtol=1e-5)
    np.testing.assert_allclose(float(loss), float(kept.mean()), rtol=1e-5)
