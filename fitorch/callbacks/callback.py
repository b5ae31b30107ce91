"""``Callback``: Keras' hooks into ``fit``, ``evaluate`` and ``predict``.

Example:
    >>> import numpy as np, fitorch
    >>> class CountEpochs(fitorch.callbacks.Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         self.seen = epoch + 1
    >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> counter = CountEpochs()
    >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, verbose=0, callbacks=[counter])
    >>> counter.seen
    3
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Logs = Mapping[str, float] | None


class Callback:
    """Base class: override the hooks you need; ``self.model`` is the model being run.

    Batch-level ``logs`` are lazy mappings: reading a value waits for the device, so
    read them only when you need them.

    A callback with counters (patience, best value, file position...) returns them
    from :meth:`get_state` as plain JSON data and takes them back with
    :meth:`set_state`, so that a run resumed from a checkpoint continues exactly.

    In a distributed run every rank runs the callbacks, with the same epoch logs
    (reduced over the ranks); a callback that writes files sets
    ``main_process_only = True`` so that only rank 0 runs it. A callback whose batch
    hooks never set ``model.stop_training`` sets ``may_stop_mid_epoch = False``: the
    ranks then need not agree after every step whether to stop.
    """

    main_process_only = False
    may_stop_mid_epoch = True

    def __init__(self) -> None:
        self.model: Any = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: Any) -> None:
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def get_state(self) -> dict[str, Any]:
        """The callback's counters as plain JSON data; ``{}`` for a stateless callback."""
        return {}

    def set_state(self, state: dict[str, Any]) -> None:
        """Restores :meth:`get_state`'s output.

        It may be called before ``fit`` (or before ``on_train_begin``): the restored
        counters then survive ``on_train_begin``, which otherwise resets them.
        """

    def on_train_begin(self, logs: Logs = None) -> None: ...
    def on_train_end(self, logs: Logs = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None: ...
    def on_train_batch_begin(self, batch: int, logs: Logs = None) -> None:
        self.on_batch_begin(batch, logs)  # Keras' older names for the training batch hooks

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        self.on_batch_end(batch, logs)

    def on_batch_begin(self, batch: int, logs: Logs = None) -> None:
        """Keras' alias of ``on_train_batch_begin``: called by it unless a subclass overrides it."""

    def on_batch_end(self, batch: int, logs: Logs = None) -> None:
        """Keras' alias of ``on_train_batch_end``: called by it unless a subclass overrides it."""

    def on_test_begin(self, logs: Logs = None) -> None: ...
    def on_test_end(self, logs: Logs = None) -> None: ...
    def on_test_batch_begin(self, batch: int, logs: Logs = None) -> None: ...
    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None: ...
    def on_predict_begin(self, logs: Logs = None) -> None: ...
    def on_predict_end(self, logs: Logs = None) -> None: ...
    def on_predict_batch_begin(self, batch: int, logs: Logs = None) -> None: ...
    def on_predict_batch_end(self, batch: int, logs: Logs = None) -> None: ...
