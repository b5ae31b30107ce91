import numpy as np
import pytest
import torch

from fitorch.layers.core import Input
from fitorch.layers.merging import Dot
from tests.layers.harness import keras, run_layer_test


@pytest.mark.parametrize(
    "axes, shapes",
    [
        (1, [(3, 4), (3, 4)]),
        (-1, [(3, 4), (3, 4)]),
        ((1, 2), [(2, 5, 3), (2, 4, 5)]),
        ((2, 1), [(2, 4, 5), (2, 5, 3)]),
        (-1, [(2, 4, 5), (2, 3, 5)]),
        ((1, 1), [(2, 5), (2, 5, 3)]),
        ((2, 1), [(2, 3, 5), (2, 5)]),
        ((2, 3), [(2, 3, 4, 6), (2, 2, 5, 4)]),
        ((-2, 1), [(2, 3, 4, 6), (2, 4, 2)]),
    ],
)
@pytest.mark.parametrize("normalize", [False, True])
def test_dot_matches_keras(axes, shapes, normalize):
    run_layer_test(lambda: Dot(axes, normalize=normalize), shapes, lambda: keras().layers.Dot(axes, normalize=normalize))


def test_normalized_dot_is_cosine_similarity():
    x, y = torch.randn(6, 8), torch.randn(6, 8)
    expected = torch.nn.functional.cosine_similarity(x, y).unsqueeze(-1)
    torch.testing.assert_close(Dot(axes=-1, normalize=True)([x, y]), expected)


def test_zero_vectors_do_not_give_nan_when_normalized():
    out = Dot(1, normalize=True)([torch.zeros(2, 3), torch.ones(2, 3)])
    assert not out.isnan().any()


def test_symbolic_shape_matches_keras_output_shape():
    for axes, shapes in [((1, 2), [(5, 3), (4, 5)]), (1, [(4,), (4,)]), ((2, 1), [(3, 5), (5,)])]:
        ours = Dot(axes)([Input(shape=s) for s in shapes]).shape
        theirs = keras().layers.Dot(axes)([keras().Input(shape=s) for s in shapes]).shape
        assert tuple(ours) == tuple(theirs)


def test_config_round_trip_keeps_keras_keys():
    config = Dot(axes=(1, 2), normalize=True).get_config()
    assert config["axes"] == [1, 2] and config["normalize"] is True
    keras_config = keras().layers.Dot(axes=(1, 2), normalize=True).get_config()
    assert list(keras_config["axes"]) == config["axes"]


def test_axes_size_mismatch_names_layer_and_shapes():
    with pytest.raises(
        ValueError,
        match=r"Dot 'dot': the summed axes differ in size: 3 \(axis 1 of the first input\) and 4 \(axis 1 of the "
        r"second\); received shapes \[\(None, 3\), \(None, 4\)\]",
    ):
        Dot(1, name="dot")([Input(shape=(3,)), Input(shape=(4,))])


def test_batch_axis_cannot_be_summed():
    with pytest.raises(ValueError, match=r"Dot 'd0': axes=0 does not name a non-batch axis"):
        Dot(0, name="d0")([Input(shape=(3,)), Input(shape=(3,))])
    with pytest.raises(ValueError, match=r"Dot 'd5': axes=\[1, 5\] does not name a non-batch axis"):
        Dot((1, 5), name="d5")([torch.zeros(2, 3), torch.zeros(2, 3)])


def test_needs_exactly_two_inputs_of_rank_2():
    with pytest.raises(ValueError, match=r"Dot 'd3': expected exactly 2 inputs; received 3"):
        Dot(1, name="d3")([Input(shape=(3,))] * 3)
    with pytest.raises(ValueError, match=r"Dot 'd1': both inputs need rank >= 2"):
        Dot(1, name="d1")([torch.zeros(3), torch.zeros(3)])


@pytest.mark.parametrize("axes, error", [("1", TypeError), ((1, 2, 3), ValueError), ((1.0, 2), ValueError)])
def test_bad_axes(axes, error):
    with pytest.raises(error, match=r"Dot 'dd': axes must be an int or a pair of ints"):
        Dot(axes, name="dd")


def test_dot_drops_masks():
    x = torch.randn(2, 3, 4)
    x._keras_mask = torch.ones(2, 3, dtype=torch.bool)
    assert Dot(-1).compute_mask([x, x], [x._keras_mask, x._keras_mask]) is None
    np.testing.assert_equal(Dot(-1)([x, x]).shape, (2, 3, 3))
