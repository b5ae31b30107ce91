"""``fitorch.backend`` and the ``keras.config`` additions, against Keras 3 (torch backend)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import fitorch
from fitorch import backend, layers
from tests.layers.harness import keras


def test_backend_is_torch_in_both_places_like_keras_on_torch():
    assert backend.backend() == fitorch.config.backend() == keras().backend.backend() == "torch"
    fitorch.config.set_backend("torch")
    with pytest.raises(ValueError, match="fitorch runs on torch only; received backend='jax'"):
        fitorch.config.set_backend("jax")


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32", "float64", "int8", "int32", "int64",
                                   "uint8", "bool", "complex64", np.float32, np.int16, torch.float64, int, float])  # fmt: skip
def test_dtype_predicates_match_keras(dtype):
    keras_dtype = str(dtype).removeprefix("torch.") if isinstance(dtype, torch.dtype) else dtype
    assert backend.is_float_dtype(dtype) == keras().backend.is_float_dtype(keras_dtype)
    assert backend.is_int_dtype(dtype) == keras().backend.is_int_dtype(keras_dtype)
    assert backend.standardize_dtype(dtype) == keras().backend.standardize_dtype(keras_dtype)


def test_get_uid_counts_per_prefix_and_shares_the_counter_of_default_names_like_keras():
    for library, module in ((fitorch, backend), (keras(), keras().backend)):
        module.clear_session()
        assert [module.get_uid("probe"), module.get_uid("probe"), module.get_uid("other")] == [1, 2, 1]
        assert module.get_uid("dense") == 1
        assert library.layers.Dense(2).name == "dense_1"  # the default name takes the next number
        module.clear_session()
        assert library.layers.Dense(2).name == "dense"
    assert backend.is_keras_tensor(layers.Input(shape=(2,))) and not backend.is_keras_tensor(torch.ones(1))


def test_config_names_the_interactive_logging_switches_too():
    assert fitorch.config.is_interactive_logging_enabled()
    fitorch.config.disable_interactive_logging()
    try:
        assert not fitorch.utils.is_interactive_logging_enabled()
    finally:
        fitorch.config.enable_interactive_logging()
    assert fitorch.utils.is_interactive_logging_enabled()
