"""Issue 11, Keras side: Keras 3 programs ported by changing only the imports run, with Keras' numbers.

Keras 3 on its torch backend is the oracle wherever numbers are involved.
"""

import copy
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers, metrics


def keras():
    import keras as keras_module

    return keras_module


def _copy_weights(source, target):
    """fitorch -> Keras (or back): both speak Keras layout through get_weights/set_weights."""
    target.set_weights(source.get_weights())


# ---------------------------------------------------------------- training= and mask= in every call
def test_every_layer_takes_training_and_mask_like_keras():
    x = np.random.default_rng(0).standard_normal((2, 8, 8, 3)).astype("float32")
    conv = layers.Conv2D(4, 3)
    out = conv(torch.from_numpy(x), training=False)
    keras_conv = keras().layers.Conv2D(4, 3)
    keras_conv.build(x.shape)
    _copy_weights(conv, keras_conv)
    np.testing.assert_allclose(out.detach().numpy(), keras_conv(x, training=False).detach().numpy(), atol=1e-5)
    dense = layers.Dense(2)
    torch.testing.assert_close(dense(torch.ones(3, 4), training=True, mask=None), dense(torch.ones(3, 4)))


def _bn_models():
    inputs = layers.Input(shape=(4,))
    model = fitorch.Model(inputs, layers.Dense(3)(layers.BatchNormalization()(inputs)))
    k_inputs = keras().Input(shape=(4,))
    k_model = keras().Model(k_inputs, keras().layers.Dense(3)(keras().layers.BatchNormalization()(k_inputs)))
    weights = [np.random.default_rng(i).standard_normal(w.shape).astype("float32") for i, w in
               enumerate(model.get_weights())]  # fmt: skip
    weights[3] = np.abs(weights[3]) + 0.5  # moving variance
    model.set_weights(weights)
    k_model.set_weights(weights)
    return model, k_model


@pytest.mark.parametrize("mode", [True, False])
def test_eager_training_argument_sets_the_mode_for_the_call_then_restores_it(mode):
    model, k_model = _bn_models()
    model.train(not mode)  # the argument wins over the module's own flag
    x = 3.0 + np.random.default_rng(5).standard_normal((8, 4)).astype("float32")
    out = model(torch.from_numpy(x), training=mode)
    np.testing.assert_allclose(out.detach().numpy(), k_model(x, training=mode).detach().numpy(), atol=1e-5)
    for mine, theirs in zip(model.get_weights(), k_model.get_weights(), strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)  # moving statistics updated only when training
    assert all(m.training is (not mode) for m in model.modules())  # restored afterwards


def test_dropout_follows_the_training_argument_of_an_enclosing_model_call():
    inputs = layers.Input(shape=(1000,))
    model = fitorch.Model(inputs, layers.Dropout(0.5)(inputs))
    x = torch.ones(4, 1000)
    model.eval()
    dropped = model(x, training=True)
    assert set(dropped.unique().tolist()) == {0.0, 2.0}  # Keras' inverted dropout, as keras.layers.Dropout
    assert not model.training and not model.layers[1].training
    model.train()
    torch.testing.assert_close(model(x, training=False), x)
    assert model.training and model.layers[1].training


def test_symbolic_training_argument_is_recorded_and_used_at_run_time():
    inner, k_inner = _bn_models()
    inputs = layers.Input(shape=(4,))
    outer = fitorch.Model(inputs, inner(inputs, training=False))
    k_inputs = keras().Input(shape=(4,))
    k_outer = keras().Model(k_inputs, k_inner(k_inputs, training=False))
    x = 3.0 + np.random.default_rng(6).standard_normal((8, 4)).astype("float32")
    outer.train()  # the recorded training=False wins over the module flags
    np.testing.assert_allclose(outer(torch.from_numpy(x)).detach().numpy(), k_outer(x).detach().numpy(), atol=1e-5)
    for mine, theirs in zip(inner.get_weights(), k_inner.get_weights(), strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)  # inference mode: statistics untouched
    # As in Keras 3, a training= given to the outer call replaces the recorded one.
    out = outer(torch.from_numpy(x), training=True)
    np.testing.assert_allclose(out.detach().numpy(), k_outer(x, training=True).detach().numpy(), atol=1e-5)
    for mine, theirs in zip(inner.get_weights(), k_inner.get_weights(), strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)
    dropout_in = layers.Input(shape=(1000,))
    mc_dropout = fitorch.Model(dropout_in, layers.Dropout(0.5)(dropout_in, training=True))
    mc_dropout.eval()
    assert set(mc_dropout(torch.ones(2, 1000)).unique().tolist()) == {0.0, 2.0}
    torch.testing.assert_close(mc_dropout(torch.ones(2, 1000), training=False), torch.ones(2, 1000))
    conv_in = layers.Input(shape=(8, 8, 3))
    conv_model = fitorch.Model(conv_in, layers.Conv2D(4, 3)(conv_in, training=False))
    assert conv_model(torch.ones(2, 8, 8, 3), training=True).shape == (2, 6, 6, 4)


# ---------------------------------------------------------------- add_weight
class _KerasStyle:
    """The same layer written once for Keras and once for fitorch: no names, Variable methods."""

    @staticmethod
    def build(layer, input_shape):
        layer.add_weight(shape=(input_shape[-1],), initializer="ones")
        layer.add_weight(shape=(input_shape[-1],), initializer="zeros")


def test_add_weight_without_name_is_named_like_keras():
    class Mine(layers.Layer):
        def build(self, input_shape):
            _KerasStyle.build(self, input_shape)

    class Theirs(keras().layers.Layer):
        def build(self, input_shape):
            _KerasStyle.build(self, input_shape)

    keras().backend.clear_session()  # (Keras numbers unnamed variables per process: start from a fresh one)
    mine, theirs = Mine(), Theirs()
    mine.build((2, 3))
    theirs.build((2, 3))
    assert (
        [name for name, _ in mine.named_parameters()] == [w.name for w in theirs.weights] == ["variable", "variable_1"]
    )


def test_add_weight_takes_the_attribute_name_and_has_variable_methods_like_keras():
    class Counter(layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones")
            self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False)

        def call(self, x):
            self.calls.assign_add(1.0)
            return x * self.scale

    layer = Counter()
    layer(torch.ones(2, 3))
    layer(torch.ones(2, 3))
    assert list(layer.state_dict()) == ["scale", "calls"]
    assert [n for n, _ in layer.named_parameters()] == ["scale"] and [n for n, _ in layer.named_buffers()] == ["calls"]
    assert float(layer.calls.numpy()) == 2.0

    k_var = keras().Variable(np.ones(3, dtype="float32"))
    ops = [("assign", [1.0, 2.0, 3.0]), ("assign_add", [0.5, 0.5, 0.5]), ("assign_sub", [2.0, 0.0, 1.0])]
    for method, value in ops:
        getattr(layer.scale, method)(np.array(value, dtype="float32"))
        getattr(k_var, method)(np.array(value, dtype="float32"))
        np.testing.assert_array_equal(layer.scale.numpy(), k_var.numpy())
    assert layer.scale.value is layer.scale and isinstance(layer.scale, torch.nn.Parameter)
    assert layer.scale.requires_grad  # assign does not detach the weight from training
    with pytest.raises(ValueError, match=r"Variable.assign: the value must have the variable's shape \(3,\)"):
        layer.scale.assign(np.zeros(2))


def test_user_layers_get_variables_and_builtin_layers_keep_plain_parameters():
    class Stat(layers.Layer):
        def build(self, input_shape):
            self.total = self.add_weight(shape=(), initializer="zeros", trainable=False)

    stat = Stat()
    stat.build((1,))
    stat.double()  # .to() and dtype casts keep the Variable methods
    assert stat.total.dtype == torch.float64 and float(stat.total.assign_add(2.0).numpy()) == 2.0
    dense = layers.Dense(2)
    dense.build((None, 3))
    assert type(dense.weight) is torch.nn.Parameter  # torch's fast dispatch path for fitorch's own layers


def _variable_model():
    class Scale(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="random_normal")

        def call(self, x):
            return x * self.w

    inputs = layers.Input(shape=(3,))
    return fitorch.Model(inputs, layers.Dense(2)(Scale()(inputs)))


def test_add_weight_variables_work_with_optimizers_state_dict_and_torch_compile():
    model = _variable_model()
    twin = copy.deepcopy(model)
    x, y = torch.randn(8, 3), torch.randn(8, 2)
    # The same steps on plain-Parameter copies of the weights (torch's own behaviour) give the same numbers.
    plain = {k: torch.nn.Parameter(v.detach().clone()) for k, v in model.state_dict().items()}
    optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
    plain_optimizer = torch.optim.Adam([plain[k] for k, _ in model.named_parameters()], lr=0.1)
    for _ in range(3):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
        plain_optimizer.zero_grad()
        out = torch.func.functional_call(model, plain, (x,))
        torch.nn.functional.mse_loss(out, y).backward()
        plain_optimizer.step()
    for key, value in model.state_dict().items():
        assert type(value) is torch.Tensor  # state_dict holds plain tensors
        torch.testing.assert_close(value, plain[key].detach())
    twin.load_state_dict(model.state_dict())
    torch.testing.assert_close(twin(x), model(x))
    compiled = torch.compile(twin, backend="aot_eager")
    compiled(x).sum().backward()
    model.zero_grad(set_to_none=True)
    model(x).sum().backward()
    for (name, mine), (_, theirs) in zip(twin.named_parameters(), model.named_parameters(), strict=True):
        torch.testing.assert_close(mine.grad, theirs.grad, msg=name)


def test_add_weight_variables_work_with_ddp(tmp_path):
    import torch.distributed as dist

    dist.init_process_group("gloo", init_method=f"file://{tmp_path / 'rendezvous'}", rank=0, world_size=1)
    try:
        model = _variable_model()
        reference = copy.deepcopy(model)
        x = torch.randn(4, 3)
        ddp = torch.nn.parallel.DistributedDataParallel(model)
        ddp(x).sum().backward()
        reference(x).sum().backward()
        for mine, theirs in zip(model.parameters(), reference.parameters(), strict=True):
            torch.testing.assert_close(mine.grad, theirs.grad)
    finally:
        dist.destroy_process_group()


# ---------------------------------------------------------------- Input / InputLayer / merge functions
def test_input_batch_shape_and_input_layer_arguments_match_keras():
    assert layers.Input(batch_shape=(None, 4)).shape == tuple(keras().Input(batch_shape=(None, 4)).shape)
    assert layers.Input(batch_shape=(8, 4, 2)).shape == tuple(keras().Input(batch_shape=(8, 4, 2)).shape)
    assert layers.InputLayer(input_shape=(4,)).output.shape == (None, 4)
    assert layers.InputLayer(shape=(4,), batch_size=8).output.shape == (8, 4)
    model = fitorch.Sequential([layers.InputLayer(input_shape=(4,)), layers.Dense(2)])
    assert model(torch.ones(3, 4)).shape == (3, 2)
    with pytest.raises(ValueError, match=r"InputLayer '.*': pass either batch_shape= or shape="):
        layers.Input(shape=(4,), batch_shape=(None, 4))
    with pytest.raises(ValueError, match=r"InputLayer '.*': pass shape= or input_shape=, not both"):
        layers.InputLayer(shape=(4,), input_shape=(4,))


MERGES = [("add", {}), ("subtract", {}), ("multiply", {}), ("average", {}), ("maximum", {}), ("minimum", {}),
          ("concatenate", {"axis": -1}), ("dot", {"axes": 1}), ("dot", {"axes": 1, "normalize": True})]  # fmt: skip


@pytest.mark.parametrize("name, kwargs", MERGES)
def test_merge_functions_match_keras_eagerly_and_in_a_functional_model(name, kwargs):
    rng = np.random.default_rng(3)
    a, b = (rng.standard_normal((4, 5)).astype("float32") for _ in range(2))
    expected = getattr(keras().layers, name)([a, b], **kwargs).detach().numpy()
    eager = getattr(layers, name)([torch.from_numpy(a), torch.from_numpy(b)], **kwargs)
    np.testing.assert_allclose(eager.numpy(), expected, atol=1e-6)
    in_a, in_b = layers.Input(shape=(5,)), layers.Input(shape=(5,))
    model = fitorch.Model([in_a, in_b], getattr(layers, name)([in_a, in_b], **kwargs))
    np.testing.assert_allclose(model.predict([a, b], verbose=0), expected, atol=1e-6)


# ---------------------------------------------------------------- NumPy calls, boolean targets, frozen models
def test_calling_a_model_on_numpy_returns_a_torch_tensor_like_keras_torch_backend():
    inputs = layers.Input(shape=(4,))
    model = fitorch.Model(inputs, layers.Dense(2)(inputs))
    k_inputs = keras().Input(shape=(4,))
    k_model = keras().Model(k_inputs, keras().layers.Dense(2)(k_inputs))
    _copy_weights(model, k_model)
    for dtype in ("float32", "float64"):
        x = np.random.default_rng(1).standard_normal((3, 4)).astype(dtype)
        out, k_out = model(x), k_model(x)
        assert type(out) is type(k_out) is torch.Tensor
        assert out.dtype == torch.float32
        np.testing.assert_allclose(out.detach().numpy(), k_out.detach().numpy(), atol=1e-6)


BOOL_CASES = [
    ("BinaryAccuracy", lambda r: r.random(8) > 0.5, lambda r: r.random(8).astype("float32")),
    ("BinaryAccuracy", lambda r: r.random((8, 1)) > 0.5, lambda r: r.random(8) > 0.5),
    ("Accuracy", lambda r: r.random(8) > 0.5, lambda r: r.random(8) > 0.5),
    ("CategoricalAccuracy", lambda r: np.eye(3, dtype=bool)[r.integers(0, 3, 8)], lambda r: r.random((8, 3))),
    ("TopKCategoricalAccuracy", lambda r: np.eye(3, dtype=bool)[r.integers(0, 3, 8)], lambda r: r.random((8, 3))),
    ("SparseCategoricalAccuracy", lambda r: r.random(8) > 0.5, lambda r: r.random((8, 2)).astype("float32")),
]


@pytest.mark.parametrize("name, make_true, make_pred", BOOL_CASES)
def test_accuracy_metrics_take_boolean_targets_like_keras(name, make_true, make_pred):
    rng = np.random.default_rng(4)
    y_true, y_pred = make_true(rng), make_pred(rng)
    kwargs = {"k": 2} if "TopK" in name else {}
    theirs = getattr(keras().metrics, name)(**kwargs)
    theirs.update_state(y_true, y_pred)
    mine = getattr(metrics, name)(**kwargs)
    mine.update_state(torch.as_tensor(y_true), torch.as_tensor(y_pred))
    assert float(mine.result()) == pytest.approx(float(theirs.result()))


def test_fit_with_boolean_targets_reports_keras_accuracy():
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((32, 3)).astype("float32"), rng.random(32) > 0.5
    inputs = layers.Input(shape=(3,))
    model = fitorch.Model(inputs, layers.Dense(1, activation="sigmoid")(inputs))
    k_inputs = keras().Input(shape=(3,))
    k_model = keras().Model(k_inputs, keras().layers.Dense(1, activation="sigmoid")(k_inputs))
    _copy_weights(model, k_model)
    for m in (model, k_model):
        m.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    mine = model.evaluate(x, y, verbose=0, return_dict=True)
    theirs = k_model.evaluate(x, y, verbose=0, return_dict=True)
    assert mine == pytest.approx(theirs, abs=1e-5)
    assert model.fit(x, y, epochs=1, verbose=0).history["accuracy"][0] >= 0.0


def test_fit_on_a_model_without_trainable_weights_logs_the_loss_like_keras():
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal((16, 3)).astype("float32"), rng.standard_normal((16, 2)).astype("float32")
    inputs = layers.Input(shape=(3,))
    model = fitorch.Model(inputs, layers.Dense(2)(inputs))
    k_inputs = keras().Input(shape=(3,))
    k_model = keras().Model(k_inputs, keras().layers.Dense(2)(k_inputs))
    _copy_weights(model, k_model)
    model.trainable = False
    k_model.trainable = False
    before = model.get_weights()
    for m in (model, k_model):
        m.compile("adam", "mse")
    mine = model.fit(x, y, epochs=2, batch_size=16, verbose=0).history
    theirs = k_model.fit(x, y, epochs=2, batch_size=16, verbose=0).history
    assert mine["loss"] == pytest.approx(theirs["loss"], abs=1e-5)
    for b, a in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    weightless = fitorch.Sequential([layers.Input(shape=(3,)), layers.Lambda(lambda t: 2.0 * t)])
    weightless.compile("adam", "mse")
    history = weightless.fit(x, x, epochs=1, verbose=0).history
    assert history["loss"] == [pytest.approx(float(np.mean(x**2)), rel=1e-5)]


# ---------------------------------------------------------------- callbacks
HOOKS = ["on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
         "on_train_batch_end", "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
         "on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end"]  # fmt: skip


def _recorder(base):
    """A callback class recording each hook's name and its logs' keys (Keras passes logs by keyword)."""
    calls, kinds = [], []

    def hook(name):
        positional = 2 if ("batch" in name or "epoch" in name) else 1

        def method(self, *args, **kwargs):
            logs = kwargs["logs"] if "logs" in kwargs else (args[-1] if len(args) == positional else None)
            calls.append((name, sorted(logs) if hasattr(logs, "keys") else repr(logs)))
            kinds.append(isinstance(logs, dict) or type(logs).__name__ == "MetricLogs")

        return method

    return type("Recorder", (base,), {name: hook(name) for name in HOOKS})(), calls, kinds


def test_every_callback_hook_fires_with_dict_logs_in_keras_order():
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    runs = []
    for lib, model in (
        (fitorch, fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])),
        (keras(), keras().Sequential([keras().Input(shape=(3,)), keras().layers.Dense(1)])),
    ):
        recorder, calls, kinds = _recorder(lib.callbacks.Callback)
        model.compile("sgd", "mse", metrics=["mae"])
        model.fit(x, y, batch_size=2, epochs=1, validation_data=(x, y), verbose=0, callbacks=[recorder])
        model.evaluate(x, y, batch_size=2, verbose=0, callbacks=[recorder])
        model.predict(x, batch_size=2, verbose=0, callbacks=[recorder])
        runs.append((calls, kinds))
    (mine, my_kinds), (theirs, _) = runs
    assert mine == theirs
    assert all(my_kinds)  # dicts (batch ends: fitorch's lazy MetricLogs mapping), never None
    assert {name for name, _ in mine} == set(HOOKS)


def test_custom_metrics_property_trackers_reset_each_epoch_like_keras():
    k = keras()

    def make(lib, base, mean, mae):
        class Net(base):
            def __init__(self):
                super().__init__()
                self.dense = lib.layers.Dense(1)
                self.loss_tracker = mean(name="loss")
                self.mae_metric = mae(name="mae")

            def call(self, x):
                return self.dense(x)

            @property
            def metrics(self):
                return [self.loss_tracker, self.mae_metric]

        return Net

    class Mine(make(fitorch, fitorch.Model, metrics.Mean, metrics.MeanAbsoluteError)):
        def train_step(self, data):
            x, y = data
            self.optimizer.zero_grad()
            y_pred = self(x)
            loss = ((y_pred - y) ** 2).mean()
            loss.backward()
            self.optimizer.step()
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    class Theirs(make(k, k.Model, k.metrics.Mean, k.metrics.MeanAbsoluteError)):
        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = k.ops.mean((y_pred - y) ** 2)
            loss.backward()
            with torch.no_grad():
                self.optimizer.apply([v.value.grad for v in self.trainable_weights], self.trainable_weights)
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    rng = np.random.default_rng(7)
    x, y = rng.standard_normal((16, 3)).astype("float32"), rng.standard_normal((16, 1)).astype("float32")
    mine, theirs = Mine(), Theirs()
    mine(torch.from_numpy(x[:1]))
    theirs(x[:1])
    _copy_weights(mine, theirs)  # the trackers are not weights, in either library
    mine.compile(optimizer="sgd")
    theirs.compile(optimizer=k.optimizers.SGD())
    history = mine.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0).history
    expected = theirs.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0).history
    for key in ("loss", "mae"):
        assert history[key] == pytest.approx(expected[key], rel=1e-5)
    assert float(mine.loss_tracker.count) == 4  # one epoch's batches: reset at each epoch


# ---------------------------------------------------------------- custom activations in saved models
SUBPROCESS_PRELUDE = """
import sys, numpy as np, torch, fitorch
def scaled_tanh(x):
    return 2.0 * torch.tanh(x)
"""


def _run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_custom_activation_survives_save_and_load_in_a_fresh_process(tmp_path):
    def scaled_tanh(x):
        return 2.0 * torch.tanh(x)

    inputs = layers.Input(shape=(3,))
    hidden = layers.Dense(4, activation=scaled_tanh, name="hidden")(inputs)
    model = fitorch.Model(inputs, layers.Activation(scaled_tanh, name="act")(hidden))
    path = tmp_path / "model.fitorch"
    model.save(str(path))
    x = np.random.default_rng(0).standard_normal((5, 3)).astype("float32")
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "expected.npy", model.predict(x, verbose=0))
    loaded = _run(SUBPROCESS_PRELUDE + textwrap.dedent(f"""
        model = fitorch.load_model({str(path)!r}, custom_objects={{"scaled_tanh": scaled_tanh}})
        assert model.get_layer("hidden").activation is scaled_tanh
        np.testing.assert_allclose(model.predict(np.load({str(tmp_path / 'x.npy')!r}), verbose=0),
                                   np.load({str(tmp_path / 'expected.npy')!r}), atol=1e-6)
        print("loaded")
    """))  # fmt: skip
    assert loaded.returncode == 0 and "loaded" in loaded.stdout, loaded.stderr
    refused = _run(SUBPROCESS_PRELUDE + f"fitorch.load_model({str(path)!r})")
    assert refused.returncode != 0
    assert "custom activation function 'scaled_tanh'" in refused.stderr
    assert "custom_objects={'scaled_tanh': scaled_tanh}" in refused.stderr


def test_registered_custom_activation_loads_without_custom_objects(tmp_path):
    code = SUBPROCESS_PRELUDE.replace(
        "def scaled_tanh", "@fitorch.saving.register_serializable(package='gaps')\ndef scaled_tanh"
    )
    path = tmp_path / "model.fitorch"
    saved = _run(code + textwrap.dedent(f"""
        inputs = fitorch.layers.Input(shape=(3,))
        model = fitorch.Model(inputs, fitorch.layers.Dense(2, activation=scaled_tanh, name="d")(inputs))
        model.save({str(path)!r})
        np.save({str(tmp_path / 'expected.npy')!r}, model.predict(np.ones((2, 3), "float32"), verbose=0))
    """))  # fmt: skip
    assert saved.returncode == 0, saved.stderr
    loaded = _run(code + textwrap.dedent(f"""
        model = fitorch.load_model({str(path)!r})
        assert model.get_layer("d").activation is scaled_tanh
        np.testing.assert_allclose(model.predict(np.ones((2, 3), "float32"), verbose=0),
                                   np.load({str(tmp_path / 'expected.npy')!r}), atol=1e-6)
    """))  # fmt: skip
    assert loaded.returncode == 0, loaded.stderr


def test_saving_a_lambda_activation_says_how_to_fix_it(tmp_path):
    inputs = layers.Input(shape=(3,))
    model = fitorch.Model(inputs, layers.Dense(2, activation=lambda t: t * 2, name="d")(inputs))
    with pytest.raises(TypeError, match=r"Layer 'd' \(Dense\): activation=.* has no name a file can store"):
        model.save(str(tmp_path / "m.fitorch"))


def test_variables_lists_are_the_weights_lists_like_keras():
    from tests.layers.harness import keras

    def build(lib):
        inputs = lib.layers.Input(shape=(3,))
        normed = lib.layers.BatchNormalization()(lib.layers.Dense(4)(inputs))
        return lib.Model(inputs, normed)

    ours, theirs = build(fitorch), build(keras())
    for name in ("variables", "trainable_variables", "non_trainable_variables"):
        weights = getattr(ours, name.replace("variables", "weights"))
        assert [id(v) for v in getattr(ours, name)] == [id(w) for w in weights], name
        assert len(getattr(ours, name)) == len(getattr(theirs, name)), name
    optimizer = fitorch.optimizers.SGD(learning_rate=0.1)
    optimizer.build(ours.trainable_variables)  # the line of keras.io's custom training loop guide
    (ours(torch.randn(4, 3)) ** 2).sum().backward()
    before = [v.detach().clone() for v in ours.trainable_variables]
    with torch.no_grad():
        optimizer.apply([v.grad for v in ours.trainable_variables], ours.trainable_variables)
    assert all(not torch.equal(b, v) for b, v in zip(before, ours.trainable_variables, strict=True))


@pytest.mark.parametrize(
    ("name", "kwargs", "make_input"),
    [
        ("Dense", {"units": 2}, lambda: np.random.rand(2, 3)),  # float64 in: float32 out, as Keras casts
        ("RandomFlip", {"mode": "horizontal", "seed": 1}, lambda: np.random.rand(2, 6, 6, 3).astype("float32")),
        ("Rescaling", {"scale": 0.5}, lambda: np.random.rand(2, 4)),
        ("Resizing", {"height": 3, "width": 3}, lambda: np.random.rand(1, 6, 6, 2).astype("float32")),
        ("Embedding", {"input_dim": 5, "output_dim": 2}, lambda: np.array([[1, 4], [0, 2]])),
        ("Conv2D", {"filters": 2, "kernel_size": 3}, lambda: np.random.rand(1, 5, 5, 2).astype("float32")),
    ],
)
def test_layers_called_on_numpy_return_torch_tensors_like_keras(name, kwargs, make_input):
    from tests.layers.harness import keras

    x = make_input()
    ours = getattr(layers, name)(**kwargs)
    output = ours(x)
    theirs = getattr(keras().layers, name)(**kwargs)
    expected = theirs(x)
    assert isinstance(output, torch.Tensor) and output.dtype == torch.float32
    assert str(expected.dtype).removeprefix("torch.") == "float32" and tuple(output.shape) == tuple(expected.shape)
    twin = getattr(layers, name)(**kwargs)  # the same layer, called on the tensor (same weights, same draws)
    twin.build(x.shape)
    twin.load_state_dict(ours.state_dict())
    tensor = torch.from_numpy(x)
    torch.testing.assert_close(output, twin(tensor.float() if tensor.is_floating_point() else tensor))


def test_attention_layers_called_on_numpy_arrays_build_and_run():
    query, value = np.random.rand(1, 3, 4).astype("float32"), np.random.rand(1, 5, 4).astype("float32")
    for layer in (layers.MultiHeadAttention(2, 2), layers.GroupQueryAttention(2, 2, 1)):
        output = layer(query, value)
        torch.testing.assert_close(output, layer(torch.from_numpy(query), torch.from_numpy(value)))
