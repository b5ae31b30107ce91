"""Keras-style progress lines.

On a terminal the bar redraws in place::

    157/157 ━━━━━━━━━━━━━━━━━━━━ 2s 12ms/step - accuracy: 0.9100 - loss: 0.3000

When output is not a terminal (pipes, CI logs) nothing is redrawn: each epoch
writes its final line once, with no carriage returns or colour codes. With
interactive logging off (``fitorch.utils.disable_interactive_logging()``) that
final line goes to the ``"fitorch"`` logger instead of the stream.

Example:
    >>> import io
    >>> out = io.StringIO()
    >>> bar = Progbar(4, stream=out)
    >>> bar.update(4, {"loss": 0.25}, finalize=True)
    >>> print(out.getvalue().split(" ")[0], out.getvalue().strip().endswith("loss: 0.2500"))
    4/4 True
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from typing import IO

from fitorch.utils import io_utils

BAR_WIDTH = 20
_GREEN, _GREY, _RESET = "\x1b[32m", "\x1b[90m", "\x1b[0m"


def format_value(value: float) -> str:
    """Keras' number format: 4 decimals, scientific notation for tiny magnitudes."""
    return f"{value:.4e}" if value != 0 and abs(value) < 1e-3 else f"{value:.4f}"


def format_logs(logs: Mapping[str, float]) -> str:
    """`` - accuracy: 0.9100 - loss: 0.3000`` with keys in alphabetical order."""
    return "".join(f" - {key}: {format_value(logs[key])}" for key in sorted(logs))


def format_time_per_step(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


class Progbar:
    """One epoch's progress line.

    Args:
        target: number of steps, or ``None`` when unknown.
        verbose: ``1`` for the live bar, ``2`` for one line at the end.
        stream: where to write (default ``sys.stdout``).
        interval: minimum seconds between redraws on a terminal.
    """

    def __init__(self, target: int | None, verbose: int = 1, stream: IO[str] | None = None, interval: float = 0.1):
        self.target = target
        self.verbose = verbose
        self.stream = stream or sys.stdout
        self.interval = interval
        self.interactive = io_utils.is_interactive_logging_enabled()
        self.dynamic = verbose == 1 and self.interactive and _is_terminal(self.stream)
        self.start = time.perf_counter()
        self.last_draw = 0.0
        self.current = 0

    def due(self) -> bool:
        """True when a redraw is due; callers read (and sync) their logs only then."""
        return self.dynamic and time.perf_counter() - self.last_draw >= self.interval

    def update(self, current: int, logs: Mapping[str, float] | None = None, finalize: bool = False) -> None:
        """Draws step ``current``; ``finalize`` ends the line."""
        self.current = current
        if not finalize and not self.dynamic:
            return
        now = time.perf_counter()
        self.last_draw = now
        elapsed = now - self.start
        per_step = elapsed / max(current, 1)
        if self.verbose == 2:
            line = f"{current}/{self.target or current} - {elapsed:.0f}s - {format_time_per_step(per_step)}"
        else:
            line = f"{self._counter(current)} {self._bar(current, finalize)} {self._timing(elapsed, per_step, current, finalize)}"
        line += format_logs(logs or {})
        if not self.interactive:
            io_utils.logger.info(line)
            return
        if self.dynamic:
            self.stream.write("\r" + line + "\x1b[K" + ("\n" if finalize else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def _counter(self, current: int) -> str:
        if self.target is None:
            return f"{current}/Unknown"
        width = len(str(self.target))
        return f"{current:>{width}}/{self.target}"

    def _bar(self, current: int, finalize: bool) -> str:
        fraction = 1.0 if finalize or not self.target else min(current / self.target, 1.0)
        done = int(BAR_WIDTH * fraction)
        if not self.dynamic:
            return "━" * BAR_WIDTH
        return f"{_GREEN}{'━' * done}{_GREY}{'━' * (BAR_WIDTH - done)}{_RESET}"

    def _timing(self, elapsed: float, per_step: float, current: int, finalize: bool) -> str:
        if finalize or not self.target:
            return f"{elapsed:.0f}s {format_time_per_step(per_step)}"
        eta = per_step * (self.target - current)
        return f"{eta:.0f}s {format_time_per_step(per_step)}"


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
