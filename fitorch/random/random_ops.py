"""Keras' ``keras.random`` functions on torch: same names, arguments and defaults.

Every function takes ``seed=`` as an int, a :class:`SeedGenerator` or ``None``
(torch's global generator). New tensors are created on the current device
(``fitorch.device`` scope, else the best device); functions of an input tensor
follow that tensor.

Example:
    >>> import fitorch
    >>> x = fitorch.random.normal((1000,), mean=2.0, stddev=0.5, seed=1)
    >>> x.shape, x.dtype
    (torch.Size([1000]), torch.float32)
    >>> bool(abs(float(x.mean()) - 2.0) < 0.1)
    True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.devices import current_device
from fitorch.random.seed_generator import numpy_generator, torch_generator

Shape = Sequence[int] | int


def _new_tensor_device() -> torch.device:
    """Where a new random tensor goes: the current device, or ``meta`` during shape inference.

    The functional API infers a layer's output shape by running its ``call`` inside a
    ``torch.device('meta')`` scope; a layer that draws noise there must get meta tensors.
    """
    default = torch.get_default_device()
    return default if default.type == "meta" else current_device()


def _shape(shape: Any, caller: str) -> tuple[int, ...]:
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (int(shape),)
    if isinstance(shape, torch.Size):
        shape = tuple(shape)
    if not isinstance(shape, (tuple, list)) or not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d >= 0 for d in shape
    ):
        raise ValueError(f"{caller}: shape must be a tuple of non-negative ints; received shape={shape!r}.")
    return tuple(int(d) for d in shape)


def _float_dtype(dtype: Any, caller: str) -> torch.dtype:
    resolved = config.standardize_dtype(dtype) or config.floatx_dtype()
    if not resolved.is_floating_point:
        raise ValueError(f"{caller}: dtype must be a floating point type; received dtype={dtype!r}.")
    return resolved


def _int_dtype(dtype: Any, caller: str) -> torch.dtype:
    resolved = config.standardize_dtype(dtype)
    if resolved is None or resolved.is_floating_point or resolved.is_complex or resolved == torch.bool:
        raise ValueError(f"{caller}: dtype must be an integer type; received dtype={dtype!r}.")
    return resolved


def normal(shape: Shape, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None) -> torch.Tensor:
    """Samples from a normal distribution.

    Args:
        shape: the output shape.
        mean: the mean.
        stddev: the standard deviation.
        dtype: a floating dtype; default ``floatx()``.
        seed: an int, a ``SeedGenerator`` or ``None``.

    Example:
        >>> normal((2, 3), seed=0).shape
        torch.Size([2, 3])
    """
    shape, dtype, device = _shape(shape, "normal"), _float_dtype(dtype, "normal"), _new_tensor_device()
    generator = torch_generator(seed, device, "normal")
    return torch.randn(shape, generator=generator, dtype=dtype, device=device) * stddev + mean


def uniform(
    shape: Shape, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None, seed: Any = None
) -> torch.Tensor:
    """Samples uniformly from ``[minval, maxval)``.

    Args:
        shape: the output shape.
        minval: the lower bound (included).
        maxval: the upper bound (excluded).
        dtype: a floating dtype; default ``floatx()``.
        seed: an int, a ``SeedGenerator`` or ``None``.

    Example:
        >>> x = uniform((100,), minval=-1.0, maxval=1.0, seed=0)
        >>> bool(x.min() >= -1.0 and x.max() < 1.0)
        True
    """
    shape, dtype, device = _shape(shape, "uniform"), _float_dtype(dtype, "uniform"), _new_tensor_device()
    generator = torch_generator(seed, device, "uniform")
    return torch.rand(shape, generator=generator, dtype=dtype, device=device) * (maxval - minval) + minval


def truncated_normal(
    shape: Shape, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None, seed: Any = None
) -> torch.Tensor:
    """Samples from a normal distribution cut at two standard deviations from the mean.

    Args:
        shape: the output shape.
        mean: the mean of the untruncated distribution.
        stddev: its standard deviation.
        dtype: a floating dtype; default ``floatx()``.
        seed: an int, a ``SeedGenerator`` or ``None``.

    Example:
        >>> x = truncated_normal((1000,), seed=0)
        >>> bool(x.abs().max() <= 2.0)
        True
    """
    shape, dtype = _shape(shape, "truncated_normal"), _float_dtype(dtype, "truncated_normal")
    device = _new_tensor_device()
    generator = torch_generator(seed, device, "truncated_normal")
    out = torch.empty(shape, dtype=dtype, device=device)
    return torch.nn.init.trunc_normal_(out, mean, stddev, mean - 2 * stddev, mean + 2 * stddev, generator=generator)


def randint(shape: Shape, minval: int, maxval: int, dtype: Any = "int32", seed: Any = None) -> torch.Tensor:
    """Samples integers uniformly from ``[minval, maxval)``.

    Example:
        >>> x = randint((50,), 3, 6, seed=0)
        >>> x.dtype, sorted(set(x.tolist()))
        (torch.int32, [3, 4, 5])
    """
    shape, dtype, device = _shape(shape, "randint"), _int_dtype(dtype, "randint"), _new_tensor_device()
    if maxval <= minval:
        raise ValueError(f"randint: maxval must be greater than minval; received minval={minval}, maxval={maxval}.")
    generator = torch_generator(seed, device, "randint")
    return torch.randint(int(minval), int(maxval), shape, generator=generator, dtype=dtype, device=device)


def categorical(logits: Any, num_samples: int, dtype: Any = "int32", seed: Any = None) -> torch.Tensor:
    """Draws class indices from a categorical distribution given by ``logits``.

    Args:
        logits: ``(batch_size, num_classes)`` unnormalized log-probabilities.
        num_samples: samples to draw per row.
        dtype: an integer dtype.
        seed: an int, a ``SeedGenerator`` or ``None``.

    Returns:
        ``(batch_size, num_samples)`` indices.

    Example:
        >>> import torch
        >>> categorical(torch.tensor([[0.0, 100.0]]), 3, seed=0).tolist()
        [[1, 1, 1]]
    """
    logits = torch.as_tensor(logits)
    if logits.ndim != 2:
        raise ValueError(
            f"categorical: logits must be 2D (batch_size, num_classes); received shape {tuple(logits.shape)}."
        )
    dtype = _int_dtype(dtype, "categorical")
    probabilities = torch.softmax(logits.float(), dim=-1)
    generator = torch_generator(seed, logits.device, "categorical")
    samples = torch.multinomial(probabilities, int(num_samples), replacement=True, generator=generator)
    return samples.to(dtype)


def dropout(
    inputs: Any, rate: float, noise_shape: Sequence[int | None] | None = None, seed: Any = None
) -> torch.Tensor:
    """Zeros each entry with probability ``rate`` and scales the rest by ``1 / (1 - rate)``.

    Args:
        inputs: the tensor.
        rate: the fraction to drop, in ``[0, 1)``.
        noise_shape: the mask's shape (broadcast to the input's; ``None`` entries take the input's size).
        seed: an int, a ``SeedGenerator`` or ``None``.

    Example:
        >>> import torch
        >>> y = dropout(torch.ones(1000), 0.5, seed=0)
        >>> sorted(set(y.tolist()))
        [0.0, 2.0]
    """
    inputs = torch.as_tensor(inputs)
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout: rate must be in [0, 1); received rate={rate}.")
    if noise_shape is None:
        shape = tuple(inputs.shape)
    else:
        if len(noise_shape) != inputs.ndim:
            raise ValueError(
                f"dropout: noise_shape {tuple(noise_shape)} must have one entry per input axis; "
                f"the input has shape {tuple(inputs.shape)}."
            )
        shape = tuple(size if n is None else int(n) for n, size in zip(noise_shape, inputs.shape, strict=True))
    generator = torch_generator(seed, inputs.device, "dropout")
    keep = torch.rand(shape, generator=generator, device=inputs.device) >= rate
    return inputs * keep.to(inputs.dtype) / (1.0 - rate)


def shuffle(x: Any, axis: int = 0, seed: Any = None) -> torch.Tensor:
    """Shuffles ``x`` along ``axis``.

    Example:
        >>> import torch
        >>> sorted(shuffle(torch.arange(5), seed=0).tolist())
        [0, 1, 2, 3, 4]
    """
    x = torch.as_tensor(x)
    if not -x.ndim <= axis < max(x.ndim, 1):
        raise ValueError(f"shuffle: axis {axis} is out of range for an input of shape {tuple(x.shape)}.")
    generator = torch_generator(seed, x.device, "shuffle")
    order = torch.randperm(x.shape[axis], generator=generator, device=x.device)
    return x.index_select(axis, order)


def _numpy_samples(op: str, shape: Shape, dtype: Any, seed: Any, draw: Callable[..., np.ndarray]) -> torch.Tensor:
    """``draw(rng, size)`` with the NumPy generator for ``seed``, as a tensor of the float ``dtype``.

    For the distributions torch cannot sample with a seeded generator (gamma, beta, binomial).
    """
    shape, dtype = _shape(shape, op), _float_dtype(dtype, op)
    values = draw(numpy_generator(seed, op), shape)
    return torch.as_tensor(values, dtype=dtype, device=_new_tensor_device())


def gamma(shape: Shape, alpha: float, dtype: Any = None, seed: Any = None) -> torch.Tensor:
    """Samples from a gamma distribution with concentration ``alpha`` (and scale 1).

    Example:
        >>> x = gamma((2000,), alpha=3.0, seed=0)
        >>> bool(abs(float(x.mean()) - 3.0) < 0.2)
        True
    """
    return _numpy_samples("gamma", shape, dtype, seed, lambda rng, size: rng.standard_gamma(alpha, size=size))


def beta(shape: Shape, alpha: float, beta: float, dtype: Any = None, seed: Any = None) -> torch.Tensor:
    """Samples from a beta distribution with concentrations ``alpha`` and ``beta``.

    Example:
        >>> x = beta((2000,), alpha=2.0, beta=6.0, seed=0)
        >>> bool(abs(float(x.mean()) - 0.25) < 0.02)
        True
    """
    return _numpy_samples("beta", shape, dtype, seed, lambda rng, size: rng.beta(alpha, beta, size=size))


def binomial(shape: Shape, counts: Any, probabilities: Any, dtype: Any = None, seed: Any = None) -> torch.Tensor:
    """Samples the number of successes in ``counts`` trials of probability ``probabilities``.

    Example:
        >>> x = binomial((2000,), counts=10, probabilities=0.3, seed=0)
        >>> bool(abs(float(x.mean()) - 3.0) < 0.2)
        True
    """

    def draw(rng: np.random.Generator, size: tuple[int, ...]) -> np.ndarray:
        n, p = (np.asarray(torch.as_tensor(v).cpu()) for v in (counts, probabilities))
        return rng.binomial(n, p, size=size)

    return _numpy_samples("binomial", shape, dtype, seed, draw)
