"""SimpleRNNCell, LSTMCell, GRUCell and StackedRNNCells against Keras 3's cells."""

import json

import numpy as np
import pytest
import torch

from fitorch.layers.recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, SimpleRNN, SimpleRNNCell, StackedRNNCells
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

CELLS = {
    "simple": (SimpleRNNCell, lambda k: k.layers.SimpleRNNCell, SimpleRNN),
    "lstm": (LSTMCell, lambda k: k.layers.LSTMCell, LSTM),
    "gru": (GRUCell, lambda k: k.layers.GRUCell, GRU),
}


def _keras_cell_step(keras_cell, weights, x, states):
    keras_cell.build(x.shape)
    keras_cell.set_weights(weights)
    output, new_states = keras_cell(x, [s.copy() for s in states])
    new_states = new_states if isinstance(new_states, (list, tuple)) else [new_states]
    return to_numpy(output), [to_numpy(s) for s in new_states]


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("simple", {}),
        ("simple", {"activation": "relu", "use_bias": False}),
        ("lstm", {}),
        ("lstm", {"recurrent_activation": "hard_sigmoid", "unit_forget_bias": False}),
        ("gru", {}),
        ("gru", {"reset_after": False}),
        ("gru", {"use_bias": False}),
    ],
)
def test_one_step_matches_keras_cell(kind, kwargs):
    ours_cls, keras_cls, _ = CELLS[kind]
    cell = ours_cls(4, bias_initializer="random_normal", **kwargs)
    x = make_input((3, 5))
    count = 2 if kind == "lstm" else 1
    states = [np.random.default_rng(i).standard_normal((3, 4)).astype("float32") for i in range(count)]
    output, new_states = cell(torch.from_numpy(x), [torch.from_numpy(s) for s in states])
    expected_output, expected_states = _keras_cell_step(keras_cls(keras())(4, **kwargs), cell.get_weights(), x, states)
    np.testing.assert_allclose(output.detach().numpy(), expected_output, atol=1e-5)
    assert len(new_states) == len(expected_states) == count
    for ours, theirs in zip(new_states, expected_states, strict=True):
        np.testing.assert_allclose(ours.detach().numpy(), theirs, atol=1e-5)


@pytest.mark.parametrize("kind", ["simple", "lstm", "gru"])
def test_weights_layout_and_order_match_keras(kind):
    ours_cls, keras_cls, layer_cls = CELLS[kind]
    cell = ours_cls(3)
    cell(torch.zeros(2, 5), cell.get_initial_state(2))
    keras_cell = keras_cls(keras())(3)
    keras_cell.build((2, 5))
    assert [w.shape for w in cell.get_weights()] == [tuple(w.shape) for w in keras_cell.get_weights()]
    assert [w.path.split("/")[-1] for w in keras_cell.weights] == ["kernel", "recurrent_kernel", "bias"]
    # Keras' weights go in and come back unchanged; the cell and its layer share the torch layout.
    cell.set_weights(keras_cell.get_weights())
    for ours, theirs in zip(cell.get_weights(), keras_cell.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, to_numpy(theirs))
    layer = layer_cls(3)
    layer(torch.zeros(2, 4, 5))
    layer.set_weights(cell.get_weights())
    assert list(cell.state_dict()) == list(layer.state_dict())
    for name, value in cell.state_dict().items():
        torch.testing.assert_close(value, layer.state_dict()[name])


def test_cell_equals_its_layer_step_by_step():
    cell, layer = LSTMCell(4), LSTM(4, return_sequences=True)
    x = torch.from_numpy(make_input((2, 6, 3)))
    sequence = layer(x)
    cell(x[:, 0], cell.get_initial_state(2))
    cell.set_weights(layer.get_weights())
    states = cell.get_initial_state(2)
    for t in range(6):
        output, states = cell(x[:, t], states)
        torch.testing.assert_close(output, sequence[:, t], atol=1e-6, rtol=1e-6)


def test_state_size_output_size_and_initial_state():
    assert SimpleRNNCell(3).state_size == 3 and GRUCell(3).state_size == 3
    assert LSTMCell(3).state_size == [3, 3]
    assert LSTMCell(3).output_size == 3
    h, c = LSTMCell(3).get_initial_state(batch_size=5)
    assert h.shape == c.shape == (5, 3) and not h.any()
    (state,) = GRUCell(2).get_initial_state(batch_size=4)
    assert state.shape == (4, 2)


def test_single_state_given_as_tensor_returns_a_tensor():
    cell = GRUCell(4)
    output, state = cell(torch.ones(2, 3), torch.zeros(2, 4))
    assert isinstance(state, torch.Tensor) and torch.equal(output, state)
    output, states = cell(torch.ones(2, 3), [torch.zeros(2, 4)])
    assert isinstance(states, list) and len(states) == 1


def test_cell_dropout_mask_is_kept_until_reset():
    cell = SimpleRNNCell(8, dropout=0.5, recurrent_dropout=0.5, seed=3, kernel_initializer="ones")
    x, h = torch.full((2, 16), 0.01), torch.full((2, 8), 0.01)
    first, _ = cell(x, [h], training=True)
    again, _ = cell(x, [h], training=True)
    torch.testing.assert_close(first, again)  # the same masks within a sequence
    cell.reset_dropout_mask()
    cell.reset_recurrent_dropout_mask()
    assert cell._input_mask is None and cell._recurrent_mask is None
    inference, _ = cell(x, [h], training=False)
    assert not torch.equal(first, inference)


def test_cell_config_round_trip():
    cell = GRUCell(5, activation="relu", reset_after=False, dropout=0.1, seed=2, name="g")
    config = json.loads(json.dumps(cell.get_config()))
    assert GRUCell.from_config(config).get_config() == config
    assert config["units"] == 5 and config["reset_after"] is False


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: LSTMCell(0), "LSTMCell 'lstm_cell.*units must be a positive int; received units=0"),
        (lambda: GRUCell(3, dropout=1.0), "dropout must be a float in \\[0, 1\\)"),
        (lambda: SimpleRNNCell(3, recurrent_dropout=-0.1), "recurrent_dropout must be a float"),
        (lambda: StackedRNNCells([]), "cells must be a non-empty list"),
        (lambda: StackedRNNCells([LSTMCell(2), object()]), "must have a `call"),
    ],
)
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_wrong_number_of_states_raises():
    cell = LSTMCell(3)
    with pytest.raises(ValueError, match="states must be a list of 2 tensor"):
        cell(torch.ones(2, 4), [torch.zeros(2, 3)])


def test_stacked_cells_match_keras_and_nest_states():
    k = keras()
    stacked = StackedRNNCells([LSTMCell(4), GRUCell(3), SimpleRNNCell(2)])
    x = make_input((2, 5))
    states = stacked.get_initial_state(2)
    assert stacked.state_size == [[4, 4], 3, 2] and stacked.output_size == 2
    output, new_states = stacked(torch.from_numpy(x), states)
    assert [len(s) for s in new_states] == [2, 1, 1]
    keras_stacked = k.layers.StackedRNNCells([k.layers.LSTMCell(4), k.layers.GRUCell(3), k.layers.SimpleRNNCell(2)])
    keras_stacked.build((2, 5))
    assert [w.shape for w in stacked.get_weights()] == [tuple(w.shape) for w in keras_stacked.get_weights()]
    keras_stacked.set_weights(stacked.get_weights())
    expected, expected_states = keras_stacked(x, keras_stacked.get_initial_state(2))
    np.testing.assert_allclose(output.detach().numpy(), to_numpy(expected), atol=1e-5)
    for ours, theirs in zip([t for s in new_states for t in s], [t for s in expected_states for t in s], strict=True):
        np.testing.assert_allclose(ours.detach().numpy(), to_numpy(theirs), atol=1e-5)
    config = json.loads(json.dumps(stacked.get_config()))
    assert StackedRNNCells.from_config(config).get_config() == config


@pytest.mark.parametrize("kind", ["simple", "lstm", "gru"])
def test_cells_in_rnn_with_harness(kind):
    ours_cls, keras_cls, _ = CELLS[kind]
    run_layer_test(
        lambda: RNN(ours_cls(4, bias_initializer="random_normal"), return_sequences=True),
        (2, 5, 3),
        lambda: keras().layers.RNN(keras_cls(keras())(4), return_sequences=True),
        check_compile=kind == "lstm",
    )
