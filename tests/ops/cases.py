"""The table of op cases shared by the oracle, symbolic and save/load tests.

Each case is an op name, positional arguments and keyword arguments. Inputs are
made here once, from fixed seeds, so fitorch and Keras see the same values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from fitorch import ops

_rng = np.random.default_rng(1234)


def f(*shape: int, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Normal floats."""
    return torch.as_tensor(_rng.standard_normal(shape), dtype=dtype)


def pos(*shape: int) -> torch.Tensor:
    """Floats in [0.5, 2.5)."""
    return torch.as_tensor(_rng.uniform(0.5, 2.5, shape), dtype=torch.float32)


def unit(*shape: int) -> torch.Tensor:
    """Floats in (-0.9, 0.9)."""
    return torch.as_tensor(_rng.uniform(-0.9, 0.9, shape), dtype=torch.float32)


def prob(*shape: int) -> torch.Tensor:
    """Floats in (0.05, 0.95)."""
    return torch.as_tensor(_rng.uniform(0.05, 0.95, shape), dtype=torch.float32)


def i(*shape: int, low: int = -5, high: int = 6, dtype: torch.dtype = torch.int32) -> torch.Tensor:
    """Ints in [low, high)."""
    return torch.as_tensor(_rng.integers(low, high, shape), dtype=dtype)


def b(*shape: int) -> torch.Tensor:
    """Bools."""
    return torch.as_tensor(_rng.integers(0, 2, shape), dtype=torch.bool)


def nans(*shape: int) -> torch.Tensor:
    """Normal floats, NaN where they exceed 0.5 (about 30%), and the first row along axis 1 all NaN."""
    x = f(*shape)
    x[x > 0.5] = float("nan")
    x[:, 0] = float("nan")
    return x


def spd(n: int) -> torch.Tensor:
    """A symmetric positive-definite matrix."""
    a = f(n, n)
    return a @ a.T + n * torch.eye(n)


@dataclass
class Case:
    name: str
    args: tuple
    kwargs: dict[str, Any] = field(default_factory=dict)
    id: str = ""

    def __post_init__(self) -> None:
        self.id = self.id or self.name


def cases_for(name: str, *variants: tuple) -> list[Case]:
    """``variants`` are ``(args,)`` or ``(args, kwargs)`` tuples."""
    out = []
    for n, variant in enumerate(variants):
        args, kwargs = (variant[0], variant[1]) if len(variant) == 2 else (variant[0], {})
        out.append(Case(name, tuple(args), dict(kwargs), f"{name}-{n}"))
    return out


UNARY_FLOAT = [
    "abs", "absolute", "fabs", "negative", "square", "sign", "exp", "exp2", "expm1", "sin", "cos", "tan",
    "arctan", "sinh", "cosh", "tanh", "arcsinh", "deg2rad", "rad2deg", "sinc", "erf", "erfc", "floor", "ceil",
    "trunc", "isfinite", "isinf", "isnan", "isneginf", "isposinf", "signbit", "round", "reciprocal",
    "relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish", "hard_sigmoid", "hard_silu",
    "hard_swish", "hard_tanh", "log_sigmoid", "selu", "tanh_shrink", "sparse_plus", "sparse_sigmoid", "elu",
    "celu", "leaky_relu", "gelu", "hard_shrink", "soft_shrink", "squareplus", "softmax", "log_softmax",
    "stop_gradient", "copy", "logical_not", "conj", "conjugate", "isreal",
    "cbrt", "i0",
]  # fmt: skip
UNARY_POSITIVE = ["sqrt", "rsqrt", "log", "log2", "log10", "log1p", "arccosh"]
UNARY_UNIT = ["arcsin", "arccos", "arctanh", "erfinv"]
UNARY_INT = ["abs", "negative", "square", "sign", "exp", "sqrt", "log1p", "sin", "floor", "trunc", "round",
             "relu", "sigmoid", "isfinite", "bitwise_invert", "bitwise_not", "logical_not", "copy"]  # fmt: skip
BINARY_FLOAT = [
    "add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "fmax", "fmin", "arctan2",
    "hypot", "logaddexp", "logaddexp2", "equal", "not_equal", "greater", "greater_equal", "less",
    "less_equal", "logical_and", "logical_or", "logical_xor", "heaviside", "divide_no_nan", "floor_divide",
    "mod", "fmod", "nextafter",
]  # fmt: skip
BINARY_INT = ["add", "subtract", "multiply", "maximum", "minimum", "equal", "less", "bitwise_and", "bitwise_or",
              "bitwise_xor", "gcd", "lcm", "floor_divide", "mod", "divide"]  # fmt: skip

CASES: list[Case] = []
for name in UNARY_FLOAT:
    CASES += cases_for(name, ([f(3, 4)],), ([f(2, 3, 5)],))
for name in UNARY_POSITIVE:
    CASES += cases_for(name, ([pos(3, 4)],), ([pos(7)],))
CASES += cases_for("arccosh", ([pos(4) + 1.0],))
for name in UNARY_UNIT:
    CASES += cases_for(name, ([unit(3, 4)],))
for name in UNARY_INT:
    CASES.append(Case(name, (i(3, 4, low=1),), {}, f"{name}-int32"))
for name in BINARY_FLOAT:
    CASES += cases_for(name, ([f(3, 4), f(3, 4)],), ([f(2, 3, 4), f(4)],), ([f(3), 2.0],))
for name in BINARY_INT:
    CASES += cases_for(name, ([i(3, 4, low=1), i(3, 4, low=1)],), ([i(3, 4, low=1), 3],))
CASES += cases_for("power", ([pos(3, 4), f(3, 4)],), ([f(3, 4), 2],), ([i(3, 4), 2],))
CASES += cases_for("add", ([i(3), f(3)],), ([f(3, dtype=torch.float64), f(3)],), ([i(2, 3, dtype=torch.int8), 4],))
CASES += cases_for("left_shift", ([i(3, 4, low=0, high=4), i(3, 4, low=0, high=4)],))
CASES += cases_for("right_shift", ([i(3, 4, low=0, high=64), i(3, 4, low=0, high=4)],))
CASES += cases_for("bitwise_left_shift", ([i(3, low=0, high=4), 2],))
CASES += cases_for("bitwise_right_shift", ([i(3, low=0, high=64), 2],))
CASES += cases_for("ldexp", ([f(3, 4), i(3, 4)],))
CASES += cases_for("clip", ([f(3, 4), -0.5, 0.5],), ([i(5), 0, 2],))
CASES += cases_for("where", ([b(3, 4), f(3, 4), f(3, 4)],), ([b(3, 4), f(3, 4), 0.0],))
CASES += cases_for("isclose", ([f(3, 4), f(3, 4)],))
CASES += cases_for("allclose", ([f(3), f(3)],))
CASES += cases_for("nan_to_num", ([torch.tensor([1.0, float("nan"), float("inf"), -float("inf")])],
                                  {"nan": 2.0, "posinf": 9.0}))  # fmt: skip
CASES += cases_for("round", ([f(3, 4) * 100], {"decimals": 1}), ([f(3, 4) * 100], {"decimals": -1}))
CASES += cases_for("select", ([[b(4), b(4)], [f(4), f(4)]],))
# linear algebra in numpy
CASES += cases_for("matmul", ([f(3, 4), f(4, 5)],), ([f(2, 3, 4), f(4)],), ([f(2, 3, 4), f(2, 4, 2)],))
CASES += cases_for("dot", ([f(3, 4), f(4, 5)],), ([f(3), 2.0],))
CASES += cases_for("tensordot", ([f(3, 4, 5), f(4, 5, 2)],), ([f(3, 4), f(4, 2)], {"axes": [[1], [0]]}))
CASES += cases_for("einsum", (["ij,jk->ik", f(3, 4), f(4, 5)],), (["bij->bji", f(2, 3, 4)],))
CASES += cases_for("inner", ([f(3, 4), f(5, 4)],))
CASES += cases_for("outer", ([f(3), f(4)],))
CASES += cases_for("vdot", ([f(6), f(6)],))
CASES += cases_for("kron", ([f(2, 2), f(2, 3)],))
CASES += cases_for("cross", ([f(4, 3), f(4, 3)],))
# reductions
for name in ["sum", "mean", "max", "min", "amax", "amin", "prod", "std", "var", "all", "any", "ptp", "logsumexp"]:
    CASES += cases_for(name, ([f(3, 4, 5)],), ([f(3, 4, 5)], {"axis": 1}),
                       ([f(3, 4, 5)], {"axis": (0, 2), "keepdims": True}))  # fmt: skip
for name in ["sum", "mean", "max", "prod", "std", "var", "all", "any"]:
    CASES.append(Case(name, (i(3, 4),), {"axis": -1}, f"{name}-int32"))
CASES += cases_for("sum", ([i(3, 4, dtype=torch.int8)],), ([b(3, 4)], {"axis": 0}))
CASES += cases_for("max", ([f(3, 4)], {"axis": 0, "initial": 0.5}))
for name in ["argmax", "argmin"]:
    CASES += cases_for(name, ([f(3, 4, 5)],), ([f(3, 4, 5)], {"axis": 1}), ([f(3, 4)], {"axis": -1, "keepdims": True}))
for name in ["cumsum", "cumprod"]:
    CASES += cases_for(name, ([f(3, 4)],), ([f(3, 4)], {"axis": 1}), ([i(3, 4)], {"axis": 0}))
CASES += cases_for("count_nonzero", ([i(3, 4, low=-1, high=2)],), ([i(3, 4, low=-1, high=2)], {"axis": 1}))
CASES += cases_for("average", ([f(3, 4)],), ([f(3, 4)], {"axis": 1, "weights": pos(4)}))
CASES += cases_for("median", ([f(3, 4)],), ([f(3, 5)], {"axis": 1, "keepdims": True}))
CASES += cases_for("quantile", ([f(3, 5), 0.3],), ([f(3, 5), torch.tensor([0.1, 0.9])], {"axis": 1}),
                   ([f(3, 5), 0.5], {"axis": 0, "method": "nearest"}))  # fmt: skip
CASES += cases_for("percentile", ([f(3, 5), 30.0], {"axis": 1}))
CASES += cases_for("sort", ([f(3, 4)],), ([f(3, 4)], {"axis": 0}))
CASES += cases_for("argsort", ([f(3, 4)],), ([f(3, 4)], {"axis": 0}))
CASES += cases_for("top_k", ([f(3, 6), 2],))
CASES += cases_for("diff", ([f(3, 5)],), ([f(3, 5)], {"n": 2, "axis": 0}))
CASES += cases_for("searchsorted", ([torch.tensor([0.0, 1.0, 2.0, 3.0]), f(5)],),
                   ([torch.tensor([0.0, 1.0, 1.0, 3.0]), torch.tensor([1.0, 2.0])], {"side": "right"}))  # fmt: skip
CASES += cases_for("digitize", ([f(6), torch.tensor([-1.0, 0.0, 1.0])],))
CASES += cases_for("trapezoid", ([f(3, 5)],), ([f(5)], {"dx": 0.5}))
CASES += cases_for("take", ([f(3, 4), torch.tensor([0, 2])], {"axis": 1}), ([f(3, 4), torch.tensor([[0, 5]])],),
                   ([f(3, 4), torch.tensor([-1, 0])], {"axis": 0}))  # fmt: skip
CASES += cases_for("take_along_axis", ([f(3, 4), torch.tensor([[0], [3], [1]])], {"axis": 1}),
                   ([f(3, 4), torch.tensor([[-1], [0], [-3]])], {"axis": -1}), ([f(3, 4), torch.tensor([0, 2, 5])],))  # fmt: skip
CASES += cases_for("bincount", ([i(8, low=0, high=4)],), ([i(6, low=0, high=3)], {"minlength": 5}))
# shapes and creation
CASES += cases_for("reshape", ([f(3, 4), (2, 6)],), ([f(3, 4), (-1, 3)],))
CASES += cases_for("ravel", ([f(3, 4)],))
CASES += cases_for("transpose", ([f(2, 3, 4)],), ([f(2, 3, 4)], {"axes": (0, 2, 1)}))
CASES += cases_for("swapaxes", ([f(2, 3, 4), 0, 2],))
CASES += cases_for("moveaxis", ([f(2, 3, 4), 0, -1],))
CASES += cases_for("expand_dims", ([f(3, 4), 1],), ([f(3, 4), -1],), ([f(3, 4), (0, 2)],))
CASES += cases_for("squeeze", ([f(3, 1, 4, 1)],), ([f(3, 1, 4, 1)], {"axis": 1}))
CASES += cases_for("broadcast_to", ([f(1, 4), (3, 4)],))
CASES += cases_for("concatenate", ([[f(2, 3), f(4, 3)]],), ([[f(2, 3), f(2, 1)]], {"axis": 1}), ([[i(2), f(3)]],))
CASES += cases_for("stack", ([[f(2, 3), f(2, 3)]],), ([[f(2, 3), f(2, 3)]], {"axis": -1}))
CASES += cases_for("hstack", ([[f(2, 3), f(2, 1)]],))
CASES += cases_for("vstack", ([[f(2, 3), f(1, 3)]],))
CASES += cases_for("dstack", ([[f(2, 3), f(2, 3)]],))
CASES += cases_for("split", ([f(6, 2), 3],), ([f(6, 4), [1, 3]], {"axis": 0}), ([f(2, 6), 2], {"axis": 1}))
CASES += cases_for("array_split", ([f(7, 2), 3],))
CASES += cases_for("hsplit", ([f(2, 6), 3],))
CASES += cases_for("vsplit", ([f(6, 2), 2],))
CASES += cases_for("dsplit", ([f(2, 2, 4), 2],))
CASES += cases_for("unstack", ([f(3, 4)],), ([f(3, 4)], {"axis": 1}))
CASES += cases_for("tile", ([f(2, 3), (2, 1)],), ([f(2, 3), 2],))
CASES += cases_for(
    "repeat", ([f(2, 3), 2],), ([f(2, 3), 2], {"axis": 1}), ([f(2, 3), torch.tensor([1, 2])], {"axis": 0})
)
CASES += cases_for("flip", ([f(2, 3)],), ([f(2, 3)], {"axis": 1}))
CASES += cases_for("fliplr", ([f(2, 3)],))
CASES += cases_for("flipud", ([f(2, 3)],))
CASES += cases_for("roll", ([f(2, 3), 1],), ([f(2, 3), -1], {"axis": 1}))
CASES += cases_for("rot90", ([f(2, 3)],), ([f(2, 3, 4)], {"k": 3, "axes": (1, 2)}))
CASES += cases_for("pad", ([f(2, 3), ((1, 2), (0, 1))],), ([f(2, 3), ((1, 1), (1, 1))], {"constant_values": 2.0}),
                   ([f(3, 4), ((1, 1), (2, 2))], {"mode": "reflect"}))  # fmt: skip
CASES += cases_for("append", ([f(2, 3), f(2, 3)],), ([f(2, 3), f(1, 3)], {"axis": 0}))
CASES += cases_for("tril", ([f(3, 4)],), ([f(3, 4)], {"k": -1}))
CASES += cases_for("triu", ([f(3, 4)],), ([f(3, 4)], {"k": 1}))
CASES += cases_for("diag", ([f(3, 3)],), ([f(3)], {"k": 1}))
CASES += cases_for("diagflat", ([f(2, 2)],), ([f(3)], {"k": -1}))
CASES += cases_for("diagonal", ([f(3, 4)],), ([f(2, 3, 4)], {"offset": 1, "axis1": 1, "axis2": 2}))
CASES += cases_for("trace", ([f(3, 4)],), ([i(3, 3)],))
CASES += cases_for("vander", ([f(3)],), ([f(3)], {"N": 4, "increasing": True}))
CASES += cases_for("zeros_like", ([f(2, 3)],), ([f(2, 3)], {"dtype": "int32"}))
CASES += cases_for("ones_like", ([i(2, 3)],))
CASES += cases_for("full_like", ([f(2, 3), 7.0],))
CASES += cases_for("get_item", ([f(3, 4), (slice(None), 1)],), ([f(3, 4, 5), (Ellipsis, slice(1, 3))],),
                   ([f(3, 4), (slice(None), None, 0)],))  # fmt: skip
CASES += cases_for("slice", ([f(3, 4), (1, 1), (2, 2)],))
CASES += cases_for("slice_update", ([f(3, 4), (1, 1), f(2, 2)],))
CASES += cases_for("scatter", ([torch.tensor([[0, 1], [2, 0], [0, 1]]), f(3), (3, 2)],))
CASES += cases_for("scatter_update", ([f(3, 4), torch.tensor([[0, 1], [2, 3]]), f(2)],),
                   ([f(3, 4), torch.tensor([[1], [0]]), f(2, 4)],))  # fmt: skip
CASES += cases_for("cast", ([f(3), "int32"],), ([i(3), "float16"],))
CASES += cases_for("saturate_cast", ([f(5) * 300, "uint8"],))
CASES += cases_for("one_hot", ([i(4, low=0, high=3), 3],), ([i(2, 3, low=0, high=3), 3], {"axis": 1}),
                   ([i(4, low=0, high=3), 3], {"dtype": "int32"}))  # fmt: skip
CASES += cases_for("multi_hot", ([i(2, 3, low=0, high=5), 5],), ([i(4, low=0, high=5), 5],))
# nn
CASES += cases_for("softmax", ([f(2, 3, 4)], {"axis": 1}), ([f(2, 3, 4)], {"axis": (1, 2)}))
CASES += cases_for("log_softmax", ([f(2, 3, 4)], {"axis": 0}))
CASES += cases_for("gelu", ([f(3, 4)], {"approximate": False}))
CASES += cases_for("elu", ([f(3, 4)], {"alpha": 0.5}))
CASES += cases_for("leaky_relu", ([f(3, 4)], {"negative_slope": 0.1}))
CASES += cases_for("glu", ([f(3, 4)],), ([f(4, 3)], {"axis": 0}))
CASES += cases_for("threshold", ([f(3, 4), 0.2, -1.0],))
CASES += cases_for("categorical_crossentropy", ([torch.eye(4)[[0, 2, 1]], prob(3, 4)],),
                   ([torch.eye(4)[[0, 2, 1]], f(3, 4)], {"from_logits": True}))  # fmt: skip
CASES += cases_for("sparse_categorical_crossentropy", ([torch.tensor([0, 2, 1]), prob(3, 4)],),
                   ([torch.tensor([[0], [3], [1]]), f(3, 4)], {"from_logits": True}),
                   ([i(2, 5, low=0, high=3), f(2, 5, 3)], {"from_logits": True}))  # fmt: skip
CASES += cases_for("binary_crossentropy", ([prob(3, 4).round(), prob(3, 4)],),
                   ([prob(3, 4).round(), f(3, 4)], {"from_logits": True}))  # fmt: skip
CASES += cases_for("moments", ([f(4, 3, 2), [0]],), ([f(4, 3, 2), [0, 1]], {"keepdims": True}))
CASES += cases_for("batch_normalization", ([f(4, 3), f(3), pos(3)], {"axis": -1}),
                   ([f(4, 3, 2), f(3), pos(3)], {"axis": 1, "offset": f(3), "scale": f(3), "epsilon": 0.01}))  # fmt: skip
CASES += cases_for("normalize", ([f(3, 4)],), ([f(3, 4)], {"axis": 0, "order": 1}))
CASES += cases_for("layer_normalization", ([f(3, 4)],), ([f(3, 4)], {"gamma": f(4), "beta": f(4), "epsilon": 0.01}))
CASES += cases_for("rms_normalization", ([f(3, 4)],), ([f(3, 4)], {"scale": f(4)}))
CASES += cases_for("psnr", ([prob(2, 4, 4, 1), prob(2, 4, 4, 1), 1.0],))
CASES += cases_for("in_top_k", ([torch.tensor([0, 2, 1]), f(3, 4), 2],))
CASES += cases_for("dot_product_attention", ([f(2, 5, 2, 4), f(2, 6, 2, 4), f(2, 6, 2, 4)],),
                   ([f(2, 5, 2, 4), f(2, 5, 2, 4), f(2, 5, 2, 4)], {"is_causal": True}))  # fmt: skip
CASES += cases_for("conv", ([f(2, 7, 3), f(3, 3, 4)],), ([f(2, 7, 7, 3), f(3, 3, 3, 4)], {"strides": 2, "padding": "same"}),
                   ([f(2, 6, 6, 4), f(3, 3, 2, 4)], {"dilation_rate": 2}),
                   ([f(2, 3, 6, 6), f(2, 2, 3, 5)], {"data_format": "channels_first", "padding": "same"}),
                   ([f(1, 5, 5, 5, 2), f(2, 2, 2, 2, 3)], {"strides": (1, 2, 1)}))  # fmt: skip
CASES += cases_for("depthwise_conv", ([f(2, 7, 7, 3), f(3, 3, 3, 2)],),
                   ([f(2, 8, 3), f(3, 3, 1)], {"strides": 2, "padding": "same"}))  # fmt: skip
CASES += cases_for(
    "separable_conv",
    ([f(2, 7, 7, 3), f(3, 3, 3, 2), f(1, 1, 6, 4)], {"padding": "same"}),
)
CASES += cases_for("conv_transpose", ([f(2, 5, 5, 3), f(3, 3, 4, 3)],),
                   ([f(2, 5, 5, 3), f(3, 3, 4, 3)], {"strides": 2, "padding": "same"}),
                   ([f(2, 6, 3), f(4, 2, 3)], {"strides": 2}))  # fmt: skip
CASES += cases_for("max_pool", ([f(2, 6, 6, 3), 2],), ([f(2, 7, 7, 3), 3], {"strides": 2, "padding": "same"}),
                   ([f(2, 9, 3), 2], {"strides": 1}))  # fmt: skip
CASES += cases_for("average_pool", ([f(2, 6, 6, 3), 2],), ([f(2, 7, 7, 3), 3], {"strides": 2, "padding": "same"}),
                   ([f(2, 3, 8, 8), (2, 3)], {"data_format": "channels_first"}))  # fmt: skip
CASES += cases_for("adaptive_average_pool", ([f(2, 8, 8, 3), 2],))
CASES += cases_for("adaptive_max_pool", ([f(2, 8, 8, 3), (2, 4)],))
CASES += cases_for("depth_to_space", ([f(2, 3, 3, 8), 2],))
CASES += cases_for("space_to_depth", ([f(2, 4, 6, 3), 2],))
# math
for name in ["segment_sum", "segment_max", "segment_min", "segment_prod"]:
    CASES += cases_for(name, ([f(6, 2), torch.tensor([0, 0, 1, 1, 1, 3])], {"num_segments": 4}))
CASES += cases_for("extract_sequences", ([f(2, 10), 4, 2],))
CASES += cases_for("fft", ([(f(2, 8), f(2, 8))],))
CASES += cases_for("fft2", ([(f(2, 4, 4), f(2, 4, 4))],))
CASES += cases_for("ifft2", ([(f(2, 4, 4), f(2, 4, 4))],))
CASES += cases_for("rfft", ([f(2, 8)],), ([f(2, 8)], {"fft_length": 6}))
CASES += cases_for("irfft", ([(f(2, 5), f(2, 5))],))
# linalg
CASES += cases_for("cholesky", ([spd(3)],))
CASES += cases_for("det", ([f(3, 3)],), ([f(2, 3, 3)],))
CASES += cases_for("inv", ([spd(3)],))
CASES += cases_for("logdet", ([spd(3)],))
CASES += cases_for("slogdet", ([f(3, 3)],))
CASES += cases_for("solve", ([spd(3), f(3, 2)],))
CASES += cases_for("solve_triangular", ([torch.tril(spd(3)), f(3, 2)], {"lower": True}))
CASES += cases_for("eigh", ([spd(3)],))
CASES += cases_for("qr", ([f(4, 3)],), ([f(4, 3)], {"mode": "complete"}))
CASES += cases_for("svd", ([f(4, 3)], {"compute_uv": False}))
CASES += cases_for("matrix_rank", ([f(4, 3)],))
CASES += cases_for("norm", ([f(3, 4)],), ([f(3, 4)], {"axis": 1}), ([f(3, 4)], {"ord": "fro", "axis": (0, 1)}),
                   ([f(3, 4)], {"ord": 1, "axis": -1, "keepdims": True}))  # fmt: skip
CASES += cases_for("pinv", ([f(4, 3)],))
# image
CASES += cases_for("image.resize", ([prob(2, 6, 6, 3), (4, 5)],), ([prob(2, 6, 6, 3), (9, 8)], {"interpolation": "nearest"}),
                   ([prob(2, 6, 8, 3), (5, 5)], {"interpolation": "bicubic", "crop_to_aspect_ratio": True}),
                   ([prob(6, 8, 3), (4, 4)], {"antialias": True, "pad_to_aspect_ratio": True}),
                   ([prob(2, 3, 6, 6), (3, 3)], {"data_format": "channels_first"}))  # fmt: skip
CASES += cases_for("image.affine_transform",
                   ([prob(2, 6, 6, 3), torch.tensor([[1.0, 0.2, 0.5, 0.1, 0.9, -0.5, 0.0, 0.0]] * 2)],),
                   ([prob(6, 6, 3), torch.tensor([1.1, 0.0, -1.0, 0.0, 1.0, 1.0, 0.0, 0.0])],
                    {"interpolation": "nearest", "fill_mode": "reflect"}),
                   ([prob(2, 6, 6, 3), torch.tensor([[0.9, 0.1, 1.0, 0.0, 1.2, 0.0, 0.0, 0.0]] * 2)],
                    {"fill_mode": "wrap", "fill_value": 0.5}))  # fmt: skip
CASES += cases_for("image.pad_images", ([f(2, 4, 4, 3)], {"top_padding": 1, "bottom_padding": 2, "left_padding": 0,
                                                          "target_width": 6}),)  # fmt: skip
CASES += cases_for("image.crop_images", ([f(2, 6, 6, 3)], {"top_cropping": 1, "target_height": 3, "left_cropping": 2,
                                                           "right_cropping": 1}),)  # fmt: skip
CASES += cases_for(
    "image.rgb_to_grayscale", ([prob(2, 4, 4, 3)],), ([prob(3, 4, 4)], {"data_format": "channels_first"})
)
CASES += cases_for("image.rgb_to_hsv", ([prob(2, 4, 4, 3)],))
CASES += cases_for("image.hsv_to_rgb", ([prob(2, 4, 4, 3)],))
CASES += cases_for("image.extract_patches", ([f(2, 6, 6, 3), 2],), ([f(2, 7, 7, 3), (3, 2)], {"strides": 2,
                                                                                                "padding": "same"}))  # fmt: skip
CASES += cases_for("real", ([torch.complex(f(3), f(3))],), ([f(3)],))
CASES += cases_for("conj", ([torch.complex(f(3), f(3))],))
CASES += cases_for("imag", ([torch.complex(f(3), f(3))],))
CASES += cases_for("image.map_coordinates", ([f(5, 5), torch.stack([pos(3, 3), pos(3, 3)]), 1],))
# Keras' eager gaussian_blur reads data_format=None as channels_first (fitorch: the configured default), so it is given.
CASES += cases_for("image.gaussian_blur", ([prob(2, 7, 6, 3)], {"data_format": "channels_last"}),
                   ([prob(2, 3, 7, 6)], {"kernel_size": (5, 5), "sigma": (0.7, 1.6), "data_format": "channels_first"}),
                   ([prob(7, 6, 2), (3, 3), (2.0, 0.5)], {"data_format": "channels_last"}))  # fmt: skip
CASES += cases_for("image.sobel_edges", ([f(2, 5, 6, 3)], {"data_format": "channels_last"}),
                   ([f(2, 3, 5, 6)], {"data_format": "channels_first"}))  # fmt: skip
CASES += cases_for("image.ssim", ([prob(2, 12, 13, 3), prob(2, 12, 13, 3)],),
                   ([prob(3, 9, 9), prob(3, 9, 9)], {"max_val": 2.0, "filter_size": 7, "filter_sigma": 1.0, "k1": 0.02,
                                                     "k2": 0.05, "data_format": "channels_first"}))  # fmt: skip
_CORNERS = torch.tensor([[0.0, 0.0], [6.0, 0.0], [0.0, 5.0], [6.0, 5.0]])
CASES += cases_for("image.perspective_transform",
                   ([prob(2, 6, 7, 3), _CORNERS.repeat(2, 1, 1), _CORNERS + unit(2, 4, 2)],),
                   ([prob(3, 6, 7), _CORNERS, _CORNERS * 0.8 + 0.5],
                    {"interpolation": "nearest", "fill_value": 0.5, "data_format": "channels_first"}))  # fmt: skip
CASES += cases_for("image.scale_and_translate",
                   ([prob(2, 6, 7, 3), (2, 9, 4, 3), torch.tensor([1.5, 0.6]), torch.tensor([0.2, -0.3]), (1, 2),
                     "linear"],),
                   ([prob(2, 6, 7, 3), (2, 4, 11, 3), torch.tensor([0.7, 1.6]), torch.tensor([-0.5, 0.4]), (1, 2),
                     "bicubic"], {"antialias": False}),
                   ([prob(8, 9), (5, 12), torch.tensor([0.6, 1.3]), torch.tensor([0.0, 0.25]), (0, 1), "lanczos3"],),
                   ([prob(8, 9), (12, 5), torch.tensor([1.4, 0.6]), torch.tensor([0.1, 0.0]), (0, 1), "lanczos5"],))  # fmt: skip

# NaN-skipping reductions: about a third of the values are NaN, and one row of each input is all NaN.
NAN_X, NAN_Y = nans(3, 4, 5), nans(4, 6)
for name in ["nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanstd", "nanvar", "nanmedian"]:
    CASES += cases_for(name, ([NAN_X],), ([NAN_X], {"axis": 1}), ([NAN_X], {"axis": (0, 2), "keepdims": True}),
                       ([NAN_Y], {"axis": -1, "keepdims": True}), ([i(3, 4)], {"axis": 0}))  # fmt: skip
CASES += cases_for("nansum", ([i(3, 4, dtype=torch.int8)],), ([b(3, 4)], {"axis": 0}), ([NAN_Y.half()], {"axis": 1}))
CASES += cases_for("nanmean", ([NAN_Y.half()], {"axis": 1}), ([NAN_Y], {"axis": ()}))
for name in ["nanargmax", "nanargmin"]:
    CASES += cases_for(name, ([NAN_X],), ([NAN_X], {"axis": 1}), ([NAN_Y], {"axis": -1, "keepdims": True}),
                       ([NAN_Y], {"keepdims": True}), ([i(3, 4)], {"axis": 1}))  # fmt: skip
for name in ["nancumsum", "nancumprod"]:
    CASES += cases_for(name, ([NAN_Y],), ([NAN_Y], {"axis": 1}), ([i(3, 4)], {"axis": 0}), ([b(5)],))
CASES += cases_for("nanquantile", ([NAN_X, 0.3],), ([NAN_X, torch.tensor([0.1, 0.9])], {"axis": 1}),
                   ([NAN_X, 0.5], {"axis": (0, 2), "keepdims": True, "method": "nearest"}),
                   ([NAN_Y, torch.tensor([0.25, 0.5])], {"axis": (1,), "keepdims": True}),
                   ([NAN_Y.half(), 0.5], {"axis": 1}), ([i(3, 4), 0.3], {"axis": 1}))  # fmt: skip
CASES += cases_for("nanpercentile", ([NAN_X, 30.0], {"axis": 1}), ([NAN_Y, torch.tensor([10.0, 90.0])],))

# sets, statistics, distances
SMALL_INTS = i(3, 4, low=0, high=4)
CASES += cases_for("isin", ([SMALL_INTS, i(3, low=0, high=4)],), ([NAN_Y, NAN_Y[1:3, :2]], {"invert": True}),
                   ([b(4), torch.tensor([1])],), ([SMALL_INTS, [1.0, 3.0]], {"assume_unique": True}))  # fmt: skip
CASES += cases_for("unique", ([SMALL_INTS],), ([f(6).round()], {"return_counts": True}),
                   ([SMALL_INTS.ravel()], {"return_index": True, "return_inverse": True, "return_counts": True}),
                   ([torch.tensor([[1, 2], [0, 1], [1, 2]])], {"axis": 0, "return_inverse": True}),
                   ([SMALL_INTS.ravel()], {"size": 6, "fill_value": -1, "return_index": True, "return_counts": True}),
                   ([SMALL_INTS.ravel()], {"size": 2, "return_index": True}))  # fmt: skip
CASES += cases_for(
    "histogram", ([f(20)],), ([f(30)], {"bins": 4, "range": (-1.0, 1.0)}), ([f(20, dtype=torch.float64)],)
)
CASES += cases_for("corrcoef", ([f(3, 6)],), ([f(6)],), ([i(2, 5)],))
CASES += cases_for("correlate", ([f(5), f(3)],), ([f(6), f(3)], {"mode": "same"}), ([f(4), f(4)], {"mode": "full"}),
                   ([f(2), f(4)],), ([i(5), i(2)], {"mode": "full"}))  # fmt: skip
CASES += cases_for("cdist", ([f(4, 3), f(5, 3)],), ([f(2, 4, 3), f(2, 5, 3)],), ([f(2, 4, 3), f(5, 3)],),
                   ([i(3, 2), i(4, 2)],))  # fmt: skip

# patches, sequences, spectra
CASES += cases_for(
    "unfold", ([f(2, 3, 6, 5), 2],), ([f(1, 2, 7, 7), (3, 2)], {"dilation": 2, "padding": 1, "stride": (2, 1)})
)
CASES += cases_for("fold", ([f(2, 12, 4), 4, 2], {"stride": 2}),
                   ([f(1, 8, 12), (5, 4), (2, 2)], {"dilation": (1, 2), "padding": (1, 0)}))  # fmt: skip
CTC_TARGET = torch.tensor([[1, 2, 2, 0], [3, 1, 0, 0], [2, 0, 0, 0]])
CASES += cases_for("ctc_loss", ([CTC_TARGET, f(3, 8, 5), torch.tensor([3, 2, 1]), torch.tensor([8, 6, 4])],),
                   ([CTC_TARGET, f(3, 8, 5), torch.tensor([3, 2, 1]), torch.tensor([8, 8, 8])], {"mask_index": 4}),
                   ([CTC_TARGET, f(3, 8, 5), torch.tensor([3, 2, 1]), torch.tensor([8, 6, 2])],))  # fmt: skip
CASES += cases_for("stft", ([f(2, 40), 16, 8, 16],), ([f(2, 3, 40), 12, 5, 16], {"window": "hamming", "center": False}),
                   ([f(40, dtype=torch.float64), 8, 4, 8], {"window": None}),
                   ([f(2, 40), 6, 3, 8], {"window": pos(6)}))  # fmt: skip
_SPECTRUM = ops.stft(f(2, 3, 48), 16, 4, 16)
_SPECTRUM_PADDED = ops.stft(f(2, 48), 12, 5, 16, window="hamming", center=False)
CASES += cases_for("istft", ([_SPECTRUM, 16, 4, 16],), ([_SPECTRUM, 16, 4, 16], {"length": 40}),
                   ([_SPECTRUM_PADDED, 12, 5, 16], {"window": "hamming", "center": False}),
                   ([ops.stft(f(2, 48), 12, 4, 16), 12, 4, 16], {"length": 48}),
                   ([ops.stft(f(2, 40, dtype=torch.float64), 8, 4, 8, window=None), 8, 4, 8], {"window": None}))  # fmt: skip
CASES += cases_for("ctc_decode", ([f(3, 7, 5), torch.tensor([7, 4, 2])],),
                   ([f(3, 7, 5), torch.tensor([7, 7, 3])], {"merge_repeated": False, "mask_index": None}),
                   ([f(2, 6, 4).half(), torch.tensor([6, 5])], {"mask_index": 2}),
                   ([f(3, 7, 5) * 2, torch.tensor([7, 4, 1])], {"strategy": "beam_search", "beam_width": 4,
                                                                "top_paths": 2}),
                   ([f(2, 6, 3), torch.tensor([6, 3])], {"strategy": "beam_search", "beam_width": 10, "top_paths": 4,
                                                         "mask_index": None}))  # fmt: skip
CASES += cases_for("view", ([f(2, 4)], {"dtype": "int32"}), ([i(2, 4)], {"dtype": "int16"}),
                   ([i(3, 4, dtype=torch.int8)], {"dtype": "int32"}), ([f(3, 2, dtype=torch.float64), "float32"],),
                   ([f(3)],))  # fmt: skip
CASES += cases_for("rearrange", ([f(2, 4, 6, 3), "b h w c -> b c h w"],), ([f(2, 4, 6, 3), "b h w c -> (b h) w c"],),
                   ([f(2, 4, 6, 3), "b h w c -> h (b w) c"],),
                   ([f(2, 4, 6, 3), "b (h1 h) (w1 w) c -> (b h1 w1) h w c"], {"h1": 2, "w1": 3}),
                   ([f(2, 4, 6, 3), "b (h h1) (w w1) c -> b h w (c h1 w1)"], {"h1": 2, "w1": 2}))  # fmt: skip

# Ops that create tensors from Python values; checked eagerly only.
CREATION = (
    cases_for("arange", ([5],), ([1, 7, 2],), ([0.5, 3.0, 0.5],), ([5], {"dtype": "float32"}))
    + cases_for("zeros", ([(2, 3)],), ([4], {"dtype": "int32"}))
    + cases_for("ones", ([(2, 3)],))
    + cases_for("full", ([(2, 3), 1.5],), ([(2,), 3],))
    + cases_for("eye", ([3],), ([3, 4], {"k": 1}), ([3], {"k": -1, "dtype": "int32"}))
    + cases_for("identity", ([3],))
    + cases_for("tri", ([3],), ([3, 4], {"k": 1}))
    + cases_for("linspace", ([0.0, 1.0, 5],), ([0.0, 1.0, 4], {"endpoint": False}))
    + cases_for("logspace", ([0.0, 2.0, 3],))
    + cases_for("geomspace", ([1.0, 8.0, 4],))
    + cases_for("array", ([[1.0, 2.0]],), ([[1, 2]],))
    + cases_for("convert_to_tensor", ([np.arange(4.0)],), ([[1, 2]],), ([3.5],))
    + cases_for("meshgrid", ([f(3), f(2)],), ([f(3), f(2)], {"indexing": "ij"}))
    + cases_for("size", ([f(3, 4)],))
    + cases_for("ndim", ([f(3, 4)],))
    + cases_for("shape", ([f(3, 4)],))
    + cases_for("unravel_index", ([torch.tensor([5, 7]), (3, 4)],))
    + cases_for("bartlett", ([5],), ([1],), ([0],))
    + cases_for("blackman", ([6],), ([7],))
    + cases_for("hamming", ([7],), ([4],))
    + cases_for("hanning", ([4],), ([5],))
    + cases_for("kaiser", ([6, 3.0],), ([5, 0.5],))
)
