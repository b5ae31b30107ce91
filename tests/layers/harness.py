"""The shared layer test harness (STYLE.md §6): every layer runs through ``run_layer_test``.

It checks, for one layer configuration:
1. eager and symbolic output shapes agree;
2. ``get_config`` is JSON and ``from_config`` rebuilds an equal config (unless
   ``check_config=False``, for layers that refuse serialization);
3. a ``state_dict`` round trip gives a layer with identical outputs;
4. one optimizer step on a loss changes the trainable weights;
5. ``torch.compile`` gives the eager outputs;
6. the layer runs on the ``meta`` device;
7. the outputs equal Keras 3's (torch backend) for the same weights, via
   ``get_weights``/``set_weights``, in inference mode and, when deterministic,
   in training mode; so do the weights after each call (moving statistics).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

os.environ.setdefault("KERAS_BACKEND", "torch")

from fitorch import layers  # noqa: E402
from fitorch.utils.tree import flatten  # noqa: E402


def keras():
    import keras as keras_module

    return keras_module


def make_input(shape: tuple[int, ...], dtype: str = "float32", low: int = 0, high: int = 10) -> np.ndarray:
    rng = np.random.default_rng(1234)
    if dtype.startswith("int"):
        return rng.integers(low, high, size=shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def to_numpy(value: Any) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return keras().ops.convert_to_numpy(value)


def run_layer_test(
    make_layer: Callable[[], torch.nn.Module],
    input_shape: tuple[int, ...] | list[tuple[int, ...]],
    make_keras_layer: Callable[[], Any] | None = None,
    input_dtype: str = "float32",
    deterministic_in_training: bool = True,
    atol: float = 1e-5,
    check_compile: bool = True,
    input_data: Any = None,
    check_config: bool = True,
) -> torch.nn.Module:
    """Runs the shared checks on the layer built by ``make_layer``; returns the built layer.

    ``input_shape`` includes the batch axis; a list of shapes means a multi-input layer.
    """
    multi = isinstance(input_shape, list)
    shapes = input_shape if multi else [input_shape]
    arrays = input_data if input_data is not None else [make_input(s, input_dtype) for s in shapes]
    arrays = arrays if isinstance(arrays, list) else [arrays]
    tensors = [torch.from_numpy(a.copy()) for a in arrays]
    call_arg = tensors if multi else tensors[0]

    layer = make_layer()
    layer.eval()
    eager = layer(call_arg)

    # 1. symbolic and eager shapes agree (the batch axis is unknown symbolically).
    symbolic_inputs = [layers.Input(shape=s[1:], dtype=input_dtype) for s in shapes]
    symbolic = make_layer()(symbolic_inputs if multi else symbolic_inputs[0])
    for sym, real in zip(flatten(symbolic), flatten(eager), strict=True):
        assert sym.shape[0] is None
        assert tuple(sym.shape[1:]) == tuple(real.shape[1:]), (sym.shape, real.shape)
        assert sym.dtype == real.dtype

    # 2. config round trip through JSON.
    if check_config:
        config = layer.get_config()
        rebuilt = type(layer).from_config(json.loads(json.dumps(config)))
        assert rebuilt.get_config() == config
    else:
        rebuilt = make_layer()

    # 3. state_dict round trip.
    rebuilt.eval()
    rebuilt(call_arg)
    rebuilt.load_state_dict(layer.state_dict())
    for a, b in zip(flatten(rebuilt(call_arg)), flatten(eager), strict=True):
        torch.testing.assert_close(a, b)

    # 4. one optimizer step changes the trainable weights.
    parameters = [p for p in layer.parameters() if p.requires_grad]
    if parameters:
        layer.train()
        before = [p.detach().clone() for p in parameters]
        optimizer = torch.optim.SGD(parameters, lr=0.1)
        loss = sum(o.float().square().mean() + o.float().mean() for o in flatten(layer(call_arg)))
        loss.backward()
        optimizer.step()
        assert any(not torch.equal(b, p) for b, p in zip(before, parameters, strict=True)), "no weight changed"
        layer.load_state_dict(rebuilt.state_dict())
        layer.eval()

    # 5. torch.compile agrees with eager.
    if check_compile:
        compiled = torch.compile(layer, backend="aot_eager", fullgraph=False)
        for a, b in zip(flatten(compiled(call_arg)), flatten(eager), strict=True):
            torch.testing.assert_close(a, b)

    # 6. the layer runs on the meta device.
    meta_layer = make_layer()
    meta_layer(call_arg)
    meta_layer.to("meta")
    meta_arg = [t.to("meta") for t in tensors] if multi else tensors[0].to("meta")
    for a, b in zip(flatten(meta_layer(meta_arg)), flatten(eager), strict=True):
        assert a.is_meta and a.shape == b.shape

    # 7. Keras oracle.
    if make_keras_layer is not None:
        keras_layer = make_keras_layer()
        keras_input = arrays if multi else arrays[0]
        keras_layer.build([tuple(a.shape) for a in arrays] if multi else arrays[0].shape)
        keras_layer.set_weights(layer.get_weights())
        modes = (False, True) if deterministic_in_training else (False,)
        for training in modes:
            layer.train(training)
            expected = keras_layer(keras_input, training=training)
            actual = layer(call_arg)
            for a, e in zip(flatten(actual), flatten(expected), strict=True):
                np.testing.assert_allclose(to_numpy(a), to_numpy(e), atol=atol, rtol=atol)
            # State updated by the call (moving statistics, ...) matches too.
            for ours, theirs in zip(layer.get_weights(), keras_layer.get_weights(), strict=True):
                np.testing.assert_allclose(ours, to_numpy(theirs), atol=atol, rtol=atol)
        layer.eval()
    return layer


def merged_masks(layer_name: str, inputs: list[torch.Tensor], masks: list[torch.Tensor | None],
                 **kwargs: Any) -> tuple[torch.Tensor, np.ndarray]:  # fmt: skip
    """The output mask of fitorch's and of Keras' merge layer ``layer_name`` on ``inputs`` carrying ``masks``."""
    keras_inputs = []
    for tensor, mask in zip(inputs, masks, strict=True):
        keras_tensor = keras().ops.convert_to_tensor(tensor.numpy())
        if mask is not None:
            tensor._keras_mask = mask
            keras_tensor._keras_mask = keras().ops.convert_to_tensor(mask.numpy())
        keras_inputs.append(keras_tensor)
    ours = getattr(layers, layer_name)(**kwargs)(inputs)._keras_mask
    theirs = getattr(keras().layers, layer_name)(**kwargs)(keras_inputs)._keras_mask
    return ours, keras().ops.convert_to_numpy(theirs)


def assert_masked_sequence_model_matches_keras(branch: Callable[[Any, Any], Any]) -> None:
    """``Embedding(mask_zero=True)``, then ``branch(lib, embedded)``, then ``GlobalAveragePooling1D`` (which
    skips masked steps), built in fitorch and in Keras with the same weights: the outputs must agree, which
    they do only if the mask reaches the pooling as in Keras."""
    import fitorch

    def build(lib: Any) -> Any:
        tokens = lib.layers.Input(shape=(5,), dtype="int64")
        embedded = lib.layers.Embedding(10, 3, mask_zero=True)(tokens)
        return lib.Model(tokens, lib.layers.GlobalAveragePooling1D()(branch(lib, embedded)))

    model, reference = build(fitorch), build(keras())
    reference.set_weights(model.get_weights())
    ids = np.array([[1, 2, 0, 0, 0], [3, 4, 5, 0, 0]])
    with torch.no_grad():
        output = model.eval()(torch.from_numpy(ids)).numpy()
    np.testing.assert_allclose(output, to_numpy(reference(ids)), rtol=1e-5, atol=1e-6)
