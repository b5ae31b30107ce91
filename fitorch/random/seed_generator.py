"""``SeedGenerator``: a seed whose every draw differs, and whose draws repeat run after run.

Keras' random functions take ``seed=`` as an int (the same numbers every call), a
``SeedGenerator`` (new numbers each call, the same sequence every run), or
``None`` (torch's global generator, so ``torch.manual_seed`` and
``fitorch.utils.set_random_seed`` govern it). Each draw becomes a fresh
``torch.Generator`` seeded from ``(seed, counter)`` through NumPy's ``SeedSequence``,
so nearby seeds and counters give unrelated streams.

Example:
    >>> import fitorch
    >>> gen = fitorch.random.SeedGenerator(42)
    >>> a = fitorch.random.uniform((2,), seed=gen)
    >>> b = fitorch.random.uniform((2,), seed=gen)
    >>> bool((a != b).all())
    True
    >>> again = fitorch.random.SeedGenerator(42)
    >>> bool((fitorch.random.uniform((2,), seed=again) == a).all())
    True
"""

from __future__ import annotations

import random as python_random
from typing import Any

import numpy as np
import torch

_SEED_MODULUS = 1 << 64


class SeedGenerator:
    """A random seed that advances each time it is used (Keras' ``keras.random.SeedGenerator``).

    Args:
        seed: an int; ``None`` draws one from Python's ``random`` (seeded by
            ``fitorch.utils.set_random_seed``).
        name: optional name.

    Attributes:
        state: ``tensor([seed, counter])``; ``next()`` returns it and adds one to the counter.

    Example:
        >>> gen = SeedGenerator(7)
        >>> gen.next().tolist(), gen.next().tolist()
        ([7, 0], [7, 1])
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs: Any) -> None:
        if kwargs:
            raise TypeError(f"SeedGenerator: unexpected arguments {sorted(kwargs)}.")
        if seed is None:
            seed = python_random.randint(0, 2**31 - 1)
        elif isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ValueError(f"SeedGenerator: seed must be an integer; received seed={seed!r}.")
        self._initial_seed = int(seed)
        self.name = name or "seed_generator"
        self._counter = 0

    @property
    def state(self) -> torch.Tensor:
        # On the CPU even inside a ``torch.device('meta')`` scope (shape inference runs layers there).
        return torch.tensor([self._initial_seed, self._counter], dtype=torch.int64, device="cpu")

    def next(self, ordered: bool = True) -> torch.Tensor:
        """Returns the current ``[seed, counter]`` and advances the counter."""
        state = self.state
        self._counter += 1
        return state

    def _next_pair(self) -> tuple[int, int]:
        """``next()`` as plain ints: no tensor, so drawing works on any device scope."""
        pair = (self._initial_seed, self._counter)
        self._counter += 1
        return pair

    def get_config(self) -> dict[str, Any]:
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> SeedGenerator:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<SeedGenerator name={self.name!r} seed={self._initial_seed} counter={self._counter}>"


def mix(seed: int, counter: int) -> int:
    """One 63-bit torch seed from ``(seed, counter)``; nearby inputs give unrelated outputs."""
    state = np.random.SeedSequence([seed % _SEED_MODULUS, counter]).generate_state(1, np.uint64)[0]
    return int(state) & (2**63 - 1)


def draw_seed(seed: Any, caller: str) -> int | None:
    """The torch seed for one draw: fixed for an int, the next one for a ``SeedGenerator``, ``None`` for global."""
    if seed is None:
        return None
    if isinstance(seed, SeedGenerator):
        return mix(*seed._next_pair())
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return mix(int(seed), 0)
    raise ValueError(
        f"{caller}: seed must be an int, a fitorch.random.SeedGenerator or None; received {seed!r} "
        f"({type(seed).__name__})."
    )


def torch_generator(seed: Any, device: torch.device, caller: str) -> torch.Generator | None:
    """A ``torch.Generator`` on ``device`` for ``seed``; ``None`` means torch's global generator."""
    value = draw_seed(seed, caller)
    if value is None or device.type == "meta":  # (meta tensors hold no values to draw)
        return None
    generator = torch.Generator(device=device)
    generator.manual_seed(value)
    return generator


def numpy_generator(seed: Any, caller: str) -> np.random.Generator:
    """A NumPy ``Generator`` for ``seed``; with ``None`` its seed is drawn from torch's global generator."""
    value = draw_seed(seed, caller)
    if value is None:
        value = int(torch.randint(0, 2**62, (), dtype=torch.int64, device="cpu"))
    return np.random.default_rng(value)
