"""``Attention``: dot-product (Luong-style) attention over ``[query, value, key]``."""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.layer import Layer
from fitorch.layers.regularization.dropout import Dropout
from fitorch.utils.docstrings import fill_doc

Shape = tuple[int | None, ...]

# Keras biases masked scores by -1e9 (-65504 in float16), subtracted from the score.
_MASK_PENALTY = 1.0e9
_MASK_PENALTY_FLOAT16 = 65504.0

# The call arguments and shapes of Attention and AdditiveAttention (see fitorch.utils.docstrings.fill_doc).
CALL_AND_SHAPES = """\
Call arguments:
    inputs: a list ``[query, value]`` or ``[query, value, key]``; ``key``
        defaults to ``value``.
    mask: optional list ``[query_mask, value_mask]`` of boolean tensors
        ``(batch, Tq)`` and ``(batch, Tv)``; read from the inputs' Keras masks
        when not given. Masked value steps get no weight; masked query steps
        output zeros.
    training: ``True`` applies dropout; ``None`` (default) follows ``self.training``.
    return_attention_scores: if ``True``, returns ``(outputs, scores)``, the
        scores being the attention weights after masking and softmax.
    use_causal_mask: if ``True``, query step ``i`` does not attend to value
        steps ``j > i``.

Input shape:
    ``query`` ``(batch, Tq, dim)``, ``value`` ``(batch, Tv, dim_v)``, ``key``
    ``(batch, Tv, dim)``.

Output shape:
    ``(batch, Tq, dim_v)``; the scores are ``(batch, Tq, Tv)``.
"""


@fill_doc(call_and_shapes=CALL_AND_SHAPES)
class Attention(Layer):
    """Dot-product attention, a.k.a. Luong-style attention, on ``[query, value]`` or ``[query, value, key]``.

    Use it to let each query step read a weighted mix of the value steps (e.g. a
    decoder attending over an encoder), with no projections of its own; use
    ``MultiHeadAttention`` for the learned multi-head version. The scores are
    ``query @ key^T`` (``score_mode='dot'``) or
    ``sum(tanh(query + key), axis=-1)`` (``'concat'``), optionally times a learned
    scalar ``scale``; their softmax over the value steps mixes ``value``. Without
    returned scores, the ``'dot'`` mode runs ``F.scaled_dot_product_attention``.

    Args:
        use_scale: whether to learn a scalar ``scale`` multiplying the scores
            (inside the ``tanh`` for ``'concat'``; default ``False``).
        score_mode: ``'dot'`` (default) or ``'concat'``.
        dropout: float in ``[0, 1)``, dropout rate on the attention weights while
            training (default ``0.0``).
        seed: optional int seeding that dropout.

    {call_and_shapes}

    Weights:
        ``scale`` (shape ``()``) when ``use_scale``, and ``concat_score_weight``
        (shape ``()``) for ``score_mode='concat'``.

    Example:
        >>> import torch
        >>> from fitorch.layers.attention import Attention
        >>> query, value = torch.randn(2, 5, 8), torch.randn(2, 7, 8)
        >>> out, scores = Attention()([query, value], return_attention_scores=True)
        >>> out.shape, scores.shape
        (torch.Size([2, 5, 8]), torch.Size([2, 5, 7]))
        >>> torch.allclose(scores.sum(-1), torch.ones(2, 5))
        True
    """

    _score_modes = ("dot", "concat")

    def __init__(
        self,
        use_scale: bool = False,
        score_mode: str = "dot",
        dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if score_mode not in self._score_modes:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: score_mode must be one of {set(self._score_modes)}; "
                f"received score_mode={score_mode!r}."
            )
        if not isinstance(dropout, Real) or isinstance(dropout, bool) or not 0.0 <= dropout < 1.0:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: dropout must be a float in [0, 1); received dropout={dropout!r}."
            )
        self.use_scale = bool(use_scale)
        self.score_mode = score_mode
        self.dropout = float(dropout)
        self.seed = seed
        # Only the seeded path needs the layer; unseeded dropout runs inside the fused kernel.
        self.dropout_layer = Dropout(self.dropout, seed=seed) if self.dropout > 0 and seed is not None else None

    def build(self, input_shape: list[Shape]) -> None:
        self._validate_inputs(input_shape)
        if self.use_scale:
            self.add_weight("scale", (), "ones")
        else:
            self.scale = None
        if self.score_mode == "concat":
            self.add_weight("concat_score_weight", (), "ones")
        else:
            self.concat_score_weight = None

    def _calculate_scores(self, query: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        """Scores of shape ``(batch, Tq, Tv)``."""
        if self.score_mode == "dot":
            scores = torch.matmul(query, key.transpose(-2, -1))
            return scores * self.scale if self.scale is not None else scores
        # (B, Tq, 1, dim) + (B, 1, Tv, dim) -> (B, Tq, Tv, dim) -> (B, Tq, Tv)
        summed = query.unsqueeze(-2) + key.unsqueeze(-3)
        if self.scale is not None:
            summed = self.scale * summed
        return self.concat_score_weight * torch.tanh(summed).sum(dim=-1)

    def call(
        self,
        inputs: list[torch.Tensor],
        mask: list[torch.Tensor | None] | None = None,
        training: bool | None = None,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        self._validate_inputs(inputs, mask)
        training = self.training if training is None else training
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores_mask = self._scores_mask(query, value, value_mask, use_causal_mask)  # (B|1, Tq|1, Tv) or None
        dropout_active = training and self.dropout > 0
        if self.score_mode == "dot" and not return_attention_scores and not (dropout_active and self.seed is not None):
            outputs = self._fused(query, key, value, scores_mask, self.dropout if dropout_active else 0.0)
            scores = None
        else:
            outputs, scores = self._explicit(query, key, value, scores_mask, dropout_active)
        if query_mask is not None:
            # (B, Tq) -> (B, Tq, 1): masked query steps output zeros.
            outputs = torch.where(query_mask.bool().unsqueeze(-1), outputs, 0.0)
        if return_attention_scores:
            return outputs, scores
        return outputs

    def _scores_mask(
        self, query: torch.Tensor, value: torch.Tensor, value_mask: torch.Tensor | None, use_causal_mask: bool
    ) -> torch.Tensor | None:
        """The boolean mask of the scores (``True`` = attend), Keras' ``_calculate_score_mask``."""
        if value_mask is not None:
            value_mask = value_mask.bool().unsqueeze(-2)  # (B, Tv) -> (B, 1, Tv)
        if not use_causal_mask:
            return value_mask
        causal = torch.ones(query.shape[-2], value.shape[-2], dtype=torch.bool, device=query.device).tril()
        return causal if value_mask is None else value_mask & causal

    def _penalty(self, scores_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        """The additive bias Keras applies: ``-1e9`` where masked, 0 elsewhere."""
        penalty = _MASK_PENALTY_FLOAT16 if dtype == torch.float16 else _MASK_PENALTY
        return torch.where(scores_mask, 0.0, -penalty).to(dtype)

    def _fused(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        scores_mask: torch.Tensor | None,
        dropout_p: float,
    ) -> torch.Tensor:
        if self.scale is not None:
            query = query * self.scale  # (q * s) @ k^T = s * (q @ k^T), and the gradient reaches s
        bias = None if scores_mask is None else self._penalty(scores_mask, query.dtype)
        return F.scaled_dot_product_attention(query, key, value, attn_mask=bias, dropout_p=dropout_p, scale=1.0)

    def _explicit(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        scores_mask: torch.Tensor | None,
        dropout_active: bool,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        scores = self._calculate_scores(query, key)  # (B, Tq, Tv)
        if scores_mask is not None:
            scores = scores + self._penalty(scores_mask, scores.dtype)
        weights = torch.softmax(scores, dim=-1)
        dropped = weights
        if dropout_active:
            if self.dropout_layer is not None:
                dropped = self.dropout_layer(weights, training=True)
            else:
                dropped = F.dropout(weights, self.dropout, training=True)
        return torch.matmul(dropped, value), weights

    def compute_mask(self, inputs: list[torch.Tensor], mask: Any = None) -> torch.Tensor | None:
        """The query's mask (the output has the query's steps), or ``None``."""
        self._validate_inputs(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return mask[0]

    def _validate_inputs(self, inputs: Any, mask: Any = None) -> None:
        name = f"{type(self).__name__} {self.name!r}"
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{name} must be called on a list of inputs, namely [query, value] or [query, value, key]; "
                f"received a single {type(inputs).__name__}."
            )
        if not 2 <= len(inputs) <= 3:
            raise ValueError(
                f"{name} accepts a list of 2 or 3 inputs, namely [query, value] or [query, value, key]; "
                f"received {len(inputs)}."
            )
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(
                    f"{name}: mask must be a list, namely [query_mask, value_mask]; received a single "
                    f"{type(mask).__name__}."
                )
            if not 2 <= len(mask) <= 3:
                raise ValueError(f"{name} accepts a mask list of length 2 or 3; received {len(mask)}.")

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }
