"""Weight constraints under their Keras names: ``fitorch.constraints.get('max_norm')``.

Example:
    >>> get("non_neg")
    NonNeg()
    >>> get({"class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}})
    MaxNorm(max_value=3.0, axis=0)
    >>> serialize(UnitNorm(axis=[0, 1]))
    {'class_name': 'UnitNorm', 'config': {'axis': [0, 1]}}
"""

from __future__ import annotations

from fitorch.constraints.constraints import Constraint as Constraint
from fitorch.constraints.constraints import MaxNorm as MaxNorm
from fitorch.constraints.constraints import MinMaxNorm as MinMaxNorm
from fitorch.constraints.constraints import NonNeg as NonNeg
from fitorch.constraints.constraints import UnitNorm as UnitNorm
from fitorch.utils.naming import to_snake_case
from fitorch.utils.registry import Registry

# Keras' lowercase aliases of the classes (``keras.constraints.max_norm(2)``).
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

__all__ = [
    "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get", "max_norm",
    "min_max_norm", "non_neg", "serialize", "unit_norm",
]  # fmt: skip

_REGISTRY = Registry("constraint")
for _cls in (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm):
    _REGISTRY.register([_cls.__name__, to_snake_case(_cls.__name__)], _cls)


get, serialize, deserialize = _REGISTRY.keras_functions(Constraint, "max_norm", __name__)
