"""``Embedding``: integer indices to dense vectors, ``embeddings[inputs]``."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch import config, initializers
from fitorch.layers.layer import Layer


class Embedding(Layer):
    """Turns non-negative integer indices into dense vectors of fixed size.

    Use it as the first layer of a model on token ids or category ids: index ``i``
    becomes row ``i`` of a learned ``(input_dim, output_dim)`` matrix. Its weight
    loads into ``nn.Embedding`` directly.

    Args:
        input_dim: positive int, size of the vocabulary: the largest index + 1.
        output_dim: positive int, size of each vector.
        embeddings_initializer: default ``'uniform'`` (Keras': uniform in
            ``[-0.05, 0.05]``).
        mask_zero: whether index 0 is padding; ``compute_mask`` then returns
            ``inputs != 0``. Index 0 still has a row, so ``input_dim`` must be the
            vocabulary size + 1 (default ``False``).

    Call arguments:
        inputs: an integer tensor of indices in ``[0, input_dim)``. Other dtypes are
            cast to integers first, as Keras does.

    Input shape:
        Any shape, typically ``(batch, sequence_length)``.

    Output shape:
        ``(*input_shape, output_dim)``, floating point (the layer's dtype).

    Weights:
        ``weight`` of shape ``(input_dim, output_dim)`` (Keras' ``embeddings``, same
        layout).

    Example:
        >>> import torch
        >>> from fitorch.layers.core import Embedding
        >>> layer = Embedding(1000, 64)
        >>> out = layer(torch.randint(0, 1000, (32, 10)))
        >>> out.shape, out.dtype
        (torch.Size([32, 10, 64]), torch.float32)
        >>> layer.weight.shape
        torch.Size([1000, 64])
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        mask_zero: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        for argument, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"Embedding {self.name!r}: {argument} must be a positive int; "
                    f"received {argument}={value!r}."
                )
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = embeddings_initializer
        self.mask_zero = bool(mask_zero)
        self._produces_masks = self.mask_zero  # its calls switch mask tracking on for their call tree

    def build(self, input_shape: tuple[int | None, ...] | None = None) -> None:
        self.add_weight("weight", (self.input_dim, self.output_dim), self.embeddings_initializer)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.dtype not in (torch.int32, torch.int64):
            inputs = inputs.long()
        # The happy path checks nothing (a range check would cost a host sync per step);
        # torch's IndexError is explained here instead. On CUDA an out-of-range index
        # is a device-side assert, which cannot be caught.
        try:
            return F.embedding(inputs, self.weight)  # (...) -> (..., output_dim)
        except IndexError as error:
            raise ValueError(self._out_of_range_message(inputs)) from error

    def _out_of_range_message(self, inputs: torch.Tensor) -> str:
        low, high = int(inputs.min()), int(inputs.max())
        return (
            f"Embedding {self.name!r}: indices must lie in [0, input_dim) = [0, {self.input_dim}); received "
            f"max index {high} (min index {low}). Set input_dim to at least the largest index + 1 "
            f"({max(high + 1, self.input_dim)}), or map the out-of-range ids to a valid "
            "(e.g. out-of-vocabulary) id."
        )

    def compute_mask(self, inputs: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor | None:
        """Returns ``inputs != 0`` when ``mask_zero``, else ``None``."""
        return inputs != 0 if self.mask_zero else None

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return (*input_shape, self.output_dim)

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        """The dtype of the embeddings, whatever the (integer) input dtype."""
        if self.built:
            return self.weight.dtype
        return self._dtype or config.floatx_dtype()

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "mask_zero": self.mask_zero,
        }
