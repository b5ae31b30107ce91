"""Training curves as a PNG (matplotlib, the ``[plot]`` extra)."""

from __future__ import annotations

import os
from typing import Any


def plot_history(history: Any, path: str | os.PathLike[str], title: str | None = None) -> str:
    """Plots every metric of a ``History`` (train and ``val_`` curves together) to a PNG.

    Args:
        history: the ``History`` returned by ``fit`` (or its ``.history`` dict).
        path: the PNG file to write.
        title: optional figure title.

    Returns:
        The path written.

    Raises:
        ImportError: when matplotlib is missing (``pip install fitorch[plot]``).
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("plot_history needs matplotlib: pip install 'fitorch[plot]'.") from error
    logs = getattr(history, "history", history)
    names = sorted({k.removeprefix("val_") for k in logs})
    figure, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 3.5), squeeze=False)
    for axis, name in zip(axes[0], names, strict=True):
        for key, label in ((name, "train"), (f"val_{name}", "validation")):
            if key in logs:
                values = logs[key]
                axis.plot(range(1, len(values) + 1), values, marker="o", label=label)
        axis.set_title(name)
        axis.set_xlabel("epoch")
        axis.grid(alpha=0.3)
        axis.legend()
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return str(path)
