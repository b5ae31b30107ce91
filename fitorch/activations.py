"""Activation functions by Keras name, computed with torch's fused ops.

Keras defaults are kept: ``leaky_relu`` has ``negative_slope=0.2`` and ``gelu`` is the
exact (erf) form, as in Keras 3.

Example:
    >>> import torch
    >>> get("relu")(torch.tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    >>> get(None)(torch.tensor([-1.0])).tolist()
    [-1.0]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch
import torch.nn.functional as F

from fitorch.utils.registry import Registry

Activation = Callable[[torch.Tensor], torch.Tensor]


def linear(x: torch.Tensor) -> torch.Tensor:
    """Identity, Keras' ``'linear'`` (also what ``None`` means)."""
    return x


# The commonest activations are torch's own builtins rather than Python wrappers: a layer's call then
# costs no extra Python frame (about 4% of a 20-layer Dense model's forward on CPU,
# benchmarks/functional_overhead.py). ``max(x, 0)``:
relu = torch.relu


# ``1 / (1 + exp(-x))`` (a torch builtin, as ``relu``):
sigmoid = torch.sigmoid


def softmax(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Softmax over ``axis`` (the last by default)."""
    return torch.softmax(x, dim=axis)


def log_softmax(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Log-softmax over ``axis``."""
    return torch.log_softmax(x, dim=axis)


# Hyperbolic tangent (a torch builtin, as ``relu``):
tanh = torch.tanh


def _elementwise(name: str, function: Activation, doc: str) -> Activation:
    """The activation ``name(x)``: torch's ``function`` of ``x``, its other arguments left at their defaults."""

    def activation(x: torch.Tensor) -> torch.Tensor:
        return function(x)

    activation.__name__ = activation.__qualname__ = name
    activation.__doc__ = doc
    return activation


relu6 = _elementwise("relu6", F.relu6, "``min(max(x, 0), 6)``.")
hard_sigmoid = _elementwise("hard_sigmoid", F.hardsigmoid, "Keras 3's hard sigmoid, ``relu6(x + 3) / 6``.")
hard_silu = _elementwise("hard_silu", F.hardswish, "Keras 3's hard SiLU (``hard_swish``), ``x * relu6(x + 3) / 6``.")
silu = _elementwise("silu", F.silu, "``x * sigmoid(x)``, also called swish.")
selu = _elementwise("selu", F.selu, "Scaled exponential linear unit.")
softplus = _elementwise("softplus", F.softplus, "``log(exp(x) + 1)``.")
softsign = _elementwise("softsign", F.softsign, "``x / (abs(x) + 1)``.")
exponential = _elementwise("exponential", torch.exp, "``exp(x)``.")
mish = _elementwise("mish", F.mish, "``x * tanh(softplus(x))``.")


def gelu(x: torch.Tensor, approximate: bool = False) -> torch.Tensor:
    """Gaussian error linear unit; the exact erf form unless ``approximate``."""
    return F.gelu(x, approximate="tanh" if approximate else "none")


def elu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    """Exponential linear unit."""
    return F.elu(x, alpha=alpha)


def leaky_relu(x: torch.Tensor, negative_slope: float = 0.2) -> torch.Tensor:
    """Leaky ReLU with Keras' default ``negative_slope=0.2``."""
    return F.leaky_relu(x, negative_slope=negative_slope)


def _ops() -> Any:
    """``fitorch.ops.nn``, imported on first use: ``fitorch.ops`` imports the layers, which import this module."""
    from fitorch.ops import nn

    return nn


def celu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    """Continuously differentiable ELU: ``max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))``.

    Example:
        >>> import torch
        >>> celu(torch.tensor([-1.0, 2.0]), alpha=2.0).tolist()  # doctest: +ELLIPSIS
        [-0.786..., 2.0]
    """
    return _ops().celu(x, alpha=alpha)


def glu(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Gated linear unit: ``a * sigmoid(b)``, where ``a`` and ``b`` are the two halves of ``x`` along ``axis``.

    Raises:
        ValueError: when the size of ``axis`` is odd.

    Example:
        >>> import torch
        >>> glu(torch.tensor([[1.0, 2.0, 0.0, 0.0]])).tolist()
        [[0.5, 1.0]]
    """
    x = torch.as_tensor(x)
    if x.ndim == 0 or x.shape[axis] % 2:
        size = "a scalar" if x.ndim == 0 else f"size {x.shape[axis]}"
        raise ValueError(
            f"activations.glu: axis={axis} must have an even size (it is split in two halves); received "
            f"{size}, shape {tuple(x.shape)}."
        )
    return _ops().glu(x, axis=axis)


def hard_shrink(x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """``x`` where ``|x| > threshold``, else 0.

    Example:
        >>> import torch
        >>> hard_shrink(torch.tensor([-1.0, 0.2, 0.7])).tolist()
        [-1.0, 0.0, 0.699999988079071]
    """
    return _ops().hard_shrink(x, threshold=threshold)


def hard_tanh(x: torch.Tensor) -> torch.Tensor:
    """``x`` clipped to ``[-1, 1]``.

    Example:
        >>> import torch
        >>> hard_tanh(torch.tensor([-3.0, 0.5, 2.0])).tolist()
        [-1.0, 0.5, 1.0]
    """
    return _ops().hard_tanh(x)


def log_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """``log(sigmoid(x))``, computed stably (``-softplus(-x)``).

    Example:
        >>> import torch
        >>> round(log_sigmoid(torch.tensor([0.0])).item(), 4)
        -0.6931
    """
    return _ops().log_sigmoid(x)


def soft_shrink(x: torch.Tensor, threshold: float = 0.5) -> torch.Tensor:
    """``x`` moved toward 0 by ``threshold``; 0 where ``|x| <= threshold``.

    Example:
        >>> import torch
        >>> soft_shrink(torch.tensor([-1.0, 0.2, 1.5])).tolist()
        [-0.5, 0.0, 1.0]
    """
    return _ops().soft_shrink(x, threshold=threshold)


def sparse_plus(x: torch.Tensor) -> torch.Tensor:
    """0 for ``x <= -1``, ``x`` for ``x >= 1``, ``(x + 1)**2 / 4`` between.

    Example:
        >>> import torch
        >>> sparse_plus(torch.tensor([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.25, 2.0]
    """
    return _ops().sparse_plus(x)


def sparse_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """0 for ``x <= -1``, 1 for ``x >= 1``, ``(x + 1) / 2`` between.

    Example:
        >>> import torch
        >>> sparse_sigmoid(torch.tensor([-2.0, 0.0, 2.0])).tolist()
        [0.0, 0.5, 1.0]
    """
    return _ops().sparse_sigmoid(x)


def sparsemax(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    """Sparsemax (Martins & Astudillo, 2016): the projection of ``x`` onto the simplex along ``axis``.

    The outputs sum to 1 along ``axis``, as in Keras' JAX/NumPy backends; Keras 3.15's torch
    backend sums the wrong cumulative sums for the threshold and returns other numbers.

    Example:
        >>> import torch
        >>> sparsemax(torch.tensor([[1.0, 0.0, 3.0]])).tolist()
        [[0.0, 0.0, 1.0]]
    """
    return _ops().sparsemax(x, axis=axis)


def squareplus(x: torch.Tensor, b: float = 4) -> torch.Tensor:
    """``(x + sqrt(x**2 + b)) / 2``, a smooth approximation of ReLU.

    Raises:
        ValueError: when ``b`` is negative.

    Example:
        >>> import torch
        >>> squareplus(torch.tensor([0.0, 1.5])).tolist()
        [1.0, 2.0]
    """
    if isinstance(b, (int, float)) and b < 0:
        raise ValueError(f"activations.squareplus: b must be non-negative; received b={b!r}.")
    return _ops().squareplus(x, b=b)


def tanh_shrink(x: torch.Tensor) -> torch.Tensor:
    """``x - tanh(x)``.

    Example:
        >>> import torch
        >>> tanh_shrink(torch.tensor([0.0])).tolist()
        [0.0]
    """
    return _ops().tanh_shrink(x)


def threshold(x: torch.Tensor, threshold: float, default_value: float) -> torch.Tensor:
    """``x`` where ``x > threshold``, else ``default_value``.

    Both ``threshold`` and ``default_value`` are required, as in Keras; as a string
    activation (``"threshold"``) the function is therefore only usable by direct call.

    Example:
        >>> import torch
        >>> threshold(torch.tensor([-1.0, 0.5, 2.0]), threshold=0.5, default_value=-9.0).tolist()
        [-9.0, -9.0, 2.0]
    """
    return _ops().threshold(x, threshold, default_value)


# Keras' aliases: the same function objects, so they serialize as "silu" and "hard_silu", as in Keras.
swish = silu
hard_swish = hard_silu


_REGISTRY = Registry("activation")
for _names, _fn in [
    ("linear", linear),
    ("relu", relu),
    ("relu6", relu6),
    ("sigmoid", sigmoid),
    ("hard_sigmoid", hard_sigmoid),
    (("hard_silu", "hard_swish"), hard_silu),
    ("softmax", softmax),
    ("log_softmax", log_softmax),
    ("tanh", tanh),
    ("gelu", gelu),
    (("silu", "swish"), silu),
    ("elu", elu),
    ("selu", selu),
    ("softplus", softplus),
    ("softsign", softsign),
    ("leaky_relu", leaky_relu),
    ("exponential", exponential),
    ("mish", mish),
    ("celu", celu),
    ("glu", glu),
    ("hard_shrink", hard_shrink),
    ("hard_tanh", hard_tanh),
    ("log_sigmoid", log_sigmoid),
    ("soft_shrink", soft_shrink),
    ("sparse_plus", sparse_plus),
    ("sparse_sigmoid", sparse_sigmoid),
    ("sparsemax", sparsemax),
    ("squareplus", squareplus),
    ("tanh_shrink", tanh_shrink),
    ("threshold", threshold),
]:
    _REGISTRY.register(_names, _fn)


def get(identifier: str | Activation | None) -> Activation:
    """Returns the activation function for a Keras name, a config dict, a callable, or ``None`` (linear).

    Raises:
        ValueError: for an unknown name (the message suggests close names).
        TypeError: for anything that is neither a string, a callable nor ``None``.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return _REGISTRY.lookup(identifier)
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(
        f"activation: expected a name such as 'relu', a serialized config dict, a callable or None; "
        f"received {identifier!r} of type {type(identifier).__name__}."
    )


def serialize(activation: Activation) -> str | None:
    """Returns the registered name of ``activation``, or ``None`` when it has none."""
    for name in _REGISTRY.names():
        if _REGISTRY.lookup(name) is activation:
            return name
    return None


def deserialize(config: str | dict[str, Any], custom_objects: Mapping[str, Any] | None = None) -> Activation:
    """Returns the activation function a name or a serialized config describes, as ``keras.activations.deserialize``.

    Names are looked up in ``custom_objects`` (and registered custom objects) first, then
    among fitorch's activations (``"swish"`` and ``"hard_swish"`` included). A dict is Keras'
    ``{"class_name": "function", "config": name, ...}`` entry, or any other serialized object.

    Args:
        config: an activation name or a serialized config dict.
        custom_objects: your own functions by name.

    Returns:
        The activation function.

    Raises:
        ValueError: for an unknown name (Keras returns the string unchanged instead).
        TypeError: for a config that is neither a string nor a dict, or an unknown function in a dict.

    Example:
        >>> deserialize("swish") is silu
        True
        >>> deserialize({"module": "builtins", "class_name": "function", "config": "celu",
        ...              "registered_name": "function"}) is celu
        True
    """
    from fitorch.utils.custom_objects import get_registered_object
    from fitorch.utils.serialization_lib import deserialize_keras_object

    if isinstance(config, str):
        found = get_registered_object(config, dict(custom_objects or {}))
        return found if found is not None else _REGISTRY.lookup(config)
    if isinstance(config, dict):
        return deserialize_keras_object(config, custom_objects=custom_objects)
    raise TypeError(
        f"activations.deserialize: expected an activation name or a config dict; received {config!r} "
        f"of type {type(config).__name__}."
    )
