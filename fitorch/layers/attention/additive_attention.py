"""``AdditiveAttention``: Bahdanau-style attention over ``[query, value, key]``."""

from __future__ import annotations

from typing import Any

import torch

from fitorch.layers.attention.attention import CALL_AND_SHAPES, Attention, Shape
from fitorch.utils.docstrings import fill_doc


@fill_doc(call_and_shapes=CALL_AND_SHAPES)
class AdditiveAttention(Attention):
    """Additive attention, a.k.a. Bahdanau-style attention, on ``[query, value]`` or ``[query, value, key]``.

    Use it where the query and key should interact through a non-linearity rather
    than a dot product (the classic sequence-to-sequence attention). The scores are
    ``sum(scale * tanh(query + key), axis=-1)``, with a learned per-feature
    ``scale``; their softmax over the value steps mixes ``value``. It builds a
    ``(batch, Tq, Tv, dim)`` intermediate, so prefer ``Attention`` for long
    sequences.

    Args:
        use_scale: whether to learn the per-feature ``scale`` (default ``True``);
            without it the scores are ``sum(tanh(query + key), axis=-1)``.
        dropout: float in ``[0, 1)``, dropout rate on the attention weights while
            training (default ``0.0``).
        seed: optional int seeding that dropout.

    {call_and_shapes}

    Weights:
        ``scale`` of shape ``(dim,)`` (Glorot-uniform) when ``use_scale``.

    Example:
        >>> import torch
        >>> from fitorch.layers.attention import AdditiveAttention
        >>> layer = AdditiveAttention()
        >>> layer([torch.randn(2, 5, 8), torch.randn(2, 7, 8)]).shape
        torch.Size([2, 5, 8])
        >>> layer.scale.shape
        torch.Size([8])
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(use_scale=use_scale, score_mode="concat", dropout=dropout, seed=seed, **kwargs)

    def build(self, input_shape: list[Shape]) -> None:
        self._validate_inputs(input_shape)
        dim = input_shape[0][-1]
        if dim is None:
            raise ValueError(
                f"AdditiveAttention {self.name!r}: the query's last axis must be known; received shape "
                f"{tuple(input_shape[0])}."
            )
        if self.use_scale:
            self.add_weight("scale", (dim,), "glorot_uniform")
        else:
            self.scale = None
        self.concat_score_weight = None

    def _calculate_scores(self, query: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        # (B, Tq, 1, dim) + (B, 1, Tv, dim) -> (B, Tq, Tv, dim) -> (B, Tq, Tv)
        features = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))
        if self.scale is not None:
            features = self.scale * features
        return features.sum(dim=-1)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["score_mode"]
        return config
