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

from collections.abc import Callable

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
]:
    _REGISTRY.register(_names, _fn)


def get(identifier: str | Activation | None) -> Activation:
    """Returns the activation function for a Keras name, a callable, or ``None`` (linear).

    Raises:
        ValueError: for an unknown name (the message suggests close names).
        TypeError: for anything that is neither a string, a callable nor ``None``.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return _REGISTRY.lookup(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(
        f"activation: expected a name such as 'relu', a callable or None; received {identifier!r} "
        f"of type {type(identifier).__name__}."
    )


def serialize(activation: Activation) -> str | None:
    """Returns the registered name of ``activation``, or ``None`` when it has none."""
    for name in _REGISTRY.names():
        if _REGISTRY.lookup(name) is activation:
            return name
    return None
