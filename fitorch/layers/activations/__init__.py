"""Activation layers: ``Activation``, ``ReLU``, ``LeakyReLU``, ``PReLU``, ``ELU`` and ``Softmax``."""

from fitorch.layers.activations.activation import Activation as Activation
from fitorch.layers.activations.elu import ELU as ELU
from fitorch.layers.activations.leaky_relu import LeakyReLU as LeakyReLU
from fitorch.layers.activations.prelu import PReLU as PReLU
from fitorch.layers.activations.relu import ReLU as ReLU
from fitorch.layers.activations.softmax import Softmax as Softmax

__all__ = ["ELU", "Activation", "LeakyReLU", "PReLU", "ReLU", "Softmax"]
