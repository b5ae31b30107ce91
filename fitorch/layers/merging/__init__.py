"""Merging layers: ``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum``, ``Minimum``,
``Concatenate`` and ``Dot``, on the shared parent ``Merge``."""

from fitorch.layers.merging.add import Add as Add
from fitorch.layers.merging.average import Average as Average
from fitorch.layers.merging.base_merge import Merge as Merge
from fitorch.layers.merging.concatenate import Concatenate as Concatenate
from fitorch.layers.merging.custom_scale_layer import CustomScaleLayer as CustomScaleLayer  # InceptionResNetV2's
from fitorch.layers.merging.dot import Dot as Dot
from fitorch.layers.merging.functional_forms import add as add
from fitorch.layers.merging.functional_forms import average as average
from fitorch.layers.merging.functional_forms import concatenate as concatenate
from fitorch.layers.merging.functional_forms import dot as dot
from fitorch.layers.merging.functional_forms import maximum as maximum
from fitorch.layers.merging.functional_forms import minimum as minimum
from fitorch.layers.merging.functional_forms import multiply as multiply
from fitorch.layers.merging.functional_forms import subtract as subtract
from fitorch.layers.merging.maximum import Maximum as Maximum
from fitorch.layers.merging.minimum import Minimum as Minimum
from fitorch.layers.merging.multiply import Multiply as Multiply
from fitorch.layers.merging.subtract import Subtract as Subtract

__all__ = [
    "Add",
    "Average",
    "Concatenate",
    "Dot",
    "Maximum",
    "Merge",
    "Minimum",
    "Multiply",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
