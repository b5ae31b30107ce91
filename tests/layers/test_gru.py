from unittest import mock

import numpy as np
import pytest
import torch
from torch import nn

import fitorch
from fitorch import layers
from fitorch.layers.recurrent import GRU
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

RIGHT_PADDED = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 1, 1, 1, 0]], dtype=bool)
WITH_HOLES = np.array([[0, 1, 1, 0, 1], [0, 0, 0, 1, 1], [1, 1, 1, 1, 1]], dtype=bool)


def keras_outputs(layer, keras_layer, x, **call_kwargs):
    """``keras_layer``'s outputs on ``x`` with ``layer``'s weights, as a list of arrays."""
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    outputs = keras_layer(x, **call_kwargs)
    return [to_numpy(o) for o in (outputs if isinstance(outputs, (tuple, list)) else [outputs])]


def our_outputs(layer, x, **call_kwargs):
    converted = {k: torch.from_numpy(v) if isinstance(v, np.ndarray) else v for k, v in call_kwargs.items()}
    outputs = layer(torch.from_numpy(x), **converted)
    return [to_numpy(o) for o in (outputs if isinstance(outputs, (tuple, list)) else [outputs])]


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"return_sequences": True, "return_state": True},
        {"go_backwards": True, "return_sequences": True},
        {"use_bias": False},
        {"bias_initializer": "ones", "activation": "softsign"},
    ],
)
def test_gru_matches_keras(reset_after, kwargs):
    run_layer_test(
        lambda: GRU(5, reset_after=reset_after, **kwargs),
        (3, 6, 4),
        lambda: keras().layers.GRU(5, reset_after=reset_after, **kwargs),
        check_compile=reset_after and not kwargs,  # compiling costs seconds; the loop compiles in SimpleRNN's test
    )


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_over_64_steps_matches_keras_at_1e_4(reset_after):
    x = make_input((2, 64, 3))
    kwargs = {"reset_after": reset_after, "return_sequences": True, "return_state": True}
    layer = GRU(6, **kwargs)
    for ours, theirs in zip(our_outputs(layer, x), keras_outputs(layer, keras().layers.GRU(6, **kwargs), x), strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-4, rtol=1e-4)


def test_gru_with_dropout_runs_the_harness():
    run_layer_test(
        lambda: GRU(4, dropout=0.2, recurrent_dropout=0.3, seed=3),
        (3, 5, 2),
        lambda: keras().layers.GRU(4, dropout=0.2, recurrent_dropout=0.3),
        deterministic_in_training=False,
        check_compile=False,
    )


def test_reset_after_gru_takes_the_fused_kernel_and_the_loop_agrees():
    x = torch.randn(3, 7, 4)
    fused = GRU(5, return_sequences=True, return_state=True)
    with mock.patch("torch.gru", wraps=torch.gru) as spy:
        fused_out = fused(x)
    assert spy.call_count == 1
    loop = GRU(5, return_sequences=True, return_state=True, use_cudnn=False)
    loop(x)
    loop.load_state_dict(fused.state_dict())
    with mock.patch("torch.gru", wraps=torch.gru) as spy:
        loop_out = loop(x)
        GRU(5, reset_after=False)(x)  # the paper's variant has no torch kernel
    assert spy.call_count == 0
    for a, b in zip(fused_out, loop_out, strict=True):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("mask", [RIGHT_PADDED, WITH_HOLES], ids=["right_padded", "with_holes"])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_masked_gru_matches_keras(reset_after, mask, go_backwards):
    x = make_input((3, 5, 4))
    kwargs = {"reset_after": reset_after, "go_backwards": go_backwards, "return_sequences": True, "return_state": True}
    layer = GRU(4, **kwargs)
    ours = our_outputs(layer, x, mask=mask)
    theirs = keras_outputs(layer, keras().layers.GRU(4, **kwargs), x, mask=mask)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_right_padded_mask_runs_packed_in_the_fused_kernel():
    layer = GRU(3)
    with mock.patch("torch.gru", wraps=torch.gru) as spy:
        layer(torch.randn(3, 5, 2), mask=torch.from_numpy(RIGHT_PADDED))
    assert spy.call_count == 1
    assert spy.call_args.args[1].tolist() == [3, 3, 2, 2, 1]  # the packed batch sizes


def test_initial_state_matches_keras():
    x = make_input((3, 5, 4))
    state = np.random.default_rng(5).standard_normal((3, 4)).astype("float32")
    for reset_after in (True, False):
        layer = GRU(4, reset_after=reset_after, return_sequences=True)
        ours = our_outputs(layer, x, initial_state=[state], mask=WITH_HOLES)
        theirs = keras_outputs(layer, keras().layers.GRU(4, reset_after=reset_after, return_sequences=True), x,
                               initial_state=[state], mask=WITH_HOLES)
        np.testing.assert_allclose(ours[0], theirs[0], atol=1e-5)
        # A single tensor works as well as a one-element list.
        np.testing.assert_allclose(our_outputs(layer, x, initial_state=state, mask=WITH_HOLES)[0], ours[0])


def test_stateful_gru_matches_keras_over_two_batches():
    x = make_input((2, 4, 3))
    layer = GRU(3, stateful=True, return_sequences=True)
    layer(torch.from_numpy(x))
    layer.reset_states()
    keras_layer = keras().layers.GRU(3, stateful=True, return_sequences=True)
    first = keras_outputs(layer, keras_layer, x)
    second = to_numpy(keras_layer(x))
    np.testing.assert_allclose(our_outputs(layer, x)[0], first[0], atol=1e-5)
    np.testing.assert_allclose(our_outputs(layer, x)[0], second, atol=1e-5)
    assert not np.allclose(first[0], second)


def test_embedding_mask_reaches_gru_in_a_functional_model():
    tokens = np.array([[4, 2, 0, 0], [0, 0, 3, 1], [1, 2, 3, 4]], dtype="int64")  # right and left padding
    inputs = layers.Input(shape=(4,), dtype="int64")
    gru = GRU(3, name="gru")
    model = fitorch.Model(inputs, gru(layers.Embedding(6, 2, mask_zero=True, name="emb")(inputs)))
    k_inputs = keras().Input(shape=(4,), dtype="int64")
    k_emb, k_gru = keras().layers.Embedding(6, 2, mask_zero=True), keras().layers.GRU(3)
    k_model = keras().Model(k_inputs, k_gru(k_emb(k_inputs)))
    k_emb.set_weights(model.get_layer("emb").get_weights())
    k_gru.set_weights(gru.get_weights())
    np.testing.assert_allclose(to_numpy(model(torch.from_numpy(tokens))), to_numpy(k_model(tokens)), atol=1e-5)


def test_weights_are_torch_gru_cell_layout_and_keras_order_through_get_weights():
    layer = GRU(4)
    x = torch.randn(2, 3, 5)
    out = layer(x, initial_state=torch.zeros(2, 4))
    assert sorted(layer.state_dict()) == ["bias_hh", "bias_ih", "weight_hh", "weight_ih"]
    cell = nn.GRUCell(5, 4)
    cell.load_state_dict(layer.state_dict())
    h = torch.zeros(2, 4)
    for t in range(3):
        h = cell(x[:, t], h)
    torch.testing.assert_close(out, h)
    kernel, recurrent, bias = layer.get_weights()
    assert kernel.shape == (5, 12) and recurrent.shape == (4, 12) and bias.shape == (2, 12)
    # Keras' gate order is (update z, reset r, candidate); torch's is (r, z, n).
    np.testing.assert_array_equal(kernel[:, :4], layer.weight_ih[4:8].detach().numpy().T)
    np.testing.assert_array_equal(bias[1, 4:8], layer.bias_hh[:4].detach().numpy())


@pytest.mark.parametrize("reset_after", [True, False])
def test_set_weights_round_trips_and_validates_before_changing_anything(reset_after):
    layer = GRU(3, reset_after=reset_after)
    layer(torch.zeros(1, 2, 2))
    arrays = [np.random.default_rng(i).standard_normal(w.shape).astype("float32") for i, w in
              enumerate(layer.get_weights())]
    layer.set_weights(arrays)
    for a, b in zip(arrays, layer.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    bad = [*arrays[:2], np.zeros((4, 9), "float32")]
    with pytest.raises(ValueError, match=r"weight 2 expected Keras shape"):
        layer.set_weights(bad)
    with pytest.raises(ValueError, match="set_weights expected 3 arrays, received 2"):
        layer.set_weights(arrays[:2])
    for a, b in zip(arrays, layer.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_gru_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"GRU 'g': units must be a positive int; received units=-1"):
        GRU(-1, name="g")
    with pytest.raises(ValueError, match=r"recurrent_dropout must be a float in \[0, 1\)"):
        GRU(2, recurrent_dropout=-0.1)
    layer = GRU(2, name="g2")
    with pytest.raises(ValueError, match=r"'g2': initial_state must be a tensor of shape \(3, 2\); received 1 with "
                       r"shapes \[\(3, 5\)\]"):
        layer(torch.zeros(3, 4, 1), initial_state=torch.zeros(3, 5))
    with pytest.raises(ValueError, match="use_cudnn=True, but the fused kernel cannot run"):
        GRU(2, reset_after=False, use_cudnn=True)(torch.zeros(1, 2, 1))
