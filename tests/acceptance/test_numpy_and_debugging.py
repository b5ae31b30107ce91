"""Promise 2: eager, debuggable tensors with NumPy everywhere."""

import numpy as np
import pytest
import torch
from torch import nn

import fitorch
from fitorch import layers


def test_to_numpy_and_back_handles_grad_device_and_bfloat16():
    tree = {"w": torch.ones(2, requires_grad=True), "bf": torch.ones(3, dtype=torch.bfloat16),
            "nested": [torch.arange(3), 5]}
    arrays = fitorch.to_numpy(tree)
    assert arrays["w"].dtype == np.float32 and arrays["bf"].dtype == np.float32
    assert arrays["nested"][0].tolist() == [0, 1, 2] and arrays["nested"][1] == 5
    back = fitorch.to_tensor(arrays, device="cpu")
    assert torch.equal(back["nested"][0], torch.arange(3))
    assert back["w"].dtype == torch.float32 and not back["w"].requires_grad
    meta = fitorch.to_tensor(np.zeros((2, 2)), device="meta")
    assert meta.is_meta


def test_symbolic_tensor_repr_names_shape_dtype_and_layer():
    inputs = layers.Input(shape=(32, 32, 3))
    x = layers.Conv2D(64, (3, 3), name="conv2d_1")(inputs)
    assert repr(x) == "<SymbolicTensor shape=(None, 30, 30, 64) dtype=float32 from 'conv2d_1' (Conv2D)>"


def test_shape_mismatch_is_reported_when_the_model_is_defined():
    inputs = layers.Input(shape=(10,))
    dense = layers.Dense(4, name="dense_a")
    dense(inputs)
    with pytest.raises(ValueError, match=r"'dense_a' \(Dense\) is incompatible: expected last axis = 10, "
                                         r"received shape \(None, 12\)"):
        dense(layers.Input(shape=(12,)))
    with pytest.raises(ValueError, match=r"Module 'linear.*' \(Linear\) cannot be called on inputs with shapes "
                                         r"\(None, 12\)"):
        layers.TorchModule(nn.Linear(10, 3))(layers.Input(shape=(12,)))


def test_eager_shape_mismatch_is_reported_when_the_layer_is_called():
    inputs = layers.Input(shape=(10,))
    model = fitorch.Model(inputs, layers.Dense(4, name="dense_b")(inputs))
    with pytest.raises(ValueError, match=r"'dense_b' \(Dense\) is incompatible: expected last axis = 10, "
                                         r"received shape \(2, 7\)"):
        model(torch.zeros(2, 7))


def test_errors_inside_call_name_the_layer_and_input_shapes():
    class Broken(layers.Layer):
        def call(self, x):
            return x @ torch.ones(3, 3)

    with pytest.raises(RuntimeError, match=r"layer 'broken' \(Broken\) called on inputs with shapes \(2, 5\)"):
        Broken(name="broken")(torch.zeros(2, 5))


def test_print_inside_a_custom_layer_shows_real_values_during_fit(capsys):
    class Spy(layers.Layer):
        def call(self, x):
            print("values in fit:", x[0, 0])
            return x

    inputs = layers.Input(shape=(2,))
    model = fitorch.Model(inputs, layers.Dense(1)(Spy()(inputs)))
    model.compile("sgd", "mse")
    model.fit(np.full((4, 2), 0.5, dtype="float32"), np.zeros((4, 1)), batch_size=4, epochs=1, verbose=0)
    assert "values in fit: tensor(0.5000)" in capsys.readouterr().out


def test_symbolic_tensors_refuse_torch_ops_with_advice():
    x = layers.Input(shape=(3,))
    with pytest.raises(TypeError, match="Lambda"):
        torch.relu(x)
    assert (x + 1).shape == (None, 3)  # Python operators build graph ops, as in Keras
