"""RootMeanSquaredError, CosineSimilarity, LogCoshError, R2Score (and MSLE) against Keras 3."""

import keras
import numpy as np
import pytest
import torch

from fitorch import metrics
from tests.metrics.keras_stream import assert_config_round_trips, assert_stream_matches_keras


def _batches(weighted: bool, outputs: int = 3, per_value_weights: bool = False) -> list:
    rng = np.random.default_rng(0)
    out = []
    for _ in range(3):
        y_true = rng.normal(size=(24, outputs)).astype("f")
        y_pred = (y_true + rng.normal(size=(24, outputs)) * 0.5).astype("f")
        batch = (y_true, y_pred)
        if weighted:
            shape = (24, outputs) if per_value_weights else (24,)
            batch += (rng.random(shape).astype("f"),)
        out.append(batch)
    return out


@pytest.mark.parametrize(
    "name", ["RootMeanSquaredError", "CosineSimilarity", "LogCoshError", "MeanSquaredLogarithmicError"]
)
@pytest.mark.parametrize("weighted", [False, True])
def test_mean_errors_match_keras(name, weighted) -> None:
    batches = _batches(weighted)
    if name == "MeanSquaredLogarithmicError":
        batches = [(np.abs(y), np.abs(p), *rest) for y, p, *rest in batches]
    ours = assert_stream_matches_keras(getattr(metrics, name), getattr(keras.metrics, name), batches)
    assert ours._direction == getattr(keras.metrics, name)()._direction
    assert_config_round_trips(ours)


@pytest.mark.parametrize("class_aggregation", ["uniform_average", "variance_weighted_average", None])
@pytest.mark.parametrize("weighted", [False, True])
def test_r2_matches_keras(class_aggregation, weighted) -> None:
    ours = assert_stream_matches_keras(
        lambda: metrics.R2Score(class_aggregation=class_aggregation),
        lambda: keras.metrics.R2Score(class_aggregation=class_aggregation),
        _batches(weighted),
        atol=2e-6,  # 1 - SS_res / SS_tot from float32 sums of 72 values: a few ulps of the sums
    )
    assert_config_round_trips(ours, keras.metrics.R2Score(class_aggregation=class_aggregation))


def test_adjusted_r2_and_per_value_weights_match_keras() -> None:
    assert_stream_matches_keras(
        lambda: metrics.R2Score(num_regressors=2),
        lambda: keras.metrics.R2Score(num_regressors=2),
        _batches(weighted=True, per_value_weights=True),
        atol=2e-6,
    )


def test_adjusted_r2_falls_back_with_too_few_samples() -> None:
    plain, adjusted = metrics.R2Score(), metrics.R2Score(num_regressors=5)
    for m in (plain, adjusted):
        m.update_state(torch.tensor([[1.0], [4.0], [3.0]]), torch.tensor([[2.0], [4.0], [4.0]]))
    assert float(adjusted.result()) == float(plain.result())


def test_r2_needs_rank_2_and_valid_arguments() -> None:
    with pytest.raises(ValueError, match="R2Score expects 2D inputs"):
        metrics.R2Score().update_state(torch.ones(3, 2, 2), torch.ones(3, 2, 2))
    with pytest.raises(ValueError, match="Invalid value for argument `class_aggregation`"):
        metrics.R2Score(class_aggregation="mean")
    with pytest.raises(ValueError, match="Expected a value >= 0"):
        metrics.R2Score(num_regressors=-1)


def test_string_names_are_keras_names() -> None:
    assert type(metrics.get("root_mean_squared_error")) is metrics.RootMeanSquaredError
    assert type(metrics.get("rmse")) is metrics.RootMeanSquaredError
    assert type(metrics.get("r2_score")) is metrics.R2Score
    assert type(metrics.get("cosine_similarity")) is metrics.CosineSimilarity
    assert metrics.LogCoshError().name == keras.metrics.LogCoshError().name == "logcosh"
