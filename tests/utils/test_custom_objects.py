"""register_keras_serializable, custom_object_scope and the registry look-ups, against Keras 3."""

import asyncio
import os
import threading

import keras
import numpy as np
import pytest

import fitorch
from fitorch.saving import UnsafeModelError, registry


def test_register_keras_serializable_names_like_keras():
    def decorate(api, package, name=None):
        @api.register_keras_serializable(package, name) if name else api.register_keras_serializable(package)
        def swish_twice(x):
            return x

        return api.get_registered_name(swish_twice), api.get_registered_object(api.get_registered_name(swish_twice))

    for args in (("h1_pkg",), ("h1_pkg", "renamed")):
        ours_name, ours_obj = decorate(fitorch.saving, *args)
        keras_name, keras_obj = decorate(keras.saving, *args)
        assert ours_name == keras_name
        assert ours_obj.__name__ == keras_obj.__name__ == "swish_twice"
    # the same registry as fitorch's own decorator
    assert registry.registered("h1_pkg>renamed").__name__ == "swish_twice"


def test_default_package_and_unregistered_names_match_keras():
    def plain(x):
        return x

    assert fitorch.utils.get_registered_name(plain) == keras.utils.get_registered_name(plain) == "plain"
    ours = fitorch.utils.register_keras_serializable()(type("DefaultPkg", (fitorch.layers.Layer,), {}))
    theirs = keras.utils.register_keras_serializable()(type("DefaultPkg", (keras.layers.Layer,), {}))
    assert fitorch.utils.get_registered_name(ours) == keras.utils.get_registered_name(theirs) == "Custom>DefaultPkg"


def test_class_without_get_config_is_refused_like_keras():
    class NoConfig:
        pass

    with pytest.raises(ValueError):
        keras.saving.register_keras_serializable("h1")(NoConfig)
    with pytest.raises(ValueError, match="register_keras_serializable.*NoConfig.*get_config"):
        fitorch.saving.register_keras_serializable("h1")(NoConfig)
    with pytest.raises(ValueError, match="letters, digits"):
        fitorch.saving.register_keras_serializable("bad package")(lambda x: x)


def test_get_registered_name_of_an_instance_is_a_clear_type_error():
    with pytest.raises(TypeError, match="get_registered_name: expected a class or function"):
        fitorch.utils.get_registered_name(3)


def test_get_custom_objects_is_the_live_registry():
    def added_by_hand(x):
        return x

    objects = fitorch.utils.get_custom_objects()
    assert objects is fitorch.saving.get_custom_objects()
    objects["h1_by_hand"] = added_by_hand
    try:
        assert registry.resolve("h1_by_hand", "function") is added_by_hand
        assert fitorch.utils.get_registered_object("h1_by_hand") is added_by_hand
    finally:
        del objects["h1_by_hand"]
    assert fitorch.utils.get_registered_object("h1_by_hand") is None


def test_get_registered_object_lookup_order_matches_keras():
    def scoped(x):
        return x

    def given(x):
        return x

    def module_level(x):
        return x

    for api in (keras.utils, fitorch.utils):
        assert api.get_registered_object("h1_nothing") is None
        assert api.get_registered_object("f", custom_objects={"f": given}) is given
        assert api.get_registered_object("f", module_objects={"f": module_level}) is module_level
        assert api.get_registered_object("f", {"f": given}, {"f": module_level}) is given
        with api.custom_object_scope({"f": scoped}):
            assert api.get_registered_object("f", custom_objects={"f": given}) is scoped
        assert api.get_registered_object("f") is None


def test_nested_scopes_replace_like_keras():
    def outer(x):
        return x

    def inner(x):
        return x

    seen = {}
    for api in (keras.utils, fitorch.utils):
        with api.CustomObjectScope({"a": outer}):
            with api.CustomObjectScope({"b": inner}):
                seen[api] = (api.get_registered_object("a"), api.get_registered_object("b"))
            after = api.get_registered_object("a")
        assert after is outer
    assert seen[keras.utils] == seen[fitorch.utils] == (None, inner)


def test_scope_checks_its_argument():
    with pytest.raises(TypeError, match="CustomObjectScope: custom_objects must be a dict"):
        fitorch.utils.CustomObjectScope(["not", "a", "dict"])


def test_scope_is_local_to_a_thread_and_a_task():
    def mine(x):
        return x

    other_thread = []
    with fitorch.utils.custom_object_scope({"h1_mine": mine}):
        worker = threading.Thread(target=lambda: other_thread.append(fitorch.utils.get_registered_object("h1_mine")))
        worker.start()
        worker.join()
        assert fitorch.utils.get_registered_object("h1_mine") is mine
    assert other_thread == [None]

    async def in_task(key, value):
        with fitorch.utils.custom_object_scope({key: value}):
            await asyncio.sleep(0)
            return fitorch.utils.get_registered_object("h1_other" if key == "h1_mine" else "h1_mine")

    async def both():
        return await asyncio.gather(in_task("h1_mine", mine), in_task("h1_other", len))

    assert asyncio.run(both()) == [None, None]


class Scale(fitorch.layers.Layer):
    """Not registered: only a scope or custom_objects make it loadable."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_load_model_sees_the_scope(tmp_path):
    inputs = fitorch.layers.Input(shape=(3,))
    model = fitorch.Model(inputs, Scale(3.0, name="scale")(fitorch.layers.Dense(2)(inputs)))
    path = os.path.join(tmp_path, "m.fitorch")
    model.save(path)
    with pytest.raises(UnsafeModelError, match="Unknown layer 'Scale'"):
        fitorch.saving.load_model(path)
    with fitorch.saving.custom_object_scope({"Scale": Scale}):
        restored = fitorch.saving.load_model(path)
    x = np.random.default_rng(0).normal(size=(4, 3)).astype("float32")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))
    assert restored.get_layer("scale").factor == 3.0


def test_scope_cannot_smuggle_a_dotted_name():
    with fitorch.utils.custom_object_scope({"os.system": os.system}):
        with pytest.raises(UnsafeModelError, match="dotted path"):
            registry.resolve("os.system", "function")
