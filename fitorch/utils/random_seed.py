"""``set_random_seed``: one call seeds Python, NumPy and torch (every device), as Keras' does."""

from __future__ import annotations

import random

import numpy as np
import torch


def set_random_seed(seed: int) -> None:
    """Seeds Python's ``random``, NumPy's global generator and torch (CPU and every GPU).

    Weight initialization, dropout, shuffling in ``fit`` and ``fitorch.random`` calls
    with ``seed=None`` then repeat run after run.

    Args:
        seed: a non-negative int.

    Raises:
        ValueError: if ``seed`` is not a non-negative int.

    Example:
        >>> import torch
        >>> set_random_seed(3); a = torch.rand(2)
        >>> set_random_seed(3); bool((torch.rand(2) == a).all())
        True
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(
            f"set_random_seed: expected a non-negative int seed; received {seed!r} ({type(seed).__name__})."
        )
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def seeded_generator(
    generators: dict[torch.device, torch.Generator], seed: int | None, device: torch.device
) -> torch.Generator | None:
    """A layer's generator on ``device``, seeded once with ``seed`` and kept in ``generators``.

    Seeded layers (dropout masks, noise, augmentations) keep one generator per device so that
    their draws repeat run after run; ``None`` (no ``seed``, or the ``meta`` device, which holds
    no values) means torch's global generator.

    Example:
        >>> import torch
        >>> generators = {}
        >>> generator = seeded_generator(generators, 7, torch.device("cpu"))
        >>> generator is seeded_generator(generators, 7, torch.device("cpu"))
        True
        >>> bool(torch.rand(2, generator=generator).eq(torch.rand(2, generator=torch.Generator().manual_seed(7))).all())
        True
    """
    if seed is None or device.type == "meta":
        return None
    if device not in generators:
        generator = torch.Generator(device=device)
        generator.manual_seed(seed)
        generators[device] = generator
    return generators[device]
