"""Precision, Recall, the confusion counts and the X-at-Y metrics against Keras 3."""

import keras
import numpy as np
import pytest

from fitorch import metrics
from tests.metrics.keras_stream import assert_config_round_trips, assert_stream_matches_keras, binary_batches

COUNTS = ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"]
THRESHOLDS = [None, 0.3, [0.0, 0.25, 0.5, 0.75, 1.0], [0.1, 0.45, 0.9]]  # default, one, evenly spaced, other


@pytest.mark.parametrize("name", COUNTS)
@pytest.mark.parametrize("thresholds", THRESHOLDS, ids=["default", "one", "even", "uneven"])
@pytest.mark.parametrize("weighted", [False, True])
def test_counts_match_keras(name, thresholds, weighted) -> None:
    ours = assert_stream_matches_keras(
        lambda: getattr(metrics, name)(thresholds=thresholds),
        lambda: getattr(keras.metrics, name)(thresholds=thresholds),
        binary_batches(weighted=weighted),
    )
    assert_config_round_trips(ours, getattr(keras.metrics, name)(thresholds=thresholds))


@pytest.mark.parametrize("name", ["Precision", "Recall"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"thresholds": 0.7},
        {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]},
        {"thresholds": [0.2, 0.6]},
        {"top_k": 2},
        {"class_id": 1},
        {"top_k": 2, "class_id": 2},
        {"thresholds": 0.3, "class_id": 0},
    ],
    ids=lambda k: "-".join(f"{a}={b}" for a, b in k.items()) or "default",
)
@pytest.mark.parametrize("weighted", [False, True])
def test_precision_and_recall_match_keras(name, kwargs, weighted) -> None:
    multiclass = "top_k" in kwargs or "class_id" in kwargs
    batches = binary_batches(weighted=weighted, shape=(4,) if multiclass else ())
    ours = assert_stream_matches_keras(
        lambda: getattr(metrics, name)(**kwargs), lambda: getattr(keras.metrics, name)(**kwargs), batches
    )
    assert ours._direction == "up"
    assert_config_round_trips(ours, getattr(keras.metrics, name)(**kwargs))


def test_precision_on_rank_2_inputs_and_labels_of_shape_n_by_1() -> None:
    rng = np.random.default_rng(1)
    batches = [(rng.integers(0, 2, (16,)).astype("f"), rng.random((16, 1)).astype("f")) for _ in range(2)]
    assert_stream_matches_keras(metrics.Precision, keras.metrics.Precision, batches)


@pytest.mark.parametrize(
    "name, value",
    [
        ("SensitivityAtSpecificity", 0.6),
        ("SpecificityAtSensitivity", 0.6),
        ("PrecisionAtRecall", 0.6),
        ("RecallAtPrecision", 0.6),
    ],
)
@pytest.mark.parametrize("num_thresholds", [200, 1, 7])
@pytest.mark.parametrize("weighted", [False, True])
def test_at_metrics_match_keras(name, value, num_thresholds, weighted) -> None:
    ours = assert_stream_matches_keras(
        lambda: getattr(metrics, name)(value, num_thresholds=num_thresholds),
        lambda: getattr(keras.metrics, name)(value, num_thresholds=num_thresholds),
        binary_batches(weighted=weighted),
    )
    assert_config_round_trips(ours, getattr(keras.metrics, name)(value, num_thresholds=num_thresholds))


def test_at_metrics_with_class_id_match_keras() -> None:
    assert_stream_matches_keras(
        lambda: metrics.PrecisionAtRecall(0.5, class_id=2),
        lambda: keras.metrics.PrecisionAtRecall(0.5, class_id=2),
        binary_batches(shape=(3,)),
    )


def test_string_names_are_keras_names() -> None:
    for name, cls in [("precision", metrics.Precision), ("recall", metrics.Recall),
                      ("true_positives", metrics.TruePositives), ("TruePositives", metrics.TruePositives)]:  # fmt: skip
        metric = metrics.get(name)
        assert type(metric) is cls and metric.name == name


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: metrics.Precision(thresholds=1.5), r"Threshold values must be in \[0, 1\]"),
        (lambda: metrics.Recall(thresholds=[0.5, -0.1]), r"Threshold values must be in \[0, 1\]"),
        (lambda: metrics.PrecisionAtRecall(1.5), "`recall` must be in the range"),
        (lambda: metrics.SensitivityAtSpecificity(0.5, num_thresholds=0), "`num_thresholds` must be an integer > 0"),
    ],
)
def test_bad_arguments_are_explained(make, match) -> None:
    with pytest.raises(ValueError, match=match):
        make()


def test_class_id_needs_rank_2_predictions() -> None:
    with pytest.raises(ValueError, match="When class_id is provided, y_pred must be a 2D array"):
        metrics.Precision(class_id=1).update_state([1.0, 0.0], [0.3, 0.9])


def test_metric_functions_names_need_arguments_explained() -> None:
    with pytest.raises(TypeError, match="pass an instance instead, e.g. fitorch.metrics.MeanIoU"):
        metrics.get("mean_iou")
