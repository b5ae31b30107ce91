"""``ReversibleEmbedding``: an ``Embedding`` that can also project hidden states back to vocabulary logits."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch import config, constraints, regularizers
from fitorch.layers.core.embedding import Embedding


class ReversibleEmbedding(Embedding):
    """An embedding whose ``reverse=True`` call maps ``output_dim`` vectors back to ``input_dim`` logits.

    Use it for the token embedding of a language model: the forward call embeds token
    ids, and ``layer(hidden_states, reverse=True)`` computes the output logits, by
    default with the transposed embedding matrix (tied weights, Press & Wolf 2016),
    which saves ``input_dim * output_dim`` parameters. The projection has no bias.

    Args:
        input_dim: positive int, size of the vocabulary: the largest index + 1.
        output_dim: positive int, size of each vector.
        tie_weights: whether the reverse projection uses the transposed embeddings
            (default ``True``); ``False`` creates a separate trainable
            ``reverse_weight``.
        embeddings_initializer: default ``'uniform'`` (Keras': uniform in
            ``[-0.05, 0.05]``); also initialises ``reverse_weight``.
        embeddings_regularizer: optional regularizer on the embeddings (default ``None``).
        embeddings_constraint: optional constraint on the embeddings (default ``None``).
        mask_zero: whether index 0 is padding; the forward call's outputs then carry the
            mask ``inputs != 0`` (default ``False``). Reverse calls produce no mask.
        reverse_dtype: optional dtype (e.g. ``'float32'``) that the hidden states and
            the projection matrix are cast to for the reverse projection; by default the
            promoted dtype of the two.
        logit_soft_cap: optional positive float ``c``; reverse logits become
            ``tanh(logits / c) * c`` (Gemma style), bounding them to ``(-c, c)``
            (default ``None``).

    Call arguments:
        inputs: integer token ids when ``reverse=False``; floating hidden states
            ``(..., output_dim)`` when ``reverse=True``.
        reverse: whether to project back to the vocabulary (default ``False``).

    Input shape:
        Forward: any, typically ``(batch, sequence_length)``. Reverse:
        ``(..., output_dim)``.

    Output shape:
        Forward: ``(*input_shape, output_dim)``. Reverse: ``(..., input_dim)``.

    Weights:
        ``weight`` of shape ``(input_dim, output_dim)`` (Keras' ``embeddings``) and, with
        ``tie_weights=False``, ``reverse_weight`` of shape ``(input_dim, output_dim)``
        (Keras' ``reverse_embeddings``, transposed: ``(output_dim, input_dim)``), so both
        load into ``nn.Embedding`` / ``nn.Linear(output_dim, input_dim, bias=False)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.core import ReversibleEmbedding
        >>> layer = ReversibleEmbedding(100, 32)
        >>> hidden = layer(torch.randint(0, 100, (16, 50)))
        >>> hidden.shape
        torch.Size([16, 50, 32])
        >>> layer(hidden, reverse=True).shape
        torch.Size([16, 50, 100])
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        tie_weights: bool = True,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        reverse_dtype: str | torch.dtype | None = None,
        logit_soft_cap: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         mask_zero=mask_zero, **kwargs)  # fmt: skip
        owner = f"ReversibleEmbedding {self.name!r}"
        if not isinstance(tie_weights, bool):
            raise ValueError(f"{owner}: tie_weights must be True or False; received tie_weights={tie_weights!r}.")
        if logit_soft_cap is not None and (
            not isinstance(logit_soft_cap, Real) or isinstance(logit_soft_cap, bool) or not logit_soft_cap > 0
        ):
            raise ValueError(
                f"{owner}: logit_soft_cap must be None or a positive float; received logit_soft_cap={logit_soft_cap!r}."
            )
        try:
            self._reverse_torch_dtype = config.standardize_dtype(reverse_dtype)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{owner}: reverse_dtype: {error}") from None
        self.tie_weights = tie_weights
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.reverse_dtype = str(self._reverse_torch_dtype).removeprefix("torch.") if reverse_dtype else None
        self.logit_soft_cap = None if logit_soft_cap is None else float(logit_soft_cap)
        # Whether the call in progress is a reverse one: compute_mask, compute_output_shape and
        # compute_output_dtype receive only the inputs, so __call__ records it for them.
        self._reverse_call = False

    def build(self, input_shape: tuple[int | None, ...] | None = None) -> None:
        self.add_weight("weight", (self.input_dim, self.output_dim), self.embeddings_initializer,
                        regularizer=self.embeddings_regularizer, constraint=self.embeddings_constraint)  # fmt: skip
        if not self.tie_weights:
            # torch layout (input_dim, output_dim), an nn.Linear weight; Keras' is its transpose.
            self.add_weight("reverse_weight", (self.input_dim, self.output_dim), self.embeddings_initializer,
                            keras_axes=(1, 0))  # fmt: skip

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        reverse = kwargs.get("reverse", args[1] if len(args) > 1 else False)
        previous, self._reverse_call = self._reverse_call, bool(reverse)
        try:
            return super().__call__(*args, **kwargs)
        finally:
            self._reverse_call = previous

    def call(self, inputs: torch.Tensor, reverse: bool = False) -> torch.Tensor:
        if not reverse:
            return super().call(inputs)
        if inputs.shape[-1] != self.output_dim:
            raise ValueError(self._reverse_shape_message(tuple(inputs.shape)))
        kernel = self.weight if self.tie_weights else self.reverse_weight
        dtype = self.compute_output_dtype(inputs.dtype)
        logits = F.linear(inputs.to(dtype), kernel.to(dtype))  # (..., output_dim) -> (..., input_dim)
        if self.logit_soft_cap is not None:
            logits = torch.tanh(logits / self.logit_soft_cap) * self.logit_soft_cap
        return logits

    def _reverse_shape_message(self, input_shape: tuple[int | None, ...]) -> str:
        return (
            f"ReversibleEmbedding {self.name!r}: a reverse call projects hidden states of size output_dim="
            f"{self.output_dim} to input_dim={self.input_dim} logits; received inputs of shape {input_shape}, "
            f"whose last axis is {input_shape[-1] if input_shape else None}. Pass reverse=True only for "
            "hidden states, and token ids with reverse=False."
        )

    def compute_mask(self, inputs: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor | None:
        """``inputs != 0`` for a forward call with ``mask_zero``; ``None`` otherwise (reverse calls included)."""
        return None if self._reverse_call else super().compute_mask(inputs, mask)

    def compute_output_shape(
        self, input_shape: tuple[int | None, ...], reverse: bool | None = None
    ) -> tuple[int | None, ...]:
        reverse = self._reverse_call if reverse is None else reverse
        if not reverse:
            return super().compute_output_shape(input_shape)
        input_shape = tuple(input_shape)
        if not input_shape or input_shape[-1] not in (None, self.output_dim):
            raise ValueError(self._reverse_shape_message(input_shape))
        return (*input_shape[:-1], self.input_dim)

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        """Forward: the embeddings' dtype. Reverse: ``reverse_dtype``, else the inputs' and weights' promoted."""
        weight_dtype = super().compute_output_dtype(input_dtype)
        if not self._reverse_call:
            return weight_dtype
        if self._reverse_torch_dtype is not None:
            return self._reverse_torch_dtype
        return torch.promote_types(input_dtype, weight_dtype)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "tie_weights": self.tie_weights,
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        }
