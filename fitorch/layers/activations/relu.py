"""``ReLU``: the rectified linear unit, with Keras' optional cap, slope and threshold."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.layers.activations.base_activation import CALL_ARGUMENTS, SAME_SHAPE, BaseActivation
from fitorch.utils.docstrings import fill_doc


@fill_doc(call_arguments=CALL_ARGUMENTS, same_shape=SAME_SHAPE)
class ReLU(BaseActivation):
    """Rectified linear unit, with an optional cap, leak and threshold.

    ``f(x) = max_value`` for ``x >= max_value``, ``x`` for
    ``threshold < x < max_value`` and ``negative_slope * (x - threshold)``
    otherwise. With the defaults it is ``max(x, 0)``; ``max_value=6`` gives ReLU6.

    Args:
        max_value: float >= 0, the largest output, or ``None`` (default, no cap).
        negative_slope: float >= 0, the slope below the threshold (default ``0.0``).
        threshold: float >= 0, the input below which the unit is inactive (default ``0.0``).

    {call_arguments}

    {same_shape}

    Example:
        >>> import torch
        >>> from fitorch.layers.activations import ReLU
        >>> ReLU(max_value=10, negative_slope=0.5)(torch.tensor([-10.0, -5.0, 0.0, 5.0, 10.0, 20.0]))
        tensor([-5.0000, -2.5000,  0.0000,  5.0000, 10.0000, 10.0000])
        >>> ReLU(threshold=5.0)(torch.tensor([4.0, 5.0, 6.0]))
        tensor([0., 0., 6.])
    """

    def __init__(
        self,
        max_value: float | None = None,
        negative_slope: float = 0.0,
        threshold: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if max_value is not None:
            max_value = self._float_argument("max_value", max_value, non_negative=True, alternative="or None")
        self.max_value = max_value
        self.negative_slope = self._float_argument("negative_slope", negative_slope, non_negative=True)
        self.threshold = self._float_argument("threshold", threshold, non_negative=True)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        slope, cap, threshold = self.negative_slope, self.max_value, self.threshold
        if slope == 0.0 and threshold == 0.0:
            if cap is None:
                return F.relu(inputs)
            if cap == 6.0:
                return F.relu6(inputs)
        if slope != 0.0 and cap is None and threshold == 0.0:
            return F.leaky_relu(inputs, slope)
        # The general case, in Keras' order: threshold, then cap, then the leak below the threshold.
        if threshold != 0.0:
            outputs = torch.where(inputs > threshold, inputs, 0.0)
        else:
            outputs = F.relu(inputs)
        if cap is not None:
            outputs = outputs.clamp(0.0, cap)
        if slope != 0.0:
            outputs = outputs - slope * F.relu(threshold - inputs)
        return outputs

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }
