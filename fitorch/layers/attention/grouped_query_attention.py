"""``GroupQueryAttention``: Keras' grouped-query attention, running ``F.scaled_dot_product_attention``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

from fitorch import initializers
from fitorch.layers.attention.multi_head_attention import MultiHeadAttention, _check_dropout, _check_positive_ints
from fitorch.layers.layer import Layer

Shape = tuple[int | None, ...]


class GroupQueryAttention(MultiHeadAttention):
    """Grouped-query attention (Ainslie et al., 2023) with Keras' weights, masks and config.

    Use it in decoder transformers (Llama, Mistral style) to shrink the key/value
    projections and caches: ``num_query_heads`` query heads share
    ``num_key_value_heads`` key/value heads, each key/value head serving
    ``num_query_heads // num_key_value_heads`` consecutive query heads.
    ``num_key_value_heads=1`` is multi-query attention; ``num_key_value_heads ==
    num_query_heads`` is multi-head attention. Without returned scores (and
    without seeded dropout while training) the attention runs
    ``F.scaled_dot_product_attention(..., enable_gqa=True)``, which never copies
    the shared key/value heads; otherwise an explicit softmax over repeated heads,
    as Keras does. It reuses ``MultiHeadAttention``'s projections and mask merge
    (so ``isinstance(layer, MultiHeadAttention)`` holds, unlike in Keras).

    Args:
        head_dim: positive int, the size of each head.
        num_query_heads: positive int, the number of query heads.
        num_key_value_heads: positive int dividing ``num_query_heads``, the number
            of key/value heads (groups).
        dropout: float in ``[0, 1)``, dropout rate on the attention probabilities
            while training (default ``0.0``).
        use_bias: whether the projections have biases (default ``True``).
        sliding_window: optional positive int; query step ``t`` then attends only
            to key steps ``s`` with ``|t - s| < sliding_window`` (combine with
            ``use_causal_mask=True`` for Mistral's causal window).
        flash_attention: optional bool, as in Keras: when ``True``, returning
            attention scores and ``dropout > 0`` are errors. The computation is the
            same either way (torch picks its kernel). Not part of ``get_config``,
            as in Keras.
        kernel_initializer: default ``'glorot_uniform'``.
        bias_initializer: default ``'zeros'``.
        kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint:
            accepted for Keras compatibility; only ``None`` is supported for now.
        activity_regularizer: optional regularizer on the output.
        use_gate: if ``True``, a sigmoid gate projected from the query multiplies
            the heads before the output projection (gated attention).
        seed: optional int seeding the dropout (the explicit path then runs).

    Call arguments:
        query: ``(batch, T, dim)``.
        value: ``(batch, S, dim)``.
        key: optional ``(batch, S, dim_k)``; defaults to ``value``.
        query_mask, value_mask, key_mask: optional boolean ``(batch, T)`` /
            ``(batch, S)``; default: the tensors' Keras masks.
        attention_mask: optional boolean ``(batch, T, S)`` (broadcastable),
            ``True`` where query step ``t`` may attend to key step ``s``.
        return_attention_scores: if ``True``, returns ``(output, scores)`` with the
            attention probabilities ``(batch, num_query_heads, T, S)``.
        training: ``True`` applies dropout; ``None`` (default) follows ``self.training``.
        use_causal_mask: if ``True``, step ``t`` does not attend to steps ``s > t``.

    Input shape:
        As in *Call arguments*.

    Output shape:
        ``(batch, T, dim)``, carrying the query's Keras mask.

    Weights:
        ``EinsumDense`` sublayers ``query_dense``, ``key_dense``, (``gate_dense``),
        ``value_dense``, ``output_dense`` (Keras names ``query``, ``key``,
        ``gate``, ``value``, ``attention_output``) with Keras' kernels: query
        ``(dim, num_query_heads, head_dim)``, key ``(dim_k, num_key_value_heads,
        head_dim)``, gate ``(dim, num_query_heads, head_dim)``, value ``(dim,
        num_key_value_heads, head_dim)``, output ``(num_query_heads, head_dim,
        dim)``, and their biases. ``get_weights()`` lists them in Keras' order.

    Example:
        >>> import torch
        >>> from fitorch.layers.attention import GroupQueryAttention
        >>> layer = GroupQueryAttention(head_dim=8, num_query_heads=4, num_key_value_heads=2)
        >>> x = torch.randn(2, 10, 32)
        >>> layer(x, x, use_causal_mask=True).shape
        torch.Size([2, 10, 32])
        >>> out, scores = layer(x, x, return_attention_scores=True)
        >>> scores.shape
        torch.Size([2, 4, 10, 10])
        >>> [w.shape for w in layer.get_weights()[::2]]
        [(32, 4, 8), (32, 2, 8), (32, 2, 8), (4, 8, 32)]
    """

    supports_masking = True

    def __init__(
        self,
        head_dim: int,
        num_query_heads: int,
        num_key_value_heads: int,
        dropout: float = 0.0,
        use_bias: bool = True,
        sliding_window: int | None = None,
        flash_attention: bool | None = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        use_gate: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        # MultiHeadAttention's own arguments do not apply: initialize as a plain Layer.
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        name = f"GroupQueryAttention {self.name!r}"
        _check_positive_ints(
            name, head_dim=head_dim, num_query_heads=num_query_heads, num_key_value_heads=num_key_value_heads
        )
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(
                f"{name}: `num_query_heads` must be divisible by `num_key_value_heads`; received "
                f"num_query_heads={num_query_heads} and num_key_value_heads={num_key_value_heads}."
            )
        _check_dropout(name, dropout)
        if sliding_window is not None and (type(sliding_window) is not int or sliding_window <= 0):
            raise ValueError(
                f"{name}: `sliding_window` must be `None` or a positive integer; received "
                f"sliding_window={sliding_window!r}."
            )
        for argument, value in (
            ("kernel_regularizer", kernel_regularizer),
            ("bias_regularizer", bias_regularizer),
            ("kernel_constraint", kernel_constraint),
            ("bias_constraint", bias_constraint),
        ):
            if value is not None:
                raise ValueError(f"{name}: {argument} is not supported yet; received {argument}={value!r}.")
        self._flash_attention = bool(flash_attention)
        if self._flash_attention and dropout > 0:
            raise ValueError(
                f"{name}: dropout is not supported when flash attention is enabled; received dropout={dropout!r} "
                "with flash_attention=True. Set dropout to 0.0 to use flash attention."
            )
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.sliding_window = sliding_window
        self.use_gate = bool(use_gate)
        # The attributes MultiHeadAttention's shared pieces read.
        self._set_attention_arguments(
            num_query_heads, head_dim, head_dim, dropout, use_bias, None, None, kernel_initializer, bias_initializer,
            seed,
        )  # fmt: skip

    # ------------------------------------------------------------------ building
    def build(self, input_shape: Sequence[Shape]) -> None:
        """Builds the projections from ``[query_shape, value_shape]`` or ``[query_shape, value_shape, key_shape]``."""
        name = f"GroupQueryAttention {self.name!r}"
        query_shape, value_shape, key_shape = self._split_input_shapes(input_shape)
        for what, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) != 3 or shape[-1] is None:
                raise ValueError(
                    f"{name}: {what} must have rank 3 (batch, steps, features) with a known last axis; "
                    f"received shape {shape}."
                )
        if value_shape[1] is not None and key_shape[1] is not None and value_shape[1] != key_shape[1]:
            raise ValueError(
                f"{name}: all dimensions of value and key, except the last one, must be equal; received value "
                f"shape {value_shape} and key shape {key_shape}."
            )
        query_heads = [self.num_query_heads, self.head_dim]
        kv_heads = [self.num_key_value_heads, self.head_dim]
        # Keras' build (and get_weights) order: query, key, gate, value, attention_output.
        self.query_dense = self._projection("query", 3, 1, query_heads, query_shape)
        self.key_dense = self._projection("key", 3, 1, kv_heads, key_shape)
        if self.use_gate:
            self.gate_dense = self._projection("gate", 3, 1, query_heads, query_shape)
        self.value_dense = self._projection("value", 3, 1, kv_heads, value_shape)
        self._build_attention(4)
        heads_input = (*query_shape[:-1], self.num_query_heads, self.head_dim)
        self.output_dense = self._projection("attention_output", 3, 2, [query_shape[-1]], heads_input)

    # ------------------------------------------------------------------ computing
    # `MultiHeadAttention.call` runs the attention; these hooks add grouped-query attention's options.
    def _check_call_options(self, return_attention_scores: bool) -> None:
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"GroupQueryAttention {self.name!r}: returning attention scores is not supported when flash "
                "attention is enabled; received return_attention_scores=True with flash_attention=True."
            )

    def _window_mask(self, query: torch.Tensor, value: torch.Tensor) -> torch.Tensor | None:
        if self.sliding_window is None:
            return None
        steps_q = torch.arange(query.shape[1], device=query.device)
        steps_s = torch.arange(value.shape[1], device=query.device)
        return ((steps_q[:, None] - steps_s[None, :]).abs() < self.sliding_window).unsqueeze(0)

    def _gate(self, query: torch.Tensor) -> torch.Tensor | None:
        return torch.sigmoid(self.gate_dense(query)) if self.use_gate else None

    def _repeat_key_value_heads(self, heads: torch.Tensor) -> torch.Tensor:
        # Keras' `ops.repeat`: key/value head j serves query heads j * r ... j * r + r - 1.
        return heads.repeat_interleave(self.num_repeats, dim=2)

    def _fused_kernel_options(self) -> dict[str, Any]:
        # The kernel reads the shared key/value heads directly; nothing is repeated.
        return {"enable_gqa": self.num_repeats > 1}

    # ------------------------------------------------------------------ shapes & config
    def compute_output_shape(
        self, query_shape: Shape, value_shape: Shape | None = None, key_shape: Shape | None = None
    ) -> Shape:
        """The output's shape for these input shapes (Keras' signature): the query's shape.

        Raises:
            NotImplementedError: when only the query's shape is given (the output then also
                depends on ``return_attention_scores``, so it is inferred from the call).
            ValueError: as in Keras, when the query's and value's last axes differ, or value
                and key differ in an axis other than the last.
        """
        if value_shape is not None and query_shape[-1] != value_shape[-1]:
            raise ValueError(
                f"GroupQueryAttention {self.name!r}: the last dimension of query_shape and value_shape must be "
                f"equal; received query_shape={tuple(query_shape)} and value_shape={tuple(value_shape)}."
            )
        return super().compute_output_shape(query_shape, value_shape, key_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **Layer.get_config(self),
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
            "seed": self.seed,
        }
