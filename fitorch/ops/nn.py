"""Neural-network ops (``keras.ops.nn``): activations, losses, normalization, encodings.

Each is the torch function Keras' torch backend uses; int inputs become ``floatx()``.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> ops.softmax(torch.tensor([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    >>> ops.one_hot(torch.tensor([2, 0]), 3).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from fitorch import config
from fitorch.ops.dtypes import convert, to_float, to_torch_dtype
from fitorch.ops.registry import generated_op, keras_op

Activation = Callable[..., torch.Tensor]


def _activation(name: str, function: Activation, doc: str, keep_ints: bool = False) -> Activation:
    def op(x: Any, *args: Any, **kwargs: Any) -> torch.Tensor:
        x = convert(x)
        return function(x if keep_ints else to_float(x), *args, **kwargs)

    return generated_op(name, op, doc)


def _sparse_plus(x: torch.Tensor) -> torch.Tensor:
    return torch.where(x <= -1, torch.zeros_like(x), torch.where(x >= 1, x, (x + 1) ** 2 / 4))


def _sparsemax(x: torch.Tensor, axis: int = -1) -> torch.Tensor:
    # Martins & Astudillo (2016): project onto the simplex along `axis`.
    z = torch.movedim(x, axis, -1)
    z_sorted = torch.sort(z, dim=-1, descending=True).values
    k = torch.arange(1, z.shape[-1] + 1, dtype=z.dtype, device=z.device)
    cumulative = torch.cumsum(z_sorted, dim=-1)
    support = (1 + k * z_sorted) > cumulative
    k_z = torch.sum(support, dim=-1, keepdim=True)
    tau = (torch.gather(cumulative, -1, k_z - 1) - 1) / k_z.to(z.dtype)
    return torch.movedim(torch.clamp(z - tau, min=0), -1, axis)


relu = _activation("relu", F.relu, "``max(x, 0)``.", keep_ints=True)
relu6 = _activation("relu6", lambda x: torch.clamp(x, 0, 6), "``min(max(x, 0), 6)``.", keep_ints=True)
sigmoid = _activation("sigmoid", torch.sigmoid, "``1 / (1 + exp(-x))``.")
softplus = _activation("softplus", F.softplus, "``log(1 + exp(x))``.")
softsign = _activation("softsign", F.softsign, "``x / (1 + |x|)``.")
silu = _activation("silu", F.silu, "``x * sigmoid(x)``.")
swish = _activation("swish", F.silu, "``x * sigmoid(x)`` (the same as ``silu``).")
hard_sigmoid = _activation("hard_sigmoid", lambda x: F.relu6(x + 3) / 6, "``relu6(x + 3) / 6``.")
hard_silu = _activation("hard_silu", lambda x: x * F.relu6(x + 3) / 6, "``x * hard_sigmoid(x)``.")
hard_swish = _activation("hard_swish", lambda x: x * F.relu6(x + 3) / 6, "``x * hard_sigmoid(x)``.")
hard_tanh = _activation("hard_tanh", F.hardtanh, "``x`` clipped to ``[-1, 1]``.")
log_sigmoid = _activation("log_sigmoid", F.logsigmoid, "``log(sigmoid(x))``, computed stably.")
selu = _activation("selu", F.selu, "The scaled ELU of Klambauer et al. (2017).")
tanh_shrink = _activation("tanh_shrink", F.tanhshrink, "``x - tanh(x)``.")
sparse_plus = _activation("sparse_plus", _sparse_plus, "0 below -1, ``x`` above 1, ``(x + 1)**2 / 4`` between.")
sparse_sigmoid = _activation(
    "sparse_sigmoid", lambda x: torch.clamp((x + 1) / 2, 0, 1), "0 below -1, 1 above 1, ``(x + 1) / 2`` between."
)
elu = _activation("elu", lambda x, alpha=1.0: F.elu(x, alpha), "``x`` if positive, else ``alpha * (exp(x) - 1)``.")
celu = _activation(
    "celu", lambda x, alpha=1.0: F.celu(x, alpha), "``max(x, 0) + min(0, alpha * (exp(x / alpha) - 1))``."
)
leaky_relu = _activation(
    "leaky_relu",
    lambda x, negative_slope=0.2: F.leaky_relu(x, negative_slope),
    "``x`` if positive, else ``slope * x``.",
)
gelu = _activation(
    "gelu", lambda x, approximate=True: F.gelu(x, approximate="tanh" if approximate else "none"),
    "The Gaussian error linear unit (the tanh approximation by default, as in Keras).",
)  # fmt: skip
glu = _activation("glu", lambda x, axis=-1: F.glu(x, dim=axis), "Gated linear unit: ``a * sigmoid(b)`` of two halves.")
hard_shrink = _activation(
    "hard_shrink", lambda x, threshold=0.5: F.hardshrink(x, threshold), "0 where |x| <= threshold."
)
soft_shrink = _activation(
    "soft_shrink", lambda x, threshold=0.5: F.softshrink(x, threshold), "``x`` moved toward 0 by ``threshold``."
)
squareplus = _activation("squareplus", lambda x, b=4: (x + torch.sqrt(x * x + b)) / 2, "``(x + sqrt(x**2 + b)) / 2``.")
softmax = _activation("softmax", lambda x, axis=-1: _over_axes(F.softmax, x, axis), "The softmax along ``axis``.")
log_softmax = _activation(
    "log_softmax", lambda x, axis=-1: _over_axes(F.log_softmax, x, axis), "The log of the softmax along ``axis``."
)
sparsemax = _activation("sparsemax", _sparsemax, "The sparse softmax of Martins & Astudillo (2016) along ``axis``.")


def _over_axes(function: Activation, x: torch.Tensor, axis: Any) -> torch.Tensor:
    if axis is None or not isinstance(axis, int):
        axes = tuple(range(x.ndim)) if axis is None else tuple(a % x.ndim for a in axis)
        rest = [d for d in range(x.ndim) if d not in axes]
        moved = x.permute(*rest, *axes)
        flat = function(moved.reshape(*moved.shape[: len(rest)], -1), dim=-1).reshape(moved.shape)
        order = [*rest, *axes]
        return flat.permute(*sorted(range(x.ndim), key=order.index))
    return function(x, dim=axis)


@keras_op()
def threshold(x: Any, threshold: float, default_value: float) -> torch.Tensor:
    """``x`` where it is above ``threshold``, else ``default_value``."""
    return F.threshold(to_float(convert(x)), threshold, default_value)


# ---------------------------------------------------------------------- encodings
@keras_op()
def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None, sparse: bool = False) -> torch.Tensor:
    """One-hot vectors of int ``x`` along a new ``axis``; out-of-range values give zero vectors."""
    if sparse:
        raise ValueError("ops.one_hot: sparse=True is not supported by fitorch.")
    if not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"ops.one_hot: num_classes must be a positive int; received num_classes={num_classes!r}.")
    x = convert(x)
    classes = torch.arange(num_classes, device=x.device)
    encoded = (x.unsqueeze(-1) == classes).to(to_torch_dtype(dtype) if dtype else config.floatx_dtype())
    return torch.movedim(encoded, -1, axis) if axis != -1 else encoded


@keras_op()
def multi_hot(inputs: Any, num_classes: int | None = None, axis: int = -1, dtype: Any = None,
              sparse: bool = False, **kwargs: Any) -> torch.Tensor:  # fmt: skip
    """Multi-hot vectors: 1 for each class present in the last axis of ``inputs``."""
    num_classes = kwargs.pop("num_tokens", num_classes)
    if num_classes is None:
        raise ValueError("ops.multi_hot: num_classes is required.")
    encoded = one_hot.__wrapped__(inputs, num_classes, -1, dtype, sparse)
    reduced = torch.amax(encoded, dim=-2) if encoded.ndim > 1 else encoded
    return torch.movedim(reduced, -1, axis) if axis != -1 else reduced


# ---------------------------------------------------------------------- losses
def _same_shape(target: torch.Tensor, output: torch.Tensor, op: str) -> None:
    if target.shape != output.shape:
        raise ValueError(f"ops.{op}: target and output must have the same shape; received "
                         f"target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}.")  # fmt: skip


@keras_op()
def categorical_crossentropy(target: Any, output: Any, from_logits: bool = False, axis: int = -1) -> torch.Tensor:
    """Crossentropy between one-hot (or soft) ``target`` and probabilities (or logits) ``output``."""
    output = to_float(convert(output))
    target = convert(target, like=output)
    _same_shape(target, output, "categorical_crossentropy")
    if from_logits:
        log_prob = F.log_softmax(output, dim=axis)
    else:
        output = output / torch.sum(output, dim=axis, keepdim=True)
        log_prob = torch.log(torch.clamp(output, config.epsilon(), 1.0 - config.epsilon()))
    return -torch.sum(target * log_prob, dim=axis)


@keras_op()
def sparse_categorical_crossentropy(
    target: Any, output: Any, from_logits: bool = False, axis: int = -1
) -> torch.Tensor:
    """Crossentropy between int class ``target`` and probabilities (or logits) ``output``."""
    output = to_float(convert(output))
    target = convert(target, like=output).long()
    if target.ndim == output.ndim and target.shape[axis] == 1:
        target = torch.squeeze(target, dim=axis)
    expected = list(output.shape)
    del expected[axis]
    if list(target.shape) != expected:
        raise ValueError(
            "ops.sparse_categorical_crossentropy: target must have output's shape without the class axis; "
            f"received target.shape={tuple(target.shape)}, output.shape={tuple(output.shape)}."
        )
    class_axis = axis % output.ndim
    if output.ndim == 1:
        output, target = output[None], target[None]
    elif class_axis != 1:
        output = torch.movedim(output, class_axis, 1)
    if from_logits:
        result = F.cross_entropy(output, target, reduction="none")
    else:
        output = output / torch.sum(output, dim=1, keepdim=True)
        log_prob = torch.log(torch.clamp(output, config.epsilon(), 1.0 - config.epsilon()))
        result = F.nll_loss(log_prob, target, reduction="none")
    return result[0] if len(expected) == 0 else result


@keras_op()
def binary_crossentropy(target: Any, output: Any, from_logits: bool = False) -> torch.Tensor:
    """Elementwise binary crossentropy between ``target`` and probabilities (or logits) ``output``."""
    output = to_float(convert(output))
    target = convert(target, like=output).to(output.dtype)
    _same_shape(target, output, "binary_crossentropy")
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    output = torch.clamp(output, config.epsilon(), 1.0 - config.epsilon())
    return F.binary_cross_entropy(output, target, reduction="none")


# ---------------------------------------------------------------------- normalization
@keras_op()
def moments(x: Any, axes: Sequence[int], keepdims: bool = False, synchronized: bool = False) -> tuple[Any, Any]:
    """The mean and (population) variance of ``x`` over ``axes``."""
    if synchronized:
        raise ValueError("ops.moments: synchronized=True is not supported by fitorch; reduce across replicas "
                         "with torch.distributed.")  # fmt: skip
    x = to_float(convert(x))
    dtype = x.dtype
    if dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    axes = tuple(axes) if not isinstance(axes, int) else (axes,)
    mean = torch.mean(x, dim=axes, keepdim=True)
    variance = torch.mean(torch.square(x - mean), dim=axes, keepdim=True)
    if not keepdims:
        mean, variance = torch.squeeze(mean, axes), torch.squeeze(variance, axes)
    if dtype in (torch.float16, torch.bfloat16):
        info = torch.finfo(dtype)
        mean, variance = torch.clamp(mean, info.min, info.max), torch.clamp(variance, info.min, info.max)
    return mean.to(dtype), variance.to(dtype)


@keras_op()
def batch_normalization(x: Any, mean: Any, variance: Any, axis: int, offset: Any = None, scale: Any = None,
                        epsilon: float = 1e-3) -> torch.Tensor:  # fmt: skip
    """``(x - mean) / sqrt(variance + epsilon) * scale + offset``, the 1D statistics along ``axis``."""
    x = convert(x)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]

    def along(value: Any) -> torch.Tensor:
        return convert(value, like=x).reshape(shape)

    inverse = torch.rsqrt(along(variance) + epsilon)
    if scale is not None:
        inverse = inverse * along(scale)
    result = (x - along(mean)) * inverse
    return result + along(offset) if offset is not None else result


@keras_op()
def normalize(x: Any, axis: int = -1, order: int = 2, epsilon: float | None = None) -> torch.Tensor:
    """``x / max(norm(x), epsilon)`` along ``axis`` (``order`` picks the norm)."""
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"ops.normalize: order must be an int >= 1; received order={order!r}.")
    x = to_float(convert(x))
    if x.ndim == 0:
        x = x[None]
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:
        inverse = torch.rsqrt(torch.sum(torch.square(x), dim=axis, keepdim=True))
        return x * torch.clamp(inverse, max=1.0 / epsilon)
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=epsilon)


@keras_op()
def layer_normalization(x: Any, gamma: Any = None, beta: Any = None, axis: int = -1, epsilon: float | None = None,
                        **kwargs: Any) -> torch.Tensor:  # fmt: skip
    """Normalizes ``x`` over ``axis`` to mean 0 and variance 1, then scales by ``gamma`` and shifts by ``beta``."""
    x = to_float(convert(x))
    epsilon = config.epsilon() if epsilon is None else epsilon
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    mean = torch.mean(x, dim=axes, keepdim=True)
    variance = torch.var(x, dim=axes, keepdim=True, correction=0)
    result = (x - mean) * torch.rsqrt(variance + epsilon)
    if gamma is not None:
        result = result * convert(gamma, like=x)
    return result + convert(beta, like=x) if beta is not None else result


@keras_op()
def rms_normalization(x: Any, scale: Any = None, axis: int = -1, epsilon: float | None = None) -> torch.Tensor:
    """``x / sqrt(mean(x**2) + epsilon)`` over ``axis``, times ``scale``."""
    x = to_float(convert(x))
    epsilon = config.epsilon() if epsilon is None else epsilon
    result = x * torch.rsqrt(torch.mean(torch.square(x), dim=axis, keepdim=True) + epsilon)
    return result * convert(scale, like=x) if scale is not None else result


@keras_op()
def psnr(x1: Any, x2: Any, max_val: float) -> torch.Tensor:
    """The peak signal-to-noise ratio between two images, in dB."""
    x1 = to_float(convert(x1))
    x2 = convert(x2, like=x1).to(x1.dtype)
    if x1.shape != x2.shape:
        raise ValueError(f"ops.psnr: x1 and x2 must have the same shape; received {tuple(x1.shape)} and "
                         f"{tuple(x2.shape)}.")  # fmt: skip
    mse = torch.mean(torch.square(x1 - x2))
    return 20 * torch.log10(torch.as_tensor(max_val, dtype=x1.dtype)) - 10 * torch.log10(mse)


@keras_op()
def in_top_k(targets: Any, predictions: Any, k: int) -> torch.Tensor:
    """True where the target class is among the ``k`` largest predictions."""
    predictions = convert(predictions)
    targets = convert(targets, like=predictions).long()
    target_values = torch.gather(predictions, 1, targets[:, None])
    return torch.sum(predictions > target_values, dim=1) < k


@keras_op()
def top_k(x: Any, k: int, sorted: bool = True) -> tuple[torch.Tensor, torch.Tensor]:  # noqa: A002
    """The ``k`` largest values along the last axis and their (int64) indices, as Keras' torch backend."""
    values, indices = torch.topk(convert(x), k, dim=-1, sorted=sorted)
    return values, indices


@keras_op()
def dot_product_attention(query: Any, key: Any, value: Any, bias: Any = None, mask: Any = None,
                          scale: float | None = None, is_causal: bool = False, flash_attention: bool | None = None,
                          attn_logits_soft_cap: float | None = None) -> torch.Tensor:  # fmt: skip
    """Scaled dot-product attention on ``(batch, seq, heads, dim)`` tensors (Keras' layout)."""
    if attn_logits_soft_cap is not None:
        raise ValueError("ops.dot_product_attention: attn_logits_soft_cap is not supported by fitorch.")
    q, k, v = (torch.transpose(convert(t), 1, 2) for t in (query, key, value))  # (B, T, H, D) -> (B, H, T, D)
    attn_mask = None
    if mask is not None:
        attn_mask = convert(mask, like=q).to(torch.bool)
    if bias is not None:
        bias_t = convert(bias, like=q).to(q.dtype)
        attn_mask = bias_t if attn_mask is None else bias_t.masked_fill(~attn_mask, float("-inf"))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal, scale=scale)
    return torch.transpose(out, 1, 2)
