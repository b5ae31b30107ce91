"""Every ``keras.applications`` architecture, saved by Keras 3 as ``.keras`` and ``.h5``, imported by fitorch.

Keras is the oracle: each model is built with ``weights=None`` at its smallest input
size, its BatchNormalization moving statistics (and ConvNeXt's LayerScale factors) are
randomised so they change the output, and fitorch's ``predict`` on the imported file
must equal Keras' within 1e-5, or within 3x Keras' own run-to-run noise (the largest difference
between the same model predicted with 1 torch thread and with 2 or 4), whichever is larger.

Deep networks amplify float32 rounding: for some architectures (EfficientNetV2, NASNet) the
end-to-end difference exceeds that bound although nothing was imported wrongly. The second
check tells the two apart: each layer of the imported model is fed Keras' own input to that
layer and must give Keras' output for it within float32 rounding of one layer
(``LAYER_RTOL`` of the output's magnitude), so an error stays where it was made and any
import mistake (an epsilon, a padding, an activation, a swapped weight) shows at its layer.

A few small architectures run by default; the whole set is marked ``slow``:
``python -m pytest -m slow tests/saving/test_keras_applications.py``.
"""

from __future__ import annotations

import functools
import os

import keras
import numpy as np
import pytest
import torch

import fitorch

# Smallest input side each architecture accepts (Keras' own min_size in keras.applications).
_MIN_SIDE = {"InceptionV3": 75, "InceptionResNetV2": 75, "Xception": 71}
# keras.applications.NASNetMobile's own arguments to the NASNet builder.
_NASNET_MOBILE = {"penultimate_filters": 1056, "num_blocks": 4, "stem_block_filters": 32, "skip_reduction": False,
                  "filter_multiplier": 2, "default_size": 224}  # fmt: skip
ARCHITECTURES = sorted(name for name in dir(keras.applications) if name[0].isupper())
# One of each family that taught the importer something, small enough for every test run:
# keras.ops nodes and hard_swish (MobileNetV3Small), the file's own layer order (ResNet50),
# LayerScale and keras.ops nodes (ConvNeXtTiny).
DEFAULT = ["ConvNeXtTiny", "MobileNetV3Small", "ResNet50"]


def build_keras_application(name: str, seed: int = 0) -> tuple[keras.Model, np.ndarray]:
    """``keras.applications.<name>`` with random weights and statistics, and an input batch for it."""
    keras.utils.set_random_seed(seed)
    side = _MIN_SIDE.get(name, 32)
    # Logits, not softmax: a saturated softmax would hide differences.
    arguments = {"weights": None, "input_shape": (side, side, 3), "classes": 10, "classifier_activation": None}
    if name == "NASNetMobile":  # keras.applications refuses it on the torch backend; its builder does not
        from keras.src.applications import nasnet

        model = nasnet.NASNet(**arguments, **_NASNET_MOBILE, name="nasnet_mobile")
    else:
        model = getattr(keras.applications, name)(**arguments)
    rng = np.random.default_rng(seed)
    for layer in model._flatten_layers():
        if isinstance(layer, keras.layers.BatchNormalization):
            shape = layer.moving_mean.shape
            layer.moving_mean.assign(rng.normal(0.0, 0.2, shape).astype("float32"))
            layer.moving_variance.assign(rng.uniform(0.5, 1.5, shape).astype("float32"))
            if layer.gamma is not None:
                layer.gamma.assign(rng.uniform(0.8, 1.2, shape).astype("float32"))
            if layer.beta is not None:
                layer.beta.assign(rng.normal(0.0, 0.1, shape).astype("float32"))
        elif type(layer).__name__ == "LayerScale":  # initialised at 1e-6, which would hide the blocks
            layer.gamma.assign(rng.uniform(0.5, 1.0, layer.gamma.shape).astype("float32"))
    x = rng.uniform(-1.0, 1.0, (2, side, side, 3)).astype("float32")
    return model, x


def _keras_predict(model: keras.Model, x: np.ndarray, threads: int) -> np.ndarray:
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        return np.asarray(model.predict(x, verbose=0))
    finally:
        torch.set_num_threads(before)


# fitorch's float32 run is a third rounding path (its own conv, matmul and reduction orders) beside
# Keras' 1- and 2/4-thread runs; the largest difference between two such paths varies by a factor of
# 2-3 from pair to pair (observed: fitorch-Keras up to 2.5x Keras-Keras, EfficientNetV2B1), so the pair
# under test is allowed 3x Keras' own. It still fails on an import error: a doubled BatchNormalization
# epsilon (first BN) moves the output 25-1000x Keras' noise in every architecture whose noise is below
# 1e-3 of its output scale; for the chaotic ones (EfficientNetV2M/L, noise ~0.8x the output scale,
# logits ~1e4-1e6) no float32 end-to-end bound can see one, and the layer-local check below carries
# the proof: every layer fed Keras' own inputs must give Keras' outputs within LAYER_RTOL.
NOISE_FACTOR = 3.0


def compare_application(name: str, folder: str) -> dict[str, object]:
    """Builds ``name`` in Keras, saves ``.keras`` and ``.h5``, loads both in fitorch; the differences and noise."""
    model, x = build_keras_application(name)
    expected = _keras_predict(model, x, 1)
    # Keras' own noise: the same model on the same input with 2 and 4 threads instead of 1.
    noise = max(float(np.max(np.abs(_keras_predict(model, x, n) - expected))) for n in (2, 4))
    results: dict[str, object] = {"noise": noise, "tolerance": max(1e-5, NOISE_FACTOR * noise)}
    os.makedirs(folder, exist_ok=True)
    for suffix in (".keras", ".h5"):
        path = os.path.join(folder, f"{name}{suffix}")
        model.save(path)
        try:
            ours = fitorch.load_model(path, compile=False).predict(x, verbose=0)
            results[suffix] = float(np.max(np.abs(ours - expected)))
        except Exception as error:  # noqa: BLE001 - the survey records every failure
            results[suffix] = f"{type(error).__name__}: {str(error)[:300]}"
        finally:
            os.remove(path)
    return results


# One layer's float32 rounding, relative to its output's largest magnitude. Observed: at most
# 4.2e-7 (EfficientNetV2B1's 1280-input Dense); a BatchNormalization epsilon of 2e-5 instead of
# 1e-5 shows as 9.8e-6 (ResNet50), so the bound sits between the two.
LAYER_RTOL = 3e-6


def compare_layers(name: str, folder: str) -> dict[str, float]:
    """Each layer's largest difference from Keras, relative to its output, when fed Keras' input to it.

    fitorch runs the whole imported graph, but a forward pre-hook replaces every layer's
    input with the value Keras computed for it, so differences cannot accumulate; Keras'
    ``keras.ops`` nodes (not layers in Keras) run on the fed values of the layer before them.
    """
    model, x = build_keras_application(name)
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    probe = keras.Model(model.inputs, [[layer.input for layer in layers], [layer.output for layer in layers]])
    keras_inputs, keras_outputs = probe.predict(x, verbose=0)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}_layers.keras")
    model.save(path)
    try:
        ours = fitorch.load_model(path, compile=False)
    finally:
        os.remove(path)
    fed = {layer.name: torch.utils._pytree.tree_map(torch.as_tensor, value)
           for layer, value in zip(layers, keras_inputs, strict=True)}  # fmt: skip
    produced: dict[str, torch.Tensor] = {}

    def feed(module, args, kwargs):
        return (fed[module.name], *args[1:]), kwargs

    def keep(module, args, kwargs, output):
        produced[module.name] = output

    handles = []
    for layer in layers:
        module = ours.get_layer(layer.name)
        handles.append(module.register_forward_pre_hook(feed, with_kwargs=True))
        handles.append(module.register_forward_hook(keep, with_kwargs=True))
    ours.eval()
    with torch.no_grad():
        ours(torch.as_tensor(x))
    for handle in handles:
        handle.remove()
    differences = {}
    for layer, expected in zip(layers, keras_outputs, strict=True):
        expected = np.asarray(expected)
        got = produced[layer.name].numpy()
        differences[layer.name] = float(np.max(np.abs(got - expected))) / max(float(np.max(np.abs(expected))), 1e-6)
    return differences


@functools.lru_cache(maxsize=1)
def _compared(name: str, folder: str) -> dict[str, object]:
    return compare_application(name, folder)


def _check(name: str, suffix: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    results = _compared(name, str(tmp_path_factory.getbasetemp() / "keras_applications"))
    difference = results[suffix]
    assert isinstance(difference, float), f"{name}{suffix} did not load: {difference}"
    assert difference <= results["tolerance"], f"{name}{suffix}: max |fitorch - keras| = {difference}, {results}"


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
@pytest.mark.parametrize("name", DEFAULT)
def test_small_keras_applications_import_exactly(name, suffix, tmp_path_factory):
    _check(name, suffix, tmp_path_factory)


def _check_layers(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    differences = compare_layers(name, str(tmp_path_factory.getbasetemp() / "keras_application_layers"))
    worst = sorted(differences.items(), key=lambda item: -item[1])[:5]
    assert worst[0][1] <= LAYER_RTOL, f"{name}: layers differing from Keras on Keras' own inputs: {worst}"


@pytest.mark.parametrize("name", DEFAULT)
def test_small_keras_application_layers_match_on_keras_inputs(name, tmp_path_factory):
    _check_layers(name, tmp_path_factory)


@pytest.mark.slow
@pytest.mark.parametrize("name", ARCHITECTURES)
def test_every_keras_application_layer_matches_on_keras_inputs(name, tmp_path_factory):
    _check_layers(name, tmp_path_factory)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
@pytest.mark.parametrize("name", ARCHITECTURES)
def test_every_keras_application_imports_exactly(name, suffix, tmp_path_factory):
    _check(name, suffix, tmp_path_factory)
