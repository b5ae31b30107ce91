"""Merging layers: ``Add`` and ``Concatenate``, on the shared parent ``Merge``."""

from fitorch.layers.merging.add import Add as Add
from fitorch.layers.merging.base_merge import Merge as Merge
from fitorch.layers.merging.concatenate import Concatenate as Concatenate

__all__ = ["Add", "Concatenate", "Merge"]
