import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.layers.core import Masking
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy


def _padded(shape=(3, 5, 4), value=0.0):
    x = make_input(shape)
    x[0, 3:] = value
    x[1, 1] = value
    x[2, 0, 0] = value  # only one feature equals the mask value: the step is kept
    return x


@pytest.mark.parametrize("mask_value", [0.0, -1.0])
def test_masking_matches_keras(mask_value):
    x = _padded(value=mask_value)
    run_layer_test(
        lambda: Masking(mask_value=mask_value),
        x.shape,
        lambda: keras().layers.Masking(mask_value=mask_value),
        input_data=x,
    )


def test_mask_and_zeroed_steps_match_keras():
    x = _padded(value=2.0)
    x[1, 2] = [2.0, 5.0, 2.0, 2.0]
    out = Masking(2.0)(torch.from_numpy(x))
    expected = keras().layers.Masking(2.0)(x)
    np.testing.assert_array_equal(to_numpy(out), to_numpy(expected))
    np.testing.assert_array_equal(to_numpy(out._keras_mask), to_numpy(expected._keras_mask))
    assert out._keras_mask.tolist()[0] == [True, True, True, False, False]
    assert float(out[0, 3:].abs().sum()) == 0.0


def test_masking_feeds_pooling_in_a_functional_model_like_keras():
    x = _padded()
    inputs = layers.Input(shape=(5, 4))
    hidden = layers.Dense(3, name="proj")(Masking()(inputs))
    model = fitorch.Model(inputs, layers.GlobalAveragePooling1D()(hidden))
    out = model(torch.from_numpy(x))

    k_in = keras().Input(shape=(5, 4))
    k_dense = keras().layers.Dense(3)
    k_out = keras().layers.GlobalAveragePooling1D()(k_dense(keras().layers.Masking()(k_in)))
    k_model = keras().Model(k_in, k_out)
    k_dense.set_weights(model.get_layer("proj").get_weights())
    np.testing.assert_allclose(to_numpy(out), to_numpy(k_model(x)), atol=1e-6)


def test_compute_mask_is_any_not_equal_over_the_last_axis():
    x = torch.tensor([[[0.0, 0.0], [0.0, 1.0]]])
    assert Masking().compute_mask(x).tolist() == [[False, True]]


def test_mask_value_must_be_a_number():
    with pytest.raises(TypeError, match=r"Masking 'pad': mask_value must be a number.*received mask_value='0'"):
        Masking(mask_value="0", name="pad")


def test_config_round_trip_keeps_mask_value():
    assert Masking(mask_value=-1.0).get_config()["mask_value"] == -1.0
