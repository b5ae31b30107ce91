"""fitorch.random against keras.random (torch backend): the same distributions (two-sample KS tests and
moments on large draws, fixed seeds so nothing is flaky), bounds, and Keras' seed semantics."""

import keras
import numpy as np
import pytest
import torch
from scipy import stats

import fitorch
from fitorch import random as frandom

N = 20_000


def as_numpy(x):
    return keras.ops.convert_to_numpy(x)


def same_distribution(ours, theirs):
    ours, theirs = np.asarray(ours, dtype="float64").ravel(), np.asarray(theirs, dtype="float64").ravel()
    assert stats.ks_2samp(ours, theirs).pvalue > 1e-3
    assert ours.mean() == pytest.approx(theirs.mean(), abs=0.05 * max(1.0, abs(theirs.mean())))
    assert ours.std() == pytest.approx(theirs.std(), rel=0.05)


@pytest.mark.parametrize(
    "name, kwargs",
    [("normal", dict(mean=1.5, stddev=2.0)), ("uniform", dict(minval=-3.0, maxval=5.0)),
     ("truncated_normal", dict(mean=-1.0, stddev=0.5)), ("gamma", dict(alpha=2.5)),
     ("beta", dict(alpha=2.0, beta=5.0)), ("binomial", dict(counts=12, probabilities=0.3))],
)  # fmt: skip
def test_distributions_match_keras(name, kwargs):
    ours = getattr(frandom, name)((N,), seed=3, **kwargs)
    theirs = as_numpy(getattr(keras.random, name)((N,), seed=3, **kwargs))
    assert isinstance(ours, torch.Tensor) and ours.shape == (N,) and ours.dtype == torch.float32
    same_distribution(ours.numpy(), theirs)


def test_bounds():
    uniform = frandom.uniform((N,), minval=2.0, maxval=3.0, seed=0)
    assert uniform.min() >= 2.0 and uniform.max() < 3.0
    truncated = frandom.truncated_normal((N,), mean=1.0, stddev=0.5, seed=0)
    assert truncated.min() >= 0.0 and truncated.max() <= 2.0
    assert as_numpy(keras.random.truncated_normal((N,), mean=1.0, stddev=0.5, seed=0)).max() <= 2.0
    binomial = frandom.binomial((N,), counts=5, probabilities=0.5, seed=0)
    assert set(binomial.unique().tolist()) <= {0.0, 1.0, 2.0, 3.0, 4.0, 5.0}
    assert frandom.beta((N,), 0.5, 0.5, seed=0).min() >= 0 and frandom.gamma((N,), 0.5, seed=0).min() >= 0


def test_randint_matches_keras():
    ours = frandom.randint((N,), minval=-2, maxval=5, seed=1)
    theirs = as_numpy(keras.random.randint((N,), minval=-2, maxval=5, seed=1))
    assert ours.dtype == torch.int32 and str(theirs.dtype) == "int32"
    assert set(ours.tolist()) == set(theirs.tolist()) == set(range(-2, 5))
    np.testing.assert_allclose(np.bincount(ours.numpy() + 2) / N, np.bincount(theirs + 2) / N, atol=0.02)
    assert frandom.randint((3,), 0, 10, dtype="int64", seed=0).dtype == torch.int64


def test_categorical_matches_keras():
    logits = np.log(np.array([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]], dtype="float32"))
    ours = frandom.categorical(torch.from_numpy(logits), 5000, seed=2)
    theirs = as_numpy(keras.random.categorical(logits, 5000, seed=2))
    assert ours.shape == theirs.shape == (2, 5000) and ours.dtype == torch.int32
    for row in range(2):
        np.testing.assert_allclose(
            np.bincount(ours[row].numpy(), minlength=3) / 5000, np.bincount(theirs[row], minlength=3) / 5000, atol=0.03
        )


def test_dropout_matches_keras():
    x = np.ones((200, 100), dtype="float32")
    ours = frandom.dropout(torch.from_numpy(x), 0.3, seed=4)
    theirs = as_numpy(keras.random.dropout(torch.from_numpy(x), 0.3, seed=4))
    np.testing.assert_allclose(np.unique(ours.numpy()), np.unique(theirs), rtol=1e-6)
    np.testing.assert_allclose(np.unique(theirs), [0.0, 1 / 0.7], rtol=1e-6)
    assert (ours.numpy() == 0).mean() == pytest.approx((theirs == 0).mean(), abs=0.02)
    shaped = frandom.dropout(torch.ones(50, 40), 0.5, noise_shape=(50, 1), seed=0)
    keras_shaped = as_numpy(keras.random.dropout(torch.ones(50, 40), 0.5, noise_shape=(50, 1), seed=0))
    for mask in (shaped.numpy(), keras_shaped):
        assert (mask == mask[:, :1]).all()  # one draw per row, broadcast along the row


def test_shuffle_permutes_along_an_axis():
    x = torch.arange(60).reshape(6, 10)
    rows = frandom.shuffle(x, seed=0)
    assert sorted(rows[:, 0].tolist()) == list(range(0, 60, 10)) and (rows % 10 == torch.arange(10)).all()
    columns = frandom.shuffle(x, axis=1, seed=0)
    assert sorted(columns[0].tolist()) == list(range(10)) and not torch.equal(columns, x)
    keras_columns = as_numpy(keras.random.shuffle(x.numpy(), axis=1, seed=0))
    assert sorted(keras_columns[0].tolist()) == sorted(columns[0].tolist())


@pytest.mark.parametrize("name, args", [("normal", ()), ("uniform", ()), ("truncated_normal", ()), ("gamma", (2.0,))])
def test_int_seed_repeats_and_seed_generator_advances(name, args):
    draw = getattr(frandom, name)
    assert torch.equal(draw((5,), *args, seed=42), draw((5,), *args, seed=42))
    assert not torch.equal(draw((5,), *args, seed=42), draw((5,), *args, seed=43))
    generator = frandom.SeedGenerator(42)
    first, second = draw((5,), *args, seed=generator), draw((5,), *args, seed=generator)
    assert not torch.equal(first, second)
    replay = frandom.SeedGenerator(42)
    assert torch.equal(draw((5,), *args, seed=replay), first) and torch.equal(draw((5,), *args, seed=replay), second)


def test_seed_generator_state_and_config_as_keras():
    ours, theirs = frandom.SeedGenerator(9), keras.random.SeedGenerator(9)
    for _ in range(3):
        assert ours.next().tolist() == as_numpy(theirs.next()).tolist()
    assert ours.get_config() == {"seed": 9} == {"seed": theirs.get_config()["seed"]}
    assert frandom.SeedGenerator.from_config(ours.get_config()).state.tolist() == [9, 0]
    with pytest.raises(ValueError, match="SeedGenerator: seed must be an integer; received seed='a'"):
        frandom.SeedGenerator("a")


def test_no_seed_follows_torch_manual_seed_and_set_random_seed():
    torch.manual_seed(5)
    a = frandom.normal((4,))
    torch.manual_seed(5)
    assert torch.equal(frandom.normal((4,)), a)
    fitorch.utils.set_random_seed(8)
    b = frandom.beta((4,), 2.0, 2.0)
    fitorch.utils.set_random_seed(8)
    assert torch.equal(frandom.beta((4,), 2.0, 2.0), b)
    assert not torch.equal(frandom.beta((4,), 2.0, 2.0), b)


def test_dtype_and_device_scope():
    assert frandom.normal((2,), dtype="float64", seed=0).dtype == torch.float64
    with fitorch.device("cpu"):
        assert frandom.uniform((2,), seed=0).device.type == "cpu"


@pytest.mark.parametrize(
    "call, message",
    [(lambda: frandom.normal((2,), seed="x"), "normal: seed must be an int, a fitorch.random.SeedGenerator or None"),
     (lambda: frandom.uniform((2,), dtype="int32"), "uniform: dtype must be a floating point type"),
     (lambda: frandom.randint((2,), 0, 5, dtype="float32"), "randint: dtype must be an integer type"),
     (lambda: frandom.randint((2,), 5, 5), "randint: maxval must be greater than minval"),
     (lambda: frandom.normal((2, -1)), r"normal: shape must be a tuple of non-negative ints; received shape=\(2, -1\)"),
     (lambda: frandom.categorical(torch.zeros(3), 2), r"categorical: logits must be 2D .* received shape \(3,\)"),
     (lambda: frandom.dropout(torch.ones(3), 1.0), r"dropout: rate must be in \[0, 1\); received rate=1.0"),
     (lambda: frandom.dropout(torch.ones(3, 2), 0.5, noise_shape=(3,)), "noise_shape .* one entry per input axis"),
     (lambda: frandom.shuffle(torch.ones(3), axis=2), "shuffle: axis 2 is out of range")],
)  # fmt: skip
def test_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()
