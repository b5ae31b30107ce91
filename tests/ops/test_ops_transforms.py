"""Ops that take functions (vectorized_map, vectorize, associative_scan, custom_gradient, jvp) against
Keras' keras.ops on its torch backend, and the errors of the ops added with them."""

from __future__ import annotations

import itertools

import keras
import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers, ops
from tests.ops.oracle import assert_same

RNG = np.random.default_rng(11)


def t(*shape: int) -> torch.Tensor:
    return torch.as_tensor(RNG.standard_normal(shape), dtype=torch.float32)


def test_vectorized_map_matches_keras() -> None:
    x, y = t(4, 3), t(4, 3)
    assert_same(ops.vectorized_map(lambda row: row @ row, x), keras.ops.vectorized_map(lambda row: row @ row, x))
    pair = lambda e: e[0] * e[1] + e[0].sum()  # noqa: E731
    assert_same(ops.vectorized_map(pair, [x, y]), keras.ops.vectorized_map(pair, [x, y]))


def test_vectorized_map_loops_where_vmap_cannot_batch() -> None:
    # Branching on a value (.item()) is refused by torch.vmap; the loop gives what stacking would.
    x = torch.tensor([[1.0, 2.0], [-3.0, 1.0]])
    result = ops.vectorized_map(lambda row: row * 2 if row.sum().item() > 0 else -row, x)
    torch.testing.assert_close(result, torch.tensor([[2.0, 4.0], [3.0, -1.0]]))


@pytest.mark.parametrize(("signature", "shapes"), [(None, [(3, 1, 4), (5, 1)]), (None, [(2, 3), ()]),
                                                   ("(m,n),(n)->(m)", [(2, 1, 3, 4), (5, 4)]),
                                                   ("(n),(n)->()", [(6, 3), (3,)])])  # fmt: skip
def test_vectorize_matches_keras(signature, shapes) -> None:
    args = [t(*s) for s in shapes]
    if signature is None:
        function = lambda a, b: a * b + 1  # noqa: E731
    else:
        function = torch.mv if signature.startswith("(m") else torch.dot
    expected = keras.ops.vectorize(function, signature=signature)(*args)
    assert_same(ops.vectorize(function, signature=signature)(*args), expected)


def test_vectorize_excluded_as_numpy() -> None:
    # Keras 3.15 ignores `excluded` (it resets it to an empty set); NumPy is the oracle here.
    power = lambda a, p: a**p  # noqa: E731
    x = np.array([1.0, 2.0, 3.0])
    result = ops.vectorize(power, excluded={1})(torch.as_tensor(x), 3)
    np.testing.assert_allclose(result.numpy(), np.vectorize(power, excluded={1})(x, 3))


@pytest.mark.parametrize("count", [1, 2, 5, 8, 11])
@pytest.mark.parametrize(("reverse", "axis"), [(False, 0), (True, 0), (False, -1), (True, 1)])
def test_associative_scan_of_a_sum_matches_keras(count, reverse, axis) -> None:
    x = t(count, count + 1)
    expected = keras.ops.associative_scan(lambda a, b: a + b, x, reverse=reverse, axis=axis)
    assert_same(ops.associative_scan(lambda a, b: a + b, x, reverse=reverse, axis=axis), expected)


def test_associative_scan_of_a_structure_matches_keras() -> None:
    elems = (t(7), torch.arange(1.0, 8.0))
    combine = lambda a, b: (a[0] + b[0], a[1] * b[1])  # noqa: E731
    assert_same(list(ops.associative_scan(combine, elems)), keras.ops.associative_scan(combine, elems))


def test_associative_scan_keeps_order_for_a_non_commutative_operation() -> None:
    # Matrix products: the order matters, so the oracle is the sequential left-to-right product.
    matrices = t(9, 2, 2).double()
    scanned = ops.associative_scan(torch.matmul, matrices)
    expected, total = [], torch.eye(2, dtype=torch.float64)
    for matrix in matrices:
        total = total @ matrix
        expected.append(total)
    torch.testing.assert_close(scanned, torch.stack(expected))
    assert ops.associative_scan(lambda a, b: a + b, torch.arange(5)).dtype == torch.int64  # Keras gives float32


def test_custom_gradient_matches_keras() -> None:
    def make(custom_gradient):
        @custom_gradient
        def scaled_square(x, y):
            def grad(*args, upstream=None):
                return upstream * 10.0 * x, upstream * 0.5

            return x * x + y, grad

        return scaled_square

    results = []
    for custom_gradient in (keras.ops.custom_gradient, ops.custom_gradient):
        x, y = torch.tensor([1.0, -2.0], requires_grad=True), torch.tensor([3.0, 4.0], requires_grad=True)
        out = make(custom_gradient)(x, y)
        out.sum().backward()
        results.append((out.detach(), x.grad, y.grad))
    assert_same(results[1], results[0])
    torch.testing.assert_close(results[1][1], torch.tensor([10.0, -20.0]))


def test_custom_gradient_with_a_non_tensor_argument_and_errors() -> None:
    @ops.custom_gradient
    def times(x, factor):
        return x * factor, lambda x, factor, upstream: (upstream * 0.0, None)

    x = torch.ones(3, requires_grad=True)
    times(x, 4.0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]

    @ops.custom_gradient
    def no_grad_fn(x):
        return x * 2

    with pytest.raises(TypeError, match=r"ops.custom_gradient: the function must return \(output, grad_fn\)"):
        no_grad_fn(torch.ones(2, requires_grad=True))


@pytest.mark.parametrize("has_aux", [False, True])
def test_jvp_matches_keras(has_aux) -> None:
    def fun(a, b):
        out = torch.sin(a) * b
        return (out, a.sum()) if has_aux else out

    primals, tangents = (t(3), t(3)), (t(3), t(3))
    assert_same(ops.jvp(fun, primals, tangents, has_aux=has_aux),
                keras.ops.jvp(fun, primals, tangents, has_aux=has_aux))  # fmt: skip


def test_istft_inverts_stft() -> None:
    signal = t(2, 96)
    rebuilt = ops.istft(ops.stft(signal, 32, 8, 32), 32, 8, 32, length=96)
    torch.testing.assert_close(rebuilt, signal, rtol=1e-4, atol=1e-4)
    # Frames shorter than the FFT (Keras' own overlap-add): exact where whole frames overlap.
    rebuilt = ops.istft(ops.stft(signal, 24, 6, 32, window="hamming"), 24, 6, 32, length=96, window="hamming")
    torch.testing.assert_close(rebuilt[:, 16:-16], signal[:, 16:-16], rtol=1e-4, atol=1e-4)


def test_ctc_decode_keeps_float64_scores_and_sums_the_best_scores() -> None:
    # Keras 3.15 returns float32 scores for float64 inputs; fitorch keeps float64, as ctc_loss does.
    logits = RNG.standard_normal((2, 5, 4))
    decoded, scores = ops.ctc_decode(torch.as_tensor(logits), torch.tensor([5, 3]))
    assert decoded.dtype == torch.int32 and scores.dtype == torch.float64
    expected = [-logits[0].max(-1).sum(), -logits[1, :3].max(-1).sum()]
    np.testing.assert_allclose(scores[:, 0].numpy(), expected, rtol=1e-12)


def test_ctc_beam_search_with_a_wide_beam_finds_the_most_probable_labelings() -> None:
    # Independent oracle: every alignment of 4 steps over 3 classes, collapsed (repeats, then blanks 0).
    logits = RNG.standard_normal((1, 4, 3)) * 2
    probs = np.exp(logits[0]) / np.exp(logits[0]).sum(-1, keepdims=True)
    totals: dict[tuple[int, ...], float] = {}
    for alignment in itertools.product(range(3), repeat=4):
        merged = [c for n, c in enumerate(alignment) if n == 0 or c != alignment[n - 1]]
        labels = tuple(c for c in merged if c != 0)
        totals[labels] = totals.get(labels, 0.0) + np.prod([probs[t, c] for t, c in enumerate(alignment)])
    best = sorted(totals.items(), key=lambda item: -item[1])[:3]
    decoded, scores = ops.ctc_decode(torch.as_tensor(logits), torch.tensor([4]), strategy="beam_search",
                                     beam_width=100, top_paths=3)  # fmt: skip
    assert [tuple(row[row >= 0].tolist()) for row in decoded[:, 0]] == [labels for labels, _ in best]
    np.testing.assert_allclose(scores[0].numpy(), np.log([p for _, p in best]), rtol=1e-10)


def test_ctc_decode_in_a_model() -> None:
    inputs = layers.Input(shape=(6, 4))
    lengths = layers.Input(shape=(), dtype="int32")
    decoded, scores = ops.ctc_decode(inputs, lengths)
    model = fitorch.Model([inputs, lengths], [decoded, scores])
    x, n = t(3, 6, 4), torch.tensor([6, 2, 4], dtype=torch.int32)
    assert_same(model([x, n]), list(ops.ctc_decode(x, n)))


BAD = [
    (lambda: ops.istft((torch.ones(3, 5), torch.ones(3, 5)), 8, 0, 8), ValueError,
     "ops.istft: sequence_stride must be a positive int"),
    (lambda: ops.istft(torch.ones(3, 5), 8, 4, 8), ValueError, r"ops.istft: x must be a \(real, imag\) pair"),
    (lambda: ops.istft((torch.ones(3, 5), torch.ones(3, 5)), 8, 4, 8, window="kaiser"), ValueError,
     "ops.istft: window must be 'hann', 'hamming'"),
    (lambda: ops.ctc_decode(torch.ones(2, 3, 4), torch.ones(2), strategy="beam"), ValueError,
     "ops.ctc_decode: strategy must be 'greedy' or 'beam_search'; received strategy='beam'"),
    (lambda: ops.ctc_decode(torch.ones(2, 3, 4), torch.ones(2), strategy="beam_search", beam_width=0), ValueError,
     "ops.ctc_decode: beam_width must be a positive int; received beam_width=0"),
    (lambda: ops.ctc_decode(torch.ones(3, 4), torch.ones(3)), ValueError, "ops.ctc_decode: inputs must be 3D"),
    (lambda: ops.ctc_decode(torch.ones(2, 3, 4), torch.ones(3)), ValueError,
     r"ops.ctc_decode: sequence_lengths must have shape \(2,\)"),
    (lambda: ops.view(torch.ones(3, dtype=torch.int8), "int32"), ValueError,
     "ops.view: cannot view a torch.int8 tensor of shape"),
    (lambda: ops.rearrange(torch.ones(2, 3), "a b"), ValueError, "ops.rearrange: pattern must be a string"),
    (lambda: ops.rearrange(torch.ones(2, 3), "a b c -> a b c"), ValueError,
     r"ops.rearrange: pattern 'a b c -> a b c' names 3 input axes; received a tensor of rank 2"),
    (lambda: ops.rearrange(torch.ones(2, 3), "a b -> a c"), ValueError, "same axis names on both sides"),
    (lambda: ops.rearrange(torch.ones(2, 6), "a (b c) -> a b c"), ValueError, "give the sizes of all but one"),
    (lambda: ops.rearrange(torch.ones(2, 6), "a (b c) -> a b c", b=4), ValueError,
     r"input axis \(b c\) has size 6, which does not split"),
    (lambda: ops.rearrange(torch.ones(2, 3, 4), "a ... -> a"), ValueError, "Keras' rearrange has no '...'"),
    (lambda: ops.vectorized_map(3, torch.ones(2)), TypeError, "ops.vectorized_map: function must be a callable"),
    (lambda: ops.vectorize(3), ValueError, "ops.vectorize: pyfunc must be a callable; received int"),
    (lambda: ops.vectorize(torch.mv, signature="m,n->m"), ValueError, "ops.vectorize: signature must look like"),
    (lambda: ops.vectorize(torch.mv, signature="(m,n),(n)->(m)")(torch.ones(2, 3), torch.ones(4)), ValueError,
     "ops.vectorize: core axis 'n' has sizes 3 and 4"),
    (lambda: ops.associative_scan(torch.add, [torch.ones(3), torch.ones(4)]), ValueError,
     "ops.associative_scan: every tensor in elems needs the same size along axis 0"),
    (lambda: ops.associative_scan(torch.add, torch.ones(3), axis=1), ValueError,
     "ops.associative_scan: axis=1 is out of range"),
    (lambda: ops.jvp(torch.sin, torch.ones(2), (torch.ones(2),)), TypeError,
     "ops.jvp: primals must be a tuple or list"),
    (lambda: ops.jvp(torch.sin, (torch.ones(2),), ()), ValueError,
     "ops.jvp: primals and tangents need the same length"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "message"), BAD, ids=lambda v: None)
def test_bad_arguments(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("name", ["vectorized_map", "associative_scan", "jvp"])
def test_function_ops_refuse_symbolic_tensors(name) -> None:
    x = layers.Input(shape=(3,))
    call = {
        "vectorized_map": lambda: ops.vectorized_map(torch.sin, x),
        "associative_scan": lambda: ops.associative_scan(torch.add, x),
        "jvp": lambda: ops.jvp(torch.sin, (x,), (x,)),
    }[name]
    with pytest.raises(TypeError, match=f"ops.{name} received a SymbolicTensor"):
        call()
