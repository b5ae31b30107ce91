"""MixUp and CutMix against Keras 3: the same transformation gives the same images and labels; the draws follow
Keras' distributions; the dict form {'images', 'labels'}; inference, seeds, config, fit and save/load."""

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from tests.layers.augmentation_checks import (
    Probe,
    assert_matches_keras,
    check_inference_identity,
    check_seed_and_config,
    check_symbolic,
    images,
    keras,
)
from tests.layers.harness import to_numpy

FORMATS = ["channels_last", "channels_first"]


def batch(data_format="channels_last", size=4):
    shape = (size, 5, 6, 3) if data_format == "channels_last" else (size, 3, 5, 6)
    return torch.from_numpy(images(shape))


def one_hot(size=4, classes=3):
    return torch.nn.functional.one_hot(torch.arange(size) % classes, classes).float()


@pytest.mark.parametrize("data_format", FORMATS)
def test_mix_up_matches_keras(data_format):
    x, labels = batch(data_format), one_hot()
    transformation = {"mix_weight": torch.tensor([0.9, 0.1, 0.5, 1.0]), "permutation_order": torch.tensor([2, 0, 3, 1])}
    ours, theirs = layers.MixUp(data_format=data_format), keras().layers.MixUp(data_format=data_format)
    assert_matches_keras(ours.transform_images(x, transformation), theirs.transform_images(x, transformation))
    assert_matches_keras(ours.transform_labels(labels, transformation), theirs.transform_labels(labels, transformation))


@pytest.mark.parametrize("data_format", FORMATS)
def test_cut_mix_matches_keras(data_format):
    x, labels = batch(data_format), one_hot()
    corners = [torch.tensor(v) for v in ([0.0, 1.5, 2.0, 0.0], [3.0, 4.5, 6.0, 0.0],
                                         [1.0, 0.0, 0.5, 0.0], [4.0, 2.5, 5.0, 0.0])]  # fmt: skip
    ours, theirs = layers.CutMix(data_format=data_format), keras().layers.CutMix(data_format=data_format)
    masks = ours.batch_masks(tuple(x.shape), *corners)
    keras_masks, keras_weight = theirs._generate_batch_mask(tuple(x.shape), tuple(corners))
    np.testing.assert_array_equal(to_numpy(masks), to_numpy(keras_masks))
    x0, x1, y0, y1 = corners
    weight = 1.0 - (x1 - x0) * (y1 - y0) / (6 * 5)
    assert_matches_keras(weight, to_numpy(keras_weight).reshape(-1))  # Keras keeps (B, 1, 1, 1)
    transformation = {"permutation_order": torch.tensor([1, 2, 3, 0]), "batch_masks": masks, "mix_weight": weight}
    assert_matches_keras(ours.transform_images(x, transformation), theirs.transform_images(x, transformation))
    assert_matches_keras(ours.transform_labels(labels, transformation), theirs.transform_labels(labels, transformation))


def test_mix_up_draws_follow_keras_distribution():
    layer = layers.MixUp(alpha=0.4, seed=0)
    draws = [layer.get_random_transformation(torch.zeros(500, 1, 1, 1)) for _ in range(8)]
    weights = torch.cat([d["mix_weight"] for d in draws]).numpy()
    for d in draws:
        assert sorted(d["permutation_order"].tolist()) == list(range(500))
    theirs = np.concatenate(
        [to_numpy(keras().layers.MixUp(alpha=0.4, seed=i).get_random_transformation(np.zeros((500, 1, 1, 1)))[
            "mix_weight"]) for i in range(8)]
    )  # fmt: skip
    quantiles = [0.1, 0.25, 0.5, 0.75, 0.9]
    np.testing.assert_allclose(np.quantile(weights, quantiles), np.quantile(theirs, quantiles), atol=0.05)


def test_cut_mix_boxes_and_weights():
    layer = layers.CutMix(seed=1)
    x = batch(size=64)
    transformation = layer.get_random_transformation(x)
    masks, weight = transformation["batch_masks"], transformation["mix_weight"]
    assert masks.shape == x.shape and masks.dtype == torch.bool
    assert ((weight >= 0) & (weight <= 1)).all()
    # The box area (in pixels) follows 1 - w up to the pixel grid.
    share = masks[..., 0].float().mean(dim=(1, 2))
    assert (share - (1 - weight)).abs().mean() < 0.15
    out = layer.transform_images(x, transformation)
    partner = x[transformation["permutation_order"]]
    torch.testing.assert_close(out[masks], partner[masks])
    torch.testing.assert_close(out[~masks], x[~masks])
    assert list(layers.CutMix(0.3).factor) == list(keras().layers.CutMix(0.3).factor)


@pytest.mark.parametrize("name", ["MixUp", "CutMix"])
def test_dict_inputs_mix_labels_alike(name):
    x, labels = batch(size=8), one_hot(8, classes=8)  # label i is one-hot at i: its mix shows where pixels came from
    layer = getattr(layers, name)(seed=3)
    out = layer({"images": x, "labels": labels}, training=True)
    assert set(out) == {"images", "labels"} and out["labels"].shape == labels.shape
    torch.testing.assert_close(out["labels"].sum(dim=1), torch.ones(8))
    if name == "MixUp":  # each image is w x_i + (1 - w) x_j with the label's weights
        expected = torch.einsum("ij,jhwc->ihwc", out["labels"], x)
        torch.testing.assert_close(out["images"], expected)
    untouched = layer({"images": x, "labels": labels}, training=False)
    torch.testing.assert_close(untouched["images"], x, rtol=0, atol=0)
    torch.testing.assert_close(untouched["labels"], labels, rtol=0, atol=0)
    single = layer({"images": x[0], "labels": labels[0]}, training=True)  # one image mixes with itself
    torch.testing.assert_close(single["images"], x[0])
    torch.testing.assert_close(single["labels"], labels[0])


@pytest.mark.parametrize("make", [lambda **kw: layers.MixUp(0.5, **kw), lambda **kw: layers.CutMix(**kw)])
def test_inference_seed_config_symbolic(make):
    check_inference_identity(lambda: make(), (4, 6, 6, 3))
    check_seed_and_config(lambda seed: make(seed=seed), (8, 6, 6, 3))
    check_symbolic(lambda: make(), (4, 6, 6, 3))


@pytest.mark.parametrize("make", [lambda: layers.MixUp(0.5, seed=0), lambda: layers.CutMix(seed=0)])
def test_active_in_fit_not_in_predict_and_save_load(make, tmp_path):
    x = images((8, 6, 6, 3))
    probe = Probe()
    inputs = layers.Input(shape=x.shape[1:])
    model = fitorch.Model(inputs, layers.Dense(1)(layers.Flatten()(probe(make()(inputs)))))
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((8, 1), "float32"), batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert not np.allclose(probe.seen[-1].numpy(), x)
    model.predict(x, batch_size=8, verbose=0)
    np.testing.assert_array_equal(probe.seen[-1].numpy(), x)
    model.save(tmp_path / "m.fitorch")
    loaded = fitorch.load_model(tmp_path / "m.fitorch", custom_objects={"Probe": Probe})
    assert [layer.get_config() for layer in loaded.layers] == [layer.get_config() for layer in model.layers]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"MixUp 'm': alpha must be a float > 0; received alpha=0"):
        layers.MixUp(0, name="m")
    with pytest.raises(ValueError, match=r"CutMix 'c': factor must be a number or a pair of numbers in \[0, 1\]"):
        layers.CutMix(2.0, name="c")
    with pytest.raises(ValueError, match=r"MixUp 'm2': a dict input must have the key 'images' and may have 'labels'"):
        layers.MixUp(name="m2")({"images": batch(), "bounding_boxes": None}, training=True)
