"""Every case of the op table against Keras' own keras.ops on its torch backend."""

from __future__ import annotations

import pytest

from fitorch import ops
from tests.ops.cases import CASES, CREATION, Case
from tests.ops.oracle import assert_same, clone_args, keras_op


@pytest.mark.parametrize("case", CASES + CREATION, ids=lambda c: c.id)
def test_op_matches_keras(case: Case) -> None:
    expected = keras_op(case.name)(*clone_args(case.args), **clone_args(case.kwargs))
    actual = ops.get_op(case.name)(*clone_args(case.args), **clone_args(case.kwargs))
    assert_same(actual, expected, case.id)
