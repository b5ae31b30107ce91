"""The loops behind ``fit``, ``evaluate`` and ``predict``.

The per-step work is the model's own ``train_step``/``test_step``/``predict_step``;
this module surrounds it with what every loop needs: placing the model, turning the
data into device batches, building lazily built models and optimizers, callbacks,
progress output, and the epoch bookkeeping. Nothing here reads a device value per
step: logs are read when the progress bar redraws and at the end of each epoch.

What the loops decide for a model (its precision policy, ``torch.compile``, the DDP
wrapper, the running ``fit``'s state) lives in one ``TrainerState`` kept on the model
(``fitorch.training.state``); this package never imports ``fitorch.models``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from fitorch import _torch_private
from fitorch.callbacks import Callback, CallbackList, History, ProgbarLogger
from fitorch.distributed.loop import LoopDistribution
from fitorch.distributed.sharding import Shard
from fitorch.interop import to_numpy
from fitorch.layers.call_context import step_mode
from fitorch.layers.layer import Layer, constraints_in_use
from fitorch.training import validation
from fitorch.training.data import DataAdapter, make_adapter, pack_batch, prepare, split_validation
from fitorch.training.logs import MetricLogs, StepOutputMeans
from fitorch.training.precision import PrecisionPolicy
from fitorch.training.state import TrainerState, routed_train_step
from fitorch.utils.tree import flatten, pack_sequence_as

if TYPE_CHECKING:
    from fitorch.models.model import Model


def resolve_verbose(verbose: str | int) -> int:
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 'auto', 0, 1 or 2; received {verbose!r}.")
    return int(verbose)


def has_unbuilt_parts(model: nn.Module) -> bool:
    """True when a layer (or a torch lazy module) still waits for its first input.

    A layer with no computation of its own (neither ``call`` nor ``forward``: a container such
    as Keras' VAE example, whose ``train_step`` calls its sub-models) cannot be called; only
    its sub-layers, walked here too, decide.
    """
    for module in model.modules():
        if isinstance(module, Layer) and not module.built and _computes(module):
            return True
        if isinstance(module, nn.modules.lazy.LazyModuleMixin) and module.has_uninitialized_params():
            return True
    return False


def _computes(layer: Layer) -> bool:
    """Whether ``layer``'s class defines its computation (a ``call`` or a ``forward``)."""
    cls = type(layer)
    return cls.call is not Layer.call or cls.forward is not Layer.forward


@dataclass
class FitState:
    """Where a running ``fit`` stands; ``model.fit_state`` during (and after) training.

    Attributes:
        epoch: the current epoch.
        step: batches completed in the current epoch.
        data: the training data adapter (``data.state()`` is its exact data order).
        callbacks: every callback of this ``fit``.
        resume: set by a callback in ``on_train_begin`` to ``{'epoch', 'step', 'data'}``
            to continue an interrupted run from there.
    """

    epoch: int
    data: DataAdapter
    callbacks: list[Callback]
    step: int = 0
    resume: dict[str, Any] | None = None


def jit_compile_pays_off(device: torch.device) -> bool:
    """``jit_compile='auto'``: whether ``torch.compile`` is switched on for ``device``.

    Today 'auto' is off on every device, whatever ``device`` is. On CPU the benchmarks
    measured no steady-state gain for the small models fitorch is used with, and
    compiling costs tens of seconds up front. No GPU measurement exists yet (see
    ``benchmarks/RESULTS.md``), so it stays off there too until one shows a gain;
    ``jit_compile=True`` turns it on anywhere.
    """
    return False


def apply_speed_switches(model: Model) -> None:
    """Resolves ``jit_compile`` and ``mixed_precision`` for the model's current device (in its ``TrainerState``)."""
    state = TrainerState.of(model)
    device = model.device
    key = (model._mixed_precision, device)
    if state.precision_key != key:  # keep the GradScaler's state otherwise
        state.precision = PrecisionPolicy.resolve(model._mixed_precision, device)
        state.precision_key = key
    wanted = model._jit_compile is True or (model._jit_compile == "auto" and jit_compile_pays_off(device))
    if wanted and not _torch_private.is_compiled(model):
        nn.Module.compile(model)  # torch's in-place compile of the model's calls; Model.compile is Keras'
        state.jit_compiled = True
    elif not wanted and state.jit_compiled:  # (a compile the user did themselves stays)
        _torch_private.uncompile(model)
        state.jit_compiled = False


class Trainer:
    """Runs the loops for one model."""

    def __init__(self, model: Model) -> None:
        self.model = model

    # ------------------------------------------------------------------ set-up
    def _prepare(self, adapter: DataAdapter | None, training: bool, distribution: LoopDistribution | None = None) -> None:
        """Builds lazily built layers from the first batch, applies the distribution strategy
        (training only), then builds the optimizer on the parameters that result."""
        model = self.model
        if adapter is not None and has_unbuilt_parts(model):
            was_training = model.training
            model.eval()
            with torch.no_grad():
                model(adapter.first_batch()[0])
            model.train(was_training)
        config = model._compile_config
        if config is not None and not config.built:
            config.output_names = model.output_names  # known now that the model is built
        if training and distribution is not None:
            replica = distribution.apply_strategy(model)
            if replica is not None:
                TrainerState.of(model).replica = replica
        optimizer = model.optimizer
        parameters = list(model.parameters()) if training else []
        if parameters and getattr(optimizer, "built", True) is False:  # (Keras fits weightless models too)
            optimizer.build(parameters)
        if config is not None:
            apply_speed_switches(model)

    def _callbacks(self, callbacks: Sequence[Callback] | None, verbose: int, params: dict[str, Any],
                   distribution: LoopDistribution) -> CallbackList:  # fmt: skip
        user = [_as_callback(c, self.model) for c in callbacks or []]
        extra: list[Callback] = []
        if not distribution.main:  # only rank 0 shows progress
            user = [c for c in user if not isinstance(c, ProgbarLogger)]
        elif verbose and not any(isinstance(c, ProgbarLogger) for c in user):
            extra.append(ProgbarLogger(verbose=verbose))
        return CallbackList([*user, *extra], self.model, params, main_process=distribution.main)

    def _distribution(self) -> LoopDistribution:
        return LoopDistribution(getattr(self.model, "_distribute", "auto"))

    def _adapter(self, x: Any, y: Any, sample_weight: Any, batch_size: int | None, shuffle: bool,
                 steps: int | None, class_weight: Mapping[int, float] | None = None,
                 argument: str = "x", shard: Shard | None = None) -> DataAdapter:  # fmt: skip
        return make_adapter(
            x, y, sample_weight, batch_size=batch_size, shuffle=shuffle, device=self.model.device, steps=steps,
            class_weight=class_weight, argument=argument, shard=shard, model=self.model,
        )  # fmt: skip

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        x: Any,
        y: Any,
        *,
        batch_size: int | None,
        epochs: int,
        verbose: str | int,
        callbacks: Sequence[Callback] | None,
        validation_split: float,
        validation_data: Any,
        shuffle: bool,
        class_weight: Mapping[int, float] | None,
        sample_weight: Any,
        initial_epoch: int,
        steps_per_epoch: int | None,
        validation_steps: int | None,
        validation_batch_size: int | None,
        validation_freq: int,
    ) -> History:
        model = self.model
        config = model._require_compiled("fit")
        verbose = resolve_verbose(verbose)
        validation.check_fit_arguments(
            batch_size, epochs, validation_split, shuffle, class_weight, initial_epoch, steps_per_epoch,
            validation_steps, validation_batch_size, validation_freq,
        )  # fmt: skip
        distribution = self._distribution()
        model.place()
        validation.check_model_device(model, "fit")
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = split_validation(x, y, sample_weight, validation_split)
        train_data = self._adapter(
            x, y, sample_weight, batch_size, shuffle, steps_per_epoch, class_weight, shard=distribution.shard(True)
        )
        validation.check_first_batch(model, train_data.host_first_batch(), "x", "fit")
        val_data = None
        if validation_data is not None:
            val_x, val_y, val_w = _unpack_validation(validation_data)
            val_data = self._adapter(
                val_x, val_y, val_w, validation_batch_size or batch_size, False, validation_steps,
                argument="validation_data", shard=distribution.shard(False),
            )  # fmt: skip
            validation.check_first_batch(model, val_data.host_first_batch(), "validation_data", "evaluate")
        self._prepare(train_data, training=True, distribution=distribution)
        config.to(model.device)

        history = History()
        callback_list = self._callbacks(
            [*(callbacks or []), history], verbose, {"epochs": epochs, "steps": train_data.steps, "verbose": verbose},
            distribution,
        )  # fmt: skip
        try:
            with distribution.explaining("fit"):
                return self._fit_loop(
                    train_data, val_data, callback_list, history, distribution, epochs, initial_epoch, validation_freq
                )
        finally:
            for adapter in (train_data, val_data):
                if adapter is not None:
                    adapter.close()

    def _fit_loop(
        self, train_data: DataAdapter, val_data: DataAdapter | None, callback_list: CallbackList, history: History,
        distribution: LoopDistribution, epochs: int, initial_epoch: int, validation_freq: int,
    ) -> History:  # fmt: skip
        model = self.model
        config = model._compile_config
        model.stop_training = False
        model.history = history
        trainer_state = TrainerState.of(model)
        state = FitState(epoch=initial_epoch, data=train_data, callbacks=callback_list.callbacks)
        trainer_state.fit = state
        replica = trainer_state.replica  # DDP: the training step's calls go through it
        callback_list.call("on_train_begin", None)
        start_step = 0
        if state.resume is not None:  # a callback (BackupAndRestore) restored an interrupted run
            initial_epoch, start_step = state.resume["epoch"], state.resume["step"]
            if state.resume.get("data") is not None:
                train_data.load_state(state.resume["data"])
            state.resume = None
        batch_hooks = callback_list.wants("on_train_batch_begin")
        # A stop asked for mid-epoch on one rank must reach the others at once, at the cost
        # of one small collective per step: paid only when something could ask for it.
        agree_each_step = distribution.active and (
            callback_list.may_stop_mid_epoch() or type(model)._overrides_step("train_step")
        )
        constraints = constraints_in_use(model)
        epoch_logs: dict[str, float] = {}
        for epoch in range(initial_epoch, epochs):
            if start_step == 0:
                _reset_metrics(model, config)  # (a resumed epoch keeps the accumulators it restored)
            step_means = _step_outputs(model)
            model.train()
            state.epoch, state.step = epoch, start_step
            callback_list.call("on_epoch_begin", epoch, None)
            logs: MetricLogs = config.logs
            steps_done = start_step
            for step, batch in enumerate(train_data.epoch(start_step), start=start_step):
                if batch_hooks:
                    callback_list.call("on_train_batch_begin", step, None)
                with step_mode(True):
                    output = model.train_step(batch) if replica is None else routed_train_step(model, replica, batch)
                logs = _step_logs(output, step_means, config, "train_step")
                if constraints:
                    model.apply_constraints()  # Keras applies constraints after each update
                state.step = steps_done = step + 1
                callback_list.call("on_train_batch_end", step, logs)
                if agree_each_step:  # every rank must stop at the same step
                    model.stop_training = distribution.agree_to_stop(model.stop_training)
                if model.stop_training:
                    break
            start_step = 0
            if getattr(train_data, "exhausted", False) and steps_done == 0:
                model.stop_training = True
                break
            if train_data.steps is None:
                train_data.steps = steps_done
                callback_list.callbacks and _set_steps(callback_list, steps_done)
            train_data.on_epoch_end()
            epoch_logs = distribution.read_logs(logs)
            if val_data is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_loop(val_data, callback_list, distribution)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.call("on_epoch_end", epoch, epoch_logs)
            if distribution.active:
                model.stop_training = distribution.agree_to_stop(model.stop_training)
            if model.stop_training:
                break
        finalize = getattr(model.optimizer, "finalize_variable_values", None)
        if finalize is not None and epochs > initial_epoch:
            finalize()  # Keras: with use_ema, the moving averages become the final weights
        callback_list.call("on_train_end", epoch_logs)
        return history

    # ------------------------------------------------------------------ evaluate
    def _evaluate_loop(
        self, data: DataAdapter, callback_list: CallbackList, distribution: LoopDistribution
    ) -> dict[str, float]:
        model = self.model
        config = model._require_compiled("evaluate")
        _reset_metrics(model, config)
        step_means = _step_outputs(model)
        model.eval()
        callback_list.call("on_test_begin", None)
        logs: MetricLogs = config.logs
        with torch.no_grad():
            for step, (batch, real) in enumerate(distribution.lockstep(model, data.epoch(), data.first_batch)):
                if not real:  # an FSDP rank with no batch left: forward only, for the others' gathers
                    with step_mode(False):
                        model.predict_step(batch)
                    continue
                callback_list.call("on_test_batch_begin", step, None)
                with step_mode(False):
                    output = model.test_step(batch)
                logs = _step_logs(output, step_means, config, "test_step")
                callback_list.call("on_test_batch_end", step, logs)
        results = distribution.read_logs(logs)
        callback_list.call("on_test_end", results)
        return results

    def evaluate(
        self, x: Any, y: Any, *, batch_size: int | None, verbose: str | int, sample_weight: Any,
        steps: int | None, callbacks: Sequence[Callback] | None, return_dict: bool,
    ) -> Any:  # fmt: skip
        model = self.model
        config = model._require_compiled("evaluate")
        data, callback_list, distribution = self._start_inference(
            "evaluate", x, y, sample_weight, batch_size, steps, verbose, callbacks
        )
        config.to(model.device)
        try:
            with distribution.explaining("evaluate"):
                results = self._evaluate_loop(data, callback_list, distribution)
        finally:
            data.close()
        return _format_results(results, return_dict)

    def _start_inference(
        self, method: str, x: Any, y: Any, sample_weight: Any, batch_size: int | None, steps: int | None,
        verbose: str | int, callbacks: Sequence[Callback] | None,
    ) -> tuple[DataAdapter, CallbackList, LoopDistribution]:  # fmt: skip
        """What evaluate and predict do before their loops: check the arguments, place the model, adapt and
        check the data, prepare the model for it, make the callbacks."""
        model = self.model
        verbose = resolve_verbose(verbose)
        validation.check_count(batch_size, "batch_size", method)
        validation.check_count(steps, "steps", method)
        distribution = self._distribution()
        model.place()
        validation.check_model_device(model, method)
        data = self._adapter(x, y, sample_weight, batch_size, False, steps, shard=distribution.shard(False))
        validation.check_first_batch(model, data.host_first_batch(), "x", method)
        self._prepare(data, training=False)
        callback_list = self._callbacks(callbacks, verbose, {"steps": data.steps, "verbose": verbose}, distribution)
        return data, callback_list, distribution

    # ------------------------------------------------------------------ predict
    def predict(
        self, x: Any, *, batch_size: int | None, verbose: str | int, steps: int | None,
        callbacks: Sequence[Callback] | None,
    ) -> Any:  # fmt: skip
        data, callback_list, distribution = self._start_inference(
            "predict", x, None, None, batch_size, steps, verbose, callbacks
        )
        try:
            return self._predict_loop(data, callback_list, distribution)
        finally:
            data.close()

    def _predict_loop(self, data: DataAdapter, callback_list: CallbackList, distribution: LoopDistribution) -> Any:
        model = self.model
        model.eval()
        callback_list.call("on_predict_begin", None)
        structure, columns = None, []
        with distribution.explaining("predict"), torch.no_grad():
            for step, (batch, real) in enumerate(distribution.lockstep(model, data.epoch(), data.first_batch)):
                if real:
                    callback_list.call("on_predict_batch_begin", step, None)
                with step_mode(False):
                    outputs = model.predict_step(batch)
                if not real:
                    continue
                leaves = [t.detach() if isinstance(t, torch.Tensor) else t for t in flatten(outputs)]
                if structure is None:
                    structure, columns = outputs, [[] for _ in leaves]
                for column, leaf in zip(columns, leaves, strict=True):
                    column.append(leaf)
                callback_list.call("on_predict_batch_end", step, {"outputs": outputs})
        callback_list.call("on_predict_end", None)
        with distribution.explaining("predict"):
            gathered = distribution.gather(columns)  # every rank's rows, in the data's order
        if gathered is not None:
            if structure is None:  # this rank got no batch (fewer batches than ranks); rank 0 did
                structure = gathered[0] if len(gathered) == 1 else list(gathered)
            columns = [[t] for t in gathered]
        if structure is None:
            raise ValueError("predict: the input yielded no batches.")
        merged = [torch.cat(column) if isinstance(column[0], torch.Tensor) else column for column in columns]
        return to_numpy(pack_sequence_as(structure, merged))

    # ------------------------------------------------------------------ single batches
    def on_batch(self, kind: str, x: Any, y: Any, sample_weight: Any, return_dict: bool) -> Any:
        model = self.model
        config = model._require_compiled("train_on_batch" if kind == "train" else "test_on_batch")
        model.place()
        float_dtype = validation.model_float_dtype(model)
        batch = prepare(pack_batch(x, y, sample_weight), model.device, float_dtype=float_dtype)
        if has_unbuilt_parts(model):
            model.eval()
            with torch.no_grad():
                model(batch[0])
        distribution = self._distribution()  # each rank brings its own batch; DDP syncs the gradients
        self._prepare(None, training=kind == "train", distribution=distribution)
        config.to(model.device)
        _reset_metrics(model, config)
        step_means = _step_outputs(model)
        if kind == "train":
            model.train()
            replica = TrainerState.of(model).replica
            with step_mode(True):
                output = model.train_step(batch) if replica is None else routed_train_step(model, replica, batch)
            logs = _step_logs(output, step_means, config, "train_step")
            if constraints_in_use(model):
                model.apply_constraints()
        else:
            model.eval()
            with torch.no_grad():
                with step_mode(False):
                    output = model.test_step(batch)
                logs = _step_logs(output, step_means, config, "test_step")
        return _format_results(distribution.read_logs(logs), return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        model = self.model
        model.place()
        model.eval()
        with torch.no_grad():
            batch = (prepare(x, model.device, float_dtype=validation.model_float_dtype(model)),)
            with step_mode(False):
                return to_numpy(model.predict_step(batch))


def _as_callback(callback: Any, model: Any) -> Any:
    """A torch ``LRScheduler`` in ``callbacks`` steps once per epoch, as torch code expects."""
    if isinstance(callback, torch.optim.lr_scheduler.LRScheduler):
        from fitorch.optimizers.schedules import attach

        return attach(model.optimizer, callback, interval="epoch")
    return callback


def user_metrics(model: Any) -> list[Any]:
    """The metrics of a ``metrics`` property a Model subclass defines (Keras' custom ``train_step`` pattern:
    ``return [self.loss_tracker, ...]``)."""
    prop = getattr(type(model), "metrics", None)
    if not isinstance(prop, property) or getattr(prop.fget, "_fitorch_compiled_only", False):
        return []  # (Model's own `metrics` lists the compiled ones, which the loops already reset)
    return [m for m in prop.fget(model) or [] if hasattr(m, "reset_state")]


def _reset_metrics(model: Any, config: Any) -> None:
    """Keras resets the compiled metrics and the model's own ``metrics`` at each epoch and evaluation."""
    config.reset_metrics()
    for metric in user_metrics(model):
        metric.reset_state()


def _step_outputs(model: Any) -> StepOutputMeans:
    """Running means of what a custom step returns; its latest values when the model has its own ``metrics``."""
    return StepOutputMeans(latest=bool(user_metrics(model)))


def _step_logs(output: Any, step_means: StepOutputMeans, config: Any, method: str = "train_step") -> MetricLogs:
    """The logs a step produced: the compiled metrics, or running means of what it returned."""
    if isinstance(output, MetricLogs):
        return output
    if output is None:
        return config.logs
    validation.check_step_output(output, method)
    step_means.update(output)
    return step_means


def _set_steps(callback_list: CallbackList, steps: int) -> None:
    for callback in callback_list.callbacks:
        callback.params["steps"] = steps


def _unpack_validation(validation_data: Any) -> tuple[Any, Any, Any]:
    if isinstance(validation_data, (tuple, list)) and len(validation_data) in (2, 3):
        x, y, *rest = validation_data
        return x, y, rest[0] if rest else None
    if isinstance(validation_data, (tuple, list)):
        raise ValueError(
            "fit: validation_data must be (x_val, y_val), (x_val, y_val, val_sample_weight), a generator or a "
            f"Dataset; received a {type(validation_data).__name__} of {len(validation_data)} elements."
        )
    return validation_data, None, None


def _format_results(results: dict[str, float], return_dict: bool) -> Any:
    if return_dict:
        return results
    values = list(results.values())
    return values[0] if len(values) == 1 else values
