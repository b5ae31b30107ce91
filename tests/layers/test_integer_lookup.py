"""IntegerLookup tests.

Keras' ``IntegerLookup`` needs TensorFlow (not installed), so the oracle is the expected outputs
Keras documents: the worked examples in its docstring and the values in its ``integer_lookup_test.py``.
"""

import json

import numpy as np
import pytest
import torch

from fitorch.layers.preprocessing import IntegerLookup

VOCAB = [12, 36, 1138, 42]
COUNT_DATA = np.array([[12, 1138, 42, 42], [42, 7, 36, 7]])


def _check(output, expected, dtype=torch.int64):
    assert isinstance(output, torch.Tensor) and output.dtype == dtype
    np.testing.assert_allclose(output.numpy(), np.array(expected), rtol=1e-5, atol=1e-6)


def test_docstring_examples():
    data = np.array([[12, 1138, 42], [42, 1000, 36]])
    _check(IntegerLookup(vocabulary=VOCAB)(data), [[1, 3, 4], [4, 0, 2]])
    adapted = IntegerLookup()
    adapted.adapt(data)
    assert adapted.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    _check(adapted(data), [[5, 2, 1], [1, 3, 4]])
    _check(IntegerLookup(vocabulary=VOCAB, num_oov_indices=2)(np.array([[12, 1138, 42], [37, 1000, 36]])),
           [[2, 4, 5], [1, 0, 3]])  # fmt: skip
    _check(IntegerLookup(vocabulary=VOCAB, output_mode="one_hot")(np.array([12, 36, 1138, 42, 7])),
           np.eye(5)[[1, 2, 3, 4, 0]], torch.float32)  # fmt: skip
    _check(IntegerLookup(vocabulary=VOCAB, output_mode="multi_hot")(COUNT_DATA),
           [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]], torch.float32)  # fmt: skip
    _check(IntegerLookup(vocabulary=VOCAB, output_mode="count")(COUNT_DATA),
           [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]], torch.float32)  # fmt: skip
    tf_idf = IntegerLookup(output_mode="tf_idf", vocabulary=VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    _check(tf_idf(COUNT_DATA), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], torch.float32)
    tf_idf = IntegerLookup(output_mode="tf_idf", vocabulary=[-1, *VOCAB], idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    _check(tf_idf(COUNT_DATA), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]], torch.float32)
    _check(
        IntegerLookup(vocabulary=VOCAB, invert=True)(np.array([[1, 3, 4], [4, 0, 2]])), [[12, 1138, 42], [42, -1, 36]]
    )
    forward = IntegerLookup(vocabulary=VOCAB)
    inverse = IntegerLookup(vocabulary=forward.get_vocabulary(), invert=True)
    _check(inverse(forward(data)), [[12, 1138, 42], [42, -1, 36]])


def test_oov_methods_like_keras():
    oov = np.array([100, 300, 700, 1100, 1700, 2000])
    _check(IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="floormod")(oov), [0] * 6)
    _check(IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="farmhash")(oov), [3, 3, 2, 2, 0, 1])
    _check(IntegerLookup(vocabulary=[10, 20, 30], num_oov_indices=4, oov_method="farmhash")([100, 200, 300, 400]),
           [3, 1, 3, 1])  # fmt: skip
    _check(IntegerLookup(vocabulary=[1, 2, 3], num_oov_indices=2)([1, 2, 3, 999, 1000]), [2, 3, 4, 1, 0])
    _check(IntegerLookup(vocabulary=[1, 2, 3], num_oov_indices=0)([1, 2, 3]), [0, 1, 2])


def test_adapt_flow_from_keras_tests():
    adapt_data = [1, 1, 1, 2, 2, 3]
    layer = IntegerLookup()
    layer.adapt(adapt_data)
    _check(layer([1, 2, 4]), [1, 2, 0])
    _check(layer([[1, 2, 4], [2, 3, 5]]), [[1, 2, 0], [2, 3, 0]])
    for mode, expected in [("one_hot", [[0, 1, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0]]), ("multi_hot", [1, 1, 1, 0]),
                           ("tf_idf", [1.133732, 0.916291, 1.098612, 0.0])]:  # fmt: skip
        layer = IntegerLookup(output_mode=mode)
        layer.adapt(adapt_data)
        _check(layer([1, 2, 4]), expected, torch.float32)
    layer = IntegerLookup(output_mode="count")
    layer.adapt(adapt_data)
    _check(layer([1, 2, 3, 4, 1, 2, 1]), [1, 3, 2, 1], torch.float32)
    capped = IntegerLookup(max_tokens=4)
    capped.adapt([1, 2, 3, 4, 5, 6, 1, 1, 2, 2])
    assert len(capped.get_vocabulary()) == 4
    five = IntegerLookup()
    five.adapt([5, 5, 5, 10, 10, 15])
    assert five.get_vocabulary()[:2] == [-1, 5]


def test_shapes_mask_invert_and_padding_from_keras_tests():
    one_hot = IntegerLookup(vocabulary=[1, 2, 3], output_mode="one_hot")
    expected = [[[0, 1, 0, 0], [0, 0, 1, 0]], [[0, 0, 0, 1], [1, 0, 0, 0]]]
    _check(one_hot(np.array([[1, 2], [3, 0]])), expected, torch.float32)
    _check(one_hot(np.array([[[1, 2], [3, 0]]])), [expected], torch.float32)
    for mode in ("multi_hot", "count"):
        assert IntegerLookup(vocabulary=[1, 2, 3], output_mode=mode)(np.array([[1, 2], [3, 0]])).shape == (2, 4)
    _check(IntegerLookup(vocabulary=[1, 2, 3], mask_token=0)([0, 1, 2, 3]), [0, 2, 3, 4])
    _check(IntegerLookup(vocabulary=[10, 20, 30], invert=True)([1, 2, 3, 0]), [10, 20, 30, -1])
    padded = IntegerLookup(vocabulary=[1, 2], output_mode="multi_hot", max_tokens=5, pad_to_max_tokens=True)
    assert padded([1, 2]).shape[-1] == 5
    set_later = IntegerLookup()
    set_later.set_vocabulary([1, 2, 3, 4])
    _check(set_later(torch.tensor([2, 3, 4, 5])), [2, 3, 4, 0])


def test_config_round_trip():
    layer = IntegerLookup(vocabulary=[1, 2, 3], oov_token=1, mask_token=0, num_oov_indices=2, oov_method="farmhash")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["vocabulary"] == [1, 2, 3] and config["oov_method"] == "farmhash"
    rebuilt = IntegerLookup.from_config(config)
    assert rebuilt.get_config() == config
    torch.testing.assert_close(rebuilt([0, 1, 7, 99]), layer([0, 1, 7, 99]))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"IntegerLookup 'i1': only vocabulary_dtype='int64' is supported"):
        IntegerLookup(vocabulary_dtype="int32", name="i1")
    with pytest.raises(ValueError, match=r"IntegerLookup 'i2': oov_method must be 'floormod' or 'farmhash'"):
        IntegerLookup(oov_method="invalid_method", name="i2")
    with pytest.raises(ValueError, match=r"IntegerLookup 'i3': salt can only be used with oov_method='farmhash'"):
        IntegerLookup(salt=3, name="i3")
    with pytest.raises(TypeError, match=r"IntegerLookup 'i4': expected integers"):
        IntegerLookup(vocabulary=[1], name="i4")(torch.tensor([1.5]))
    with pytest.raises(TypeError, match=r"IntegerLookup 'i5': with invert=True the inputs are integer indices"):
        IntegerLookup(vocabulary=[1], invert=True, name="i5")(np.array([0.5]))
