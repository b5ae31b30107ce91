"""The hinge variants, log-cosh, focal, overlap, CTC, circle and generalized cross-entropy losses, and
``serialize``/``deserialize``, against Keras 3 (torch backend) as the numeric oracle."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import json  # noqa: E402
from collections.abc import Callable  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import fitorch  # noqa: E402
from fitorch import losses  # noqa: E402
from tests.losses.oracle import Case, assert_loss_matches_keras, softmax  # noqa: E402

B, C, T, L = 6, 4, 5, 3
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", None]


# Each maker returns (y_true, y_pred) as NumPy arrays.
def _signed(rng):
    return rng.choice([-1.0, 1.0], size=(B, C)).astype("f"), rng.normal(size=(B, C)).astype("f")


def _zero_one(rng):
    return rng.integers(0, 2, size=(B, C)).astype("f"), rng.normal(size=(B, C)).astype("f")


def _onehot_scores(rng):
    return np.eye(C, dtype="f")[rng.integers(0, C, B)], rng.normal(size=(B, C)).astype("f")


def _regression(rng):
    return rng.normal(size=(B, C)).astype("f"), 4 * rng.normal(size=(B, C)).astype("f")


def _sequence_regression(rng):
    return rng.normal(size=(B, T, C)).astype("f"), rng.normal(size=(B, T, C)).astype("f")


def _binary_probs(rng):
    y_pred = rng.uniform(size=(B, C)).astype("f")
    y_pred[0, :2] = [0.0, 1.0]  # exact 0 and 1 exercise the clipping
    return rng.integers(0, 2, size=(B, C)).astype("f"), y_pred


def _binary_logits(rng):
    y_pred = 3 * rng.normal(size=(B, C)).astype("f")
    y_pred[0, :2] = [-40.0, 40.0]  # sigmoid saturates: Keras clips the probability, not the logit
    return rng.integers(0, 2, size=(B, C)).astype("f"), y_pred


def _onehot_probs(rng):
    y_pred = rng.uniform(size=(B, C)).astype("f")  # unnormalised: Keras divides by the sum
    y_pred[0, 0] = 0.0
    return np.eye(C, dtype="f")[rng.integers(0, C, B)], y_pred


def _onehot_logits(rng):
    return np.eye(C, dtype="f")[rng.integers(0, C, B)], 3 * rng.normal(size=(B, C)).astype("f")


def _masks(rng):
    return rng.integers(0, 2, size=(B, C)).astype("f"), rng.uniform(size=(B, C)).astype("f")


def _image_masks(rng):
    return rng.integers(0, 2, size=(B, T, C)).astype("f"), rng.uniform(size=(B, T, C)).astype("f")


def _ctc(rng):
    # 0 is the blank and the padding; labels padded at the end, lengths 0 .. L.
    labels = rng.integers(1, C, size=(B, L))
    lengths = np.array([3, 2, 1, 0, 3, 2])
    labels[np.arange(L)[None, :] >= lengths[:, None]] = 0
    return labels.astype("int64"), rng.normal(size=(B, 2 * L + 2, C)).astype("f")


def _embeddings(rng):
    x = rng.normal(size=(B, C)).astype("f")
    return np.array([0, 0, 1, 1, 2, 3]), x / np.linalg.norm(x, axis=-1, keepdims=True)


def _sparse_probs(rng):
    return rng.integers(0, C, size=(B,)), softmax(rng.normal(size=(B, C))).astype("f")



CASES = [
    Case("squared_hinge_signed", losses.SquaredHinge, keras.losses.SquaredHinge, _signed),
    Case("squared_hinge_zero_one", losses.SquaredHinge, keras.losses.SquaredHinge, _zero_one),
    Case("squared_hinge_not_binary", losses.SquaredHinge, keras.losses.SquaredHinge, _regression),
    Case("categorical_hinge", losses.CategoricalHinge, keras.losses.CategoricalHinge, _onehot_scores),
    Case("log_cosh", losses.LogCosh, keras.losses.LogCosh, _regression),
    Case(
        "log_cosh_sequence",
        losses.LogCosh,
        keras.losses.LogCosh,
        _sequence_regression,
        weight_shapes=((B, T), (B, 1)),
    ),
    Case("bfce", losses.BinaryFocalCrossentropy, keras.losses.BinaryFocalCrossentropy, _binary_probs),
    Case(
        "bfce_logits_balanced_smooth",
        losses.BinaryFocalCrossentropy,
        keras.losses.BinaryFocalCrossentropy,
        _binary_logits,
        {"from_logits": True, "apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5, "label_smoothing": 0.1},
    ),
    Case(
        "bfce_gamma0_axis0",
        losses.BinaryFocalCrossentropy,
        keras.losses.BinaryFocalCrossentropy,
        _binary_probs,
        {"gamma": 0.0, "axis": 0},
        weight_shapes=((C,),),
    ),
    Case("cfce", losses.CategoricalFocalCrossentropy, keras.losses.CategoricalFocalCrossentropy, _onehot_probs),
    Case(
        "cfce_logits_smooth",
        losses.CategoricalFocalCrossentropy,
        keras.losses.CategoricalFocalCrossentropy,
        _onehot_logits,
        {"from_logits": True, "label_smoothing": 0.2, "alpha": 0.5, "gamma": 3.0},
    ),
    Case("dice", losses.Dice, keras.losses.Dice, _masks),
    Case("dice_axis1", losses.Dice, keras.losses.Dice, _masks, {"axis": 1}),
    Case("dice_image", losses.Dice, keras.losses.Dice, _image_masks, {"axis": (1, 2)}),
    Case("tversky", losses.Tversky, keras.losses.Tversky, _masks),
    Case(
        "tversky_weighted_axis1", losses.Tversky, keras.losses.Tversky, _masks, {"alpha": 0.3, "beta": 0.7, "axis": 1}
    ),
    Case("ctc", losses.CTC, keras.losses.CTC, _ctc, weight_shapes=((B,),)),
    Case("circle", losses.Circle, keras.losses.Circle, _embeddings, weight_shapes=((B,),)),
    Case(
        "circle_options",
        losses.Circle,
        keras.losses.Circle,
        _embeddings,
        {"gamma": 20.0, "margin": 0.25, "remove_diagonal": False},
        weight_shapes=((B,),),
    ),
    Case(
        "generalized_ce",
        losses.CategoricalGeneralizedCrossEntropy,
        keras.losses.CategoricalGeneralizedCrossEntropy,
        _sparse_probs,
        {"q": 0.3},
        weight_shapes=((B,),),
    ),
]


@pytest.mark.parametrize("reduction", REDUCTIONS, ids=str)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_loss_matches_keras(case: Case, reduction: str | None) -> None:
    assert_loss_matches_keras(case, reduction, keras_takes_tensors=True)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_gradients_match_keras(case: Case) -> None:
    y_true, y_pred = case.data(np.random.default_rng(2))
    grads = []
    for loss in (case.ours(**case.kwargs), case.theirs(**case.kwargs)):
        pred = torch.tensor(y_pred, requires_grad=True)
        loss(torch.as_tensor(y_true), pred).backward()
        grads.append(pred.grad.numpy())
    assert np.isfinite(grads[0]).all()
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-4, atol=1e-6)


FUNCTIONS = [
    ("squared_hinge", _zero_one, {}),
    ("categorical_hinge", _onehot_scores, {}),
    ("log_cosh", _regression, {}),
    ("binary_focal_crossentropy", _binary_logits, {"from_logits": True, "apply_class_balancing": True}),
    ("binary_focal_crossentropy", _binary_probs, {"gamma": 1.0, "label_smoothing": 0.2}),
    ("categorical_focal_crossentropy", _onehot_probs, {"alpha": 0.7}),
    ("dice", _masks, {}),
    ("dice", _image_masks, {"axis": (1, 2)}),
    ("tversky", _masks, {"alpha": 0.2, "beta": 0.8, "axis": -1}),
    ("ctc", _ctc, {}),
    ("circle", _embeddings, {"gamma": 10}),
    ("categorical_generalized_cross_entropy", _sparse_probs, {"q": 0.7}),
]


@pytest.mark.parametrize("name, data, kwargs", FUNCTIONS, ids=[f[0] for f in FUNCTIONS])
def test_function_form_matches_keras(name: str, data: Callable, kwargs: dict) -> None:
    y_true, y_pred = (torch.as_tensor(a) for a in data(np.random.default_rng(1)))
    ours = getattr(losses, name)(y_true, y_pred, **kwargs)
    theirs = getattr(keras.losses, name)(y_true, y_pred, **kwargs)
    np.testing.assert_allclose(ours.numpy(), keras.ops.convert_to_numpy(theirs), rtol=1e-5, atol=1e-5)


def test_circle_with_reference_embeddings_matches_keras() -> None:
    rng = np.random.default_rng(3)
    labels, embeddings = (torch.as_tensor(a) for a in _embeddings(rng))
    ref = torch.nn.functional.normalize(torch.randn(9, C), dim=-1)
    ref_labels = torch.randint(0, 4, (9,))
    kwargs = {"ref_labels": ref_labels, "ref_embeddings": ref, "remove_diagonal": False}
    ours = losses.circle(labels, embeddings, **kwargs)
    np.testing.assert_allclose(ours.numpy(), keras.ops.convert_to_numpy(keras.losses.circle(labels, embeddings, **kwargs)), rtol=1e-5)


def test_circle_averages_over_positive_losses_only() -> None:
    # Keras attaches a mask (loss > 0) to the values; the mean ignores the zero losses.
    labels, embeddings = (torch.as_tensor(a) for a in _embeddings(np.random.default_rng(4)))
    values = losses.circle(labels, embeddings)
    assert (values == 0).any()  # labels 2 and 3 have no positive pair
    expected = values[values > 0].mean()
    torch.testing.assert_close(losses.Circle()(labels, embeddings), expected)


def test_ctc_impossible_alignment_is_inf_as_in_keras() -> None:
    y_true = torch.tensor([[1, 2, 1, 2]])
    y_pred = torch.zeros(1, 3, C)  # 3 steps cannot emit 4 labels
    assert torch.isinf(losses.ctc(y_true, y_pred)).all()
    assert torch.isinf(_tensor(keras.losses.ctc(y_true, y_pred))).all()


def _tensor(x) -> torch.Tensor:
    return torch.as_tensor(keras.ops.convert_to_numpy(x))


def test_half_precision_predictions_compute_in_float32() -> None:
    y_true, y_pred = _onehot_logits(np.random.default_rng(5))
    loss = losses.CategoricalFocalCrossentropy(from_logits=True)
    low = loss(torch.as_tensor(y_true), torch.as_tensor(y_pred).to(torch.bfloat16))
    full = loss(torch.as_tensor(y_true), torch.as_tensor(y_pred).to(torch.bfloat16).float())
    assert low.dtype == torch.float32
    torch.testing.assert_close(low, full)


def test_generalized_cross_entropy_accepts_column_labels() -> None:
    # Keras broadcasts (B, 1) labels against (B,) to (B, B); fitorch squeezes the column instead.
    y_true, y_pred = (torch.as_tensor(a) for a in _sparse_probs(np.random.default_rng(6)))
    loss = losses.CategoricalGeneralizedCrossEntropy()
    torch.testing.assert_close(loss(y_true[:, None], y_pred), loss(y_true, y_pred))


# ---------------------------------------------------------------- config, registry, serialization

CONFIGS = [
    (losses.SquaredHinge, keras.losses.SquaredHinge, {}),
    (losses.CategoricalHinge, keras.losses.CategoricalHinge, {"reduction": "sum"}),
    (losses.LogCosh, keras.losses.LogCosh, {"name": "lc"}),
    (losses.BinaryFocalCrossentropy, keras.losses.BinaryFocalCrossentropy, {}),
    (
        losses.BinaryFocalCrossentropy,
        keras.losses.BinaryFocalCrossentropy,
        {"apply_class_balancing": True, "alpha": 0.5, "gamma": 1.0, "from_logits": True, "label_smoothing": 0.1},
    ),
    (losses.CategoricalFocalCrossentropy, keras.losses.CategoricalFocalCrossentropy, {}),
    (losses.CategoricalFocalCrossentropy, keras.losses.CategoricalFocalCrossentropy, {"alpha": 1.0, "axis": 1}),
    (losses.Dice, keras.losses.Dice, {}),
    (losses.Dice, keras.losses.Dice, {"axis": (1, 2)}),
    (losses.Tversky, keras.losses.Tversky, {"alpha": 0.3, "beta": 0.7, "axis": -1}),
    (losses.CTC, keras.losses.CTC, {}),
    (losses.Circle, keras.losses.Circle, {}),
    (losses.Circle, keras.losses.Circle, {"gamma": 10.0, "margin": 0.1, "remove_diagonal": False}),
    (losses.CategoricalGeneralizedCrossEntropy, keras.losses.CategoricalGeneralizedCrossEntropy, {}),
    (losses.CategoricalGeneralizedCrossEntropy, keras.losses.CategoricalGeneralizedCrossEntropy, {"q": 0.25}),
]


@pytest.mark.parametrize("ours, theirs, kwargs", CONFIGS, ids=lambda v: getattr(v, "__name__", ""))
def test_config_equals_keras_and_round_trips(ours: type, theirs: type, kwargs: dict) -> None:
    config = ours(**kwargs).get_config()
    expected = theirs(**kwargs).get_config()
    assert config == expected and list(config) == list(expected)  # same keys in the same order
    assert json.loads(json.dumps(config)) == json.loads(json.dumps(expected))
    assert ours.from_config(config).get_config() == config
    # Keras' own serialized form deserializes into the same fitorch loss, and back.
    restored = losses.deserialize(keras.losses.serialize(theirs(**kwargs)))
    assert type(restored) is ours and restored.get_config() == config
    assert json.loads(json.dumps(losses.serialize(ours(**kwargs)))) == json.loads(
        json.dumps(keras.losses.serialize(theirs(**kwargs)))
    )


NEW_CLASSES = {
    "squared_hinge": losses.SquaredHinge,
    "categorical_hinge": losses.CategoricalHinge,
    "log_cosh": losses.LogCosh,
    "binary_focal_crossentropy": losses.BinaryFocalCrossentropy,
    "categorical_focal_crossentropy": losses.CategoricalFocalCrossentropy,
    "dice": losses.Dice,
    "tversky": losses.Tversky,
    "ctc": losses.CTC,
    "circle": losses.Circle,
    "categorical_generalized_cross_entropy": losses.CategoricalGeneralizedCrossEntropy,
}


@pytest.mark.parametrize("name", sorted(NEW_CLASSES))
def test_get_and_deserialize_resolve_keras_names(name: str) -> None:
    cls = NEW_CLASSES[name]
    assert type(losses.get(name)) is cls and type(losses.get(cls.__name__)) is cls
    # As in Keras: the function name gives the function, the class name an instance.
    assert losses.deserialize(name) is getattr(losses, name)
    assert type(losses.deserialize(cls.__name__)) is cls
    fn = getattr(losses, name)
    assert losses.serialize(fn) == keras.losses.serialize(getattr(keras.losses, name))
    assert losses.deserialize(losses.serialize(fn)) is fn


def test_deserialize_uses_custom_objects_and_rejects_unknown_names() -> None:
    class MyLoss(losses.Loss):
        def call(self, y_true, y_pred):
            return (y_true - y_pred).abs().mean(dim=-1)

    restored = losses.deserialize({"class_name": "MyLoss", "config": {"name": "m"}}, custom_objects={"MyLoss": MyLoss})
    assert type(restored) is MyLoss and restored.name == "m"
    with pytest.raises(ValueError, match="Unknown loss function: 'squared_hing'. Did you mean 'squared_hinge'"):
        losses.deserialize("squared_hing")
    with pytest.raises(TypeError, match="could not locate class 'NoSuchLoss'"):
        losses.deserialize({"class_name": "NoSuchLoss", "config": {}})


def test_compile_with_keras_string_name_trains() -> None:
    model = fitorch.Sequential([fitorch.layers.Input(shape=(3,)), fitorch.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="squared_hinge")
    x = np.random.default_rng(7).normal(size=(8, 3)).astype("f")
    y = np.random.default_rng(8).choice([-1.0, 1.0], size=(8, 2)).astype("f")
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    expected = losses.SquaredHinge()(torch.as_tensor(y), model.predict(x, verbose=0))
    assert model.evaluate(x, y, verbose=0) == pytest.approx(float(expected), rel=1e-5)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: losses.BinaryFocalCrossentropy(gamma=-1.0), r"BinaryFocalCrossentropy: `gamma`.*gamma=-1.0"),
        (lambda: losses.BinaryFocalCrossentropy(alpha="x"), r"BinaryFocalCrossentropy: `alpha`.*alpha='x'"),
        (
            lambda: losses.BinaryFocalCrossentropy(label_smoothing=2.0),
            r"BinaryFocalCrossentropy: `label_smoothing`.*=2.0",
        ),
        (lambda: losses.CategoricalFocalCrossentropy(axis=(1,)), r"CategoricalFocalCrossentropy: `axis`.*axis=\(1,\)"),
        (lambda: losses.CategoricalFocalCrossentropy(gamma=-0.5), r"CategoricalFocalCrossentropy: `gamma`"),
        (lambda: losses.Dice(axis=1.5), r"Dice: `axis`.*axis=1.5"),
        (lambda: losses.Tversky(axis="1"), r"Tversky: `axis`.*axis='1'"),
        (lambda: losses.Tversky(alpha=None), r"Tversky: `alpha`.*alpha=None"),
        (lambda: losses.Circle(gamma=0), r"Circle: `gamma` must be > 0; received gamma=0"),
        (lambda: losses.CategoricalGeneralizedCrossEntropy(q=1.0), r"CategoricalGeneralizedCrossEntropy: `q`.*q=1.0"),
        (lambda: losses.SquaredHinge(reduction="avg"), "reduction='avg'"),
    ],
)
def test_bad_arguments_name_the_class_and_argument(make: Callable, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make()


def test_ctc_rejects_wrong_ranks() -> None:
    with pytest.raises(ValueError, match=r"ctc: targets `y_true`.*y_true.shape=\(2,\)"):
        losses.CTC()(torch.tensor([1, 2]), torch.zeros(2, 4, 3))
    with pytest.raises(ValueError, match=r"ctc: logits `y_pred`.*y_pred.shape=\(2, 3\)"):
        losses.ctc(torch.tensor([[1], [2]]), torch.zeros(2, 3))


def test_categorical_focal_with_integer_labels_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"categorical_focal_crossentropy expects one-hot.*y_true.shape=\(2,\)"):
        losses.CategoricalFocalCrossentropy()(torch.tensor([0, 1]), torch.rand(2, 3))


@pytest.mark.parametrize("case", [c for c in CASES if c.ours is not losses.CTC], ids=lambda c: c.id)
def test_losses_do_not_sync_with_host(case: Case) -> None:
    from tests.losses.test_losses import _NoHostSync

    y_true, y_pred = (torch.as_tensor(a) for a in case.data(np.random.default_rng(9)))
    weight = torch.rand(case.weight_shapes[0])
    with _NoHostSync():
        case.ours(**case.kwargs)(y_true, y_pred, sample_weight=weight)
        case.ours(reduction="mean_with_sample_weight", **case.kwargs)(y_true, y_pred, sample_weight=weight)
