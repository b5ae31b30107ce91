"""pad_sequences against Keras 3: every padding/truncating mode, maxlen, dtype and value."""

import itertools

import keras
import numpy as np
import pytest

from fitorch import utils

SEQUENCES = [[1, 2, 3, 4], [5], [], [6, 7], [8, 9, 10, 11, 12, 13]]


@pytest.mark.parametrize(
    "padding, truncating, maxlen",
    list(itertools.product(["pre", "post"], ["pre", "post"], [None, 1, 3, 6, 9])),
)
def test_matches_keras(padding, truncating, maxlen):
    expected = keras.utils.pad_sequences(SEQUENCES, maxlen=maxlen, padding=padding, truncating=truncating)
    result = utils.pad_sequences(SEQUENCES, maxlen=maxlen, padding=padding, truncating=truncating)
    assert result.dtype == expected.dtype
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("dtype, value", [("float32", -1.5), ("int64", 7), ("float64", np.nan), ("int8", 0)])
def test_dtype_and_value_match_keras(dtype, value):
    sequences = [[0.5, 1.5], [2.5], [3.5, 4.5, 5.5]]
    expected = keras.utils.pad_sequences(sequences, maxlen=4, dtype=dtype, value=value, padding="post")
    result = utils.pad_sequences(sequences, maxlen=4, dtype=dtype, value=value, padding="post")
    assert result.dtype == expected.dtype
    np.testing.assert_array_equal(result, expected)


def test_items_that_are_vectors_and_strings_match_keras():
    vectors = [np.ones((3, 2)), np.full((1, 2), 2.0)]
    np.testing.assert_array_equal(
        utils.pad_sequences(vectors, dtype="float32"), keras.utils.pad_sequences(vectors, dtype="float32")
    )
    words = [["a", "b"], ["c"]]
    np.testing.assert_array_equal(
        utils.pad_sequences(words, dtype=object, value="<pad>"),
        keras.utils.pad_sequences(words, dtype=object, value="<pad>"),
    )


def test_errors():
    with pytest.raises(ValueError, match="padding must be 'pre' or 'post'; received padding='middle'"):
        utils.pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="truncating must be 'pre' or 'post'"):
        utils.pad_sequences([[1]], truncating="both")
    with pytest.raises(ValueError, match="list of iterables; found the non-iterable 3"):
        utils.pad_sequences([[1], 3])
    with pytest.raises(ValueError, match="dtype 'int32' cannot hold the padding value 'x'"):
        utils.pad_sequences([["a"]], value="x")
    with pytest.raises(ValueError, match=r"sequence 1 has items of shape \(3,\), unlike .* \(2,\)"):
        utils.pad_sequences([np.ones((1, 2)), np.ones((1, 3))], dtype="float32")
