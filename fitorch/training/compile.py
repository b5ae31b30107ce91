"""What ``compile()`` sets up: losses, loss weights and metrics, per model output.

Structures follow Keras: a single loss serves every output; a list gives one per
output; a dict maps output names to losses (outputs without one get no loss).
Metrics may be a flat list (applied to every output), a list of lists, or a dict.
``'accuracy'``/``'acc'`` is resolved per output from its loss and shapes, as Keras does.
Everything is resolved on the first batch, once the output structure is known.

Log names follow Keras too: ``loss``, then ``{output}_loss`` per output of a
multi-output model, then ``accuracy`` (or ``{output}_accuracy``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import torch

from fitorch import losses as losses_module
from fitorch import metrics as metrics_module
from fitorch.training.logs import MetricLogs
from fitorch.utils.tree import flatten

_ACCURACY_NAMES = ("accuracy", "acc")


class LossTracker(metrics_module.Mean):
    """The epoch's mean loss: per-batch losses weighted by batch size, with no device op per step.

    Each step only keeps the detached loss tensor and the batch size (known on the
    host). The kept losses are folded into the ``total``/``count`` buffers with one
    ``stack``/``sum`` when the result (or the state) is read, or every ``FOLD_EVERY``
    steps so memory stays bounded. A per-step ``total += loss * batch_size`` would
    cost a kernel launch each step, which is most of a small model's step time.
    """

    FOLD_EVERY = 256

    def __init__(self, name: str) -> None:
        super().__init__(name=name)
        self._losses: list[torch.Tensor] = []
        self._weights: list[int] = []

    def update_state(self, values: torch.Tensor, sample_weight: int = 1) -> None:  # type: ignore[override]
        self._losses.append(values.detach())
        self._weights.append(sample_weight)
        if len(self._losses) >= self.FOLD_EVERY:
            self._fold()

    def flush(self) -> None:
        self._fold()

    def _fold(self) -> None:
        if not self._losses:
            return
        losses = torch.stack(self._losses).to(self.total.dtype)
        weights = self._weights
        if all(w == weights[0] for w in weights):
            self.total.add_(losses.sum(), alpha=weights[0])
        else:  # a short last batch: weight each loss by its own batch size
            self.total.add_((losses * torch.tensor(weights, dtype=losses.dtype, device=losses.device)).sum())
        self.count.add_(sum(weights))
        self._losses, self._weights = [], []

    def result(self) -> torch.Tensor:
        self._fold()
        return super().result()

    def reset_state(self) -> None:
        self._losses, self._weights = [], []
        super().reset_state()

    def _save_to_state_dict(self, destination: Any, prefix: str, keep_vars: bool) -> None:
        self._fold()
        super()._save_to_state_dict(destination, prefix, keep_vars)


@dataclass
class _Output:
    """Loss, weight and metrics attached to one model output."""

    name: str
    loss: Any = None
    loss_name: str | None = None
    weight: float = 1.0
    metrics: list[Any] = field(default_factory=list)
    weighted_metrics: list[Any] = field(default_factory=list)
    loss_tracker: Any = None


class CompileConfig:
    """Holds and applies the compiled losses and metrics.

    Args:
        loss: loss spec (see module docstring).
        metrics: metric spec.
        loss_weights: list or dict of per-output loss weights.
        weighted_metrics: metric spec for metrics that receive sample weights.
        output_names: the model's output names, when it knows them.
    """

    def __init__(
        self,
        loss: Any = None,
        metrics: Any = None,
        loss_weights: Any = None,
        weighted_metrics: Any = None,
        output_names: list[str] | None = None,
    ) -> None:
        self.loss, self.metrics, self.loss_weights = loss, metrics, loss_weights
        self.weighted_metrics = weighted_metrics
        self.output_names = output_names
        self.loss_tracker = LossTracker("loss")
        self._track = True
        self._whole = False
        self._outputs: list[_Output] | None = None
        self.logs = MetricLogs([self.loss_tracker])
        # Fail early on names that do not exist, before any data is touched.
        for spec in flatten([loss]):
            if isinstance(spec, str):
                losses_module.get(spec)
        for spec in flatten([metrics, weighted_metrics]):
            if isinstance(spec, str) and spec.lower() not in _ACCURACY_NAMES:
                metrics_module.get(spec)

    # ------------------------------------------------------------------ building
    @property
    def built(self) -> bool:
        return self._outputs is not None

    def build(self, y_true: Any, y_pred: Any) -> None:
        """Resolves every spec against the first batch's structure."""
        preds = flatten(y_pred)
        self._whole = _takes_whole_output(self.loss, y_true, preds)
        if self._whole:  # one loss for a structured output and one target: the loss gets the structure
            preds = preds[:1]  # (the metrics read the first output)
        names = self._names_for(len(preds))
        outputs = [_Output(name) for name in names]
        for output, spec in zip(outputs, self._per_output(self.loss, names, "loss"), strict=True):
            if self._whole:
                output.loss = WholeOutputLoss(spec)
            elif spec is not None:
                output.loss = losses_module.get(spec)
                output.loss_name = spec if isinstance(spec, str) else getattr(output.loss, "name", None)
        weights = self._per_output(self.loss_weights, names, "loss_weights") if self.loss_weights else []
        for output, weight in zip(outputs, weights, strict=False):
            output.weight = 1.0 if weight is None else float(weight)
        trues = self._flatten_targets(y_true, names) if y_true is not None else [None] * len(preds)
        multi = len(outputs) > 1
        for attr, spec in (("metrics", self.metrics), ("weighted_metrics", self.weighted_metrics)):
            for index, output_specs in enumerate(self._per_output_lists(spec, names)):
                built = [self._make_metric(s, outputs[index], trues[index], preds[index], multi) for s in output_specs]
                setattr(outputs[index], attr, built)
        trackers = [self.loss_tracker]
        if multi:
            for output in outputs:
                if output.loss is not None:
                    output.loss_tracker = LossTracker(f"{output.name}_loss")
                    trackers.append(output.loss_tracker)
        every_metric = [m for o in outputs for m in (*o.metrics, *o.weighted_metrics)]
        device = preds[0].device if isinstance(preds[0], torch.Tensor) else None
        for metric in [*trackers, *every_metric]:
            if device is not None:
                metric.to(device)
        self._outputs = outputs
        self.logs = MetricLogs([*trackers, *every_metric])

    def _names_for(self, count: int) -> list[str]:
        if self.output_names is not None and len(self.output_names) == count:
            return list(self.output_names)
        return ["output"] if count == 1 else [f"output_{i}" for i in range(count)]

    @staticmethod
    def _per_output(spec: Any, names: list[str], argument: str) -> list[Any]:
        """One entry per output from a single value, a list or a dict."""
        if isinstance(spec, dict):
            unknown = set(spec) - set(names)
            if unknown:
                raise ValueError(
                    f"compile: {argument} has keys {sorted(unknown)} that are not output names; "
                    f"the outputs are {names}."
                )
            return [spec.get(name) for name in names]
        if isinstance(spec, (list, tuple)):
            if len(spec) != len(names):
                raise ValueError(
                    f"compile: {argument} has {len(spec)} entries but the model has {len(names)} outputs {names}."
                )
            return list(spec)
        return [spec] * len(names)

    @classmethod
    def _per_output_lists(cls, spec: Any, names: list[str]) -> list[list[Any]]:
        if spec is None:
            return [[] for _ in names]
        if isinstance(spec, dict):
            values = cls._per_output(spec, names, "metrics")
            return [[] if v is None else list(v) if isinstance(v, (list, tuple)) else [v] for v in values]
        if isinstance(spec, (list, tuple)) and spec and all(isinstance(s, (list, tuple)) for s in spec):
            return [list(v) for v in cls._per_output(list(spec), names, "metrics")]
        items = list(spec) if isinstance(spec, (list, tuple)) else [spec]
        return [list(items) for _ in names]

    @staticmethod
    def _make_metric(spec: Any, output: _Output, y_true: Any, y_pred: Any, multi: bool) -> Any:
        if isinstance(spec, str) and spec.lower() in _ACCURACY_NAMES:
            true_shape = tuple(y_true.shape) if y_true is not None else tuple(y_pred.shape)
            metric = metrics_module.resolve_accuracy(true_shape, tuple(y_pred.shape), output.loss_name)(
                name=spec.lower()
            )
        else:
            metric = metrics_module.get(spec)
        if multi:
            metric.name = f"{output.name}_{metric.name}"
        return metric

    @contextlib.contextmanager
    def tracking(self, enabled: bool) -> Iterator[None]:
        """Within it, ``compute_loss`` updates the loss trackers only when ``enabled`` (an LBFGS closure
        evaluates the loss several times per step; only the first evaluation is logged)."""
        previous, self._track = self._track, enabled
        try:
            yield
        finally:
            self._track = previous

    # ------------------------------------------------------------------ per batch
    @staticmethod
    def _flatten_targets(y_true: Any, names: list[str]) -> list[Any]:
        if isinstance(y_true, dict):
            missing = [n for n in names if n not in y_true]
            if missing:
                raise ValueError(f"Targets are missing for outputs {missing}; received keys {sorted(y_true)}.")
            return [y_true[n] for n in names]
        targets = flatten(y_true)
        if len(targets) != len(names):
            raise ValueError(f"The model has {len(names)} outputs {names} but {len(targets)} targets were given.")
        return targets

    def compute_loss(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None, extra_losses: list[torch.Tensor] | None = None
    ) -> torch.Tensor:
        """Weighted sum of the per-output losses plus ``extra_losses``; updates the per-output loss trackers
        of a multi-output model (on the device). The total goes to the ``loss`` tracker through
        ``record_loss``."""
        if self.loss is None:  # as in Keras: the model's add_loss terms alone are the loss, and y is not used
            if not extra_losses:
                raise ValueError(
                    "No loss to compute: compile() was called without a loss and the model added none with "
                    "add_loss(); pass loss=... to compile()."
                )
            return sum(extra_losses[1:], extra_losses[0])
        if y_true is None:
            raise ValueError("This model was compiled with a loss, so fit/evaluate need targets y.")
        if not self.built:
            self.build(y_true, y_pred)
        preds, trues, weights = self._per_output_batch(y_true, y_pred, sample_weight)
        total = None
        for output, true, pred, weight in zip(self._outputs, trues, preds, weights, strict=True):
            if output.loss is None:
                continue
            value = output.loss(true, pred, sample_weight=weight)
            if output.loss_tracker is not None and self._track:
                output.loss_tracker.update_state(value, sample_weight=_batch_size(pred))
            term = value * output.weight if output.weight != 1.0 else value
            total = term if total is None else total + term
        if extra_losses:  # add_loss terms and weight regularizers count in the reported loss, as in Keras
            total = total + torch.stack([t.to(total.dtype) for t in extra_losses]).sum()
        return total

    def record_loss(self, total: torch.Tensor, y_pred: Any) -> None:
        """Adds a step's total loss to the ``loss`` tracker (the built-in steps do, after ``compute_loss``,
        as Keras' do: a custom step that calls ``compute_loss`` records it itself, e.g. through
        ``model.metrics``)."""
        if self._track:
            self.loss_tracker.update_state(total, sample_weight=_batch_size(y_pred))

    def update_metrics(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Updates every compiled metric with a batch (device ops only)."""
        if not self.built:
            self.build(y_true, y_pred)
        if y_true is None:
            return
        preds, trues, weights = self._per_output_batch(y_true, y_pred, sample_weight, for_loss=False)
        for output, true, pred, weight in zip(self._outputs, trues, preds, weights, strict=True):
            for metric in output.metrics:
                metric.update_state(true, pred)
            for metric in output.weighted_metrics:
                metric.update_state(true, pred, sample_weight=weight)

    def _per_output_batch(
        self, y_true: Any, y_pred: Any, sample_weight: Any, for_loss: bool = True
    ) -> tuple[list, list, list]:
        """Predictions, targets and sample weights as one list entry per output."""
        if len(self._outputs) == 1 and isinstance(y_pred, torch.Tensor) and isinstance(y_true, torch.Tensor):
            if sample_weight is None or isinstance(sample_weight, torch.Tensor):
                return [y_pred], [y_true], [sample_weight]  # the common case, without tree walks
        if self._whole:  # the loss gets the whole structure, the metrics its first output
            return [y_pred if for_loss else flatten(y_pred)[0]], flatten(y_true), [sample_weight]
        names = [o.name for o in self._outputs]
        preds, trues = flatten(y_pred), self._flatten_targets(y_true, names)
        return preds, trues, self._sample_weights(sample_weight, names)

    @staticmethod
    def _sample_weights(sample_weight: Any, names: list[str]) -> list[Any]:
        if isinstance(sample_weight, dict):
            return [sample_weight.get(n) for n in names]
        if isinstance(sample_weight, (list, tuple)):
            return list(sample_weight)
        return [sample_weight] * len(names)

    def reset_metrics(self) -> None:
        """Zeroes the loss trackers and metrics (at the start of each epoch/evaluation)."""
        for tracker in self.loss_trackers():
            tracker.reset_state()
        for metric in self.compiled_metrics():
            metric.reset_state()

    def loss_trackers(self) -> list[LossTracker]:
        """The total ``loss`` tracker, then one per output of a multi-output model (Keras' order)."""
        return [self.loss_tracker, *(o.loss_tracker for o in self._outputs or [] if o.loss_tracker is not None)]

    def compiled_metrics(self) -> list[Any]:
        """The metrics given to ``compile`` (once built from the first batch), output by output."""
        return [m for o in self._outputs or [] for m in (*o.metrics, *o.weighted_metrics)]

    def metric_modules(self) -> dict[str, Any]:
        """Every loss tracker and metric by log name: their buffers are the epoch's accumulators."""
        modules = {self.loss_tracker.name: self.loss_tracker}
        for output in self._outputs or []:
            for metric in (output.loss_tracker, *output.metrics, *output.weighted_metrics):
                if metric is not None:
                    modules[metric.name] = metric
        return modules

    def to(self, device: torch.device) -> None:
        """Moves every metric's state to ``device``."""
        self.loss_tracker.to(device)
        for output in self._outputs or []:
            for metric in (*output.metrics, *output.weighted_metrics):
                metric.to(device)
            if output.loss_tracker is not None:
                output.loss_tracker.to(device)


def _batch_size(pred: Any) -> int:
    return pred.shape[0] if isinstance(pred, torch.Tensor) else flatten(pred)[0].shape[0]


def _takes_whole_output(loss: Any, y_true: Any, preds: list[Any]) -> bool:
    """True for one loss callable (not a Keras loss) with several outputs and a single target.

    Keras applies one loss to each output when the targets have the outputs' structure,
    and fitorch does the same. With a single target Keras has no answer; a PyTorch model
    returning ``(logits, aux)`` trained with ``loss=fn`` then calls ``fn(y_true, outputs)``
    with the whole tuple, as the PyTorch loop it replaces did.
    """
    if len(preds) < 2 or y_true is None or len(flatten(y_true)) != 1:
        return False
    single = not isinstance(loss, (str, list, tuple, dict)) and loss is not None
    keras_loss = isinstance(loss, losses_module.Loss) or (
        isinstance(loss, type) and issubclass(loss, losses_module.Loss)
    )
    return single and callable(loss) and not keras_loss


class WholeOutputLoss:
    """A loss callable given the model's whole (structured) output: ``fn(y_true, y_pred_structure)``.

    torch losses (modules and ``torch.nn.functional`` losses) are called in torch's order,
    ``loss(outputs, target)``. Per-sample results are weighted and averaged as Keras does.
    """

    def __init__(self, fn: Any) -> None:
        from fitorch.losses.registry import is_torch_functional_loss

        self.torch_order = isinstance(fn, torch.nn.Module) or is_torch_functional_loss(fn)
        self.fn = fn
        self.name = getattr(fn, "__name__", type(fn).__name__)

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> torch.Tensor:
        from fitorch.losses.loss import reduce_weighted_values

        value = self.fn(y_pred, y_true) if self.torch_order else self.fn(y_true, y_pred)
        return reduce_weighted_values(torch.as_tensor(value), sample_weight)


class CompiledMetrics:
    """Keras' ``compile_metrics`` entry of ``model.metrics``: the compiled metrics as one metric.

    A custom ``train_step`` written Keras' way updates it with ``update_state(y, y_pred)``
    and returns ``{m.name: m.result() for m in self.metrics}``, whose ``compile_metrics``
    value is a dict of the compiled metrics' results (the logs flatten it, as Keras' do).

    Args:
        config: the model's compile config.
    """

    name = "compile_metrics"

    def __init__(self, config: CompileConfig) -> None:
        self._config = config

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        self._config.update_metrics(y_true, y_pred, sample_weight)

    def result(self) -> dict[str, torch.Tensor]:
        return {metric.name: metric.result() for metric in self._config.compiled_metrics()}

    def reset_state(self) -> None:
        for metric in self._config.compiled_metrics():
            metric.reset_state()
