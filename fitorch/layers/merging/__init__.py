"""Merging layers: ``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``, ``Minimum``,
``Concatenate`` and ``Dot``, on the shared parent ``Merge``."""

from fitorch.layers.merging.add import Add as Add
from fitorch.layers.merging.average import Average as Average
from fitorch.layers.merging.base_merge import Merge as Merge
from fitorch.layers.merging.concatenate import Concatenate as Concatenate
from fitorch.layers.merging.dot import Dot as Dot
from fitorch.layers.merging.maximum import Maximum as Maximum
from fitorch.layers.merging.minimum import Minimum as Minimum
from fitorch.layers.merging.multiply import Multiply as Multiply
from fitorch.layers.merging.subtract import Subtract as Subtract

__all__ = ["Add", "Average", "Concatenate", "Dot", "Maximum", "Merge", "Minimum", "Multiply", "Subtract"]
