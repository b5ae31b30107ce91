"""Weighting oracle: class_weight and sample_weight (per-timestep too) reduce exactly as in Keras 3.

One epoch of SGD on the same data, from the same initial weights, in the same batch
order (``shuffle=False``): the epoch's loss (and weighted metrics) and the final weights
must agree within 1e-5.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import fitorch  # noqa: E402

TOLERANCE = 1e-5


def _pair(input_shape: tuple[int, ...], classes: int = 3):
    """The same two-layer classifier in Keras and fitorch, with Keras' initial weights."""
    theirs = keras.Sequential(
        [keras.Input(input_shape), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(classes, activation="softmax")]
    )
    ours = fitorch.Sequential(
        [
            fitorch.layers.Input(shape=input_shape),
            fitorch.layers.Dense(8, activation="relu"),
            fitorch.layers.Dense(classes, activation="softmax"),
        ]
    )
    ours.set_weights(theirs.get_weights())
    return ours, theirs


def _fit_both(ours, theirs, x, y, **fit_kwargs):
    compile_kwargs = {"loss": "sparse_categorical_crossentropy", "weighted_metrics": ["sparse_categorical_accuracy"]}
    ours.compile(fitorch.optimizers.SGD(learning_rate=0.1), **compile_kwargs)
    theirs.compile(keras.optimizers.SGD(learning_rate=0.1), **compile_kwargs)
    ours_history = ours.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0, **fit_kwargs)
    theirs_history = theirs.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0, **fit_kwargs)
    for key in ("loss", "sparse_categorical_accuracy"):
        assert ours_history.history[key][0] == pytest.approx(theirs_history.history[key][0], abs=TOLERANCE), key
    for got, expected in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(got, expected, atol=TOLERANCE, rtol=0)
    return ours_history


def _data(shape: tuple[int, ...], seed: int = 0):
    rng = np.random.default_rng(seed)
    # 36 samples: 4 full batches of 8 and a last one of 4, so batch sizes differ.
    x = rng.normal(size=(36, *shape)).astype("float32")
    y = rng.integers(0, 3, size=(36, *shape[:-1]))
    return rng, x, y


def test_class_weight_matches_keras() -> None:
    _, x, y = _data((4,))
    ours, theirs = _pair((4,))
    history = _fit_both(ours, theirs, x, y, class_weight={0: 1.0, 1: 2.5, 2: 0.25})
    # The weights matter: the same epoch without them gives another loss.
    plain = _fit_both(*_pair((4,)), x, y)
    assert abs(plain.history["loss"][0] - history.history["loss"][0]) > 1e-3


def test_sample_weight_matches_keras_and_class_weight_multiplies_it() -> None:
    rng, x, y = _data((4,), seed=1)
    sample_weight = rng.uniform(0.0, 2.0, size=36).astype("float32")
    class_weight = {0: 0.5, 1: 1.0, 2: 3.0}
    _fit_both(*_pair((4,)), x, y, sample_weight=sample_weight)
    # Keras 3 refuses class_weight with sample_weight; fitorch multiplies them (Keras 2's rule),
    # which is Keras 3 with the product as sample_weight.
    ours, theirs = _pair((4,))
    for model, optimizer in ((ours, fitorch.optimizers.SGD(learning_rate=0.1)), (theirs, keras.optimizers.SGD(0.1))):
        model.compile(optimizer, "sparse_categorical_crossentropy")
    product = sample_weight * np.array([class_weight[int(label)] for label in y], dtype="float32")
    got = ours.fit(x, y, batch_size=8, shuffle=False, verbose=0, sample_weight=sample_weight, class_weight=class_weight)
    expected = theirs.fit(x, y, batch_size=8, shuffle=False, verbose=0, sample_weight=product)
    assert got.history["loss"][0] == pytest.approx(expected.history["loss"][0], abs=TOLERANCE)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=TOLERANCE, rtol=0)


def test_per_timestep_sample_weight_matches_keras() -> None:
    rng, x, y = _data((5, 4), seed=2)
    sample_weight = rng.uniform(0.0, 2.0, size=(36, 5)).astype("float32")
    sample_weight[:, -2:] = 0.0  # padded timesteps count for nothing
    _fit_both(*_pair((5, 4)), x, y, sample_weight=sample_weight)
