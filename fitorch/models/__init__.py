"""Models: ``Model``, ``Sequential``, ``Functional``, and Keras' ``keras.models`` functions.

``load_model`` and ``save_model`` are ``fitorch.saving``'s, resolved on first use
(``fitorch.saving`` itself imports this package).

Example:
    >>> import fitorch
    >>> fitorch.models.Sequential is fitorch.Sequential
    True
    >>> fitorch.models.load_model is fitorch.saving.load_model
    True
"""

from typing import Any

from fitorch.models.cloning import clone_model as clone_model
from fitorch.models.functional import Functional as Functional
from fitorch.models.model import Model as Model
from fitorch.models.model_json import model_from_json as model_from_json
from fitorch.models.sequential import Sequential as Sequential

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json", "save_model"]


def __getattr__(name: str) -> Any:
    if name in ("load_model", "save_model"):
        from fitorch import saving

        return getattr(saving, name)
    raise AttributeError(f"module 'fitorch.models' has no attribute {name!r}")
