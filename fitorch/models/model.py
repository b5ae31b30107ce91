"""``Model``: an ``nn.Module`` with Keras' training API.

Three ways to get one, all plain ``nn.Module``s:

* ``Model(inputs, outputs)``: the functional API (returns a ``Functional``);
* ``class Net(fitorch.Model)`` with ``__init__``/``forward`` (PyTorch style; ``call``
  works too);
* ``fitorch.wrap(module)`` for any existing ``nn.Module``.

The training loops live in ``fitorch.training``; this class holds the per-batch
steps (``train_step``, ``test_step``, ``predict_step``), which users may override.

Example:
    >>> import numpy as np, torch, fitorch
    >>> class Net(fitorch.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.dense = torch.nn.Linear(4, 1)
    ...     def forward(self, x):
    ...         return self.dense(x)
    >>> model = Net()
    >>> model.compile(optimizer="sgd", loss="mse")
    >>> history = model.fit(np.ones((8, 4)), np.zeros((8, 1)), epochs=2, verbose=0)
    >>> sorted(history.history)
    ['loss']
"""

from __future__ import annotations

import functools
import inspect
import numbers
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import torch
from torch import nn

from fitorch.devices import best_device, scoped_device
from fitorch.graph.call import contains_symbolic
from fitorch.layers.layer import Layer, losses_in_use
from fitorch.training.compile import CompileConfig, CompiledMetrics
from fitorch.training.logs import MetricLogs
from fitorch.training.precision import FULL_PRECISION, PrecisionPolicy
from fitorch.training.state import STEP_ROUTE


@functools.cache
def _step_needs_closure(optimizer_type: type) -> bool:
    step = getattr(optimizer_type, "step", None)
    try:
        closure = inspect.signature(step).parameters.get("closure")
    except (TypeError, ValueError):
        return False
    return closure is not None and closure.default is inspect.Parameter.empty


def needs_closure(optimizer: Any) -> bool:
    """True for an optimizer whose ``step`` requires a closure (``torch.optim.LBFGS``)."""
    return optimizer is not None and _step_needs_closure(type(optimizer))


def _names_device(args: tuple, kwargs: dict[str, Any]) -> bool:
    """True when ``nn.Module.to(*args, **kwargs)`` is given a device.

    ``to`` takes ``(device, dtype, non_blocking)``, ``(dtype, non_blocking)``,
    ``(tensor, non_blocking)`` or keywords: a device is a ``torch.device``, a string, a
    device index, or the device of a tensor given in its place.
    """
    if kwargs.get("device") is not None or kwargs.get("tensor") is not None:
        return True
    if not args:
        return False
    first = args[0]
    if isinstance(first, bool):  # (an int, but only ever non_blocking)
        return False
    return isinstance(first, (torch.device, str, numbers.Integral, torch.Tensor))


def unpack_batch(batch: Any) -> tuple[Any, Any, Any]:
    """Splits a batch into ``(x, y, sample_weight)`` the way Keras does.

    A tuple or list of length 2 or 3 is ``(x, y[, sample_weight])``; a 1-tuple is
    ``(x,)``; anything else (a tensor, a dict) is ``x`` alone.
    """
    if isinstance(batch, list):
        batch = tuple(batch)
    if not isinstance(batch, tuple) or hasattr(batch, "_fields"):
        return batch, None, None
    if len(batch) == 1:
        return batch[0], None, None
    if len(batch) == 2:
        return batch[0], batch[1], None
    if len(batch) == 3:
        return batch[0], batch[1], batch[2]
    raise ValueError(
        f"A batch must be x, (x,), (x, y) or (x, y, sample_weight); received a tuple of {len(batch)} elements."
    )


def _functional_variant(cls: type, functional: type) -> type:
    """``cls`` built from ``inputs`` and ``outputs``: a class deriving from ``cls`` and ``Functional``.

    Keras lets a ``Model`` subclass be constructed like a functional model (``MyModel(inputs,
    outputs)``) to keep its own ``train_step`` or methods; Keras rewrites the subclass's bases.
    fitorch leaves the user's class as it is and makes one derived class per subclass (kept on
    the subclass), whose method order is the subclass's own, then ``Functional``'s: ``isinstance``
    and the class name stay the user's.
    """
    variant = cls.__dict__.get("_fitorch_functional_variant")
    if variant is None:
        namespace = {
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
            "__doc__": cls.__doc__,
            "_produces_masks": cls._produces_masks,  # (Functional's compute_mask makes no mask of its own)
            "_fitorch_serializes_as": cls,  # (saved under the user's class name, rebuilt through it)
        }
        variant = type(cls.__name__, (cls, functional), namespace)
        type.__setattr__(cls, "_fitorch_functional_variant", variant)
    return variant


class Model(Layer):
    """A layer with a training API: ``compile``, ``fit``, ``evaluate``, ``predict``.

    Args:
        inputs: for the functional API, the model's ``Input`` tensor(s).
        outputs: for the functional API, the output symbolic tensor(s).
        name: optional model name.
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Model:
        if args or "inputs" in kwargs or "outputs" in kwargs:
            from fitorch.models.functional import Functional

            if cls is Model:
                return Functional.__new__(Functional)
            if not issubclass(cls, Functional) and contains_symbolic(args[:2], kwargs):
                # Keras' "functional subclass": MyModel(inputs, outputs) with its own train_step.
                return Functional.__new__(_functional_variant(cls, Functional))
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args:
            raise TypeError(
                f"{type(self).__name__}: positional arguments are only for the functional API "
                "Model(inputs, outputs); a subclass calls super().__init__() with keywords only."
            )
        super().__init__(**kwargs)
        self._compile_config: CompileConfig | None = None
        self.optimizer: torch.optim.Optimizer | None = None
        self.stop_training = False
        self.history: Any = None
        # An explicit model.to(device) is respected; otherwise fit/evaluate/predict place the model.
        self._placed_explicitly = False
        # compile()'s switches (the model's compile config); the trainer resolves them per fit.
        self._jit_compile: bool | str = False
        self._mixed_precision: str | None = None
        self._distribute: Any = "auto"

    # ------------------------------------------------------------------ devices
    @property
    def device(self) -> torch.device:
        """The device of the model's weights (the current device when it has none yet)."""
        return self._weights_device()

    def to(self, *args: Any, **kwargs: Any) -> Model:
        if _names_device(args, kwargs):
            self._placed_explicitly = True
        return super().to(*args, **kwargs)

    def cuda(self, device: Any = None) -> Model:
        self._placed_explicitly = True
        return super().cuda(device)

    def cpu(self) -> Model:
        self._placed_explicitly = True
        return super().cpu()

    def place(self) -> torch.device:
        """Moves the model to the device work should run on, unless the user placed it.

        The device is the innermost ``fitorch.device`` scope, else ``best_device()``.
        A model whose weights already sit on an accelerator stays there.
        """
        target = scoped_device()
        if target is None:
            if self._placed_explicitly or self.device.type != "cpu":
                return self.device
            target = best_device()
        if self.device != target:
            nn.Module.to(self, target)
        return target

    # ------------------------------------------------------------------ distribution
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Under DDP, only while the trainer runs a training step of this model, its
        # gradient-tracking calls (the built-in train_step's self(x), or a custom one's) go
        # through the DDP wrapper, which calls back into this method: the route is cleared
        # for that inner call. model(x) anywhere else is the plain model.
        route = STEP_ROUTE.get()
        if route is not None and route[0] is self and torch.is_grad_enabled():
            token = STEP_ROUTE.set(None)
            try:
                return route[1](*args, **kwargs)
            finally:
                STEP_ROUTE.reset(token)
        return super().__call__(*args, **kwargs)  # (Layer's: NumPy in, torch tensors out)

    @property
    def distributed(self) -> bool:
        """True once ``fit`` has spread the model over several processes (DDP or FSDP)."""
        from fitorch.distributed.runtime import is_fully_sharded

        state = self.__dict__.get("_trainer_state")
        return (state is not None and state.replica is not None) or is_fully_sharded(self)

    # ------------------------------------------------------------------ fit-time state (set by the trainer)
    @property
    def precision(self) -> PrecisionPolicy:
        """The mixed-precision policy ``fit``/``evaluate``/``predict`` resolved for the model's device.

        Float32 (no autocast) until a loop has run, and when ``compile(mixed_precision=None)``,
        the default. A custom ``train_step`` runs its forward pass and loss under
        ``with self.precision.autocast():`` and may call ``self.precision.backward(loss)``
        and ``self.precision.step(self.optimizer)`` (which scale under ``'fp16'``), as the
        built-in step does.
        """
        state = self.__dict__.get("_trainer_state")
        return FULL_PRECISION if state is None else state.precision

    @property
    def fit_state(self) -> Any:
        """Where the running (or last) ``fit`` stands: a ``fitorch.training.trainer.FitState``; ``None`` before."""
        state = self.__dict__.get("_trainer_state")
        return None if state is None else state.fit

    @classmethod
    def _overrides_step(cls, name: str) -> bool:
        """True when this class replaces ``Model``'s ``train_step``, ``test_step`` or ``predict_step``."""
        return getattr(cls, name) is not getattr(Model, name)

    # ------------------------------------------------------------------ compile
    def compile(
        self,
        optimizer: Any = "rmsprop",
        loss: Any = None,
        metrics: Any = None,
        loss_weights: Any = None,
        weighted_metrics: Any = None,
        run_eagerly: bool = False,
        steps_per_execution: int = 1,
        jit_compile: bool | str = "auto",
        mixed_precision: str | None = None,
        distribute: Any = "auto",
    ) -> None:
        """Configures the model for training (Keras' signature and defaults).

        Args:
            optimizer: a name (``'adam'``), a fitorch optimizer, or a ``torch.optim``
                optimizer (built or not).
            loss: a name, a callable ``(y_true, y_pred)``, a fitorch loss, or a list/dict
                of them, one per output.
            metrics: a list of names/callables/metrics, or a dict/list of lists per output.
            loss_weights: a list or dict of per-output loss weights.
            weighted_metrics: metrics that also receive ``sample_weight``.
            run_eagerly: ``True`` turns ``jit_compile`` off (Keras' meaning); fitorch's
                tensors are always eager.
            steps_per_execution: accepted for Keras compatibility; must be 1.
            jit_compile: ``True`` runs the model's forward (and, through AOTAutograd, its
                backward) under ``torch.compile`` (torch's ``nn.Module.compile``);
                ``False`` runs it eagerly. ``'auto'`` is off on every device for now: the
                CPU benchmarks measured no gain for small models, and no GPU measurement
                exists yet (see ``docs/performance.md``).
            mixed_precision: ``None`` (the default: float32, as in Keras), ``'bf16'``,
                ``'fp16'`` (with a gradient scaler) or ``'auto'`` (bf16 on CUDA GPUs of
                compute capability 8.0+; see ``fitorch.training.precision``).
            distribute: how ``fit`` spreads the model over the processes of a
                ``torchrun`` launch: ``'auto'`` (DDP when there are several), ``'ddp'``,
                ``'fsdp'`` (FSDP2, for large models), ``None``, or a
                ``fitorch.distributed`` strategy (see ``docs/distributed.md``).
        """
        from fitorch import optimizers
        from fitorch.distributed.strategies import resolve
        from fitorch.training.precision import MODES

        if steps_per_execution != 1:
            raise ValueError(f"compile: steps_per_execution must be 1; received {steps_per_execution}.")
        if jit_compile not in ("auto", True, False):
            raise ValueError(f"compile: jit_compile must be 'auto', True or False; received {jit_compile!r}.")
        if mixed_precision not in MODES:
            raise ValueError(f"compile: mixed_precision must be one of {MODES}; received {mixed_precision!r}.")
        self.optimizer = optimizers.get(optimizer)
        self._jit_compile = False if run_eagerly else jit_compile
        self._mixed_precision = mixed_precision
        self._distribute = resolve(distribute)
        self._compile_config = CompileConfig(
            loss=loss,
            metrics=metrics,
            loss_weights=loss_weights,
            weighted_metrics=weighted_metrics,
            output_names=self.output_names,
        )

    @property
    def compiled(self) -> bool:
        return self._compile_config is not None

    @property
    def output_names(self) -> list[str] | None:
        """Names of the outputs (functional models); ``None`` when not known in advance."""
        return None

    def _require_compiled(self, method: str) -> CompileConfig:
        if self._compile_config is None:
            raise RuntimeError(f"You must call compile() before {method}(), e.g. model.compile('adam', 'mse').")
        return self._compile_config

    # ------------------------------------------------------------------ steps
    def compute_loss(
        self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None, training: bool = True
    ) -> torch.Tensor:
        """The total loss of a batch: compiled losses (weighted) plus any ``add_loss`` terms.

        Keras' signature and meaning: it computes, and updates only the per-output loss
        trackers of a multi-output model; the built-in steps then add the total to the
        ``loss`` tracker (``model.metrics[0]``), which a custom step does itself.
        Override it to change how the loss is computed; the built-in steps call it.
        """
        extra = self.losses if losses_in_use(self) else None
        return self._require_compiled("fit").compute_loss(y, y_pred, sample_weight, extra_losses=extra)

    @property
    def metrics(self) -> list[Any]:
        """Keras' ``model.metrics``: the ``loss`` tracker, then the compiled metrics as one ``compile_metrics``
        entry (when ``compile`` was given metrics), then per-output loss trackers; empty before ``compile``.

        A custom ``train_step`` written Keras' way updates them and returns
        ``{m.name: m.result() for m in self.metrics}``.
        """
        config = self._compile_config
        if config is None:
            return []
        entries: list[Any] = [config.loss_tracker]
        if config.metrics is not None or config.weighted_metrics is not None:
            entries.append(CompiledMetrics(config))
        return entries + config.loss_trackers()[1:]

    metrics.fget._fitorch_compiled_only = True  # (the trainer tells this from a subclass's own `metrics`)

    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> MetricLogs:
        """Updates the compiled metrics with a batch; returns the (lazily read) logs."""
        config = self._require_compiled("fit")
        config.update_metrics(y, y_pred, sample_weight)
        return config.logs

    def train_step(self, batch: Any) -> Any:
        """One optimisation step: zero_grad, forward, loss, backward, step, metrics.

        Override it to write your own step; ``fit`` keeps the progress bar, the
        callbacks and the devices. Return the loss tensor, a dict of tensors, or the
        result of ``compute_metrics``.
        """
        x, y, sample_weight = unpack_batch(batch)
        if needs_closure(self.optimizer):  # torch.optim.LBFGS re-evaluates the loss itself
            return self._closure_step(x, y, sample_weight)
        if getattr(self.optimizer, "built", True):  # (unbuilt: a model without weights)
            self.optimizer.zero_grad(set_to_none=True)
        with self.precision.autocast():
            y_pred = self(x)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
        self._compile_config.record_loss(loss, y_pred)
        if loss.requires_grad:  # (no trainable weights: the loss is logged, nothing is updated, as in Keras)
            self.precision.backward(loss)  # loss.backward(), scaled under float16
            self.precision.step(self.optimizer)  # optimizer.step(), unscaled under float16
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _closure_step(self, x: Any, y: Any, sample_weight: Any) -> Any:
        """A step for optimizers whose ``step(closure)`` evaluates the loss (``torch.optim.LBFGS``).

        The closure's first evaluation, at the weights before the update, is the one logged
        and given to the metrics (as in the plain step); later ones only feed the optimizer.
        """
        config = self._require_compiled("fit")
        first: list[Any] = []

        def closure() -> torch.Tensor:
            self.optimizer.zero_grad(set_to_none=True)
            with self.precision.autocast():
                y_pred = self(x)
                with config.tracking(not first):
                    loss = self.compute_loss(x, y, y_pred, sample_weight)
                    config.record_loss(loss, y_pred)
            if not first:
                first.append(y_pred)
            if loss.requires_grad:
                loss.backward()
            return loss

        self.optimizer.step(closure)
        return self.compute_metrics(x, y, first[0], sample_weight)

    def test_step(self, batch: Any) -> Any:
        """One evaluation step: forward, loss and metrics, no gradients."""
        x, y, sample_weight = unpack_batch(batch)
        with self.precision.autocast():
            y_pred = self(x)
            self._compile_config.record_loss(self.compute_loss(x, y, y_pred, sample_weight), y_pred)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, batch: Any) -> Any:
        """One inference step; returns the model's outputs for the batch."""
        x, _, _ = unpack_batch(batch)
        with self.precision.autocast():
            return self(x)

    # ------------------------------------------------------------------ loops
    def fit(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        epochs: int = 1,
        verbose: str | int = "auto",
        callbacks: Sequence[Any] | None = None,
        validation_split: float = 0.0,
        validation_data: Any = None,
        shuffle: bool = True,
        class_weight: Mapping[int, float] | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
        steps_per_epoch: int | None = None,
        validation_steps: int | None = None,
        validation_batch_size: int | None = None,
        validation_freq: int = 1,
    ) -> Any:
        """Trains the model; returns a ``History`` (Keras' signature and semantics).

        ``x`` may be NumPy arrays, tensors, lists/dicts of them, a generator or
        iterator of batches, a ``fitorch.utils.Sequence``, or a torch ``Dataset`` or
        ``DataLoader``.
        """
        from fitorch.training.trainer import Trainer

        return Trainer(self).fit(
            x, y, batch_size=batch_size, epochs=epochs, verbose=verbose, callbacks=callbacks,
            validation_split=validation_split, validation_data=validation_data, shuffle=shuffle,
            class_weight=class_weight, sample_weight=sample_weight, initial_epoch=initial_epoch,
            steps_per_epoch=steps_per_epoch, validation_steps=validation_steps,
            validation_batch_size=validation_batch_size, validation_freq=validation_freq,
        )  # fmt: skip

    def fit_generator(self, generator: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Deprecated Keras 2 name of ``fit``; warns, then calls ``fit(generator, ...)``."""
        warnings.warn(
            "Model.fit_generator is deprecated and will be removed; use Model.fit, which accepts "
            "generators, Sequences and DataLoaders.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.fit(generator, *args, **kwargs)

    def evaluate(
        self,
        x: Any = None,
        y: Any = None,
        batch_size: int | None = None,
        verbose: str | int = "auto",
        sample_weight: Any = None,
        steps: int | None = None,
        callbacks: Sequence[Any] | None = None,
        return_dict: bool = False,
    ) -> Any:
        """Returns the loss and metrics: a scalar, a list (Keras order), or a dict."""
        from fitorch.training.trainer import Trainer

        return Trainer(self).evaluate(
            x, y, batch_size=batch_size, verbose=verbose, sample_weight=sample_weight, steps=steps,
            callbacks=callbacks, return_dict=return_dict,
        )  # fmt: skip

    def predict(
        self,
        x: Any,
        batch_size: int | None = None,
        verbose: str | int = "auto",
        steps: int | None = None,
        callbacks: Sequence[Any] | None = None,
    ) -> Any:
        """Returns the model's outputs as NumPy arrays, in the structure the model returns."""
        from fitorch.training.trainer import Trainer

        return Trainer(self).predict(x, batch_size=batch_size, verbose=verbose, steps=steps, callbacks=callbacks)

    def train_on_batch(
        self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False
    ) -> Any:
        """Runs one ``train_step`` on one batch; returns the logs like ``evaluate``."""
        from fitorch.training.trainer import Trainer

        return Trainer(self).on_batch("train", x, y, sample_weight, return_dict)

    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, return_dict: bool = False) -> Any:
        """Runs one ``test_step`` on one batch; returns the logs like ``evaluate``."""
        from fitorch.training.trainer import Trainer

        return Trainer(self).on_batch("test", x, y, sample_weight, return_dict)

    def predict_on_batch(self, x: Any) -> Any:
        """Returns the model's outputs for one batch, as NumPy arrays."""
        from fitorch.training.trainer import Trainer

        return Trainer(self).predict_on_batch(x)

    # ------------------------------------------------------------------ introspection
    @property
    def layers(self) -> list[nn.Module]:
        """The model's direct sub-layers (and sub-modules), in order."""
        return list(self.children())

    def get_layer(self, name: str | None = None, index: int | None = None) -> nn.Module:
        """Returns a sub-layer by name or by index.

        Raises:
            ValueError: naming the available layers when nothing matches.
        """
        from fitorch.graph.node import module_name

        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if module_name(layer) == name:
                return layer
        names = [module_name(layer) for layer in self.layers]
        raise ValueError(f"No layer named {name!r} in model {self.name!r}. Available layers: {names}.")

    # ------------------------------------------------------------------ architecture config
    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Mapping[str, Any] | None = None) -> Any:
        """Creates a model from ``get_config()``'s output.

        ``Model.from_config`` of a functional model's config (its ``layers`` and
        ``nodes``) rebuilds that whole graph, as Keras does, and so does a subclass
        built from inputs and outputs (``MyModel(inputs, outputs)``); another subclass
        gets ``cls(**config)``.
        """
        if isinstance(config, dict) and "nodes" in config and "layers" in config:
            from fitorch.models.functional import Functional

            graph = Functional.from_config(config, custom_objects=custom_objects)
            if cls is Model or cls is Functional:
                return graph
            inputs = graph._input_tensors[0] if len(graph._input_tensors) == 1 else graph._input_tensors
            return cls(inputs, graph._outputs_structure, name=graph.name)
        return cls(**config)

    def to_json(self, **kwargs: Any) -> str:
        """The model's architecture as a JSON string, for ``fitorch.models.model_from_json``.

        ``kwargs`` go to ``json.dumps`` (e.g. ``indent=2``). Weights are not included.
        """
        from fitorch.models.model_json import to_json

        return to_json(self, **kwargs)

    def summary(
        self,
        line_length: int | None = None,
        positions: Any = None,
        print_fn: Any = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: Any = None,
    ) -> None:
        """Prints a Keras-style table of the layers, their output shapes and parameters.

        Args are Keras': ``line_length`` (the table's width), ``positions`` (accepted; the table
        sizes its columns itself), ``print_fn`` (called with each line instead of printing),
        ``expand_nested`` (list the layers of nested models under them), ``show_trainable`` (a
        ``Trainable`` column: ``Y``, ``N``, or ``-`` for a layer without weights) and
        ``layer_range`` (two regular expressions: the rows from the first layer matching the
        first to the last matching the second).
        """
        from fitorch.utils.summary import print_summary

        print_summary(self, line_length, positions, print_fn, expand_nested, show_trainable, layer_range)

    # ------------------------------------------------------------------ saving (fitorch.saving)
    def save(self, filepath: str, overwrite: bool = True) -> None:
        """Saves architecture, weights, compile config and optimizer state to a ``.fitorch`` file."""
        from fitorch.saving import save_model

        save_model(self, filepath, overwrite=overwrite)

    def save_weights(self, filepath: str, overwrite: bool = True) -> None:
        """Saves the ``state_dict`` to a ``.safetensors`` file."""
        from fitorch.saving import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath: str, skip_mismatch: bool = False) -> None:
        """Loads weights saved by ``save_weights`` (or a Keras ``.weights.h5`` file)."""
        from fitorch.saving import load_weights

        load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def export(self, filepath: str) -> None:
        """Exports the model to ONNX with a dynamic batch dimension."""
        from fitorch.export import export_onnx

        export_onnx(self, filepath)

    def count_params(self) -> int:
        return sum(p.numel() for p in self.parameters()) + sum(
            b.numel() for b in self.buffers() if b.is_floating_point()
        )

