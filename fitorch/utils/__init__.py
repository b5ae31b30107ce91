"""Utilities: ``Sequence`` batch sources, plots, progress bars, naming."""

from fitorch.utils.naming import reset_names
from fitorch.utils.plotting import plot_history as plot_history
from fitorch.utils.sequence import PyDataset as PyDataset
from fitorch.utils.sequence import Sequence as Sequence


def clear_session() -> None:
    """Restarts default layer naming (``dense``, ``dense_1`` ...), as Keras' ``clear_session``."""
    reset_names()


__all__ = ["PyDataset", "Sequence", "clear_session", "plot_history"]
