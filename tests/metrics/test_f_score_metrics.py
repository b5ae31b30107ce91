"""F1Score and FBetaScore against Keras 3."""

import keras
import numpy as np
import pytest

from fitorch import metrics
from tests.metrics.keras_stream import assert_config_round_trips, assert_stream_matches_keras


def _batches(weighted: bool, one_hot: bool) -> list:
    rng = np.random.default_rng(0)
    out = []
    for _ in range(3):
        if one_hot:
            y_true = np.eye(4, dtype="f")[rng.integers(0, 4, 32)]
        else:
            y_true = rng.integers(0, 2, (32, 4)).astype("f")
        y_pred = rng.random((32, 4)).astype("f")
        y_pred[0] = 0.0  # an all-zero row predicts nothing without a threshold
        batch = (y_true, y_pred) + ((rng.random(32).astype("f"),) if weighted else ())
        out.append(batch)
    return out


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
@pytest.mark.parametrize("threshold", [None, 0.4])
@pytest.mark.parametrize("weighted", [False, True])
def test_f1_matches_keras(average, threshold, weighted) -> None:
    ours = assert_stream_matches_keras(
        lambda: metrics.F1Score(average=average, threshold=threshold),
        lambda: keras.metrics.F1Score(average=average, threshold=threshold),
        _batches(weighted, one_hot=threshold is None),
    )
    assert_config_round_trips(ours, keras.metrics.F1Score(average=average, threshold=threshold))


@pytest.mark.parametrize("beta", [0.5, 2.0])
@pytest.mark.parametrize("average", [None, "macro"])
def test_fbeta_matches_keras(beta, average) -> None:
    ours = assert_stream_matches_keras(
        lambda: metrics.FBetaScore(average=average, beta=beta, threshold=0.5),
        lambda: keras.metrics.FBetaScore(average=average, beta=beta, threshold=0.5),
        _batches(weighted=True, one_hot=False),
    )
    assert_config_round_trips(ours, keras.metrics.FBetaScore(average=average, beta=beta, threshold=0.5))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"average": "samples"}, "Invalid `average` argument value"),
        ({"beta": 1}, "It should be a Python float"),
        ({"beta": -1.0}, "It should be > 0"),
        ({"threshold": 1}, "It should be a Python float"),
        ({"threshold": 1.5}, "0 < threshold <= 1"),
    ],
)
def test_bad_arguments_are_explained(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        metrics.FBetaScore(**kwargs)


def test_needs_rank_2_inputs() -> None:
    with pytest.raises(ValueError, match=r"expects 2D inputs with shape \(batch_size, output_dim\)"):
        metrics.F1Score().update_state([1.0, 0.0], [0.3, 0.9])


def test_string_names() -> None:
    assert type(metrics.get("f1_score")) is metrics.F1Score
    assert type(metrics.get("fbeta_score")) is metrics.FBetaScore
