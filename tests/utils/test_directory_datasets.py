"""image_dataset_from_directory and text_dataset_from_directory on folders written by the test.

The oracle for which files land in which split, with which label and in which order is
Keras 3's own file indexing (`keras.src.utils.dataset_utils`, pure Python); pixels are
checked against the arrays the test wrote (and NumPy block means for 'area' resizing).
"""

import os

import numpy as np
import pytest
import torch
from keras.src.utils import dataset_utils as keras_dataset_utils
from PIL import Image

import fitorch
from fitorch import layers, utils

CLASSES = {"cat": 5, "dog": 4, "eel": 3}


def write_images(root, size=(6, 8)):
    """One PNG per sample; pixel (0, 0) of the red channel holds the sample's id. Returns {path: id}."""
    ids, rng, next_id = {}, np.random.default_rng(0), 0
    for name, count in CLASSES.items():
        for index in range(count):
            folder = os.path.join(root, name, "nested") if index == 0 else os.path.join(root, name)
            os.makedirs(folder, exist_ok=True)
            pixels = rng.integers(0, 256, size=(*size, 3), dtype=np.uint8)
            pixels[0, 0, 0] = next_id
            path = os.path.join(folder, f"img_{index}.png")
            Image.fromarray(pixels).save(path)
            ids[path] = next_id
            next_id += 1
    with open(os.path.join(root, "cat", "notes.txt"), "w") as file:
        file.write("not an image")
    return ids


def pairs(dataset):
    found = []
    for images, labels in dataset:
        found += [(int(image[0, 0, 0]), int(label)) for image, label in zip(images, labels, strict=True)]
    return found


def keras_index(root, formats, **kwargs):
    return keras_dataset_utils.index_directory(root, "inferred", formats=formats, verbose=False, **kwargs)


def test_files_labels_and_splits_match_keras(tmp_path):
    ids = write_images(str(tmp_path))
    train, val = utils.image_dataset_from_directory(
        tmp_path, image_size=(6, 8), batch_size=4, validation_split=0.3, subset="both", seed=9, verbose=False
    )
    paths, labels, class_names = keras_index(str(tmp_path), (".png",), shuffle=True, seed=9)
    keras_train = keras_dataset_utils.get_training_or_validation_split(paths, labels, 0.3, "training")
    keras_val = keras_dataset_utils.get_training_or_validation_split(paths, labels, 0.3, "validation")
    assert train.class_names == val.class_names == class_names == ["cat", "dog", "eel"]
    for ours, (k_paths, k_labels) in ((train, keras_train), (val, keras_val)):
        assert sorted(pairs(ours)) == sorted((ids[p], int(label)) for p, label in zip(k_paths, k_labels, strict=True))


def test_unshuffled_order_is_keras_order_and_pixels_are_the_files(tmp_path):
    ids = write_images(str(tmp_path))
    ds = utils.image_dataset_from_directory(tmp_path, image_size=(6, 8), shuffle=False, batch_size=5, verbose=False)
    paths, labels, _ = keras_index(str(tmp_path), (".png",), shuffle=False)
    assert pairs(ds) == [(ids[p], int(label)) for p, label in zip(paths, labels, strict=True)]
    images, batch_labels = next(iter(ds))
    assert images.shape == (5, 6, 8, 3) and images.dtype == torch.float32 and batch_labels.dtype == torch.int32
    np.testing.assert_array_equal(images[0].numpy(), np.asarray(Image.open(paths[0]), dtype="float32"))


def test_shuffled_order_changes_each_pass_and_repeats_with_the_seed(tmp_path):
    write_images(str(tmp_path))
    make = lambda: utils.image_dataset_from_directory(  # noqa: E731
        tmp_path, image_size=(6, 8), batch_size=3, seed=1, verbose=False
    )
    ds = make()
    first, second = pairs(ds), pairs(ds)
    assert sorted(first) == sorted(second) and first != second
    assert pairs(make()) == first


def test_label_modes(tmp_path):
    write_images(str(tmp_path))
    kwargs = dict(image_size=(6, 8), shuffle=False, verbose=False, batch_size=12)
    _, ints = next(iter(utils.image_dataset_from_directory(tmp_path, **kwargs)))
    _, onehot = next(iter(utils.image_dataset_from_directory(tmp_path, label_mode="categorical", **kwargs)))
    assert onehot.dtype == torch.float32
    np.testing.assert_array_equal(onehot.numpy(), utils.to_categorical(ints.numpy(), 3))
    ds = utils.image_dataset_from_directory(tmp_path, label_mode="binary", class_names=["eel", "cat"], **kwargs)
    _, binary = next(iter(ds))
    assert binary.shape == (8, 1) and binary.dtype == torch.float32 and binary[:3].tolist() == [[0.0]] * 3
    assert binary[3:].tolist() == [[1.0]] * 5 and ds.class_names == ["eel", "cat"]
    with pytest.raises(ValueError, match="label_mode='binary' needs exactly 2 classes; found 3"):
        utils.image_dataset_from_directory(tmp_path, label_mode="binary", **kwargs)
    images_only = next(iter(utils.image_dataset_from_directory(tmp_path, label_mode=None, **kwargs)))
    assert isinstance(images_only, torch.Tensor) and images_only.shape == (12, 6, 8, 3)


def test_color_modes_data_format_and_area_resize(tmp_path):
    folder = tmp_path / "only"
    folder.mkdir()
    pixels = np.random.default_rng(1).integers(0, 256, size=(8, 8, 4), dtype=np.uint8)
    Image.fromarray(pixels, "RGBA").save(folder / "a.png")
    kwargs = dict(shuffle=False, verbose=False, label_mode=None)
    rgba = next(iter(utils.image_dataset_from_directory(tmp_path, color_mode="rgba", image_size=(8, 8), **kwargs)))
    np.testing.assert_array_equal(rgba[0].numpy(), pixels.astype("float32"))
    gray = next(iter(utils.image_dataset_from_directory(tmp_path, color_mode="grayscale", image_size=(8, 8), **kwargs)))
    luma = pixels[..., :3].astype("float64") @ np.array([0.299, 0.587, 0.114])  # ITU-R 601 luma
    assert gray.shape == (1, 8, 8, 1) and np.abs(gray[0, ..., 0].numpy() - luma).max() <= 1.0
    area = next(iter(utils.image_dataset_from_directory(tmp_path, image_size=(4, 4), interpolation="area", **kwargs)))
    block_means = pixels[..., :3].reshape(4, 2, 4, 2, 3).mean(axis=(1, 3))
    assert np.abs(area[0].numpy() - block_means).max() <= 1.0  # Pillow rounds in fixed point
    first = next(
        iter(utils.image_dataset_from_directory(tmp_path, image_size=(8, 8), data_format="channels_first", **kwargs))
    )
    np.testing.assert_array_equal(first[0].numpy(), pixels[..., :3].transpose(2, 0, 1).astype("float32"))
    crop = next(
        iter(
            utils.image_dataset_from_directory(
                tmp_path, image_size=(4, 8), crop_to_aspect_ratio=True, interpolation="nearest", **kwargs
            )
        )
    )
    np.testing.assert_array_equal(crop[0].numpy(), pixels[2:6, :, :3].astype("float32"))


def test_explicit_labels_and_no_labels(tmp_path):
    ids = write_images(str(tmp_path))
    paths, _, _ = keras_dataset_utils.index_directory(
        str(tmp_path), None, formats=(".png",), shuffle=False, verbose=False
    )
    labels = [ids[p] % 2 for p in paths]
    ds = utils.image_dataset_from_directory(tmp_path, labels=labels, image_size=(6, 8), shuffle=False, verbose=False)
    assert pairs(ds) == [(ids[p], ids[p] % 2) for p in paths] and ds.class_names == ["0", "1"]
    with pytest.raises(ValueError, match="labels has 3 entries, but 12 files were found"):
        utils.image_dataset_from_directory(tmp_path, labels=[0, 1, 0], image_size=(6, 8), verbose=False)


@pytest.mark.parametrize(
    "kwargs, message",
    [(dict(validation_split=0.2, subset="training"), "pass a seed"),
     (dict(validation_split=0.2), "subset and validation_split go together"),
     (dict(validation_split=1.5, subset="training", seed=1), "validation_split must be between 0 and 1"),
     (dict(subset="testing", validation_split=0.2, seed=1), "subset must be 'training', 'validation' or 'both'"),
     (dict(class_names=["cat", "cow"]), "class_names must name subdirectories"),
     (dict(color_mode="cmyk"), "color_mode must be 'grayscale', 'rgb' or 'rgba'"),
     (dict(interpolation="gaussian"), "interpolation must be one of"),
     (dict(label_mode="sparse"), "label_mode must be 'int', 'categorical', 'binary' or None"),
     (dict(labels="folders"), "labels must be 'inferred', None, or a list"),
     (dict(image_size=(0, 4)), "image_size must be"),
     (dict(batch_size=0), "batch_size must be a positive int or None")],
)  # fmt: skip
def test_errors(tmp_path, kwargs, message):
    write_images(str(tmp_path))
    with pytest.raises(ValueError, match=message):
        utils.image_dataset_from_directory(tmp_path, verbose=False, **kwargs)


def test_missing_directory(tmp_path):
    with pytest.raises(ValueError, match="does not exist or is not a directory"):
        utils.image_dataset_from_directory(tmp_path / "nope")


def test_verbose_prints_what_keras_prints(tmp_path, capsys):
    write_images(str(tmp_path))
    utils.image_dataset_from_directory(tmp_path, validation_split=0.25, subset="training", seed=0)
    assert capsys.readouterr().out.splitlines() == [
        "Found 12 files belonging to 3 classes.",
        "Using 9 files for training.",
    ]


def test_fit_trains_on_it(tmp_path):
    write_images(str(tmp_path))
    torch.manual_seed(0)
    ds = utils.image_dataset_from_directory(tmp_path, image_size=(6, 8), batch_size=4, seed=0, verbose=False)
    model = fitorch.Sequential([layers.Input(shape=(6, 8, 3)), layers.Rescaling(1 / 255), layers.Conv2D(4, 3),
                                layers.GlobalAveragePooling2D(), layers.Dense(3)])  # fmt: skip
    model.compile("adam", fitorch.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()


# ---------------------------------------------------------------------- text
def write_texts(root):
    texts = {}
    for name, count in (("neg", 3), ("pos", 4)):
        os.makedirs(os.path.join(root, name))
        for index in range(count):
            path = os.path.join(root, name, f"{index}.txt")
            with open(path, "w", encoding="utf-8") as file:
                file.write(f"{name} review number {index} é")
            texts[path] = f"{name} review number {index} é"
    with open(os.path.join(root, "pos", "skip.md"), "w") as file:
        file.write("ignored")
    return texts


def test_text_dataset_matches_keras_indexing(tmp_path):
    texts = write_texts(str(tmp_path))
    ds = utils.text_dataset_from_directory(tmp_path, shuffle=False, batch_size=3, verbose=False)
    paths, labels, class_names = keras_index(str(tmp_path), (".txt",), shuffle=False)
    found = [
        (t, int(label)) for batch_texts, batch_labels in ds for t, label in zip(batch_texts, batch_labels, strict=True)
    ]
    assert found == [(texts[p], int(label)) for p, label in zip(paths, labels, strict=True)]
    assert ds.class_names == class_names == ["neg", "pos"]
    train, val = utils.text_dataset_from_directory(tmp_path, validation_split=0.3, subset="both", seed=2, verbose=False)
    k_paths, k_labels, _ = keras_index(str(tmp_path), (".txt",), shuffle=True, seed=2)
    k_val = keras_dataset_utils.get_training_or_validation_split(k_paths, k_labels, 0.3, "validation")
    val_texts = sorted(t for batch, _ in val for t in batch)
    assert val_texts == sorted(texts[p] for p in k_val[0]) and len(train.dataset) + len(val.dataset) == 7


def test_text_max_length_and_label_modes(tmp_path):
    write_texts(str(tmp_path))
    texts, labels = next(iter(utils.text_dataset_from_directory(
        tmp_path, max_length=3, label_mode="binary", shuffle=False, batch_size=None, verbose=False
    )))  # fmt: skip
    assert texts == "neg" and labels.tolist() == [0.0]
    only = next(iter(utils.text_dataset_from_directory(tmp_path, labels=None, shuffle=False, verbose=False)))
    assert isinstance(only, list) and len(only) == 7
