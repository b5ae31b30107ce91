"""Keras' image file helpers: ``load_img``, ``img_to_array``, ``array_to_img`` and ``save_img``.

Images are Pillow images and NumPy arrays, ``(height, width, channels)`` by default
(``data_format='channels_last'``, or ``fitorch.config.image_data_format()``), as in Keras.
Pillow comes with the ``plot`` extra (``pip install 'fitorch[plot]'``).

Example:
    >>> import io, numpy as np
    >>> pixels = np.arange(2 * 3 * 3, dtype="float32").reshape(2, 3, 3)
    >>> buffer = io.BytesIO()
    >>> save_img(buffer, pixels, file_format="png", scale=False)
    >>> _ = buffer.seek(0)
    >>> array = img_to_array(load_img(buffer))
    >>> array.shape, array.dtype.name, bool(np.array_equal(array, pixels))
    ((2, 3, 3), 'float32', True)
"""

from __future__ import annotations

import io
import pathlib
import warnings
from typing import Any

import numpy as np

from fitorch import config

#: Keras' ``interpolation`` names -> Pillow's resampling filters.
INTERPOLATIONS = {"nearest": "NEAREST", "bilinear": "BILINEAR", "bicubic": "BICUBIC", "hamming": "HAMMING",
                  "box": "BOX", "lanczos": "LANCZOS"}  # fmt: skip
COLOR_MODES = ("grayscale", "rgb", "rgba")


def _pillow(caller: str) -> Any:
    try:
        from PIL import Image
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(f"{caller} reads and writes images with Pillow: pip install 'fitorch[plot]'.") from error
    return Image


def _data_format(data_format: str | None, caller: str) -> str:
    data_format = config.image_data_format() if data_format is None else data_format
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{caller}: data_format must be 'channels_last' or 'channels_first'; received {data_format!r}."
        )
    return data_format


def array_to_img(x: Any, data_format: str | None = None, scale: bool = True, dtype: str | None = None) -> Any:
    """Converts a 3D array (one image) to a Pillow image.

    Args:
        x: an array-like of shape ``(height, width, channels)`` (or channels first), 1, 3 or 4 channels.
        data_format: ``'channels_last'`` or ``'channels_first'``; default ``fitorch.config.image_data_format()``.
        scale: whether to rescale the values to span 0..255 first. Default ``True``.
        dtype: the float dtype to compute in; default ``fitorch.config.floatx()``.

    Returns:
        A ``PIL.Image.Image`` (mode ``'L'``, ``'I'``, ``'RGB'`` or ``'RGBA'``).

    Raises:
        ValueError: for an array that is not 3D or has another number of channels.

    Example:
        >>> import numpy as np
        >>> image = array_to_img(np.zeros((4, 5, 3)))
        >>> image.mode, image.size
        ('RGB', (5, 4))
    """
    image_module = _pillow("array_to_img")
    data_format = _data_format(data_format, "array_to_img")
    x = np.array(x, dtype=dtype or config.floatx())
    if x.ndim != 3:
        raise ValueError(f"array_to_img: expected a 3D array (a single image); received shape {x.shape}.")
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        x_max = np.max(x)
        if x_max != 0:
            x /= x_max
        x *= 255
    channels = x.shape[2]
    if channels == 4:
        return image_module.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return image_module.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit greyscale
            return image_module.fromarray(x[:, :, 0].astype("int32"), "I")
        return image_module.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"array_to_img: expected 1, 3 or 4 channels; received {channels} (shape {x.shape}).")


def img_to_array(img: Any, data_format: str | None = None, dtype: str | None = None) -> np.ndarray:
    """Converts a Pillow image to a 3D NumPy array.

    Args:
        img: a ``PIL.Image.Image``.
        data_format: ``'channels_last'`` (``(height, width, channels)``) or ``'channels_first'``;
            default ``fitorch.config.image_data_format()``.
        dtype: the array's dtype; default ``fitorch.config.floatx()``.

    Raises:
        ValueError: for an image that is neither 2D nor 3D as an array.

    Example:
        >>> import numpy as np
        >>> img_to_array(array_to_img(np.ones((2, 3, 1)), scale=False)).shape
        (2, 3, 1)
    """
    data_format = _data_format(data_format, "img_to_array")
    x = np.asarray(img, dtype=dtype or config.floatx())
    if x.ndim == 3:
        return x.transpose(2, 0, 1) if data_format == "channels_first" else x
    if x.ndim == 2:
        return x.reshape((1, *x.shape)) if data_format == "channels_first" else x.reshape((*x.shape, 1))
    raise ValueError(f"img_to_array: expected a 2D or 3D image; received an array of shape {x.shape}.")


def save_img(
    path: Any, x: Any, data_format: str | None = None, file_format: str | None = None, scale: bool = True,
    **kwargs: Any,
) -> None:  # fmt: skip
    """Saves an image stored as an array to a path or a file object.

    Args:
        path: a path, or a binary file object (then give ``file_format``).
        x: the image array (see :func:`array_to_img`).
        data_format: ``'channels_last'`` or ``'channels_first'``.
        file_format: e.g. ``'png'``; default from ``path``'s extension (``'jpg'`` means JPEG).
        scale: whether to rescale the values to span 0..255 first.
        **kwargs: passed on to ``PIL.Image.Image.save``.

    Example:
        >>> import os, tempfile, numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "black.png")
        >>> save_img(path, np.zeros((2, 2, 3)))
        >>> load_img(path).size
        (2, 2)
    """
    if file_format is None and isinstance(path, (str, pathlib.Path)):
        file_format = pathlib.Path(path).suffix[1:].lower()
    if file_format and file_format.lower() == "jpg":
        file_format = "jpeg"
    image = array_to_img(x, data_format=data_format, scale=scale)
    if image.mode == "RGBA" and file_format == "jpeg":
        warnings.warn("save_img: the JPEG format does not support RGBA images, converting to RGB.", stacklevel=2)
        image = image.convert("RGB")
    image.save(path, format=file_format, **kwargs)


def load_img(
    path: Any, color_mode: str = "rgb", target_size: tuple[int, int] | None = None, interpolation: str = "nearest",
    keep_aspect_ratio: bool = False,
) -> Any:  # fmt: skip
    """Loads an image file as a Pillow image (Keras' ``load_img``).

    Args:
        path: a path (``str``, ``bytes``, ``pathlib.Path``) or an ``io.BytesIO``.
        color_mode: ``'grayscale'``, ``'rgb'`` or ``'rgba'``. Default ``'rgb'``.
        target_size: ``None`` (the file's size) or ``(height, width)``.
        interpolation: the resampling filter when resizing: ``'nearest'`` (default),
            ``'bilinear'``, ``'bicubic'``, ``'hamming'``, ``'box'`` or ``'lanczos'``.
        keep_aspect_ratio: whether to crop the centre to the target's aspect ratio before
            resizing, so that the image is not distorted. Default ``False``.

    Returns:
        A ``PIL.Image.Image``; :func:`img_to_array` turns it into a NumPy array.

    Raises:
        TypeError: for a ``path`` of another type.
        ValueError: for an unknown ``color_mode`` or ``interpolation``.

    Example:
        >>> import io, numpy as np
        >>> buffer = io.BytesIO()
        >>> save_img(buffer, np.zeros((8, 4, 3)), file_format="png")
        >>> _ = buffer.seek(0)
        >>> load_img(buffer, color_mode="grayscale", target_size=(2, 2), keep_aspect_ratio=True).size
        (2, 2)
    """
    image_module = _pillow("load_img")
    if color_mode not in COLOR_MODES:
        raise ValueError(f"load_img: color_mode must be one of {COLOR_MODES}; received {color_mode!r}.")
    if target_size is not None and interpolation not in INTERPOLATIONS:
        raise ValueError(f"load_img: interpolation must be one of {tuple(INTERPOLATIONS)}; received {interpolation!r}.")
    if isinstance(path, io.BytesIO):
        image = image_module.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        with open(path, "rb") as handle:  # read at once so that no file handle stays open
            image = image_module.open(io.BytesIO(handle.read()))
    else:
        raise TypeError(f"load_img: path must be a path (str, bytes, pathlib.Path) or io.BytesIO; received {path!r}.")
    if color_mode == "grayscale":
        if image.mode not in ("L", "I;16", "I"):
            image = image.convert("L")
    elif color_mode == "rgba":
        if image.mode != "RGBA":
            image = image.convert("RGBA")
    elif image.mode != "RGB":
        image = image.convert("RGB")
    if target_size is None:
        return image
    width_height = (target_size[1], target_size[0])
    if image.size == width_height:
        return image
    resample = getattr(image_module.Resampling, INTERPOLATIONS[interpolation])
    if not keep_aspect_ratio:
        return image.resize(width_height, resample)
    # The largest centred crop with the target's aspect ratio (Keras' integer arithmetic).
    width, height = image.size
    crop_height = min(height, (width * width_height[1]) // width_height[0])
    crop_width = min(width, (height * width_height[0]) // width_height[1])
    top, left = (height - crop_height) // 2, (width - crop_width) // 2
    return image.resize(width_height, resample, box=(left, top, left + crop_width, top + crop_height))
