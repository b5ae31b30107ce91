import numpy as np
import pytest
import torch

from fitorch.layers.regularization import ActivityRegularization
from tests.layers.harness import keras, make_input, run_layer_test


def _keras_loss(l1: float, l2: float, x: np.ndarray) -> float:
    layer = keras().layers.ActivityRegularization(l1=l1, l2=l2)
    layer(x)
    (loss,) = layer.losses
    return float(keras().ops.convert_to_numpy(loss))


@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.01, 0.0), (0.0, 0.02), (0.03, 0.05)])
def test_matches_keras_output_and_loss(l1, l2):
    layer = run_layer_test(
        lambda: ActivityRegularization(l1=l1, l2=l2),
        (4, 3, 5),
        lambda: keras().layers.ActivityRegularization(l1=l1, l2=l2),
    )
    x = make_input((4, 3, 5))
    layer(torch.from_numpy(x))
    np.testing.assert_allclose(float(layer.losses[0]), _keras_loss(l1, l2, x), rtol=1e-6, atol=1e-7)


def test_loss_is_divided_by_batch_size_as_in_keras():
    x = torch.ones(8, 10)
    layer = ActivityRegularization(l1=0.5, l2=0.25)
    assert layer(x) is x
    torch.testing.assert_close(layer.losses[0], torch.tensor((0.5 * 80 + 0.25 * 80) / 8))


def test_loss_is_recorded_on_every_call_and_carries_gradients():
    layer = ActivityRegularization(l2=1.0)
    x = torch.tensor([[1.0, 2.0]], requires_grad=True)
    layer.train()
    layer(x)
    layer.losses[0].backward()
    torch.testing.assert_close(x.grad, 2 * x.detach())
    layer.eval()
    layer(torch.full((2, 2), 3.0))
    torch.testing.assert_close(layer.losses[0], torch.tensor(18.0 * 2 / 2))


def test_empty_batch_gives_zero_not_nan():
    layer = ActivityRegularization(l1=1.0)
    layer(torch.zeros(0, 3))
    assert float(layer.losses[0]) == 0.0


def test_config_has_keras_keys():
    config = ActivityRegularization(l1=0.1, l2=0.2, name="act").get_config()
    keras_config = keras().layers.ActivityRegularization(l1=0.1, l2=0.2).get_config()
    assert config["l1"] == keras_config["l1"] and config["l2"] == keras_config["l2"]
    assert ActivityRegularization.from_config(config).get_config() == config


@pytest.mark.parametrize("kwargs", [{"l1": -0.1}, {"l2": float("nan")}, {"l1": "0.1"}])
def test_negative_or_bad_factors_are_rejected(kwargs):
    with pytest.raises(ValueError, match=r"ActivityRegularization 'reg': L1L2: l[12] must be a non-negative float"):
        ActivityRegularization(name="reg", **kwargs)


def test_fit_minimises_and_reports_the_activity_penalty_like_keras():
    import fitorch
    from fitorch import layers as fl

    x = np.random.default_rng(0).standard_normal((16, 3)).astype("float32")
    y = np.zeros((16, 1), dtype="float32")
    inputs = fl.Input(shape=(3,))
    dense = fl.Dense(1, name="d")
    model = fitorch.Model(inputs, fl.ActivityRegularization(l2=0.5)(dense(inputs)))
    model.compile("sgd", "mse")
    k = keras()
    k_in = k.Input(shape=(3,))
    k_dense = k.layers.Dense(1)
    k_model = k.Model(k_in, k.layers.ActivityRegularization(l2=0.5)(k_dense(k_in)))
    k_model.compile("sgd", "mse")
    k_dense.set_weights(dense.get_weights())
    ours = model.evaluate(x, y, batch_size=16, verbose=0)
    theirs = k_model.evaluate(x, y, batch_size=16, verbose=0)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    k_model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    np.testing.assert_allclose(dense.get_weights()[0], k_dense.get_weights()[0], rtol=1e-5, atol=1e-6)
