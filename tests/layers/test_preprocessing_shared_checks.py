"""The argument checks and seeded draws that the preprocessing layers share through their base classes.

Oracles: the seeded draws are rebuilt from a ``torch.Generator`` and NumPy's ``default_rng`` (the rule the
layers document: one torch draw seeds the NumPy sampler torch lacks); FarmHash values from Google's C++ library.
"""

import numpy as np
import pytest
import torch

from fitorch.layers.preprocessing import (
    AugMix,
    HashedCrossing,
    Hashing,
    MixUp,
    RandomElasticTransform,
    RandomPerspective,
    RandomTranslation,
    RandomZoom,
)
from fitorch.layers.preprocessing.string_hashing import fingerprint64


def _numpy_rng_from_torch_seed(seed: int) -> np.random.Generator:
    generator = torch.Generator().manual_seed(seed)
    return np.random.default_rng(int(torch.randint(0, 2**31 - 1, (1,), generator=generator)))


def test_mixup_weights_come_from_numpy_beta_seeded_by_the_layer_stream():
    images = torch.zeros(6, 2, 2, 1)
    transformation = MixUp(alpha=0.4, seed=5).get_random_transformation(images)
    generator = torch.Generator().manual_seed(5)
    expected_order = torch.randperm(6, generator=generator)
    seed = int(torch.randint(0, 2**31 - 1, (1,), generator=generator))
    expected_weight = np.random.default_rng(seed).beta(0.4, 0.4, size=(6,))
    torch.testing.assert_close(transformation["permutation_order"], expected_order)
    np.testing.assert_allclose(transformation["mix_weight"].numpy(), expected_weight, rtol=1e-6)


def test_augmix_chain_weights_come_from_numpy_dirichlet_seeded_by_the_layer_stream():
    layer = AugMix(num_chains=3, alpha=0.5, seed=9)
    transformation = layer.get_random_transformation(torch.zeros(1, 4, 4, 3))
    expected = _numpy_rng_from_torch_seed(9).dirichlet([0.5] * 3)
    np.testing.assert_allclose(transformation["chain_mixing_weights"].numpy(), expected, rtol=1e-6)


def test_zoom_and_translation_ranges_and_config():
    zoom = RandomZoom((-0.2, 0.3), seed=1)
    assert (zoom.height_lower, zoom.height_upper) == (-0.2, 0.3)
    assert not hasattr(zoom, "width_lower")
    assert zoom.get_config()["width_factor"] is None
    translation = RandomTranslation(0.1, (0.3, -0.2))
    assert (translation.width_lower, translation.width_upper) == (-0.2, 0.3)
    assert (translation.height_lower, translation.height_upper) == (-0.1, 0.1)
    assert translation.get_config()["width_factor"] == [0.3, -0.2]
    with pytest.raises(ValueError, match=r"RandomTranslation 't': width_factor must be a number or a pair"):
        RandomTranslation(0.1, None, name="t")
    with pytest.raises(ValueError, match=r"RandomZoom 'z': height_factor must be a number or a pair of numbers in \(-1"):
        RandomZoom(-1.0, name="z")


def test_elastic_transform_resampling_checks():
    layer = RandomElasticTransform(fill_mode="mirror", interpolation="nearest", fill_value=2)
    assert (layer.fill_mode, layer.interpolation, layer.fill_value) == ("mirror", "nearest", 2.0)
    with pytest.raises(ValueError, match=r"RandomElasticTransform 'e': interpolation must be one of"):
        RandomElasticTransform(interpolation="bicubic", name="e")
    with pytest.raises(ValueError, match=r"RandomElasticTransform 'e': fill_value must be a float; received "):
        RandomElasticTransform(fill_value="0", name="e")
    assert RandomPerspective(fill_value=3).fill_value == 3.0
    with pytest.raises(ValueError, match=r"RandomPerspective 'p': fill_value must be a float; received fill_value=None"):
        RandomPerspective(fill_value=None, name="p")


def test_hashing_layers_check_sparse_and_modes_the_same_way():
    with pytest.raises(ValueError, match=r"HashedCrossing 'c': num_bins must be a positive int; received num_bins=True"):
        HashedCrossing(num_bins=True, name="c")
    with pytest.raises(ValueError, match=r"Hashing 'h': output_mode must be one of \['int', 'one_hot', 'multi_hot', "):
        Hashing(num_bins=2, output_mode="tf_idf", name="h")


def test_fingerprint64_on_mixed_17_to_64_byte_strings():
    # Google FarmHash Fingerprint64 (C++, via pyfarmhash 0.5.1).
    reference = {
        "The quick brown fox": 17929437435696225253,
        "The quick brown fox jumps over the lazy dog": 12375473906752639284,
    }
    for text, value in reference.items():
        assert fingerprint64(text.encode()) == value, text
