import pytest
import torch

from fitorch.layers.core import Input, Lambda


def test_eager_call_runs_the_function_with_arguments():
    layer = Lambda(lambda x, scale: x * scale, arguments={"scale": 3.0})
    torch.testing.assert_close(layer(torch.ones(2, 2)), torch.full((2, 2), 3.0))


def test_symbolic_shape_is_inferred_on_meta():
    y = Lambda(lambda x: x.reshape(x.shape[0], -1)[:, :5])(Input(shape=(4, 3)))
    assert y.shape == (None, 5)


def test_symbolic_dtype_is_inferred_on_meta():
    y = Lambda(lambda x: x.long())(Input(shape=(3,)))
    assert y.dtype == torch.int64


def test_output_shape_tuple_excludes_the_batch_axis():
    layer = Lambda(lambda x: torch.cat([x, x], dim=-1), output_shape=(6,))
    y = layer(Input(shape=(3,), batch_size=4))
    assert y.shape == (4, 6)
    assert layer(torch.zeros(4, 3)).shape == (4, 6)


def test_output_shape_callable_gets_the_full_input_shape():
    def shape(input_shape):
        return (input_shape[0], input_shape[1] * 2)

    y = Lambda(lambda x: torch.cat([x, x], dim=-1), output_shape=shape)(Input(shape=(3,)))
    assert y.shape == (None, 6)


def test_list_inputs():
    layer = Lambda(lambda xs: xs[0] - xs[1])
    torch.testing.assert_close(layer([torch.ones(2), torch.ones(2)]), torch.zeros(2))
    assert layer([Input(shape=(3,)), Input(shape=(3,))]).shape == (None, 3)


def test_training_flag_reaches_functions_that_accept_it():
    layer = Lambda(lambda x, training=False: x + 1 if training else x)
    x = torch.zeros(1)
    layer.eval()
    assert layer(x).item() == 0.0
    assert layer(x, training=True).item() == 1.0
    layer.train()
    assert layer(x).item() == 1.0


def test_get_config_refuses_and_says_what_to_do():
    layer = Lambda(lambda x: x, name="square")
    with pytest.raises(
        TypeError,
        match=r"Lambda 'square' cannot be serialized: .*arbitrary Python code.*"
        r"Subclass fitorch.layers.Layer",
    ):
        layer.get_config()


def test_non_callable_function_is_a_type_error():
    with pytest.raises(TypeError, match="function must be callable; received 3"):
        Lambda(3)


def test_errors_inside_the_function_name_the_layer():
    layer = Lambda(lambda x: x @ torch.ones(5, 2), name="project")
    with pytest.raises(
        RuntimeError, match=r"layer 'project' \(Lambda\) called on inputs with shapes \(2, 3\)"
    ):
        layer(torch.ones(2, 3))
