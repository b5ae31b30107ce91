"""StringLookup tests.

Keras' ``StringLookup`` needs TensorFlow (not installed), so the oracle is the expected outputs
Keras documents: the worked examples in its docstring and the values in its ``string_lookup_test.py``.
"""

import json

import numpy as np
import pytest
import torch

from fitorch.layers.preprocessing import StringLookup

VOCAB = ["a", "b", "c", "d"]
DATA = [["a", "c", "d"], ["d", "z", "b"]]
COUNT_DATA = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]


def _check(output, expected, dtype=torch.int64):
    assert isinstance(output, torch.Tensor) and output.dtype == dtype
    np.testing.assert_allclose(output.numpy(), np.array(expected), rtol=1e-6, atol=1e-6)


def test_known_vocabulary():
    _check(StringLookup(vocabulary=VOCAB)(DATA), [[1, 3, 4], [4, 0, 2]])
    _check(StringLookup(vocabulary=VOCAB)(np.array(DATA)), [[1, 3, 4], [4, 0, 2]])
    _check(StringLookup(vocabulary=["a", "b", "c"], oov_token="[OOV]")(["a", "b", "[OOV]", "d"]), [1, 2, 0, 0])


def test_adapted_vocabulary():
    layer = StringLookup()
    layer.adapt(DATA)
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    _check(layer(DATA), [[5, 3, 1], [1, 2, 4]])
    flow = StringLookup()
    flow.adapt(["a", "a", "a", "b", "b", "c"])
    _check(flow(["b", "c", "d"]), [2, 3, 0])


def test_adapt_from_a_generator_of_batches():
    layer = StringLookup()
    layer.adapt(iter([np.array(["a", "b"]), np.array(["b", "c", "b"])]))
    assert layer.get_vocabulary() == ["[UNK]", "b", "c", "a"]


def test_multiple_oov_indices_hash_like_keras():
    _check(
        StringLookup(vocabulary=VOCAB, num_oov_indices=2)([["a", "c", "d"], ["m", "z", "b"]]), [[2, 4, 5], [0, 1, 3]]
    )


@pytest.mark.parametrize(
    "output_mode, data, expected",
    [
        ("one_hot", ["a", "b", "c", "d", "z"], np.eye(5)[[1, 2, 3, 4, 0]]),
        ("multi_hot", COUNT_DATA, [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]),
        ("count", COUNT_DATA, [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]),
    ],
)
def test_encoded_outputs(output_mode, data, expected):
    _check(StringLookup(vocabulary=VOCAB, output_mode=output_mode)(data), expected, torch.float32)
    _check(StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")(["a", "b"]), [0, 1, 1], torch.float32)


def test_tf_idf_with_and_without_special_tokens_in_the_vocabulary():
    layer = StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4])
    _check(layer(COUNT_DATA), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], torch.float32)
    layer = StringLookup(output_mode="tf_idf")
    layer.set_vocabulary(["[UNK]", *VOCAB], idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4])
    _check(layer(COUNT_DATA), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]], torch.float32)


def test_inverse_lookup_and_round_trip():
    inverse = StringLookup(vocabulary=VOCAB, invert=True)
    expected = np.array([["a", "c", "d"], ["d", "[UNK]", "b"]])
    np.testing.assert_array_equal(inverse([[1, 3, 4], [4, 0, 2]]), expected)
    np.testing.assert_array_equal(inverse(StringLookup(vocabulary=VOCAB)(DATA)), expected)
    np.testing.assert_array_equal(
        StringLookup(vocabulary=["a", "b", "c"], oov_token="[OOV]", invert=True)(torch.tensor([1, 2, 0])),
        ["a", "b", "[OOV]"],
    )


def test_mask_token_vocabulary_and_special_tokens():
    layer = StringLookup(vocabulary=["a"], mask_token="[MASK]")
    assert int(layer(["[MASK]", "a"])[0]) == 0
    assert layer.get_vocabulary() == ["[MASK]", "[UNK]", "a"] and layer.vocabulary_size() == 3
    assert StringLookup(vocabulary=["a", "b", "c"]).get_vocabulary(include_special_tokens=False) == ["a", "b", "c"]
    one_hot = StringLookup(max_tokens=20, num_oov_indices=4, vocabulary=list("abcdefghi"), output_mode="one_hot",
                           pad_to_max_tokens=True)  # fmt: skip
    assert one_hot(np.array([[["a", "b"], ["c", "d"]], [["a", "b"], ["c", "d"]]])).shape == (2, 2, 2, 20)


def test_bytes_and_object_arrays_are_decoded():
    expected = StringLookup(vocabulary=VOCAB)(DATA)
    torch.testing.assert_close(StringLookup(vocabulary=VOCAB)(np.array(DATA).astype(bytes)), expected)
    torch.testing.assert_close(StringLookup(vocabulary=VOCAB)(np.array(DATA, dtype=object)), expected)


def test_config_round_trips_given_and_adapted_vocabularies():
    given = StringLookup(vocabulary=["a", "b", "c"], oov_token="[OOV]", mask_token="[MASK]")
    assert given.get_config()["vocabulary"] == ["a", "b", "c"]
    adapted = StringLookup(output_mode="tf_idf")
    adapted.adapt([["x", "y", "x"], ["y", "z", "y"]])
    for layer in (given, adapted):
        config = json.loads(json.dumps(layer.get_config()))
        rebuilt = StringLookup.from_config(config)
        assert rebuilt.get_config() == config
        torch.testing.assert_close(rebuilt([["x", "a", "q"]]), layer([["x", "a", "q"]]))


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"StringLookup 's1': max_tokens must be None or an int > 1"):
        StringLookup(max_tokens=1, name="s1")
    with pytest.raises(ValueError, match=r"StringLookup 's2': num_oov_indices must be an int >= 0"):
        StringLookup(num_oov_indices=-1, name="s2")
    with pytest.raises(ValueError, match=r"StringLookup 's3': invert=True needs output_mode='int'"):
        StringLookup(invert=True, output_mode="count", name="s3")
    with pytest.raises(ValueError, match=r"StringLookup 's4': the vocabulary has repeated tokens \['a'\]"):
        StringLookup(vocabulary=["a", "a"], name="s4")
    with pytest.raises(ValueError, match=r"StringLookup 's5': with num_oov_indices=0 every input must be in the vocab"):
        StringLookup(vocabulary=["a"], num_oov_indices=0, name="s5")(["a", "b"])
    with pytest.raises(TypeError, match=r"StringLookup 's6': expected strings .* torch has no string tensors"):
        StringLookup(vocabulary=["a"], name="s6")(torch.tensor([1]))
    with pytest.raises(
        ValueError, match=r"StringLookup 's7': adapt\(\) cannot be used on a layer created with a vocab"
    ):
        StringLookup(vocabulary=["a"], name="s7").adapt(["b"])
    with pytest.raises(ValueError, match=r"StringLookup 's8': output_mode='multi_hot' needs a vocabulary"):
        StringLookup(output_mode="multi_hot", name="s8")(["a"])
    with pytest.raises(ValueError, match=r"StringLookup 's9': the vocabulary contains the mask_token '\[M\]'"):
        StringLookup(vocabulary=["a", "[M]"], mask_token="[M]", name="s9")
    with pytest.raises(ValueError, match=r"StringLookup 's10': with output_mode='tf_idf', a given vocabulary needs"):
        StringLookup(vocabulary=["a"], output_mode="tf_idf", name="s10")
    with pytest.raises(ValueError, match=r"StringLookup 's11': the vocabulary has 4 entries .* max_tokens=3"):
        StringLookup(vocabulary=["a", "b", "c"], max_tokens=3, name="s11")
