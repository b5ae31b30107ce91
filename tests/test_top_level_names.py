"""Keras' top-level names (``keras.Layer``, ``keras.name_scope``, ``keras.version`` ...) on ``fitorch``."""

from __future__ import annotations

import threading

import pytest
import torch

import fitorch
from fitorch.name_scopes import current_path, name_scope

ALIASES = {
    "Layer": fitorch.layers.Layer,
    "Loss": fitorch.losses.Loss,
    "Metric": fitorch.metrics.Metric,
    "Optimizer": fitorch.optimizers.Optimizer,
    "Initializer": fitorch.initializers.Initializer,
    "Regularizer": fitorch.regularizers.Regularizer,
    "InputSpec": fitorch.layers.InputSpec,
}


def _keras():
    import keras

    return keras


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_top_level_class_is_the_namespace_class_as_in_keras(name: str) -> None:
    keras = _keras()
    assert getattr(fitorch, name) is ALIASES[name]
    assert name in fitorch.__all__
    keras_namespace = {"Layer": "layers", "Loss": "losses", "Metric": "metrics", "Optimizer": "optimizers",
                       "Initializer": "initializers", "Regularizer": "regularizers", "InputSpec": "layers"}[name]  # fmt: skip
    assert getattr(keras, name) is getattr(getattr(keras, keras_namespace), name)


def test_variable_is_fitorch_variable() -> None:
    from fitorch.layers.variable import Variable

    assert fitorch.Variable is Variable and "Variable" in fitorch.__all__


def test_subclassing_top_level_layer_works() -> None:
    class Double(fitorch.Layer):
        def call(self, x: torch.Tensor) -> torch.Tensor:
            return x * 2

    torch.testing.assert_close(Double()(torch.ones(2)), torch.full((2,), 2.0))


def test_tree_module_is_public() -> None:
    assert fitorch.tree.flatten({"b": 1, "a": 2}) == _keras().tree.flatten({"b": 1, "a": 2})
    assert "tree" in fitorch.__all__


def test_version_returns_fitorch_version_as_keras_returns_its_own() -> None:
    keras = _keras()
    assert keras.version() == keras.__version__
    assert fitorch.version() == fitorch.__version__ and isinstance(fitorch.version(), str)


def _keras_current_path() -> str:
    from keras.src.backend.common.name_scope import current_path as keras_current_path

    return keras_current_path()


def test_name_scope_nesting_matches_keras() -> None:
    keras = _keras()

    class Caller:
        pass

    caller = Caller()
    paths, keras_paths = [], []
    for scope, record, read in [
        (name_scope, paths, current_path),
        (keras.name_scope, keras_paths, _keras_current_path),
    ]:
        with scope("outer"):
            record.append(read())
            with scope("inner", caller=caller), scope("inner", caller=caller):  # deduplicated
                record.append(read())
            with scope("x", override_parent="root/sub"):
                record.append(read())
            with scope("inner", caller=caller), scope("inner", caller=caller, deduplicate=False):
                record.append(read())
        record.append(read())
    assert paths == keras_paths == ["outer", "outer/inner", "root/sub/x", "outer/inner/inner", ""]


def test_name_scope_is_per_thread() -> None:
    seen = []
    with name_scope("main"):
        thread = threading.Thread(target=lambda: seen.append(current_path()))
        thread.start()
        thread.join()
        assert current_path() == "main"
    assert seen == [""]


def test_name_scope_leaves_layer_names_alone() -> None:
    with name_scope("block"):
        layer = fitorch.layers.Dense(2, name="d")
    assert layer.name == "d"


@pytest.mark.parametrize("name", [3, "a/b"])
def test_name_scope_rejects_bad_names_as_keras(name) -> None:
    with pytest.raises(ValueError, match="Argument `name` must be a string"):
        _keras().name_scope(name)
    with pytest.raises(ValueError, match=r"name_scope: argument `name` must be a string .* Received: name="):
        name_scope(name)
