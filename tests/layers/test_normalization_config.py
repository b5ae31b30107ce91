"""``get_config`` of the affine normalization layers against Keras' (values and key order)."""

from __future__ import annotations

import pytest

from fitorch.layers.normalization import BatchNormalization, GroupNormalization, LayerNormalization
from tests.layers.harness import keras

CASES = [
    (GroupNormalization, {"groups": 2, "axis": 1, "epsilon": 1e-4, "center": False, "beta_initializer": "ones"}),
    (LayerNormalization, {"axis": [1, 2], "epsilon": 1e-4, "scale": False, "gamma_initializer": "zeros"}),
    (BatchNormalization, {"axis": 1, "momentum": 0.9, "epsilon": 1e-4, "center": False, "gamma_initializer": "zeros"}),
]


@pytest.mark.parametrize(("layer_class", "kwargs"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_config_matches_keras(layer_class, kwargs):
    kwargs = {**kwargs, "name": "norm"}  # automatic names count the layers made before, in each library
    config = layer_class(**kwargs).get_config()
    expected = getattr(keras().layers, layer_class.__name__)(**kwargs).get_config()
    assert [key for key in expected if key in config] == list(config)  # Keras' order, without what we lack
    for key, value in config.items():
        if key.endswith("_initializer"):
            assert type(keras().initializers.get(value)).__name__ == expected[key]["class_name"], key
        else:
            assert value == expected[key], key


@pytest.mark.parametrize("layer_class", [GroupNormalization, LayerNormalization])
@pytest.mark.parametrize("epsilon", [0, -1.0, True, "1e-3"])
def test_bad_epsilon_is_explained(layer_class, epsilon):
    with pytest.raises(ValueError, match=rf"{layer_class.__name__} '.*': epsilon must be a positive float; received"):
        layer_class(epsilon=epsilon)
