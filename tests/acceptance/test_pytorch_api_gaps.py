"""Issue 11, PyTorch side: PyTorch programs ported by changing only the imports run under ``fit``.

torch itself (a hand-written loop, torch's own loss functions) is the oracle.
"""

import copy

import numpy as np
import pytest
import torch
import torch.nn.functional as F  # noqa: N812
from torch import nn

import fitorch
from fitorch.losses.registry import is_torch_functional_loss


def classification_data(n=32, classes=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 6)).astype("float32"), rng.integers(0, classes, n)


# ---------------------------------------------------------------- torch losses, torch's argument order
@pytest.mark.parametrize(
    "loss, head, make_target",
    [
        (F.nll_loss, nn.LogSoftmax(dim=-1), lambda y: torch.as_tensor(y)),
        (F.cross_entropy, nn.Identity(), lambda y: torch.as_tensor(y)),
        (nn.CrossEntropyLoss(), nn.Identity(), lambda y: torch.as_tensor(y)),
        (F.mse_loss, nn.Identity(), lambda y: F.one_hot(torch.as_tensor(y), 4).float()),
        (F.l1_loss, nn.Identity(), lambda y: F.one_hot(torch.as_tensor(y), 4).float()),
        (F.binary_cross_entropy_with_logits, nn.Identity(), lambda y: F.one_hot(torch.as_tensor(y), 4).float()),
        (F.kl_div, nn.LogSoftmax(dim=-1), lambda y: F.one_hot(torch.as_tensor(y), 4).float()),
    ],
)
def test_torch_losses_are_called_in_torch_order(loss, head, make_target):
    x, labels = classification_data()
    y = make_target(labels)
    net = nn.Sequential(nn.Linear(6, 4), head)
    model = fitorch.wrap(net)
    model.compile(optimizer="sgd", loss=loss)
    with torch.no_grad():
        expected = float(loss(net(torch.from_numpy(x)), y))
    assert model.evaluate(x, y.numpy(), batch_size=32, verbose=0) == pytest.approx(expected, rel=1e-5)
    history = model.fit(x, y.numpy(), batch_size=32, epochs=3, verbose=0).history
    assert history["loss"][0] == pytest.approx(expected, rel=1e-5) and history["loss"][-1] < history["loss"][0]


def test_torch_losses_are_recognised_by_identity_not_by_name():
    def nll_loss(y_true, y_pred):  # a user function that happens to share torch's name: Keras order
        return F.nll_loss(y_pred, y_true)

    assert is_torch_functional_loss(F.nll_loss) and is_torch_functional_loss(F.cross_entropy)
    assert not is_torch_functional_loss(nll_loss)
    x, y = classification_data()
    net = nn.Sequential(nn.Linear(6, 4), nn.LogSoftmax(dim=-1))
    model = fitorch.wrap(net)
    model.compile(optimizer="sgd", loss=nll_loss)
    with torch.no_grad():
        expected = float(F.nll_loss(net(torch.from_numpy(x)), torch.as_tensor(y)))
    assert model.evaluate(x, y, batch_size=32, verbose=0) == pytest.approx(expected, rel=1e-5)


# ---------------------------------------------------------------- one loss over a tuple output
class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(6, 8)
        self.main = nn.Linear(8, 4)
        self.aux = nn.Linear(8, 4)

    def forward(self, x):
        h = torch.relu(self.body(x))
        return self.main(h), self.aux(h)


def test_a_single_loss_receives_the_whole_tuple_when_there_is_one_target():
    x, y = classification_data()

    def criterion(y_true, outputs):
        logits, aux = outputs
        return F.cross_entropy(logits, y_true) + 0.4 * F.cross_entropy(aux, y_true)

    net = TwoHeads()
    reference = copy.deepcopy(net)
    model = fitorch.wrap(net)
    model.compile(optimizer=torch.optim.SGD(net.parameters(), lr=0.1), loss=criterion, metrics=["accuracy"])
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    # The hand-written PyTorch loop the fit call replaces.
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.1)
    for _ in range(2):
        for start in range(0, 32, 8):
            inputs, labels = torch.from_numpy(x[start : start + 8]), torch.as_tensor(y[start : start + 8])
            optimizer.zero_grad()
            criterion(labels, reference(inputs)).backward()
            optimizer.step()
    for mine, theirs in zip(net.parameters(), reference.parameters(), strict=True):
        torch.testing.assert_close(mine, theirs)
    with torch.no_grad():
        logits, _ = net(torch.from_numpy(x))
    accuracy = float((logits.argmax(-1).numpy() == y).mean())
    assert model.evaluate(x, y, verbose=0, return_dict=True)["accuracy"] == pytest.approx(accuracy)
    assert len(history["loss"]) == 2


def test_a_single_loss_applies_to_each_output_when_targets_match_the_outputs_like_keras():
    import keras

    rng = np.random.default_rng(1)
    x = rng.standard_normal((16, 3)).astype("float32")
    y1, y2 = (rng.standard_normal((16, 2)).astype("float32") for _ in range(2))
    inputs = fitorch.layers.Input(shape=(3,))
    model = fitorch.Model(inputs, [fitorch.layers.Dense(2)(inputs), fitorch.layers.Dense(2)(inputs)])
    k_inputs = keras.Input(shape=(3,))
    k_model = keras.Model(k_inputs, [keras.layers.Dense(2)(k_inputs), keras.layers.Dense(2)(k_inputs)])
    k_model.set_weights(model.get_weights())

    def squared(y_true, y_pred):
        return ((y_true - y_pred) ** 2).mean(-1)

    for m in (model, k_model):
        m.compile("sgd", loss=squared)
    mine = model.evaluate(x, [y1, y2], batch_size=16, verbose=0)
    theirs = k_model.evaluate(x, [y1, y2], batch_size=16, verbose=0)
    assert mine[0] == pytest.approx(theirs[0], rel=1e-5)


# ---------------------------------------------------------------- wrap forwards attributes
class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.latent_dim = 2
        self.encoder = nn.Linear(4, 2)
        self.decoder = nn.Linear(2, 4)

    def forward(self, x):
        return self.decode(self.encoder(x))

    def decode(self, z):
        return self.decoder(z)


def test_wrap_forwards_attributes_and_methods_to_the_module():
    net = AutoEncoder()
    model = fitorch.wrap(net)
    z = torch.randn(3, 2)
    torch.testing.assert_close(model.decode(z), net.decode(z))
    assert model.latent_dim == 2 and model.decoder is net.decoder and model.module is net
    with pytest.raises(AttributeError, match=r"WrappedModule \(wrapping AutoEncoder\) has no attribute 'missing'"):
        model.missing  # noqa: B018


# ---------------------------------------------------------------- float64 models
def test_float64_model_keeps_float64_data():
    rng = np.random.default_rng(2)
    x, y = rng.standard_normal((16, 3)), rng.standard_normal((16, 1))
    seen = []

    class Spy(nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = nn.Linear(3, 1).double()

        def forward(self, inputs):
            seen.append(inputs.dtype)
            return self.linear(inputs)

    net = Spy()
    reference = copy.deepcopy(net)
    model = fitorch.wrap(net)
    model.compile(optimizer=torch.optim.SGD(net.parameters(), lr=0.1), loss=F.mse_loss)
    model.fit(x, y, batch_size=16, epochs=3, verbose=0)
    optimizer = torch.optim.SGD(reference.parameters(), lr=0.1)
    for _ in range(3):  # the same steps in float64 by hand
        optimizer.zero_grad()
        F.mse_loss(reference(torch.from_numpy(x)), torch.from_numpy(y)).backward()
        optimizer.step()
    torch.testing.assert_close(net.linear.weight, reference.linear.weight, rtol=1e-12, atol=1e-12)
    assert set(seen) == {torch.float64}
    assert model.predict(x.astype("float32"), verbose=0).dtype == np.float64  # float32 data is cast up
    assert model(x.astype("float32")).dtype == torch.float64


# ---------------------------------------------------------------- LBFGS
def test_lbfgs_gets_a_closure_and_matches_a_hand_written_loop():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((64, 3)).astype("float32")
    y = (x @ np.array([[1.5], [-2.0], [0.5]], dtype="float32") + 0.3).astype("float32")
    net = nn.Linear(3, 1)
    reference = copy.deepcopy(net)
    model = fitorch.wrap(net)
    model.compile(optimizer=torch.optim.LBFGS(net.parameters(), lr=1.0, max_iter=20), loss="mse")
    history = model.fit(x, y, batch_size=64, epochs=3, shuffle=False, verbose=0).history

    optimizer = torch.optim.LBFGS(reference.parameters(), lr=1.0, max_iter=20)
    inputs, targets = torch.from_numpy(x), torch.from_numpy(y)
    first_losses = []
    for _ in range(3):

        def closure():
            optimizer.zero_grad()
            loss = F.mse_loss(reference(inputs), targets)
            loss.backward()
            return loss

        first_losses.append(float(optimizer.step(closure)))  # LBFGS returns the first evaluation
    for mine, theirs in zip(net.parameters(), reference.parameters(), strict=True):
        torch.testing.assert_close(mine, theirs)
    assert history["loss"] == pytest.approx(first_losses, rel=1e-5)  # the loss before each step, logged once
    solution, *_ = np.linalg.lstsq(np.c_[x, np.ones(64)], y, rcond=None)
    np.testing.assert_allclose(net.weight.detach().numpy().ravel(), solution[:3].ravel(), atol=1e-4)

    deferred = fitorch.wrap(nn.Linear(3, 1))
    deferred.compile(optimizer=torch.optim.LBFGS, loss="mse")  # the class: built by fit on the parameters
    assert deferred.fit(x, y, batch_size=64, epochs=3, verbose=0).history["loss"][-1] < 1e-6
