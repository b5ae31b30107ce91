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
