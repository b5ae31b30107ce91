"""``MultiHeadAttention``: Keras' multi-head attention, running ``F.scaled_dot_product_attention``."""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch import initializers
from fitorch.graph.inference import run_on_meta
from fitorch.layers import masking_state
from fitorch.layers.core.einsum_dense import EinsumDense
from fitorch.layers.layer import Layer, holds_numpy, is_shape
from fitorch.layers.regularization.dropout import Dropout

Shape = tuple[int | None, ...]

# Additive mask values. The fused path uses Keras' `dot_product_attention` value
# (-0.7 * the dtype's max), the explicit path Keras' `Softmax` value (-1e9, -3e4 in float16).
_FUSED_NEGATIVE = {torch.float16: -0.7 * 65500.0}
_FUSED_NEGATIVE_DEFAULT = -0.7 * 3.38953e38
_SOFTMAX_NEGATIVE = {torch.float16: -3e4}
_SOFTMAX_NEGATIVE_DEFAULT = -1e9


class MultiHeadAttention(Layer):
    """Multi-head attention as in "Attention is all you need", with Keras' weights and masks.

    Use it for self-attention (``layer(x, x)``) and cross-attention
    (``layer(query, context)``) in transformers. ``query``, ``key`` and ``value``
    are projected to ``num_heads`` heads, each query step attends over the key
    steps with scaled dot products, and the heads are projected back to the
    query's size (or ``output_shape``). With the default ``attention_axes`` and no
    returned scores (dropout included), the attention runs
    ``F.scaled_dot_product_attention`` (flash / memory-efficient kernels);
    otherwise an explicit softmax, as Keras does.

    Args:
        num_heads: positive int, the number of heads.
        key_dim: positive int, the size of each head for query and key.
        value_dim: positive int, the size of each head for value (default ``key_dim``).
        dropout: float in ``[0, 1)``, dropout rate on the attention probabilities
            while training (default ``0.0``).
        use_bias: whether the projections have biases (default ``True``).
        output_shape: int or tuple, the output's trailing shape (default: the
            query's last axis).
        attention_axes: int or tuple of the axes attention runs over (default
            ``None``: every axis but the batch and the features; axis 1 for
            ``(batch, T, dim)`` inputs).
        kernel_initializer: default ``'glorot_uniform'`` (fans counted as Keras'
            ``EinsumDense`` counts them).
        bias_initializer: default ``'zeros'``.
        seed: optional int seeding the dropout (the explicit path then runs).

    Call arguments:
        query: ``(batch, T, dim)`` (or more axes with ``attention_axes``).
        value: ``(batch, S, dim_v)``.
        key: optional ``(batch, S, dim_k)``; defaults to ``value``.
        query_mask: optional boolean ``(batch, T)``; default: ``query``'s Keras mask.
        value_mask: optional boolean ``(batch, S)``; default: ``value``'s Keras mask.
        key_mask: optional boolean ``(batch, S)``; default: ``key``'s Keras mask.
        attention_mask: optional boolean ``(batch, T, S)`` (broadcastable),
            ``True`` where query step ``t`` may attend to key step ``s``.
        return_attention_scores: if ``True``, returns ``(output, scores)`` with the
            attention probabilities ``(batch, num_heads, T, S)``.
        training: ``True`` applies dropout; ``None`` (default) follows ``self.training``.
        use_causal_mask: if ``True``, step ``t`` does not attend to steps ``s > t``.

    Input shape:
        As in *Call arguments*.

    Output shape:
        ``(batch, T, dim)``, or ``(batch, T, *output_shape)``. The output carries
        the query's Keras mask.

    Weights:
        Four ``EinsumDense`` sublayers, ``query_dense``, ``key_dense``,
        ``value_dense`` and ``output_dense`` (Keras names ``query``, ``key``,
        ``value``, ``attention_output``), with Keras' kernels: query ``(dim,
        num_heads, key_dim)``, key ``(dim_k, num_heads, key_dim)``, value
        ``(dim_v, num_heads, value_dim)``, output ``(num_heads, value_dim, dim)``,
        and their biases. ``get_weights()`` lists them in Keras' order.

    Example:
        >>> import torch
        >>> from fitorch.layers.attention import MultiHeadAttention
        >>> layer = MultiHeadAttention(num_heads=4, key_dim=16)
        >>> x, context = torch.randn(2, 10, 32), torch.randn(2, 20, 48)
        >>> layer(x, context).shape
        torch.Size([2, 10, 32])
        >>> out, scores = layer(x, context, return_attention_scores=True)
        >>> scores.shape
        torch.Size([2, 4, 10, 20])
        >>> [w.shape for w in layer.get_weights()[::2]]
        [(32, 4, 16), (48, 4, 16), (48, 4, 16), (4, 16, 32)]
    """

    supports_masking = True

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape: int | Sequence[int] | None = None,
        attention_axes: int | Sequence[int] | None = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        name = f"MultiHeadAttention {self.name!r}"
        _check_positive_ints(name, num_heads=num_heads, key_dim=key_dim)
        if value_dim is not None and (type(value_dim) is not int or value_dim <= 0):
            raise ValueError(f"{name}: value_dim must be a positive int or None; received value_dim={value_dim!r}.")
        _check_dropout(name, dropout)
        if output_shape is not None:
            if type(output_shape) is int:
                output_shape = (output_shape,)
            if (
                not isinstance(output_shape, Sequence)
                or not output_shape
                or not all(type(d) is int and d > 0 for d in output_shape)
            ):
                raise ValueError(
                    f"{name}: output_shape must be a positive int or a tuple of them; "
                    f"received output_shape={output_shape!r}."
                )
            output_shape = list(output_shape)
        if attention_axes is not None:
            if type(attention_axes) is int:
                attention_axes = (attention_axes,)
            if not isinstance(attention_axes, Sequence) or not all(type(a) is int for a in attention_axes):
                raise ValueError(
                    f"{name}: attention_axes must be an int, a tuple of ints or None; "
                    f"received attention_axes={attention_axes!r}."
                )
            attention_axes = list(attention_axes)
        self._set_attention_arguments(
            num_heads, key_dim, value_dim or key_dim, dropout, use_bias, output_shape, attention_axes,
            kernel_initializer, bias_initializer, seed,
        )  # fmt: skip

    def _set_attention_arguments(
        self, num_heads: int, key_dim: int, value_dim: int, dropout: float, use_bias: bool,
        output_shape: list[int] | None, attention_axes: list[int] | None, kernel_initializer: Any,
        bias_initializer: Any, seed: int | None,
    ) -> None:  # fmt: skip
        """Stores the checked arguments that the shared projection and attention code reads."""
        self.num_heads = num_heads
        self.key_dim = key_dim
        self.value_dim = value_dim
        self.dropout = float(dropout)
        self.use_bias = bool(use_bias)
        self._output_shape = output_shape
        self.attention_axes = attention_axes
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))
        # Seeded dropout needs its own generator, so it runs outside the fused kernel.
        self.dropout_layer = Dropout(self.dropout, seed=seed) if self.dropout > 0 and seed is not None else None

    # ------------------------------------------------------------------ building
    def __call__(self, query: Any, value: Any = None, key: Any = None, **kwargs: Any) -> Any:
        self._require_value(value)
        if type(query) is not torch.Tensor and any(holds_numpy(a) for a in (query, value, key)):
            query, value, key = self._numpy_to_tensors((query, value, key))
        if not self.built:
            # Keras builds from the shapes of query, value and key; the base class sees only the first input.
            inputs = [query, value] if key is None else [query, value, key]
            self._build_for(inputs)
            if any(isinstance(t, torch.Tensor) and t.is_meta for t in inputs):
                return run_on_meta(self, (query, value, key), kwargs)
        return super().__call__(query, value, key, **kwargs)

    def _require_value(self, value: Any) -> None:
        if value is None:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} is called as layer(query, value, key=None, ...); received no "
                "value. For self-attention pass the same tensor twice: layer(x, x)."
            )

    def _split_input_shapes(self, input_shape: Sequence[Shape]) -> tuple[Shape, Shape, Shape]:
        """``(query_shape, value_shape, key_shape)`` from ``[query, value]`` or ``[query, value, key]`` shapes."""
        if is_shape(input_shape) or not 2 <= len(input_shape) <= 3 or not all(is_shape(s) for s in input_shape):
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: build expects [query_shape, value_shape] or "
                f"[query_shape, value_shape, key_shape]; received {input_shape!r}."
            )
        query_shape, value_shape = tuple(input_shape[0]), tuple(input_shape[1])
        return query_shape, value_shape, tuple(input_shape[2]) if len(input_shape) == 3 else value_shape

    def build(self, input_shape: Sequence[Shape]) -> None:
        """Builds the projections from ``[query_shape, value_shape]`` or ``[query_shape, value_shape, key_shape]``."""
        query_shape, value_shape, key_shape = self._split_input_shapes(input_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(
                f"MultiHeadAttention {self.name!r}: all dimensions of value and key, except the last one, must "
                f"be equal; received value shape {value_shape} and key shape {key_shape}."
            )
        if len(query_shape) != len(value_shape):
            raise ValueError(
                f"MultiHeadAttention {self.name!r}: query and value must have the same rank; received query shape "
                f"{query_shape} and value shape {value_shape}."
            )
        for what, shape in (("query", query_shape), ("value", value_shape), ("key", key_shape)):
            if len(shape) < 3 or shape[-1] is None:
                raise ValueError(
                    f"MultiHeadAttention {self.name!r}: {what} must have rank >= 3 (batch, steps..., features) "
                    f"with a known last axis; received shape {shape}."
                )
        heads_key, heads_value = [self.num_heads, self.key_dim], [self.num_heads, self.value_dim]
        self.query_dense = self._projection("query", len(query_shape), 1, heads_key, query_shape)
        self.key_dense = self._projection("key", len(key_shape), 1, heads_key, key_shape)
        self.value_dense = self._projection("value", len(value_shape), 1, heads_value, value_shape)
        rank = len(query_shape) + 1  # of the projected tensors: (batch, steps..., heads, channels)
        self._build_attention(rank)
        output_shape = self._output_shape or [query_shape[-1]]
        heads_input = (*query_shape[:-1], self.num_heads, self.value_dim)
        self.output_dense = self._projection("attention_output", len(query_shape), 2, output_shape, heads_input)

    def _projection(self, name: str, rank: int, bound_dims: int, known: list[int], input_shape: Shape) -> EinsumDense:
        equation, bias_axes, output_rank = _build_proj_equation(rank - 1, bound_dims, len(known))
        layer = EinsumDense(
            equation,
            output_shape=[None] * (output_rank - 1 - len(known)) + list(known),
            bias_axes=bias_axes if self.use_bias else None,
            kernel_initializer=initializers.get(self.kernel_initializer),
            bias_initializer=initializers.get(self.bias_initializer),
            name=name,
            dtype=self._dtype,
        )
        # The sublayer's weights go where this layer's go (its device or its fitorch.device scope).
        layer._pinned_device = self._pinned_device
        layer._build_device = self._build_device
        layer.build(input_shape)
        return layer

    def _build_attention(self, rank: int) -> None:
        """The einsum equations and softmax axes of the attention over ``attention_axes``."""
        if self.attention_axes is None:
            axes = tuple(range(1, rank - 2))
        else:
            axes = tuple(a if a >= 0 else (rank - 1) + a for a in self.attention_axes)
            if not all(1 <= a <= rank - 3 for a in axes) or len(set(axes)) != len(axes):
                raise ValueError(
                    f"MultiHeadAttention {self.name!r}: attention_axes={self.attention_axes} must name distinct "
                    f"axes of the query other than the batch and the features, i.e. in [1, {rank - 3}] (or "
                    f"negative); received inputs of rank {rank - 1}."
                )
        self._attention_axes = axes
        self._dot_product_equation, self._combine_equation, scores_rank = _build_attention_equation(rank, axes)
        self._softmax_axes = tuple(range(scores_rank - len(axes), scores_rank))
        # The fused kernel covers (batch, steps, heads, channels), i.e. attention over axis 1.
        self._fusable = rank == 4 and axes == (1,)

    # ------------------------------------------------------------------ computing
    def call(
        self,
        query: torch.Tensor,
        value: torch.Tensor,
        key: torch.Tensor | None = None,
        query_mask: torch.Tensor | None = None,
        value_mask: torch.Tensor | None = None,
        key_mask: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        return_attention_scores: bool = False,
        training: bool | None = None,
        use_causal_mask: bool = False,
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        self._check_call_options(return_attention_scores)
        training = self.training if training is None else training
        # Keras fills each `*_mask` argument from its tensor's Keras mask (the key's only when a key is given).
        query_mask = masking_state.get_mask(query) if query_mask is None else query_mask
        value_mask = masking_state.get_mask(value) if value_mask is None else value_mask
        if key is None:
            key = value
        elif key_mask is None:
            key_mask = masking_state.get_mask(key)
        dropout_active = training and self.dropout > 0
        fused = self._fusable and not return_attention_scores and not (dropout_active and self.seed is not None)
        window = self._window_mask(query, value)
        causal_only = use_causal_mask and all(
            m is None for m in (query_mask, value_mask, key_mask, attention_mask, window)
        )
        mask = None
        if not (fused and causal_only):
            mask = self._compute_attention_mask(
                query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask
            )
            if window is not None:
                mask = window if mask is None else mask & window
        gate = self._gate(query)
        query_heads = self.query_dense(query)  # (B, T, dim) -> (B, T, N, key_dim)
        key_heads = self.key_dense(key)  # (B, S, dim_k) -> (B, S, N_kv, key_dim)
        value_heads = self.value_dense(value)  # (B, S, dim_v) -> (B, S, N_kv, value_dim)
        if fused:
            heads = self._fused_attention(query_heads, key_heads, value_heads, mask, causal_only, dropout_active)
            scores = None
        else:
            key_heads, value_heads = self._repeat_key_value_heads(key_heads), self._repeat_key_value_heads(value_heads)
            heads, scores = self._explicit_attention(query_heads, key_heads, value_heads, mask, dropout_active)
        if gate is not None:
            heads = heads * gate
        output = self.output_dense(heads)  # (B, T, N, value_dim) -> (B, T, dim)
        if query_mask is not None:
            masking_state.set_mask(output, query_mask)
        if return_attention_scores:
            return output, scores
        return output

    def _fused_attention(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        mask: torch.Tensor | None,
        causal_only: bool,
        dropout_active: bool,
    ) -> torch.Tensor:
        # (B, T, N, H) -> (B, N, T, H): views, the layout the kernel reads.
        query, key, value = query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2)
        bias = None
        if mask is not None:
            while mask.ndim < 4:
                mask = mask.unsqueeze(-3)  # (B, T, S) -> (B, 1, T, S): one mask for every head
            negative = _FUSED_NEGATIVE.get(query.dtype, _FUSED_NEGATIVE_DEFAULT)
            bias = torch.where(mask, 0.0, negative).to(query.dtype)
        heads = F.scaled_dot_product_attention(
            query,
            key,
            value,
            attn_mask=bias,
            dropout_p=self.dropout if dropout_active else 0.0,
            is_causal=causal_only and mask is None,
            scale=self._inverse_sqrt_key_dim,
            **self._fused_kernel_options(),
        )
        if self.dropout > 0 and mask is not None:
            # With dropout Keras takes its explicit path, whose masked softmax gives a fully
            # masked query row zero weights; the kernel's gives it uniform ones.
            heads = heads * mask.any(dim=-1, keepdim=True)
        return heads.transpose(1, 2)  # (B, N, T, H) -> (B, T, N, H)

    # Hooks grouped-query attention overrides; multi-head attention has no such option.
    def _check_call_options(self, return_attention_scores: bool) -> None:
        """Raises for call options the layer's configuration rules out."""

    def _window_mask(self, query: torch.Tensor, value: torch.Tensor) -> torch.Tensor | None:
        """A sliding-window mask ``(1, T, S)`` to merge into the attention mask, or ``None``."""
        return None

    def _gate(self, query: torch.Tensor) -> torch.Tensor | None:
        """The gate multiplying the heads before the output projection, or ``None``."""
        return None

    def _repeat_key_value_heads(self, heads: torch.Tensor) -> torch.Tensor:
        """Key or value heads ``(B, S, N_kv, H)`` repeated to one per query head for the explicit path."""
        return heads

    def _fused_kernel_options(self) -> dict[str, Any]:
        """Extra ``scaled_dot_product_attention`` arguments (grouped-query attention adds one)."""
        return {}

    def _explicit_attention(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        mask: torch.Tensor | None,
        dropout_active: bool,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        query = query * self._inverse_sqrt_key_dim
        if self._fusable:
            # (B, T, N, H) -> (B, N, T, H): the einsum below as batched matmuls.
            query, key, value = query.transpose(1, 2), key.transpose(1, 2), value.transpose(1, 2)
            scores = torch.matmul(query, key.transpose(-1, -2))  # (B, N, T, S)
        else:
            scores = torch.einsum(self._dot_product_equation, key, query)  # (B, <other>, N, <T axes>, <S axes>)
        if mask is not None:
            # The mask gains the heads axis (and any other missing one) before the attention axes.
            expansion_axis = -len(self._attention_axes) * 2 - 1
            while mask.ndim < scores.ndim:
                mask = mask.unsqueeze(expansion_axis)
            negative = _SOFTMAX_NEGATIVE.get(scores.dtype, _SOFTMAX_NEGATIVE_DEFAULT)
            scores = torch.where(mask, scores, negative)
        if len(self._softmax_axes) == 1:
            probabilities = torch.softmax(scores, dim=self._softmax_axes[0])
        else:
            probabilities = torch.exp(scores - torch.logsumexp(scores, dim=self._softmax_axes, keepdim=True))
        if mask is not None:
            probabilities = torch.where(mask, probabilities, 0.0)  # a fully masked row gets zeros
        dropped = probabilities
        if dropout_active:
            if self.dropout_layer is not None:
                dropped = self.dropout_layer(probabilities, training=True)
            else:
                dropped = F.dropout(probabilities, self.dropout, training=True)
        if self._fusable:
            return torch.matmul(dropped, value).transpose(1, 2), probabilities  # (B, N, T, H) -> (B, T, N, H)
        return torch.einsum(self._combine_equation, dropped, value), probabilities

    def _compute_attention_mask(
        self,
        query: torch.Tensor,
        value: torch.Tensor,
        query_mask: torch.Tensor | None,
        value_mask: torch.Tensor | None,
        key_mask: torch.Tensor | None,
        attention_mask: torch.Tensor | None,
        use_causal_mask: bool,
    ) -> torch.Tensor | None:
        """Keras' merge of the masks into one boolean ``(B, T, S)`` (broadcastable) mask, or ``None``."""
        auto_mask = None
        if query_mask is not None:
            auto_mask = query_mask.bool().unsqueeze(-1)  # (B, T) -> (B, T, 1)
        for padding in (value_mask, key_mask):
            if padding is not None:
                padding = padding.bool().unsqueeze(-2)  # (B, S) -> (B, 1, S)
                auto_mask = padding if auto_mask is None else auto_mask & padding
        if use_causal_mask:
            causal = torch.ones(query.shape[1], value.shape[1], dtype=torch.bool, device=query.device).tril()
            causal = causal.unsqueeze(0)  # (1, T, S)
            auto_mask = causal if auto_mask is None else auto_mask & causal
        if attention_mask is not None:
            attention_mask = attention_mask.bool()
            return attention_mask if auto_mask is None else attention_mask & auto_mask
        return auto_mask

    # ------------------------------------------------------------------ shapes & config
    def compute_output_shape(
        self, query_shape: Shape, value_shape: Shape | None = None, key_shape: Shape | None = None
    ) -> Shape:
        """The output's shape for these input shapes (Keras' signature).

        Raises:
            NotImplementedError: when only the query's shape is given (how the base class
                asks during a symbolic call): the output then also depends on the call's
                keyword arguments (``return_attention_scores``), so it is inferred from the call.
        """
        if value_shape is None:
            raise NotImplementedError
        key_shape = value_shape if key_shape is None else key_shape
        if tuple(value_shape[1:-1]) != tuple(key_shape[1:-1]):
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: all dimensions of value and key, except the last one, must "
                f"be equal; received value shape {tuple(value_shape)} and key shape {tuple(key_shape)}."
            )
        if self._output_shape:
            return (*query_shape[:-1], *self._output_shape)
        return tuple(query_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_heads": self.num_heads,
            "key_dim": self.key_dim,
            "value_dim": self.value_dim,
            "dropout": self.dropout,
            "use_bias": self.use_bias,
            "output_shape": self._output_shape,
            "attention_axes": self.attention_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "seed": self.seed,
        }


def _check_positive_ints(name: str, **arguments: Any) -> None:
    """Raises ``ValueError`` naming the layer ``name`` for the first argument that is not a positive int."""
    for argument, value in arguments.items():
        if type(value) is not int or value <= 0:
            raise ValueError(f"{name}: {argument} must be a positive int; received {argument}={value!r}.")


def _check_dropout(name: str, dropout: Any) -> None:
    """Raises ``ValueError`` naming the layer ``name`` unless ``dropout`` is a float in ``[0, 1)``."""
    if not isinstance(dropout, Real) or isinstance(dropout, bool) or not 0.0 <= dropout < 1.0:
        raise ValueError(f"{name}: dropout must be a float in [0, 1); received dropout={dropout!r}.")


def _build_proj_equation(free_dims: int, bound_dims: int, output_dims: int) -> tuple[str, str, int]:
    """Keras' projection equation, e.g. ``("abc,cde->abde", "de", 4)`` for (2, 1, 2)."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims : free_dims + bound_dims]
    out = letters[free_dims + bound_dims : free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{out}->{free}{out}", out, len(free) + len(out)


def _build_attention_equation(rank: int, attention_axes: tuple[int, ...]) -> tuple[str, str, int]:
    """Keras' query-key and probabilities-value einsum equations for projected tensors of ``rank``.

    Query and key are ``(batch, <other axes>, <attention axes>, heads, channels)``; the
    scores are ``(batch, <other axes>, heads, <query attention axes>, <key attention axes>)``.
    """
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch_dims = [i for i in range(rank) if i not in attention_axes and i != rank - 1]
    source, offset = "", rank
    for i in range(rank):
        if i in batch_dims or i == rank - 1:
            source += target[i]
        else:
            source += letters[offset]
            offset += 1
    product = (
        "".join(target[i] for i in batch_dims)
        + "".join(target[i] for i in attention_axes)
        + "".join(source[i] for i in attention_axes)
    )
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)
