"""AUC against Keras 3: every curve, summation method, threshold choice and label mode."""

import keras
import numpy as np
import pytest
import torch

from fitorch import metrics
from tests.metrics.keras_stream import assert_config_round_trips, assert_stream_matches_keras, binary_batches

CASES = [
    {},
    {"curve": "PR"},
    {"curve": "PRGAIN"},
    {"summation_method": "minoring"},
    {"summation_method": "majoring", "curve": "PR"},
    {"num_thresholds": 7},
    {"thresholds": [0.1, 0.3, 0.35, 0.8]},  # uneven: compared one by one
    {"thresholds": [0.25, 0.5, 0.75]},  # even: bucketed
]


@pytest.mark.parametrize("kwargs", CASES, ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "default")
@pytest.mark.parametrize("weighted", [False, True])
def test_pooled_auc_matches_keras(kwargs, weighted) -> None:
    ours = assert_stream_matches_keras(
        lambda: metrics.AUC(**kwargs), lambda: keras.metrics.AUC(**kwargs), binary_batches(weighted=weighted)
    )
    assert_config_round_trips(ours, keras.metrics.AUC(**kwargs))
    assert ours.get_config()["curve"] == keras.metrics.AUC(**kwargs).get_config()["curve"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"multi_label": True},
        {"multi_label": True, "num_labels": 3, "curve": "PR"},
        {"multi_label": True, "label_weights": [0.2, 0.5, 1.0]},
        {"multi_label": True, "thresholds": [0.1, 0.3, 0.35, 0.8]},
        {"multi_label": False, "label_weights": [0.2, 0.5, 1.0]},
        {"from_logits": True},
    ],
    ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()),
)
@pytest.mark.parametrize("weighted", [False, True])
def test_multi_label_and_logits_match_keras(kwargs, weighted) -> None:
    batches = binary_batches(weighted=weighted, shape=(3,))
    if kwargs.get("from_logits"):
        batches = [(y, (p - 0.5) * 8, *rest) for y, p, *rest in batches]
    ours = assert_stream_matches_keras(lambda: metrics.AUC(**kwargs), lambda: keras.metrics.AUC(**kwargs), batches)
    assert_config_round_trips(ours, keras.metrics.AUC(**kwargs))


def test_a_perfect_and_a_useless_classifier() -> None:
    auc = metrics.AUC()
    auc.update_state(torch.tensor([0.0, 0.0, 1.0, 1.0]), torch.tensor([0.1, 0.2, 0.8, 0.9]))
    assert float(auc.result()) == pytest.approx(1.0, abs=1e-6)
    auc.reset_state()
    auc.update_state(torch.tensor([0.0, 1.0, 0.0, 1.0]), torch.tensor([0.5, 0.5, 0.5, 0.5]))
    assert float(auc.result()) == pytest.approx(0.5, abs=1e-6)


def test_multi_label_state_loads_into_an_unbuilt_metric() -> None:
    built = metrics.AUC(multi_label=True)
    y, p = binary_batches(shape=(3,))[0]
    built.update_state(y, p)
    fresh = metrics.AUC(multi_label=True)
    assert not fresh._built and float(fresh.result()) == 0.0
    fresh.load_state_dict(built.state_dict())
    assert fresh.true_positives.shape == (200, 3) and float(fresh.result()) == float(built.result())


def test_used_in_fit_under_its_keras_name() -> None:
    import fitorch

    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 4)).astype("f"), rng.integers(0, 2, (64, 1)).astype("f")
    model = fitorch.Sequential([fitorch.layers.Input(shape=(4,)), fitorch.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["auc", "precision", "recall"])
    history = model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert {"auc", "precision", "recall"} <= set(history.history)
    reference = keras.metrics.AUC()
    reference.update_state(y, model.predict(x, verbose=0))
    # After the epoch the weights differ from those each batch was scored with; just check the range.
    assert 0.0 <= history.history["auc"][0] <= 1.0 and float(keras.ops.convert_to_numpy(reference.result())) >= 0.0


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: metrics.AUC(curve="XY"), 'Invalid AUC curve value: "XY"'),
        (lambda: metrics.AUC(summation_method="left"), "Invalid AUC summation method"),
        (lambda: metrics.AUC(num_thresholds=1), "`num_thresholds` must be an integer > 1"),
        (lambda: metrics.AUC(thresholds=[0.5, 2.0]), r"Threshold values must be in \[0, 1\]"),
        (lambda: metrics.AUC(num_labels=3), "`num_labels` is needed only when `multi_label` is True"),
    ],
)
def test_bad_arguments_are_explained(make, match) -> None:
    with pytest.raises(ValueError, match=match):
        make()


def test_multi_label_needs_rank_2_predictions() -> None:
    with pytest.raises(ValueError, match="must have rank 2 when `multi_label=True`"):
        metrics.AUC(multi_label=True).update_state([1.0, 0.0], [0.3, 0.9])
