"""Whole-model saving: architectures, custom objects, compile config and bitwise resume."""

import zipfile

import numpy as np
import pytest
import safetensors.torch
import torch

import fitorch
from fitorch import layers
from fitorch.saving import UnsafeModelError, load_model, register_serializable, save_model
from fitorch.utils.tree import flatten
from tests.saving.helpers import functional_model, read_members, small_data


def assert_same_predictions(model, restored, x):
    for a, b in zip(flatten(model.predict(x, verbose=0)), flatten(restored.predict(x, verbose=0)), strict=True):
        np.testing.assert_array_equal(a, b)


def round_trip(model, tmp_path, **kwargs):
    path = tmp_path / "model.fitorch"
    model.save(path)
    return load_model(path, **kwargs)


# ---------------------------------------------------------------------- architectures
def test_functional_dict_inputs_outputs_shared_and_nested_layers(tmp_path):
    a = layers.Input(shape=(5,), name="a")
    b = layers.Input(shape=(3,), name="b")
    shared = layers.Dense(8, activation="relu", name="shared")
    merged = layers.Concatenate(name="merge")([shared(a), layers.Dense(8, name="b_proj")(b)])
    inner_in = layers.Input(shape=(16,))
    encoder = fitorch.Model(inner_in, layers.Dense(4, name="code")(inner_in), name="encoder")
    code = encoder(merged)
    outputs = {"score": layers.Dense(1, name="score")(code), "klass": layers.Dense(4, name="klass")(code)}
    model = fitorch.Model({"a": a, "b": b}, outputs, name="two_headed")
    restored = round_trip(model, tmp_path)
    assert type(restored) is fitorch.Functional and restored.name == "two_headed"
    assert list(restored.state_dict()) == list(model.state_dict())
    assert restored.input_names == ["a", "b"] and restored.output_names == ["score", "klass"]
    x = {"a": np.random.rand(4, 5).astype("float32"), "b": np.random.rand(4, 3).astype("float32")}
    assert_same_predictions(model, restored, x)


def test_layer_called_twice_and_list_outputs(tmp_path):
    inputs = layers.Input(shape=(4,))
    twice = layers.Dense(4, name="twice")
    hidden = twice(twice(inputs))
    model = fitorch.Model(inputs, [hidden, layers.BatchNormalization(name="bn")(hidden)])
    model.compile("sgd", "mse")
    x = np.random.rand(8, 4).astype("float32")
    model.fit(x, [x, x], epochs=1, verbose=0)  # moves the BatchNormalization statistics
    restored = round_trip(model, tmp_path)
    assert len(restored._plan) == 3
    assert torch.equal(restored.get_layer("bn").running_mean, model.get_layer("bn").running_mean)
    assert_same_predictions(model, restored, x)


def test_sequential_cnn_built_with_an_input(tmp_path):
    model = fitorch.Sequential(
        [layers.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3, activation="relu"), layers.MaxPooling2D(2),
         layers.Flatten(), layers.Dropout(0.3), layers.Dense(2, activation="softmax")],
        name="cnn",
    )  # fmt: skip
    restored = round_trip(model, tmp_path)
    assert type(restored) is fitorch.Sequential and restored.output.shape == (None, 2)
    assert [type(layer).__name__ for layer in restored.layers] == [type(layer).__name__ for layer in model.layers]
    assert_same_predictions(model, restored, np.random.rand(3, 8, 8, 3).astype("float32"))


def test_sequential_built_lazily_from_data_and_never_built(tmp_path):
    model = fitorch.Sequential([layers.Dense(3, activation="tanh"), layers.Dense(1)])
    unbuilt = round_trip(model, tmp_path)
    assert not unbuilt.built and len(unbuilt.layers) == 2
    model(torch.zeros(2, 7))
    restored = round_trip(model, tmp_path)
    assert restored.built and restored.input.shape == (None, 7)
    assert_same_predictions(model, restored, np.random.rand(5, 7).astype("float32"))


def test_integer_inputs_and_masks(tmp_path):
    model = fitorch.Sequential(
        [layers.Input(shape=(5,), dtype="int64"), layers.Embedding(10, 4, mask_zero=True),
         layers.GlobalAveragePooling1D(), layers.Dense(1)]
    )  # fmt: skip
    restored = round_trip(model, tmp_path)
    assert restored.input.dtype == torch.int64
    assert_same_predictions(model, restored, np.array([[1, 2, 0, 0, 0], [3, 4, 5, 6, 7]]))


def test_file_layout_is_the_documented_one(tmp_path):
    model = functional_model()
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(*small_data(), epochs=1, verbose=0)
    path = tmp_path / "m.fitorch"
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["metadata.json", "config.json", "model.safetensors", "optimizer.safetensors"]
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
    tensors = safetensors.torch.load(read_members(path)["model.safetensors"])  # the reference reader agrees
    assert tensors.keys() == model.state_dict().keys()
    assert all(torch.equal(tensors[k], v) for k, v in model.state_dict().items())
    model.save(tmp_path / "again.fitorch")
    assert (tmp_path / "again.fitorch").read_bytes() == path.read_bytes()  # reproducible bytes


def test_overwrite_false_refuses_an_existing_file(tmp_path):
    path = tmp_path / "m.fitorch"
    functional_model().save(path)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        save_model(functional_model(), path, overwrite=False)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "nope.fitorch")


# ---------------------------------------------------------------------- what cannot be saved
def test_lambda_cannot_be_saved(tmp_path):
    inputs = layers.Input(shape=(3,))
    model = fitorch.Model(inputs, layers.Lambda(lambda x: x * 2, name="times_two")(inputs))
    with pytest.raises(TypeError, match="Lambda 'times_two' cannot be serialized"):
        model.save(tmp_path / "m.fitorch")
    assert not (tmp_path / "m.fitorch").exists()


def test_plain_torch_module_in_a_graph_is_refused_unless_registered(tmp_path):
    inputs = layers.Input(shape=(4,))
    model = fitorch.Model(inputs, layers.TorchModule(torch.nn.Linear(4, 2))(inputs))
    with pytest.raises(
        TypeError, match=r"(?s)plain torch module \(torch.nn.modules.linear.Linear\).*register_serializable"
    ):
        model.save(tmp_path / "m.fitorch")

    @register_serializable(package="tests")
    class SavableLinear(torch.nn.Linear):
        def get_config(self):
            return {"in_features": self.in_features, "out_features": self.out_features}

    inputs = layers.Input(shape=(4,))
    model = fitorch.Model(inputs, layers.Dense(1)(layers.TorchModule(SavableLinear(4, 3))(inputs)))
    restored = round_trip(model, tmp_path)
    assert isinstance(restored.layers[1].module, SavableLinear)
    assert_same_predictions(model, restored, np.random.rand(2, 4).astype("float32"))


# ---------------------------------------------------------------------- custom objects
class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.add_weight("offset", (input_shape[-1],), initializer="random_normal")

    def call(self, x):
        return x * self.factor + self.offset

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def scaled_model():
    inputs = layers.Input(shape=(3,))
    return fitorch.Model(inputs, Scale(3.0, name="scale")(inputs))


def test_unregistered_layer_needs_custom_objects(tmp_path):
    model = scaled_model()
    model.save(tmp_path / "m.fitorch")
    with pytest.raises(UnsafeModelError, match=r"(?s)Unknown layer 'Scale'.*custom_objects=\{'Scale': \.\.\.\}"):
        load_model(tmp_path / "m.fitorch")
    restored = load_model(tmp_path / "m.fitorch", custom_objects={"Scale": Scale})
    assert restored.get_layer("scale").factor == 3.0
    assert_same_predictions(model, restored, np.ones((2, 3), "float32"))


def test_registered_layer_loads_without_custom_objects(tmp_path):
    registered = register_serializable(package="tests", name="RegisteredScale")(type("RegisteredScale", (Scale,), {}))
    inputs = layers.Input(shape=(3,))
    model = fitorch.Model(inputs, registered(0.5, name="scale")(inputs))
    config = model.get_layer("scale")
    restored = round_trip(model, tmp_path)
    assert type(restored.get_layer("scale")) is registered and config.factor == 0.5
    assert_same_predictions(model, restored, np.ones((2, 3), "float32"))


def test_get_config_missing_init_arguments_is_caught_at_save(tmp_path):
    class Shift(layers.Layer):
        def __init__(self, amount, **kwargs):
            super().__init__(**kwargs)
            self.amount = amount

        def call(self, x):
            return x + self.amount

    inputs = layers.Input(shape=(3,))
    model = fitorch.Model(inputs, Shift(1.0)(inputs))
    with pytest.raises(TypeError, match=r"__init__ takes \['amount'\] but get_config\(\) does not return them"):
        model.save(tmp_path / "m.fitorch")


class Net(fitorch.Model):
    def __init__(self):
        super().__init__()
        self.body = torch.nn.Linear(4, 3)
        self.head = layers.Dense(2)

    def forward(self, x):
        return self.head(torch.relu(self.body(x)))


def test_subclassed_model_without_get_config_explains_what_to_provide(tmp_path):
    model = Net()
    model(torch.zeros(1, 4))
    path = tmp_path / "net.fitorch"
    model.save(path)
    with pytest.raises(UnsafeModelError) as info:
        load_model(path)
    message = str(info.value)
    assert "tests.saving.test_model_roundtrip.Net" in message and "no get_config()" in message
    assert "model.load_weights(" in message and "custom_objects={'Net': Net}" in message
    assert "body.weight" in message
    fresh = Net()
    fresh(torch.zeros(1, 4))
    fresh.load_weights(path)  # what the message says to do
    x = np.random.rand(3, 4).astype("float32")
    assert_same_predictions(model, fresh, x)
    restored = load_model(path, custom_objects={"Net": Net})  # or this, since Net() takes no arguments
    assert isinstance(restored, Net)
    assert_same_predictions(model, restored, x)


@register_serializable(package="tests")
class ConfigurableNet(fitorch.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = layers.Dense(units, activation="relu")
        self.out = layers.Dense(1)

    def forward(self, x):
        return self.out(self.hidden(x))

    def get_config(self):
        return {"units": self.units, "name": self.name}


def test_subclassed_model_with_get_config_is_rebuilt_and_built(tmp_path):
    model = ConfigurableNet(units=5, name="configurable")
    model.compile("adam", "mse")
    x = np.random.rand(8, 4).astype("float32")
    model.fit(x, x[:, :1], epochs=1, verbose=0)
    restored = round_trip(model, tmp_path)
    assert isinstance(restored, ConfigurableNet) and restored.units == 5 and restored.name == "configurable"
    assert restored.hidden.weight.shape == (5, 4)  # its lazily built layers were built from the saved input shape
    assert_same_predictions(model, restored, x)


def test_wrapped_plain_module(tmp_path):
    model = fitorch.wrap(torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Tanh()), name="wrapped")
    path = tmp_path / "w.fitorch"
    model.save(path)
    with pytest.raises(UnsafeModelError, match=r"(?s)torch.nn.modules.container.Sequential.*no get_config\(\)"):
        load_model(path)
    restored = load_model(
        path, custom_objects={"Sequential": lambda: torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Tanh())}
    )
    assert restored.name == "wrapped"
    assert_same_predictions(model, restored, np.random.rand(3, 4).astype("float32"))


# ---------------------------------------------------------------------- compile config
def test_compile_config_comes_back(tmp_path):
    a = layers.Input(shape=(4,), name="a")
    hidden = layers.Dense(8, name="hidden")(a)
    model = fitorch.Model(a, {"reg": layers.Dense(1, name="reg")(hidden), "cls": layers.Dense(3, name="cls")(hidden)})
    model.compile(
        optimizer=fitorch.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
        loss={"reg": fitorch.losses.Huber(delta=0.5), "cls": "sparse_categorical_crossentropy"},
        metrics={"reg": ["mae"], "cls": ["accuracy", fitorch.metrics.SparseTopKCategoricalAccuracy(k=2)]},
        loss_weights={"reg": 0.3, "cls": 1.0},
    )
    restored = round_trip(model, tmp_path)
    assert type(restored.optimizer) is fitorch.optimizers.SGD
    assert restored.optimizer.get_config() == model.optimizer.get_config()
    config = restored._compile_config
    assert config.loss["reg"].delta == 0.5 and config.loss["cls"] == "sparse_categorical_crossentropy"
    assert config.loss_weights == {"reg": 0.3, "cls": 1.0}
    assert config.metrics["cls"][1].k == 2
    x = np.random.rand(16, 4).astype("float32")
    y = {"reg": np.random.rand(16, 1).astype("float32"), "cls": np.random.randint(0, 3, 16)}
    assert restored.evaluate(x, y, return_dict=True, verbose=0) == model.evaluate(x, y, return_dict=True, verbose=0)
    assert not load_model(tmp_path / "model.fitorch", compile=False).compiled


def my_loss(y_true, y_pred):
    return ((y_true - y_pred) ** 4).mean(dim=-1)


def test_named_custom_loss_needs_custom_objects_and_lambda_loss_warns(tmp_path):
    model = functional_model()
    model.compile("adam", loss=my_loss)
    model.save(tmp_path / "m.fitorch")
    with pytest.raises(UnsafeModelError, match="custom_objects=\\{'my_loss'"):
        load_model(tmp_path / "m.fitorch")
    restored = load_model(tmp_path / "m.fitorch", custom_objects={"my_loss": my_loss})
    assert restored._compile_config.loss is my_loss
    model.compile("adam", loss=lambda y_true, y_pred: (y_true - y_pred).abs())
    with pytest.warns(UserWarning, match="saved without its compile config"):
        model.save(tmp_path / "lambda.fitorch")
    assert not load_model(tmp_path / "lambda.fitorch").compiled


# ---------------------------------------------------------------------- bitwise resume
OPTIMIZERS = {
    "adam": lambda model: "adam",
    "sgd_momentum": lambda model: fitorch.optimizers.SGD(learning_rate=0.1, momentum=0.9),
    "rmsprop": lambda model: "rmsprop",
    "adamw": lambda model: fitorch.optimizers.AdamW(learning_rate=0.01, weight_decay=0.01, clipnorm=1.0),
    "torch_adagrad_class": lambda model: torch.optim.Adagrad,
    "torch_sgd_param_groups": lambda model: torch.optim.SGD(
        [
            {"params": model.get_layer("hidden").parameters(), "lr": 0.1},
            {"params": [*model.get_layer("norm").parameters(), *model.get_layer("probs").parameters()]},
        ],
        lr=0.01,
        momentum=0.9,
    ),  # fmt: skip
}


def _fresh(optimizer):
    torch.manual_seed(1)
    model = functional_model()
    model.compile(optimizer=optimizer(model), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("optimizer", OPTIMIZERS.values(), ids=OPTIMIZERS.keys())
def test_resume_is_bitwise_identical_to_training_straight_through(tmp_path, optimizer):
    x, y = small_data(64)
    straight = _fresh(optimizer)
    straight.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    first = _fresh(optimizer)
    first.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    first.save(tmp_path / "epoch1.fitorch")
    resumed = load_model(tmp_path / "epoch1.fitorch")
    resumed.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for name, tensor in straight.state_dict().items():
        assert torch.equal(resumed.state_dict()[name], tensor), name


def test_resume_without_the_optimizer_state_differs(tmp_path):
    """The control: the bitwise test can fail; dropping the optimizer state changes the weights."""
    x, y = small_data(64)
    straight = _fresh(OPTIMIZERS["adam"])
    straight.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    first = _fresh(OPTIMIZERS["adam"])
    first.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    first.save(tmp_path / "epoch1.fitorch")
    resumed = load_model(tmp_path / "epoch1.fitorch", compile=False)
    resumed.compile("adam", "sparse_categorical_crossentropy")
    resumed.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert not torch.equal(resumed.get_layer("probs").weight, straight.get_layer("probs").weight)


def test_loading_leaves_the_global_random_state_alone(tmp_path):
    functional_model().save(tmp_path / "m.fitorch")
    torch.manual_seed(123)
    load_model(tmp_path / "m.fitorch")
    after_load = torch.rand(3)
    torch.manual_seed(123)
    assert torch.equal(torch.rand(3), after_load)


def test_loading_runs_no_initializer_of_fitorchs_layers_and_restores_every_weight(tmp_path, monkeypatch):
    inputs = layers.Input(shape=(6,), dtype="int64")
    hidden = layers.LSTM(5)(layers.Embedding(20, 4)(inputs))  # orthogonal, uniform and glorot initializers
    model = fitorch.Model(inputs, layers.BatchNormalization()(layers.Dense(3)(hidden)))
    model.save(tmp_path / "m.fitorch")

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"{type(self).__name__} ran while a model was loaded")

    for name in ("GlorotUniform", "Orthogonal", "RandomUniform", "Zeros", "Ones"):
        monkeypatch.setattr(getattr(fitorch.initializers, name), "__call__", refuse)
    restored = load_model(tmp_path / "m.fitorch")
    for key, value in model.state_dict().items():
        assert torch.equal(restored.state_dict()[key], value), key


class ReadsItsInitialWeight(layers.Layer):
    """A user layer whose build reads the initial value of its weight (Keras runs initializers on load)."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(1,), initializer="ones", name="scale")
        self.initial = float(self.scale.detach().sum())

    def call(self, x):
        return x * self.scale * self.initial


def test_layers_defined_outside_fitorch_still_run_their_initializers_on_load(tmp_path):
    inputs = layers.Input(shape=(3,))
    model = fitorch.Model(inputs, ReadsItsInitialWeight(name="reads")(layers.Dense(2)(inputs)))
    model.save(tmp_path / "m.fitorch")
    restored = load_model(tmp_path / "m.fitorch", custom_objects={"ReadsItsInitialWeight": ReadsItsInitialWeight})
    assert restored.get_layer("reads").initial == 1.0
    x = torch.randn(4, 3)
    with torch.no_grad():
        torch.testing.assert_close(restored(x), model(x))
