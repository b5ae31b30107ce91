"""Attention layers: ``MultiHeadAttention``, ``GroupQueryAttention``, ``Attention`` and ``AdditiveAttention``."""

from fitorch.layers.attention.additive_attention import AdditiveAttention as AdditiveAttention
from fitorch.layers.attention.attention import Attention as Attention
from fitorch.layers.attention.grouped_query_attention import GroupQueryAttention as GroupQueryAttention
from fitorch.layers.attention.multi_head_attention import MultiHeadAttention as MultiHeadAttention

__all__ = ["AdditiveAttention", "Attention", "GroupQueryAttention", "MultiHeadAttention"]
