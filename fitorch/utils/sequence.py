"""``PyDataset`` (also ``Sequence``): Keras' indexable batch source.

Example:
    >>> import numpy as np
    >>> class Batches(PyDataset):
    ...     def __len__(self):
    ...         return 3
    ...     def __getitem__(self, index):
    ...         return np.full((2, 4), index, "float32"), np.zeros((2, 1), "float32")
    >>> batches = Batches(workers=2)
    >>> len(batches), batches.num_batches, batches.workers, batches[1][0][0, 0]
    (3, 3, 2, np.float32(1.0))
"""

from __future__ import annotations

from typing import Any


class PyDataset:
    """Base class for batch sources that know their length and index their batches.

    Subclasses implement ``__len__`` (batches per epoch) and ``__getitem__(index)``
    returning ``x``, ``(x, y)`` or ``(x, y, sample_weight)``, and call
    ``super().__init__(**kwargs)`` so that Keras' arguments below reach this class.
    ``on_epoch_begin`` and ``on_epoch_end`` run around every epoch, e.g. to reshuffle.

    Args:
        workers: how many batches ``fit``, ``evaluate`` and ``predict`` fetch at once.
            With more than 1, ``__getitem__`` runs in that many threads, ahead of the
            step that needs the batch, and batches still arrive in order. Defaults to 1.
        use_multiprocessing: accepted for Keras programs; fitorch fetches with threads
            either way (NumPy, file reads and torch release the GIL, and nothing has to be
            pickled). Defaults to ``False``.
        max_queue_size: how many batches may wait, fetched ahead, at most. Defaults to 10.

    Raises:
        ValueError: for a negative ``workers`` or a ``max_queue_size`` below 1.
    """

    # Keras' defaults, also for a subclass whose __init__ does not call super().__init__.
    workers: int = 1
    use_multiprocessing: bool = False
    max_queue_size: int = 10

    def __init__(self, workers: int = 1, use_multiprocessing: bool = False, max_queue_size: int = 10) -> None:
        if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
            raise ValueError(f"PyDataset: workers must be an int >= 0; received workers={workers!r}.")
        if not isinstance(max_queue_size, int) or isinstance(max_queue_size, bool) or max_queue_size < 1:
            raise ValueError(f"PyDataset: max_queue_size must be an int >= 1; received max_queue_size={max_queue_size!r}.")
        self.workers = workers
        self.use_multiprocessing = bool(use_multiprocessing)
        self.max_queue_size = max_queue_size

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError

    @property
    def num_batches(self) -> int | None:
        """The number of batches in an epoch (``len(self)``), or ``None`` when it has no length."""
        try:
            return len(self)
        except (TypeError, NotImplementedError):
            return None

    def on_epoch_begin(self) -> None:
        """Called at the start of every epoch."""

    def on_epoch_end(self) -> None:
        """Called at the end of every epoch; override to reshuffle."""


Sequence = PyDataset
