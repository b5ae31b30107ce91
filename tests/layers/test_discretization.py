import json

import numpy as np
import pytest
import torch

from fitorch.layers import Input
from fitorch.layers.preprocessing import Discretization
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

BOUNDARIES = [-1.0, -0.2, 0.0, 0.35, 1.2]


def _keras_adapted(data, **kwargs):
    # Keras' adapt() checks for tf.data first (TensorFlow is not installed); the rest of adapt is this:
    layer = keras().layers.Discretization(**kwargs)
    layer.reset_state()
    layer.update_state(data)
    layer.finalize_state()
    return layer


@pytest.mark.parametrize(
    "output_mode, shape",
    [("int", (4, 5)), ("int", (2, 3, 4)), ("one_hot", (6,)), ("one_hot", (6, 1)), ("multi_hot", (4, 5)),
     ("count", (4, 5)), ("count", (2, 3, 4))],
)  # fmt: skip
def test_given_boundaries_match_keras(output_mode, shape):
    kwargs = {"bin_boundaries": BOUNDARIES, "output_mode": output_mode}
    run_layer_test(lambda: Discretization(**kwargs), shape, lambda: keras().layers.Discretization(**kwargs), atol=0)


@pytest.mark.parametrize("output_mode", ["multi_hot", "count"])
def test_rank_1_input_is_one_sample_like_keras(output_mode):
    x = make_input((7,))
    ours = Discretization(BOUNDARIES, output_mode=output_mode)(torch.from_numpy(x))
    theirs = keras().layers.Discretization(BOUNDARIES, output_mode=output_mode)(x)
    assert ours.shape == (len(BOUNDARIES) + 1,)
    np.testing.assert_array_equal(ours.numpy(), to_numpy(theirs))


@pytest.mark.parametrize("num_bins, epsilon, size", [(4, 0.01, 8), (5, 0.01, 1000), (3, 0.1, 37), (10, 0.001, 5000)])
def test_adapt_matches_keras(num_bins, epsilon, size):
    data = np.random.default_rng(size).standard_normal(size).astype("float32") * 3
    layer = Discretization(num_bins=num_bins, epsilon=epsilon)
    layer.adapt(data)
    expected = _keras_adapted(data, num_bins=num_bins, epsilon=epsilon).bin_boundaries
    np.testing.assert_allclose(layer.bin_boundaries, expected, rtol=1e-6)
    x = make_input((5, 4))
    theirs = _keras_adapted(data, num_bins=num_bins, epsilon=epsilon)(x)
    np.testing.assert_array_equal(layer(torch.from_numpy(x)).numpy(), to_numpy(theirs))


def test_adapt_on_batches_merges_summaries_like_keras():
    data = np.random.default_rng(0).random(600).astype("float32")
    layer = Discretization(num_bins=4)
    layer.adapt([data[:200], torch.from_numpy(data[200:])])
    keras_layer = keras().layers.Discretization(num_bins=4)
    keras_layer.reset_state()
    keras_layer.update_state(data[:200])
    keras_layer.update_state(data[200:])
    keras_layer.finalize_state()
    np.testing.assert_allclose(layer.bin_boundaries, keras_layer.bin_boundaries, rtol=1e-6)


def test_int_inputs_lists_and_dtypes():
    layer = Discretization(bin_boundaries=[0.5, 2.5])
    torch.testing.assert_close(layer([[0, 1, 2, 3]]), torch.tensor([[0, 1, 1, 2]], dtype=torch.int32))
    assert layer(Input(shape=(4,))).dtype == torch.int32
    assert Discretization(bin_boundaries=[0.5], output_mode="count")(Input(shape=(4,))).dtype == torch.float32


def test_config_round_trip_keeps_adapted_boundaries():
    layer = Discretization(num_bins=3)
    layer.adapt(np.arange(30.0))
    config = json.loads(json.dumps(layer.get_config()))
    rebuilt = Discretization.from_config(config)
    assert rebuilt.bin_boundaries == layer.bin_boundaries and rebuilt.get_config() == layer.get_config()


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Discretization 'd1': pass either num_bins or bin_boundaries, not both"):
        Discretization([0.0], num_bins=2, name="d1")
    with pytest.raises(ValueError, match=r"Discretization 'd2': pass bin_boundaries, or num_bins"):
        Discretization(name="d2")
    with pytest.raises(ValueError, match=r"Discretization 'd3': adapt\(\) needs a layer made with num_bins"):
        Discretization([0.0], name="d3").adapt(np.zeros(3))
    with pytest.raises(ValueError, match=r"Discretization 'd4': the layer has no bin boundaries yet"):
        Discretization(num_bins=3, name="d4")(torch.zeros(2))
    with pytest.raises(ValueError, match=r"Discretization 'd5': output_mode must be one of"):
        Discretization([0.0], output_mode="tf_idf", name="d5")
    with pytest.raises(ValueError, match=r"Discretization 'd6': bin_boundaries must be sorted"):
        Discretization([1.0, 0.0], name="d6")
    with pytest.raises(ValueError, match=r"Discretization 'd7': num_bins must be an int >= 0"):
        Discretization(num_bins=-1, name="d7")
