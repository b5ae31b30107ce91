"""NumPy-style elementwise ops (``keras.ops.numpy``): arithmetic, comparisons, logic, bits.

Float-only functions (``exp``, ``sin``, ``sqrt`` ...) cast int and bool inputs to
``floatx()`` first, as Keras does. Python scalars combine weakly: ``2 * x`` keeps
``x``'s dtype.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> ops.add(torch.tensor([1, 2], dtype=torch.int32), 1).dtype
    torch.int32
    >>> ops.exp(torch.tensor([0, 1])).dtype
    torch.float32
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from fitorch.ops.dtypes import convert, is_int, result_dtype, to_float
from fitorch.ops.registry import generated_op, keras_op

Unary = Callable[[Any], torch.Tensor]
Binary = Callable[[Any, Any], torch.Tensor]


def pair(x1: Any, x2: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """Both operands as tensors on one device; Python scalars become 0-d tensors (weakly typed)."""
    if not isinstance(x1, torch.Tensor) and isinstance(x2, torch.Tensor):
        return convert(x1, like=x2), x2
    x1 = convert(x1)
    return x1, convert(x2, like=x1)


def _unary(name: str, function: Unary, doc: str, float_only: bool = False) -> Unary:
    def op(x: Any) -> torch.Tensor:
        x = convert(x)
        return function(to_float(x) if float_only else x)

    return generated_op(name, op, doc)


def _binary(name: str, function: Binary, doc: str, float_only: bool = False) -> Binary:
    def op(x1: Any, x2: Any) -> torch.Tensor:
        x1, x2 = pair(x1, x2)
        if float_only and is_int(x1.dtype) and is_int(x2.dtype):
            x1, x2 = to_float(x1), to_float(x2)
        return function(x1, x2)

    return generated_op(name, op, doc)


def _abs(x: torch.Tensor) -> torch.Tensor:
    return x if x.dtype == torch.bool else torch.abs(x)


def _square(x: torch.Tensor) -> torch.Tensor:
    return torch.square(x.to(torch.int32) if x.dtype == torch.bool else x)


# ---------------------------------------------------------------------- unary
abs = _unary("abs", _abs, "The absolute value of ``x``, elementwise.")  # noqa: A001
absolute = _unary("absolute", _abs, "The absolute value of ``x``, elementwise.")
fabs = _unary("fabs", torch.abs, "The absolute value of ``x`` as floats.", float_only=True)
negative = _unary("negative", torch.negative, "``-x``, elementwise.")
square = _unary("square", _square, "``x * x``, elementwise.")
sign = _unary("sign", torch.sign, "-1, 0 or 1 by the sign of ``x``.")
sqrt = _unary("sqrt", torch.sqrt, "The square root of ``x``.", float_only=True)
rsqrt = _unary("rsqrt", torch.rsqrt, "``1 / sqrt(x)``.", float_only=True)
cbrt = _unary("cbrt", lambda x: torch.sign(x) * torch.abs(x) ** (1 / 3), "The cube root of ``x``.", float_only=True)
exp = _unary("exp", torch.exp, "``e ** x``.", float_only=True)
exp2 = _unary("exp2", torch.exp2, "``2 ** x``.", float_only=True)
expm1 = _unary("expm1", torch.expm1, "``exp(x) - 1``, accurate near 0.", float_only=True)
log = _unary("log", torch.log, "The natural logarithm of ``x``.", float_only=True)
log2 = _unary("log2", torch.log2, "The base-2 logarithm of ``x``.", float_only=True)
log10 = _unary("log10", torch.log10, "The base-10 logarithm of ``x``.", float_only=True)
log1p = _unary("log1p", torch.log1p, "``log(1 + x)``, accurate near 0.", float_only=True)
reciprocal = _unary("reciprocal", torch.reciprocal, "``1 / x``.", float_only=True)
sin = _unary("sin", torch.sin, "The sine of ``x``.", float_only=True)
cos = _unary("cos", torch.cos, "The cosine of ``x``.", float_only=True)
tan = _unary("tan", torch.tan, "The tangent of ``x``.", float_only=True)
arcsin = _unary("arcsin", torch.arcsin, "The inverse sine of ``x``.", float_only=True)
arccos = _unary("arccos", torch.arccos, "The inverse cosine of ``x``.", float_only=True)
arctan = _unary("arctan", torch.arctan, "The inverse tangent of ``x``.", float_only=True)
sinh = _unary("sinh", torch.sinh, "The hyperbolic sine of ``x``.", float_only=True)
cosh = _unary("cosh", torch.cosh, "The hyperbolic cosine of ``x``.", float_only=True)
tanh = _unary("tanh", torch.tanh, "The hyperbolic tangent of ``x``.", float_only=True)
arcsinh = _unary("arcsinh", torch.arcsinh, "The inverse hyperbolic sine of ``x``.", float_only=True)
arccosh = _unary("arccosh", torch.arccosh, "The inverse hyperbolic cosine of ``x``.", float_only=True)
arctanh = _unary("arctanh", torch.arctanh, "The inverse hyperbolic tangent of ``x``.", float_only=True)
deg2rad = _unary("deg2rad", torch.deg2rad, "Degrees to radians.", float_only=True)
rad2deg = _unary("rad2deg", torch.rad2deg, "Radians to degrees.", float_only=True)
sinc = _unary("sinc", torch.sinc, "``sin(pi x) / (pi x)``.", float_only=True)
i0 = _unary("i0", torch.special.i0, "The modified Bessel function of order 0.", float_only=True)
erf = _unary("erf", torch.erf, "The error function.", float_only=True)
erfc = _unary("erfc", torch.erfc, "The complementary error function.", float_only=True)
erfinv = _unary("erfinv", torch.erfinv, "The inverse error function.", float_only=True)
floor = _unary("floor", torch.floor, "The largest integer <= ``x``, as floats.", float_only=True)
ceil = _unary("ceil", torch.ceil, "The smallest integer >= ``x``, as floats.", float_only=True)
trunc = _unary("trunc", lambda x: x if is_int(x.dtype) else torch.trunc(x), "``x`` rounded toward zero.")
isfinite = _unary("isfinite", torch.isfinite, "True where ``x`` is finite.")
isinf = _unary("isinf", torch.isinf, "True where ``x`` is infinite.")
isnan = _unary("isnan", torch.isnan, "True where ``x`` is NaN.")
isneginf = _unary("isneginf", torch.isneginf, "True where ``x`` is -inf.")
isposinf = _unary("isposinf", torch.isposinf, "True where ``x`` is +inf.")
isreal = _unary("isreal", torch.isreal, "True where ``x`` has no imaginary part.")
signbit = _unary("signbit", torch.signbit, "True where the sign bit of ``x`` is set.")
logical_not = _unary("logical_not", torch.logical_not, "Logical NOT of ``x``.")
bitwise_invert = _unary("bitwise_invert", torch.bitwise_not, "Bitwise NOT of ``x``.")
bitwise_not = _unary("bitwise_not", torch.bitwise_not, "Bitwise NOT of ``x``.")
conj = _unary("conj", torch.conj_physical, "The complex conjugate of ``x``.")
conjugate = _unary("conjugate", torch.conj_physical, "The complex conjugate of ``x``.")
real = _unary("real", lambda x: torch.real(x) if x.is_complex() else x, "The real part of ``x``.")
imag = _unary("imag", lambda x: torch.imag(x) if x.is_complex() else torch.zeros_like(x), "The imaginary part.")
angle = _unary("angle", torch.angle, "The angle of complex ``x``.", float_only=True)

# ---------------------------------------------------------------------- binary
add = _binary("add", torch.add, "``x1 + x2``, elementwise, with broadcasting.")
subtract = _binary("subtract", torch.subtract, "``x1 - x2``, elementwise.")
multiply = _binary("multiply", torch.multiply, "``x1 * x2``, elementwise.")
divide = _binary("divide", torch.true_divide, "``x1 / x2``, elementwise (ints give floats).")
true_divide = _binary("true_divide", torch.true_divide, "``x1 / x2``, elementwise (ints give floats).")
floor_divide = _binary("floor_divide", torch.floor_divide, "``x1 // x2``, elementwise.")
mod = _binary("mod", torch.remainder, "``x1 % x2`` with the sign of ``x2`` (Python's rule).")
fmod = _binary("fmod", torch.fmod, "The remainder of ``x1 / x2`` with the sign of ``x1`` (C's rule).")
power = _binary("power", torch.pow, "``x1 ** x2``, elementwise.")
maximum = _binary("maximum", torch.maximum, "The elementwise maximum (NaN propagates).")
minimum = _binary("minimum", torch.minimum, "The elementwise minimum (NaN propagates).")
fmax = _binary("fmax", torch.fmax, "The elementwise maximum, ignoring NaN.")
fmin = _binary("fmin", torch.fmin, "The elementwise minimum, ignoring NaN.")
arctan2 = _binary("arctan2", torch.arctan2, "The angle of the point ``(x2, x1)``.", float_only=True)
hypot = _binary("hypot", torch.hypot, "``sqrt(x1**2 + x2**2)``.", float_only=True)
logaddexp = _binary("logaddexp", torch.logaddexp, "``log(exp(x1) + exp(x2))``.", float_only=True)
logaddexp2 = _binary("logaddexp2", torch.logaddexp2, "``log2(2**x1 + 2**x2)``.", float_only=True)
heaviside = _binary("heaviside", torch.heaviside, "The Heaviside step of ``x1``, ``x2`` where ``x1 == 0``.")
nextafter = _binary("nextafter", torch.nextafter, "The next float after ``x1`` toward ``x2``.", float_only=True)
equal = _binary("equal", torch.eq, "``x1 == x2``, elementwise.")
not_equal = _binary("not_equal", torch.ne, "``x1 != x2``, elementwise.")
greater = _binary("greater", torch.gt, "``x1 > x2``, elementwise.")
greater_equal = _binary("greater_equal", torch.ge, "``x1 >= x2``, elementwise.")
less = _binary("less", torch.lt, "``x1 < x2``, elementwise.")
less_equal = _binary("less_equal", torch.le, "``x1 <= x2``, elementwise.")
logical_and = _binary("logical_and", torch.logical_and, "Logical AND.")
logical_or = _binary("logical_or", torch.logical_or, "Logical OR.")
logical_xor = _binary("logical_xor", torch.logical_xor, "Logical XOR.")
bitwise_and = _binary("bitwise_and", torch.bitwise_and, "Bitwise AND.")
bitwise_or = _binary("bitwise_or", torch.bitwise_or, "Bitwise OR.")
bitwise_xor = _binary("bitwise_xor", torch.bitwise_xor, "Bitwise XOR.")
left_shift = _binary("left_shift", torch.bitwise_left_shift, "``x << y``.")
right_shift = _binary("right_shift", torch.bitwise_right_shift, "``x >> y``.")
bitwise_left_shift = _binary("bitwise_left_shift", torch.bitwise_left_shift, "``x << y``.")
bitwise_right_shift = _binary("bitwise_right_shift", torch.bitwise_right_shift, "``x >> y``.")
gcd = _binary("gcd", torch.gcd, "The greatest common divisor.")
lcm = _binary("lcm", torch.lcm, "The least common multiple.")
matmul = _binary("matmul", torch.matmul, "The matrix product of ``x1`` and ``x2`` (batched, NumPy's rules).")
inner = _binary("inner", torch.inner, "The inner product over the last axes.")
outer = _binary("outer", lambda a, b: torch.outer(a.reshape(-1), b.reshape(-1)), "The outer product (flattened).")
vdot = _binary("vdot", lambda a, b: torch.vdot(a.reshape(-1), b.reshape(-1)), "The dot product of flattened inputs.")
kron = _binary("kron", torch.kron, "The Kronecker product.")


@keras_op()
def ldexp(x1: Any, x2: Any) -> torch.Tensor:
    """``x1 * 2 ** x2``."""
    x1, x2 = pair(x1, x2)
    if is_int(x2.dtype) is False:
        raise TypeError(f"ops.ldexp: x2 must hold integers; received dtype {x2.dtype}.")
    return torch.ldexp(to_float(x1), x2)


@keras_op()
def dot(x1: Any, x2: Any) -> torch.Tensor:
    """NumPy's ``dot``: scalar product, matrix product, or a sum over ``x1``'s last and ``x2``'s second-last axes."""
    x1, x2 = pair(x1, x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return torch.multiply(x1, x2)
    if x2.ndim <= 2:
        return torch.matmul(x1, x2)
    return torch.tensordot(x1, x2, dims=([-1], [-2]))


@keras_op()
def tensordot(x1: Any, x2: Any, axes: Any = 2) -> torch.Tensor:
    """The sum of products over ``axes`` (an int, or two lists of axes)."""
    x1, x2 = pair(x1, x2)
    return torch.tensordot(x1, x2, dims=axes if isinstance(axes, int) else [list(a) for a in axes])


@keras_op()
def einsum(subscripts: str, *operands: Any, **kwargs: Any) -> torch.Tensor:
    """Einstein summation, e.g. ``einsum('ij,jk->ik', a, b)``."""
    tensors = [convert(o) for o in operands]
    dtype = result_dtype(*tensors)
    return torch.einsum(subscripts, *[t.to(dtype) for t in tensors])


@keras_op()
def cross(x1: Any, x2: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: int | None = None) -> torch.Tensor:
    """The cross product of 3-vectors."""
    x1, x2 = pair(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = torch.movedim(x1, axisa, -1), torch.movedim(x2, axisb, -1)
    a, b = torch.broadcast_tensors(a, b)
    return torch.movedim(torch.linalg.cross(a, b), -1, axisc)


@keras_op()
def clip(x: Any, x_min: Any, x_max: Any) -> torch.Tensor:
    """``x`` limited to ``[x_min, x_max]``."""
    x = convert(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return torch.clamp(x, x_min, x_max)


@keras_op()
def round(x: Any, decimals: int = 0) -> torch.Tensor:  # noqa: A001
    """``x`` rounded half to even to ``decimals`` places."""
    x = convert(x)
    if is_int(x.dtype):
        return x if decimals >= 0 else (torch.round(x.double(), decimals=decimals)).to(x.dtype)
    return torch.round(x, decimals=decimals)


@keras_op()
def divide_no_nan(x1: Any, x2: Any) -> torch.Tensor:
    """``x1 / x2``, with 0 where ``x2`` is 0."""
    x1, x2 = pair(x1, x2)
    dtype = result_dtype(x1, x2, 1.0)
    x1, x2 = x1.to(dtype), x2.to(dtype)
    safe = torch.where(x2 == 0, torch.ones_like(x2), x2)
    return torch.where(x2 == 0, torch.zeros((), dtype=dtype, device=x1.device), x1 / safe)


@keras_op()
def isclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> torch.Tensor:
    """True where ``|x1 - x2| <= atol + rtol * |x2|``."""
    x1, x2 = pair(x1, x2)
    dtype = result_dtype(x1, x2)
    return torch.isclose(x1.to(dtype), x2.to(dtype), rtol, atol, equal_nan)


@keras_op()
def allclose(x1: Any, x2: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False) -> torch.Tensor:
    """True when every element of ``x1`` is close to ``x2``."""
    return torch.all(isclose.__wrapped__(x1, x2, rtol, atol, equal_nan))


@keras_op()
def nan_to_num(x: Any, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> torch.Tensor:
    """``x`` with NaN and infinities replaced."""
    return torch.nan_to_num(convert(x), nan, posinf, neginf)


@keras_op()
def where(condition: Any, x1: Any = None, x2: Any = None) -> Any:
    """``x1`` where ``condition`` holds, else ``x2``; with only ``condition``, the indices where it holds."""
    condition = convert(condition, torch.bool)
    if x1 is None and x2 is None:
        return tuple(torch.nonzero(condition, as_tuple=True))
    if x1 is None or x2 is None:
        raise ValueError("ops.where: give both x1 and x2, or neither.")
    x1, x2 = pair(x1, x2)
    return torch.where(condition, x1, x2)


@keras_op()
def select(condlist: list[Any], choicelist: list[Any], default: Any = 0) -> torch.Tensor:
    """The choice of the first true condition per element (NumPy's ``select``)."""
    if len(condlist) != len(choicelist):
        raise ValueError(f"ops.select: condlist and choicelist must have the same length; received "
                         f"{len(condlist)} and {len(choicelist)}.")  # fmt: skip
    choices = [convert(c) for c in choicelist]
    result = convert(default, like=choices[0]).to(result_dtype(*choices))
    for condition, choice in zip(reversed(condlist), reversed(choices), strict=True):
        result = torch.where(convert(condition, torch.bool), choice, result)
    return result
