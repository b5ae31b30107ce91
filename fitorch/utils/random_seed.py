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
