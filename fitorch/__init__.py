"""fitorch: Keras' simplicity on PyTorch; every model is a plain ``torch.nn.Module``.

Example:
    >>> import fitorch, torch
    >>> model = fitorch.Sequential([fitorch.layers.Dense(2)])
    >>> isinstance(model, torch.nn.Module)
    True
"""

from fitorch import activations as activations
from fitorch import backend as backend
from fitorch import callbacks as callbacks
from fitorch import config as config
from fitorch import constraints as constraints
from fitorch import distributed as distributed
from fitorch import export as export
from fitorch import initializers as initializers
from fitorch import layers as layers
from fitorch import losses as losses
from fitorch import metrics as metrics
from fitorch import models as models
from fitorch import ops as ops
from fitorch import optimizers as optimizers
from fitorch import random as random
from fitorch import regularizers as regularizers
from fitorch import saving as saving
from fitorch import tree as tree
from fitorch import utils as utils
from fitorch.devices import best_device as best_device
from fitorch.devices import current_device as current_device
from fitorch.devices import device as device
from fitorch.initializers import Initializer as Initializer
from fitorch.interop import to_numpy as to_numpy
from fitorch.interop import to_tensor as to_tensor
from fitorch.layers import Input as Input
from fitorch.layers import InputSpec as InputSpec
from fitorch.layers import Layer as Layer
from fitorch.layers.variable import Variable as Variable
from fitorch.losses import Loss as Loss
from fitorch.metrics import Metric as Metric
from fitorch.models.functional import Functional as Functional
from fitorch.models.model import Model as Model
from fitorch.models.sequential import Sequential as Sequential
from fitorch.models.wrap import wrap as wrap
from fitorch.name_scopes import name_scope as name_scope
from fitorch.optimizers import Optimizer as Optimizer
from fitorch.regularizers import Regularizer as Regularizer
from fitorch.saving import load_model as load_model

__version__ = "0.1.0"


def version() -> str:
    """Returns fitorch's version string (``fitorch.__version__``), as ``keras.version()`` returns Keras'.

    Example:
        >>> import fitorch
        >>> fitorch.version() == fitorch.__version__
        True
    """
    return __version__


__all__ = [
    "Functional", "Initializer", "Input", "InputSpec", "Layer", "Loss", "Metric", "Model", "Optimizer", "Regularizer",
    "Sequential", "Variable", "activations", "backend", "best_device", "callbacks", "config",
    "constraints", "current_device", "device", "distributed", "export", "initializers", "layers", "load_model", "losses",
    "metrics", "models", "name_scope", "ops", "optimizers", "random", "regularizers", "saving", "to_numpy", "to_tensor",
    "tree", "utils", "version", "wrap",
]  # fmt: skip
