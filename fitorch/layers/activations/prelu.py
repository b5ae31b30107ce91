"""``PReLU``: the parametric ReLU, with a learned slope for negative inputs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F

from fitorch import constraints, initializers, regularizers
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.layer import Layer


class PReLU(Layer):
    """Parametric ReLU: ``x`` for ``x >= 0`` and ``alpha * x`` otherwise, with ``alpha`` learned.

    ``alpha`` has one entry per input position (the input's shape without the
    batch axis); ``shared_axes`` shares it along axes, e.g. ``shared_axes=[1, 2]``
    after a channels_last ``Conv2D`` learns one slope per channel.

    Args:
        alpha_initializer: initializer of ``alpha`` (default ``'zeros'``, so the
            layer starts as a ReLU).
        alpha_regularizer: must be ``None`` for now (fitorch's layers do not yet
            apply weight regularizers; passing one raises instead of silently
            ignoring it).
        alpha_constraint: must be ``None`` for now, for the same reason.
        shared_axes: int or list of ints, axes (1-based, the batch axis is 0) along
            which ``alpha`` is shared; ``None`` (default) shares nothing.

    Call arguments:
        inputs: a tensor.

    Input shape:
        Any shape of rank >= 2, ``(batch, ...)``.

    Output shape:
        Same as the input.

    Weights:
        ``weight`` (Keras' ``alpha``): the input shape without the batch axis,
        with size 1 on the shared axes. Its layout is Keras'.

    Example:
        >>> import torch
        >>> from fitorch.layers.activations import PReLU
        >>> layer = PReLU(alpha_initializer="ones", shared_axes=[1, 2])
        >>> layer(torch.randn(2, 4, 4, 3)).shape
        torch.Size([2, 4, 4, 3])
        >>> layer.weight.shape  # one slope per channel
        torch.Size([1, 1, 3])
        >>> PReLU(alpha_initializer=initializers.Constant(0.1))(torch.tensor([[-10.0, 5.0]]))
        tensor([[-1.,  5.]], grad_fn=<SubBackward0>)
    """

    supports_masking = True

    def __init__(
        self,
        alpha_initializer: Any = "zeros",
        alpha_regularizer: Any = None,
        alpha_constraint: Any = None,
        shared_axes: int | Sequence[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        for name, value in (("alpha_regularizer", alpha_regularizer), ("alpha_constraint", alpha_constraint)):
            if value is not None:
                raise NotImplementedError(
                    f"PReLU {self.name!r}: {name} is not supported yet (fitorch layers do not apply weight "
                    f"regularizers or constraints during training yet); received {name}={value!r}."
                )
        if shared_axes is not None:
            axes = [shared_axes] if isinstance(shared_axes, int) else list(shared_axes)
            if not all(isinstance(a, int) and not isinstance(a, bool) and a >= 1 for a in axes):
                raise ValueError(
                    f"PReLU {self.name!r}: shared_axes must be an int or a list of ints >= 1 (axis 0 is the "
                    f"batch axis); received shared_axes={shared_axes!r}."
                )
            shared_axes = axes
        self.shared_axes: list[int] | None = shared_axes
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        rank = len(input_shape)
        shared = set(self.shared_axes or ())
        if any(a >= rank for a in shared):
            raise ValueError(
                f"PReLU {self.name!r}: shared_axes={self.shared_axes} is out of range for inputs of shape "
                f"{tuple(input_shape)}."
            )
        unknown = [i for i in range(1, rank) if i not in shared and input_shape[i] is None]
        if unknown:
            raise ValueError(
                f"PReLU {self.name!r}: axes {unknown} of the input have unknown size, but alpha needs one entry per "
                f"position; received shape {tuple(input_shape)}. Share alpha along them with shared_axes={unknown}."
            )
        shape = [1 if i in shared else input_shape[i] for i in range(1, rank)]
        self.add_weight("weight", shape, self.alpha_initializer)
        self.input_spec = InputSpec(ndim=rank, axes={i: input_shape[i] for i in range(1, rank) if i not in shared})

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # Keras' form, relu(x) - alpha * relu(-x), for identical values (also for -0.0).
        return F.relu(inputs) - self.weight * F.relu(-inputs)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
