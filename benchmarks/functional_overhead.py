"""Per-call overhead of a functional model against a hand-written ``forward`` with the same weights.

    python benchmarks/functional_overhead.py --rounds 9 --calls 300

A 20-layer functional model (``Dense(64, activation="relu")`` each, batch 32, float32, CPU)
and a hand-written ``nn.Module`` that runs ``F.relu(linear(x))`` over twenty ``nn.Linear``
holding copies of the same weights are timed in the same process, in interleaved rounds:
each round times ``--calls`` calls of one, then of the other (the order alternates), under
``torch.no_grad()`` and with gradients enabled (forward only). The per-call time of each is
the median over rounds, and the ratio is the median of the per-round ratios. The issue's
target is fitorch within 5% of the hand forward (ratio <= 1.05).

``--model residual`` times a branching model instead: ten residual blocks
``x = Add()([x, Dense(64)(Dense(64, activation="relu")(x))])`` (the same twenty ``Dense``),
against a hand ``forward`` that writes ``x = x + linear2(F.relu(linear1(x)))``.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn

DEPTH, UNITS, BATCH = 20, 64, 32


class HandMLP(nn.Module):
    """What a PyTorch user writes: a list of ``nn.Linear``, ReLU after each."""

    def __init__(self) -> None:
        super().__init__()
        self.linears = nn.ModuleList(nn.Linear(UNITS, UNITS) for _ in range(DEPTH))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for linear in self.linears:
            x = F.relu(linear(x))
        return x


class HandResidual(HandMLP):
    """Residual blocks as a PyTorch user writes them: ``x + linear2(relu(linear1(x)))``."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for first, second in zip(self.linears[::2], self.linears[1::2], strict=True):
            x = x + second(F.relu(first(x)))
        return x


def build_models(kind: str = "chain") -> tuple[nn.Module, nn.Module]:
    import fitorch
    from fitorch import layers

    torch.manual_seed(0)
    inputs = layers.Input(shape=(UNITS,))
    x = inputs
    if kind == "chain":
        for _ in range(DEPTH):
            x = layers.Dense(UNITS, activation="relu")(x)
    else:
        for _ in range(DEPTH // 2):
            x = layers.Add()([x, layers.Dense(UNITS)(layers.Dense(UNITS, activation="relu")(x))])
    model = fitorch.Model(inputs, x).eval()
    hand = (HandMLP() if kind == "chain" else HandResidual()).eval()
    with torch.no_grad():
        dense = [layer for layer in model.layers if isinstance(layer, layers.Dense)]
        for linear, layer in zip(hand.linears, dense, strict=True):
            linear.weight.copy_(layer.weight)  # a Dense stores nn.Linear's (out, in) layout
            linear.bias.copy_(layer.bias)
    return model, hand


def per_call(module: nn.Module, x: torch.Tensor, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        module(x)
    return (time.perf_counter() - start) / calls


def measure(model: nn.Module, hand: nn.Module, rounds: int, calls: int, grad: bool) -> dict[str, float]:
    x = torch.randn(BATCH, UNITS)
    with torch.no_grad():
        torch.testing.assert_close(model(x), hand(x))  # the same computation
    context = contextlib.nullcontext() if grad else torch.no_grad()
    fitorch_times, hand_times, ratios = [], [], []
    with context:
        for module in (model, hand):  # warm-up
            per_call(module, x, calls)
        for index in range(rounds):
            pair = (model, hand) if index % 2 == 0 else (hand, model)
            times = {id(module): per_call(module, x, calls) for module in pair}
            fitorch_times.append(times[id(model)])
            hand_times.append(times[id(hand)])
            ratios.append(times[id(model)] / times[id(hand)])
    return {
        "fitorch_us": statistics.median(fitorch_times) * 1e6,
        "hand_us": statistics.median(hand_times) * 1e6,
        "ratio": statistics.median(ratios),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds (at least 7)")
    parser.add_argument("--calls", type=int, default=300, help="calls timed per model per round")
    parser.add_argument("--model", choices=("chain", "residual"), default="chain", help="the model's shape")
    args = parser.parse_args()
    torch.set_num_threads(1)  # the model is small: threads add noise, not speed
    model, hand = build_models(args.model)
    shape = f"{DEPTH} x Dense({UNITS}, relu)" if args.model == "chain" else f"{DEPTH // 2} residual blocks"
    print(f"{shape}, batch {BATCH}, float32, CPU, torch {torch.__version__}")
    print(f"{'mode':<10} {'fitorch':>12} {'hand':>12} {'ratio':>7}")
    for grad in (False, True):
        result = measure(model, hand, max(args.rounds, 7), args.calls, grad)
        mode = "grad" if grad else "no_grad"
        print(f"{mode:<10} {result['fitorch_us']:>9.1f} us {result['hand_us']:>9.1f} us {result['ratio']:>7.3f}")


if __name__ == "__main__":
    main()
