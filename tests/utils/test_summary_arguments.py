"""``model.summary``'s Keras arguments (``show_trainable``, ``layer_range``, ``expand_nested``), against Keras 3."""

from __future__ import annotations

import pytest

import fitorch
from tests.layers.harness import keras


def _model(lib):
    inner = lib.Sequential([lib.layers.Input(shape=(4,)), lib.layers.Dense(3, name="inner_dense")], name="inner")
    inner.trainable = False
    inputs = lib.layers.Input(shape=(4,), name="x")
    hidden = lib.layers.Dropout(0.1, name="drop")(inner(inputs))
    return lib.Model(inputs, lib.layers.Dense(2, name="head")(hidden))


def _lines(lib, **kwargs):
    lines = []
    _model(lib).summary(print_fn=lambda line, *args, **kw: lines.append(line), **kwargs)
    return "\n".join(lines)


def _row_names(text):
    names = ("x", "inner", "inner_dense", "drop", "head")
    return [n for line in text.splitlines() for n in names if f" {n} (" in line]


@pytest.mark.parametrize("kwargs", [{}, {"layer_range": ["inner", "drop"]}, {"expand_nested": True},
                                    {"expand_nested": True, "layer_range": ["drop", "head"]}])  # fmt: skip
def test_rows_match_keras(kwargs):
    assert _row_names(_lines(fitorch, **kwargs)) == _row_names(_lines(keras(), **kwargs))


def test_trainable_column_matches_keras():
    def marks(text):
        return {n: line.split("│")[-2].strip() for line in text.splitlines() for n in ("x", "inner", "drop", "head")
                if f" {n} (" in line}  # fmt: skip

    assert marks(_lines(fitorch, show_trainable=True)) == marks(_lines(keras(), show_trainable=True))
    assert "┃ Trainable ┃" in _lines(fitorch, show_trainable=True) and "┃ Trainable ┃" not in _lines(fitorch)


def test_line_length_is_the_first_positional_argument_as_in_keras():
    lines = []
    _model(fitorch).summary(70, None, lines.append)
    assert max(len(line) for line in lines) <= 70


def test_bad_layer_range_is_explained():
    with pytest.raises(ValueError, match="layer_range must be a list or tuple of 2 layer names"):
        _model(fitorch).summary(layer_range=["head"])
    with pytest.raises(ValueError, match="layer_range 'nothing' matches no layer name"):
        _model(fitorch).summary(layer_range=["nothing", "head"])
