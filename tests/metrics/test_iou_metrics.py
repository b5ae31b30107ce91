"""IoU, MeanIoU, BinaryIoU and the one-hot variants against Keras 3."""

import keras
import numpy as np
import pytest
import torch

from fitorch import metrics
from tests.metrics.keras_stream import assert_config_round_trips, assert_stream_matches_keras


def _sparse_batches(num_classes: int = 4, weighted: bool = False, segmentation: bool = False) -> list:
    rng = np.random.default_rng(0)
    shape = (8, 5, 5) if segmentation else (40,)
    out = []
    for _ in range(3):
        y_true = rng.integers(0, num_classes, shape)
        y_pred = rng.integers(0, num_classes, shape)
        y_true.reshape(-1)[:2] = [-1, num_classes]  # out of range: ignored
        batch = (y_true, y_pred) + ((rng.integers(0, 3, shape),) if weighted else ())
        out.append(batch)
    return out


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("segmentation", [False, True])
@pytest.mark.parametrize("ignore_class", [None, 0])
def test_mean_iou_matches_keras(weighted, segmentation, ignore_class) -> None:
    ours = assert_stream_matches_keras(
        lambda: metrics.MeanIoU(4, ignore_class=ignore_class),
        lambda: keras.metrics.MeanIoU(4, ignore_class=ignore_class),
        _sparse_batches(weighted=weighted, segmentation=segmentation),
    )
    assert ours.name == "mean_io_u" and ours.total_cm.dtype == torch.int64
    assert_config_round_trips(ours, keras.metrics.MeanIoU(4, ignore_class=ignore_class))


def test_iou_of_some_classes_matches_keras() -> None:
    ours = assert_stream_matches_keras(
        lambda: metrics.IoU(4, target_class_ids=[1, 3]),
        lambda: keras.metrics.IoU(4, target_class_ids=[1, 3]),
        _sparse_batches(weighted=True),
    )
    assert_config_round_trips(ours, keras.metrics.IoU(4, target_class_ids=[1, 3]))


def test_float_counts_take_fractional_weights() -> None:
    rng = np.random.default_rng(3)
    batches = [(rng.integers(0, 3, 30), rng.integers(0, 3, 30), rng.random(30).astype("f")) for _ in range(2)]
    assert_stream_matches_keras(
        lambda: metrics.MeanIoU(3, dtype="float32"), lambda: keras.metrics.MeanIoU(3, dtype="float32"), batches
    )
    with pytest.warns(UserWarning, match="weight as `float`, but dtype is `int`"):
        metrics.MeanIoU(3).update_state([0, 1], [0, 1], sample_weight=[0.5, 1.0])


@pytest.mark.parametrize("threshold", [0.5, 0.3])
@pytest.mark.parametrize("target_class_ids", [(0, 1), [1]])
def test_binary_iou_matches_keras(threshold, target_class_ids) -> None:
    rng = np.random.default_rng(0)
    batches = [(rng.integers(0, 2, 30), rng.random(30).astype("f")) for _ in range(3)]
    ours = assert_stream_matches_keras(
        lambda: metrics.BinaryIoU(target_class_ids=target_class_ids, threshold=threshold),
        lambda: keras.metrics.BinaryIoU(target_class_ids=target_class_ids, threshold=threshold),
        batches,
    )
    assert_config_round_trips(ours)


def test_one_hot_variants_match_keras() -> None:
    rng = np.random.default_rng(0)
    batches = [(np.eye(3, dtype="f")[rng.integers(0, 3, 20)], rng.random((20, 3)).astype("f")) for _ in range(3)]
    assert_stream_matches_keras(
        lambda: metrics.OneHotIoU(3, target_class_ids=[0, 2]),
        lambda: keras.metrics.OneHotIoU(3, target_class_ids=[0, 2]),
        batches,
    )
    assert_stream_matches_keras(lambda: metrics.OneHotMeanIoU(3), lambda: keras.metrics.OneHotMeanIoU(3), batches)


def test_agrees_with_torchmetrics_jaccard_index_without_weights() -> None:
    torchmetrics = pytest.importorskip("torchmetrics")
    rng = np.random.default_rng(5)
    y_true, y_pred = torch.tensor(rng.integers(0, 5, 200)), torch.tensor(rng.integers(0, 5, 200))
    ours = metrics.MeanIoU(5)
    ours.update_state(y_true, y_pred)
    jaccard = torchmetrics.classification.MulticlassJaccardIndex(num_classes=5, average="macro")
    assert float(ours.result()) == pytest.approx(float(jaccard(y_pred, y_true)), abs=1e-6)


def test_bad_arguments_are_explained() -> None:
    with pytest.raises(ValueError, match=r"Target class id 4 is out of range, which is \[0, 4\)"):
        metrics.IoU(4, target_class_ids=[0, 4])
    with pytest.raises(ValueError, match="`num_classes` must be an int >= 1"):
        metrics.MeanIoU(0)
