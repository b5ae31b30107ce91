"""fitorch.losses against Keras 3 (torch backend) as the numeric oracle."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import json  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from fitorch import losses  # noqa: E402
from tests.losses.oracle import Case, assert_loss_matches_keras, softmax  # noqa: E402

B, C, T = 6, 4, 3
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None, "none"]


# Each maker returns (y_true, y_pred) as float32/int64 NumPy arrays.
def _regression(rng):
    return rng.normal(size=(B, C)).astype("f"), rng.normal(size=(B, C)).astype("f")


def _positive(rng):
    return rng.uniform(0, 3, size=(B, C)).astype("f"), rng.uniform(0.01, 3, size=(B, C)).astype("f")


def _distributions(rng):
    return softmax(rng.normal(size=(B, C))).astype("f"), softmax(rng.normal(size=(B, C))).astype("f")


def _cosine(rng):
    y_true, y_pred = rng.normal(size=(B, C)).astype("f"), rng.normal(size=(B, C)).astype("f")
    y_true[0] = 0.0  # a zero vector exercises the epsilon floor of the normalisation
    return y_true, y_pred


def _signed(rng):
    return rng.choice([-1.0, 1.0], size=(B, C)).astype("f"), rng.normal(size=(B, C)).astype("f")


def _zero_one_hinge(rng):
    return rng.integers(0, 2, size=(B, C)).astype("f"), rng.normal(size=(B, C)).astype("f")


def _binary_probs(rng):
    y_pred = rng.uniform(size=(B, C)).astype("f")
    y_pred[0, :2] = [0.0, 1.0]  # exact 0 and 1 exercise the clipping
    return rng.integers(0, 2, size=(B, C)).astype("f"), y_pred


def _binary_logits(rng):
    return rng.integers(0, 2, size=(B, C)).astype("f"), 3 * rng.normal(size=(B, C)).astype("f")


def _binary_column(rng):
    # (B,) labels against (B, 1) predictions: Keras' squeeze/expand rule lines them up.
    return rng.integers(0, 2, size=(B,)).astype("f"), rng.uniform(size=(B, 1)).astype("f")


def _onehot_probs(rng):
    y_pred = rng.uniform(size=(B, C)).astype("f")  # unnormalised: Keras divides by the sum
    y_pred[0, 0] = 0.0
    return np.eye(C, dtype="f")[rng.integers(0, C, B)], y_pred


def _onehot_logits(rng):
    return np.eye(C, dtype="f")[rng.integers(0, C, B)], 3 * rng.normal(size=(B, C)).astype("f")


def _onehot_channels_first(rng):
    y_true = np.eye(C, dtype="f")[rng.integers(0, C, (B, T))].transpose(0, 2, 1)
    return np.ascontiguousarray(y_true), rng.normal(size=(B, C, T)).astype("f")


def _sparse_probs(rng):
    return rng.integers(0, C, size=(B,)), rng.uniform(size=(B, C)).astype("f")


def _sparse_logits(rng):
    return rng.integers(0, C, size=(B,)), 3 * rng.normal(size=(B, C)).astype("f")


def _sparse_float_column(rng):
    return rng.integers(0, C, size=(B, 1)).astype("f"), 3 * rng.normal(size=(B, C)).astype("f")


def _sparse_sequence(rng):
    return rng.integers(0, C, size=(B, T)), 3 * rng.normal(size=(B, T, C)).astype("f")


def _sequence_regression(rng):
    return rng.normal(size=(B, T, C)).astype("f"), rng.normal(size=(B, T, C)).astype("f")



SEQ_WEIGHTS = ((B, T), (B, 1))
CASES = [
    Case("mse", losses.MeanSquaredError, keras.losses.MeanSquaredError, _regression),
    Case(
        "mse_sequence",
        losses.MeanSquaredError,
        keras.losses.MeanSquaredError,
        _sequence_regression,
        weight_shapes=SEQ_WEIGHTS,
    ),
    Case("mae", losses.MeanAbsoluteError, keras.losses.MeanAbsoluteError, _regression),
    Case("mape", losses.MeanAbsolutePercentageError, keras.losses.MeanAbsolutePercentageError, _regression),
    Case("msle", losses.MeanSquaredLogarithmicError, keras.losses.MeanSquaredLogarithmicError, _regression),
    Case("huber", losses.Huber, keras.losses.Huber, _regression),
    Case("huber_delta", losses.Huber, keras.losses.Huber, _regression, {"delta": 0.3}),
    Case("cosine", losses.CosineSimilarity, keras.losses.CosineSimilarity, _cosine),
    Case(
        "cosine_axis0",
        losses.CosineSimilarity,
        keras.losses.CosineSimilarity,
        _cosine,
        {"axis": 0},
        weight_shapes=((C,),),
    ),
    Case("poisson", losses.Poisson, keras.losses.Poisson, _positive),
    Case("kld", losses.KLDivergence, keras.losses.KLDivergence, _distributions),
    Case("hinge_signed", losses.Hinge, keras.losses.Hinge, _signed),
    Case("hinge_zero_one", losses.Hinge, keras.losses.Hinge, _zero_one_hinge),
    Case("hinge_not_binary", losses.Hinge, keras.losses.Hinge, _regression),
    Case("bce", losses.BinaryCrossentropy, keras.losses.BinaryCrossentropy, _binary_probs),
    Case(
        "bce_smooth",
        losses.BinaryCrossentropy,
        keras.losses.BinaryCrossentropy,
        _binary_probs,
        {"label_smoothing": 0.2},
    ),
    Case(
        "bce_logits",
        losses.BinaryCrossentropy,
        keras.losses.BinaryCrossentropy,
        _binary_logits,
        {"from_logits": True},
    ),
    Case(
        "bce_logits_smooth",
        losses.BinaryCrossentropy,
        keras.losses.BinaryCrossentropy,
        _binary_logits,
        {"from_logits": True, "label_smoothing": 0.1},
    ),
    Case("bce_column", losses.BinaryCrossentropy, keras.losses.BinaryCrossentropy, _binary_column),
    Case("cce", losses.CategoricalCrossentropy, keras.losses.CategoricalCrossentropy, _onehot_probs),
    Case(
        "cce_smooth",
        losses.CategoricalCrossentropy,
        keras.losses.CategoricalCrossentropy,
        _onehot_probs,
        {"label_smoothing": 0.2},
    ),
    Case(
        "cce_logits",
        losses.CategoricalCrossentropy,
        keras.losses.CategoricalCrossentropy,
        _onehot_logits,
        {"from_logits": True},
    ),
    Case(
        "cce_logits_smooth",
        losses.CategoricalCrossentropy,
        keras.losses.CategoricalCrossentropy,
        _onehot_logits,
        {"from_logits": True, "label_smoothing": 0.1},
    ),
    Case(
        "cce_axis1",
        losses.CategoricalCrossentropy,
        keras.losses.CategoricalCrossentropy,
        _onehot_channels_first,
        {"from_logits": True, "axis": 1},
        weight_shapes=SEQ_WEIGHTS,
    ),
    Case(
        "scce",
        losses.SparseCategoricalCrossentropy,
        keras.losses.SparseCategoricalCrossentropy,
        _sparse_probs,
    ),
    Case(
        "scce_logits",
        losses.SparseCategoricalCrossentropy,
        keras.losses.SparseCategoricalCrossentropy,
        _sparse_logits,
        {"from_logits": True},
    ),
    Case(
        "scce_float_column",
        losses.SparseCategoricalCrossentropy,
        keras.losses.SparseCategoricalCrossentropy,
        _sparse_float_column,
        {"from_logits": True},
    ),
    Case(
        "scce_sequence",
        losses.SparseCategoricalCrossentropy,
        keras.losses.SparseCategoricalCrossentropy,
        _sparse_sequence,
        {"from_logits": True},
        weight_shapes=SEQ_WEIGHTS,
    ),
    Case(
        "scce_ignore",
        losses.SparseCategoricalCrossentropy,
        keras.losses.SparseCategoricalCrossentropy,
        _sparse_logits,
        {"from_logits": True, "ignore_class": 1},
    ),
    Case(
        "scce_ignore_probs",
        losses.SparseCategoricalCrossentropy,
        keras.losses.SparseCategoricalCrossentropy,
        _sparse_probs,
        {"ignore_class": 2},
    ),
    Case(
        "scce_ignore_sequence",
        losses.SparseCategoricalCrossentropy,
        keras.losses.SparseCategoricalCrossentropy,
        # Keras multiplies a (B, 1) weight into the (B, T) mask in place, which fails; (B, T) works.
        _sparse_sequence,
        {"from_logits": True, "ignore_class": 0},
        weight_shapes=((B, T),),
    ),
]


@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_loss_matches_keras(case: Case, reduction: str | None) -> None:
    assert_loss_matches_keras(case, reduction)


FUNCTIONS = [
    (losses.mean_squared_error, keras.losses.mean_squared_error, _regression, {}),
    (losses.mean_absolute_error, keras.losses.mean_absolute_error, _regression, {}),
    (losses.mean_absolute_percentage_error, keras.losses.mean_absolute_percentage_error, _regression, {}),
    (losses.mean_squared_logarithmic_error, keras.losses.mean_squared_logarithmic_error, _positive, {}),
    (losses.huber, keras.losses.huber, _regression, {"delta": 0.5}),
    (losses.cosine_similarity, keras.losses.cosine_similarity, _cosine, {}),
    (losses.poisson, keras.losses.poisson, _positive, {}),
    (losses.kl_divergence, keras.losses.kl_divergence, _distributions, {}),
    (losses.hinge, keras.losses.hinge, _zero_one_hinge, {}),
    (losses.binary_crossentropy, keras.losses.binary_crossentropy, _binary_probs, {"label_smoothing": 0.1}),
    (
        losses.categorical_crossentropy,
        keras.losses.categorical_crossentropy,
        _onehot_logits,
        {"from_logits": True},
    ),
    (losses.sparse_categorical_crossentropy, keras.losses.sparse_categorical_crossentropy, _sparse_probs, {}),
]


@pytest.mark.parametrize("ours, theirs, data, kwargs", FUNCTIONS, ids=lambda v: getattr(v, "__name__", ""))
def test_function_form_matches_keras(ours, theirs, data, kwargs) -> None:
    y_true, y_pred = data(np.random.default_rng(1))
    values = ours(torch.as_tensor(y_true), torch.as_tensor(y_pred), **kwargs)
    np.testing.assert_allclose(values.numpy(), keras.ops.convert_to_numpy(theirs(y_true, y_pred, **kwargs)), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.id.startswith(("bce", "cce", "scce"))], ids=lambda c: c.id
)
def test_crossentropy_gradients_match_keras(case: Case) -> None:
    y_true, y_pred = case.data(np.random.default_rng(2))
    grads = []
    for loss in (case.ours(**case.kwargs), case.theirs(**case.kwargs)):
        pred = torch.tensor(y_pred, requires_grad=True)
        loss(torch.as_tensor(y_true), pred).backward()
        grads.append(pred.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-4, atol=1e-6)


def test_sample_weight_per_sample_broadcasts_over_timesteps() -> None:
    # Keras 3's losses reject a (B,) weight on (B, T) values; fitorch aligns leading axes.
    y_true, y_pred = _sequence_regression(np.random.default_rng(3))
    weight = torch.rand(B)
    loss = losses.MeanSquaredError()
    per_sample = loss(torch.as_tensor(y_true), torch.as_tensor(y_pred), sample_weight=weight)
    explicit = loss(torch.as_tensor(y_true), torch.as_tensor(y_pred), sample_weight=weight[:, None])
    torch.testing.assert_close(per_sample, explicit)


def test_ignore_class_everywhere_gives_zero_not_nan() -> None:
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    assert float(loss(torch.zeros(4, dtype=torch.long), torch.randn(4, 3))) == 0.0


def test_half_precision_predictions_compute_in_float32() -> None:
    y_true, y_pred = _onehot_logits(np.random.default_rng(4))
    loss = losses.CategoricalCrossentropy(from_logits=True)
    low = loss(torch.as_tensor(y_true), torch.as_tensor(y_pred).to(torch.bfloat16))
    full = loss(torch.as_tensor(y_true), torch.as_tensor(y_pred).to(torch.bfloat16).float())
    assert low.dtype == torch.float32
    torch.testing.assert_close(low, full)


def test_integer_and_float64_targets_are_cast_to_prediction_dtype() -> None:
    y_pred = torch.rand(B, C)
    labels = torch.randint(0, 2, (B, C))
    out = losses.BinaryCrossentropy()(labels, y_pred)
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, losses.BinaryCrossentropy()(labels.double().numpy(), y_pred))


class _NoHostSync:
    """Makes every tensor -> host conversion raise while active."""

    NAMES = ("item", "tolist", "cpu", "numpy", "__bool__", "__int__", "__float__", "__index__")

    def __enter__(self):
        self.saved = {name: getattr(torch.Tensor, name) for name in self.NAMES}

        def forbid(name):
            def raiser(*args, **kwargs):
                raise AssertionError(f"host sync: Tensor.{name} called inside a loss")

            return raiser

        for name in self.NAMES:
            setattr(torch.Tensor, name, forbid(name))
        return self

    def __exit__(self, *exc):
        for name, fn in self.saved.items():
            setattr(torch.Tensor, name, fn)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_losses_do_not_sync_with_host(case: Case) -> None:
    y_true, y_pred = case.data(np.random.default_rng(5))
    y_true, y_pred = torch.as_tensor(y_true), torch.as_tensor(y_pred)
    weight = torch.rand(case.weight_shapes[0])
    loss = case.ours(**case.kwargs)
    with _NoHostSync():
        loss(y_true, y_pred, sample_weight=weight)
        losses.Loss.__call__(
            case.ours(reduction="mean_with_sample_weight", **case.kwargs), y_true, y_pred, weight
        )


# ---------------------------------------------------------------- registry


@pytest.mark.parametrize(
    "name, cls",
    [
        ("mse", losses.MeanSquaredError),
        ("MSE", losses.MeanSquaredError),
        ("mean_squared_error", losses.MeanSquaredError),
        ("MeanSquaredError", losses.MeanSquaredError),
        ("mae", losses.MeanAbsoluteError),
        ("mape", losses.MeanAbsolutePercentageError),
        ("msle", losses.MeanSquaredLogarithmicError),
        ("binary_crossentropy", losses.BinaryCrossentropy),
        ("bce", losses.BinaryCrossentropy),
        ("categorical_crossentropy", losses.CategoricalCrossentropy),
        ("sparse_categorical_crossentropy", losses.SparseCategoricalCrossentropy),
        ("SparseCategoricalCrossentropy", losses.SparseCategoricalCrossentropy),
        ("kl_divergence", losses.KLDivergence),
        ("kld", losses.KLDivergence),
        ("KLDivergence", losses.KLDivergence),
        ("poisson", losses.Poisson),
        ("huber", losses.Huber),
        ("huber_loss", losses.Huber),
        ("cosine_similarity", losses.CosineSimilarity),
        ("hinge", losses.Hinge),
    ],
)
def test_get_resolves_keras_names(name: str, cls: type) -> None:
    first, second = losses.get(name), losses.get(name)
    assert type(first) is cls
    assert first is not second  # a new instance each time


def test_get_passes_instances_and_instantiates_classes() -> None:
    loss = losses.Huber(delta=2.0)
    assert losses.get(loss) is loss
    assert type(losses.get(losses.Poisson)) is losses.Poisson
    assert losses.get(None) is None


def test_get_wraps_callables() -> None:
    def max_error(y_true, y_pred):
        return (y_true - y_pred).abs().amax(dim=-1)

    wrapped = losses.get(max_error)
    assert isinstance(wrapped, losses.LossFunctionWrapper) and wrapped.name == "max_error"
    value = wrapped(torch.zeros(2, 2), torch.tensor([[1.0, 3.0], [2.0, 0.0]]), sample_weight=[1.0, 0.0])
    assert float(value) == pytest.approx(1.5)


def test_get_adapts_torch_loss_modules_to_keras_argument_order() -> None:
    y_true, y_pred = torch.randint(0, C, (B,)), torch.randn(B, C)
    wrapped = losses.get(nn.CrossEntropyLoss())
    torch.testing.assert_close(wrapped(y_true, y_pred), nn.functional.cross_entropy(y_pred, y_true))


def test_get_unknown_name_suggests_close_names() -> None:
    with pytest.raises(ValueError, match="Did you mean 'sparse_categorical_crossentropy'"):
        losses.get("sparse_categorical_crossentropyy")


@pytest.mark.parametrize("bad", [3, 1.5, ["mse"], int])
def test_get_rejects_other_types(bad: Any) -> None:
    with pytest.raises(TypeError, match="`loss` argument.*received loss="):
        losses.get(bad)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_config_round_trip(case: Case) -> None:
    loss = case.ours(reduction="sum", **case.kwargs)
    config = loss.get_config()
    assert json.loads(json.dumps(config)) == config
    restored = type(loss).from_config(config)
    assert restored.get_config() == config
    y_true, y_pred = case.data(np.random.default_rng(6))
    torch.testing.assert_close(
        restored(torch.as_tensor(y_true), torch.as_tensor(y_pred)),
        loss(torch.as_tensor(y_true), torch.as_tensor(y_pred)),
    )


def test_loss_function_wrapper_config_round_trip_by_name() -> None:
    wrapper = losses.LossFunctionWrapper(losses.huber, delta=0.5, reduction="sum")
    config = wrapper.get_config()
    assert config == {"name": "huber", "reduction": "sum", "fn": "huber", "delta": 0.5}
    restored = losses.LossFunctionWrapper.from_config(config)
    assert restored.fn is losses.huber and restored.fn_kwargs == {"delta": 0.5}


# ---------------------------------------------------------------- errors


def test_invalid_reduction_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="reduction='average'"):
        losses.MeanSquaredError(reduction="average")


def test_categorical_crossentropy_with_integer_labels_points_to_sparse() -> None:
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        losses.CategoricalCrossentropy()(torch.tensor([0, 1]), torch.rand(2, 3))


def test_sparse_crossentropy_with_one_hot_labels_points_to_categorical() -> None:
    with pytest.raises(ValueError, match=r"y_true.shape=\(2, 3\).*categorical_crossentropy"):
        losses.SparseCategoricalCrossentropy()(torch.eye(3)[:2], torch.rand(2, 3))


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: losses.BinaryCrossentropy(label_smoothing=1.5), "label_smoothing"),
        (lambda: losses.CategoricalCrossentropy(label_smoothing=-0.1), "label_smoothing"),
        (lambda: losses.Huber(delta=0.0), "delta"),
        (lambda: losses.SparseCategoricalCrossentropy(ignore_class=1.5), "ignore_class"),
    ],
)
def test_bad_hyperparameters_name_the_argument(make: Callable, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make()
