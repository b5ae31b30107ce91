"""ConvLSTM1D and ConvLSTM3D (ConvLSTM2D's shared base at ranks 1 and 3) against Keras 3."""

import numpy as np
import pytest
import torch

from fitorch.layers.recurrent import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from fitorch.layers.recurrent.base_conv_lstm import BaseConvLSTM
from tests.layers.harness import keras, make_input, run_layer_test, to_numpy

MASK = np.array([[1, 1, 0, 1], [1, 1, 1, 0]], dtype=bool)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"padding": "same", "return_sequences": True},
        {"strides": 2, "padding": "same", "return_state": True},
        {"dilation_rate": 2, "use_bias": False, "go_backwards": True, "return_sequences": True},
        {"activation": "relu", "recurrent_activation": "hard_sigmoid", "return_state": True},
    ],
)
def test_conv_lstm1d_matches_keras(kwargs):
    run_layer_test(
        lambda: ConvLSTM1D(3, 3, **kwargs),
        (2, 4, 9, 2),
        lambda: keras().layers.ConvLSTM1D(3, 3, **kwargs),
        check_compile=False,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"return_sequences": True},
        {"kernel_size": (2, 3, 1), "padding": "same", "strides": (1, 2, 1), "return_state": True},
    ],
)
def test_conv_lstm3d_matches_keras(kwargs):
    kwargs = dict(kwargs)
    kernel_size = kwargs.pop("kernel_size", 2)
    run_layer_test(
        lambda: ConvLSTM3D(2, kernel_size, **kwargs),
        (2, 3, 4, 5, 4, 2),
        lambda: keras().layers.ConvLSTM3D(2, kernel_size, **kwargs),
        check_compile=False,
    )


@pytest.mark.parametrize(
    ("cls", "keras_name", "shape"),
    [(ConvLSTM1D, "ConvLSTM1D", (2, 3, 2, 6)), (ConvLSTM3D, "ConvLSTM3D", (2, 3, 2, 3, 4, 3))],
)
def test_channels_first_matches_keras(cls, keras_name, shape):
    run_layer_test(
        lambda: cls(2, 3, data_format="channels_first", padding="same", return_sequences=True),
        shape,
        lambda: getattr(keras().layers, keras_name)(
            2, 3, data_format="channels_first", padding="same", return_sequences=True
        ),
        check_compile=False,
    )


def test_conv_lstm1d_mask_and_initial_state_match_keras():
    k = keras()
    x = make_input((2, 4, 6, 2))
    layer = ConvLSTM1D(3, 3, padding="same", return_sequences=True, return_state=True)
    h0, c0 = make_input((2, 6, 3)), make_input((2, 6, 3)) * 0.5
    ours = layer(
        torch.from_numpy(x), initial_state=[torch.from_numpy(h0), torch.from_numpy(c0)], mask=torch.from_numpy(MASK)
    )
    keras_layer = k.layers.ConvLSTM1D(3, 3, padding="same", return_sequences=True, return_state=True)
    keras_layer.build(x.shape)
    keras_layer.set_weights(layer.get_weights())
    theirs = keras_layer(x, initial_state=[h0, c0], mask=MASK)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), atol=1e-5, rtol=1e-5)


def test_weight_layouts_match_keras():
    k = keras()
    for layer, keras_layer, shape in (
        (ConvLSTM1D(4, 3), k.layers.ConvLSTM1D(4, 3), (1, 2, 7, 5)),
        (ConvLSTM3D(4, (1, 2, 3)), k.layers.ConvLSTM3D(4, (1, 2, 3)), (1, 2, 3, 4, 5, 5)),
    ):
        layer(torch.zeros(shape))
        keras_layer.build(shape)
        assert [w.shape for w in layer.get_weights()] == [tuple(w.shape) for w in keras_layer.get_weights()]
    assert ConvLSTM3D(4, (1, 2, 3)).rank == 3 and issubclass(ConvLSTM2D, BaseConvLSTM)


@pytest.mark.parametrize(
    ("make", "shape", "match"),
    [
        (lambda: ConvLSTM1D(2, 3), (2, 4, 5, 6, 1), "expected an input of rank 4, \\(batch, time, steps, channels\\)"),
        (lambda: ConvLSTM3D(2, 3), (2, 4, 5, 1), "expected an input of rank 6, \\(batch, time, depth, rows, cols"),
        (lambda: ConvLSTM1D(2, 5), (2, 4, 3, 1), "the frames are too small for kernel_size=\\(5,\\)"),
    ],
)
def test_shape_errors(make, shape, match):
    with pytest.raises(ValueError, match=match):
        make().compute_output_shape(shape)


def test_wrong_rank_input_is_rejected_on_call():
    with pytest.raises(ValueError, match="ConvLSTM3D\\) is incompatible: expected ndim=6, received ndim=4"):
        ConvLSTM3D(2, 3)(torch.zeros(2, 4, 5, 1))


def test_argument_errors():
    with pytest.raises(ValueError, match="ConvLSTM3D 'conv_lstm3d.*kernel_size"):
        ConvLSTM3D(2, (3, 3))
    with pytest.raises(ValueError, match="ConvLSTM1D 'conv_lstm1d.*filters must be a positive int"):
        ConvLSTM1D(0, 3)
