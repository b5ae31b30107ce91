"""Weight regularizers and constraints given to add_weight act in Keras layout during fit."""

import numpy as np
import torch

import fitorch
from fitorch import layers


class Scaled(layers.Layer):
    def __init__(self, units, regularizer=None, constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.units, self.regularizer, self.constraint = units, regularizer, constraint

    def build(self, input_shape):
        self.add_weight("weight", (self.units, input_shape[-1]), keras_axes=(1, 0),
                        regularizer=self.regularizer, constraint=self.constraint)

    def call(self, x):
        return torch.nn.functional.linear(x, self.weight)


def test_regularizer_penalty_is_added_to_the_loss():
    inputs = layers.Input(shape=(3,))
    layer = Scaled(2, regularizer=fitorch.regularizers.L2(0.1))
    model = fitorch.Model(inputs, layer(inputs))
    model.compile("sgd", "mse")
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
    plain = model.evaluate(x, y, verbose=0) - 0.1 * float(layer.weight.detach().square().sum())
    with torch.no_grad():
        expected = torch.nn.functional.mse_loss(layer(torch.from_numpy(x)), torch.from_numpy(y))
    np.testing.assert_allclose(plain, float(expected), rtol=1e-5)


def test_constraint_is_applied_after_every_step_in_keras_layout():
    inputs = layers.Input(shape=(3,))
    layer = Scaled(4, constraint=fitorch.constraints.MaxNorm(0.5))  # Keras: norm over axis 0 (inputs)
    model = fitorch.Model(inputs, layer(inputs))
    model.compile(fitorch.optimizers.SGD(learning_rate=1.0), "mse")
    x = np.random.default_rng(0).standard_normal((32, 3)).astype("float32")
    model.fit(x, np.full((32, 4), 5.0, "float32"), epochs=2, verbose=0)
    column_norms = layer.weight.detach().t().norm(dim=0)  # Keras kernel (in, out): norm of each column
    assert torch.all(column_norms <= 0.5 + 1e-5)


def test_keras_regularizer_and_constraint_arguments_match_keras_through_fit():
    from tests.layers.harness import keras

    k = keras()
    x = np.random.default_rng(0).standard_normal((16, 5)).astype("float32")
    y = np.random.default_rng(1).standard_normal((16, 2)).astype("float32")
    kwargs = {"kernel_regularizer": "l2", "bias_regularizer": "l1", "activity_regularizer": "l2",
              "kernel_constraint": "max_norm"}
    dense = layers.Dense(2, name="d", **{k_: v for k_, v in kwargs.items()})
    inputs = layers.Input(shape=(5,))
    model = fitorch.Model(inputs, dense(inputs))
    model.compile("sgd", "mse")
    k_dense = k.layers.Dense(2, **kwargs)
    k_in = k.Input(shape=(5,))
    k_model = k.Model(k_in, k_dense(k_in))
    k_model.compile("sgd", "mse")
    k_dense.set_weights(dense.get_weights())
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=16, verbose=0),
                               k_model.evaluate(x, y, batch_size=16, verbose=0), rtol=1e-5)
    model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    k_model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    for ours, theirs in zip(dense.get_weights(), k_dense.get_weights(), strict=True):
        np.testing.assert_allclose(ours, np.asarray(theirs), rtol=1e-5, atol=1e-6)
    config = dense.get_config()
    assert config["kernel_regularizer"]["class_name"] == "L2" and config["activity_regularizer"]["class_name"] == "L2"
    assert layers.Dense.from_config(config).get_config() == config


def test_conv_takes_regularizer_arguments():
    conv = layers.Conv2D(3, 2, kernel_regularizer=fitorch.regularizers.L1(0.1))
    conv(torch.zeros(1, 4, 4, 2))
    assert len(conv.losses) == 1
    torch.testing.assert_close(conv.losses[0], 0.1 * conv.weight.detach().abs().sum())
