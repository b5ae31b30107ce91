"""What the image preprocessing layers share: the rank check, the output shape of a resize or crop, and
docstring sections (filled in by ``fitorch.utils.docstrings.fill_doc``)."""

from __future__ import annotations

from typing import Any

Shape = tuple[int | None, ...]

DATA_FORMAT_ARG = """\
data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` takes
    ``fitorch.config.image_data_format()``.
"""

IMAGES_CALL_ARG = """\
inputs: images, a batch (rank 4) or a single image (rank 3).
"""

RESIZED_IMAGE_SHAPE = """\
Input shape:
    ``(batch, rows, cols, channels)`` or ``(rows, cols, channels)``
    (channels_last); ``(batch, channels, rows, cols)`` or
    ``(channels, rows, cols)`` (channels_first).

Output shape:
    The same, with ``rows, cols`` replaced by ``height, width``.
"""

SEED_ARG = """\
seed: optional int; when given, the draws repeat exactly from run to run.
"""

SEED_AND_FORMAT_ARGS = SEED_ARG + DATA_FORMAT_ARG

AFFINE_ARGS = f"""\
fill_mode: ``'reflect'`` (default), ``'wrap'``, ``'constant'`` or ``'nearest'``.
interpolation: ``'bilinear'`` (default) or ``'nearest'``.
{SEED_ARG}fill_value: float, the fill value for ``fill_mode='constant'`` (default ``0.0``).
{DATA_FORMAT_ARG}"""

SAME_IMAGE_SHAPE = """\
Input shape:
    ``(batch, height, width, channels)`` or ``(height, width, channels)``
    (channels_last), or the channels_first equivalents.

Output shape:
    Same as the input.
"""

IMAGE_SECTIONS = {
    "data_format_arg": DATA_FORMAT_ARG,
    "images_call_arg": IMAGES_CALL_ARG,
    "resized_image_shape": RESIZED_IMAGE_SHAPE,
    # A layer with no other call argument: the call section and the shapes.
    "resize_call_and_shapes": f"Call arguments:\n    {IMAGES_CALL_ARG}\n{RESIZED_IMAGE_SHAPE}",
}


def image_axes(rank: int, data_format: str) -> tuple[int, int]:
    """The (height, width) axes of an image batch (rank 4) or single image (rank 3).

    Example:
        >>> image_axes(4, "channels_first")
        (-2, -1)
    """
    return (-3, -2) if data_format == "channels_last" else (-2, -1)


def check_image_rank(owner: str, shape: Any) -> None:
    """A ``ValueError`` naming ``owner`` (e.g. ``"Resizing 'resizing'"``) unless ``shape`` has rank 3 or 4.

    Example:
        >>> check_image_rank("Resizing 'resizing'", (8, 8, 3))
    """
    if len(shape) not in (3, 4):
        raise ValueError(
            f"{owner}: expected images of rank 4 (a batch) or 3 (one image); received shape {tuple(shape)}."
        )


def resized_shape(owner: str, input_shape: Shape, height: int, width: int, data_format: str) -> Shape:
    """``input_shape`` (rank 3 or 4) with its height and width replaced by ``height`` and ``width``.

    Example:
        >>> resized_shape("Resizing 'resizing'", (None, 32, 32, 3), 8, 16, "channels_last")
        (None, 8, 16, 3)
    """
    check_image_rank(owner, input_shape)
    shape = list(input_shape)
    height_axis, width_axis = image_axes(len(shape), data_format)
    shape[height_axis], shape[width_axis] = height, width
    return tuple(shape)
