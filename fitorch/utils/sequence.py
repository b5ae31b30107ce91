"""``Sequence``: Keras' indexable batch source (``PyDataset`` in Keras 3).

Example:
    >>> import numpy as np
    >>> class Batches(Sequence):
    ...     def __len__(self):
    ...         return 3
    ...     def __getitem__(self, index):
    ...         return np.full((2, 4), index, "float32"), np.zeros((2, 1), "float32")
    >>> len(Batches()), Batches()[1][0][0, 0]
    (3, np.float32(1.0))
"""

from __future__ import annotations

from typing import Any


class Sequence:
    """Base class for batch sources that know their length and index their batches.

    Subclasses implement ``__len__`` (batches per epoch) and ``__getitem__(index)``
    returning ``x``, ``(x, y)`` or ``(x, y, sample_weight)``. ``on_epoch_end`` runs
    after every epoch, e.g. to reshuffle.
    """

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch; override to reshuffle."""


PyDataset = Sequence
