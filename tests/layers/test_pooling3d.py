import pytest
import torch

from fitorch import layers
from fitorch.layers import pooling
from fitorch.layers.pooling import (
    AveragePooling3D,
    GlobalAveragePooling3D,
    GlobalMaxPooling3D,
    MaxPooling3D,
)
from tests.layers.harness import keras, run_layer_test


def check_against_keras(name, input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: getattr(pooling, name)(**kwargs),
        input_shape,
        lambda: getattr(keras().layers, name)(**kwargs),
        check_compile=check_compile,
    )


CASES_3D = [
    # (pool_size, strides, padding); the input is (2, 6, 7, 8, 3): even and odd sizes
    (2, None, "valid"),
    ((3, 2, 2), (2, 1, 3), "valid"),
    (2, None, "same"),  # asymmetric on the odd axis only
    (3, 2, "same"),  # symmetric on 7, asymmetric on 6 and 8
    (3, 1, "same"),  # symmetric everywhere: the border means leave the padding out
    ((3, 1, 2), 1, "same"),
]


@pytest.mark.parametrize("pool_size, strides, padding", CASES_3D)
@pytest.mark.parametrize("name", ["MaxPooling3D", "AveragePooling3D"])
def test_pooling3d_matches_keras(name, pool_size, strides, padding):
    check_against_keras(name, (2, 6, 7, 8, 3), pool_size=pool_size, strides=strides, padding=padding)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("name", ["MaxPooling3D", "AveragePooling3D"])
def test_pooling3d_channels_first_matches_keras(name, padding):
    check_against_keras(name, (2, 3, 5, 6, 7), pool_size=2, strides=2, padding=padding,
                        data_format="channels_first")


def test_pooling3d_compiles():
    # asymmetric on 6, symmetric on 5 and 7: the replicate-padding path
    check_against_keras("AveragePooling3D", (2, 5, 6, 7, 3), check_compile=True, pool_size=3, strides=2,
                        padding="same")


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("name", ["GlobalAveragePooling3D", "GlobalMaxPooling3D"])
def test_global_pooling3d_matches_keras(name, data_format, keepdims):
    run_layer_test(
        lambda: getattr(pooling, name)(data_format=data_format, keepdims=keepdims),
        (2, 4, 5, 3, 6),
        lambda: getattr(keras().layers, name)(data_format=data_format, keepdims=keepdims),
        check_compile=keepdims and data_format == "channels_last",
    )


@pytest.mark.parametrize("layer", [MaxPooling3D(2), MaxPooling3D(3, strides=2, padding="same")])
def test_max_pooling3d_channels_last_makes_no_copies(layer):
    x = torch.randn(2, 7, 7, 7, 16)  # 'same' pads (1, 1): torch's kernel pads, nothing is copied
    layer(x)
    with torch.profiler.profile() as profile:
        out = layer(x)
    copies = {"aten::copy_", "aten::clone", "aten::contiguous", "aten::_to_copy"}
    assert not copies & {event.name for event in profile.events()}
    assert out.is_contiguous()


def test_pooling3d_shapes():
    assert MaxPooling3D()(layers.Input((None, 9, 8, 3))).shape == (None, None, 4, 4, 3)
    assert AveragePooling3D(3, 2, "same")(layers.Input((9, 8, 7, 3))).shape == (None, 5, 4, 4, 3)
    assert MaxPooling3D((3, 2, 1)).strides == (3, 2, 1)
    assert GlobalAveragePooling3D()(layers.Input((None, 4, 5, 8))).shape == (None, 8)
    layer = GlobalMaxPooling3D(data_format="channels_first", keepdims=True)
    assert layer.compute_output_shape((None, 6, None, 4, 5)) == (None, 6, 1, 1, 1)


@pytest.mark.parametrize(
    "cls, kwargs, message",
    [
        (MaxPooling3D, {"pool_size": (2, 2)},
         r"MaxPooling3D 'p': pool_size must be a positive int or a tuple of 3 positive ints; "
         r"received pool_size=\(2, 2\)"),
        (AveragePooling3D, {"strides": 0}, r"AveragePooling3D 'p': strides must be .*; received strides=0"),
        (AveragePooling3D, {"padding": "causal"}, r"padding must be one of \('valid', 'same'\)"),
        (GlobalMaxPooling3D, {"keepdims": "yes"}, r"GlobalMaxPooling3D 'p': keepdims must be True or False"),
        (GlobalAveragePooling3D, {"data_format": "NDHWC"}, r"GlobalAveragePooling3D 'p': data_format must be"),
    ],
)
def test_pooling3d_rejects_bad_arguments(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(name="p", **kwargs)


def test_pooling3d_rejects_bad_inputs():
    with pytest.raises(ValueError, match=r"MaxPooling3D 'tiny': the input is smaller than pool_size=\(3, 3, 3\) "
                       r".*received input shape \(None, 8, 2, 8, 3\)"):
        MaxPooling3D(3, name="tiny")(layers.Input((8, 2, 8, 3)))
    with pytest.raises(ValueError, match=r"'rank' \(GlobalMaxPooling3D\) is incompatible: expected ndim=5"):
        GlobalMaxPooling3D(name="rank")(layers.Input((8, 8, 3)))
