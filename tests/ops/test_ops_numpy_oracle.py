"""Where Keras 3.15's torch backend departs from the NumPy semantics Keras documents, NumPy is the oracle."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from fitorch import ops

RNG = np.random.default_rng(7)
A = RNG.standard_normal((3, 4)).astype("float32")


def sparsemax_reference(z: np.ndarray) -> np.ndarray:
    """Martins & Astudillo (2016), Algorithm 1, row by row."""
    out = np.zeros_like(z)
    for row, values in enumerate(z):
        ordered = np.sort(values)[::-1]
        k = np.arange(1, len(values) + 1)
        support = 1 + k * ordered > np.cumsum(ordered)
        k_z = k[support][-1]
        tau = (np.cumsum(ordered)[k_z - 1] - 1) / k_z
        out[row] = np.maximum(values - tau, 0)
    return out


def test_sparsemax_projects_onto_the_simplex() -> None:
    z = np.array([[0.5, 0.5, -1.0], *A[:, :3]], dtype="float32")
    result = ops.sparsemax(torch.as_tensor(z)).numpy()
    np.testing.assert_allclose(result, sparsemax_reference(z), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(result.sum(-1), 1.0, rtol=1e-6)


@pytest.mark.parametrize(("width", "mode"), [(1, "constant"), (((1, 2), (2, 1)), "symmetric"),
                                             (((2, 0), (1, 3)), "edge"), (((1, 1), (2, 2)), "wrap")])  # fmt: skip
def test_pad_as_numpy(width, mode) -> None:
    np.testing.assert_array_equal(ops.pad(torch.as_tensor(A), width, mode=mode).numpy(), np.pad(A, width, mode=mode))


def test_take_wraps_negative_indices_over_the_flattened_array() -> None:
    indices = np.array([[0, -1], [5, -12]])
    np.testing.assert_array_equal(ops.take(torch.as_tensor(A), torch.as_tensor(indices)).numpy(), np.take(A, indices))


def test_dot_of_nd_arrays_as_numpy() -> None:
    a, b = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((5, 4, 2))
    np.testing.assert_allclose(ops.dot(torch.as_tensor(a), torch.as_tensor(b)).numpy(), np.dot(a, b), rtol=1e-12)


def test_nonzero_as_numpy() -> None:
    x = np.array([[0, 1, 0], [2, 0, 3]])
    result = ops.nonzero(torch.as_tensor(x))
    assert [r.dtype for r in result] == [torch.int32, torch.int32]
    assert [r.tolist() for r in result] == [r.tolist() for r in np.nonzero(x)]


def test_one_hot_of_out_of_range_classes_is_zero() -> None:
    result = ops.one_hot(torch.tensor([-1, 0, 3]), 3).numpy()
    np.testing.assert_array_equal(result, np.eye(3, dtype="float32")[[0, 0, 0]] * np.array([[0], [1], [0]]))


def test_real_and_imag_of_real_input() -> None:
    x = torch.as_tensor(A)
    assert torch.equal(ops.real(x), x) and torch.equal(ops.imag(x), torch.zeros_like(x))


NAN_A = np.where(A > 0.5, np.nan, A).astype("float64")


@pytest.mark.parametrize("name", ["nanmean", "nanvar", "nanstd", "nanmedian", "nanprod", "nansum", "nanmax"])
def test_nan_reductions_of_float64_stay_float64(name) -> None:
    # Keras 3.15's torch backend returns float32 here; NumPy (and fitorch's plain reductions) keep float64.
    result = ops.get_op(name)(torch.as_tensor(NAN_A), axis=0)
    assert result.dtype == torch.float64
    np.testing.assert_allclose(result.numpy(), getattr(np, name)(NAN_A, axis=0), rtol=1e-12)


@pytest.mark.parametrize("name", ["nancumsum", "nancumprod"])
def test_nan_cumulative_ops_keep_infinities_and_dtype(name) -> None:
    # Keras' torch backend goes through nan_to_num, which also turns +-inf into the largest finite floats.
    x = np.array([[1.0, np.inf, np.nan], [np.nan, -np.inf, 2.0]], dtype="float32")
    np.testing.assert_array_equal(ops.get_op(name)(torch.as_tensor(x)).numpy(), getattr(np, name)(x))
    result = ops.get_op(name)(torch.as_tensor(x), axis=1, dtype="float64")
    assert result.dtype == torch.float64
    np.testing.assert_array_equal(result.numpy(), getattr(np, name)(x, axis=1, dtype="float64"))


def test_nanprod_keepdims_without_axis_keeps_every_axis() -> None:
    # Keras' torch backend drops keepdims when axis is None.
    result = ops.nanprod(torch.as_tensor(NAN_A), keepdims=True)
    np.testing.assert_allclose(result.numpy(), np.nanprod(NAN_A, keepdims=True), rtol=1e-12)


@pytest.mark.parametrize(("kth", "axis"), [(0, -1), (2, -1), ((0, 3), -1), (-1, 0), (1, None)])
def test_argpartition_partitions_as_numpy(kth, axis) -> None:
    # The order inside the partitions is unspecified (Keras', NumPy's and fitorch's differ), so check the property.
    # Keras 3.15's torch backend also casts x to int32 first, which breaks float inputs; NumPy is the oracle.
    x = np.round(RNG.standard_normal((3, 5)), 1).astype("float32")
    result = ops.argpartition(torch.as_tensor(x), kth, axis=axis).numpy()
    assert result.dtype == np.int32
    values = np.take_along_axis(x.ravel() if axis is None else x, result, axis=-1 if axis is None else axis)
    expected = np.take_along_axis(x.ravel() if axis is None else x, np.argpartition(x, kth, axis=axis),
                                  axis=-1 if axis is None else axis)  # fmt: skip
    taken = np.moveaxis(values, -1 if axis is None else axis, -1)
    want = np.moveaxis(expected, -1 if axis is None else axis, -1)
    for k in np.atleast_1d(kth) % taken.shape[-1]:
        np.testing.assert_array_equal(taken[..., k], want[..., k])
        assert (taken[..., :k] <= taken[..., k : k + 1]).all() and (taken[..., k:] >= taken[..., k : k + 1]).all()


def test_unique_of_2d_input_with_first_indices_as_numpy() -> None:
    # Keras' torch backend fails here: its inverse keeps x's shape, which its scatter cannot take.
    x = RNG.integers(0, 4, (3, 4))
    values, index, inverse, counts = ops.unique(torch.as_tensor(x), return_index=True, return_inverse=True,
                                                return_counts=True)  # fmt: skip
    for got, want in zip((values, index, inverse, counts), np.unique(x, True, True, True), strict=True):
        np.testing.assert_array_equal(got.numpy(), want)


@pytest.mark.parametrize("bins", [1, 3, 5])
def test_histogram_as_numpy_with_values_on_the_edges(bins) -> None:
    x = np.array([0, 1, 2, 3, 4, 5, 6, 6, -1], dtype="float32")
    for value_range in (None, (0.0, 6.0), (1.0, 4.0)):
        counts, edges = ops.histogram(torch.as_tensor(x), bins=bins, range=value_range)
        want_counts, want_edges = np.histogram(x, bins=bins, range=value_range)
        np.testing.assert_array_equal(counts.numpy(), want_counts)
        np.testing.assert_allclose(edges.numpy(), want_edges, rtol=1e-6)
    counts, edges = ops.histogram(torch.tensor([2, 2, 2]), bins=2)  # ints (Keras' torch backend refuses them)
    assert counts.dtype == torch.float32 and counts.tolist() == [0.0, 3.0] and edges.tolist() == [1.5, 2.0, 2.5]


@pytest.mark.parametrize(("m", "n"), [(2, 4), (4, 4), (1, 3), (5, 2)])
@pytest.mark.parametrize("mode", ["valid", "same", "full"])
def test_correlate_as_numpy(m, n, mode) -> None:
    # Keras' torch backend squeezes a length-1 result to a scalar, and centres 'same' on x1 when x1 is shorter.
    a, v = RNG.standard_normal(m), RNG.standard_normal(n)
    result = ops.correlate(torch.as_tensor(a), torch.as_tensor(v), mode=mode)
    assert result.dtype == torch.float64
    np.testing.assert_allclose(result.numpy(), np.correlate(a, v, mode=mode), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["bartlett", "blackman", "hamming", "hanning"])
def test_windows_as_numpy(name) -> None:
    for points in (0, 1, 2, 7):
        result = ops.get_op(name)(points)
        np.testing.assert_allclose(result.numpy(), getattr(np, name)(points), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(ops.kaiser(9, 4.0).numpy(), np.kaiser(9, 4.0), rtol=1e-6, atol=1e-6)


def test_cdist_as_numpy_and_its_gradient_at_zero_distance() -> None:
    x, y = RNG.standard_normal((4, 3)), RNG.standard_normal((5, 3))
    expected = np.sqrt(((x[:, None] - y[None]) ** 2).sum(-1))
    np.testing.assert_allclose(ops.cdist(torch.as_tensor(x), torch.as_tensor(y)).numpy(), expected, rtol=1e-12)
    same = torch.ones(2, 3, requires_grad=True)
    ops.cdist(same, same.detach()).sum().backward()
    assert torch.isfinite(same.grad).all()


def test_ctc_loss_of_float64_logits_is_float64_and_sums_over_alignments() -> None:
    # Keras 3.15's torch backend returns float32 for float64 logits; its stated rule (tf.nn.ctc_loss's
    # promotion, result_type(output, float32)) and torch keep float64.
    logits = RNG.standard_normal((1, 3, 3))
    loss = ops.ctc_loss(torch.tensor([[1, 2]]), torch.as_tensor(logits), torch.tensor([2]), torch.tensor([3]))
    assert loss.dtype == torch.float64
    # The alignments of "1 2" in 3 steps with blank 0: 0 1 2, 1 0 2, 1 2 0, 1 1 2, 1 2 2.
    p = np.exp(logits[0]) / np.exp(logits[0]).sum(-1, keepdims=True)
    paths = [(0, 1, 2), (1, 0, 2), (1, 2, 0), (1, 1, 2), (1, 2, 2)]
    expected = -np.log(sum(np.prod([p[t, c] for t, c in enumerate(path)]) for path in paths))
    np.testing.assert_allclose(loss.numpy(), [expected], rtol=1e-12)
