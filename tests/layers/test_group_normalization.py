import numpy as np
import pytest
import torch

from fitorch import layers
from fitorch.layers.normalization import GroupNormalization
from tests.layers.harness import keras, make_input, run_layer_test


@pytest.mark.parametrize(
    "kwargs, shape",
    [
        ({"groups": 2}, (2, 6)),
        ({"groups": 3}, (2, 5, 6)),
        ({"groups": 2}, (2, 4, 4, 6)),  # channels_last images
        ({"groups": 2, "axis": 1}, (2, 6, 4, 4)),  # channels_first images
        ({"groups": 3, "axis": 2}, (2, 3, 6, 4)),
        ({"groups": -1, "center": False}, (2, 5, 6)),  # instance normalization
        ({"groups": 1, "scale": False, "epsilon": 1e-5}, (2, 5, 6)),
        ({"groups": 2, "scale": False}, (2, 4, 4, 6)),
    ],
)
def test_group_normalization_matches_keras(kwargs, shape):
    run_layer_test(
        lambda: GroupNormalization(**kwargs),
        shape,
        lambda: keras().layers.GroupNormalization(**kwargs),
        input_data=1.0 + 3.0 * make_input(shape),
    )


def test_default_groups_is_32():
    layer = GroupNormalization()
    assert layer.groups == 32
    layer(torch.randn(2, 4, 64))
    assert layer._groups == 32


def test_statistics_come_from_each_group_of_each_example():
    x = torch.randn(3, 5, 8) * torch.arange(1.0, 9.0)
    y = GroupNormalization(groups=2, epsilon=1e-5)(x).detach()
    group = y[1, :, 4:]
    torch.testing.assert_close(group.mean(), torch.tensor(0.0), atol=1e-5, rtol=0)
    torch.testing.assert_close(group.var(correction=0), torch.tensor(1.0), atol=1e-3, rtol=0)


def test_channels_not_divisible_by_groups_is_explained():
    with pytest.raises(ValueError, match=r"GroupNormalization 'gn': the number of channels \(6\) must be a multiple "
                       r"of groups \(4\)"):
        GroupNormalization(groups=4, name="gn")(torch.zeros(2, 6))


def test_symbolic_mismatch_names_the_channels():
    layer = GroupNormalization(groups=2, name="gn2")
    layer(layers.Input(shape=(5, 6)))
    with pytest.raises(ValueError, match=r"'gn2' \(GroupNormalization\) is incompatible: expected last axis = 6"):
        layer(layers.Input(shape=(5, 8)))


@pytest.mark.parametrize("groups", [0, -2, 2.0])
def test_bad_groups(groups):
    with pytest.raises(ValueError, match="groups must be a positive int"):
        GroupNormalization(groups=groups)


def test_batch_axis_is_not_a_channel_axis():
    with pytest.raises(ValueError, match=r"axis=0 is not a channel axis of inputs of rank 3"):
        GroupNormalization(groups=1, axis=0)(torch.zeros(2, 3, 4))


def test_constant_groups_normalize_to_zero():
    x = np.ones((2, 4, 6), dtype="float32")
    out = GroupNormalization(groups=3)(torch.from_numpy(x))
    assert float(out.detach().abs().max()) == 0.0
