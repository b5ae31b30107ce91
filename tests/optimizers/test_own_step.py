"""The ``step`` that Lion, Lamb and Ftrl share: torch's closure contract and sparse-gradient refusal."""

import pytest
import torch

from fitorch import optimizers

OWN_STEP = [optimizers.Lion, optimizers.Lamb, optimizers.Ftrl]


def _problem() -> tuple[torch.nn.Parameter, torch.Tensor]:
    torch.manual_seed(0)
    return torch.nn.Parameter(torch.randn(3, 2)), torch.randn(3, 2)


@pytest.mark.parametrize("cls", OWN_STEP)
def test_step_with_closure_returns_the_loss_and_moves_as_without(cls) -> None:
    # Oracle: torch's Optimizer.step contract; the closure's backward gives the same update
    # as calling backward by hand and then step().
    w, target = _problem()
    opt = cls(learning_rate=0.1, params=[w])
    calls = []

    def closure() -> torch.Tensor:
        assert torch.is_grad_enabled()  # step runs under no_grad; the closure must not
        opt.zero_grad()
        loss = ((w - target) ** 2).sum()
        loss.backward()
        calls.append(loss.item())
        return loss

    returned = opt.step(closure)
    assert calls and returned.item() == calls[-1]

    w_ref, _ = _problem()
    ref = cls(learning_rate=0.1, params=[w_ref])
    ((w_ref - target) ** 2).sum().backward()
    assert ref.step() is None
    torch.testing.assert_close(w.detach(), w_ref.detach(), rtol=0, atol=0)
    assert float(opt.state[w]["step"]) == float(ref.state[w_ref]["step"]) == 1.0


@pytest.mark.parametrize("cls", OWN_STEP)
def test_parameters_without_gradient_are_left_alone(cls) -> None:
    w, _ = _problem()
    frozen = torch.nn.Parameter(torch.ones(2))
    opt = cls(learning_rate=0.1, params=[w, frozen])
    w.grad = torch.ones_like(w)
    opt.step()
    assert torch.equal(frozen.detach(), torch.ones(2)) and frozen not in opt.state


@pytest.mark.parametrize("cls", OWN_STEP)
def test_sparse_gradients_are_refused(cls) -> None:
    w = torch.nn.Parameter(torch.ones(3, 2))
    opt = cls(learning_rate=0.1, params=[w])
    w.grad = torch.ones(3, 2).to_sparse()
    with pytest.raises(RuntimeError, match=f"{cls.__name__} does not support sparse gradients"):
        opt.step()
