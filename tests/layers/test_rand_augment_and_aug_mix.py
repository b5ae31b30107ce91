"""RandAugment and AugMix against Keras 3.

Their random choices cannot be matched bit for bit, so the transforms are checked on Keras' own draws:
Keras' ``get_random_transformation`` gives the choices and every sub-layer's parameters, and fitorch's
``transform_images`` must then equal Keras' result for that transformation. For RandAugment the oracle is
Keras' sub-layers applied in the drawn order, because Keras' own ``RandAugment.transform_images`` on the
torch backend also runs ``RandomBrightness`` (which adds in place) on every step; the one choice where
that side effect is invisible is also compared with the whole Keras layer. The rest: identity at
inference, seeded reproducibility, shapes/dtypes/value ranges, the config against Keras' and errors.

With ``channels_first`` the auto-contrast step is left out of the comparison: fitorch's ``AutoContrast``
works per channel there too, where Keras reduces the wrong axes (see docs/keras_compatibility.md).
"""

import copy
import json

import pytest
import torch

from fitorch.layers.preprocessing import AugMix, RandAugment
from fitorch.layers.preprocessing.rand_augment import AUGMENT_LAYERS
from tests.layers.augmentation_checks import (
    assert_matches_keras,
    check_inference_identity,
    check_seed_and_config,
    check_symbolic,
    images,
    keras,
)

FORMATS = ["channels_last", "channels_first"]
AUTO_CONTRAST = AUGMENT_LAYERS.index("auto_contrast")


def batch(data_format, high=255.0, seed=0):
    shape = (3, 7, 8, 3) if data_format == "channels_last" else (3, 3, 7, 8)
    return torch.from_numpy(images(shape, seed=seed) * high)


@pytest.mark.parametrize("data_format", FORMATS)
def test_rand_augment_applies_the_chosen_keras_operations(data_format):
    x = batch(data_format)
    kwargs = {"num_ops": 2, "factor": 0.6, "data_format": data_format}
    theirs, ours = keras().layers.RandAugment(seed=3, **kwargs), RandAugment(**kwargs)
    for first in range(len(AUGMENT_LAYERS)):
        chosen = [first, (first * 7 + 4) % len(AUGMENT_LAYERS)]
        if data_format == "channels_first" and AUTO_CONTRAST in chosen:
            continue
        transformation = theirs.get_random_transformation(x)
        transformation["layer_idxes"] = torch.tensor(chosen)
        expected = x.clone()
        for index in transformation["layer_idxes"].tolist():
            name = AUGMENT_LAYERS[index]
            step = copy.deepcopy(transformation["transforms"][name])
            expected = getattr(theirs, name).transform_images(expected.clone(), step, training=True)
        assert_matches_keras(ours.transform_images(x, copy.deepcopy(transformation)), expected, atol=1e-3)
    transformation = theirs.get_random_transformation(x)
    transformation["layer_idxes"] = torch.tensor([3, 3])  # brightness twice: the whole Keras layer agrees
    ours_out = ours.transform_images(x, copy.deepcopy(transformation))
    assert_matches_keras(ours_out, theirs.transform_images(x.clone(), transformation, training=True), atol=1e-3)


@pytest.mark.parametrize("all_ops, value_range, data_format", [
    (True, (0, 255), "channels_last"), (False, (0, 1), "channels_first"), (True, (-1, 1), "channels_first"),
])  # fmt: skip
def test_aug_mix_matches_keras_on_its_draws(all_ops, value_range, data_format):
    low, high = value_range
    x = batch(data_format, high=1.0) * (high - low) + low
    kwargs = {"value_range": value_range, "factor": 0.5, "chain_depth": 4, "all_ops": all_ops}
    theirs = keras().layers.AugMix(data_format=data_format, seed=11, **kwargs)
    ours = AugMix(data_format=data_format, **kwargs)
    # Keras picks the chains' operations with Python's unseeded `random`: the test picks them (each operation
    # once, over the 3 chains) and takes the mixing weights and every operation's parameters from Keras' draws.
    names = [name for name in theirs._augment_layers if not (name == "auto_contrast" and data_format == "channels_first")]
    for shift in range(2):
        transformation = theirs.get_random_transformation(x)
        order = names[shift:] + names[:shift]
        transformation["chain_transforms"] = [
            [{"layer_name": n, "transformation": getattr(theirs, n).get_random_transformation(x)} for n in order[i::3]]
            for i in range(3)
        ]
        expected = theirs.transform_images(x.clone(), copy.deepcopy(transformation), training=True)
        assert_matches_keras(ours.transform_images(x, transformation), expected, atol=1e-4 * (high - low))


def test_draws_cover_the_operations_and_stay_in_range():
    x = batch("channels_last")
    layer = RandAugment(num_ops=3, seed=5)
    chosen = torch.cat([layer.get_random_transformation(x[:1])["layer_idxes"] for _ in range(60)])
    assert chosen.shape == (180,) and set(chosen.tolist()) == set(range(len(AUGMENT_LAYERS)))
    mix = AugMix(all_ops=False, seed=5)
    draws = [mix.get_random_transformation(x[:1]) for _ in range(40)]
    weights = torch.stack([d["chain_mixing_weights"] for d in draws])
    torch.testing.assert_close(weights.sum(dim=1), torch.ones(40))
    assert all(0 <= float(d["weight_sample"]) <= 1 for d in draws)
    names = {step["layer_name"] for d in draws for chain in d["chain_transforms"] for step in chain}
    assert names == set(AUGMENT_LAYERS[:3]) | {"random_posterization", "solarization", "auto_contrast", "equalization"}
    lengths = {len(chain) for d in draws for chain in d["chain_transforms"]}
    assert lengths <= {0, 1, 2, 3} and min(lengths) < 3  # "none" is one of the picks, as in Keras
    for seed in range(4):
        for layer in (RandAugment(factor=1.0, seed=seed), AugMix(factor=1.0, seed=seed)):
            out = layer(x, training=True)
            assert out.shape == x.shape and out.dtype == torch.float32
            assert float(out.min()) >= 0 and float(out.max()) <= 255


@pytest.mark.parametrize("make_layer", [RandAugment, AugMix])
def test_inference_seeds_config_and_symbolic(make_layer):
    check_inference_identity(lambda: make_layer(value_range=(0, 1)), (2, 6, 6, 3))
    check_seed_and_config(lambda seed: make_layer(value_range=(0, 1), seed=seed), (2, 6, 6, 3))
    check_symbolic(lambda: make_layer(), (2, 6, 6, 3))


def test_configs_match_keras():
    for ours, theirs in [
        (RandAugment(num_ops=3, factor=0.4, seed=2), keras().layers.RandAugment(num_ops=3, factor=0.4, seed=2)),
        (AugMix(num_chains=2, alpha=0.5, all_ops=False), keras().layers.AugMix(num_chains=2, alpha=0.5, all_ops=False)),
    ]:
        config = json.loads(json.dumps(ours.get_config()))
        expected = json.loads(json.dumps(theirs.get_config()))
        for key in set(expected) - {"name", "trainable", "dtype"}:
            assert config[key] == pytest.approx(expected[key]), key
        assert type(ours).from_config(config).get_config() == ours.get_config()


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"RandAugment 'r1': num_ops must be an int >= 0; received num_ops=-1"):
        RandAugment(num_ops=-1, name="r1")
    with pytest.raises(ValueError, match=r"RandAugment 'r2': factor must be a number or a pair of numbers in \[0, 1\]"):
        RandAugment(factor=1.5, name="r2")
    with pytest.raises(ValueError, match=r"'r3': interpolation must be one of \['nearest', 'bilinear'\]"):
        RandAugment(interpolation="cubic", name="r3")
    with pytest.raises(ValueError, match=r"AugMix 'a1': num_chains must be an int >= 1; received num_chains=0"):
        AugMix(num_chains=0, name="a1")
    with pytest.raises(ValueError, match=r"AugMix 'a2': alpha must be a number > 0; received alpha=0"):
        AugMix(alpha=0, name="a2")
    with pytest.raises(TypeError, match=r"AugMix 'a3': all_ops must be a bool; received all_ops='yes'"):
        AugMix(all_ops="yes", name="a3")
    with pytest.raises(ValueError, match=r"AugMix 'a4': value_range must be a pair of numbers"):
        AugMix(value_range=(0,), name="a4")
