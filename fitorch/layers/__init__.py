"""Keras layers as ``nn.Module``s: ``fitorch.layers.Dense``, ``fitorch.layers.Conv2D`` ..."""

from fitorch.layers.activations.activation import Activation as Activation
from fitorch.layers.convolutional.conv1d import Conv1D as Conv1D
from fitorch.layers.convolutional.conv2d import Conv2D as Conv2D
from fitorch.layers.core.dense import Dense as Dense
from fitorch.layers.core.embedding import Embedding as Embedding
from fitorch.layers.core.input_layer import Input as Input
from fitorch.layers.core.input_layer import InputLayer as InputLayer
from fitorch.layers.core.lambda_layer import Lambda as Lambda
from fitorch.layers.input_spec import InputSpec as InputSpec
from fitorch.layers.layer import Layer as Layer
from fitorch.layers.merging.add import Add as Add
from fitorch.layers.merging.concatenate import Concatenate as Concatenate
from fitorch.layers.normalization.batch_normalization import BatchNormalization as BatchNormalization
from fitorch.layers.pooling.average_pooling1d import AveragePooling1D as AveragePooling1D
from fitorch.layers.pooling.average_pooling2d import AveragePooling2D as AveragePooling2D
from fitorch.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D as GlobalAveragePooling1D
from fitorch.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D as GlobalAveragePooling2D
from fitorch.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D as GlobalMaxPooling1D
from fitorch.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D as GlobalMaxPooling2D
from fitorch.layers.pooling.max_pooling1d import MaxPooling1D as MaxPooling1D
from fitorch.layers.pooling.max_pooling2d import MaxPooling2D as MaxPooling2D
from fitorch.layers.regularization.dropout import Dropout as Dropout
from fitorch.layers.reshaping.flatten import Flatten as Flatten
from fitorch.layers.reshaping.reshape import Reshape as Reshape

__all__ = [
    "Activation", "Add", "AveragePooling1D", "AveragePooling2D", "BatchNormalization", "Concatenate", "Conv1D",
    "Conv2D", "Dense", "Dropout", "Embedding", "Flatten", "GlobalAveragePooling1D", "GlobalAveragePooling2D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "Input", "InputLayer", "InputSpec", "Lambda", "Layer",
    "MaxPooling1D", "MaxPooling2D", "Reshape",
]  # fmt: skip
