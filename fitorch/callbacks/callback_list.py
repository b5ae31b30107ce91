"""``CallbackList``: calls a hook on every callback that implements it.

Hooks a callback leaves as the base class's no-op are skipped, so an epoch with no
batch-level callbacks costs the loop nothing per step. A hook counts as implemented
when the callback's class overrides it or the instance sets it (``LambdaCallback``).

On the ranks other than 0 of a distributed run, callbacks whose class sets
``main_process_only`` (the file writers) are left out, and what the others print
goes nowhere: only rank 0 talks to the user.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from fitorch.callbacks.callback import Callback

_HOOKS = [name for name in vars(Callback) if name.startswith("on_")]


class CallbackList:
    """A list of callbacks with the same hooks as one ``Callback``.

    Args:
        callbacks: the user's callbacks.
        model: the model they observe.
        params: ``{'epochs', 'steps', 'verbose'}`` as in Keras.
        main_process: False on the ranks other than 0 of a distributed run.
    """

    def __init__(self, callbacks: list[Callback], model: Any, params: dict[str, Any], main_process: bool = True) -> None:
        if not main_process:
            callbacks = [c for c in callbacks if not getattr(c, "main_process_only", False)]
        self._sink = None if main_process else _Discard()  # where other ranks' prints go
        for callback in callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"callbacks: expected fitorch.callbacks.Callback instances; received {type(callback).__name__}."
                )
            callback.set_model(model)
            callback.set_params(params)
        self.callbacks = callbacks
        self._active = {hook: [getattr(c, hook) for c in callbacks if _implements(c, hook)] for hook in _HOOKS}

    def wants(self, hook: str) -> bool:
        """True when some callback implements ``hook``."""
        return bool(self._active[hook])

    def may_stop_mid_epoch(self) -> bool:
        """True when a callback with batch hooks might set ``model.stop_training`` mid-epoch."""
        hooks = ("on_train_batch_begin", "on_train_batch_end")
        return any(c.may_stop_mid_epoch and any(_implements(c, h) for h in hooks)
                   for c in self.callbacks)  # fmt: skip

    def call(self, hook: str, *args: Any) -> None:
        """Calls ``hook`` on every callback that implements it; ``None`` logs become ``{}``, as in Keras."""
        if args and args[-1] is None and self._active[hook]:
            args = (*args[:-1], {})
        if self._sink is not None and self._active[hook]:
            with contextlib.redirect_stdout(self._sink):
                for method in self._active[hook]:
                    method(*args)
            return
        for method in self._active[hook]:
            method(*args)


class _Discard(io.TextIOBase):
    """A text stream that drops what is written to it."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


# The training batch hooks call Keras' older names, which a callback may override instead.
_ALIASES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


def _implements(callback: Callback, hook: str) -> bool:
    """True unless ``hook`` (and its older alias) is still the base class's no-op for this callback."""
    for name in (hook, _ALIASES.get(hook)):
        method = getattr(callback, name) if name is not None else None
        if method is not None and getattr(method, "__func__", method) is not getattr(Callback, name):
            return True
    return False
