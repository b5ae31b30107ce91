"""The training run the kill-and-resume test starts, kills and restarts (in forkserver children)."""

import numpy as np
import torch

import fitorch
from fitorch import layers


def train(backup_dir: str, weights_path: str, epochs: int = 6, save_freq: int = 3) -> None:
    """Shuffling, dropout and an LR schedule are all on; BackupAndRestore saves every few batches."""
    torch.set_num_threads(1)
    torch.manual_seed(0)
    np.random.seed(0)
    fitorch.utils.clear_session()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((96, 6)).astype("float32")
    y = (x[:, :3].sum(axis=1, keepdims=True) > 0).astype("float32")
    inputs = layers.Input(shape=(6,))
    hidden = layers.Dropout(0.3)(layers.Dense(16, activation="relu")(inputs))
    model = fitorch.Model(inputs, layers.Dense(1, activation="sigmoid")(hidden))
    schedule = fitorch.optimizers.schedules.ExponentialDecay(0.01, decay_steps=5, decay_rate=0.8)
    model.compile(optimizer=fitorch.optimizers.Adam(learning_rate=schedule), loss="binary_crossentropy",
                  metrics=["accuracy"])
    backup = fitorch.callbacks.BackupAndRestore(backup_dir, save_freq=save_freq)
    model.fit(x, y, batch_size=8, epochs=epochs, shuffle=True, verbose=0, callbacks=[backup])
    model.save_weights(weights_path)
