import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from fitorch import layers
from fitorch.layers import convolutional
from fitorch.layers.convolutional import Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
from tests.layers.harness import keras, make_input, run_layer_test


def check_against_keras(name, input_shape, check_compile=False, **kwargs):
    return run_layer_test(
        lambda: getattr(convolutional, name)(**kwargs),
        input_shape,
        lambda: getattr(keras().layers, name)(**kwargs),
        check_compile=check_compile,
    )


# (kernel_size, strides, output_padding); the input has an odd and an even spatial size.
CASES_2D = [
    (k, s, p)
    for k, s in itertools.product([3, 4], [2, 3])
    for p in [None, 0, s - 1]
]


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel_size, strides, output_padding", CASES_2D)
def test_conv2d_transpose_matches_keras(kernel_size, strides, output_padding, padding):
    layer = check_against_keras(
        "Conv2DTranspose", (2, 5, 6, 3), filters=4, kernel_size=kernel_size, strides=strides, padding=padding,
        output_padding=output_padding,
    )
    if padding == "same" and output_padding is None:
        assert layer(torch.zeros(2, 5, 6, 3)).shape == (2, 5 * strides, 6 * strides, 4)


@pytest.mark.parametrize(
    "kernel_size, strides, output_padding, padding",
    [((3, 4), (2, 3), (1, 2), "same"), ((1, 5), (3, 2), (0, 1), "valid"), ((2, 5), (3, 1), None, "same"),
     (1, 2, None, "same"), (2, 3, None, "valid")],
)
def test_conv2d_transpose_per_axis_arguments_match_keras(kernel_size, strides, output_padding, padding):
    check_against_keras(
        "Conv2DTranspose", (2, 4, 7, 3), filters=3, kernel_size=kernel_size, strides=strides, padding=padding,
        output_padding=output_padding,
    )


@pytest.mark.parametrize("steps", [5, 6])
@pytest.mark.parametrize("kernel_size, strides, output_padding", [(3, 2, None), (3, 2, 1), (4, 2, None),
                                                                  (5, 3, None), (4, 3, 2), (2, 2, 0)])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv1d_transpose_matches_keras(padding, kernel_size, strides, output_padding, steps):
    check_against_keras(
        "Conv1DTranspose", (2, steps, 3), filters=4, kernel_size=kernel_size, strides=strides, padding=padding,
        output_padding=output_padding,
    )


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel_size, strides, output_padding", [(3, 2, None), (2, 3, 1), (3, (2, 3, 1), 1)])
def test_conv3d_transpose_matches_keras(padding, kernel_size, strides, output_padding):
    if output_padding is not None and strides == (2, 3, 1):
        output_padding = (1, 2, 0)
    check_against_keras(
        "Conv3DTranspose", (2, 3, 4, 5, 2), filters=3, kernel_size=kernel_size, strides=strides, padding=padding,
        output_padding=output_padding,
    )


@pytest.mark.parametrize("name, shape", [("Conv1DTranspose", (2, 9, 3)), ("Conv2DTranspose", (2, 6, 7, 3))])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv_transpose_dilation_matches_keras(name, shape, padding):
    check_against_keras(name, shape, filters=4, kernel_size=3, dilation_rate=2, padding=padding)


@pytest.mark.parametrize("name, shape", [("Conv1DTranspose", (2, 3, 7)), ("Conv2DTranspose", (2, 3, 5, 6)),
                                         ("Conv3DTranspose", (2, 3, 3, 4, 5))])
@pytest.mark.parametrize("output_padding", [None, 1])
def test_conv_transpose_channels_first_matches_keras(name, shape, output_padding):
    check_against_keras(name, shape, filters=4, kernel_size=3, strides=2, padding="same",
                        output_padding=output_padding, data_format="channels_first")


@pytest.mark.parametrize("kernel_size", [3, 4])  # 3 slices the result, 4 runs in torch's kernel alone
def test_conv2d_transpose_compiles_and_matches_keras(kernel_size):
    check_against_keras("Conv2DTranspose", (2, 5, 6, 3), check_compile=True, filters=4, kernel_size=kernel_size,
                        strides=2, padding="same")


def test_conv_transpose_activation_without_bias_matches_keras():
    layer = check_against_keras("Conv2DTranspose", (2, 5, 5, 3), filters=4, kernel_size=3, strides=2,
                                padding="same", activation="relu", use_bias=False)
    assert layer.bias is None and len(layer.get_weights()) == 1


def test_conv1d_transpose_every_small_configuration_matches_keras():
    # Keras' (JAX-style) 'same'/'valid'/output_padding arithmetic, checked exhaustively on small cases.
    checked = 0
    for size, kernel_size, strides, padding in itertools.product([1, 2, 5], [1, 2, 3, 4, 5], [1, 2, 3, 4],
                                                                  ["valid", "same"]):
        for output_padding in [None, *range(strides)]:
            kwargs = dict(filters=2, kernel_size=kernel_size, strides=strides, padding=padding,
                          output_padding=output_padding)
            if not _nonempty(size, **kwargs):
                continue  # covered by test_conv_transpose_rejects_empty_outputs_and_wrong_inputs
            layer = Conv1DTranspose(**kwargs)
            x = make_input((1, size, 2))
            keras_layer = keras().layers.Conv1DTranspose(**kwargs, bias_initializer="random_normal")
            keras_layer.build(x.shape)
            layer(torch.from_numpy(x))
            layer.set_weights([np.asarray(w) for w in keras_layer.get_weights()])
            expected = keras().ops.convert_to_numpy(keras_layer(x))
            np.testing.assert_allclose(layer(torch.from_numpy(x)).detach().numpy(), expected, atol=1e-5,
                                       err_msg=str(kwargs))
            checked += 1
    assert checked > 250


def _nonempty(size, **kwargs):
    try:
        Conv1DTranspose(**kwargs).compute_output_shape((1, size, 2))
    except ValueError:
        return False
    return True


def test_conv2d_transpose_valid_state_dict_loads_into_nn_conv_transpose2d():
    layer = Conv2DTranspose(6, (3, 2), strides=2, data_format="channels_first")
    x = torch.randn(2, 4, 5, 6)
    out = layer(x)
    conv = nn.ConvTranspose2d(4, 6, (3, 2), stride=2)
    conv.load_state_dict(layer.state_dict())
    torch.testing.assert_close(conv(x), out)
    assert layer.get_weights()[0].shape == (3, 2, 6, 4)  # Keras' (kh, kw, filters, in)


def test_conv2d_transpose_same_slices_instead_of_copying(monkeypatch):
    seen = {}
    original = F.conv_transpose2d

    def spy(inputs, *args, **kwargs):
        seen["input"] = inputs
        seen["output"] = original(inputs, *args, **kwargs)
        return seen["output"]

    x = torch.randn(2, 5, 6, 8)
    layer = Conv2DTranspose(4, 3, strides=2, padding="same")
    layer(x)
    monkeypatch.setattr(F, "conv_transpose2d", spy)
    out = layer(x)
    assert seen["input"].data_ptr() == x.data_ptr()  # the NCHW view of the user's NHWC tensor
    assert seen["output"].shape == (2, 4, 11, 13)  # torch's full result, one row/column more at the end
    assert out.shape == (2, 10, 12, 4) and out.data_ptr() == seen["output"].data_ptr()  # a view of it


def test_conv_transpose_symbolic_shapes():
    assert Conv2DTranspose(8, 3, strides=2, padding="same")(layers.Input((None, 9, 3))).shape == (None, None, 18, 8)
    assert Conv2DTranspose(8, 3, strides=2)(layers.Input((4, 5, 3))).shape == (None, 9, 11, 8)
    assert Conv1DTranspose(8, 2, strides=3)(layers.Input((4, 3))).shape == (None, 12, 8)
    layer = Conv3DTranspose(8, 3, 2, "same", "channels_first", 1)  # Keras' positional order
    assert layer.output_padding == (1, 1, 1) and layer.data_format == "channels_first"
    assert layer.compute_output_shape((None, 3, 4, None, 5)) == (None, 8, 8, None, 10)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"filters": 0, "kernel_size": 3}, r"Conv2DTranspose 'c': filters must be a positive int; received filters=0"),
        ({"filters": 4, "kernel_size": 3, "strides": 2, "output_padding": 2},
         r"Conv2DTranspose 'c': each output_padding must be smaller than its stride; received "
         r"output_padding=\(2, 2\) with strides=\(2, 2\)"),
        ({"filters": 4, "kernel_size": 3, "output_padding": -1},
         r"output_padding must be a non-negative int or a tuple of 2 non-negative ints; received output_padding=-1"),
        ({"filters": 4, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
         r"strides > 1 cannot be combined with dilation_rate > 1 \(as in Keras\); received strides=\(2, 2\) and "
         r"dilation_rate=\(2, 2\)"),
        ({"filters": 4, "kernel_size": 3, "padding": "causal"},
         r"padding must be one of \('valid', 'same'\); received padding='causal'"),
    ],
)
def test_conv_transpose_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Conv2DTranspose(name="c", **kwargs)


def test_conv_transpose_rejects_empty_outputs_and_wrong_inputs():
    # Keras returns an empty tensor here; fitorch says why at model definition.
    with pytest.raises(ValueError, match=r"Conv1DTranspose 'e': the output would be empty \(spatial sizes \(0,\)\) "
                       r"for input shape \(None, 1, 3\) with kernel_size=\(2,\), strides=\(2,\), padding='same' "
                       r"and output_padding=\(0,\)"):
        Conv1DTranspose(4, 2, strides=2, padding="same", output_padding=0, name="e")(layers.Input((1, 3)))
    with pytest.raises(ValueError, match=r"'r' \(Conv2DTranspose\) is incompatible: expected ndim=4, received ndim=3"):
        Conv2DTranspose(4, 3, name="r")(layers.Input((8, 3)))
    layer = Conv2DTranspose(4, 3, name="ch")
    layer(layers.Input((5, 5, 3)))
    with pytest.raises(ValueError, match=r"'ch' \(Conv2DTranspose\) is incompatible: expected last axis = 3"):
        layer(torch.zeros(1, 5, 5, 2))
