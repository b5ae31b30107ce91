"""Metrics whose state shapes come from the data (AUC multi-label, FBetaScore, R2Score): build, reset, load."""

import numpy as np
import pytest
import torch

from fitorch import metrics

MAKERS = {
    "auc_multi_label": (lambda: metrics.AUC(multi_label=True), (6, 3), (200, 3)),
    "f_beta_macro": (lambda: metrics.FBetaScore(average="macro", threshold=0.5), (6, 3), (3,)),
    "f_beta_micro": (lambda: metrics.FBetaScore(average="micro", threshold=0.5), (6, 3), ()),
    "r2": (lambda: metrics.R2Score(), (6, 3), (3,)),
}


@pytest.mark.parametrize("case", MAKERS, ids=str)
def test_unbuilt_metric_resets_and_loads_a_trained_state(case) -> None:
    make, shape, state_shape = MAKERS[case]
    rng = np.random.default_rng(0)
    y_true = torch.as_tensor(rng.integers(0, 2, shape).astype("float32"))
    y_pred = torch.as_tensor(rng.random(shape).astype("float32"))
    fresh = make()
    fresh.reset_state()  # nothing built yet: a no-op, not an error
    assert not fresh._built and float(fresh.result()) == 0.0
    trained = make()
    trained.update_state(y_true, y_pred)
    fresh.load_state_dict(trained.state_dict())
    assert fresh._built
    assert sorted(fresh.state_dict()) == sorted(trained.state_dict())
    assert all(tuple(v.shape) == tuple(trained.state_dict()[k].shape) for k, v in fresh.state_dict().items())
    assert tuple(next(v for k, v in fresh.state_dict().items() if k in ("true_positives", "sum")).shape) == state_shape
    torch.testing.assert_close(fresh.result(), trained.result())
    fresh.reset_state()
    fresh.update_state(y_true, y_pred)
    torch.testing.assert_close(fresh.result(), trained.result())
