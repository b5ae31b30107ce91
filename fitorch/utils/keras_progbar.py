"""``Progbar``: Keras' progress bar utility (``keras.utils.Progbar``) for your own loops.

It draws with the same formatting as ``fit``'s progress bar
(:mod:`fitorch.utils.progbar`); what it adds is Keras' interface: ``update(current,
values)`` with ``values`` a list of ``(name, value)`` pairs averaged over steps
(except ``stateful_metrics``, shown as given), ``add(n, values)``, and a
``finalize`` that defaults to ``current >= target``.

Example:
    >>> import io
    >>> out = io.StringIO()
    >>> bar = Progbar(3, stream=out)
    >>> bar.update(1, [("loss", 1.0)])
    >>> bar.add(1, [("loss", 3.0)])
    >>> bar.add(1, [("accuracy", 0.5)])
    >>> out.getvalue().strip().endswith("accuracy: 0.5000 - loss: 2.0000")
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from fitorch.utils import progbar


class Progbar(progbar.Progbar):
    """Displays a progress bar (Keras' ``keras.utils.Progbar``).

    Args:
        target: total number of steps, or ``None`` if unknown.
        width: the bar's width in characters.
        verbose: ``0`` silent, ``1`` a live bar, ``2`` one line when finished.
        interval: minimum seconds between redraws.
        stateful_metrics: names whose values are shown as given rather than averaged.
        stateless_metrics: alternatively, the only names to average (the rest are shown as given).
        unit_name: what a step is called in the timing (``'step'``, ``'sample'``...).
        stream: where to write; default ``sys.stdout``.
    """

    def __init__(
        self,
        target: int | None,
        width: int = 20,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics: Iterable[str] | None = None,
        stateless_metrics: Iterable[str] | None = None,
        unit_name: str = "step",
        stream: IO[str] | None = None,
    ) -> None:
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError("Progbar: pass stateful_metrics or stateless_metrics, not both.")
        if not isinstance(width, int) or width < 1:
            raise ValueError(f"Progbar: width must be a positive int; received width={width!r}.")
        super().__init__(target, verbose=verbose, stream=stream, interval=interval)
        self.width = width
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self._values: dict[str, list[float]] = {}
        self._seen_so_far = 0

    def _averaged(self, name: str) -> bool:
        if self.stateless_metrics is not None:
            return name in self.stateless_metrics
        return name not in self.stateful_metrics

    def update(self, current: int, values: Any = None, finalize: bool | None = None) -> None:
        """Moves the bar to step ``current``.

        Args:
            current: the index of the current step.
            values: ``(name, value)`` pairs for the last step (a dict works too).
            finalize: whether this is the last update; default ``current >= target``.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        pairs = values.items() if isinstance(values, dict) else (values or [])
        for name, value in pairs:
            value = float(value)
            if self._averaged(name) and not finalize:
                weight = max(current - self._seen_so_far, 1)
                total, count = self._values.get(name, [0.0, 0])
                self._values[name] = [total + value * weight, count + weight]
            else:  # shown as given; Keras also shows the final update's own values as given
                self._values[name] = [value, 1]
        self._seen_so_far = current
        self.current = current
        if self.verbose == 0 or (not finalize and not self.due()):
            return
        logs = {name: total / max(count, 1) for name, (total, count) in self._values.items()}
        super().update(current, logs, finalize=finalize)

    def add(self, n: int, values: Any = None) -> None:
        """Advances the bar by ``n`` steps."""
        self.update(self._seen_so_far + n, values)

    def _bar(self, current: int, finalize: bool) -> str:
        # The parent's bar at this bar's width: the same characters and colours.
        if not self.dynamic:
            return "━" * self.width
        fraction = 1.0 if finalize or not self.target else min(current / self.target, 1.0)
        done = int(self.width * fraction)
        return f"{progbar._GREEN}{'━' * done}{progbar._GREY}{'━' * (self.width - done)}{progbar._RESET}"

    def _timing(self, elapsed: float, per_step: float, current: int, finalize: bool) -> str:
        return super()._timing(elapsed, per_step, current, finalize).replace("/step", f"/{self.unit_name}")
