"""Core layers: ``Dense``, ``Embedding``, ``Input``/``InputLayer`` and ``Lambda``."""

from fitorch.layers.core.dense import Dense as Dense
from fitorch.layers.core.embedding import Embedding as Embedding
from fitorch.layers.core.input_layer import Input as Input
from fitorch.layers.core.input_layer import InputLayer as InputLayer
from fitorch.layers.core.lambda_layer import Lambda as Lambda

__all__ = ["Dense", "Embedding", "Input", "InputLayer", "Lambda"]
