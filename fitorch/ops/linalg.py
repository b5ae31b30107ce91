"""Linear algebra ops (``keras.ops.linalg``): ``torch.linalg`` under Keras' names.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> a = torch.tensor([[2.0, 0.0], [0.0, 4.0]])
    >>> ops.det(a).item(), ops.inv(a).tolist()
    (8.0, [[0.5, 0.0], [0.0, 0.25]])
"""

from __future__ import annotations

from typing import Any

import torch

from fitorch.ops.dtypes import convert, to_float
from fitorch.ops.registry import keras_op


def _matrix(x: Any) -> torch.Tensor:
    return to_float(convert(x))


@keras_op()
def cholesky(x: Any, upper: bool = False) -> torch.Tensor:
    """The Cholesky factor of a positive-definite matrix (lower unless ``upper``)."""
    return torch.linalg.cholesky(_matrix(x), upper=upper)


@keras_op()
def cholesky_inverse(x: Any, upper: bool = False) -> torch.Tensor:
    """The inverse of ``A`` from its Cholesky factor ``x``."""
    return torch.cholesky_inverse(_matrix(x), upper=upper)


@keras_op()
def det(x: Any) -> torch.Tensor:
    """The determinant."""
    return torch.linalg.det(_matrix(x))


@keras_op()
def inv(x: Any) -> torch.Tensor:
    """The inverse matrix."""
    return torch.linalg.inv(_matrix(x))


@keras_op()
def pinv(x: Any, rcond: float | None = None) -> torch.Tensor:
    """The Moore-Penrose pseudo-inverse."""
    x = _matrix(x)
    return torch.linalg.pinv(x) if rcond is None else torch.linalg.pinv(x, rtol=rcond)


@keras_op()
def logdet(x: Any) -> torch.Tensor:
    """The log-determinant of a positive-definite matrix."""
    return torch.logdet(_matrix(x))


@keras_op()
def slogdet(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The sign and the log of the absolute determinant."""
    sign, logabsdet = torch.linalg.slogdet(_matrix(x))
    return sign, logabsdet


@keras_op()
def solve(a: Any, b: Any) -> torch.Tensor:
    """``x`` such that ``a @ x == b``."""
    a = _matrix(a)
    return torch.linalg.solve(a, convert(b, like=a).to(a.dtype))


@keras_op()
def solve_triangular(a: Any, b: Any, lower: bool = False) -> torch.Tensor:
    """``x`` such that ``a @ x == b`` for triangular ``a``."""
    a = _matrix(a)
    b = convert(b, like=a).to(a.dtype)
    vector = b.ndim == a.ndim - 1
    result = torch.linalg.solve_triangular(a, b[..., None] if vector else b, upper=not lower)
    return result[..., 0] if vector else result


@keras_op()
def lstsq(a: Any, b: Any, rcond: float | None = None) -> torch.Tensor:
    """The least-squares solution of ``a @ x == b``."""
    a = _matrix(a)
    b = convert(b, like=a).to(a.dtype)
    vector = b.ndim == 1
    solution = torch.linalg.lstsq(a, b[:, None] if vector else b, rcond=rcond, driver="gelsd").solution
    return solution[:, 0] if vector else solution


@keras_op()
def eig(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The (complex) eigenvalues and eigenvectors of a square matrix."""
    return tuple(torch.linalg.eig(_matrix(x)))  # type: ignore[return-value]


@keras_op()
def eigh(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The eigenvalues (ascending) and eigenvectors of a symmetric matrix."""
    return tuple(torch.linalg.eigh(_matrix(x)))  # type: ignore[return-value]


@keras_op()
def lu_factor(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The packed LU factorization and the 0-based int32 pivots."""
    lu, pivots = torch.linalg.lu_factor(_matrix(x))
    return lu, (pivots - 1).to(torch.int32)


@keras_op()
def qr(x: Any, mode: str = "reduced") -> tuple[torch.Tensor, torch.Tensor]:
    """The QR decomposition (``mode`` ``'reduced'`` or ``'complete'``)."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"ops.qr: mode must be 'reduced' or 'complete'; received mode={mode!r}.")
    return tuple(torch.linalg.qr(_matrix(x), mode=mode))  # type: ignore[return-value]


@keras_op()
def svd(x: Any, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """The singular value decomposition ``(u, s, vh)``, or only ``s`` when ``compute_uv=False``."""
    x = _matrix(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))


@keras_op()
def matrix_rank(x: Any, tol: float | None = None) -> torch.Tensor:
    """The rank of a matrix (int32)."""
    x = _matrix(x)
    rank = torch.linalg.matrix_rank(x) if tol is None else torch.linalg.matrix_rank(x, atol=tol, rtol=0.0)
    return rank.to(torch.int32)


@keras_op()
def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A002
    """A vector norm (``axis`` an int or ``None`` on 1D) or a matrix norm (``axis`` a pair)."""
    x = _matrix(x)
    if axis is None:
        axis = tuple(range(x.ndim))
        if ord is None or x.ndim == 1:
            return torch.linalg.vector_norm(x, 2 if ord is None else ord, dim=axis, keepdim=keepdims)
    if isinstance(axis, int) or len(axis) == 1:
        return torch.linalg.vector_norm(x, 2 if ord is None else ord, dim=axis, keepdim=keepdims)
    return torch.linalg.matrix_norm(x, "fro" if ord is None else ord, dim=tuple(axis), keepdim=keepdims)
