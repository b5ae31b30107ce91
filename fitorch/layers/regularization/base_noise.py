"""``BaseNoise``: the shared parent of the random regularization layers (dropout, spatial dropout, noise).

It holds what they have in common: Keras' ``seed`` argument (a per-layer, per-device
``torch.Generator`` when given, torch's global random state otherwise), the
``training`` flag (``None`` follows ``self.training``), mask pass-through, the
identity output shape, and the docstring sections they share (``noise_docs``).
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import torch

from fitorch.layers.layer import Layer
from fitorch.utils.random_seed import seeded_generator

_SECTIONS = """\
Call arguments:
    inputs: {inputs}.
    training: ``True`` to {effect}, ``False`` for the identity; ``None``
        (default) follows ``self.training``.

Input shape:
    {input_shape}

Output shape:
    Same as the input."""


def noise_docs(effect: str, inputs: str = "a tensor of any rank", input_shape: str = "Any.") -> dict[str, str]:
    """The ``sections`` (``Call arguments``, shapes) of a random layer that does ``effect`` while training.

    Example:
        >>> noise_docs("add noise")["sections"].splitlines()[2]
        '    training: ``True`` to add noise, ``False`` for the identity; ``None``'
    """
    return {"sections": _SECTIONS.format(effect=effect, inputs=inputs, input_shape=input_shape)}


class BaseNoise(Layer):
    """Base class of layers that perturb their input randomly while training.

    Args:
        seed: optional int. When given, the noise comes from a generator of this
            layer seeded with it, so runs repeat exactly; when ``None`` the layer
            uses torch's global random state (``torch.manual_seed``).
    """

    supports_masking = True

    def __init__(self, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise TypeError(
                f"{type(self).__name__} {self.name!r}: seed must be an int or None; received seed={seed!r}."
            )
        self.seed = seed
        self._generators: dict[torch.device, torch.Generator] = {}

    def _check_rate(self, rate: Any, what: str = "the fraction of units to drop") -> float:
        """Returns ``rate`` as a float after checking it is in ``[0, 1)``."""
        if not isinstance(rate, Real) or isinstance(rate, bool) or not 0.0 <= rate < 1.0:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: rate must be a float in [0, 1), {what}; received rate={rate!r}."
            )
        return float(rate)

    def _is_training(self, training: bool | None) -> bool:
        return self.training if training is None else bool(training)

    def _generator(self, device: torch.device) -> torch.Generator | None:
        return seeded_generator(self._generators, self.seed, device)

    def _keep_mask(self, inputs: torch.Tensor, shape: tuple[int, ...], keep: float) -> torch.Tensor:
        """A 0/1 mask of ``shape`` (in the inputs' dtype and device) with ``P(1) = keep``."""
        mask = torch.empty(shape, dtype=inputs.dtype, device=inputs.device)
        return mask.bernoulli_(keep, generator=self._generator(inputs.device))

    def _normal(self, inputs: torch.Tensor, mean: float, stddev: float) -> torch.Tensor:
        """Normal noise shaped like ``inputs``."""
        noise = torch.empty_like(inputs, memory_format=torch.preserve_format)
        return noise.normal_(mean, stddev, generator=self._generator(inputs.device))

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)


def check_non_negative(layer: Layer, name: str, value: Any) -> float:
    """Returns ``value`` as a float after checking it is a finite number >= 0."""
    if not isinstance(value, Real) or isinstance(value, bool) or not (value >= 0 and math.isfinite(value)):
        raise ValueError(
            f"{type(layer).__name__} {layer.name!r}: {name} must be a finite float >= 0; received {name}={value!r}."
        )
    return float(value)
