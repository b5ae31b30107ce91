"""MaxNumBoundingBoxes against Keras 3: truncation and padding of boxes and labels, batched and single images,
pass-through of the other entries, the config round trip, symbolic shapes and the error messages."""

import copy
import json

import numpy as np
import pytest
import torch

from fitorch import layers
from tests.layers.harness import keras, to_numpy


def detection_batch(num_boxes, batched=True, seed=0):
    rng = np.random.default_rng(seed)
    lead = (2,) if batched else ()
    return {
        "images": rng.uniform(0, 255, size=(*lead, 8, 8, 3)).astype("float32"),
        "bounding_boxes": {
            "boxes": rng.uniform(0, 8, size=(*lead, num_boxes, 4)).astype("float32"),
            "labels": rng.integers(0, 5, size=(*lead, num_boxes)),
        },
    }


@pytest.mark.parametrize("num_boxes", [1, 3, 6])
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("fill_value", [-1, 0])
def test_matches_keras(num_boxes, batched, fill_value):
    data = detection_batch(num_boxes, batched)
    ours = layers.MaxNumBoundingBoxes(max_number=3, fill_value=fill_value)(copy.deepcopy(data))
    # Keras requires a bounding_box_format to accept 'bounding_boxes'; the padding ignores it.
    theirs = keras().layers.MaxNumBoundingBoxes(max_number=3, fill_value=fill_value, bounding_box_format="xyxy")(
        copy.deepcopy(data)
    )
    for key in ("boxes", "labels"):
        mine, reference = ours["bounding_boxes"][key], theirs["bounding_boxes"][key]
        assert isinstance(mine, torch.Tensor) and tuple(mine.shape) == tuple(reference.shape)
        assert mine.dtype == reference.dtype
        np.testing.assert_array_equal(to_numpy(mine), to_numpy(reference))
    np.testing.assert_array_equal(to_numpy(ours["images"]), data["images"])


def test_inference_and_other_entries_pass_through():
    data = detection_batch(5)
    data["labels"] = np.array([0, 1])
    out = layers.MaxNumBoundingBoxes(max_number=2).eval()(data)
    assert tuple(out["bounding_boxes"]["boxes"].shape) == (2, 2, 4)  # applied at inference too, like Keras
    assert out["labels"] is data["labels"] and out["images"] is data["images"]
    assert data["bounding_boxes"]["boxes"].shape == (2, 5, 4)  # the input dict is not changed
    images = torch.rand(2, 8, 8, 3)
    assert layers.MaxNumBoundingBoxes(max_number=2)(images) is images


def test_config_round_trip():
    layer = layers.MaxNumBoundingBoxes(max_number=4, fill_value=-2, bounding_box_format="yxyx", name="boxes_4")
    config = layer.get_config()
    assert config["max_number"] == 4 and config["fill_value"] == -2 and config["bounding_box_format"] == "yxyx"
    rebuilt = layers.MaxNumBoundingBoxes.from_config(json.loads(json.dumps(config)))
    assert rebuilt.get_config() == config
    data = detection_batch(2)
    torch.testing.assert_close(rebuilt(data)["bounding_boxes"]["boxes"], layer(data)["bounding_boxes"]["boxes"])


def test_compute_output_shape_matches_keras():
    shapes = {"images": (None, 8, 8, 3), "bounding_boxes": {"boxes": (None, 7, 4), "labels": (None, 7)}}
    ours = layers.MaxNumBoundingBoxes(max_number=3).compute_output_shape(copy.deepcopy(shapes))
    theirs = keras().layers.MaxNumBoundingBoxes(max_number=3).compute_output_shape(copy.deepcopy(shapes))
    assert ours["images"] == tuple(theirs["images"])
    assert {k: tuple(v) for k, v in ours["bounding_boxes"].items()} == {
        k: tuple(v) for k, v in theirs["bounding_boxes"].items()
    }


def test_errors():
    with pytest.raises(
        ValueError, match=r"MaxNumBoundingBoxes 'm': max_number must be an int > 0; received max_number=0"
    ):
        layers.MaxNumBoundingBoxes(max_number=0, name="m")
    with pytest.raises(ValueError, match=r"fill_value must be an int; received fill_value=0.5"):
        layers.MaxNumBoundingBoxes(max_number=2, fill_value=0.5)
    layer = layers.MaxNumBoundingBoxes(max_number=2, name="m")
    with pytest.raises(ValueError, match=r"'m': a dict input may only have the keys .* unknown keys \['boxes'\]"):
        layer({"boxes": torch.zeros(1, 2, 4)})
    with pytest.raises(
        ValueError, match=r"'bounding_boxes' must be a dict with the keys 'boxes' and 'labels'.*\['boxes'\]"
    ):
        layer({"bounding_boxes": {"boxes": torch.zeros(1, 2, 4)}})
    with pytest.raises(ValueError, match=r"received boxes.shape=\(1, 2, 3\), labels.shape=\(1, 2\)"):
        layer({"bounding_boxes": {"boxes": torch.zeros(1, 2, 3), "labels": torch.zeros(1, 2)}})
    with pytest.raises(ValueError, match=r"only 'boxes' and 'labels' are supported.*\['masks'\]"):
        layer.compute_output_shape({"bounding_boxes": {"boxes": (None, 2, 4), "labels": (None, 2), "masks": (None,)}})


def test_symbolic_call_gives_the_eager_shapes():
    boxes, labels = layers.Input(shape=(7, 4)), layers.Input(shape=(7,), dtype="int64")
    out = layers.MaxNumBoundingBoxes(max_number=3)({"bounding_boxes": {"boxes": boxes, "labels": labels}})
    assert tuple(out["bounding_boxes"]["boxes"].shape) == (None, 3, 4)
    assert tuple(out["bounding_boxes"]["labels"].shape) == (None, 3)
