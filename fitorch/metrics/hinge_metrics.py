"""Hinge metrics: streaming means of the hinge, squared hinge and categorical hinge losses.

They compute the same per-sample values as the losses of the same name, so a model
can report a margin loss while training on another one. All three are minimized.
"""

from __future__ import annotations

import torch

from fitorch.losses.hinge import categorical_hinge, hinge, squared_hinge
from fitorch.metrics.reduction_metrics import FixedFunctionMetric


class Hinge(FixedFunctionMetric):
    """The mean hinge loss ``mean(max(1 - y_true * y_pred, 0))`` over every sample seen.

    ``y_true`` should be -1 or 1; a batch whose labels are all 0 or 1 is converted to
    -1/1 first, as in Keras. String name: ``'hinge'``.

    Args:
        name: defaults to ``'hinge'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = Hinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.3
        >>> m.reset_state()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], sample_weight=[1, 0])
        >>> round(float(m.result()), 4)
        1.1
    """

    _direction = "down"

    def __init__(self, name: str | None = "hinge", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(hinge, name, dtype)


class SquaredHinge(FixedFunctionMetric):
    """The mean squared hinge loss ``mean(max(1 - y_true * y_pred, 0)^2)`` over every sample seen.

    ``y_true`` should be -1 or 1; a batch whose labels are all 0 or 1 is converted to
    -1/1 first, as in Keras. String name: ``'squared_hinge'``.

    Args:
        name: defaults to ``'squared_hinge'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = SquaredHinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        1.86
    """

    _direction = "down"

    def __init__(self, name: str | None = "squared_hinge", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(squared_hinge, name, dtype)


class CategoricalHinge(FixedFunctionMetric):
    """The mean categorical hinge loss ``max(neg - pos + 1, 0)`` over every sample seen.

    ``pos`` is the score of the true class, ``neg`` the highest score of the other
    classes; ``y_true`` is one-hot. String name: ``'categorical_hinge'``.

    Args:
        name: defaults to ``'categorical_hinge'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = CategoricalHinge()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], sample_weight=[1, 0])
        >>> round(float(m.result()), 4)
        1.2
    """

    _direction = "down"

    def __init__(self, name: str | None = "categorical_hinge", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(categorical_hinge, name, dtype)
