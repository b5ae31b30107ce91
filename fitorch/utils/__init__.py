"""Utilities: ``Sequence`` batch sources, datasets from arrays and folders, plots, progress bars, naming."""

from fitorch.utils.image_dataset import image_dataset_from_directory as image_dataset_from_directory
from fitorch.utils.keras_progbar import Progbar as Progbar
from fitorch.utils.model_plot import plot_model as plot_model
from fitorch.utils.naming import reset_names
from fitorch.utils.numerical import normalize as normalize
from fitorch.utils.numerical import to_categorical as to_categorical
from fitorch.utils.pad_sequences import pad_sequences as pad_sequences
from fitorch.utils.plotting import plot_history as plot_history
from fitorch.utils.random_seed import set_random_seed as set_random_seed
from fitorch.utils.sequence import PyDataset as PyDataset
from fitorch.utils.sequence import Sequence as Sequence
from fitorch.utils.split_dataset import split_dataset as split_dataset
from fitorch.utils.text_dataset import text_dataset_from_directory as text_dataset_from_directory
from fitorch.utils.timeseries_dataset import timeseries_dataset_from_array as timeseries_dataset_from_array


def clear_session() -> None:
    """Restarts default layer naming (``dense``, ``dense_1`` ...), as Keras' ``clear_session``."""
    reset_names()


__all__ = [
    "Progbar", "PyDataset", "Sequence", "clear_session", "image_dataset_from_directory", "normalize", "pad_sequences",
    "plot_history", "plot_model", "set_random_seed", "split_dataset", "text_dataset_from_directory",
    "timeseries_dataset_from_array", "to_categorical",
]  # fmt: skip
