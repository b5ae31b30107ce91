"""Utilities: ``Sequence`` batch sources, datasets from arrays and folders, image files, plots, progress bars,
custom objects and Keras object configs, naming."""

from fitorch.utils import bounding_boxes as bounding_boxes
from fitorch.utils.audio_dataset import audio_dataset_from_directory as audio_dataset_from_directory
from fitorch.utils.config_dict import Config as Config
from fitorch.utils.custom_objects import CustomObjectScope as CustomObjectScope
from fitorch.utils.custom_objects import custom_object_scope as custom_object_scope
from fitorch.utils.custom_objects import get_custom_objects as get_custom_objects
from fitorch.utils.custom_objects import get_registered_name as get_registered_name
from fitorch.utils.custom_objects import get_registered_object as get_registered_object
from fitorch.utils.custom_objects import register_keras_serializable as register_keras_serializable
from fitorch.utils.data_packing import pack_x_y_sample_weight as pack_x_y_sample_weight
from fitorch.utils.data_packing import unpack_x_y_sample_weight as unpack_x_y_sample_weight
from fitorch.utils.file_utils import get_file as get_file
from fitorch.utils.image_dataset import image_dataset_from_directory as image_dataset_from_directory
from fitorch.utils.image_utils import array_to_img as array_to_img
from fitorch.utils.image_utils import img_to_array as img_to_array
from fitorch.utils.image_utils import load_img as load_img
from fitorch.utils.image_utils import save_img as save_img
from fitorch.utils.io_utils import disable_interactive_logging as disable_interactive_logging
from fitorch.utils.io_utils import enable_interactive_logging as enable_interactive_logging
from fitorch.utils.io_utils import is_interactive_logging_enabled as is_interactive_logging_enabled
from fitorch.utils.keras_progbar import Progbar as Progbar
from fitorch.utils.model_dot import model_to_dot as model_to_dot
from fitorch.utils.model_plot import plot_model as plot_model
from fitorch.utils.naming import reset_names
from fitorch.utils.numerical import normalize as normalize
from fitorch.utils.numerical import to_categorical as to_categorical
from fitorch.utils.pad_sequences import pad_sequences as pad_sequences
from fitorch.utils.plotting import plot_history as plot_history
from fitorch.utils.random_seed import set_random_seed as set_random_seed
from fitorch.utils.sequence import PyDataset as PyDataset
from fitorch.utils.sequence import Sequence as Sequence
from fitorch.utils.serialization_lib import deserialize_keras_object as deserialize_keras_object
from fitorch.utils.serialization_lib import serialize_keras_object as serialize_keras_object
from fitorch.utils.split_dataset import split_dataset as split_dataset
from fitorch.utils.tensor_utils import get_source_inputs as get_source_inputs
from fitorch.utils.tensor_utils import is_keras_tensor as is_keras_tensor
from fitorch.utils.tensor_utils import standardize_dtype as standardize_dtype
from fitorch.utils.text_dataset import text_dataset_from_directory as text_dataset_from_directory
from fitorch.utils.timeseries_dataset import timeseries_dataset_from_array as timeseries_dataset_from_array


def clear_session() -> None:
    """Restarts default layer naming (``dense``, ``dense_1`` ...), as Keras' ``clear_session``."""
    reset_names()


__all__ = [
    "Config", "CustomObjectScope", "Progbar", "PyDataset", "Sequence", "array_to_img",
    "audio_dataset_from_directory", "bounding_boxes", "clear_session",
    "custom_object_scope", "deserialize_keras_object", "disable_interactive_logging", "enable_interactive_logging",
    "get_custom_objects", "get_file", "get_registered_name", "get_registered_object", "get_source_inputs",
    "image_dataset_from_directory", "img_to_array", "is_interactive_logging_enabled", "is_keras_tensor", "load_img",
    "model_to_dot", "normalize", "pack_x_y_sample_weight", "pad_sequences", "plot_history", "plot_model",
    "register_keras_serializable",
    "save_img", "serialize_keras_object", "set_random_seed", "split_dataset", "standardize_dtype",
    "text_dataset_from_directory", "timeseries_dataset_from_array", "to_categorical", "unpack_x_y_sample_weight",
]  # fmt: skip
