"""``BasePooling``: the shared parent of the max and average pooling layers.

It validates the Keras arguments and runs torch's fused pooling kernels
(``F.max_pool*``/``F.avg_pool*``) on a copy-free channels-first view of the input
(see ``fitorch.layers.convolutional.padding``).

How ``padding='same'`` behaves at the borders follows Keras 3 on its torch backend
(``keras/src/backend/torch/nn.py``, checked against Keras 3.15), our numeric oracle:

* The ``'same'`` padding is TensorFlow's: ``pad_total = max((ceil(n / s) - 1) * s + k - n, 0)``,
  ``before = pad_total // 2``, ``after = pad_total - before``.
* When every spatial axis is padded symmetrically, the padding is handed to torch's
  kernel. Max pooling then pads with ``-inf``, and average pooling uses
  ``count_include_pad=False``: padded positions are **not** counted, so a border window
  averages only the real values (as in TensorFlow). ``AveragePooling1D(3, 1, 'same')``
  on ``[1, 2, 3, 4, 5, 6]`` gives ``[1.5, 2, 3, 4, 5, 5.5]``.
* When any axis needs asymmetric padding (``stride > 1`` with an odd total, or an
  even ``pool_size`` with ``stride 1``), Keras pads **every** axis explicitly with
  ``mode='replicate'``, and the copies of the edge values **are** counted by average
  pooling. ``AveragePooling1D(3, 2, 'same')`` on ``[1, ..., 6]`` gives
  ``[2, 4, 5.667]`` (the last window is ``[5, 6, 6]``), where TensorFlow gives
  ``[2, 4, 5.5]``; ``AveragePooling1D(4, 1, 'same')`` starts with
  ``(1 + 1 + 2 + 3) / 4 = 1.75``. fitorch does the same, so it matches Keras' torch
  backend, not TensorFlow, in these cases.
* For max pooling, replicated edge values never change a maximum (every window that
  reaches the padding also holds the edge value it copies), so the asymmetric case
  pads with ``-inf`` here, which gives the same numbers as Keras.

Copies: with ``channels_last`` inputs the kernels run on channels_last-memory views, so
the layer itself copies nothing. torch's CPU ``avg_pool3d`` has no channels_last_3d
kernel and makes a contiguous copy of its input internally (``max_pool3d`` does not).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.convolutional import spatial_docs
from fitorch.layers.convolutional.base_conv import BaseSpatialLayer
from fitorch.layers.convolutional.padding import (
    apply_padding,
    from_channels_first,
    lift,
    normalize_padding,
    normalize_tuple,
    padding_pairs,
    standardize_data_format,
    to_channels_first,
)
from fitorch.layers.input_spec import InputSpec

Shape = tuple[int | None, ...]

_MAX_POOL = {3: F.max_pool1d, 4: F.max_pool2d, 5: F.max_pool3d}
_AVG_POOL = {3: F.avg_pool1d, 4: F.avg_pool2d, 5: F.avg_pool3d}

_PADDING = {
    "max": "``'valid'`` (default) or ``'same'``; ``'same'`` pads with ``-inf``,\nso padding never wins a window.",
    "average": (
        "``'valid'`` (default) or ``'same'``; at the borders it matches\n"
        "Keras' torch backend (see ``base_pooling``): symmetric padding is not\n"
        "counted in the mean, asymmetric padding repeats the edge values."
    ),
}

_POOLED = """, where
    ``pooled = ceil(size / stride)`` for ``'same'`` and
    ``floor((size - pool_size) / stride) + 1`` for ``'valid'``"""


def pooling_docs(rank: int, pool_mode: str) -> dict[str, str]:
    """The ``sections`` (``Args``, ``Input shape``, ``Output shape``) of ``{Max,Average}Pooling{rank}D``.

    Example:
        >>> print(pooling_docs(2, "max")["sections"].splitlines()[1])
            pool_size: int or tuple of 2 ints, the window height and width (default 2).
    """
    args = spatial_docs.args(
        rank,
        ["pool_size", "strides", "padding", "data_format"],
        pool_size="int or tuple of {ints}, the window {axes} (default 2).",
        strides="int or tuple of {ints}; default ``None`` means ``pool_size``.",
        padding=_PADDING[pool_mode],
    )
    shapes = f"{spatial_docs.input_shape(rank)}\n\n{spatial_docs.output_shape(rank, 'pooled_', where=_POOLED)}"
    return {"sections": f"{args}\n\n{shapes}"}


class BasePooling(BaseSpatialLayer):
    """Abstract N-D pooling: the max or the mean of each window.

    Args:
        pool_size: int or tuple of ``rank`` ints, the window size (default 2).
        strides: int or tuple of ``rank`` ints; default ``None`` means ``pool_size``.
        padding: ``'valid'`` (default) or ``'same'`` (see the module docstring).
        data_format: ``'channels_last'`` or ``'channels_first'``; default
            ``fitorch.config.image_data_format()``.
    """

    pool_mode: str = "max"  # or "average"

    def __init__(
        self,
        pool_size: int | tuple[int, ...] = 2,
        strides: int | tuple[int, ...] | None = None,
        padding: str = "valid",
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = self._owner
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size", owner)
        strides = pool_size if strides is None else strides
        self.strides = normalize_tuple(strides, self.rank, "strides", owner)
        self.padding = normalize_padding(padding, ("valid", "same"), owner)
        self.data_format = standardize_data_format(data_format, owner)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def build(self, input_shape: Shape) -> None:
        self.compute_output_shape(input_shape)  # rejects inputs smaller than the window

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        # (B, *S, C) -> (B, C, *S), a view; a 1-D channels_last input becomes (B, C, 1, T)
        x = to_channels_first(inputs, self.data_format, self.rank)
        pool_size, strides = lift(self.pool_size, x), lift(self.strides, x)
        pairs = padding_pairs(self.padding, tuple(x.shape[2:]), pool_size, strides, (1,) * len(pool_size))
        if self.pool_mode == "max":
            x, padding = apply_padding(x, pairs, value=float("-inf"))
            outputs = _MAX_POOL[x.ndim](x, pool_size, strides, padding)
        else:
            x, padding = apply_padding(x, pairs, mode="replicate")  # as Keras' torch backend does
            outputs = _AVG_POOL[x.ndim](x, pool_size, strides, padding, count_include_pad=False)
        return from_channels_first(outputs, self.data_format, self.rank)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        input_shape = tuple(input_shape)
        sizes = self._window_sizes(input_shape, self.pool_size, self.strides, (1,) * self.rank)
        if any(size is not None and size <= 0 for size in sizes):
            raise ValueError(
                f"{self._owner}: the input is smaller than pool_size={self.pool_size} with padding='valid': "
                f"expected spatial sizes >= {self.pool_size}, received input shape {input_shape}. "
                "Use padding='same' or a smaller pool_size."
            )
        return self._with_spatial(input_shape, sizes, input_shape[self._channel_axis])

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
        }

    def extra_repr(self) -> str:
        return (
            f"name={self.name!r}, pool_size={self.pool_size}, strides={self.strides}, "
            f"padding={self.padding!r}, data_format={self.data_format!r}"
        )
