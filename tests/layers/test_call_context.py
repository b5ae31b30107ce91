"""Per-call state instead of process-wide switches: masks, losses and the outermost call.

Masks, ``add_loss`` terms and constraints are decided per call tree (a ``ContextVar``) or
per model: a mask producer, a regularizer or a constraint in one model changes nothing for
an unrelated model, and two threads calling layers at once never see each other's call.
Keras 3 (torch backend) is the oracle for what masks and losses must be.
"""

import threading

import numpy as np
import torch

import fitorch
from fitorch import layers
from fitorch.layers.call_context import CALL_CONTEXT
from fitorch.layers.layer import constraints_in_use, losses_in_use
from tests.layers.harness import keras, make_input, to_numpy

TOKENS = np.array([[3, 5, 2, 0, 0], [1, 0, 0, 0, 0], [4, 4, 4, 4, 4]], dtype="int64")


class MaskRecorder(layers.Layer):
    """Records the mask each call receives."""

    supports_masking = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.masks = []

    def call(self, x, mask=None):
        self.masks.append(mask)
        return x * 2.0

    def compute_output_shape(self, input_shape):
        return input_shape


class Penalised(layers.Layer):
    """Adds ``factor * sum(|x|)`` as a loss on each call (Keras oracle: the same layer in Keras)."""

    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        self.add_loss(self.factor * x.abs().sum())
        return x


def _keras_penalised(factor):
    k = keras()

    class KerasPenalised(k.layers.Layer):
        def call(self, x):
            self.add_loss(factor * k.ops.sum(k.ops.abs(x)))
            return x

    return KerasPenalised()


def _count_compute_mask(layer):
    """Counts the calls of ``layer.compute_mask`` (an instance attribute: the class is untouched)."""
    calls = []
    original = layer.compute_mask

    def counting(inputs, mask=None):
        calls.append(mask)
        return original(inputs, mask)

    layer.compute_mask = counting
    return calls


def _masked_model():
    inputs = layers.Input(shape=(5,), dtype="int64")
    embedded = layers.Embedding(10, 6, mask_zero=True, name="emb")(inputs)
    return fitorch.Model(inputs, layers.LSTM(3, name="lstm")(embedded))


# ---------------------------------------------------------------------------- masks
def test_a_mask_producer_in_one_model_leaves_an_unrelated_model_alone():
    masked = _masked_model()
    masked(torch.from_numpy(TOKENS))  # a mask producer exists and has run in this process
    layers.Masking()(torch.zeros(1, 2, 3))
    inputs = layers.Input(shape=(5, 4))
    recorder = MaskRecorder(name="recorder")
    dense = layers.Dense(3, name="dense")
    unrelated = fitorch.Model(inputs, dense(recorder(inputs)))
    consulted = _count_compute_mask(dense)
    x = torch.from_numpy(make_input((2, 5, 4)))
    out = unrelated(x)
    eager = dense(recorder(x))
    assert recorder.masks == [None, None]
    assert not hasattr(out, "_keras_mask") and not hasattr(eager, "_keras_mask")
    assert consulted == []  # no mask bookkeeping at all in a call tree without masks


def test_embedding_mask_reaches_lstm_in_a_functional_model_like_keras():
    model = _masked_model()
    ours = model(torch.from_numpy(TOKENS))
    k = keras()
    k_in = k.Input(shape=(5,), dtype="int64")
    k_emb, k_lstm = k.layers.Embedding(10, 6, mask_zero=True), k.layers.LSTM(3)
    k_model = k.Model(k_in, k_lstm(k_emb(k_in)))
    k_emb.set_weights(model.get_layer("emb").get_weights())
    k_lstm.set_weights(model.get_layer("lstm").get_weights())
    np.testing.assert_allclose(to_numpy(ours), to_numpy(k_model(TOKENS)), atol=1e-5)
    unmasked = layers.LSTM(3)
    unmasked(torch.zeros(1, 5, 6))
    unmasked.set_weights(model.get_layer("lstm").get_weights())
    plain = unmasked(model.get_layer("emb")(torch.from_numpy(TOKENS)).detach())  # .detach() drops the mask
    assert not np.allclose(to_numpy(plain), to_numpy(ours), atol=1e-3)  # the mask changed the result


def test_masking_then_lstm_and_separate_eager_calls_propagate_like_keras():
    x = make_input((3, 5, 2))
    x[0, 3:] = 0.0
    x[1, 1:] = 0.0
    masking, lstm = layers.Masking(), layers.LSTM(4, return_sequences=True)
    hidden = masking(torch.from_numpy(x))  # two separate outermost calls: the mask travels on the tensor
    ours = lstm(hidden)
    k = keras()
    k_masking, k_lstm = k.layers.Masking(), k.layers.LSTM(4, return_sequences=True)
    k_hidden = k_masking(x)
    k_lstm(k_hidden)
    k_lstm.set_weights(lstm.get_weights())
    theirs = k_lstm(k_hidden)
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=1e-5)
    np.testing.assert_array_equal(to_numpy(ours._keras_mask), to_numpy(theirs._keras_mask))

    emb, recorder = layers.Embedding(10, 3, mask_zero=True), MaskRecorder()
    embedded = emb(torch.from_numpy(TOKENS))
    recorder(embedded)
    np.testing.assert_array_equal(to_numpy(recorder.masks[0]), TOKENS != 0)
    explicit = torch.from_numpy(TOKENS != 1)
    assert recorder(embedded.detach(), mask=explicit)._keras_mask is explicit  # a given mask is tracked too


def test_a_producer_inside_a_subclassed_layer_masks_the_layers_after_it_like_keras():
    class Encoder(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.emb = layers.Embedding(10, 6, mask_zero=True)
            self.lstm = layers.LSTM(3)

        def call(self, ids):
            return self.lstm(self.emb(ids))

    k = keras()

    class KerasEncoder(k.layers.Layer):
        def __init__(self):
            super().__init__()
            self.emb = k.layers.Embedding(10, 6, mask_zero=True)
            self.lstm = k.layers.LSTM(3)

        def call(self, ids):
            return self.lstm(self.emb(ids))

    encoder, k_encoder = Encoder(), KerasEncoder()
    ours = encoder(torch.from_numpy(TOKENS))
    k_encoder(TOKENS)
    k_encoder.emb.set_weights(encoder.emb.get_weights())
    k_encoder.lstm.set_weights(encoder.lstm.get_weights())
    np.testing.assert_allclose(to_numpy(ours), to_numpy(k_encoder(TOKENS)), atol=1e-5)


# ---------------------------------------------------------------------------- losses
def test_losses_are_those_of_the_last_call_like_keras_beside_a_model_without_any():
    k = keras()
    inputs = layers.Input(shape=(4,))
    dense = layers.Dense(3, kernel_regularizer=fitorch.regularizers.L2(0.1), activity_regularizer="l1", name="d")
    model = fitorch.Model(inputs, Penalised(0.5)(dense(inputs)))
    plain_inputs = layers.Input(shape=(4,))
    plain = fitorch.Model(plain_inputs, layers.Dense(3)(plain_inputs))

    k_in = k.Input(shape=(4,))
    k_dense = k.layers.Dense(3, kernel_regularizer=k.regularizers.L2(0.1), activity_regularizer="l1")
    k_model = k.Model(k_in, _keras_penalised(0.5)(k_dense(k_in)))
    k_dense.set_weights(dense.get_weights())
    for seed in (0, 1):  # twice: the second call's terms replace the first's
        x = np.random.default_rng(seed).standard_normal((2, 4)).astype("float32")
        model(torch.from_numpy(x))
        plain(torch.from_numpy(x))
        k_model(x)
        ours = sorted(float(t.detach()) for t in model.losses)
        theirs = sorted(float(to_numpy(t)) for t in k_model.losses)
        assert len(ours) == len(theirs) == 3
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    assert plain.losses == [] and not losses_in_use(plain) and losses_in_use(model)


def test_regularized_and_plain_models_evaluate_like_keras():
    k = keras()
    x = np.random.default_rng(0).standard_normal((8, 4)).astype("float32")
    y = np.random.default_rng(1).standard_normal((8, 2)).astype("float32")
    weights = [np.random.default_rng(2).standard_normal(shape).astype("float32") for shape in ((4, 2), (2,))]
    results = []
    for kwargs in ({"kernel_regularizer": "l2", "activity_regularizer": "l2"}, {}):
        dense = layers.Dense(2, **kwargs)
        inputs = layers.Input(shape=(4,))
        model = fitorch.Model(inputs, dense(inputs))
        dense.set_weights(weights)
        model.compile("sgd", "mse")
        k_dense = k.layers.Dense(2, **kwargs)
        k_in = k.Input(shape=(4,))
        k_model = k.Model(k_in, k_dense(k_in))
        k_model.compile("sgd", "mse")
        k_dense.set_weights(dense.get_weights())
        ours, theirs = model.evaluate(x, y, batch_size=8, verbose=0), k_model.evaluate(x, y, batch_size=8, verbose=0)
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)
        results.append(ours)
    assert results[0] > results[1]  # same weights: the penalties count only where they exist


# ---------------------------------------------------------------------------- threads
def test_concurrent_calls_in_two_threads_keep_their_own_outermost_call():
    entered, release = threading.Event(), threading.Event()

    class Blocking(layers.Layer):
        supports_masking = True

        def call(self, x):
            entered.set()
            assert release.wait(timeout=30)
            return x

        def compute_output_shape(self, input_shape):
            return input_shape

    ids = layers.Input(shape=(5,), dtype="int64")
    held = fitorch.Model(ids, Blocking()(layers.Embedding(10, 3, mask_zero=True)(ids)))
    penalised, recorder = Penalised(), MaskRecorder()
    penalised(torch.ones(1, 2))  # learned: this layer adds losses
    outcome = {}

    def run_held():
        outcome["out"] = held(torch.from_numpy(TOKENS))

    thread = threading.Thread(target=run_held)
    thread.start()
    try:
        assert entered.wait(timeout=30)  # the other thread is inside its outermost call, with masks on
        assert CALL_CONTEXT.get() is None
        penalised(torch.ones(1, 2))
        penalised(torch.full((1, 2), 2.0))
        recorder(torch.ones(1, 2))
    finally:
        release.set()
        thread.join(timeout=30)
    assert [float(t) for t in penalised.losses] == [4.0]  # each call here was outermost: one term
    assert recorder.masks == [None]
    np.testing.assert_array_equal(to_numpy(outcome["out"]._keras_mask), TOKENS != 0)


# ---------------------------------------------------------------------------- constraints
def test_constraints_apply_only_to_models_that_have_them_like_keras():
    k = keras()
    x = np.random.default_rng(0).standard_normal((16, 3)).astype("float32")
    y = np.full((16, 2), -3.0, dtype="float32")  # pushes the kernel negative: NonNeg must act
    dense = layers.Dense(2, kernel_constraint="non_neg")
    inputs = layers.Input(shape=(3,))
    constrained = fitorch.Model(inputs, dense(inputs))
    constrained.compile(fitorch.optimizers.SGD(learning_rate=0.1), "mse")
    plain_inputs = layers.Input(shape=(3,))
    plain = fitorch.Model(plain_inputs, layers.Dense(2)(plain_inputs))
    plain.compile(fitorch.optimizers.SGD(learning_rate=0.1), "mse")
    projections = []
    plain.apply_constraints = lambda: projections.append(1)  # an instance attribute: the class is untouched

    k_dense = k.layers.Dense(2, kernel_constraint="non_neg")
    k_in = k.Input(shape=(3,))
    k_model = k.Model(k_in, k_dense(k_in))
    k_model.compile(k.optimizers.SGD(learning_rate=0.1), "mse")
    k_dense.set_weights(dense.get_weights())
    constrained.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    k_model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    plain.fit(x, y, batch_size=8, epochs=1, verbose=0)
    plain.train_on_batch(x, y)
    for ours, theirs in zip(dense.get_weights(), k_dense.get_weights(), strict=True):
        np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-5, atol=1e-6)
    assert dense.get_weights()[0].min() >= 0.0
    assert projections == [] and constraints_in_use(constrained) and not constraints_in_use(plain)


def test_no_process_wide_switch_is_left():
    import fitorch.layers.layer as layer_module
    import fitorch.layers.masking_state as masking_state

    assert not hasattr(layer_module, "_extras") and not hasattr(layer_module, "_call_depth")
    assert not hasattr(masking_state, "enable") and not hasattr(masking_state, "active")
