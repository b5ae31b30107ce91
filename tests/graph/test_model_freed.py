"""A deleted model frees its layers: nodes live on the layers, not in a module-level table.

Before nodes moved onto the layers, a ``WeakKeyDictionary`` held them, and its values (the
nodes) referred back to their keys (the layers), so no layer called on a symbolic tensor
was ever freed, not even by ``gc.collect()``.
"""

import gc
import weakref

import torch

import fitorch
from fitorch import layers


def _functional():
    inputs = layers.Input(shape=(6,))
    hidden = layers.Dense(8, activation="relu")(inputs)
    return fitorch.Model(inputs, layers.Dense(2)(layers.Dropout(0.1)(hidden)))


def _sequential():
    return fitorch.Sequential([layers.Input(shape=(6,)), layers.Dense(8), layers.Dense(2)])


def _lazy_sequential():
    model = fitorch.Sequential([layers.Dense(4), layers.Dense(2)])
    model(torch.zeros(2, 6))  # builds its graph from the data
    return model


def _nested():
    inner_in = layers.Input(shape=(6,))
    inner = fitorch.Model(inner_in, layers.Dense(3)(inner_in))
    outer_in = layers.Input(shape=(6,))
    return fitorch.Model(outer_in, layers.Dense(2)(inner(outer_in)))


def _shared():
    a, b = layers.Input(shape=(6,)), layers.Input(shape=(6,))
    shared = layers.Dense(4)
    merged = layers.Concatenate()([shared(a), shared(b)])
    return fitorch.Model([a, b], layers.Dense(1)(merged))


def _with_ops():
    inputs = layers.Input(shape=(6,))
    return fitorch.Model(inputs, layers.Dense(2)(inputs * 2.0 + 1.0))


KINDS = [_functional, _sequential, _lazy_sequential, _nested, _shared, _with_ops]


def _modules_of(model: torch.nn.Module) -> list[torch.nn.Module]:
    """The model, every sub-module and every layer of its graph (input layers and op layers too)."""
    found = {id(m): m for m in model.modules()}
    stack = [model]
    while stack:
        module = stack.pop()
        for layer in getattr(module, "layers", []):
            if id(layer) not in found:
                found[id(layer)] = layer
                stack.append(layer)
    return list(found.values())


def _build_and_drop(count: int) -> list[weakref.ref]:
    refs = []
    for index in range(count):
        model = KINDS[index % len(KINDS)]()
        model(torch.zeros(2, 6) if index % len(KINDS) != 4 else [torch.zeros(2, 6), torch.zeros(2, 6)])
        refs.extend(weakref.ref(module) for module in _modules_of(model))
        del model
    return refs


def test_deleted_models_and_their_layers_are_freed():
    refs = _build_and_drop(100)
    assert len(refs) > 400  # every model, layer and sub-module is watched
    gc.collect()
    alive = [ref() for ref in refs if ref() is not None]
    assert alive == [], f"{len(alive)} of {len(refs)} modules survived, e.g. {alive[:3]}"


def test_a_model_loaded_from_a_file_is_freed(tmp_path):
    _functional().save(tmp_path / "m.fitorch")
    refs = []
    for _ in range(3):
        model = fitorch.load_model(tmp_path / "m.fitorch")
        refs.extend(weakref.ref(module) for module in _modules_of(model))
        del model
    gc.collect()
    assert [ref() for ref in refs if ref() is not None] == []


def test_a_torch_module_in_a_graph_is_freed():
    refs = []
    for _ in range(5):
        inputs = layers.Input(shape=(6,))
        wrapper = layers.TorchModule(torch.nn.Linear(6, 3))
        model = fitorch.Model(inputs, layers.Dense(2)(wrapper(inputs)))
        refs.extend(weakref.ref(module) for module in [*_modules_of(model), wrapper, wrapper.module])
        del model, wrapper, inputs
    gc.collect()
    assert [ref() for ref in refs if ref() is not None] == []
