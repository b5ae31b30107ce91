"""``LayerScale``, ``StochasticDepth`` and ``CustomScaleLayer``: the layers keras.applications defines itself.

Keras' own classes (from ``keras.src.applications``) are the oracle.
"""

import keras
import numpy as np
import pytest
import torch
from keras.src.applications.convnext import LayerScale as KerasLayerScale
from keras.src.applications.convnext import StochasticDepth as KerasStochasticDepth
from keras.src.applications.inception_resnet_v2 import CustomScaleLayer as KerasCustomScaleLayer

import fitorch
from fitorch.layers.core.layer_scale import LayerScale
from fitorch.layers.merging.custom_scale_layer import CustomScaleLayer
from fitorch.layers.regularization.stochastic_depth import StochasticDepth


def test_layer_scale_matches_keras():
    x = np.random.rand(2, 3, 4).astype("float32")
    theirs = KerasLayerScale(0.1, 4)
    theirs(x)
    gamma = np.random.rand(4).astype("float32")
    theirs.set_weights([gamma])
    ours = LayerScale(0.1, 4)
    ours(torch.as_tensor(x))
    np.testing.assert_allclose(ours.get_weights()[0], np.full(4, 0.1, "float32"))  # the initial value
    ours.set_weights([gamma])
    np.testing.assert_allclose(
        ours(torch.as_tensor(x)).detach().numpy(), keras.ops.convert_to_numpy(theirs(x)), atol=1e-7
    )
    assert LayerScale.from_config(ours.get_config()).projection_dim == 4
    with pytest.raises(ValueError, match=r"LayerScale 'ls': expected inputs whose last axis has projection_dim=4"):
        LayerScale(0.1, 4, name="ls")(torch.zeros(2, 5))
    with pytest.raises(ValueError, match="projection_dim must be a positive int; received projection_dim=0"):
        LayerScale(0.1, 0)


def test_custom_scale_layer_matches_keras():
    a, b = np.random.rand(2, 5).astype("float32"), np.random.rand(2, 5).astype("float32")
    ours = CustomScaleLayer(0.17)([torch.as_tensor(a), torch.as_tensor(b)])
    np.testing.assert_allclose(ours.numpy(), np.asarray(KerasCustomScaleLayer(0.17)([a, b])), atol=1e-7)
    with pytest.raises(ValueError, match=r"CustomScaleLayer 'c': expected a list of 2 tensors"):
        x = fitorch.layers.Input(shape=(5,))
        CustomScaleLayer(0.5, name="c")([x, x, x])


def test_stochastic_depth_matches_keras_at_inference_and_drops_whole_samples_in_training():
    x = np.random.rand(64, 3, 4).astype("float32")
    ours = StochasticDepth(0.25)
    np.testing.assert_array_equal(ours(torch.as_tensor(x), training=False).numpy(), np.asarray(
        KerasStochasticDepth(0.25)(x, training=False)))  # fmt: skip
    out = ours(torch.as_tensor(x), training=True).numpy()
    kept = np.isclose(out, x / 0.75).reshape(64, -1).all(axis=1)
    dropped = (out == 0).reshape(64, -1).all(axis=1)
    assert np.all(kept | dropped) and dropped.any() and kept.any()  # each sample whole: kept and scaled, or zero
    with pytest.raises(ValueError, match=r"drop_path_rate must be a float in \[0, 1\); received drop_path_rate=1.5"):
        StochasticDepth(1.5)


def test_keras_files_with_these_layers_import(tmp_path):
    inputs = keras.Input((4, 4, 3))
    x = keras.layers.Conv2D(6, 1)(inputs)
    x = KerasLayerScale(0.5, 6)(x)
    x = KerasStochasticDepth(0.1)(x)
    x = KerasCustomScaleLayer(0.3)([x, keras.layers.Conv2D(6, 1)(inputs)])
    source = keras.Model(inputs, x)
    data = np.random.rand(2, 4, 4, 3).astype("float32")
    for suffix in (".keras", ".h5"):
        source.save(str(tmp_path / f"m{suffix}"))
        model = fitorch.load_model(tmp_path / f"m{suffix}")
        np.testing.assert_allclose(model.predict(data, verbose=0), source.predict(data, verbose=0), atol=1e-6)
        model.save(tmp_path / "again.fitorch")  # registered, so they round-trip through fitorch's own format
        again = fitorch.load_model(tmp_path / "again.fitorch")
        np.testing.assert_allclose(again.predict(data, verbose=0), source.predict(data, verbose=0), atol=1e-6)
