import pytest
import torch

from fitorch import config
from fitorch.layers.core import Input
from fitorch.layers.reshaping import Flatten
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize("input_shape", [(2, 3, 4, 5), (2, 7), (3, 2, 4)])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_flatten_matches_keras(input_shape, data_format):
    run_layer_test(
        lambda: Flatten(data_format=data_format),
        input_shape,
        lambda: keras().layers.Flatten(data_format=data_format),
    )


def test_rank_1_inputs_become_batch_by_1():
    assert Flatten()(torch.zeros(5)).shape == (5, 1)
    assert Flatten()(Input(shape=())).shape == (None, 1)


def test_channels_last_is_a_view():
    x = torch.randn(2, 3, 4, 5)
    assert Flatten()(x).data_ptr() == x.data_ptr()


def test_channels_first_order_is_keras_order():
    x = torch.arange(24.0).reshape(1, 2, 3, 4)  # (batch, channels, h, w)
    expected = x.permute(0, 2, 3, 1).reshape(1, -1)
    torch.testing.assert_close(Flatten(data_format="channels_first")(x), expected)


def test_unknown_axis_gives_unknown_features():
    assert Flatten()(Input(shape=(None, 4))).shape == (None, None)


def test_data_format_defaults_to_the_global_setting():
    assert Flatten().data_format == config.image_data_format()


def test_bad_data_format_names_layer():
    with pytest.raises(ValueError, match=r"Flatten 'flat': data_format must be one of"):
        Flatten(data_format="nhwc", name="flat")
