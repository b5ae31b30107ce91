"""Interactive logging: progress bars on stdout, or lines sent to the ``logging`` module (as Keras).

With interactive logging on (the default), ``fit``/``evaluate``/``predict`` draw their
progress bar on stdout. ``disable_interactive_logging()`` sends those lines to the
``"fitorch"`` logger at INFO level instead (Keras sends them to ``absl.logging``), one line
per epoch with no redraws: the right setting for jobs on a server. The switch is a
``contextvars`` variable, so it holds in the current thread (or asyncio task) only.

Example:
    >>> disable_interactive_logging()
    >>> is_interactive_logging_enabled()
    False
    >>> enable_interactive_logging()
    >>> is_interactive_logging_enabled()
    True
"""

from __future__ import annotations

import contextvars
import logging
import sys
from typing import IO

#: Where progress goes while interactive logging is off.
logger = logging.getLogger("fitorch")

_INTERACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("fitorch_interactive_logging", default=True)


def enable_interactive_logging() -> None:
    """Progress bars and messages go to stdout (the default).

    Example:
        >>> enable_interactive_logging()
    """
    _INTERACTIVE.set(True)


def disable_interactive_logging() -> None:
    """Progress lines and messages go to the ``"fitorch"`` logger (INFO) instead of stdout.

    Example:
        >>> disable_interactive_logging()
        >>> enable_interactive_logging()
    """
    _INTERACTIVE.set(False)


def is_interactive_logging_enabled() -> bool:
    """True when progress goes to stdout, False when it goes to the ``"fitorch"`` logger.

    Example:
        >>> is_interactive_logging_enabled()
        True
    """
    return _INTERACTIVE.get()


def print_msg(message: str, stream: IO[str] | None = None, line_break: bool = True) -> None:
    """Writes ``message`` to ``stream`` (default stdout), or logs it when interactive logging is off.

    Example:
        >>> print_msg("Epoch 1/1")
        Epoch 1/1
    """
    if not is_interactive_logging_enabled():
        logger.info(message)
        return
    stream = stream or sys.stdout
    stream.write(message + ("\n" if line_break else ""))
    stream.flush()
