import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.preprocessing import Normalization
from tests.layers.harness import keras, make_input, run_layer_test


def _keras_adapted(data, **kwargs):
    layer = keras().layers.Normalization(**kwargs)
    layer.adapt(data)
    return layer


@pytest.mark.parametrize(
    "kwargs, shape",
    [({}, (6, 4)), ({"axis": 1}, (5, 3, 4)), ({"axis": (1, 2)}, (5, 3, 4)), ({"axis": None}, (5, 3, 4)),
     ({"invert": True}, (6, 4)), ({"axis": -2}, (5, 3, 4))],
)  # fmt: skip
def test_adapted_layer_matches_keras(kwargs, shape):
    data = 3.0 + 2.0 * make_input(shape)

    def make():
        layer = Normalization(**kwargs)
        layer.adapt(data)
        return layer

    layer = run_layer_test(make, shape, lambda: keras().layers.Normalization(**kwargs))
    keras_layer = _keras_adapted(data, **kwargs)
    for ours, theirs in zip(layer.get_weights(), keras_layer.get_weights(), strict=True):
        assert ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "kwargs, shape",
    [({"mean": 2.0, "variance": 4.0}, (3, 5)), ({"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]}, (2, 4, 3)),
     ({"axis": (1, 2), "mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]}, (2, 4, 3)),
     ({"mean": 0.5, "variance": 2.0, "invert": True}, (3, 5))],
)  # fmt: skip
def test_given_mean_and_variance_match_keras_and_have_no_weights(kwargs, shape):
    layer = run_layer_test(lambda: Normalization(**kwargs), shape, lambda: keras().layers.Normalization(**kwargs))
    assert layer.get_weights() == []
    assert list(layer.state_dict()) == []


def test_adapt_accepts_tensors_and_iterables_of_batches_like_keras():
    data = 1.0 + make_input((40, 3, 5))
    expected = _keras_adapted(data, axis=-1).get_weights()
    from_tensor = Normalization()
    from_tensor.adapt(torch.from_numpy(data))
    from_batches = Normalization()
    from_batches.adapt([data[:7], data[7:19], data[19:]])
    from_pairs = Normalization()
    from_pairs.adapt((torch.from_numpy(data[i : i + 8]), torch.zeros(8)) for i in range(0, 40, 8))
    # (Keras' own adapt() on an iterable needs TensorFlow installed; its pooled formula equals the full-array one.)
    for layer in (from_tensor, from_batches, from_pairs):
        for ours, theirs in zip(layer.get_weights(), expected, strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_adapted_statistics_are_population_mean_and_variance():
    data = np.array([[0.0, 7.0, 4.0], [2.0, 9.0, 6.0], [0.0, 7.0, 4.0], [2.0, 9.0, 6.0]], dtype="float32")
    layer = Normalization()
    layer.adapt(data)
    torch.testing.assert_close(layer.mean, torch.tensor([1.0, 8.0, 5.0]))
    torch.testing.assert_close(layer.variance, torch.tensor([1.0, 1.0, 1.0]))
    torch.testing.assert_close(layer(torch.from_numpy(data)), torch.tensor([[-1.0, -1.0, -1.0], [1.0, 1.0, 1.0]] * 2))
    assert [b for b, _ in layer.named_buffers()] == ["mean", "variance", "count"]


def test_constant_feature_divides_by_epsilon_not_zero():
    layer = Normalization()
    layer.adapt(np.ones((4, 2), dtype="float32"))
    assert torch.isfinite(layer(torch.ones(1, 2))).all()
    torch.testing.assert_close(layer(torch.ones(1, 2)), torch.zeros(1, 2))


def test_state_dict_moves_adapted_statistics():
    layer = Normalization()
    layer.adapt(np.arange(12, dtype="float32").reshape(6, 2))
    fresh = Normalization()
    fresh.build((None, 2))
    fresh.load_state_dict(layer.state_dict())
    torch.testing.assert_close(fresh(torch.ones(1, 2)), layer(torch.ones(1, 2)))


def test_config_round_trip_keeps_mean_and_variance():
    layer = Normalization(axis=[1], mean=[1.0, 2.0], variance=[3.0, 4.0], invert=True)
    config = layer.get_config()
    assert config["axis"] == [1] and config["mean"] == [1.0, 2.0] and config["invert"] is True
    rebuilt = Normalization.from_config(config)
    x = torch.randn(3, 2)
    torch.testing.assert_close(rebuilt(x), layer(x))


def test_integer_inputs_give_float_outputs():
    layer = Normalization(mean=1.0, variance=1.0)
    assert layer(torch.tensor([[3]])).dtype == torch.float32
    assert Normalization(mean=1.0, variance=1.0)(Input(shape=(2,), dtype="int64")).dtype == torch.float32


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"Normalization 'n1': pass both mean and variance, or neither"):
        Normalization(mean=1.0, name="n1")
    with pytest.raises(ValueError, match=r"Normalization 'n2': mean and variance must have the same shape"):
        Normalization(mean=[1.0, 2.0], variance=[1.0], name="n2")
    with pytest.raises(ValueError, match=r"Normalization 'n3': the rank of mean must not exceed the number of axes"):
        Normalization(mean=[[1.0]], variance=[[1.0]], name="n3")
    with pytest.raises(ValueError, match=r"Normalization 'n4': axis=\(3,\) is out of range for inputs of rank 2"):
        Normalization(axis=3, name="n4")(Input(shape=(3,)))
    with pytest.raises(ValueError, match=r"Normalization 'n5': the kept axes must have known sizes"):
        Normalization(name="n5")(Input(shape=(None,)))
    with pytest.raises(ValueError, match=r"Normalization 'n6': adapt\(\) cannot be used when mean and variance"):
        Normalization(mean=0.0, variance=1.0, name="n6").adapt(np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"Normalization 'n7': adapt\(\) received an empty iterable"):
        Normalization(name="n7").adapt([])
    with pytest.raises(TypeError, match=r"Normalization 'n8': adapt\(\) accepts a NumPy array, a tensor or an iterable"):
        Normalization(name="n8").adapt(3.0)
    layer = Normalization(name="n9")
    layer.adapt(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"Normalization 'n9': adapt\(\) data of shape \(4, 5\) does not match the layer"):
        layer.adapt(np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"Normalization 'n10': axis must be an int, a list of ints or None"):
        Normalization(axis="x", name="n10")


def test_floating_inputs_keep_their_dtype():
    layer = Normalization()
    layer.adapt(np.arange(8, dtype="float32").reshape(4, 2))
    assert layer(torch.ones(1, 2, dtype=torch.float64)).dtype == torch.float64
    assert Normalization(mean=0.0, variance=1.0)(torch.ones(1, 2, dtype=torch.bfloat16)).dtype == torch.bfloat16
