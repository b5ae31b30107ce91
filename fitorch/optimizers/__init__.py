"""Optimizers: ``torch.optim`` classes under Keras names and defaults, built on first use.

Example:
    >>> import torch
    >>> import fitorch
    >>> opt = fitorch.optimizers.get("adam")
    >>> _ = opt.build([torch.nn.Parameter(torch.zeros(3))])
    >>> isinstance(opt, torch.optim.Adam), opt.param_groups[0]["eps"]
    (True, 1e-07)
"""

from fitorch.optimizers import schedules as schedules
from fitorch.optimizers.adadelta import Adadelta as Adadelta
from fitorch.optimizers.adafactor import Adafactor as Adafactor
from fitorch.optimizers.adagrad import Adagrad as Adagrad
from fitorch.optimizers.adam import Adam as Adam
from fitorch.optimizers.adamax import Adamax as Adamax
from fitorch.optimizers.adamw import AdamW as AdamW
from fitorch.optimizers.ftrl import Ftrl as Ftrl
from fitorch.optimizers.lamb import Lamb as Lamb
from fitorch.optimizers.lion import Lion as Lion
from fitorch.optimizers.nadam import Nadam as Nadam
from fitorch.optimizers.optimizer import Optimizer as Optimizer
from fitorch.optimizers.registry import deferred as deferred
from fitorch.optimizers.registry import get as get
from fitorch.optimizers.rmsprop import RMSprop as RMSprop
from fitorch.optimizers.serialization import deserialize as deserialize
from fitorch.optimizers.serialization import serialize as serialize
from fitorch.optimizers.sgd import SGD as SGD

__all__ = [
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lamb",
    "Lion",
    "Nadam",
    "Optimizer",
    "RMSprop",
    "deferred",
    "deserialize",
    "get",
    "schedules",
    "serialize",
]
