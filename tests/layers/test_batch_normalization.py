import numpy as np
import pytest
import torch
from torch import nn

from fitorch.layers.core import Input
from fitorch.layers.normalization import BatchNormalization
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy


@pytest.mark.parametrize(
    "input_shape, axis",
    [
        ((8, 3), -1),
        ((4, 5, 3), -1),
        ((2, 4, 4, 3), -1),
        ((2, 3, 4, 4), 1),
        ((2, 3, 2, 2, 4), -1),
        ((4, 5, 3), 1),
    ],
)
def test_batch_normalization_matches_keras(input_shape, axis):
    run_layer_test(
        lambda: BatchNormalization(axis=axis),
        input_shape,
        lambda: keras().layers.BatchNormalization(axis=axis),
    )


@pytest.mark.parametrize("center, scale", [(False, True), (True, False), (False, False)])
def test_batch_normalization_without_center_or_scale_matches_keras(center, scale):
    run_layer_test(
        lambda: BatchNormalization(center=center, scale=scale),
        (2, 4, 4, 3),
        lambda: keras().layers.BatchNormalization(center=center, scale=scale),
    )


def _random_weights(layer, rng):
    """Non-trivial gamma, beta, moving mean and (positive) moving variance."""
    weights = [rng.standard_normal(w.shape).astype("float32") for w in layer.get_weights()]
    weights[-1] = np.abs(weights[-1]) + 0.5
    return weights


@pytest.mark.parametrize(
    "input_shape, axis, momentum",
    [((16, 3), -1, 0.99), ((4, 6, 6, 3), -1, 0.9), ((4, 3, 6, 6), 1, 0.5), ((5, 7, 2), -1, 0.0)],
)
def test_moving_statistics_after_one_training_step_equal_keras(input_shape, axis, momentum):
    x = 2.0 + 3.0 * make_input(input_shape)
    layer = BatchNormalization(axis=axis, momentum=momentum)
    layer(torch.from_numpy(x))
    keras_layer = keras().layers.BatchNormalization(axis=axis, momentum=momentum)
    keras_layer.build(input_shape)
    weights = _random_weights(layer, np.random.default_rng(0))
    layer.set_weights(weights)
    keras_layer.set_weights(weights)

    # inference with non-trivial moving statistics
    layer.eval()
    np.testing.assert_allclose(
        to_numpy(layer(torch.from_numpy(x))), to_numpy(keras_layer(x, training=False)), atol=1e-5
    )

    layer.train()
    out = layer(torch.from_numpy(x))
    expected = keras_layer(x, training=True)
    np.testing.assert_allclose(to_numpy(out), to_numpy(expected), atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(to_numpy(layer.running_mean), to_numpy(keras_layer.moving_mean), atol=1e-5)
    np.testing.assert_allclose(to_numpy(layer.running_var), to_numpy(keras_layer.moving_variance), atol=1e-5)
    # the biased batch variance, not torch's unbiased one
    reduce = tuple(d for d in range(len(input_shape)) if d != axis % len(input_shape))
    batch_var = x.var(axis=reduce)
    np.testing.assert_allclose(
        to_numpy(layer.running_var), momentum * weights[-1] + (1 - momentum) * batch_var, atol=1e-5
    )


def test_batch_of_one_in_training_matches_keras():
    x = make_input((1, 4))
    layer = BatchNormalization()
    layer.train()
    out = layer(torch.from_numpy(x))
    keras_layer = keras().layers.BatchNormalization()
    expected = keras_layer(x, training=True)
    np.testing.assert_allclose(to_numpy(out), to_numpy(expected), atol=1e-5)
    np.testing.assert_allclose(to_numpy(layer.running_var), to_numpy(keras_layer.moving_variance), atol=1e-6)


def test_training_argument_overrides_module_mode():
    layer = BatchNormalization(momentum=0.0)
    x = 5.0 + torch.randn(32, 3)
    layer.eval()
    layer(x, training=True)
    torch.testing.assert_close(layer.running_mean, x.mean(0))
    layer.train()
    before = layer.running_mean.clone()
    torch.testing.assert_close(layer(x, training=False), (x - before) / torch.sqrt(layer.running_var + 1e-3))
    torch.testing.assert_close(layer.running_mean, before)


def test_frozen_layer_runs_in_inference_mode_like_keras():
    layer = BatchNormalization()
    x = 5.0 + torch.randn(32, 3)
    layer(x, training=False)
    layer.trainable = False
    layer.train()
    out = layer(x)
    torch.testing.assert_close(layer.running_mean, torch.zeros(3))
    torch.testing.assert_close(out, x / torch.sqrt(torch.tensor(1.0 + 1e-3)))
    keras_layer = keras().layers.BatchNormalization()
    keras_layer.build((32, 3))
    keras_layer.trainable = False
    torch.testing.assert_close(out, torch.as_tensor(to_numpy(keras_layer(x.numpy(), training=True))))


def test_channels_last_images_need_no_copy():
    layer = BatchNormalization()
    x = torch.randn(2, 5, 5, 8)
    for mode in (True, False):
        out = layer(x, training=mode)
        assert out.shape == x.shape and out.is_contiguous()


def test_state_dict_loads_into_nn_batchnorm2d():
    layer = BatchNormalization(axis=1, momentum=0.9)
    x = torch.randn(4, 3, 5, 5)
    layer.train()
    layer(x)
    layer.eval()
    torch_bn = nn.BatchNorm2d(3, eps=1e-3, momentum=0.1)
    torch_bn.load_state_dict(layer.state_dict())
    torch_bn.eval()
    torch.testing.assert_close(torch_bn(x), layer(x))


def test_weights_are_named_the_torch_way_in_keras_order():
    layer = BatchNormalization()
    layer(torch.zeros(2, 3), training=False)
    assert [n for n, _ in layer.named_parameters()] == ["weight", "bias"]
    assert [n for n, _ in layer.named_buffers()] == ["running_mean", "running_var"]
    gamma, beta, mean, var = layer.get_weights()
    assert gamma.tolist() == [1, 1, 1] and beta.tolist() == [0, 0, 0]
    assert mean.tolist() == [0, 0, 0] and var.tolist() == [1, 1, 1]


def test_bad_axis_names_layer_and_shape():
    with pytest.raises(
        ValueError, match=r"BatchNormalization 'bn': axis=3 is out of range for inputs of rank 3"
    ):
        BatchNormalization(axis=3, name="bn")(Input(shape=(4, 5)))


def test_symbolic_feature_mismatch_names_layer():
    layer = BatchNormalization(name="bn2")
    layer(Input(shape=(8, 8, 3)))
    with pytest.raises(
        ValueError, match=r"'bn2' \(BatchNormalization\) is incompatible: expected last axis = 3"
    ):
        layer(Input(shape=(8, 8, 4)))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"momentum": 1.5}, "momentum must be a float in"),
        ({"epsilon": 0.0}, "epsilon must be a positive float"),
    ],
)
def test_bad_hyperparameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        BatchNormalization(**kwargs)
