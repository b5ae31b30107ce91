"""Issue 11: the API surface of keras.io's example programs, ported by changing only the imports.

Each test is a small program in the style of those examples (custom layers, custom metrics,
hand-written torch steps, model surgery) that once failed on fitorch. The same source runs on
fitorch and on Keras 3 (torch backend), which is the oracle wherever numbers are involved.
"""

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers


def keras():
    import keras as keras_module

    return keras_module


def _data(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype("float32")


# ---------------------------------------------------------------- add_loss() as the only loss
def _penalised_model(k):
    """Dense, then a layer that adds half the mean square of its inputs with add_loss()."""

    class Penalty(k.layers.Layer):
        def call(self, inputs):
            self.add_loss(0.5 * k.ops.mean(k.ops.square(inputs)))
            return inputs

    inputs = k.Input(shape=(3,))
    return k.Model(inputs, Penalty()(k.layers.Dense(2)(inputs)))


def test_compile_without_a_loss_trains_on_the_add_loss_terms_like_keras():
    x, y = _data(8, 3), _data(8, 2, seed=1)
    model, k_model = _penalised_model(fitorch), _penalised_model(keras())
    k_model.set_weights(model.get_weights())
    model.compile(optimizer="sgd")
    k_model.compile(optimizer="sgd")
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    k_history = k_model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], k_history.history["loss"], rtol=1e-5)
    for ours, theirs in zip(model.get_weights(), k_model.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_compile_without_a_loss_and_no_add_loss_says_there_is_nothing_to_minimise():
    inputs = layers.Input(shape=(3,))
    model = fitorch.Model(inputs, layers.Dense(2)(inputs))
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="No loss to compute"):
        model.fit(_data(4, 3), _data(4, 2), verbose=0)


# ---------------------------------------------------------------- Metric.add_variable
def _hits_metric(k):
    """Counts rows whose argmax equals the integer label, with Keras 3's add_variable()."""

    class Hits(k.metrics.Metric):
        def __init__(self, name="hits", **kwargs):
            super().__init__(name=name, **kwargs)
            self.hits = self.add_variable(shape=(), initializer="zeros", name="hit_count")

        def update_state(self, y_true, y_pred, sample_weight=None):
            predicted = k.ops.cast(k.ops.argmax(y_pred, axis=-1), "int32")
            matches = k.ops.cast(k.ops.equal(k.ops.cast(y_true, "int32"), predicted), "float32")
            self.hits.assign_add(k.ops.sum(matches))

        def result(self):
            return self.hits

    return Hits


def test_a_metric_made_with_add_variable_counts_like_keras_and_resets_to_zero():
    x, labels = _data(20, 4), np.random.default_rng(2).integers(0, 3, 20)
    results = []
    for k in (fitorch, keras()):
        inputs = k.Input(shape=(4,))
        model = k.Model(inputs, k.layers.Dense(3)(inputs))
        if k is fitorch:
            weights = model.get_weights()
        model.set_weights(weights)
        model.compile(loss=k.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=[_hits_metric(k)()])
        results.append(model.evaluate(x, labels, batch_size=5, verbose=0, return_dict=True)["hits"])
    assert results[0] == pytest.approx(results[1])
    metric = _hits_metric(fitorch)()
    assert list(metric.state_dict()) == ["hits"]  # named after its attribute, registered once
    metric.update_state(torch.tensor([0, 1]), torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
    assert float(metric.result()) == 2.0
    metric.reset_state()  # Keras' default: every variable back to zeros
    assert float(metric.result()) == 0.0 and len(metric.variables) == 1


def test_add_variable_refuses_an_aggregation_it_cannot_honour():
    class Bad(fitorch.metrics.Metric):
        def __init__(self):
            super().__init__(name="bad")
            self.v = self.add_variable(shape=(), initializer="zeros", aggregation="mean")

    with pytest.raises(ValueError, match="aggregation='sum'"):
        Bad()


# ---------------------------------------------------------------- Sequential.pop
def _stack(k):
    return k.Sequential([k.Input(shape=(5,)), k.layers.Dense(4), k.layers.Dense(3), k.layers.Dense(2)])


def test_sequential_pop_drops_the_last_layer_like_keras():
    x = _data(6, 5)
    model, k_model = _stack(fitorch), _stack(keras())
    k_model.set_weights(model.get_weights())
    popped, k_popped = model.pop(), k_model.pop()
    assert type(popped).__name__ == type(k_popped).__name__ == "Dense"
    assert len(model.layers) == len(k_model.layers) == 2
    assert model.output.shape == (None, 3)  # rebuilt at once from the known input
    np.testing.assert_allclose(model.predict(x, verbose=0), k_model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    model.add(layers.Dense(7))  # still growable after pop
    assert model(torch.from_numpy(x)).shape == (6, 7)


def test_sequential_pop_without_an_input_then_builds_on_the_next_call():
    model = fitorch.Sequential([layers.Dense(4), layers.Dense(2)])
    model.pop()
    assert model(torch.ones(3, 6)).shape == (3, 4)
    assert [tuple(t.shape) for t in model.state_dict().values()] == [(4, 6), (4,)]
    model.pop()
    with pytest.raises(TypeError, match="no layers"):
        model.pop()


# ---------------------------------------------------------------- random draws while a model is defined
def _sampling_layer(k):
    """The reparameterisation trick: mean + exp(log_var / 2) * noise, noise from a SeedGenerator."""

    class Sampling(k.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed_generator = k.random.SeedGenerator(1337)

        def call(self, inputs):
            mean, log_var = inputs
            noise = k.random.normal(shape=(k.ops.shape(mean)[0], k.ops.shape(mean)[1]), seed=self.seed_generator)
            return mean + k.ops.exp(0.5 * log_var) * noise

    return Sampling


def test_a_layer_drawing_noise_from_a_seed_generator_joins_a_functional_model():
    outputs_shapes = []
    for k in (fitorch, keras()):
        inputs = k.Input(shape=(6,))
        z = _sampling_layer(k)()([k.layers.Dense(2)(inputs), k.layers.Dense(2)(inputs)])
        outputs_shapes.append(tuple(k.Model(inputs, z).output.shape))
    assert outputs_shapes[0] == outputs_shapes[1] == (None, 2)
    layer = _sampling_layer(fitorch)()
    mean, log_var = torch.zeros(4000, 1), torch.full((4000, 1), np.log(4.0))
    draw = layer([mean, log_var])
    assert abs(float(draw.std()) - 2.0) < 0.1  # exp(log 4 / 2) = 2
    assert not torch.equal(draw, layer([mean, log_var]))  # the generator advances


@pytest.mark.parametrize(
    "draw",
    [
        lambda g: fitorch.random.normal((2, 3), seed=g),
        lambda g: fitorch.random.uniform((2, 3), seed=g),
        lambda g: fitorch.random.truncated_normal((2, 3), seed=g),
        lambda g: fitorch.random.randint((2, 3), 0, 5, seed=g),
        lambda g: fitorch.random.gamma((2, 3), 2.0),
    ],
)
def test_random_functions_give_meta_tensors_during_shape_inference(draw):
    with torch.device("meta"):
        assert draw(fitorch.random.SeedGenerator(1)).is_meta
    assert not draw(fitorch.random.SeedGenerator(1)).is_meta


# ---------------------------------------------------------------- a sub-layer called in a loop
def _unrolled_rnn(k, units=4):
    """A hand-unrolled RNN: two Dense sub-layers applied at every time step."""

    class Unrolled(k.layers.Layer):
        def __init__(self):
            super().__init__()
            self.units = units
            self.project_input = k.layers.Dense(units, activation="tanh")
            self.project_state = k.layers.Dense(units, activation="tanh")

        def call(self, inputs):
            state = k.ops.zeros((inputs.shape[0], self.units))
            steps = []
            for t in range(inputs.shape[1]):
                state = self.project_input(inputs[:, t, :]) + self.project_state(state)
                steps.append(state)
            return k.ops.stack(steps, axis=1)

    return Unrolled


def test_a_layer_calling_its_sub_layers_in_a_loop_builds_in_a_functional_model_like_keras():
    x = _data(2, 5, 3)
    models = []
    for k in (fitorch, keras()):
        inputs = k.Input(batch_shape=(2, 5, 3))
        models.append(k.Model(inputs, _unrolled_rnn(k)()(inputs)))
    model, k_model = models
    assert model.output.shape == tuple(k_model.output.shape) == (2, 5, 4)
    k_model.set_weights(model.get_weights())
    np.testing.assert_allclose(
        model(torch.from_numpy(x)).detach().numpy(), k_model(x).detach().cpu().numpy(), rtol=1e-5, atol=1e-6
    )


# ---------------------------------------------------------------- a custom layer whose config has no name
def _bare_config_layer(k):
    """A custom layer whose __init__ takes no name and whose get_config() returns only `units`."""

    class Affine(k.layers.Layer):
        def __init__(self, units=3):
            super().__init__()
            self.units = units

        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal")
            self.b = self.add_weight(shape=(self.units,), initializer="zeros")

        def call(self, inputs):
            return k.ops.matmul(inputs, self.w) + self.b

        def get_config(self):
            return {"units": self.units}

    return Affine


def test_from_config_and_load_model_rebuild_a_custom_layer_whose_config_has_no_name(tmp_path):
    x = _data(4, 2)
    Affine = _bare_config_layer(fitorch)
    inputs = fitorch.Input((2,))
    model = fitorch.Model(inputs, Affine(3)(inputs))
    copy = fitorch.Model.from_config(model.get_config(), custom_objects={"Affine": Affine})
    assert [layer.name for layer in copy.layers] == [layer.name for layer in model.layers]
    copy.set_weights(model.get_weights())
    torch.testing.assert_close(copy(torch.from_numpy(x)), model(torch.from_numpy(x)))
    model.save(tmp_path / "affine.fitorch")  # (a custom class cannot go into a Keras file)
    loaded = fitorch.saving.load_model(tmp_path / "affine.fitorch", custom_objects={"Affine": Affine})
    torch.testing.assert_close(loaded(torch.from_numpy(x)), model(torch.from_numpy(x)))
    k = keras()  # Keras accepts the same program
    k_inputs = k.Input((2,))
    k_model = k.Model(k_inputs, _bare_config_layer(k)(3)(k_inputs))
    k.Model.from_config(k_model.get_config(), custom_objects={"Affine": _bare_config_layer(k)})


# ---------------------------------------------------------------- optimizer.apply in a hand-written step
def _linear(k):
    class Linear(k.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="glorot_uniform")
            self.b = self.add_weight(shape=(2,), initializer="zeros")

        def call(self, inputs):
            return k.ops.matmul(inputs, self.w) + self.b

    return Linear


def _torch_style_steps(k, layer, x, y, steps=3):
    """Keras' guide for the torch backend: backward(), then optimizer.apply(grads, weights)."""
    # (SGD with momentum: Adam places epsilon differently from Keras, see fitorch/optimizers/adam.py)
    optimizer = k.optimizers.SGD(learning_rate=0.1, momentum=0.9)
    for _ in range(steps):
        layer.zero_grad()
        loss = k.ops.mean(k.ops.square(layer(x) - y))
        loss.backward()
        weights = list(layer.trainable_weights)
        grads = [v.value.grad for v in weights]
        with torch.no_grad():
            optimizer.apply(grads, weights)
    return optimizer


def test_optimizer_apply_in_a_torch_style_step_matches_keras():
    x, y = torch.from_numpy(_data(8, 3)), torch.from_numpy(_data(8, 2, seed=1))
    layer, k_layer = _linear(fitorch)(), _linear(keras())()
    layer(x), k_layer(x)
    k_layer.set_weights(layer.get_weights())
    optimizer = _torch_style_steps(fitorch, layer, x, y)
    k_optimizer = _torch_style_steps(keras(), k_layer, x, y)
    assert optimizer.iterations == int(k_optimizer.iterations) == 3
    for ours, theirs in zip(layer.get_weights(), k_layer.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_optimizer_apply_updates_only_the_listed_weights_and_checks_its_arguments():
    first, second = layers.Dense(2), layers.Dense(2)
    first(torch.ones(1, 2)), second(torch.ones(1, 2))
    optimizer = fitorch.optimizers.SGD(learning_rate=1.0)
    optimizer.build(first.trainable_weights + second.trainable_weights)
    before = [w.detach().clone() for w in second.trainable_weights]
    for w in first.trainable_weights + second.trainable_weights:
        w.grad = torch.ones_like(w)
    iterations = optimizer.apply_gradients(zip([torch.ones_like(w) for w in first.trainable_weights],
                                               first.trainable_weights, strict=True))  # fmt: skip
    assert iterations == 1
    for w, old in zip(second.trainable_weights, before, strict=True):
        torch.testing.assert_close(w.detach(), old)  # not listed: unchanged, its gradient kept
        torch.testing.assert_close(w.grad, torch.ones_like(w))
    with pytest.raises(ValueError, match="2 gradients for 1 variables"):
        optimizer.apply([None, None], first.trainable_weights[:1])
    with pytest.raises(ValueError, match="not one this optimizer was built for"):
        optimizer.apply([torch.ones(2)], [torch.nn.Parameter(torch.zeros(2))])
    with pytest.raises(ValueError, match="gradient 0 has shape"):
        optimizer.apply([torch.ones(3)], first.trainable_weights[1:])


# ---------------------------------------------------------------- keras.io: customizing fit() with PyTorch
def _guide_model(k):
    """keras.io's "Customizing what happens in fit() with PyTorch", first example: a functional
    subclass whose train_step computes the loss, applies the gradients and updates ``self.metrics``.

    One change from the guide: it reads ``v.value.grad``; fitorch's built-in layers hold plain
    ``nn.Parameter``s (no ``.value``: a known gap), so on fitorch this reads ``v.grad``, the same tensor.
    """
    value = (lambda v: v) if k is fitorch else (lambda v: v.value)

    class CustomModel(k.Model):
        def train_step(self, data):
            x, y = data
            self.zero_grad()
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            loss.backward()
            trainable_weights = [v for v in self.trainable_weights]
            gradients = [value(v).grad for v in trainable_weights]
            with torch.no_grad():
                self.optimizer.apply(gradients, trainable_weights)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = k.Input(shape=(32,))
    outputs = k.layers.Dense(1)(inputs)
    return CustomModel(inputs, outputs), CustomModel


def test_the_custom_fit_guide_runs_and_trains_like_keras():
    x, y = _data(100, 32), _data(100, 1, seed=1)
    (model, cls), (k_model, _) = _guide_model(fitorch), _guide_model(keras())
    assert isinstance(model, cls) and type(model).__name__ == "CustomModel"
    k_model.set_weights(model.get_weights())
    for m in (model, k_model):
        m.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    assert [m.name for m in model.metrics] == [m.name for m in k_model.metrics] == ["loss", "compile_metrics"]
    history = model.fit(x, y, batch_size=25, epochs=3, shuffle=False, verbose=0).history
    k_history = k_model.fit(x, y, batch_size=25, epochs=3, shuffle=False, verbose=0).history
    assert sorted(history) == sorted(k_history) == ["loss", "mae"]
    for name in ("loss", "mae"):
        np.testing.assert_allclose(history[name], k_history[name], rtol=1e-5)
    for ours, theirs in zip(model.get_weights(), k_model.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_compute_loss_leaves_the_loss_tracker_to_the_step_as_in_keras():
    inputs = layers.Input(shape=(3,))
    model = fitorch.Model(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    x, y = torch.ones(4, 3), torch.zeros(4, 1)
    loss = model.compute_loss(y=y, y_pred=model(x))
    tracker = model.metrics[0]
    assert float(tracker.result()) == 0.0  # nothing recorded yet
    tracker.update_state(loss)
    assert float(tracker.result()) == pytest.approx(float(loss))


# ---------------------------------------------------------------- keras.io: the VAE pattern
def _container_model(k):
    """keras.io's VAE pattern, without the random sampling: a Model subclass with no ``call`` that holds two
    functional models, its own ``metrics`` property and a ``train_step`` that calls them."""
    inputs = k.Input(shape=(6,))
    encoder = k.Model(inputs, k.layers.Dense(2, activation="tanh")(inputs), name="encoder")
    latent = k.Input(shape=(2,))
    decoder = k.Model(latent, k.layers.Dense(6)(latent), name="decoder")
    value = (lambda v: v) if k is fitorch else (lambda v: v.value)

    class AutoEncoder(k.Model):
        def __init__(self, encoder, decoder, **kwargs):
            super().__init__(**kwargs)
            self.encoder, self.decoder = encoder, decoder
            self.total_loss_tracker = k.metrics.Mean(name="total_loss")

        @property
        def metrics(self):
            return [self.total_loss_tracker]

        def train_step(self, data):
            x = data[0] if isinstance(data, tuple) else data
            self.zero_grad()
            loss = k.ops.mean(k.ops.square(self.decoder(self.encoder(x)) - x))
            loss.backward()
            weights = list(self.trainable_weights)
            with torch.no_grad():
                self.optimizer.apply([value(v).grad for v in weights], weights)
            self.total_loss_tracker.update_state(loss)
            return {m.name: m.result() for m in self.metrics}

    return AutoEncoder(encoder, decoder), encoder, decoder


def test_a_container_model_without_call_fits_through_its_train_step_like_keras():
    """fitorch builds only what can be called (the sub-models); Keras 3 refuses to build a model without
    ``call`` ("build it yourself"), so the Keras side is marked built by hand, as its message asks."""
    x = _data(32, 6)
    (model, encoder, decoder), (k_model, k_encoder, k_decoder) = _container_model(fitorch), _container_model(keras())
    k_encoder.set_weights(encoder.get_weights())
    k_decoder.set_weights(decoder.get_weights())
    model.compile(optimizer="sgd")
    k_model.compile(optimizer="sgd")
    k_model.built = True
    history = model.fit(x, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    k_history = k_model.fit(x, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    np.testing.assert_allclose(history["total_loss"], k_history["total_loss"], rtol=1e-5)
    for ours, theirs in zip(decoder.get_weights(), k_decoder.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
