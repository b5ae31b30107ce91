"""RNN (any cell, stacked cells, masks, states) against Keras 3's RNN."""

import json

import numpy as np
import pytest
import torch

from fitorch import layers
from fitorch.layers.layer import Layer
from fitorch.layers.recurrent import (
    GRU,
    LSTM,
    RNN,
    Bidirectional,
    GRUCell,
    LSTMCell,
    SimpleRNNCell,
    StackedRNNCells,
)
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

RIGHT_PADDED = np.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 0, 0, 0, 0, 0]], dtype=bool)
WITH_HOLES = np.array([[1, 0, 1, 1, 0, 1], [0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]], dtype=bool)


def _nested_numpy(value):
    if isinstance(value, (list, tuple)):
        return [_nested_numpy(v) for v in value]
    return to_numpy(value)


def _assert_nested_close(ours, theirs, atol=1e-5):
    if isinstance(theirs, (list, tuple)):
        assert isinstance(ours, (list, tuple)) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            _assert_nested_close(a, b, atol)
        return
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=atol, rtol=atol)


def _compare(layer, keras_layer, x, **call_kwargs):
    torch_kwargs = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in call_kwargs.items()}
    ours = layer(torch.from_numpy(x), **torch_kwargs)
    keras_layer.build(x.shape)
    assert [w.shape for w in layer.get_weights()] == [tuple(w.shape) for w in keras_layer.get_weights()]
    keras_layer.set_weights(layer.get_weights())
    theirs = keras_layer(x, **call_kwargs)
    _assert_nested_close(ours, theirs)
    return ours


def _keras_cells(k):
    return [k.layers.LSTMCell(4), k.layers.GRUCell(3), k.layers.SimpleRNNCell(2)]


def _cells():
    return [
        LSTMCell(4, bias_initializer="random_normal"),
        GRUCell(3, bias_initializer="random_normal"),
        SimpleRNNCell(2),
    ]


def test_list_of_cells_with_harness():
    run_layer_test(
        lambda: RNN(_cells()), (2, 5, 3), lambda: keras().layers.RNN(_keras_cells(keras())), check_compile=False
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"return_sequences": True},
        {"return_sequences": True, "go_backwards": True},
        {"return_state": True},
        {"return_sequences": True, "return_state": True, "go_backwards": True},
    ],
)
@pytest.mark.parametrize("mask", [None, RIGHT_PADDED, WITH_HOLES])
def test_stacked_cells_match_keras(kwargs, mask):
    k = keras()
    call_kwargs = {} if mask is None else {"mask": mask}
    _compare(RNN(_cells(), **kwargs), k.layers.RNN(_keras_cells(k), **kwargs), make_input((3, 6, 5)), **call_kwargs)


@pytest.mark.parametrize("zero_output_for_mask", [False, True])
@pytest.mark.parametrize("mask", [RIGHT_PADDED, WITH_HOLES])
def test_masks_match_keras(zero_output_for_mask, mask):
    k = keras()
    kwargs = {"return_sequences": True, "return_state": True, "zero_output_for_mask": zero_output_for_mask}
    _compare(RNN(LSTMCell(4), **kwargs), k.layers.RNN(k.layers.LSTMCell(4), **kwargs), make_input((3, 6, 2)), mask=mask)


def test_return_state_structure():
    x = torch.ones(2, 4, 3)
    output, h, c = RNN(LSTMCell(4), return_state=True)(x)
    assert output.shape == h.shape == c.shape == (2, 4)
    output, state = RNN(GRUCell(5), return_state=True)(x)
    assert state.shape == (2, 5)
    output, lstm_states, gru_states = RNN([LSTMCell(4), GRUCell(5)], return_state=True)(x)
    assert [s.shape for s in lstm_states] == [(2, 4), (2, 4)] and [s.shape for s in gru_states] == [(2, 5)]
    assert torch.equal(output, gru_states[0])


def test_symbolic_shapes_match_eager_for_stacked_states():
    make = lambda: RNN([LSTMCell(4), GRUCell(5)], return_sequences=True, return_state=True)  # noqa: E731
    eager = make()(torch.ones(2, 7, 3))
    symbolic = make()(layers.Input(shape=(7, 3)))
    assert len(symbolic) == len(eager) == 3
    flat_eager = [eager[0], *eager[1], *eager[2]]
    flat_symbolic = [symbolic[0], *symbolic[1], *symbolic[2]]
    assert [tuple(s.shape[1:]) for s in flat_symbolic] == [tuple(e.shape[1:]) for e in flat_eager]


def test_initial_state_matches_keras():
    k = keras()
    x = make_input((3, 6, 2))
    h0, c0 = make_input((3, 4)), make_input((3, 4)) * 0.5
    _compare(RNN(LSTMCell(4)), k.layers.RNN(k.layers.LSTMCell(4)), x, initial_state=[h0, c0])
    layer = RNN([LSTMCell(4), GRUCell(3)], return_state=True)
    states = [[torch.from_numpy(h0), torch.from_numpy(c0)], [torch.zeros(3, 3)]]
    output, (h, c), (g,) = layer(torch.from_numpy(x), initial_state=states)
    keras_layer = k.layers.RNN([k.layers.LSTMCell(4), k.layers.GRUCell(3)], return_state=True)
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    expected = keras_layer(x, initial_state=[[h0, c0], [np.zeros((3, 3), "float32")]])
    _assert_nested_close([output, [h, c], [g]], _nested_numpy(expected))


def test_rnn_over_a_cell_equals_the_fused_layer():
    x = torch.from_numpy(make_input((2, 9, 3)))
    for cell, fused in ((LSTMCell(5), LSTM(5, return_sequences=True)), (GRUCell(5), GRU(5, return_sequences=True))):
        layer = RNN(cell, return_sequences=True)
        layer(x)
        fused(x)
        layer.set_weights(fused.get_weights())
        torch.testing.assert_close(layer(x), fused(x), atol=1e-5, rtol=1e-5)


def test_stateful_carries_states_and_resets():
    layer = RNN(GRUCell(3), stateful=True)
    x = torch.from_numpy(make_input((2, 4, 3)))
    first = layer(x)
    second = layer(x)
    assert not torch.allclose(first, second)
    layer.reset_states()
    torch.testing.assert_close(layer(x), first)
    with pytest.raises(ValueError, match="batch size of the input sequences must be the same"):
        layer(torch.ones(5, 4, 3))


class MinimalCell(Layer):
    """Keras' documented custom cell: ``output = x W + h U``."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.add_weight("kernel", (input_shape[-1], self.units), "glorot_uniform")
        self.add_weight("recurrent_kernel", (self.units, self.units), "orthogonal")

    def call(self, inputs, states):
        output = inputs @ self.kernel + states[0] @ self.recurrent_kernel
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def _keras_minimal_cell(k, units):
    class KerasMinimalCell(k.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

        def call(self, inputs, states):
            output = k.ops.matmul(inputs, self.kernel) + k.ops.matmul(states[0], self.recurrent_kernel)
            return output, [output]

    return KerasMinimalCell(units)


def test_user_cell_matches_keras():
    k = keras()
    x = make_input((3, 6, 2))
    kwargs = {"return_sequences": True, "return_state": True}
    _compare(RNN(MinimalCell(3), **kwargs), k.layers.RNN(_keras_minimal_cell(k, 3), **kwargs), x, mask=WITH_HOLES)
    stacked = RNN([MinimalCell(3), LSTMCell(2)])
    keras_stacked = k.layers.RNN([_keras_minimal_cell(k, 3), k.layers.LSTMCell(2)])
    _compare(stacked, keras_stacked, x)


def test_plain_object_cell_without_get_initial_state():
    class Counter:
        state_size = (1, 2)
        output_size = 1

        def call(self, inputs, states):
            count, pair = states
            return count + 1, [count + 1, pair + inputs[:, :1]]

    output, count, pair = RNN(Counter(), return_state=True)(torch.ones(2, 5, 3))
    assert torch.equal(count, torch.full((2, 1), 5.0)) and torch.equal(pair, torch.full((2, 2), 5.0))


def test_mask_from_embedding():
    model_in = torch.tensor([[3, 4, 0, 0], [5, 0, 0, 0]])
    embedding = layers.Embedding(10, 3, mask_zero=True)
    layer = RNN(LSTMCell(2), return_sequences=True)
    sequence = layer(embedding(model_in))
    torch.testing.assert_close(sequence[0, 2], sequence[0, 1])
    torch.testing.assert_close(sequence[1, 3], sequence[1, 0])


def test_training_uses_cell_dropout_once_per_sequence():
    layer = RNN(SimpleRNNCell(6, dropout=0.5, seed=1), return_sequences=True)
    x = torch.ones(2, 5, 4)
    inference = layer(x, training=False)
    trained = layer(x, training=True)
    assert not torch.allclose(inference, trained)
    assert layer.cell._input_mask is None  # forgotten after the sequence, as Keras


def test_config_round_trip_with_stacked_cells():
    layer = RNN([LSTMCell(4), GRUCell(3, reset_after=False)], return_sequences=True, go_backwards=True)
    config = json.loads(json.dumps(layer.get_config()))
    assert "dropout" not in config and config["cell"]["class_name"] == "StackedRNNCells"
    rebuilt = RNN.from_config(config)
    assert isinstance(rebuilt.cell, StackedRNNCells) and rebuilt.get_config() == config


def test_get_weights_order_matches_keras_for_stacked_cells():
    k = keras()
    layer = RNN(_cells())
    layer(torch.ones(1, 2, 5))
    keras_layer = k.layers.RNN(_keras_cells(k))
    keras_layer.build((1, 2, 5))
    assert [w.shape for w in layer.get_weights()] == [tuple(w.shape) for w in keras_layer.get_weights()]
    with pytest.raises(ValueError, match="set_weights expected 9 arrays, received 8"):
        layer.set_weights(layer.get_weights()[:-1])


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: RNN(object()), ValueError, "every cell must have a `call"),
        (lambda: RNN(type("C", (), {"call": lambda self, x, s: x})()), ValueError, "`state_size` attribute"),
        (lambda: RNN(type("C", (), {"call": lambda s, x, st: x, "state_size": "a"})()), ValueError, "state_size must"),
        (lambda: RNN(LSTMCell(2), dropout=0.2), TypeError, "dropout belongs to the cell"),
    ],
)
def test_argument_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_call_errors():
    with pytest.raises(ValueError, match="at least 3 axes"):
        RNN(LSTMCell(2))(torch.ones(2, 3))
    with pytest.raises(ValueError, match="initial_state must be a list of 2 tensors of shapes"):
        RNN(LSTMCell(2))(torch.ones(2, 3, 4), initial_state=[torch.zeros(2, 2)])
    with pytest.raises(ValueError, match="mask must be a boolean tensor of shape"):
        RNN(LSTMCell(2))(torch.ones(2, 3, 4), mask=torch.ones(2, 4, dtype=torch.bool))


@pytest.mark.parametrize("return_sequences", [False, True])
def test_bidirectional_over_stacked_cells_matches_keras(return_sequences):
    k = keras()
    layer = Bidirectional(RNN([LSTMCell(3), GRUCell(2)], return_sequences=return_sequences))
    keras_layer = k.layers.Bidirectional(
        k.layers.RNN([k.layers.LSTMCell(3), k.layers.GRUCell(2)], return_sequences=return_sequences)
    )
    _compare(layer, keras_layer, make_input((3, 6, 3)), mask=RIGHT_PADDED)
