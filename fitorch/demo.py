"""``python -m fitorch.demo``: train a small CNN on scikit-learn's digits, Keras style.

The 8x8 digit images ship inside scikit-learn, so nothing is downloaded. The demo
prints the model summary and the progress bars, reports the test accuracy, and
writes the training curves to a PNG.

    python -m fitorch.demo [--epochs 15] [--output fitorch_demo_curves.png]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import fitorch
from fitorch import layers


def load_digits_data(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Digits as (N, 8, 8, 1) float32 images in [0, 1] and int64 labels, split 80/20."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = (digits.images / 16.0).astype("float32")[..., None]
    labels = digits.target.astype("int64")
    order = np.random.default_rng(seed).permutation(len(labels))
    split = int(0.8 * len(labels))
    train, test = order[:split], order[split:]
    return images[train], labels[train], images[test], labels[test]


def build_model() -> fitorch.Model:
    """A small functional CNN for 8x8x1 images."""
    inputs = layers.Input(shape=(8, 8, 1), name="image")
    x = layers.Conv2D(32, (3, 3), activation="relu", padding="same")(inputs)
    x = layers.Conv2D(64, (3, 3), activation="relu")(x)
    x = layers.MaxPooling2D((2, 2))(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.25)(x)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10, activation="softmax", name="digit")(x)
    return fitorch.Model(inputs, outputs, name="digits_cnn")


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--output", default="fitorch_demo_curves.png", help="PNG file for the training curves")
    parser.add_argument("--verbose", type=int, default=1)
    args = parser.parse_args(argv)

    import torch

    torch.manual_seed(0)
    x_train, y_train, x_test, y_test = load_digits_data()
    model = build_model()
    model.summary()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=32, epochs=args.epochs, validation_split=0.1,
                        verbose=args.verbose)  # fmt: skip
    seconds = time.perf_counter() - start
    loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
    probabilities = model.predict(x_test[:5], verbose=0)
    print(f"\nTrained {args.epochs} epochs in {seconds:.1f}s on {model.device}.")
    print(f"Test accuracy: {accuracy:.4f} (test loss {loss:.4f})")
    print(f"First predictions: {probabilities.argmax(axis=1).tolist()} (true: {y_test[:5].tolist()})")
    try:
        path = fitorch.utils.plot_history(history, args.output, title="fitorch demo: digits CNN")
        print(f"Training curves written to {path}")
    except ImportError as error:
        print(f"(No plot: {error})")
    return accuracy


if __name__ == "__main__":
    main()
