"""TorchMetricsWrapper: any torchmetrics metric behind Keras' metric API, in fit."""

import numpy as np
import pytest
import torch

import fitorch
from fitorch import metrics

torchmetrics = pytest.importorskip("torchmetrics")


def test_wraps_update_compute_reset() -> None:
    metric = metrics.TorchMetricsWrapper(torchmetrics.regression.MeanSquaredError(), direction="down")
    metric.update_state(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 3.0]))
    assert metric.name == "mean_squared_error" and float(metric.result()) == 5.0
    metric.reset_state()
    metric.update_state(torch.tensor([1.0]), torch.tensor([1.0]))
    assert float(metric.result()) == 0.0 and metric._direction == "down"


def test_compile_wraps_torchmetrics_and_logs_them() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 4)).astype("f"), rng.normal(size=(32, 1)).astype("f")
    model = fitorch.Sequential([fitorch.layers.Input(shape=(4,)), fitorch.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=[torchmetrics.regression.MeanAbsoluteError(), "mae"])
    history = model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert logs["mean_absolute_error"] == pytest.approx(logs["mae"], rel=1e-5)
    assert "mean_absolute_error" in history.history


def test_errors_teach() -> None:
    with pytest.raises(TypeError, match="expects a torchmetrics.Metric instance"):
        metrics.TorchMetricsWrapper(metrics.Mean())
    wrapped = metrics.TorchMetricsWrapper(torchmetrics.regression.MeanAbsoluteError())
    with pytest.raises(ValueError, match="takes no sample_weight"):
        wrapped.update_state(torch.ones(2), torch.ones(2), sample_weight=torch.ones(2))
    with pytest.raises(NotImplementedError, match="cannot be serialized"):
        wrapped.get_config()
    with pytest.raises(ValueError, match="'up', 'down' or None"):
        metrics.TorchMetricsWrapper(torchmetrics.regression.MeanAbsoluteError(), direction="higher")
