"""Python operators on symbolic tensors record op nodes; equal to the same operators on torch tensors."""

from __future__ import annotations

import operator

import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.ops.op_layer import OpLayer

X = torch.randn(4, 3, generator=torch.Generator().manual_seed(0))
Y = torch.randn(4, 3, generator=torch.Generator().manual_seed(1))
W = torch.randn(3, 2, generator=torch.Generator().manual_seed(2))

BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.lt, operator.le, operator.gt,
          operator.ge, operator.floordiv, operator.mod]  # fmt: skip
UNARY = {
    "neg": (lambda t: -t, "negative"), "abs": (abs, "abs"), "pow": (lambda t: t**2, "power"),
    "rpow": (lambda t: 2.0**t, "power"), "radd": (lambda t: 1 + t, "add"), "rsub": (lambda t: 1 - t, "subtract"),
    "rmul": (lambda t: 2 * t, "multiply"), "rdiv": (lambda t: 1 / t, "divide"), "matmul": (lambda t: t @ W, "matmul"),
    "getitem": (lambda t: t[:, 0], "get_item"), "ellipsis": (lambda t: t[..., 1:3], "get_item"),
    "newaxis": (lambda t: t[:, None], "get_item"), "step": (lambda t: t[::2], "get_item"),
    "round": (lambda t: torch.round(t) if isinstance(t, torch.Tensor) else round(t), "round"), "invert": (lambda t: ~(t > 0), "logical_not"),
}  # fmt: skip


def _ops_in(model: fitorch.Model) -> list[str]:
    return [m.op for m in model.modules() if isinstance(m, OpLayer)]


@pytest.mark.parametrize("op", BINARY, ids=lambda o: o.__name__)
def test_binary_operator(op) -> None:
    x, y = layers.Input(shape=(3,)), layers.Input(shape=(3,))
    model = fitorch.Model([x, y], op(x, y))
    torch.testing.assert_close(model([X, Y]), op(X, Y), rtol=0, atol=0)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_and_scalar_operators(name: str) -> None:
    function, op_name = UNARY[name]
    x = layers.Input(shape=(3,))
    model = fitorch.Model(x, function(x))
    assert op_name in _ops_in(model)
    torch.testing.assert_close(model(X), function(X), rtol=0, atol=0)


def test_logical_operators_on_bools() -> None:
    x, y = layers.Input(shape=(3,), dtype="bool"), layers.Input(shape=(3,), dtype="bool")
    model = fitorch.Model([x, y], [x & y, x | y, x ^ y])
    a, b = X > 0, Y > 0
    assert [t.tolist() for t in model([a, b])] == [(a & b).tolist(), (a | b).tolist(), (a ^ b).tolist()]


def test_operators_work_with_an_unknown_batch_size() -> None:
    x = layers.Input(shape=(3,))
    y = (x * 2 - 1)[:, 1:]
    assert y.shape == (None, 2)
    model = fitorch.Model(x, y)
    assert model(torch.ones(7, 3)).shape == (7, 2)


def test_equality_keeps_its_identity_meaning() -> None:
    x, y = layers.Input(shape=(3,)), layers.Input(shape=(3,))
    assert x == x and x != y and len({x, y, x}) == 2


@pytest.mark.parametrize(
    ("action", "message"),
    [(bool, "truth value"), (len, r"len\(\)"), (iter, "Iterating over"), (list, "Iterating over")],
    ids=["bool", "len", "iter", "list"],
)
def test_value_dependent_python_refuses_clearly(action, message: str) -> None:
    x = layers.Input(shape=(3,))
    with pytest.raises(TypeError, match=message):
        action(x)


def test_raw_torch_functions_still_refuse_with_the_hint() -> None:
    x = layers.Input(shape=(3,))
    with pytest.raises(TypeError, match=r"relu received a SymbolicTensor.*fitorch\.ops\.relu"):
        torch.relu(x)


M = torch.randn(3, 3, generator=torch.Generator().manual_seed(3))
REFLECTED = {
    "rtruediv": lambda t: 3.0 / t, "rfloordiv": lambda t: 3.0 // t, "rmod": lambda t: 3.0 % t,
    "rmatmul": lambda t: M.tolist() @ t if not isinstance(t, torch.Tensor) else M @ t,
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(REFLECTED))
def test_reflected_operators(name: str) -> None:
    function = REFLECTED[name]
    x = layers.Input(shape=(3, 3))
    data = torch.randn(2, 3, 3, generator=torch.Generator().manual_seed(4))
    torch.testing.assert_close(fitorch.Model(x, function(x))(data), function(data))


def test_reflected_logical_operators_with_python_bools() -> None:
    x = layers.Input(shape=(3,), dtype="bool")
    model = fitorch.Model(x, [True & x, False | x, True ^ x])
    a = X > 0
    assert [t.tolist() for t in model(a)] == [(True & a).tolist(), (False | a).tolist(), (True ^ a).tolist()]
