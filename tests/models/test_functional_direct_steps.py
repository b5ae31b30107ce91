"""The functional plan runs plain layer steps through torch's module call directly (and a plain chain of
them, such as ``mlp`` below, as one loop); what a layer's own call did on the way (naming the layer in
errors, hooks, losses, masks) must still happen; intermediates are dropped once read."""

import weakref

import pytest
import torch

import fitorch
from fitorch import layers


def mlp(name_prefix: str = "d") -> fitorch.Model:
    inputs = layers.Input(shape=(4,))
    hidden = layers.Dense(8, activation="relu", name=f"{name_prefix}_hidden")(inputs)
    return fitorch.Model(inputs, layers.Dense(2, name=f"{name_prefix}_out")(hidden))


def test_an_error_inside_a_layer_names_that_layer():
    model = mlp("err")
    model.get_submodule("err_out").weight.data = torch.zeros(2, 7)  # the second layer now expects 7 features
    with pytest.raises(RuntimeError, match=r"Exception in layer 'err_out' \(Dense\)"):
        model(torch.zeros(3, 4))


def test_an_error_inside_a_layer_of_a_branching_model_names_that_layer():
    inputs = layers.Input(shape=(4,))
    hidden = layers.Dense(8, name="branch_hidden")(inputs)
    model = fitorch.Model(inputs, [layers.Dense(2, name="branch_out")(hidden), hidden])  # not a chain
    model.get_submodule("branch_out").weight.data = torch.zeros(2, 7)
    with pytest.raises(RuntimeError, match=r"Exception in layer 'branch_out' \(Dense\)"):
        model(torch.zeros(3, 4))


def test_a_chain_drops_each_output_once_the_next_layer_read_it():
    model = fitorch.Sequential([layers.Input(shape=(4,)), *(layers.Dense(4, name=f"c{i}") for i in range(3))])
    refs: dict[str, weakref.ref] = {}
    alive: list[bool] = []
    model.get_submodule("c0").register_forward_hook(lambda m, a, out: refs.update(c0=weakref.ref(out)))
    model.get_submodule("c2").register_forward_hook(lambda m, a, out: alive.append(refs["c0"]() is not None))
    x = torch.randn(2, 4)
    with torch.no_grad():
        output = model(x)
        assert alive == [False]
        torch.testing.assert_close(output, model.forward(x))  # (a bare forward: each layer's full call)


def test_forward_hooks_fire_once_per_model_call():
    model = mlp("hook")
    seen = []
    model.get_submodule("hook_hidden").register_forward_hook(lambda module, args, output: seen.append(output.shape))
    model(torch.zeros(3, 4))
    assert seen == [torch.Size([3, 8])]


def test_a_regularizer_set_after_the_model_was_built_adds_its_loss():
    model = mlp("reg")
    x = torch.ones(3, 4)
    model(x)
    assert model.losses == []
    hidden = model.get_submodule("reg_hidden")
    hidden.activity_regularizer = fitorch.regularizers.L2(0.5)
    with torch.no_grad():
        activations = torch.relu(torch.nn.functional.linear(x, hidden.weight, hidden.bias))
    output = model(x)
    expected = 0.5 * activations.square().sum() / 3
    assert len(model.losses) == 1
    torch.testing.assert_close(model.losses[0], expected)
    assert output.shape == (3, 2)


def test_masks_made_inside_the_model_still_reach_later_layers():
    inputs = layers.Input(shape=(5,), dtype="int64")
    embedded = layers.Embedding(10, 3, mask_zero=True)(inputs)
    dense = layers.Dense(3)(embedded)  # a plain step after a mask producer
    pooled = layers.GlobalAveragePooling1D()(dense)
    model = fitorch.Model(inputs, pooled)
    ids = torch.tensor([[1, 2, 0, 0, 0]])
    with torch.no_grad():
        values = model.get_submodule(model.layers[2].name)(model.get_submodule(model.layers[1].name)(ids[:, :2]))
        torch.testing.assert_close(model(ids), values.mean(dim=1))  # only the two unmasked steps are averaged


def test_a_bare_forward_call_takes_each_layers_full_call():
    model = mlp("bare")
    model.get_submodule("bare_hidden").activity_regularizer = fitorch.regularizers.L1(1.0)
    x = torch.ones(2, 4)
    torch.testing.assert_close(model.forward(x), model(x))
    assert len(model.losses) == 1


def test_intermediates_are_dropped_once_no_later_layer_reads_them():
    """As in a hand-written forward, an intermediate tensor is freed once its last reader ran."""
    inputs = layers.Input(shape=(4,))
    first = layers.Dense(4, name="first")(inputs)
    second = layers.Dense(4, name="second")(first)
    third = layers.Dense(4, name="third")(second)
    model = fitorch.Model(inputs, [third, second])  # `second` is also an output: it is kept
    refs: dict[str, weakref.ref] = {}
    alive_at_third: dict[str, bool] = {}

    def remember(module, args, output):
        refs[module.name] = weakref.ref(output)

    def check(module, args, output):
        alive_at_third.update({name: ref() is not None for name, ref in refs.items()})

    model.get_submodule("first").register_forward_hook(remember)
    model.get_submodule("second").register_forward_hook(remember)
    model.get_submodule("third").register_forward_hook(check)
    x = torch.randn(2, 4)
    with torch.no_grad():
        outputs = model(x)
        expected_second = model.get_submodule("second")(model.get_submodule("first")(x))
    assert alive_at_third == {"first": False, "second": True}
    torch.testing.assert_close(outputs[1], expected_second)



def residual(name_prefix: str = "r") -> fitorch.Model:
    inputs = layers.Input(shape=(4,))
    hidden = layers.Dense(4, activation="relu", name=f"{name_prefix}_hidden")(inputs)
    merged = layers.Add(name=f"{name_prefix}_add")([inputs, hidden])
    return fitorch.Model(inputs, layers.Dense(2, name=f"{name_prefix}_out")(merged))


def test_a_merge_step_on_a_list_runs_directly_and_computes_what_its_full_call_does():
    model = residual("list")
    calls = []
    add = model.get_submodule("list_add")
    add.register_forward_hook(lambda module, args, output: calls.append([tuple(t.shape) for t in args[0]]))
    original = type(add)._call_eager
    add._call_eager = lambda *a, **k: pytest.fail("the Add step took its full call")  # (an instance attribute)
    x = torch.randn(3, 4)
    with torch.no_grad():
        output = model(x)
        del add._call_eager
        hidden = model.get_submodule("list_hidden")(x)
        expected = model.get_submodule("list_out")(x + hidden)
    torch.testing.assert_close(output, expected)
    assert calls == [[(3, 4), (3, 4)]] and type(add)._call_eager is original


def test_an_error_inside_a_merge_step_names_that_layer():
    first, second = layers.Input(shape=(4,)), layers.Input(shape=(4,))
    model = fitorch.Model([first, second], layers.Add(name="two_add")([first, second]))
    with pytest.raises(RuntimeError, match=r"Exception in layer 'two_add' \(Add\)"):
        model([torch.zeros(3, 4), torch.zeros(2, 4)])  # batch sizes differ: only the merge can fail


def test_a_merge_step_still_combines_masks_when_masks_are_tracked():
    tokens = layers.Input(shape=(5,), dtype="int64")
    embedded = layers.Embedding(10, 3, mask_zero=True)(tokens)
    merged = layers.Add()([embedded, layers.Dense(3)(embedded)])
    model = fitorch.Model(tokens, layers.GlobalAveragePooling1D()(merged))
    ids = torch.tensor([[1, 2, 0, 0, 0]])
    with torch.no_grad():
        masked = model(ids)
        emb = model.layers[1](ids)
        summed = emb + model.layers[2](emb)
        merged_mean = summed[:, :2].mean(dim=1)  # only the two unmasked steps
        unmasked_mean = summed.mean(dim=1)
    torch.testing.assert_close(masked, merged_mean)
    assert not torch.allclose(masked, unmasked_mean)
