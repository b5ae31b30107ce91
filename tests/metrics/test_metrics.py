"""fitorch.metrics against Keras 3 (torch backend) as the numeric oracle."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import json  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from keras.src.trainers import compile_utils  # noqa: E402

from fitorch import losses, metrics  # noqa: E402

C, T = 5, 3
BATCH_SIZES = (7, 4, 9)  # unequal, so per-batch averaging would give a different answer


def _binary(rng, n):
    return rng.integers(0, 2, size=(n, 1)).astype("f"), rng.uniform(size=(n, 1)).astype("f")


def _multilabel(rng, n):
    return rng.integers(0, 2, size=(n, C)).astype("f"), rng.uniform(size=(n, C)).astype("f")


def _onehot(rng, n):
    return np.eye(C, dtype="f")[rng.integers(0, C, n)], rng.uniform(size=(n, C)).astype("f")


def _sparse(rng, n):
    return rng.integers(0, C, size=(n,)), rng.uniform(size=(n, C)).astype("f")


def _sparse_float_column(rng, n):
    return rng.integers(0, C, size=(n, 1)).astype("f"), rng.uniform(size=(n, C)).astype("f")


def _sparse_sequence(rng, n):
    return rng.integers(0, C, size=(n, T)), rng.uniform(size=(n, T, C)).astype("f")


def _tied_scores(rng, n):
    # Scores on a coarse grid make ties common; Keras counts a tie at the k-th place as a hit.
    return rng.integers(0, C, size=(n,)), rng.integers(0, 3, size=(n, C)).astype("f")


def _classes(rng, n):
    return rng.integers(0, 3, size=(n, 1)), rng.integers(0, 3, size=(n, 1))


def _regression(rng, n):
    return rng.normal(size=(n, C)).astype("f"), rng.normal(size=(n, C)).astype("f")


def _positive(rng, n):
    return rng.uniform(0, 3, size=(n, C)).astype("f"), rng.uniform(0.01, 3, size=(n, C)).astype("f")


def _logits_onehot(rng, n):
    return np.eye(C, dtype="f")[rng.integers(0, C, n)], 3 * rng.normal(size=(n, C)).astype("f")


@dataclass
class Case:
    id: str
    ours: type
    theirs: Any
    data: Callable
    kwargs: dict = field(default_factory=dict)
    weight_ndim: tuple = (1, 2)  # sample weights (n,) and (n, 1); sequences use (n, T)


CASES = [
    Case("accuracy", metrics.Accuracy, keras.metrics.Accuracy, _classes),
    Case("binary_accuracy", metrics.BinaryAccuracy, keras.metrics.BinaryAccuracy, _binary),
    Case(
        "binary_accuracy_multilabel",
        metrics.BinaryAccuracy,
        keras.metrics.BinaryAccuracy,
        _multilabel,
        {"threshold": 0.3},
    ),
    Case("categorical_accuracy", metrics.CategoricalAccuracy, keras.metrics.CategoricalAccuracy, _onehot),
    Case(
        "sparse_categorical_accuracy",
        metrics.SparseCategoricalAccuracy,
        keras.metrics.SparseCategoricalAccuracy,
        _sparse,
    ),
    Case(
        "sparse_categorical_accuracy_column",
        metrics.SparseCategoricalAccuracy,
        keras.metrics.SparseCategoricalAccuracy,
        _sparse_float_column,
    ),
    Case(
        "sparse_categorical_accuracy_sequence",
        metrics.SparseCategoricalAccuracy,
        keras.metrics.SparseCategoricalAccuracy,
        _sparse_sequence,
        weight_ndim=(1, "seq"),
    ),
    Case("top_k", metrics.TopKCategoricalAccuracy, keras.metrics.TopKCategoricalAccuracy, _onehot, {"k": 2}),
    Case(
        "sparse_top_k",
        metrics.SparseTopKCategoricalAccuracy,
        keras.metrics.SparseTopKCategoricalAccuracy,
        _sparse,
        {"k": 3},
    ),
    Case(
        "sparse_top_k_column",
        metrics.SparseTopKCategoricalAccuracy,
        keras.metrics.SparseTopKCategoricalAccuracy,
        _sparse_float_column,
        {"k": 2},
    ),
    Case(
        "sparse_top_k_ties",
        metrics.SparseTopKCategoricalAccuracy,
        keras.metrics.SparseTopKCategoricalAccuracy,
        _tied_scores,
        {"k": 2},
    ),
    Case(
        "sparse_top_k_sequence",
        metrics.SparseTopKCategoricalAccuracy,
        keras.metrics.SparseTopKCategoricalAccuracy,
        _sparse_sequence,
        {"k": 2},
        weight_ndim=(1, "seq"),
    ),
    Case("mse", metrics.MeanSquaredError, keras.metrics.MeanSquaredError, _regression),
    Case("mae", metrics.MeanAbsoluteError, keras.metrics.MeanAbsoluteError, _regression),
    Case("mape", metrics.MeanAbsolutePercentageError, keras.metrics.MeanAbsolutePercentageError, _regression),
    Case("msle", metrics.MeanSquaredLogarithmicError, keras.metrics.MeanSquaredLogarithmicError, _positive),
    Case("bce", metrics.BinaryCrossentropy, keras.metrics.BinaryCrossentropy, _multilabel),
    Case(
        "cce_logits",
        metrics.CategoricalCrossentropy,
        keras.metrics.CategoricalCrossentropy,
        _logits_onehot,
        {"from_logits": True, "label_smoothing": 0.1},
    ),
    Case("scce", metrics.SparseCategoricalCrossentropy, keras.metrics.SparseCategoricalCrossentropy, _sparse),
    Case("kld", metrics.KLDivergence, keras.metrics.KLDivergence, _onehot),
    Case("poisson", metrics.Poisson, keras.metrics.Poisson, _positive),
]


def _batches(case: Case, seed: int, weighting: Any) -> list[tuple]:
    rng = np.random.default_rng(seed)
    out = []
    for n in BATCH_SIZES:
        y_true, y_pred = case.data(rng, n)
        if weighting is None:
            weight = None
        elif weighting == "seq":
            weight = rng.uniform(size=(n, T)).astype("f")
        else:
            weight = rng.uniform(size=(n,) + (1,) * (weighting - 1)).astype("f")
        out.append((y_true, y_pred, weight))
    return out


def _update(metric, batch, as_tensors: bool) -> None:
    y_true, y_pred, weight = batch
    if as_tensors:
        y_true, y_pred = torch.as_tensor(y_true), torch.as_tensor(y_pred)
        weight = None if weight is None else torch.as_tensor(weight)
    metric.update_state(y_true, y_pred, sample_weight=weight)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_metric_matches_keras_over_batches(case: Case) -> None:
    for weighting in (None, *case.weight_ndim):
        ours, theirs = case.ours(**case.kwargs), case.theirs(**case.kwargs)
        for batch in _batches(case, seed=0, weighting=weighting):
            _update(ours, batch, as_tensors=True)
            _update(theirs, batch, as_tensors=False)
        result = ours.result()
        assert isinstance(result, torch.Tensor) and result.dim() == 0
        np.testing.assert_allclose(float(result), float(theirs.result()), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", CASES[:3] + CASES[12:14], ids=lambda c: c.id)
def test_reset_state_starts_over(case: Case) -> None:
    ours, theirs = case.ours(**case.kwargs), case.theirs(**case.kwargs)
    for batch in _batches(case, seed=1, weighting=1):
        _update(ours, batch, as_tensors=True)
    pointers = [b.data_ptr() for b in ours.buffers()]
    ours.reset_state()
    assert float(ours.result()) == 0.0
    assert [b.data_ptr() for b in ours.buffers()] == pointers  # zeroed in place
    for batch in _batches(case, seed=2, weighting=1):
        _update(ours, batch, as_tensors=True)
        _update(theirs, batch, as_tensors=False)
    np.testing.assert_allclose(float(ours.result()), float(theirs.result()), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "values, weight",
    [
        (np.arange(6, dtype="f"), None),
        (np.arange(6, dtype="f"), np.array([1, 0, 2, 1, 1, 0.5], "f")),
        (np.arange(12, dtype="f").reshape(6, 2), np.array([1, 0, 2, 1, 1, 0.5], "f")),
        (np.arange(12, dtype="f").reshape(6, 2), np.arange(12, dtype="f").reshape(6, 2) / 12),
        (np.float32(3.0), None),
    ],
)
@pytest.mark.parametrize(
    "ours, theirs", [(metrics.Mean, keras.metrics.Mean), (metrics.Sum, keras.metrics.Sum)]
)
def test_mean_and_sum_match_keras(ours, theirs, values, weight) -> None:
    mine, reference = ours(), theirs()
    for _ in range(2):
        mine.update_state(
            torch.as_tensor(values), sample_weight=None if weight is None else torch.as_tensor(weight)
        )
        reference.update_state(values, sample_weight=weight)
    np.testing.assert_allclose(float(mine.result()), float(reference.result()), rtol=1e-6)


@pytest.mark.parametrize(
    "ours, theirs, data, kwargs",
    [
        (metrics.binary_accuracy, keras.metrics.binary_accuracy, _multilabel, {"threshold": 0.4}),
        (metrics.categorical_accuracy, keras.metrics.categorical_accuracy, _onehot, {}),
        (
            metrics.sparse_categorical_accuracy,
            keras.metrics.sparse_categorical_accuracy,
            _sparse_float_column,
            {},
        ),
        (metrics.top_k_categorical_accuracy, keras.metrics.top_k_categorical_accuracy, _onehot, {"k": 2}),
        (
            metrics.sparse_top_k_categorical_accuracy,
            keras.metrics.sparse_top_k_categorical_accuracy,
            _tied_scores,
            {"k": 2},
        ),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_function_forms_match_keras(ours, theirs, data, kwargs) -> None:
    y_true, y_pred = data(np.random.default_rng(3), 8)
    expected = keras.ops.convert_to_numpy(theirs(y_true, y_pred, **kwargs))
    np.testing.assert_array_equal(
        ours(torch.as_tensor(y_true), torch.as_tensor(y_pred), **kwargs).numpy(), expected
    )


def test_sparse_accuracy_is_exact_for_labels_beyond_bfloat16_precision() -> None:
    y_pred = torch.zeros(1, 300, dtype=torch.bfloat16)
    y_pred[0, 257] = 1.0
    # bf16 rounds 257 to 256: comparing in the prediction dtype would count label 256 as a hit.
    assert metrics.sparse_categorical_accuracy(torch.tensor([256]), y_pred).tolist() == [0.0]
    assert metrics.sparse_categorical_accuracy(torch.tensor([257]), y_pred).tolist() == [1.0]


# ---------------------------------------------------------------- torch integration


class _NoHostSync:
    """Makes every tensor -> host conversion raise while active."""

    NAMES = ("item", "tolist", "cpu", "numpy", "__bool__", "__int__", "__float__", "__index__")

    def __enter__(self):
        self.saved = {name: getattr(torch.Tensor, name) for name in self.NAMES}

        def forbid(name):
            def raiser(*args, **kwargs):
                raise AssertionError(f"host sync: Tensor.{name} called inside a metric")

            return raiser

        for name in self.NAMES:
            setattr(torch.Tensor, name, forbid(name))
        return self

    def __exit__(self, *exc):
        for name, fn in self.saved.items():
            setattr(torch.Tensor, name, fn)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_update_state_and_result_do_not_sync_with_host(case: Case) -> None:
    metric = case.ours(**case.kwargs)
    batches = [
        tuple(None if x is None else torch.as_tensor(x) for x in batch)
        for batch in _batches(case, seed=4, weighting=case.weight_ndim[-1])
    ]
    with _NoHostSync():
        for y_true, y_pred, weight in batches:
            metric.update_state(y_true, y_pred, sample_weight=weight)
            metric.update_state(y_true, y_pred)
        metric.result()
        metric.reset_state()


def test_state_is_buffers_in_state_dict_and_moves_with_to() -> None:
    metric = metrics.SparseCategoricalAccuracy()
    metric.update_state(torch.tensor([0, 1]), torch.tensor([[0.9, 0.1], [0.8, 0.2]]))
    state = metric.state_dict()
    assert set(state) == {"total", "count"}
    assert float(state["total"]) == 1.0 and float(state["count"]) == 2.0
    fresh = metrics.SparseCategoricalAccuracy()
    fresh.load_state_dict(state)
    assert float(fresh.result()) == 0.5
    metric.to(torch.float64)
    assert metric.total.dtype == torch.float64
    metric.to("meta")
    assert metric.total.device.type == "meta"


def test_state_follows_the_device_of_the_data() -> None:
    metric = metrics.MeanAbsoluteError()
    metric.update_state(torch.zeros(2, 3, device="meta"), torch.ones(2, 3, device="meta"))
    assert metric.total.device.type == "meta" and metric.result().device.type == "meta"


def test_update_state_does_not_track_gradients() -> None:
    y_pred = torch.rand(4, 3, requires_grad=True)
    metric = metrics.MeanSquaredError()
    metric.update_state(torch.rand(4, 3), y_pred * 2)
    assert not metric.total.requires_grad and metric.total.grad_fn is None


def test_calling_the_metric_updates_and_returns_the_result() -> None:
    metric = metrics.Accuracy()
    assert float(metric(torch.tensor([1, 2]), torch.tensor([1, 0]))) == 0.5
    assert float(metric(torch.tensor([1, 2]), torch.tensor([1, 2]))) == 0.75


def test_metric_dtype() -> None:
    metric = metrics.Mean(dtype="float64")
    assert metric.dtype == torch.float64 and metric.total.dtype == torch.float64
    assert metric.get_config() == {"name": "mean", "dtype": "float64"}
    with pytest.raises(ValueError, match="dtype"):
        metrics.Mean(dtype="int32")


def test_mean_metric_wrapper_of_a_loss_uses_per_sample_values_and_mask() -> None:
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    metric = metrics.MeanMetricWrapper(loss)
    assert metric.name == "sparse_categorical_crossentropy"
    y_true, y_pred = torch.tensor([0, 1, 2, 1]), torch.randn(4, 3)
    metric.update_state(y_true, y_pred)
    per_sample = losses.sparse_categorical_crossentropy(y_true[1:], y_pred[1:], from_logits=True)
    torch.testing.assert_close(metric.result(), per_sample.mean())


def test_custom_metric_subclass_gets_no_grad_update() -> None:
    class Total(metrics.Metric):
        def __init__(self):
            super().__init__()
            self.add_state("total", shape=(2,))

        def update_state(self, values):
            self.total.add_(values.sum(dim=0))

        def result(self):
            return self.total.sum()

    metric = Total()
    metric.update_state(torch.ones(3, 2, requires_grad=True))
    assert metric.name == "total" and float(metric.result()) == 6.0 and not metric.total.requires_grad


# ---------------------------------------------------------------- registry


@pytest.mark.parametrize(
    "name, cls",
    [
        ("binary_accuracy", metrics.BinaryAccuracy),
        ("categorical_accuracy", metrics.CategoricalAccuracy),
        ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
        ("top_k_categorical_accuracy", metrics.TopKCategoricalAccuracy),
        ("sparse_top_k_categorical_accuracy", metrics.SparseTopKCategoricalAccuracy),
        ("SparseTopKCategoricalAccuracy", metrics.SparseTopKCategoricalAccuracy),
        ("mae", metrics.MeanAbsoluteError),
        ("MAE", metrics.MeanAbsoluteError),
        ("mse", metrics.MeanSquaredError),
        ("mean_absolute_error", metrics.MeanAbsoluteError),
        ("mean_squared_error", metrics.MeanSquaredError),
        ("MeanSquaredError", metrics.MeanSquaredError),
        ("mape", metrics.MeanAbsolutePercentageError),
        ("msle", metrics.MeanSquaredLogarithmicError),
        ("binary_crossentropy", metrics.BinaryCrossentropy),
        ("sparse_categorical_crossentropy", metrics.SparseCategoricalCrossentropy),
        ("kld", metrics.KLDivergence),
        ("accuracy", metrics.Accuracy),
    ],
)
def test_get_resolves_names_and_names_the_metric_after_the_string(name: str, cls: type) -> None:
    metric = metrics.get(name)
    assert type(metric) is cls and metric.name == name
    assert metrics.get(name) is not metric


def test_get_passes_instances_instantiates_classes_and_wraps_functions() -> None:
    metric = metrics.BinaryAccuracy(threshold=0.2)
    assert metrics.get(metric) is metric
    assert type(metrics.get(metrics.CategoricalAccuracy)) is metrics.CategoricalAccuracy
    assert metrics.get(None) is None

    def absolute_error(y_true, y_pred):
        return (y_true - y_pred).abs()

    wrapped = metrics.get(absolute_error)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "absolute_error"


def test_get_unknown_name_suggests_close_names() -> None:
    with pytest.raises(ValueError, match="Did you mean 'sparse_categorical_accuracy'"):
        metrics.get("sparse_categorial_accuracy")


@pytest.mark.parametrize("bad", [3, ["mae"], dict])
def test_get_rejects_other_types(bad: Any) -> None:
    with pytest.raises(TypeError, match="`metric` argument.*received metric="):
        metrics.get(bad)


SHAPES = [
    ((8,), (8, 1)),
    ((8, 1), (8, 1)),
    ((8,), (8, 10)),
    ((8, 1), (8, 10)),
    ((8, 10), (8, 10)),
    ((8, 4), (8, 4, 10)),
    ((8, 4, 1), (8, 4, 10)),
    ((8, 4, 10), (8, 4, 10)),
    ((8, 3), (8, 3)),
]


@pytest.mark.parametrize("y_true_shape, y_pred_shape", SHAPES)
def test_resolve_accuracy_shape_rule_matches_keras(y_true_shape, y_pred_shape) -> None:
    expected = compile_utils.get_metric("accuracy", np.zeros(y_true_shape), np.zeros(y_pred_shape))
    assert metrics.resolve_accuracy(y_true_shape, y_pred_shape).__name__ == type(expected).__name__


@pytest.mark.parametrize(
    "loss, expected",
    [
        ("binary_crossentropy", metrics.BinaryAccuracy),
        ("bce", metrics.BinaryAccuracy),
        (losses.BinaryCrossentropy(from_logits=True), metrics.BinaryAccuracy),
        ("categorical_crossentropy", metrics.CategoricalAccuracy),
        ("CategoricalCrossentropy", metrics.CategoricalAccuracy),
        ("sparse_categorical_crossentropy", metrics.SparseCategoricalAccuracy),
        (losses.SparseCategoricalCrossentropy, metrics.SparseCategoricalAccuracy),
        ("mse", metrics.CategoricalAccuracy),  # not a cross-entropy: the shape rule decides
        ("my_custom_loss", metrics.CategoricalAccuracy),
    ],
)
def test_resolve_accuracy_loss_decides_first(loss, expected) -> None:
    # Multi-label (8, 3) vs (8, 3): Keras 3's shape rule alone says categorical.
    assert metrics.resolve_accuracy((8, 3), (8, 3), loss_name=loss) is expected


def test_resolve_accuracy_with_unknown_dimensions() -> None:
    assert metrics.resolve_accuracy((None,), (None, None)) is metrics.SparseCategoricalAccuracy
    assert metrics.resolve_accuracy((None, 1), (None, None)) is metrics.CategoricalAccuracy


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_config_round_trip(case: Case) -> None:
    metric = case.ours(name="renamed", **case.kwargs)
    config = metric.get_config()
    assert json.loads(json.dumps(config)) == config and config["name"] == "renamed"
    assert type(metric).from_config(config).get_config() == config


def test_mean_metric_wrapper_config_round_trip_by_name() -> None:
    metric = metrics.MeanMetricWrapper(metrics.top_k_categorical_accuracy, name="top2", k=2)
    config = metric.get_config()
    assert config == {"name": "top2", "dtype": "float32", "fn": "top_k_categorical_accuracy", "k": 2}
    restored = metrics.MeanMetricWrapper.from_config(config)
    restored.update_state(torch.tensor([[0.0, 1.0, 0.0]]), torch.tensor([[0.5, 0.2, 0.3]]))
    assert float(restored.result()) == 0.0


def test_bad_k_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="`k`"):
        metrics.TopKCategoricalAccuracy(k=0)
