"""Initializers against Keras 3: names, fans, configs, and distributions checked statistically."""

import math
import os

import numpy as np
import pytest
import torch

os.environ.setdefault("KERAS_BACKEND", "torch")

from fitorch import initializers  # noqa: E402
from tests.layers.harness import keras  # noqa: E402

SHAPE = (300, 400)  # 120,000 draws: a mean/std within ~1% is a tight check


def _keras_values(name: str, shape=SHAPE, **kwargs) -> np.ndarray:
    keras().utils.set_random_seed(1234)  # torch's side is seeded by conftest; both are then repeatable
    return keras().ops.convert_to_numpy(getattr(keras().initializers, name)(**kwargs)(shape, dtype="float32"))


def _ours(name: str, shape=SHAPE, **kwargs) -> np.ndarray:
    return getattr(initializers, name)(**kwargs)(shape).numpy()


# ------------------------------------------------------------------ names
def test_every_keras_public_name_exists():
    keras_names = {n for n in dir(keras().initializers) if not n.startswith("_")}
    missing = sorted(n for n in keras_names if not hasattr(initializers, n))
    assert missing == []
    assert set(initializers.__all__) >= keras_names


def test_every_keras_string_identifier_resolves_to_the_same_class():
    from keras.src.initializers import ALL_OBJECTS_DICT

    for name, cls in ALL_OBJECTS_DICT.items():
        if cls.__name__ == "Initializer":
            continue
        assert type(initializers.get(name)).__name__ == cls.__name__, name


def test_lowercase_aliases_are_the_classes():
    assert initializers.glorot_uniform is initializers.GlorotUniform
    assert initializers.IdentityInitializer is initializers.Identity
    assert initializers.OrthogonalInitializer is initializers.Orthogonal
    assert initializers.STFTInitializer is initializers.STFT
    assert isinstance(initializers.get("one"), initializers.Ones)
    assert isinstance(initializers.get("zero"), initializers.Zeros)


@pytest.mark.parametrize(
    "name, kwargs",
    [("RandomNormal", {"mean": 1.0, "stddev": 2.0, "seed": 3}), ("RandomUniform", {"minval": -1.0, "maxval": 2.0}),
     ("TruncatedNormal", {"stddev": 0.3, "seed": 1}), ("VarianceScaling", {"scale": 2.0, "mode": "fan_out", "distribution": "uniform"}),
     ("GlorotUniform", {"seed": 5}), ("HeNormal", {}), ("LecunUniform", {"input_axes": [0], "output_axes": [1]}),
     ("Orthogonal", {"gain": 2.0, "seed": 1}), ("Identity", {"gain": 3.0}), ("Constant", {"value": 2.5}),
     ("STFT", {"side": "imag", "window": "hamming", "scaling": "spectrum", "periodic": True}), ("Zeros", {}), ("Ones", {})],
)  # fmt: skip
def test_config_matches_keras_and_round_trips(name, kwargs):
    ours = getattr(initializers, name)(**kwargs)
    theirs = getattr(keras().initializers, name)(**kwargs).get_config()
    if name == "Identity":
        assert theirs == {}  # Keras 3 drops `gain` from Identity's config; fitorch keeps it
        theirs = {"gain": 3.0}
    assert ours.get_config() == theirs
    rebuilt = initializers.get(initializers.serialize(ours))
    assert type(rebuilt) is type(ours) and rebuilt.get_config() == ours.get_config()


def test_keras_serialized_dicts_are_accepted():
    config = keras().initializers.serialize(keras().initializers.HeUniform(seed=2))
    rebuilt = initializers.get(config)
    assert isinstance(rebuilt, initializers.HeUniform) and rebuilt.seed == 2
    assert isinstance(initializers.deserialize(config), initializers.HeUniform)


# ------------------------------------------------------------------ fans
@pytest.mark.parametrize(
    "shape, input_axes, output_axes",
    [((), None, None), ((7,), None, None), ((3, 5), None, None), ((3, 3, 4, 8), None, None), ((2, 3, 3, 4, 8), None, None),
     ((4, 5, 6), [0], [1, 2]), ((4, 5, 6), [0, 1], [2]), ((2, 3, 4, 5), [1], [3])],
)  # fmt: skip
def test_compute_fans_equals_keras(shape, input_axes, output_axes):
    from keras.src.initializers.random_initializers import compute_fans

    expected = compute_fans(shape, input_axes=input_axes, output_axes=output_axes)
    assert initializers.compute_fans(shape, input_axes, output_axes) == expected


# ------------------------------------------------------------------ distributions
def _assert_same_distribution(ours: np.ndarray, theirs: np.ndarray, mean: float, std: float) -> None:
    n = ours.size
    tolerance = 5 * std / math.sqrt(n)  # 5 standard errors of the mean
    for values in (ours, theirs):
        assert abs(values.mean() - mean) < tolerance + 1e-7
        assert abs(values.std() - std) < 0.01 * std + 1e-7
    # The shapes agree too: quantiles within ~5 standard errors of each other.
    levels = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
    np.testing.assert_allclose(np.quantile(ours, levels), np.quantile(theirs, levels), atol=0.08 * std + 1e-7, rtol=0)


def test_random_normal():
    ours, theirs = _ours("RandomNormal", mean=0.5, stddev=0.2), _keras_values("RandomNormal", mean=0.5, stddev=0.2)
    _assert_same_distribution(ours, theirs, 0.5, 0.2)


def test_random_uniform_limits():
    ours, theirs = _ours("RandomUniform", minval=-0.3, maxval=0.1), _keras_values("RandomUniform", minval=-0.3, maxval=0.1)
    _assert_same_distribution(ours, theirs, -0.1, 0.4 / math.sqrt(12))
    assert ours.min() >= -0.3 and ours.max() < 0.1


def test_truncated_normal_stays_within_two_stddevs():
    ours, theirs = _ours("TruncatedNormal", mean=1.0, stddev=0.5), _keras_values("TruncatedNormal", mean=1.0, stddev=0.5)
    _assert_same_distribution(ours, theirs, 1.0, 0.5 * 0.8796256610342398)
    assert ours.min() >= 0.0 and ours.max() <= 2.0


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg"])
@pytest.mark.parametrize("distribution", ["truncated_normal", "untruncated_normal", "uniform", "normal"])
@pytest.mark.parametrize("shape", [(300, 400), (3, 3, 40, 250)])
def test_variance_scaling(mode, distribution, shape):
    kwargs = {"scale": 1.7, "mode": mode, "distribution": distribution}
    fan_in, fan_out = initializers.compute_fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    std = math.sqrt(1.7 / n)
    ours, theirs = _ours("VarianceScaling", shape, **kwargs), _keras_values("VarianceScaling", shape, **kwargs)
    _assert_same_distribution(ours, theirs, 0.0, std)
    if distribution == "uniform":
        assert np.abs(ours).max() <= math.sqrt(3) * std
    elif distribution in ("truncated_normal", "normal"):
        assert np.abs(ours).max() <= 2 * std / 0.87962566103423978


@pytest.mark.parametrize(
    "name, scale, mode, uniform",
    [("GlorotUniform", 1.0, "fan_avg", True), ("GlorotNormal", 1.0, "fan_avg", False), ("HeUniform", 2.0, "fan_in", True),
     ("HeNormal", 2.0, "fan_in", False), ("LecunUniform", 1.0, "fan_in", True), ("LecunNormal", 1.0, "fan_in", False)],
)  # fmt: skip
def test_presets(name, scale, mode, uniform):
    shape = (3, 3, 30, 300)
    fan_in, fan_out = initializers.compute_fans(shape)
    n = fan_in if mode == "fan_in" else (fan_in + fan_out) / 2
    std = math.sqrt(scale / n)
    ours = _ours(name, shape)
    _assert_same_distribution(ours, _keras_values(name, shape), 0.0, std)
    limit = math.sqrt(3) * std if uniform else 2 * std / 0.87962566103423978
    assert np.abs(ours).max() <= limit * (1 + 1e-6)


def test_variance_scaling_with_axes_uses_those_fans():
    shape = (64, 500, 8)
    ours = _ours("VarianceScaling", shape, mode="fan_in", distribution="uniform", input_axes=[1], output_axes=[0, 2])
    theirs = _keras_values("VarianceScaling", shape, mode="fan_in", distribution="uniform", input_axes=[1], output_axes=[0, 2])
    _assert_same_distribution(ours, theirs, 0.0, math.sqrt(1.0 / 500))


@pytest.mark.parametrize("shape", [(50, 20), (20, 50), (3, 3, 4, 12)])
def test_orthogonal_is_orthogonal_on_keras_flattening(shape, gain=1.5):
    ours = torch.from_numpy(_ours("Orthogonal", shape, gain=gain)).double()
    theirs = torch.from_numpy(_keras_values("Orthogonal", shape, gain=gain)).double()
    for q in (ours, theirs):
        flat = q.reshape(-1, shape[-1])  # Keras flattens all but the last axis
        small = min(flat.shape)
        gram = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
        torch.testing.assert_close(gram, gain**2 * torch.eye(small, dtype=torch.float64), atol=1e-4, rtol=0)


@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (5, 2)])
def test_deterministic_initializers_equal_keras(shape):
    for name, kwargs in [("Identity", {"gain": 2.0}), ("Constant", {"value": -1.5}), ("Zeros", {}), ("Ones", {})]:
        np.testing.assert_array_equal(_ours(name, shape, **kwargs), _keras_values(name, shape, **kwargs))


@pytest.mark.parametrize("window", ["hann", "hamming", "blackman", "bartlett", "cosine", "nuttall", "boxcar", None, [0.2, 1.0, 1.0, 0.5, 0.1]])
@pytest.mark.parametrize("side", ["real", "imag"])
@pytest.mark.parametrize("periodic", [False, True])
def test_stft_equals_keras(window, side, periodic):
    for scaling in ("density", "spectrum", None):
        kwargs = {"side": side, "window": window, "scaling": scaling, "periodic": periodic}
        # Keras returns (frame_length, 1, fft_length) whatever input_channels is; fitorch fills the asked shape.
        theirs = np.broadcast_to(_keras_values("STFT", (5, 2, 4), **kwargs), (5, 2, 4))
        np.testing.assert_allclose(_ours("STFT", (5, 2, 4), **kwargs), theirs, atol=1e-6)


# ------------------------------------------------------------------ seeds, arrays, layers
def test_seeded_initializers_repeat_and_unseeded_ones_do_not():
    a = initializers.HeNormal(seed=7)((20, 30))
    assert torch.equal(a, initializers.HeNormal(seed=7)((20, 30)))
    unseeded = initializers.HeNormal()
    assert not torch.equal(unseeded((20, 30)), unseeded((20, 30)))


def test_array_initializer_returns_it_and_checks_the_shape():
    value = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(initializers.get(value)((2, 3)).numpy(), value)
    np.testing.assert_array_equal(initializers.get(torch.from_numpy(value))((2, 3)).numpy(), value)
    with pytest.raises(ValueError, match=r"the array given as initializer has shape \(2, 3\), but the weight has shape \(3, 2\)"):
        initializers.get(value)((3, 2))


def test_honours_dtype_and_meta_device():
    assert initializers.GlorotUniform()((3, 4), dtype=torch.float64).dtype == torch.float64
    assert initializers.STFT()((4, 1, 3), device="meta").is_meta


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "make, error, match",
    [(lambda: initializers.VarianceScaling(scale=0), ValueError, "scale must be positive"),
     (lambda: initializers.VarianceScaling(mode="fan"), ValueError, "mode must be one of"),
     (lambda: initializers.VarianceScaling(distribution="gamma"), ValueError, "distribution must be one of"),
     (lambda: initializers.RandomNormal(seed="1"), ValueError, r"RandomNormal: seed must be an int or None"),
     (lambda: initializers.HeNormal(seed=1.5), ValueError, r"HeNormal: seed must be an int or None"),
     (lambda: initializers.STFT(side="both"), ValueError, "STFT: side must be 'real' or 'imag'"),
     (lambda: initializers.STFT(window="kaiser"), ValueError, "STFT: window must be one of"),
     (lambda: initializers.STFT(scaling="power"), ValueError, "STFT: scaling must be None"),
     (lambda: initializers.STFT()((3, 4)), ValueError, r"STFT: needs a shape \(frame_length, input_channels, fft_length\)"),
     (lambda: initializers.STFT(window=[1.0, 2.0])((3, 1, 4)), ValueError, r"the window must have shape \(frame_length,\)"),
     (lambda: initializers.Identity()((2, 2, 2)), ValueError, "Identity: needs a 2D shape"),
     (lambda: initializers.Orthogonal()((5,)), ValueError, "Orthogonal: needs a shape of rank >= 2"),
     (lambda: initializers.get("glorot_unifrom"), ValueError, "Did you mean 'glorot_uniform'"),
     (lambda: initializers.get(3), TypeError, "expected a name such as 'glorot_uniform'"),
     (lambda: initializers.deserialize({"class_name": "Ones"}), ValueError, "a config must be a dict with")],
)  # fmt: skip
def test_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()
