"""fitorch.utils.bounding_boxes against keras.utils.bounding_boxes (torch backend) on random boxes in every
format: conversion, clipping, crop/pad, affine transforms, IoU/CIoU, delta encoding; plus the error messages."""

import inspect
import itertools

import numpy as np
import pytest
import torch

from fitorch.utils import bounding_boxes
from tests.layers.harness import keras, to_numpy

FORMATS = list(bounding_boxes.SUPPORTED_FORMATS)
ABSOLUTE = [f for f in FORMATS if not f.startswith("rel_")]
HEIGHT, WIDTH = 48, 64


def kb():
    return keras().utils.bounding_boxes


def random_xyxy(shape=(2, 5), seed=0):
    """Valid absolute xyxy boxes inside a HEIGHT x WIDTH image, some sticking out."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-8, WIDTH + 8, size=(*shape, 2)), axis=-1)
    y = np.sort(rng.uniform(-8, HEIGHT + 8, size=(*shape, 2)), axis=-1)
    return np.stack([x[..., 0], y[..., 0], x[..., 1], y[..., 1]], axis=-1).astype("float32")


def boxes_in(format, shape=(2, 5), seed=0):
    """Random boxes expressed in ``format`` (converted by Keras, so the input is Keras' own)."""
    xyxy = random_xyxy(shape, seed)
    return to_numpy(kb().convert_format(xyxy, source="xyxy", target=format, height=HEIGHT, width=WIDTH))


def assert_close(ours, theirs, atol=1e-4, rtol=1e-5):
    assert isinstance(ours, torch.Tensor)
    np.testing.assert_allclose(to_numpy(ours), to_numpy(theirs), atol=atol, rtol=rtol)


def test_same_public_functions_and_signatures_as_keras():
    theirs = sorted(name for name in dir(kb()) if not name.startswith("_"))
    assert sorted(bounding_boxes.__all__) == theirs
    for name in theirs:
        ours_sig, theirs_sig = inspect.signature(getattr(bounding_boxes, name)), inspect.signature(getattr(kb(), name))
        assert [(p.name, p.default) for p in ours_sig.parameters.values()] == [
            (p.name, p.default) for p in theirs_sig.parameters.values()
        ], name


@pytest.mark.parametrize("source,target", list(itertools.product(FORMATS, FORMATS)))
def test_convert_format_matches_keras(source, target):
    boxes = boxes_in(source)
    ours = bounding_boxes.convert_format(boxes, source=source, target=target, height=HEIGHT, width=WIDTH)
    theirs = kb().convert_format(boxes, source=source, target=target, height=HEIGHT, width=WIDTH)
    assert ours.shape == (2, 5, 4) and ours.dtype == torch.float32
    assert_close(ours, theirs)


def test_convert_format_dict_unbatched_dtype_and_case():
    boxes = boxes_in("xywh", shape=(5,))
    labels = np.arange(5)
    out = bounding_boxes.convert_format({"boxes": torch.from_numpy(boxes), "labels": labels}, "XYWH", "Center_YXHW")
    theirs = kb().convert_format({"boxes": boxes, "labels": labels}, "XYWH", "Center_YXHW")
    assert_close(out["boxes"], theirs["boxes"])
    assert out["labels"] is labels
    float64 = bounding_boxes.convert_format(boxes, "xywh", "yxyx", dtype="float64")
    assert float64.dtype == torch.float64
    assert_close(float64, kb().convert_format(boxes, "xywh", "yxyx", dtype="float64"))


@pytest.mark.parametrize("format", ["xyxy", "rel_xyxy"])
@pytest.mark.parametrize("batched", [True, False])
def test_clip_to_image_size_matches_keras(format, batched):
    xyxy = random_xyxy(shape=(2, 6) if batched else (6,), seed=1)
    xyxy[..., 0, :] = [WIDTH + 1, 2, WIDTH + 5, 9]  # right of the image: no area left after clipping
    boxes = to_numpy(kb().convert_format(xyxy, source="xyxy", target=format, height=HEIGHT, width=WIDTH))
    labels = np.arange(boxes.size // 4).reshape(boxes.shape[:-1])
    size = {"height": HEIGHT, "width": WIDTH} if format == "xyxy" else {}
    ours = bounding_boxes.clip_to_image_size({"boxes": boxes, "labels": labels}, bounding_box_format=format, **size)
    theirs = kb().clip_to_image_size({"boxes": boxes, "labels": labels}, bounding_box_format=format, **size)
    assert_close(ours["boxes"], theirs["boxes"])
    np.testing.assert_array_equal(to_numpy(ours["labels"]), to_numpy(theirs["labels"]))
    assert (to_numpy(ours["labels"]) == -1).any()  # some boxes lie fully outside the image


def test_clip_to_image_size_without_labels():
    boxes = boxes_in("xyxy", seed=2)
    ours = bounding_boxes.clip_to_image_size({"boxes": boxes}, height=HEIGHT, width=WIDTH)
    theirs = kb().clip_to_image_size({"boxes": boxes}, height=HEIGHT, width=WIDTH)
    assert_close(ours["boxes"], theirs["boxes"])
    assert "labels" not in ours


def test_crop_and_pad_match_keras():
    boxes = random_xyxy(seed=3)
    assert_close(bounding_boxes.crop(boxes, 5, 7, 30, 40), kb().crop(boxes, 5, 7, 30, 40))
    # Keras fails on height=width=None (clip to None); NumPy is the oracle there: shift, then clip below at 0.
    expected = np.maximum(boxes[0] - np.array([7, 5, 7, 5], "float32"), 0)
    assert_close(bounding_boxes.crop(boxes[0], 5, 7, None, None), expected)
    assert_close(bounding_boxes.pad(boxes, 3, 11), kb().pad(boxes, 3, 11))


def test_affine_transform_matches_keras():
    boxes = random_xyxy(shape=(3, 4), seed=4)
    rng = np.random.default_rng(5)
    params = {name: torch.from_numpy(rng.uniform(low, high, size=3).astype("float32"))
              for name, (low, high) in {"angle": (-40, 40), "translate_x": (-0.2, 0.2), "translate_y": (-0.2, 0.2),
                                        "scale": (0.7, 1.3), "shear_x": (-20, 20), "shear_y": (-20, 20)}.items()}  # fmt: skip
    for center in ({}, {"center_x": 0.3, "center_y": 0.6}):
        ours = bounding_boxes.affine_transform(boxes, **params, height=HEIGHT, width=WIDTH, **center)
        theirs = kb().affine_transform(boxes, **params, height=HEIGHT, width=WIDTH, **center)
        assert ours.shape == (3, 4, 4)
        assert_close(ours, theirs, atol=1e-3)
    # Unbatched boxes and plain-number parameters: the first batch item of the batched call.
    single = {name: float(value[0]) for name, value in params.items()}
    ours = bounding_boxes.affine_transform(boxes[0], **single, height=HEIGHT, width=WIDTH)
    assert_close(ours, kb().affine_transform(boxes, **params, height=HEIGHT, width=WIDTH)[0], atol=1e-3)


@pytest.mark.parametrize("format", ABSOLUTE + ["rel_xyxy", "rel_yxyx"])
@pytest.mark.parametrize("ranks", [(2, 2), (3, 3), (3, 2), (2, 3)])
def test_compute_iou_matches_keras(format, ranks):
    shapes = [(2, 5) if rank == 3 else (5,) for rank in ranks]
    boxes1, boxes2 = boxes_in(format, shapes[0], seed=6), boxes_in(format, (2, 4) if ranks[1] == 3 else (4,), seed=7)
    boxes2[..., 0, :] = boxes1.reshape(-1, 4)[0]  # one exact match, IoU 1
    image_shape = (HEIGHT, WIDTH, 3) if format.startswith("rel") else None
    ours = bounding_boxes.compute_iou(boxes1, boxes2, format, image_shape=image_shape)
    theirs = kb().compute_iou(boxes1, boxes2, format, image_shape=image_shape)
    assert ours.shape == tuple(theirs.shape)
    assert_close(ours, theirs)


@pytest.mark.parametrize("ranks", [(2, 2), (3, 3), (2, 3)])
def test_compute_iou_masking_matches_keras(ranks):
    boxes1 = random_xyxy((2, 5) if ranks[0] == 3 else (5,), seed=8)
    boxes2 = random_xyxy((2, 4) if ranks[1] == 3 else (4,), seed=9)
    boxes1[..., -1, :] = -1.0  # padding
    boxes2[..., 1, :] = -1.0
    ours = bounding_boxes.compute_iou(boxes1, boxes2, "xyxy", use_masking=True, mask_val=-7)
    assert (to_numpy(ours)[..., -1, :] == -7).all() and (to_numpy(ours)[..., :, 1] == -7).all()
    if ranks != (2, 3):  # Keras' masking fails for unbatched boxes1 with batched boxes2
        assert_close(ours, kb().compute_iou(boxes1, boxes2, "xyxy", use_masking=True, mask_val=-7))


@pytest.mark.parametrize("format", ABSOLUTE)
def test_compute_ciou_matches_keras(format):
    boxes1, boxes2 = boxes_in(format, seed=10), boxes_in(format, seed=11)
    ours = bounding_boxes.compute_ciou(boxes1, boxes2, format)
    theirs = kb().compute_ciou(boxes1, boxes2, format)
    assert ours.shape == (2, 5)
    assert_close(ours, theirs)


@pytest.mark.parametrize("encoding", ["center_yxhw", "center_xywh"])
@pytest.mark.parametrize("box_format", ["xyxy", "center_xywh", "rel_yxyx"])
@pytest.mark.parametrize("variance", [None, [0.1, 0.1, 0.2, 0.2]])
def test_encode_and_decode_match_keras(encoding, box_format, variance):
    anchors = boxes_in("xywh", shape=(5,), seed=12)
    boxes = boxes_in(box_format, seed=13)
    options = {"variance": variance, "image_shape": (HEIGHT, WIDTH, 3)}
    ours = bounding_boxes.encode_box_to_deltas(anchors, boxes, "xywh", box_format, encoding, **options)
    theirs = kb().encode_box_to_deltas(anchors, boxes, "xywh", box_format, encoding, **options)
    assert_close(ours, theirs)
    decoded = bounding_boxes.decode_deltas_to_boxes(anchors, ours, "xywh", box_format, encoding, **options)
    assert_close(decoded, kb().decode_deltas_to_boxes(anchors, theirs, "xywh", box_format, encoding, **options))
    assert_close(decoded, boxes, atol=1e-3)  # decoding inverts encoding


def test_decode_deltas_per_level_dict():
    anchors = {"P3": boxes_in("xyxy", (5,), seed=14), "P4": boxes_in("xyxy", (3,), seed=15)}
    deltas = {level: torch.from_numpy(np.random.default_rng(16).normal(size=(2, len(a), 4)).astype("float32") * 0.1)
              for level, a in anchors.items()}  # fmt: skip
    ours = bounding_boxes.decode_deltas_to_boxes(anchors, deltas, "xyxy", "yxyx")
    theirs = kb().decode_deltas_to_boxes(anchors, deltas, "xyxy", "yxyx")
    assert set(ours) == {"P3", "P4"}
    for level in anchors:
        assert_close(ours[level], theirs[level])


def test_numpy_and_list_inputs_give_tensors():
    out = bounding_boxes.convert_format([[0, 0, 4, 2]], "xyxy", "center_xywh")
    assert isinstance(out, torch.Tensor)
    torch.testing.assert_close(out, torch.tensor([[2.0, 1.0, 4.0, 2.0]]))


def test_errors_name_the_function_argument_and_value():
    boxes = random_xyxy()
    with pytest.raises(ValueError, match=r"convert_format: `source` must be one of .* received source='xyzw'"):
        bounding_boxes.convert_format(boxes, "xyzw", "xyxy")
    with pytest.raises(ValueError, match=r"convert_format: `boxes` must have a last axis of size 4.*\(2, 5, 3\)"):
        bounding_boxes.convert_format(boxes[..., :3], "xyxy", "yxyx")
    with pytest.raises(ValueError, match=r"convert_format: `height` and `width` are required.*rel_xyxy"):
        bounding_boxes.convert_format(boxes, "xyxy", "rel_xyxy", height=10)
    with pytest.raises(ValueError, match=r"clip_to_image_size: `height` and `width` are required"):
        bounding_boxes.clip_to_image_size({"boxes": boxes})
    with pytest.raises(TypeError, match=r"clip_to_image_size: `bounding_boxes` must be a dict.*ndarray"):
        bounding_boxes.clip_to_image_size(boxes, height=1, width=1)
    with pytest.raises(
        ValueError, match=r"clip_to_image_size: bounding_box_format must be 'xyxy' or 'rel_xyxy'.*'xywh'"
    ):
        bounding_boxes.clip_to_image_size({"boxes": boxes}, 1, 1, bounding_box_format="xywh")
    for function, args in ((bounding_boxes.crop, (0, 0, 1, 1)), (bounding_boxes.pad, (0, 0))):
        with pytest.raises(ValueError, match=rf"{function.__name__}: only bounding_box_format='xyxy'.*'yxyx'"):
            function(boxes, *args, bounding_box_format="yxyx")
    with pytest.raises(ValueError, match=r"affine_transform: only bounding_box_format='xyxy'"):
        bounding_boxes.affine_transform(boxes, 0.0, 0, 0, 1, 0, 0, 10, 10, bounding_box_format="rel_xyxy")
    with pytest.raises(ValueError, match=r"compute_iou: `boxes1` must be \(N, 4\) or \(batch, N, 4\).*\(4,\)"):
        bounding_boxes.compute_iou(boxes[0, 0], boxes, "xyxy")
    with pytest.raises(ValueError, match=r"compute_iou: `image_shape` is required.*'rel_xyxy'"):
        bounding_boxes.compute_iou(boxes, boxes, "rel_xyxy")
    with pytest.raises(ValueError, match=r"compute_ciou: relative bounding box formats are not supported.*rel_xywh"):
        bounding_boxes.compute_ciou(boxes, boxes, "rel_xywh")
    with pytest.raises(ValueError, match=r"encode_box_to_deltas: `variance` must have length 4.*\[1.0, 2.0\]"):
        bounding_boxes.encode_box_to_deltas(boxes[0], boxes, "xyxy", "xyxy", variance=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"encode_box_to_deltas: `encoding_format` must be .* received .*'xyxy'"):
        bounding_boxes.encode_box_to_deltas(boxes[0], boxes, "xyxy", "xyxy", encoding_format="xyxy")
    with pytest.raises(ValueError, match=r"decode_deltas_to_boxes: `encoded_format` must be .*'yxyx'"):
        bounding_boxes.decode_deltas_to_boxes(boxes[0], boxes, "xyxy", "xyxy", encoded_format="yxyx")
    with pytest.raises(ValueError, match=r"decode_deltas_to_boxes: `image_shape` must be \(height, width, channels\)"):
        bounding_boxes.decode_deltas_to_boxes(boxes[0], boxes, "xyxy", "rel_xyxy", image_shape=(10, 10))
