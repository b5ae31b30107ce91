"""TextVectorization tests.

Keras' ``TextVectorization`` needs TensorFlow (not installed), so the oracle is the expected outputs
Keras documents: the worked examples in its docstring and the values in its ``text_vectorization_test.py``.
"""

import json

import numpy as np
import pytest
import torch

from fitorch.layers.preprocessing import TextVectorization


def _check(output, expected, dtype=torch.int64):
    assert isinstance(output, torch.Tensor) and output.dtype == dtype
    np.testing.assert_allclose(output.numpy(), np.array(expected), rtol=1e-5, atol=1e-6)


def test_docstring_examples():
    layer = TextVectorization(max_tokens=5000, output_mode="int", output_sequence_length=4)
    layer.adapt(["foo bar", "bar baz", "baz bada boom"])
    _check(layer([["foo qux bar"], ["qux baz"]]), [[4, 1, 3, 0], [1, 2, 0, 0]])
    given = TextVectorization(max_tokens=5000, output_sequence_length=4, vocabulary=["earth", "wind", "and", "fire"])
    assert given.get_vocabulary() == ["", "[UNK]", "earth", "wind", "and", "fire"]
    assert given.vocabulary_size() == 6


def test_without_output_sequence_length_pads_to_the_longest():
    layer = TextVectorization()
    layer.adapt(np.array(["foo bar", "bar baz", "baz bada boom"]))
    _check(layer(["foo qux bar", "qux baz", "foo"]), [[4, 1, 3], [1, 2, 0], [4, 0, 0]])
    _check(TextVectorization(vocabulary=["a"], output_sequence_length=2)(["a a a", "b"]), [[2, 2], [1, 0]])


@pytest.mark.parametrize(
    "kwargs, inputs, expected",
    [
        ({"output_mode": "multi_hot", "vocabulary": ["foo", "bar", "baz"]}, [["foo bar"], ["baz foo foo"]],
         [[0, 1, 1, 0], [0, 1, 0, 1]]),
        ({"output_mode": "count", "vocabulary": ["foo", "bar", "baz"]}, ["foo bar", "baz foo foo"],
         [[0, 1, 1, 0], [0, 2, 0, 1]]),
        ({"output_mode": "tf_idf", "vocabulary": ["foo", "bar", "baz"], "idf_weights": [0.3, 0.5, 0.2]},
         ["foo bar", "baz foo foo"], [[0.0, 0.3, 0.5, 0.0], [0.0, 0.6, 0.0, 0.2]]),
    ],
)  # fmt: skip
def test_encoded_outputs_from_keras_tests(kwargs, inputs, expected):
    _check(TextVectorization(**kwargs)(inputs), expected, torch.float32)


@pytest.mark.parametrize(
    "kwargs, text, expected",
    [
        ({"vocabulary": ["hello", "world", "this", "is", "nice", "test"]},
         "Hello, World!. This is just a nice test!", [[2, 3, 4, 5, 1, 1, 6, 7]]),
        ({"standardize": "lower", "vocabulary": ["hello,", "hello", "world", "this", "is", "nice", "test"]},
         "Hello, World!. This is just a nice test!", [[2, 1, 5, 6, 1, 1, 7, 1]]),
        ({"standardize": "strip_punctuation", "vocabulary": ["Hello", "World", "Test"]}, "Hello, World! Test.",
         [[2, 3, 4]]),
        ({"standardize": None, "vocabulary": ["Hello", "world"]}, "Hello hello", [[2, 1]]),
        ({"split": "character", "vocabulary": list("abcde")}, "abcf", [[2, 3, 4, 1]]),
    ],
)  # fmt: skip
def test_standardize_and_split_from_keras_tests(kwargs, text, expected):
    _check(TextVectorization(**kwargs)([text]), expected)


def test_no_split_ngrams_max_tokens_and_padding_from_keras_tests():
    _check(TextVectorization(split=None, vocabulary=["foo", "bar", "baz"])([["foo"], ["bar"], ["unknown"]]),
           [[2], [3], [1]])  # fmt: skip
    bigrams = TextVectorization(ngrams=2)
    bigrams.adapt(["foo bar baz"])
    assert {"foo bar", "bar baz", "foo", "baz"} <= set(bigrams.get_vocabulary())
    skip = TextVectorization(ngrams=(1, 3))
    skip.adapt(["foo bar baz"])
    vocabulary = skip.get_vocabulary()
    assert "foo" in vocabulary and "foo bar baz" in vocabulary and "foo bar" not in vocabulary
    capped = TextVectorization(max_tokens=5)
    capped.adapt(["a b c d e f g h i j"])
    assert len(capped.get_vocabulary()) == 5
    padded = TextVectorization(output_mode="multi_hot", vocabulary=["foo", "bar"], max_tokens=8, pad_to_max_tokens=True)
    assert padded(["foo bar"]).shape == (1, 8)
    given = TextVectorization(vocabulary=["foo", "bar", "baz"])
    assert given.get_vocabulary(include_special_tokens=False) == ["foo", "bar", "baz"]
    assert given.vocabulary_size() == 5


def test_ngram_order_is_widths_then_positions():
    layer = TextVectorization(ngrams=2, vocabulary=["a", "b", "c", "a b", "b c"])
    _check(layer(["a b c"]), [[2, 3, 4, 5, 6]])


def test_adapt_from_a_generator_and_tf_idf_weights():
    layer = TextVectorization()
    layer.adapt(iter([["hello world", "foo bar"], ["hello foo"]]))
    assert layer.get_vocabulary()[:4] == ["", "[UNK]", "hello", "foo"]
    tf_idf = TextVectorization(output_mode="tf_idf")
    tf_idf.adapt(["a a b", "a c"])  # 2 documents: idf = log(1 + 2 / (1 + document count))
    idf = {"a": np.log(1 + 2 / 3), "b": np.log(1 + 2 / 2), "c": np.log(1 + 2 / 2)}
    assert tf_idf.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    oov_idf = np.mean([idf["a"], idf["c"], idf["b"]])
    _check(tf_idf(["a a z"]), [[oov_idf, 2 * idf["a"], 0, 0]], torch.float32)


def test_config_round_trip_keeps_the_adapted_vocabulary():
    layer = TextVectorization(ngrams=(1, 2), output_sequence_length=6)
    layer.adapt(["the cat sat", "the dog sat"])
    config = json.loads(json.dumps(layer.get_config()))
    rebuilt = TextVectorization.from_config(config)
    assert rebuilt.get_config() == config
    torch.testing.assert_close(rebuilt(["the cat ran"]), layer(["the cat ran"]))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"TextVectorization 't1': standardize must be one of"):
        TextVectorization(standardize="upper", name="t1")
    with pytest.raises(ValueError, match=r"TextVectorization 't2': split must be one of"):
        TextVectorization(split=str.split, name="t2")
    with pytest.raises(ValueError, match=r"TextVectorization 't3': ngrams must be None, a positive int"):
        TextVectorization(ngrams="2", name="t3")
    with pytest.raises(ValueError, match=r"TextVectorization 't4': output_sequence_length is only used with"):
        TextVectorization(output_mode="count", output_sequence_length=3, name="t4")
    with pytest.raises(ValueError, match=r"TextVectorization 't5': ragged=True is not supported"):
        TextVectorization(ragged=True, name="t5")
    with pytest.raises(ValueError, match=r"TextVectorization 't6': to split strings into tokens the inputs must be"):
        TextVectorization(vocabulary=["a"], name="t6")([["a", "b"]])
    with pytest.raises(TypeError, match=r"TextVectorization 't7': adapt\(\) accepts a list or array of strings"):
        TextVectorization(name="t7").adapt("just one string")
    with pytest.raises(ValueError, match=r"TextVectorization 't8': adapt\(\) cannot be used on a layer created with"):
        TextVectorization(vocabulary=["a"], name="t8").adapt(["b"])
