"""Every bad input to fit/evaluate/predict gets a message naming what is wrong, where, and how to fix it.

Each case asserts the exception (or warning) type and that the message names the
argument and the problem. Inputs Keras accepts (integer and uint8 data, pandas
objects, lists of numbers, 1-D data for an ``Input(shape=(1,))``) are checked to train
exactly as their float32 NumPy equivalent does, from the same initial weights.

pandas is not a dependency and is not installed here: ``Frame`` below is a duck-typed
stand-in (an object with ``.shape`` and ``.to_numpy()``, which is all fitorch reads);
the same tests also run on real pandas objects when pandas is importable.
"""

import copy
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import Dataset

import fitorch
from fitorch import layers
from fitorch.losses import SparseCategoricalCrossentropy, sparse_categorical_crossentropy

RNG = np.random.default_rng(0)
X = RNG.random((32, 4)).astype("float32")
Y = RNG.random((32, 1)).astype("float32")
LABELS = np.arange(32) % 3


def mlp(units=1, activation=None, features=4, loss="mse"):
    inputs = layers.Input(shape=(features,), name="features")
    model = fitorch.Model(inputs, layers.Dense(units, activation=activation, name="out")(inputs), name="mlp")
    model.compile(optimizer="sgd", loss=loss)
    return model


def classifier():
    return mlp(3, "softmax", loss="sparse_categorical_crossentropy")


def two_inputs():
    a, b = layers.Input(shape=(4,), name="a"), layers.Input(shape=(2,), name="b")
    model = fitorch.Model([a, b], layers.Dense(1, name="out")(layers.Concatenate()([a, b])), name="two")
    model.compile(optimizer="sgd", loss="mse")
    return model


def two_outputs():
    inputs = layers.Input(shape=(4,), name="features")
    price, kind = layers.Dense(1, name="price")(inputs), layers.Dense(3, activation="softmax", name="kind")(inputs)
    model = fitorch.Model(inputs, [price, kind], name="multi")
    model.compile(optimizer="sgd", loss={"price": "mse", "kind": "sparse_categorical_crossentropy"})
    return model


class Net(fitorch.Model):
    """PyTorch style: no Input, so nothing is known about shapes or classes before the forward."""

    def __init__(self, units=3):
        super().__init__()
        self.linear = nn.Linear(4, units)

    def forward(self, x):
        return self.linear(x)


def batches(*arrays, size=8):
    for start in range(0, len(arrays[0]), size):
        yield tuple(a[start : start + size] for a in arrays)


class Frame:
    """A duck-typed pandas DataFrame/Series: fitorch only reads ``.shape`` and ``.to_numpy()``."""

    def __init__(self, values):
        self._values = np.asarray(values)
        self.shape = self._values.shape

    def to_numpy(self):
        return self._values


def frames():
    makers = [Frame]
    try:
        import pandas as pd
    except ImportError:
        return makers
    return [*makers, lambda v: pd.DataFrame(v) if np.ndim(v) == 2 else pd.Series(v)]


def fit_weights(model, x, y, **kwargs):
    """Weights after one epoch of plain SGD from the model's current weights (a copy is trained)."""
    model = copy.deepcopy(model)
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0, **kwargs)
    return [p.detach().clone() for p in model.parameters()]


def assert_same_weights(a, b):
    assert len(a) == len(b)
    for left, right in zip(a, b, strict=True):
        torch.testing.assert_close(left, right)


# ---------------------------------------------------------------------- loop arguments
FIT_ARGUMENTS = [
    ({"batch_size": 0}, ValueError, r"fit: batch_size must be an int >= 1 or None; received 0\."),
    ({"batch_size": -4}, ValueError, r"fit: batch_size must be an int >= 1 or None; received -4\."),
    ({"batch_size": 2.5}, TypeError, r"fit: batch_size must be an int >= 1 or None; received 2\.5 \(float\)"),
    ({"batch_size": "32"}, TypeError, r"fit: batch_size must be .*received '32' \(str\)"),
    ({"batch_size": True}, TypeError, r"fit: batch_size must be .*received True \(bool\)"),
    ({"epochs": -1}, ValueError, r"fit: epochs must be an int >= 0; received -1\."),
    ({"epochs": 2.0}, TypeError, r"fit: epochs must be an int >= 0; received 2\.0 \(float\)"),
    ({"initial_epoch": -1}, ValueError, r"fit: initial_epoch must be an int >= 0; received -1"),
    ({"steps_per_epoch": 0}, ValueError, r"fit: steps_per_epoch must be an int >= 1 or None; received 0"),
    ({"steps_per_epoch": -2}, ValueError, r"fit: steps_per_epoch must be .*received -2"),
    ({"validation_freq": 0}, ValueError, r"fit: validation_freq must be an int >= 1; received 0"),
    ({"validation_freq": -1}, ValueError, r"fit: validation_freq must be an int >= 1; received -1"),
    ({"validation_steps": 0}, ValueError, r"fit: validation_steps must be .*received 0"),
    ({"validation_batch_size": 0}, ValueError, r"fit: validation_batch_size must be .*received 0"),
    ({"validation_split": 1.0}, ValueError, r"fit: validation_split must be a float in \[0, 1\); received 1\.0"),
    ({"validation_split": -0.1}, ValueError, r"fit: validation_split must be a float in \[0, 1\); received -0\.1"),
    ({"validation_split": "0.2"}, TypeError, r"fit: validation_split must be a float in \[0, 1\); received '0\.2'"),
    ({"shuffle": "yes"}, ValueError, r"fit: shuffle must be True, False or 'batch'; received 'yes'"),
    ({"shuffle": None}, ValueError, r"fit: shuffle must be True, False or 'batch'; received None"),
    ({"class_weight": [1.0, 2.0]}, TypeError, r"fit: class_weight must be a dict .*received list"),
    ({"class_weight": {"a": 1.0}}, TypeError, r"class_weight keys must be integer class indices; received key 'a'"),
    ({"class_weight": {0: "high"}}, TypeError, r"class_weight\[0\] must be a number; received 'high'"),
    ({"validation_data": (X, Y, None, None)}, ValueError, r"validation_data must be \(x_val, y_val\).*of 4 elements"),
]


@pytest.mark.parametrize(("kwargs", "error", "pattern"), FIT_ARGUMENTS, ids=lambda v: str(v)[:40])
def test_bad_fit_arguments_are_refused_before_training(kwargs, error, pattern):
    model = mlp()
    before = [p.detach().clone() for p in model.parameters()]
    with pytest.raises(error, match=pattern):
        model.fit(X, Y, verbose=0, **kwargs)
    assert_same_weights(before, list(model.parameters()))  # nothing was trained


@pytest.mark.parametrize(
    ("method", "kwargs", "error", "pattern"),
    [
        ("evaluate", {"batch_size": 0}, ValueError, r"evaluate: batch_size must be an int >= 1 or None; received 0"),
        ("evaluate", {"steps": 0}, ValueError, r"evaluate: steps must be an int >= 1 or None; received 0"),
        ("predict", {"batch_size": -1}, ValueError, r"predict: batch_size must be .*received -1"),
        ("predict", {"batch_size": 1.5}, TypeError, r"predict: batch_size must be .*received 1\.5 \(float\)"),
        ("predict", {"steps": 0}, ValueError, r"predict: steps must be an int >= 1 or None; received 0"),
    ],
)
def test_bad_evaluate_and_predict_arguments(method, kwargs, error, pattern):
    model = mlp()
    args = (X, Y) if method == "evaluate" else (X,)
    with pytest.raises(error, match=pattern):
        getattr(model, method)(*args, verbose=0, **kwargs)


def test_shuffle_batch_is_accepted():
    history = mlp().fit(X, Y, shuffle="batch", epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1


# ---------------------------------------------------------------------- empty data
@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_empty_arrays_are_refused(method):
    args = (X[:0], Y[:0]) if method != "predict" else (X[:0],)
    with pytest.raises(ValueError, match=r"x is empty: shape \(0, 4\) has no samples"):
        getattr(mlp(), method)(*args, verbose=0)


def test_empty_validation_data_is_refused():
    with pytest.raises(ValueError, match=r"validation_data \(x\) is empty: shape \(0, 4\) has no samples"):
        mlp().fit(X, Y, validation_data=(X[:0], Y[:0]), verbose=0)


# ---------------------------------------------------------------------- dtypes
@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"x": np.full((32, 4), "a")}, r"^x: arrays of dtype <U1 \(strings\) cannot become tensors.*Encode them"),
        ({"y": np.full((32, 1), "cat")}, r"^y: arrays of dtype <U3 \(strings\) cannot become tensors"),
        ({"x": np.empty((32, 4), dtype=object)}, r"^x: arrays of dtype object \(Python objects\).*ragged"),
        ({"sample_weight": np.full(32, "w")}, r"^sample_weight: arrays of dtype <U1 \(strings\)"),
        ({"validation_data": (X, np.full((32, 1), "b"))}, r"^validation_data \(y\): arrays of dtype <U1"),
        ({"x": ["first row", "second row"]}, r"^x: received a list of strings\. Encode them as numbers"),
        ({"x": np.zeros((32, 4), dtype="datetime64[s]")}, r"^x: arrays of dtype datetime64\[s\] \(dates\)"),
        ({"x": batches(X, np.full((32, 1), "b")), "y": None}, r"^x: batch 0, y: arrays of dtype <U1 \(strings\)"),
    ],
    ids=["x-str", "y-str", "x-object", "sample_weight-str", "validation-y-str", "list-of-str", "dates", "generator"],
)
def test_strings_and_objects_are_refused_naming_the_argument_and_dtype(kwargs, pattern):
    arguments = {"x": X, "y": Y, **kwargs}
    with pytest.raises(TypeError, match=pattern):
        mlp().fit(verbose=0, **arguments)


@pytest.mark.parametrize("dtype", ["uint8", "int32", "int64", "bool"])
def test_integer_inputs_train_like_their_float_values(dtype):
    model = mlp()
    x = (RNG.random((32, 4)) * (2 if dtype == "bool" else 200)).astype(dtype)
    assert_same_weights(fit_weights(model, x, Y), fit_weights(model, x.astype("float32"), Y))


def test_integer_inputs_are_evaluated_like_keras():
    keras = pytest.importorskip("keras")
    model = mlp()
    x = (RNG.random((32, 4)) * 255).astype("uint8")
    reference = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
    reference.compile(optimizer="sgd", loss="mse")
    reference.set_weights(model.get_layer("out").get_weights())
    expected = reference.evaluate(x, Y, verbose=0)
    assert model.evaluate(x, Y, verbose=0) == pytest.approx(expected, rel=1e-5)


class DtypeProbe(layers.Layer):
    def __init__(self, seen, **kwargs):
        super().__init__(**kwargs)
        self.seen = seen

    def call(self, inputs):
        self.seen.append(inputs.dtype)
        return inputs.float()


def test_integer_inputs_stay_integer_for_an_integer_input_and_sparse_targets_stay_integer():
    seen_inputs, seen_targets = [], []

    def loss(y_true, y_pred):
        seen_targets.append(y_true.dtype)
        return F.cross_entropy(y_pred, y_true.long())

    inputs = layers.Input(shape=(4,), dtype="int32")
    model = fitorch.Model(inputs, layers.Dense(3)(DtypeProbe(seen_inputs)(inputs)))
    model.compile(optimizer="sgd", loss=loss)
    model.fit((X * 10).astype("int32"), LABELS, epochs=1, verbose=0)
    assert set(seen_inputs) == {torch.int32}
    assert set(seen_targets) == {torch.int64}


def test_torch_style_models_keep_integer_indices_and_get_uint8_as_float():
    class Tokens(fitorch.Model):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(10, 3)

        def forward(self, x):
            return self.embedding(x).mean(dim=1)

    model = Tokens()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.fit(RNG.integers(0, 10, (32, 5)), LABELS, epochs=1, verbose=0)  # nn.Embedding needs the int64 ids
    net = Net(1)
    net.compile(optimizer="sgd", loss="mse")
    x = (RNG.random((32, 4)) * 255).astype("uint8")
    assert_same_weights(fit_weights(net, x, Y), fit_weights(net, x.astype("float32"), Y))


# ---------------------------------------------------------------------- pandas and lists
@pytest.mark.parametrize("make", frames())
def test_dataframes_and_series_are_arrays(make):
    model = classifier()
    assert_same_weights(fit_weights(model, make(X), make(LABELS)), fit_weights(model, X, LABELS))
    np.testing.assert_allclose(model.predict(make(X), verbose=0), model.predict(X, verbose=0))


def test_lists_of_numbers_are_arrays_not_generators():
    model = classifier()
    assert_same_weights(fit_weights(model, X.tolist(), LABELS.tolist()), fit_weights(model, X, LABELS))
    np.testing.assert_allclose(model.predict(X.tolist(), verbose=0), model.predict(X, verbose=0))


def test_validation_split_accepts_lists():
    history = mlp().fit(X.tolist(), Y.tolist(), validation_split=0.25, epochs=1, verbose=0)
    assert "val_loss" in history.history


def test_one_dimensional_data_fills_an_input_of_shape_1_as_in_keras():
    inputs = layers.Input(shape=(1,))
    model = fitorch.Model(inputs, layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    x = X[:, 0]
    assert_same_weights(fit_weights(model, x, Y), fit_weights(model, x[:, None], Y))


# ---------------------------------------------------------------------- sparse labels
@pytest.mark.parametrize(
    ("labels", "label"), [(np.full(32, 3), 3), (np.full(32, -1), -1), (np.full(32, 7.0), 7)], ids=["3", "-1", "7.0"]
)
def test_out_of_range_labels_name_the_label_the_classes_and_the_output(labels, label):
    with pytest.raises(ValueError, match=rf"^y: label {label} is out of range for output 'out' of model 'mlp', "
                                         r"which has 3 classes .*labels 0 to 2"):  # fmt: skip
        classifier().fit(X, labels, verbose=0)


def test_out_of_range_labels_in_validation_data_evaluate_and_generators():
    bad = np.full(32, 5)
    with pytest.raises(ValueError, match=r"^validation_data \(y\): label 5 is out of range for output 'out'"):
        classifier().fit(X, LABELS, validation_data=(X, bad), verbose=0)
    with pytest.raises(ValueError, match=r"^y: label 5 is out of range .*3 classes"):
        classifier().evaluate(X, bad, verbose=0)
    with pytest.raises(ValueError, match=r"^y: label 5 is out of range .*3 classes"):
        classifier().fit(batches(X, bad), verbose=0)


@pytest.mark.parametrize("from_logits", [False, True])
def test_a_torch_style_model_gets_the_label_and_class_count_from_the_loss(from_logits):
    model = Net(3)
    model.compile(optimizer="sgd", loss=SparseCategoricalCrossentropy(from_logits=from_logits))
    with pytest.raises(ValueError, match=r"sparse_categorical_crossentropy: label 5 is out of range for y_pred "
                                         r"with 3 classes \(labels must be 0 to 2\)"):  # fmt: skip
        model.fit(X, np.where(LABELS == 2, 5, LABELS), verbose=0)


def test_the_loss_function_itself_names_the_label():
    with pytest.raises(ValueError, match=r"label 4 is out of range for y_pred with 2 classes"):
        sparse_categorical_crossentropy(torch.tensor([0, 4]), torch.tensor([[0.5, 0.5], [0.5, 0.5]]))
    ignored = SparseCategoricalCrossentropy(ignore_class=-1)(torch.tensor([0, -1]), torch.tensor([[0.9, 0.1]] * 2))
    assert float(ignored) == pytest.approx(-np.log(0.9) / 1, rel=1e-5)  # the ignored label is no error


# ---------------------------------------------------------------------- class_weight
def test_class_weight_must_cover_every_class_of_the_output():
    with pytest.raises(ValueError, match=r"class_weight has no weight for classes \[2\]; the model's output has 3 "
                                         r"classes .*keys \[0, 1\]"):  # fmt: skip
        classifier().fit(X, LABELS, class_weight={0: 1.0, 1: 2.0}, verbose=0)


def test_labels_outside_class_weight_are_named():
    model = Net(4)
    model.compile(optimizer="sgd", loss=SparseCategoricalCrossentropy(from_logits=True))
    labels = np.arange(32) % 4
    with pytest.raises(ValueError, match=r"y has labels \[3\] that class_weight has no weight for; class_weight "
                                         r"has keys \[0, 1, 2\]"):  # fmt: skip
        model.fit(X, labels, class_weight={0: 1.0, 1: 1.0, 2: 1.0}, verbose=0)
    with pytest.raises(ValueError, match=r"y has labels \[3\] that class_weight has no weight for"):
        model.fit(batches(X, labels), class_weight={0: 1.0, 1: 1.0, 2: 1.0}, verbose=0)


def test_complete_class_weight_equals_the_sample_weights_it_stands_for():
    model = classifier()
    weights = {0: 1.0, 1: 3.0, 2: 0.5}
    expected = fit_weights(model, X, LABELS, sample_weight=np.array([weights[c] for c in LABELS], "float32"))
    assert_same_weights(fit_weights(model, X, LABELS, class_weight=weights), expected)


def test_class_weight_with_several_outputs_is_refused():
    with pytest.raises(ValueError, match="class_weight needs a single target array"):
        two_outputs().fit(X, [Y, LABELS], class_weight={0: 1.0, 1: 1.0, 2: 1.0}, verbose=0)


# ---------------------------------------------------------------------- generators and datasets
class Items(Dataset):
    def __init__(self, label=None, ragged=False):
        self.label, self.ragged = label, ragged

    def __len__(self):
        return 16

    def __getitem__(self, index):
        x = np.zeros(4 + (index % 2 if self.ragged else 0), "float32")
        return x, (self.label if self.label is not None else np.zeros(1, "float32"))


@pytest.mark.parametrize(
    ("source", "error", "pattern"),
    [
        (
            lambda: batches(X, np.concatenate([Y[:16], Y[:14]]), size=8),
            ValueError,
            r"^x: batch 3 has different numbers of samples in its arrays \(x: \(8, 4\), y: \(6, 1\)\)",
        ),
        (lambda: iter([(X[:8], Y[:8]), (X[:8], "label")]), TypeError, r"^x: batch 1, y holds a str \('label'\)"),
        (lambda: iter([(None, Y[:8])]), TypeError, r"^x: batch 0, x holds a NoneType"),
        (lambda: iter([(X[:8], Y[:8], None, Y[:8])]), ValueError, r"^x: batch 0 is a tuple of 4 elements"),
        (
            lambda: iter([(X[:8], Y[:8], np.ones(3))]),
            ValueError,
            r"^x: batch 0 has different numbers of samples .*sample_weight: \(3,\)",
        ),
        (lambda: iter([(X[:8], np.float32(1.0))]), ValueError, r"^x: batch 0, y is a scalar \(np.float32\(1.0\)\)"),
        (
            lambda: iter([(X[:8], {"price": Y[:8]})]),
            ValueError,
            r"^y: keys \['price'\] match no output of model 'mlp'; its outputs are \['out'\]",
        ),
        (lambda: Items(label="cat"), TypeError, r"^x: batch 0, y: received a (list|tuple) of strings"),
        (lambda: Items(ragged=True), RuntimeError, r"^x: the DataLoader could not make batch 0 from the Dataset"),
    ],
    ids=["lengths", "str", "None", "4-tuple", "sample_weight", "scalar", "dict-y", "dataset-str", "dataset-ragged"],
)
def test_bad_batches_name_the_step_and_what_they_hold(source, error, pattern):
    with pytest.raises(error, match=pattern):
        mlp().fit(source(), epochs=1, verbose=0)


def test_a_dict_for_a_single_input_names_the_inputs():
    with pytest.raises(ValueError, match=r"^x: model 'mlp' has inputs \['features'\]; the dict is missing "
                                         r"\['features'\] \(received keys \['image'\]\)"):  # fmt: skip
        mlp().fit(iter([({"image": X[:8]}, Y[:8])]), verbose=0)


def test_bad_validation_batches_name_validation_data():
    with pytest.raises(ValueError, match=r"^validation_data: batch 0 has different numbers of samples"):
        mlp().fit(X, Y, validation_data=iter([(X[:8], Y[:5])]), verbose=0)


# ---------------------------------------------------------------------- custom steps
class Custom(fitorch.Model):
    def __init__(self, result):
        super().__init__()
        self.linear = nn.Linear(4, 1)
        self.result = result

    def forward(self, x):
        return self.linear(x)

    def train_step(self, batch):
        return self.result

    def test_step(self, batch):
        return self.result


@pytest.mark.parametrize(
    ("result", "pattern"),
    [
        ([1.0], r"train_step must return a dict of metric values .*received a list"),
        ("loss", r"train_step must return a dict of metric values .*or None; received a str"),
        ((torch.tensor(1.0),), r"train_step must return .*received a tuple"),
        ({"loss": torch.tensor(1.0), "note": "ok"}, r"train_step returned a dict whose value for 'note' is a str"),
    ],
    ids=["list", "str", "tuple", "dict-of-str"],
)
def test_a_custom_train_step_must_return_metric_values(result, pattern):
    model = Custom(result)
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(TypeError, match=pattern):
        model.fit(X, Y, verbose=0)


def test_a_custom_test_step_must_return_metric_values_and_dicts_are_logged():
    model = Custom([0.5])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(TypeError, match=r"test_step must return a dict of metric values .*received a list"):
        model.evaluate(X, Y, verbose=0)
    model.result = {"loss": torch.tensor(2.0), "score": 0.5}
    assert model.evaluate(X, Y, verbose=0, return_dict=True) == {"loss": 2.0, "score": 0.5}


def test_a_custom_train_step_may_go_without_targets():
    class Unsupervised(Custom):
        def train_step(self, batch):
            self.optimizer.zero_grad()
            loss = self(batch[0]).pow(2).mean()
            loss.backward()
            self.optimizer.step()
            return {"loss": loss}

    model = Unsupervised(None)
    model.compile(optimizer="sgd", loss="mse")
    assert len(model.fit(X, epochs=1, verbose=0).history["loss"]) == 1


# ---------------------------------------------------------------------- shapes
@pytest.mark.parametrize(
    ("x", "received"),
    [
        (np.zeros((32, 5), "float32"), r"\(8, 5\)"),
        (np.zeros((32, 2, 4), "float32"), r"\(8, 2, 4\)"),
        (np.zeros(32, "float32"), r"\(8,\)"),
    ],
    ids=["features", "extra-axis", "missing-axis"],
)
@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_inputs_of_the_wrong_shape_are_refused_with_both_shapes(method, x, received):
    args = (x, Y) if method != "predict" else (x,)
    with pytest.raises(ValueError, match=r"^x: Input 0 \('features'\) of model 'mlp' is incompatible: expected "
                                         rf"shape \(None, 4\), received {received}"):  # fmt: skip
        getattr(mlp(), method)(*args, batch_size=8, verbose=0)


def test_wrong_shapes_in_validation_data_and_generators():
    with pytest.raises(ValueError, match=r"^validation_data \(x\): Input 0 \('features'\) of model 'mlp' is "
                                         r"incompatible: expected shape \(None, 4\), received \(32, 3\)"):  # fmt: skip
        mlp().fit(X, Y, validation_data=(X[:, :3], Y), verbose=0)
    with pytest.raises(ValueError, match=r"^x: Input 0 .*expected shape \(None, 4\), received \(8, 3\)"):
        mlp().fit(batches(X[:, :3], Y), verbose=0)


def test_channels_first_images_for_a_channels_last_input():
    inputs = layers.Input(shape=(8, 8, 3), name="image")
    model = fitorch.Model(inputs, layers.Dense(1)(layers.Flatten()(inputs)), name="cnn")
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match=r"Input 0 \('image'\) of model 'cnn' is incompatible: expected shape "
                                         r"\(None, 8, 8, 3\), received \(4, 3, 8, 8\)"):  # fmt: skip
        model.fit(np.zeros((4, 3, 8, 8), "float32"), np.zeros((4, 1)), verbose=0)


@pytest.mark.parametrize(
    ("x", "pattern"),
    [
        (X, r"^x: model 'two' expects 2 input\(s\) \['a', 'b'\]; received 1 array\(s\) with shapes \[\(32, 4\)\]"),
        ([X, X[:, :2], X], r"^x: model 'two' expects 2 input\(s\) \['a', 'b'\]; received 3 array\(s\)"),
        ({"a": X}, r"^x: model 'two' has inputs \['a', 'b'\]; the dict is missing \['b'\]"),
        (
            {"a": X[:, :2], "b": X},
            r"^x: Input 0 \('a'\) of model 'two' is incompatible: expected shape \(None, 4\), "
            r"received \(32, 2\)",
        ),
    ],
    ids=["one-array", "three-arrays", "missing-key", "swapped"],
)
def test_several_inputs_are_matched_by_count_name_and_shape(x, pattern):
    with pytest.raises(ValueError, match=pattern):
        two_inputs().fit(x, Y, verbose=0)


def test_unknown_input_keys_warn():
    with pytest.warns(UserWarning, match=r"x: keys \['extra'\] match no input of model 'two'"):
        two_inputs().fit({"a": X, "b": X[:, :2], "extra": X}, Y, epochs=1, verbose=0)


def test_calling_a_functional_model_with_an_extra_axis_is_refused():
    with pytest.raises(ValueError, match=r"Input 0 \('features'\) of model 'mlp' is incompatible: expected shape "
                                         r"\(None, 4\), received \(2, 1, 4\)"):  # fmt: skip
        mlp()(torch.zeros(2, 1, 4))


# ---------------------------------------------------------------------- targets of several outputs
@pytest.mark.parametrize(
    ("y", "error_pattern"),
    [
        ([Y, LABELS, Y], r"^y: model 'multi' has 2 output\(s\) \['price', 'kind'\]; received 3 target array\(s\)"),
        (
            {"prcie": Y, "kind": LABELS},
            r"^y: keys \['prcie'\] match no output of model 'multi'; its outputs are "
            r"\['price', 'kind'\]",
        ),
        (
            {"price": Y},
            r"^y: no targets for outputs \['kind'\] of model 'multi', which have a loss; received keys "
            r"\['price'\]",
        ),
        ([Y, np.full(32, 3)], r"^y: label 3 is out of range for output 'kind' of model 'multi', which has 3 classes"),
    ],
    ids=["three-targets", "unknown-key", "missing-key", "label"],
)
def test_targets_must_match_the_outputs(y, error_pattern):
    with pytest.raises(ValueError, match=error_pattern):
        two_outputs().fit(X, y, verbose=0)


def test_sample_weight_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match=r"different numbers of samples \(x: 32, y: 32, sample_weight: 30\)"):
        mlp().fit(X, Y, sample_weight=np.ones(30), verbose=0)


# ---------------------------------------------------------------------- missing targets
@pytest.mark.parametrize(
    ("method", "kwargs", "pattern"),
    [
        ("fit", {}, r"^x: the model was compiled with a loss, so fit needs targets; received none\. Pass y="),
        ("evaluate", {}, r"^x: the model was compiled with a loss, so evaluate needs targets"),
        ("fit", {"y": Y, "validation_data": X}, r"^validation_data: the model was compiled with a loss, so evaluate"),
    ],
    ids=["fit", "evaluate", "validation_data"],
)
def test_missing_targets_are_reported_before_training(method, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        getattr(mlp(), method)(X, verbose=0, **kwargs)


# ---------------------------------------------------------------------- NaN and Inf
@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"x": np.where(X > 0.5, np.nan, X)}, r"^x contains NaN or Inf values in its first batch"),
        ({"y": np.full((32, 1), np.inf)}, r"^y contains NaN or Inf values in its first batch"),
        ({"validation_data": (np.full((32, 4), np.nan), Y)}, r"^validation_data \(x\) contains NaN or Inf"),
        ({"x": batches(np.full((32, 4), np.nan, "float32"), Y), "y": None}, r"^x contains NaN or Inf values"),
    ],
    ids=["x", "y", "validation_data", "generator"],
)
def test_nan_or_inf_in_the_first_batch_warns(kwargs, pattern):
    arguments = {"x": X, "y": Y, **kwargs}
    with pytest.warns(UserWarning, match=pattern):
        mlp().fit(epochs=1, verbose=0, **arguments)


def test_clean_data_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mlp().fit(X, Y, validation_data=(X, Y), epochs=1, verbose=0)


# ---------------------------------------------------------------------- devices
@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        (
            {"x": torch.zeros(32, 4, device="meta")},
            r"^x is on the 'meta' device, which holds shapes but no values, "
            r"and the model is on 'cpu'",
        ),
        ({"y": torch.zeros(32, 1, device="meta")}, r"^y is on the 'meta' device.*the model is on 'cpu'"),
        (
            {"x": iter([(torch.zeros(8, 4, device="meta"), Y[:8])]), "y": None},
            r"^x: batch 0, x is on the 'meta' device.*the model is on 'cpu'",
        ),
    ],
    ids=["x", "y", "generator"],
)
def test_meta_tensors_name_both_devices(kwargs, pattern):
    model = mlp().to("cpu")
    arguments = {"x": X, "y": Y, **kwargs}
    with pytest.raises(ValueError, match=pattern):
        model.fit(verbose=0, **arguments)


def test_a_model_on_the_meta_device_is_refused():
    model = mlp().to("meta")
    with pytest.raises(ValueError, match=r"^fit: model 'mlp' is on the 'meta' device, which holds no weight values"):
        model.fit(X, Y, verbose=0)
    with pytest.raises(ValueError, match=r"^predict: model 'mlp' is on the 'meta' device"):
        model.predict(X, verbose=0)
