"""``LambdaCallback``: a callback made of plain functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fitorch.callbacks.callback import Callback

_HOOKS = sorted(name for name in vars(Callback) if name.startswith("on_"))


class LambdaCallback(Callback):
    """Builds a callback from functions, one per hook.

    Epoch hooks take ``(epoch, logs)``, batch hooks ``(batch, logs)`` and the
    train/test/predict begin and end hooks ``(logs)``. Only the hooks given are
    called; a batch hook left out costs nothing per batch.

    Args:
        on_epoch_begin: called at the beginning of every epoch.
        on_epoch_end: called at the end of every epoch.
        on_train_begin: called at the beginning of training.
        on_train_end: called at the end of training.
        on_train_batch_begin: called at the beginning of every training batch.
        on_train_batch_end: called at the end of every training batch.
        **kwargs: any other hook, by its name (``on_test_end=...``).

    Example:
        >>> import numpy as np, fitorch
        >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> seen = []
        >>> log_epochs = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
        >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, verbose=0, callbacks=[log_epochs])
        >>> seen
        [0, 1, 2]
    """

    def __init__(
        self,
        on_epoch_begin: Callable[..., Any] | None = None,
        on_epoch_end: Callable[..., Any] | None = None,
        on_train_begin: Callable[..., Any] | None = None,
        on_train_end: Callable[..., Any] | None = None,
        on_train_batch_begin: Callable[..., Any] | None = None,
        on_train_batch_end: Callable[..., Any] | None = None,
        **kwargs: Callable[..., Any],
    ) -> None:
        super().__init__()
        unknown = sorted(set(kwargs) - set(_HOOKS))
        if unknown:
            raise TypeError(f"LambdaCallback: unknown hooks {unknown}; the hooks are {_HOOKS}.")
        hooks = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin,
            "on_train_batch_end": on_train_batch_end,
            **kwargs,
        }
        for name, function in hooks.items():
            if function is None:
                continue
            if not callable(function):
                raise TypeError(f"LambdaCallback: `{name}` must be callable; received {function!r}.")
            setattr(self, name, function)
