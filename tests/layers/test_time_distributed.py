import numpy as np
import pytest
import torch
from torch import nn

import fitorch
from fitorch import layers
from fitorch.layers.recurrent import GRU, LSTM, TimeDistributed, Wrapper
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy


def test_time_distributed_dense_matches_keras():
    run_layer_test(
        lambda: TimeDistributed(layers.Dense(4, activation="relu")),
        (3, 5, 2),
        lambda: keras().layers.TimeDistributed(keras().layers.Dense(4, activation="relu")),
    )


def test_time_distributed_conv2d_matches_keras():
    run_layer_test(
        lambda: TimeDistributed(layers.Conv2D(3, 3, padding="same")),
        (2, 4, 6, 6, 2),
        lambda: keras().layers.TimeDistributed(keras().layers.Conv2D(3, 3, padding="same")),
        check_compile=False,
    )


def test_time_distributed_lstm_over_nested_sequences_matches_keras():
    run_layer_test(
        lambda: TimeDistributed(LSTM(3)),
        (2, 3, 5, 4),
        lambda: keras().layers.TimeDistributed(keras().layers.LSTM(3)),
        check_compile=False,
    )


def test_time_distributed_gru_weights_go_through_the_gru_in_keras_order():
    layer = TimeDistributed(GRU(3))
    layer(torch.zeros(1, 2, 4, 2))
    gru = layer.layer
    assert [w.shape for w in layer.get_weights()] == [(2, 9), (3, 9), (2, 9)]
    arrays = [np.full(w.shape, i, "float32") for i, w in enumerate(layer.get_weights())]
    layer.set_weights(arrays)
    np.testing.assert_array_equal(gru.get_weights()[1], arrays[1])


def test_time_distributed_folds_time_into_the_batch_without_a_loop():
    dense = layers.Dense(2)
    calls = []
    dense.register_forward_hook(lambda module, args, output: calls.append(tuple(args[0].shape)))
    TimeDistributed(dense)(torch.zeros(3, 7, 5))
    assert calls == [(21, 5)]


def test_time_distributed_wraps_a_plain_torch_module():
    linear = nn.Linear(4, 2)
    layer = TimeDistributed(linear)
    x = torch.randn(3, 5, 4)
    torch.testing.assert_close(layer(x), linear(x))
    inputs = layers.Input(shape=(5, 4))
    assert TimeDistributed(nn.Linear(4, 6))(inputs).shape == (None, 5, 6)
    with pytest.raises(TypeError, match="only fitorch layers have a config"):
        layer.get_config()


def test_mask_passes_through_and_reaches_an_inner_layer_that_takes_one():
    tokens = np.array([[[1, 2, 0], [3, 0, 0]], [[1, 1, 1], [0, 0, 0]]], dtype="int64")  # (batch, sentences, words)
    inputs = layers.Input(shape=(2, 3), dtype="int64")
    embedded = layers.Embedding(4, 2, mask_zero=True, name="emb")(inputs)
    encoded = TimeDistributed(GRU(3), name="td")(embedded)  # the GRU sees each sentence's word mask
    model = fitorch.Model(inputs, encoded)
    out = model(torch.from_numpy(tokens))
    assert out.shape == (2, 2, 3)

    k_in = keras().Input(shape=(2, 3), dtype="int64")
    k_emb, k_td = keras().layers.Embedding(4, 2, mask_zero=True), keras().layers.TimeDistributed(keras().layers.GRU(3))
    k_model = keras().Model(k_in, k_td(k_emb(k_in)))
    k_emb.set_weights(model.get_layer("emb").get_weights())
    k_td.set_weights(model.get_layer("td").get_weights())
    np.testing.assert_allclose(to_numpy(out), to_numpy(k_model(tokens)), atol=1e-5)


def test_sequence_mask_is_kept_on_the_output():
    layer = TimeDistributed(layers.Dense(2))
    x = torch.randn(2, 3, 4)
    mask = torch.tensor([[True, True, False], [True, False, False]])
    x._keras_mask = mask  # an input carrying a mask switches mask tracking on for its call
    out = layer(x)
    torch.testing.assert_close(out._keras_mask, mask)


def test_config_round_trips_through_the_layer_registry():
    layer = TimeDistributed(layers.Dense(3, activation="tanh"), name="heads")
    rebuilt = TimeDistributed.from_config(layer.get_config())
    assert isinstance(rebuilt.layer, layers.Dense) and rebuilt.layer.units == 3 and rebuilt.name == "heads"
    config = {**layer.get_config(), "layer": {"class_name": "Mystery", "config": {}}}
    with pytest.raises(ValueError, match="Unknown layer class 'Mystery'.*custom_objects"):
        TimeDistributed.from_config(config)


def test_time_distributed_symbolic_shapes_and_errors():
    inputs = layers.Input(shape=(10, 8, 8, 3))
    assert TimeDistributed(layers.Conv2D(4, 3))(inputs).shape == (None, 10, 6, 6, 4)
    with pytest.raises(ValueError, match=r"layer 'td2' \(TimeDistributed\) is incompatible: expected min_ndim=3"):
        TimeDistributed(layers.Dense(2), name="td2")(layers.Input(shape=(4,)))
    built = TimeDistributed(layers.Dense(2), name="td3")
    built(torch.zeros(2, 3, 4))
    with pytest.raises(ValueError, match=r"layer 'td3' \(TimeDistributed\) is incompatible: expected min_ndim=3, "
                       r"received ndim=2 \(shape \(2, 4\)\)"):
        built(torch.zeros(2, 4))
    with pytest.raises(ValueError, match=r"'td4': the mask must start with the input's \(batch, timesteps\) = "
                       r"\(2, 3\); received mask shape \(2, 4\)"):
        TimeDistributed(layers.Dense(2), name="td4")(torch.zeros(2, 3, 1), mask=torch.ones(2, 4, dtype=torch.bool))
    with pytest.raises(ValueError, match="expected a layer"):
        TimeDistributed("dense")
    x = make_input((2, 3, 4))
    assert TimeDistributed(layers.Dense(5))(torch.from_numpy(x)).shape == (2, 3, 5)


class Doubled(Wrapper):
    """A user wrapper: twice the wrapped layer's output."""

    def call(self, inputs):
        return 2 * self.layer(inputs)


def test_user_wrappers_share_weights_and_config_with_the_wrapped_layer():
    layer = Doubled(layers.Dense(2))
    x = torch.randn(3, 4)
    torch.testing.assert_close(layer(x), 2 * layer.layer(x))
    assert [w.shape for w in layer.get_weights()] == [(4, 2), (2,)]
    rebuilt = Doubled.from_config(layer.get_config())
    assert rebuilt.layer.get_config()["units"] == 2 and rebuilt.name == layer.name
