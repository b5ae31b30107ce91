"""The shared parents of the random image-augmentation layers (``RandomFlip``, ``RandomRotation`` ...).

``BaseImageAugmentation`` holds what every augmentation layer shares: Keras' ``seed``
(a per-layer, per-device ``torch.Generator`` when given, torch's global random state
otherwise), the ``training`` flag (``None`` follows ``self.training``, so the layer is
active inside ``fit`` and the identity in ``predict``/``evaluate``), ``data_format``,
Keras' ``factor`` parsing, and the split of a call into ``get_random_transformation``
(the random draw) and ``transform_images`` (the deterministic transform).
``BaseAffineAugmentation`` adds ``fill_mode``/``interpolation``/``fill_value`` for the
layers that resample through ``affine_transform``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Real
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.layers.layer import Layer
from fitorch.layers.preprocessing.image_utils import (
    AFFINE_ARGS,
    IMAGE_SECTIONS,
    SAME_IMAGE_SHAPE,
    SEED_AND_FORMAT_ARGS,
    check_image_rank,
)
from fitorch.ops.image_warps import sample_points
from fitorch.utils.docstrings import fill_doc
from fitorch.utils.random_seed import seeded_generator

Shape = tuple[int | None, ...]
FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")
_CPU = torch.device("cpu")


def augmentation_doc(action: str, training_note: str = "") -> Callable[[type], type]:
    """Fills an augmentation layer's docstring sections: those of ``IMAGE_SECTIONS``, ``{seed_and_format_args}``,
    ``{affine_args}`` and ``{call_and_shapes}`` (the layer ``action``s its images in training; same shape out)."""
    call_arguments = f"""\
Call arguments:
    inputs: images, a batch (rank 4) or a single image (rank 3).
    training: ``True`` to {action}, ``False`` for the identity; ``None`` (default)
        follows ``self.training``{training_note}.
"""
    return fill_doc(
        **IMAGE_SECTIONS,
        seed_and_format_args=SEED_AND_FORMAT_ARGS,
        affine_args=AFFINE_ARGS,
        call_and_shapes=f"{call_arguments}\n{SAME_IMAGE_SHAPE}",
    )


def affine_transform(
    images: torch.Tensor,
    transform: torch.Tensor,
    interpolation: str = "bilinear",
    fill_mode: str = "constant",
    fill_value: float = 0.0,
    data_format: str = "channels_last",
) -> torch.Tensor:
    """Resamples a batch of images through affine transforms, like ``keras.ops.image.affine_transform``.

    Each row ``[a0, a1, a2, b0, b1, b2, c0, c1]`` of ``transform`` maps an output pixel
    ``(x, y)`` to the input point ``(a0 x + a1 y + a2, b0 x + b1 y + b2)`` (``c0``, ``c1``
    must be 0, as in Keras' torch backend). Points outside the image take values by
    ``fill_mode``: ``'constant'`` (``fill_value``), ``'nearest'`` (edge pixel),
    ``'wrap'`` or ``'reflect'``.

    Args:
        images: ``(B, H, W, C)`` (channels_last) or ``(B, C, H, W)`` floating images.
        transform: ``(B, 8)`` or ``(8,)`` transforms.
        interpolation: ``'bilinear'`` or ``'nearest'`` (half-way points round to even).
        fill_mode: one of ``'reflect'``, ``'wrap'``, ``'constant'``, ``'nearest'``.
        fill_value: the value outside the image for ``'constant'``.
        data_format: ``'channels_last'`` or ``'channels_first'``.

    Returns:
        The transformed images, shaped and typed like ``images``.

    Example:
        >>> import torch
        >>> from fitorch.layers.preprocessing.base_image_augmentation import affine_transform
        >>> image = torch.arange(4.0).reshape(1, 2, 2, 1)
        >>> shift_right = torch.tensor([1.0, 0, -1, 0, 1, 0, 0, 0])  # x_in = x - 1
        >>> affine_transform(image, shift_right, fill_mode="constant")[0, :, :, 0]
        tensor([[0., 0.],
                [0., 2.]])
    """
    channels_last = data_format == "channels_last"
    if not channels_last:
        images = images.movedim(1, -1)
    batch, height, width = images.shape[:3]
    transform = transform.to(device=images.device, dtype=torch.float32).reshape(-1, 8).expand(batch, 8)
    ys = torch.arange(height, dtype=torch.float32, device=images.device).view(1, height, 1)
    xs = torch.arange(width, dtype=torch.float32, device=images.device).view(1, 1, width)
    a0, a1, a2, b0, b1, b2 = (transform[:, i].view(batch, 1, 1) for i in range(6))
    x_in = xs * a0 + ys * a1 + a2  # (B, H, W)
    y_in = xs * b0 + ys * b1 + b2
    order = 0 if interpolation == "nearest" else 1
    output = sample_points(images, y_in, x_in, order, fill_mode=fill_mode, fill_value=fill_value)
    return output if channels_last else output.movedim(-1, 1)


def check_value_range(layer: BaseImageAugmentation, value_range: Any) -> list[float]:
    """Returns ``value_range`` as a sorted ``[low, high]`` after checking it is a pair of numbers."""
    if (
        isinstance(value_range, (str, bytes))
        or not isinstance(value_range, Sequence)
        or len(value_range) != 2
        or not all(isinstance(v, Real) and not isinstance(v, bool) for v in value_range)
    ):
        raise ValueError(
            f"{layer._owner}: value_range must be a pair of numbers (low, high); received value_range={value_range!r}."
        )
    return sorted(float(v) for v in value_range)


def plain_factor(factor: Any) -> Any:
    """The JSON form of a factor: a pair becomes a list."""
    return list(factor) if isinstance(factor, (tuple, list)) else factor


class BaseImageAugmentation(Layer):
    """Base class of the layers that transform images randomly while training.

    Subclasses implement ``get_random_transformation(images)`` (draws the random
    parameters for a batch) and ``transform_images(images, transformation)``
    (applies them); ``call`` runs both on a batch only when training.

    Args:
        seed: optional int. When given, the draws come from a generator of this layer
            seeded with it, so runs repeat exactly; when ``None`` the layer uses torch's
            global random state (``torch.manual_seed``).
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` takes
            ``fitorch.config.image_data_format()``.
    """

    #: The range a ``factor`` must lie in (Keras' ``_FACTOR_BOUNDS``).
    _FACTOR_BOUNDS = (-1.0, 1.0)

    def __init__(self, seed: int | None = None, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(f"{self._owner}: seed must be an int or None; received seed={seed!r}.")
        self.seed = seed
        self.data_format = config.standardize_data_format(data_format)
        self._generators: dict[torch.device, torch.Generator] = {}

    @property
    def _owner(self) -> str:
        return f"{type(self).__name__} {self.name!r}"

    # ------------------------------------------------------------------ helpers
    def _parse_factor(self, factor: Any, name: str = "factor") -> tuple[float, float]:
        """Keras' rule: a number ``f`` gives ``(max(-f, low), f)``; a pair is sorted."""
        low, high = self._FACTOR_BOUNDS
        message = (
            f"{self._owner}: {name} must be a number or a pair of numbers in [{low:g}, {high:g}]; "
            f"received {name}={factor!r}."
        )
        if isinstance(factor, (tuple, list)):
            if len(factor) != 2 or not all(isinstance(f, Real) and not isinstance(f, bool) for f in factor):
                raise ValueError(message)
            if factor[0] > high or factor[1] < low:
                raise ValueError(message)
            lower, upper = sorted(float(f) for f in factor)
            return lower, upper
        if not isinstance(factor, Real) or isinstance(factor, bool) or not low <= factor <= high:
            raise ValueError(message)
        factor = abs(float(factor))
        return max(-factor, low), factor

    def _check_choice(self, name: str, value: Any, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise ValueError(f"{self._owner}: {name} must be one of {list(choices)}; received {name}={value!r}.")
        return value

    def _set_resampling(
        self, fill_mode: Any, interpolation: Any, fill_value: Any, fill_modes: tuple[str, ...] = FILL_MODES
    ) -> None:
        """Checks and sets ``fill_mode``, ``interpolation`` and ``fill_value``, for the layers that resample images."""
        self.fill_mode = self._check_choice("fill_mode", fill_mode, fill_modes)
        self.interpolation = self._check_choice("interpolation", interpolation, INTERPOLATIONS)
        self.fill_value = self._check_fill_value(fill_value)

    def _check_fill_value(self, fill_value: Any) -> float:
        if not isinstance(fill_value, Real) or isinstance(fill_value, bool):
            raise ValueError(f"{self._owner}: fill_value must be a float; received fill_value={fill_value!r}.")
        return float(fill_value)

    def _generator(self, device: torch.device) -> torch.Generator | None:
        return seeded_generator(self._generators, self.seed, device)

    def _numpy_generator(self, device: torch.device = _CPU) -> np.random.Generator:
        """A NumPy generator seeded by one draw of this layer's stream on ``device``.

        For the draws torch has no seeded sampler for (Beta, Dirichlet).
        """
        seed = torch.randint(0, 2**31 - 1, (1,), generator=self._generator(device), device=device)
        return np.random.default_rng(int(seed.item()))

    def _uniform(self, shape: tuple[int, ...], low: float, high: float, device: torch.device) -> torch.Tensor:
        """Uniform float32 draws in ``[low, high)`` from this layer's generator."""
        draws = torch.rand(shape, generator=self._generator(device), device=device)
        return draws * (high - low) + low

    def _random_sign(self, shape: tuple[int, ...], device: torch.device) -> torch.Tensor:
        """``-1`` or ``+1`` with equal chances, as Keras draws the direction of a hue shift or a shear."""
        return torch.where(self._uniform(shape, 0.0, 1.0, device) > 0.5, -1.0, 1.0)

    def _apply_draws(self, batch: int, device: torch.device) -> torch.Tensor:
        """``(batch,)`` booleans: Keras' per-image choice to augment, a uniform draw below a probability drawn
        from ``factor``."""
        probability = self._uniform((batch,), self.factor[0], self.factor[1], device)
        return self._uniform((batch,), 0.0, 1.0, device) < probability

    def _random_boxes(
        self, images: torch.Tensor, width_share: torch.Tensor, height_share: torch.Tensor
    ) -> list[torch.Tensor]:
        """``[x0, x1, y0, y1]`` (each ``(B,)``, in pixels): boxes of the given shares of each image's width and
        height, each at a uniform random position inside its image (Keras' ``CutMix`` and ``RandomErasing``)."""
        height, width = self._image_size(images)
        bounds = []
        for length, share in ((width, width_share), (height, height_share)):
            crop = share * length
            start = self._uniform((images.shape[0],), 0.0, 1.0, images.device) * (length - crop)
            bounds += [start, start + crop]
        return bounds

    def _spatial_axes(self) -> tuple[int, int]:
        """The (height, width) axes of a batch."""
        return (1, 2) if self.data_format == "channels_last" else (2, 3)

    def _image_size(self, images: torch.Tensor) -> tuple[int, int]:
        height_axis, width_axis = self._spatial_axes()
        return images.shape[height_axis], images.shape[width_axis]

    # ------------------------------------------------------------------ the call
    def get_random_transformation(self, images: torch.Tensor) -> Any:
        """Draws the random parameters for a batch of images (rank 4)."""
        raise NotImplementedError

    def transform_images(self, images: torch.Tensor, transformation: Any) -> torch.Tensor:
        """Applies ``transformation`` to a batch of floating images (rank 4)."""
        raise NotImplementedError

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        check_image_rank(self._owner, inputs.shape)
        images = inputs.to(self.compute_output_dtype(inputs.dtype))
        training = self.training if training is None else bool(training)
        if not training:
            return self.inference(images)
        batch = images if images.ndim == 4 else images.unsqueeze(0)
        outputs = self.transform_images(batch, self.get_random_transformation(batch))
        return outputs if images.ndim == 4 else outputs.squeeze(0)

    def inference(self, images: torch.Tensor) -> torch.Tensor:
        """The output outside training: the images, cast to a floating dtype."""
        return images

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        """Floating inputs keep their dtype (unless the layer has one); integer images give ``floatx()``."""
        if self._dtype is not None:
            return self._dtype
        return input_dtype if input_dtype.is_floating_point else config.floatx_dtype()

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        check_image_rank(self._owner, input_shape)
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "seed": self.seed, "data_format": self.data_format}


class BaseAffineAugmentation(BaseImageAugmentation):
    """Base class of the augmentation layers that resample images through an affine transform.

    Args:
        fill_mode: how points outside the image are filled: ``'reflect'`` (default,
            ``d c b a | a b c d | d c b a``), ``'wrap'`` (``a b c d | a b c d``),
            ``'constant'`` (``fill_value``) or ``'nearest'`` (``a a a a | a b c d``).
        interpolation: ``'bilinear'`` (default) or ``'nearest'``.
        seed: optional int seed.
        fill_value: float, the value outside the image for ``fill_mode='constant'``.
        data_format: ``'channels_last'`` or ``'channels_first'``.
    """

    def __init__(
        self, fill_mode: str, interpolation: str, seed: int | None, fill_value: float, data_format: str | None, **kwargs
    ) -> None:
        # No defaults here: each subclass states Keras' defaults in its own signature.
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self._set_resampling(fill_mode, interpolation, fill_value)

    def _axis_range(self, factor: Any, name: str, open_below: bool = False) -> tuple[float, float]:
        """A per-axis factor as ``(lower, upper)``: a number ``f`` gives ``(-|f|, |f|)``, a pair is sorted.

        Each number must lie in ``[-1, 1]``, or in ``(-1, 1]`` when ``open_below``.
        """
        values = factor if isinstance(factor, (tuple, list)) else [factor]
        valid = len(values) in (1, 2) and all(
            isinstance(v, Real) and not isinstance(v, bool) and (-1.0 < v if open_below else -1.0 <= v) and v <= 1.0
            for v in values
        )
        if not valid:
            bounds = "(-1, 1]" if open_below else "[-1, 1]"
            raise ValueError(
                f"{self._owner}: {name} must be a number or a pair of numbers in {bounds}; received {name}={factor!r}."
            )
        if isinstance(factor, (tuple, list)):
            lower, upper = sorted(float(v) for v in factor)
            return lower, upper
        return -abs(float(factor)), abs(float(factor))

    def _set_axis_factors(
        self, height_factor: Any, width_factor: Any, open_below: bool = False, width_follows_height: bool = False
    ) -> None:
        """Keeps ``height_factor`` and ``width_factor`` as given (for the config) and sets their ranges.

        The ranges are ``height_lower``/``height_upper`` and ``width_lower``/``width_upper``, by
        ``_axis_range``; with ``width_follows_height`` there is no width range.
        """
        self.height_factor = plain_factor(height_factor)
        self.width_factor = plain_factor(width_factor)
        self.height_lower, self.height_upper = self._axis_range(height_factor, "height_factor", open_below)
        if not width_follows_height:
            self.width_lower, self.width_upper = self._axis_range(width_factor, "width_factor", open_below)

    def transform_matrix(self, images: torch.Tensor, transformation: Any) -> torch.Tensor:
        """The ``(B, 8)`` affine transforms (output pixel -> input point) for ``transformation``."""
        raise NotImplementedError

    def transform_images(self, images: torch.Tensor, transformation: Any) -> torch.Tensor:
        return affine_transform(
            images,
            self.transform_matrix(images, transformation),
            interpolation=self.interpolation,
            fill_mode=self.fill_mode,
            fill_value=self.fill_value,
            data_format=self.data_format,
        )

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "fill_mode": self.fill_mode,
            "interpolation": self.interpolation,
            "fill_value": self.fill_value,
        }


class BaseColorAugmentation(BaseImageAugmentation):
    """Base class of the augmentation layers that change pixel values within ``value_range`` by a random ``factor``.

    Args:
        factor: a float or a pair of floats, parsed by ``_parse_factor`` within ``_FACTOR_BOUNDS``.
        value_range: ``(low, high)``, the range of the pixel values (default ``(0, 255)``).
        seed: optional int seed.
        data_format: ``'channels_last'`` or ``'channels_first'``.
    """

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: Sequence[float] = (0, 255),
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = self._parse_factor(factor)
        self.value_range = check_value_range(self, value_range)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "factor": list(self.factor), "value_range": self.value_range}


class BaseColorAugmentationFormatFirst(BaseColorAugmentation):
    """A ``BaseColorAugmentation`` whose Keras signature puts ``data_format`` before ``seed``
    (``RandomHue``, ``RandomSaturation``, ``RandomSharpness``, ``RandomColorDegeneration``)."""

    def __init__(
        self,
        factor: float | tuple[float, float],
        value_range: Sequence[float] = (0, 255),
        data_format: str | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(factor, value_range=value_range, seed=seed, data_format=data_format, **kwargs)
