"""Hinge and correlation metrics, the loss functions keras.metrics re-exports, and serialize/deserialize.

Keras 3 (torch backend) is the oracle: the same batches are streamed into both metrics.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import fitorch  # noqa: E402
from fitorch import losses, metrics  # noqa: E402
from fitorch.callbacks import EarlyStopping  # noqa: E402
from tests.metrics.keras_stream import assert_config_round_trips, assert_stream_matches_keras  # noqa: E402

FEATURES = 5
BATCH_SIZES = (7, 4, 9)  # unequal, so averaging per batch would give a different answer


def _regression(rng, n):
    y_true = rng.normal(size=(n, FEATURES)).astype("f")
    return y_true, (0.7 * y_true + rng.normal(size=(n, FEATURES)) + 0.3).astype("f")


def _signed(rng, n):
    return rng.choice([-1.0, 1.0], size=(n, FEATURES)).astype("f"), rng.normal(size=(n, FEATURES)).astype("f")


def _binary(rng, n):
    return rng.integers(0, 2, size=(n, FEATURES)).astype("f"), rng.normal(size=(n, FEATURES)).astype("f")


def _onehot(rng, n):
    return np.eye(FEATURES, dtype="f")[rng.integers(0, FEATURES, n)], rng.normal(size=(n, FEATURES)).astype("f")


def _batches(make, weighted, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for n in BATCH_SIZES:
        batch = make(rng, n)
        if weighted:
            batch += (rng.random(n).astype("f"),)
        out.append(batch)
    return out


CASES = [
    ("Hinge", {}, _signed),
    ("Hinge", {}, _binary),  # 0/1 labels are converted to -1/1 batch by batch, as in Keras
    ("SquaredHinge", {}, _signed),
    ("SquaredHinge", {}, _binary),
    ("CategoricalHinge", {}, _onehot),
    ("PearsonCorrelation", {}, _regression),
    ("PearsonCorrelation", {"axis": 0}, _regression),
    ("ConcordanceCorrelation", {}, _regression),
    ("ConcordanceCorrelation", {"axis": 0}, _regression),
]


# axis=0 gives one value per feature, which a per-sample weight does not fit (in Keras too): unweighted only.
STREAMS = [(*case, weighted) for case in CASES for weighted in (False, True) if not (weighted and case[1].get("axis") == 0)]


@pytest.mark.parametrize("name, kwargs, make, weighted", STREAMS, ids=lambda c: c if isinstance(c, str) else None)
def test_streams_match_keras(name, kwargs, make, weighted) -> None:
    ours = assert_stream_matches_keras(
        lambda: getattr(metrics, name)(**kwargs),
        lambda: getattr(keras.metrics, name)(**kwargs),
        _batches(make, weighted),
        atol=2e-6,
    )
    theirs = getattr(keras.metrics, name)(**kwargs)
    assert ours._direction == theirs._direction
    assert ours.get_config() == {**theirs.get_config(), "dtype": "float32"}
    assert list(ours.get_config()) == list(theirs.get_config())
    assert_config_round_trips(ours, theirs)


def test_constructor_arguments_match_keras() -> None:
    for name in ["Hinge", "SquaredHinge", "CategoricalHinge", "PearsonCorrelation", "ConcordanceCorrelation"]:
        ours = getattr(metrics, name)(name="custom", dtype="float64", **({"axis": 0} if "Corr" in name else {}))
        theirs = getattr(keras.metrics, name)(name="custom", dtype="float64", **({"axis": 0} if "Corr" in name else {}))
        assert ours.get_config() == theirs.get_config()
        assert ours.result().dtype == torch.float64


@pytest.mark.parametrize("fn_name", ["pearson_correlation", "concordance_correlation"])
@pytest.mark.parametrize("axis", [-1, 0, (0, 1)])
def test_correlation_functions_match_keras(fn_name, axis) -> None:
    rng = np.random.default_rng(1)
    y_true = rng.normal(size=(6, 4, 3)).astype("f")
    y_pred = (y_true * 0.5 + rng.normal(size=y_true.shape)).astype("f")
    ours = getattr(metrics, fn_name)(torch.tensor(y_true), torch.tensor(y_pred), axis=axis)
    theirs = keras.ops.convert_to_numpy(getattr(keras.metrics, fn_name)(y_true, y_pred, axis=axis))
    assert tuple(ours.shape) == theirs.shape
    np.testing.assert_allclose(ours.numpy(), theirs, atol=2e-6, rtol=0)


def test_correlation_of_a_rank_1_target_against_a_column() -> None:
    # Keras lines (N,) targets up with (N, 1) predictions before correlating down the column.
    rng = np.random.default_rng(2)
    y_true, y_pred = rng.normal(size=(8,)).astype("f"), rng.normal(size=(8, 1)).astype("f")
    for fn_name in ["pearson_correlation", "concordance_correlation"]:
        ours = getattr(metrics, fn_name)(torch.tensor(y_true), torch.tensor(y_pred), axis=0).numpy()
        theirs = keras.ops.convert_to_numpy(getattr(keras.metrics, fn_name)(y_true, y_pred, axis=0))
        np.testing.assert_allclose(ours, theirs, atol=2e-6, rtol=0)


REEXPORTED = [
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge", "hinge", "huber", "kl_divergence",
    "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error",
    "poisson", "sparse_categorical_crossentropy", "squared_hinge",
]  # fmt: skip


@pytest.mark.parametrize("name", REEXPORTED)
def test_loss_functions_are_reexported_like_keras(name) -> None:
    assert getattr(keras.metrics, name) is getattr(keras.losses, name)  # Keras' own rule
    assert getattr(metrics, name) is getattr(losses, name)


@pytest.mark.parametrize("name", ["hinge", "squared_hinge", "categorical_hinge"])
def test_reexported_hinge_functions_match_keras(name) -> None:
    rng = np.random.default_rng(3)
    for y_true, y_pred in (_signed(rng, 6), _binary(rng, 6), _onehot(rng, 6)):
        ours = getattr(metrics, name)(torch.tensor(y_true), torch.tensor(y_pred)).numpy()
        theirs = keras.ops.convert_to_numpy(getattr(keras.metrics, name)(y_true, y_pred))
        np.testing.assert_allclose(ours, theirs, atol=1e-6, rtol=0)


@pytest.mark.parametrize("name", ["binary_focal_crossentropy", "categorical_focal_crossentropy"])
@pytest.mark.parametrize("from_logits", [False, True])
def test_reexported_focal_functions_match_keras(name, from_logits) -> None:
    rng = np.random.default_rng(5)
    y_true = (_binary if name.startswith("binary") else _onehot)(rng, 6)[0]
    logits = rng.normal(size=y_true.shape).astype("f")
    y_pred = logits if from_logits else (np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)).astype("f")
    for kwargs in ({}, {"gamma": 3.0, "label_smoothing": 0.1}):
        ours = getattr(metrics, name)(torch.tensor(y_true), torch.tensor(y_pred), from_logits=from_logits, **kwargs)
        theirs = getattr(keras.metrics, name)(y_true, y_pred, from_logits=from_logits, **kwargs)
        np.testing.assert_allclose(ours.numpy(), keras.ops.convert_to_numpy(theirs), atol=1e-6, rtol=0)


@pytest.mark.parametrize(
    "string, cls",
    [
        ("hinge", "Hinge"),
        ("squared_hinge", "SquaredHinge"),
        ("categorical_hinge", "CategoricalHinge"),
        ("pearson_correlation", "PearsonCorrelation"),
        ("concordance_correlation", "ConcordanceCorrelation"),
        ("PearsonCorrelation", "PearsonCorrelation"),
    ],
)
def test_string_names_resolve_like_keras(string, cls) -> None:
    assert type(keras.metrics.get(string)).__name__ == cls
    assert type(metrics.get(string)).__name__ == cls
    assert type(metrics.deserialize(string)).__name__ == cls
    assert metrics.deserialize(string).name == keras.metrics.deserialize(string).name


def test_compiled_string_metrics_log_and_steer_early_stopping() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(size=(32, 3)).astype("f")
    y = (x @ rng.normal(size=(3, 2))).astype("f")
    model = fitorch.Sequential([fitorch.layers.Input(shape=(3,)), fitorch.layers.Dense(2)])
    names = ["hinge", "squared_hinge", "categorical_hinge", "pearson_correlation", "concordance_correlation"]
    model.compile("sgd", "mse", metrics=names)
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0, validation_data=(x, y))
    assert {*names, *(f"val_{n}" for n in names)} <= set(history.history)
    # Keras' directions: the hinge losses are minimized, the correlations maximized.
    for monitor, expected in [("val_hinge", "less"), ("squared_hinge", "less"), ("val_categorical_hinge", "less"),
                              ("val_pearson_correlation", "greater"), ("concordance_correlation", "greater")]:  # fmt: skip
        stop = EarlyStopping(monitor=monitor)
        stop.set_model(model)
        stop._set_monitor_op()
        assert stop.monitor_op.__name__ == f"_{expected}", monitor
    # The logged value is the streamed metric on the same data: check it against Keras on the final weights.
    reference = keras.metrics.PearsonCorrelation()
    prediction = model.predict(x, verbose=0)
    reference.update_state(y, prediction)
    ours = metrics.PearsonCorrelation()
    ours.update_state(torch.tensor(y), torch.tensor(prediction))
    np.testing.assert_allclose(float(ours.result()), float(keras.ops.convert_to_numpy(reference.result())), atol=1e-6)


def _keras_entry(obj):
    return keras.metrics.serialize(obj)


@pytest.mark.parametrize(
    "make_ours, make_keras",
    [
        (lambda: metrics.Hinge(name="h"), lambda: keras.metrics.Hinge(name="h")),
        (lambda: metrics.SquaredHinge(), lambda: keras.metrics.SquaredHinge()),
        (lambda: metrics.CategoricalHinge(), lambda: keras.metrics.CategoricalHinge()),
        (lambda: metrics.PearsonCorrelation(axis=0), lambda: keras.metrics.PearsonCorrelation(axis=0)),
        (lambda: metrics.ConcordanceCorrelation(), lambda: keras.metrics.ConcordanceCorrelation()),
        (lambda: metrics.MeanAbsoluteError(), lambda: keras.metrics.MeanAbsoluteError()),
        (lambda: metrics.hinge, lambda: keras.metrics.hinge),
        (lambda: metrics.pearson_correlation, lambda: keras.metrics.pearson_correlation),
        (lambda: metrics.concordance_correlation, lambda: keras.metrics.concordance_correlation),
    ],
)
def test_serialize_matches_keras_and_round_trips(make_ours, make_keras) -> None:
    ours = make_ours()
    entry = metrics.serialize(ours)
    assert entry == _keras_entry(make_keras())
    rebuilt = metrics.deserialize(entry)
    if isinstance(ours, metrics.Metric):
        assert type(rebuilt) is type(ours) and rebuilt.get_config() == ours.get_config()
    else:
        assert rebuilt is ours


def test_deserialize_wrapped_function_and_custom_objects() -> None:
    wrapper = metrics.MeanMetricWrapper(metrics.squared_hinge)
    rebuilt = metrics.deserialize(metrics.serialize(wrapper))
    assert isinstance(rebuilt, metrics.MeanMetricWrapper) and rebuilt.get_config() == wrapper.get_config()

    def my_metric(y_true, y_pred):
        return (y_true - y_pred).abs().mean(dim=-1)

    entry = {"module": None, "class_name": "function", "config": "my_metric", "registered_name": "function"}
    assert metrics.deserialize(entry, custom_objects={"my_metric": my_metric}) is my_metric
    assert metrics.deserialize("my_metric", custom_objects={"my_metric": my_metric}) is my_metric


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda: metrics.PearsonCorrelation(axis="last"), TypeError, r"PearsonCorrelation: `axis` must be an integer"),
        (lambda: metrics.ConcordanceCorrelation(axis=1.5), TypeError, r"ConcordanceCorrelation: `axis`.*axis=1.5"),
        (lambda: metrics.ConcordanceCorrelation(axis=()), TypeError, r"ConcordanceCorrelation: `axis`.*axis=\(\)"),
        (lambda: metrics.Hinge(dtype="int32"), ValueError, r"`dtype` must be a floating dtype.*int32"),
        (lambda: metrics.deserialize("pearson_corelation"), ValueError, r"Did you mean 'pearson_correlation'"),
        (lambda: metrics.deserialize({"class_name": "Nope", "config": {}}), TypeError, "Nope"),
    ],
)
def test_bad_arguments_are_explained(make, error, match) -> None:
    with pytest.raises(error, match=match):
        make()
