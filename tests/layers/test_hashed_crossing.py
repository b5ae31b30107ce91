"""HashedCrossing tests.

Keras' ``HashedCrossing`` needs TensorFlow (``tf.sparse.cross_hashed``), which is not installed, so the
oracle is (1) Keras' documented outputs (its docstring and ``hashed_crossing_test.py``) and (2) an
independent computation of the crossed hash written here from TensorFlow's ``sparse_cross_op.cc``: start
from the default key ``0xDECAFCAFFE`` and fold in each feature's hash (FarmHash ``Fingerprint64`` of a
string, the int64 value itself for an integer) with ``FingerprintCat64``, in NumPy ``uint64`` arithmetic.
(``fingerprint64`` itself is checked against Google's FarmHash in ``test_hashing.py``.)
"""

import json

import numpy as np
import pytest
import torch

from fitorch.layers import Input
from fitorch.layers.preprocessing import HashedCrossing
from fitorch.layers.preprocessing.string_hashing import fingerprint64

FEATURE_1 = np.array(["A", "B", "A", "B", "A"])
FEATURE_2 = np.array([101, 101, 101, 102, 102])


def _oracle(features, num_bins):
    """TensorFlow's HashCrosser::Generate, element by element, in wrapping uint64 NumPy arithmetic."""
    mul = np.uint64(0xC6A4A7935BD1E995)
    shift = np.uint64(47)
    out = []
    with np.errstate(over="ignore"):
        for values in zip(*[np.asarray(f).reshape(-1) for f in features], strict=True):
            crossed = np.uint64(0xDECAFCAFFE)
            for value in values:
                if isinstance(value, (str, np.str_)):
                    feature_hash = np.uint64(fingerprint64(str(value).encode()))
                else:
                    feature_hash = np.int64(value).astype(np.uint64)
                mixed = feature_hash * mul
                result = crossed ^ mul
                result ^= (mixed ^ (mixed >> shift)) * mul
                result *= mul
                result = (result ^ (result >> shift)) * mul
                crossed = result ^ (result >> shift)
            out.append(int(crossed) % num_bins)
    return np.array(out)


def test_keras_documented_values():
    output = HashedCrossing(num_bins=5)((FEATURE_1, FEATURE_2))
    assert output.dtype == torch.int64
    np.testing.assert_array_equal(output.numpy(), [1, 4, 1, 1, 3])
    one_hot = HashedCrossing(num_bins=5, output_mode="one_hot")((FEATURE_1, FEATURE_2))
    assert one_hot.dtype == torch.float32
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(5)[[1, 4, 1, 1, 3]])
    scalar = HashedCrossing(num_bins=10)((np.array("A"), np.array(101)))  # Keras' test_tf_string
    assert scalar.shape == () and int(scalar) == 1
    column = HashedCrossing(num_bins=5, output_mode="one_hot")((FEATURE_1[:, None], FEATURE_2[:, None]))
    np.testing.assert_array_equal(column.numpy(), one_hot.numpy())


@pytest.mark.parametrize("num_bins", [1, 7, 1000])
def test_matches_the_independent_cross_hash(num_bins):
    rng = np.random.default_rng(0)
    words = np.array(["".join(rng.choice(list("abcxyz"), size=n)) for n in rng.integers(0, 70, 40)])
    numbers = rng.integers(-(2**62), 2**62, 40)
    small = rng.integers(-5, 5, 40).astype(np.int32)
    features = (words, numbers, small)
    np.testing.assert_array_equal(HashedCrossing(num_bins)(features).numpy(), _oracle(features, num_bins))
    # The order of the features matters; torch tensors, bytes and lists hash like their values.
    swapped = (numbers, words)
    np.testing.assert_array_equal(HashedCrossing(num_bins)(swapped).numpy(), _oracle(swapped, num_bins))
    as_tensors = (np.char.encode(words), torch.from_numpy(numbers), small.tolist())
    np.testing.assert_array_equal(HashedCrossing(num_bins)(as_tensors).numpy(), _oracle(features, num_bins))


@pytest.mark.parametrize(
    "mode, shape, expected",
    [("int", (), ()), ("int", (4,), (4,)), ("int", (4, 1), (4, 1)),
     ("one_hot", (), (6,)), ("one_hot", (4,), (4, 6)), ("one_hot", (4, 1), (4, 6))],
)  # fmt: skip
def test_shapes_follow_keras(mode, shape, expected):
    features = (np.arange(int(np.prod(shape))).reshape(shape), np.ones(shape, dtype=np.int64))
    assert tuple(HashedCrossing(6, output_mode=mode)(features).shape) == expected
    if len(shape) > 0:
        layer = HashedCrossing(6, output_mode=mode)
        symbolic = layer([Input(shape=shape[1:], dtype="int64"), Input(shape=shape[1:], dtype="int64")])
        assert tuple(symbolic.shape[1:]) == expected[1:]
        assert symbolic.dtype == (torch.int64 if mode == "int" else torch.float32)


def test_config_round_trip():
    layer = HashedCrossing(num_bins=9, output_mode="one_hot", name="cross")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["num_bins"] == 9 and config["output_mode"] == "one_hot" and config["sparse"] is False
    rebuilt = HashedCrossing.from_config(config)
    torch.testing.assert_close(rebuilt((FEATURE_1, FEATURE_2)), layer((FEATURE_1, FEATURE_2)))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"HashedCrossing 'c1': num_bins must be a positive int; received num_bins=0"):
        HashedCrossing(num_bins=0, name="c1")
    with pytest.raises(ValueError, match=r"'c2': output_mode must be one of \['int', 'one_hot'\]; received 'count'"):
        HashedCrossing(num_bins=3, output_mode="count", name="c2")
    with pytest.raises(ValueError, match=r"'c3': sparse=True needs TensorFlow"):
        HashedCrossing(num_bins=3, sparse=True, name="c3")
    layer = HashedCrossing(num_bins=3, name="c4")
    with pytest.raises(ValueError, match=r"'c4': expected a list or tuple of features; received ndarray"):
        layer(np.array([1, 2]))
    with pytest.raises(ValueError, match=r"'c4': expected at least two features to cross; received 1"):
        layer([np.array([1])])
    with pytest.raises(ValueError, match=r"shape \(\), \(batch,\) or \(batch, 1\); received shape \(1, 1, 1\)"):
        layer((np.ones((1, 1, 1), int), np.ones((1, 1, 1), int)))
    with pytest.raises(ValueError, match=r"'c4': the features must have equal shapes; received \[\(2,\), \(3,\)\]"):
        layer((np.ones(2, int), np.ones(3, int)))
    with pytest.raises(ValueError, match=r"'c4': the features must be integers or strings; received dtypes"):
        layer((np.array([1.0]), np.array([1.0])))
