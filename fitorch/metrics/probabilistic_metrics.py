"""Probabilistic metrics: streaming means of the cross-entropies and divergences.

They compute the same per-sample values as the losses of the same name, so a model
can report, say, cross-entropy while training on a different loss.
"""

from __future__ import annotations

import torch

from fitorch.losses.binary_crossentropy import binary_crossentropy
from fitorch.losses.categorical_crossentropy import categorical_crossentropy
from fitorch.losses.kl_divergence import kl_divergence
from fitorch.losses.poisson import poisson
from fitorch.losses.sparse_categorical_crossentropy import sparse_categorical_crossentropy
from fitorch.metrics.reduction_metrics import FixedFunctionMetric


class BinaryCrossentropy(FixedFunctionMetric):
    """The mean binary cross-entropy over every sample seen.

    String names: ``'binary_crossentropy'``, ``'bce'``.

    Args:
        name: defaults to ``'binary_crossentropy'``.
        dtype: defaults to ``floatx()``.
        from_logits: whether ``y_pred`` holds logits. Defaults to ``False``.
        label_smoothing: in ``[0, 1]``. Defaults to 0.

    Example:
        >>> m = BinaryCrossentropy()
        >>> m.update_state([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
        >>> round(float(m.result()), 4)
        0.8149
    """

    _direction = "down"

    def __init__(
        self,
        name: str | None = "binary_crossentropy",
        dtype: str | torch.dtype | None = None,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(binary_crossentropy, name, dtype, from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(FixedFunctionMetric):
    """The mean categorical cross-entropy over every sample seen. String name: ``'categorical_crossentropy'``.

    Args:
        name: defaults to ``'categorical_crossentropy'``.
        dtype: defaults to ``floatx()``.
        from_logits: whether ``y_pred`` holds logits. Defaults to ``False``.
        label_smoothing: in ``[0, 1]``. Defaults to 0.
        axis: the class axis. Defaults to -1.

    Example:
        >>> m = CategoricalCrossentropy()
        >>> m.update_state([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    _direction = "down"

    def __init__(
        self,
        name: str | None = "categorical_crossentropy",
        dtype: str | torch.dtype | None = None,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
    ) -> None:
        super().__init__(
            categorical_crossentropy, name, dtype, from_logits=from_logits, label_smoothing=label_smoothing, axis=axis
        )


class SparseCategoricalCrossentropy(FixedFunctionMetric):
    """The mean sparse categorical cross-entropy over every sample seen.

    String name: ``'sparse_categorical_crossentropy'``.

    Args:
        name: defaults to ``'sparse_categorical_crossentropy'``.
        dtype: defaults to ``floatx()``.
        from_logits: whether ``y_pred`` holds logits. Defaults to ``False``.
        axis: the class axis. Defaults to -1.

    Example:
        >>> m = SparseCategoricalCrossentropy()
        >>> m.update_state([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])
        >>> round(float(m.result()), 4)
        1.1769
    """

    _direction = "down"

    def __init__(
        self,
        name: str | None = "sparse_categorical_crossentropy",
        dtype: str | torch.dtype | None = None,
        from_logits: bool = False,
        axis: int = -1,
    ) -> None:
        super().__init__(sparse_categorical_crossentropy, name, dtype, from_logits=from_logits, axis=axis)


class KLDivergence(FixedFunctionMetric):
    """The mean Kullback-Leibler divergence over every sample seen.

    String names: ``'kl_divergence'``, ``'kld'``.

    Args:
        name: defaults to ``'kl_divergence'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = KLDivergence()
        >>> m.update_state([[0.5, 0.5]], [[0.25, 0.75]])
        >>> round(float(m.result()), 4)
        0.1438
    """

    _direction = "down"

    def __init__(self, name: str | None = "kl_divergence", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(kl_divergence, name, dtype)


class Poisson(FixedFunctionMetric):
    """The mean Poisson loss over every sample seen. String name: ``'poisson'``.

    Args:
        name: defaults to ``'poisson'``.
        dtype: defaults to ``floatx()``.

    Example:
        >>> m = Poisson()
        >>> m.update_state([[1.0, 0.0]], [[1.0, 2.0]])
        >>> float(m.result())
        1.5
    """

    _direction = "down"

    def __init__(self, name: str | None = "poisson", dtype: str | torch.dtype | None = None) -> None:
        super().__init__(poisson, name, dtype)
