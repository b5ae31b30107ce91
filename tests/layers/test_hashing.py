"""Hashing tests.

Keras' ``Hashing`` needs TensorFlow (not installed), so its expected outputs come from Keras' own
docstring examples and its ``hashing_test.py`` (documented expected values for FarmHash64 and
SipHash64), and the raw fingerprints from Google's FarmHash C++ library (values produced by the
``pyfarmhash`` 0.5.1 bindings) and the SipHash-2-4 reference test vectors.
"""

import json

import numpy as np
import pytest
import torch

from fitorch.layers import Input
from fitorch.layers.preprocessing import Hashing
from fitorch.layers.preprocessing.string_hashing import fingerprint64, siphash24

WIRE = [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]]


def test_fingerprint64_equals_googles_farmhash():
    # Google FarmHash Fingerprint64 (C++, via pyfarmhash 0.5.1), covering every length branch.
    reference = {
        "": 11160318154034397263,
        "A": 16915294056622060564,
        "TensorFlow": 4265654129848386254,
        "1700": 5133587612589171568,
        "a" * 20: 15065261471293997870,
        "b" * 40: 12813125466317408803,
        "c" * 100: 5964872334950700222,
    }
    for text, value in reference.items():
        assert fingerprint64(text.encode()) == value, text


def test_siphash24_reference_vectors():
    # SipHash-2-4 paper, appendix A: key 00..0f, messages 00..(n-1).
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)
    assert siphash24(key, b"") == 0x726FDB47DD0E0E31
    assert siphash24(key, bytes(range(15))) == 0xA129CA6149BE45E5


@pytest.mark.parametrize(
    "kwargs, inputs, expected",
    [
        ({"num_bins": 3}, [["A"], ["B"], ["C"], ["D"], ["E"]], [[1], [0], [1], [1], [2]]),
        ({"num_bins": 3, "mask_value": ""}, [["A"], ["B"], [""], ["C"], ["D"]], [[1], [1], [0], [2], [2]]),
        ({"num_bins": 3, "salt": [133, 137]}, [["A"], ["B"], ["C"], ["D"], ["E"]], [[1], [2], [1], [0], [2]]),
        ({"num_bins": 3, "salt": 133}, [["A"], ["B"], ["C"], ["D"], ["E"]], [[0], [0], [2], [1], [0]]),
        ({"num_bins": 2}, WIRE, [[0], [0], [1], [0], [0]]),
        ({"num_bins": 3, "mask_value": ""}, WIRE, [[1], [1], [2], [1], [1]]),
        ({"num_bins": 3, "mask_value": "omar"}, WIRE, [[0], [1], [2], [1], [1]]),
        ({"num_bins": 2, "salt": [133, 137]}, WIRE, [[0], [1], [0], [1], [0]]),
        ({"num_bins": 2, "salt": [211, 137]}, WIRE, [[1], [0], [1], [0], [1]]),
        ({"num_bins": 1}, [["A"], ["B"], ["C"]], [[0], [0], [0]]),
        ({"num_bins": 3}, np.array([[0], [1], [2], [3], [4]]), [[1], [0], [1], [0], [2]]),
        ({"num_bins": 3, "salt": [133, 137]}, np.array([[0], [1], [2], [3], [4]]), [[1], [1], [2], [0], [1]]),
        ({"num_bins": 3}, (0, 1, 2, 3, 4), [1, 0, 1, 0, 2]),
        ({"num_bins": 2}, [[1, 2], [2, 3], [3, 4]], [[1, 1], [1, 1], [1, 1]]),
        ({"num_bins": 2}, [[[1], [2]], [[2], [3]], [[3], [4]]], [[[1], [1]], [[1], [1]], [[1], [1]]]),
    ],
)
def test_documented_keras_values(kwargs, inputs, expected):
    output = Hashing(**kwargs)(inputs)
    assert output.dtype == torch.int64
    np.testing.assert_array_equal(output.numpy(), np.array(expected))


def test_tensors_floats_bytes_and_object_arrays_hash_like_their_text():
    expected = Hashing(num_bins=3)(np.array([0, 1, 2, 3, 4]))
    torch.testing.assert_close(Hashing(num_bins=3)(torch.arange(5)), expected)
    torch.testing.assert_close(Hashing(num_bins=3)(torch.tensor([0.2, 1.7, 2.0, 3.0, 4.9])), expected)
    words = ["omar", "stringer", "marlo"]
    as_str = Hashing(num_bins=7)(words)
    torch.testing.assert_close(Hashing(num_bins=7)(np.array([w.encode() for w in words])), as_str)
    torch.testing.assert_close(Hashing(num_bins=7)(np.array(words, dtype=object)), as_str)


@pytest.mark.parametrize(
    "mode, inputs, expected",
    [
        ("one_hot", np.array([[0], [1], [2], [3], [4]]), [[0, 1, 0], [1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]),
        ("multi_hot", np.array([[0, 1, 2, 3, 4]]), [[1, 1, 1]]),
        ("count", np.array([0, 1, 2, 3, 4]), [2, 2, 1]),
        ("count", np.array([[0, 1, 2, 3, 4]]), [[2, 2, 1]]),
    ],
)
def test_encoded_outputs_match_keras_tests(mode, inputs, expected):
    output = Hashing(num_bins=3, output_mode=mode)(inputs)
    assert output.dtype == torch.float32
    np.testing.assert_array_equal(output.numpy(), np.array(expected, dtype="float32"))


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("shape", [(4,), (4, 1), (3, 4)])
def test_symbolic_shapes_agree_with_eager(mode, shape):
    layer = Hashing(num_bins=5, output_mode=mode)
    symbolic = layer(Input(shape=shape, dtype="int64"))
    eager = layer(torch.zeros((2, *shape), dtype=torch.int64))
    assert tuple(symbolic.shape[1:]) == tuple(eager.shape[1:])
    assert symbolic.dtype == eager.dtype


def test_config_round_trip():
    layer = Hashing(num_bins=4, mask_value="", salt=9, output_mode="count", name="h")
    config = layer.get_config()
    assert config["salt"] == [9, 9]
    rebuilt = Hashing.from_config(json.loads(json.dumps(config)))
    assert rebuilt.get_config() == config
    torch.testing.assert_close(rebuilt([["a", "", "b"]]), layer([["a", "", "b"]]))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Hashing 'h1': num_bins must be a positive int"):
        Hashing(num_bins=0, name="h1")
    with pytest.raises(ValueError, match=r"Hashing 'h2': salt must be an int or a pair of ints"):
        Hashing(num_bins=2, salt="string", name="h2")
    with pytest.raises(ValueError, match=r"Hashing 'h3': salt must be an int or a pair of ints"):
        Hashing(num_bins=2, salt=[133, 137, 177], name="h3")
    with pytest.raises(ValueError, match=r"Hashing 'h4': output_mode must be one of"):
        Hashing(num_bins=2, output_mode="tf_idf", name="h4")
    with pytest.raises(ValueError, match=r"Hashing 'h5': sparse=True is not supported"):
        Hashing(num_bins=2, sparse=True, name="h5")
    with pytest.raises(TypeError, match=r"Hashing 'h6': expected strings or numbers"):
        Hashing(num_bins=2, name="h6")(np.array([True, False]))
