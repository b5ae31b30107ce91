"""Weight regularizers under their Keras names: ``fitorch.regularizers.get('l2')``.

Names: ``'l1'`` (``L1(0.01)``), ``'l2'`` (``L2(0.01)``), ``'l1_l2'``
(``L1L2(0.01, 0.01)``), ``'orthogonal_regularizer'``, and the class names
(``'L1'``, ``'L1L2'`` ...; ``'L1L2'`` alone gives ``L1L2()``, whose factors are 0,
as in Keras).

Example:
    >>> get("l2")
    L2(l2=0.01)
    >>> get({"class_name": "L1L2", "config": {"l1": 0.1, "l2": 0.0}})
    L1L2(l1=0.1, l2=0.0)
    >>> serialize(L1(0.5))
    {'class_name': 'L1', 'config': {'l1': 0.5}}
"""

from __future__ import annotations

from fitorch.regularizers.regularizers import L1 as L1
from fitorch.regularizers.regularizers import L1L2 as L1L2
from fitorch.regularizers.regularizers import L2 as L2
from fitorch.regularizers.regularizers import OrthogonalRegularizer as OrthogonalRegularizer
from fitorch.regularizers.regularizers import Regularizer as Regularizer
from fitorch.utils.registry import Registry

# Keras' lowercase aliases of the classes (``keras.regularizers.l2(0.01)``).
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

__all__ = [
    "L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "deserialize", "get", "l1", "l1_l2", "l2",
    "orthogonal_regularizer", "serialize",
]  # fmt: skip

_REGISTRY = Registry("regularizer")
_REGISTRY.register(["Regularizer", "regularizer"], Regularizer)
_REGISTRY.register(["L1", "l1"], L1)
_REGISTRY.register(["L2", "l2"], L2)
_REGISTRY.register(["L1L2", "l1l2"], L1L2)
_REGISTRY.register(["l1_l2"], lambda: L1L2(l1=0.01, l2=0.01))  # Keras' documented string defaults
_REGISTRY.register(["OrthogonalRegularizer", "orthogonal_regularizer"], OrthogonalRegularizer)


get, serialize, deserialize = _REGISTRY.keras_functions(Regularizer, "l2", __name__)
