"""The benchmark workloads: the same model and data for every framework.

Each workload is synthetic data plus builders for fitorch, a hand-written torch loop,
Keras 3 (torch backend) and Lightning. All use Adam(1e-3) and cross-entropy on logits.
Images are channels_last for fitorch and Keras and NCHW for the torch loops, as users
of each would write them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass(frozen=True)
class Workload:
    name: str
    samples: int
    batch_size: int
    x_shape: tuple[int, ...]  # per sample, channels_last for images
    classes: int
    integer_inputs: bool = False

    @property
    def steps(self) -> int:
        return -(-self.samples // self.batch_size)

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(0)
        if self.integer_inputs:
            x = rng.integers(1, 1000, size=(self.samples, *self.x_shape)).astype("int64")
        else:
            x = rng.standard_normal((self.samples, *self.x_shape)).astype("float32")
        y = rng.integers(0, self.classes, size=self.samples).astype("int64")
        return x, y


WORKLOADS = {
    "tiny": Workload("tiny", 16000, 32, (32,), 10),
    "mlp": Workload("mlp", 20096, 128, (784,), 10),
    "cnn": Workload("cnn", 4032, 64, (32, 32, 3), 10),
    "lstm": Workload("lstm", 4096, 64, (40,), 2, integer_inputs=True),
    "transformer": Workload("transformer", 2048, 32, (32,), 2, integer_inputs=True),
}

# Shared hyperparameters of the sequence models.
VOCAB, EMBED, HIDDEN, HEADS, FF = 1000, 64, 64, 4, 128


class TorchLSTM(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, EMBED)
        self.lstm = nn.LSTM(EMBED, HIDDEN, batch_first=True)
        self.head = nn.Linear(HIDDEN, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, (h, _) = self.lstm(self.embedding(x))
        return self.head(h[-1])


class LastState(nn.Module):
    """``nn.LSTM`` returning its last hidden state, for use inside a functional model."""

    def __init__(self, lstm: nn.LSTM) -> None:
        super().__init__()
        self.lstm = lstm

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.lstm(x)[1][0][-1]


class TorchEncoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, EMBED)
        self.encoder = nn.TransformerEncoderLayer(EMBED, HEADS, FF, dropout=0.0, batch_first=True)
        self.head = nn.Linear(EMBED, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.encoder(self.embedding(x)).mean(dim=1))


def torch_model(name: str) -> nn.Module:
    """The hand loop's model (NCHW for images), a plain nn.Module."""
    if name == "tiny":
        return nn.Linear(32, 10)
    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    if name == "cnn":
        return nn.Sequential(
            nn.Conv2d(3, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(32 * 14 * 14, 10),
        )
    return {"lstm": TorchLSTM, "transformer": TorchEncoder}[name]()


def fitorch_model(name: str):
    """fitorch's model: the functional API, channels_last images, the same layers."""
    import fitorch
    from fitorch import layers

    w = WORKLOADS[name]
    if name in ("tiny", "mlp", "cnn"):
        inputs = layers.Input(shape=w.x_shape)
        if name == "tiny":
            x = inputs
        elif name == "mlp":
            x = layers.Dense(256, activation="relu")(inputs)
            x = layers.Dense(256, activation="relu")(x)
        else:
            x = layers.Conv2D(32, 3, activation="relu")(inputs)
            x = layers.Conv2D(32, 3, activation="relu")(x)
            x = layers.MaxPooling2D(2)(x)
            x = layers.Flatten()(x)
        return fitorch.Model(inputs, layers.Dense(w.classes)(x))
    inputs = layers.Input(shape=w.x_shape, dtype="int64")
    x = layers.Embedding(VOCAB, EMBED)(inputs)
    if name == "lstm":
        if hasattr(layers, "LSTM"):
            x = layers.LSTM(HIDDEN)(x)
        else:  # before fitorch's own LSTM: torch's, called on the symbolic tensor
            x = layers.TorchModule(LastState(nn.LSTM(EMBED, HIDDEN, batch_first=True)))(x)
    else:
        x = layers.TorchModule(nn.TransformerEncoderLayer(EMBED, HEADS, FF, dropout=0.0, batch_first=True))(x)
        x = layers.GlobalAveragePooling1D()(x)
    return fitorch.Model(inputs, layers.Dense(2)(x))


def keras_model(name: str):
    import keras
    from keras import layers

    w = WORKLOADS[name]
    if name in ("tiny", "mlp", "cnn"):
        inputs = keras.Input(shape=w.x_shape)
        if name == "tiny":
            x = inputs
        elif name == "mlp":
            x = layers.Dense(256, activation="relu")(inputs)
            x = layers.Dense(256, activation="relu")(x)
        else:
            x = layers.Conv2D(32, 3, activation="relu")(inputs)
            x = layers.Conv2D(32, 3, activation="relu")(x)
            x = layers.MaxPooling2D(2)(x)
            x = layers.Flatten()(x)
        return keras.Model(inputs, layers.Dense(w.classes)(x))
    inputs = keras.Input(shape=w.x_shape, dtype="int64")
    x = layers.Embedding(VOCAB, EMBED)(inputs)
    if name == "lstm":
        x = layers.LSTM(HIDDEN)(x)
    else:
        attention = layers.MultiHeadAttention(HEADS, EMBED // HEADS)(x, x)
        x = layers.LayerNormalization(epsilon=1e-5)(x + attention)
        ff = layers.Dense(EMBED)(layers.Dense(FF, activation="relu")(x))
        x = layers.LayerNormalization(epsilon=1e-5)(x + ff)
        x = layers.GlobalAveragePooling1D()(x)
    return keras.Model(inputs, layers.Dense(2)(x))
