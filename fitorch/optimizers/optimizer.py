"""The deferred-build base of fitorch optimizers: torch optimizers, created Keras-style.

Keras users create the optimizer before the model has weights::

    opt = fitorch.optimizers.Adam(learning_rate=1e-3)   # no parameters yet
    opt.build(model.parameters())                      # torch.optim.Adam.__init__ runs now

Each fitorch optimizer subclasses this base *and* its ``torch.optim`` class
(``class Adam(Optimizer, torch.optim.Adam)``), so after ``build`` it is that torch
optimizer: ``state_dict``, ``param_groups``, LR schedulers and ``GradScaler`` work
unchanged. This base only defers ``__init__``, keeps the Keras-named config, takes the
arguments every optimizer shares (:mod:`fitorch.optimizers.arguments`), and adds the
Keras features torch optimizers lack, all as optimizer step hooks (the torch class's
``step`` is untouched):

* gradient clipping (``clipnorm``, ``clipvalue``, ``global_clipnorm``) and, where
  torch has no decoupled form, Keras' decoupled ``weight_decay``
  (``p -= lr * weight_decay * p`` before the update);
* ``gradient_accumulation_steps``: gradients are summed over that many ``step()``
  calls and the parameters move once, with their mean (Keras' rule);
* ``use_ema`` / ``ema_momentum`` / ``ema_overwrite_frequency``: an exponential moving
  average of the weights, copied into the model by :meth:`Optimizer.finalize_variable_values`;
* ``learning_rate=`` a :class:`~fitorch.optimizers.schedules.LearningRateSchedule`:
  the rate of step ``n`` is ``schedule(n)`` (see :func:`~fitorch.optimizers.schedules.attach`);
* ``iterations``, Keras' step counter.

Everything they keep (the step counter, schedule positions, moving averages and
gradient accumulators) travels in ``state_dict()`` and comes back with
``load_state_dict()``: the tensors as ``'ema'`` / ``'gradient_accumulator'`` entries of
each parameter's ``state``, the rest as plain data under the key ``'fitorch'`` of the
first param group (param groups and per-parameter state are what every optimizer
checkpoint format keeps).

Example:
    >>> import torch
    >>> from fitorch.optimizers import SGD
    >>> opt = SGD(learning_rate=0.1)
    >>> opt.built, opt.learning_rate
    (False, 0.1)
    >>> w = torch.nn.Parameter(torch.tensor([1.0]))
    >>> _ = opt.build([w])
    >>> isinstance(opt, torch.optim.SGD), opt.param_groups[0]["lr"]
    (True, 0.1)
    >>> w.grad = torch.tensor([2.0]); opt.step(); round(w.item(), 4)
    0.8
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import torch

from fitorch import _torch_private
from fitorch.optimizers.arguments import TORCH_SWITCHES, check_learning_rate, check_range, common_config
from fitorch.optimizers.state_extras import flat_params, install_state_hooks

NOT_BUILT_MESSAGE = (
    "Optimizer {name!r} is not built yet, so it has no `{attr}`: it was created without "
    "parameters, Keras-style. Call `optimizer.build(model.parameters())` first (compile/fit "
    "does this), or pass `params=` when creating it."
)

# Attributes torch's Optimizer.__init__ creates; reading one before build gets NOT_BUILT_MESSAGE.
_TORCH_INSTANCE_ATTRIBUTES = ("param_groups", "state", "defaults")

_FITORCH_ATTRIBUTES = (
    "_config",
    "_torch_kwargs",
    "_decoupled_weight_decay",
    "built",
    "_iterations",
    "_ema",
    "_accumulators",
)

SCHEDULE_NOT_SETTABLE = (
    "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` "
    "constructor argument, hence its learning rate is not settable. If you need the learning rate "
    "to be settable, you should instantiate the optimizer with a float `learning_rate` argument."
)


def _fused_supported(params: list[Any]) -> bool:
    """Whether torch's fused kernel can run these parameters (floating, on a device it supports).

    fitorch optimizers default to ``fused=True`` wherever torch has the kernel: on this
    project's CPU benchmark machine fused Adam took 37/127/82 us per step against
    75/376/254 us for torch's default (tiny/mlp/cnn models; ``benchmarks/RESULTS.md``),
    and with a float16 ``GradScaler`` it checks for overflow without a host sync.
    FSDP's sharded parameters (DTensors) are left to torch's default: not every fused
    kernel has a DTensor sharding rule (fused SGD has none in torch 2.13).
    """
    supported = _torch_private.fused_optimizer_device_types()
    tensors = [p for p in _flatten_params(params) if isinstance(p, torch.Tensor)]
    if any(type(t).__name__ == "DTensor" for t in tensors):
        return False
    return (
        bool(tensors)
        and all(t.device.type in supported and t.is_floating_point() and not t.is_sparse for t in tensors)
        and len({t.device for t in tensors}) == 1
    )


def _is_schedule(value: Any) -> bool:
    from fitorch.optimizers.schedules.learning_rate_schedule import LearningRateSchedule

    return isinstance(value, LearningRateSchedule)


def _flatten_params(params: Iterable[Any]) -> list[torch.Tensor]:
    """The tensors in torch's ``params`` forms: tensors, (name, tensor) pairs or group dicts."""
    tensors = []
    for item in params:
        if isinstance(item, dict):
            tensors.extend(_flatten_params(item["params"]))
        elif isinstance(item, tuple):
            tensors.append(item[1])
        else:
            tensors.append(item)
    return tensors


class Optimizer(torch.optim.Optimizer):
    """Base class of fitorch optimizers: a torch optimizer whose ``__init__`` waits for ``build``.

    Subclasses inherit from this class and from a ``torch.optim`` optimizer. Their
    ``__init__`` checks their own arguments, translates them to the torch class's
    keyword arguments, and passes both, with the common arguments, to
    ``super().__init__``.

    Common arguments (keyword-only, taken by every fitorch optimizer after its own):
        clipnorm: optional; clips each gradient tensor to this L2 norm.
        clipvalue: optional; clips gradient entries to ``[-clipvalue, clipvalue]``.
        global_clipnorm: optional; clips all gradients together to this global norm.
            At most one of the three clippings can be set.
        use_ema: whether to keep an exponential moving average of the weights, which
            ``fit`` copies into the model at the end of training. Defaults to ``False``.
        ema_momentum: the moving average's momentum, in [0, 1]. Defaults to 0.99.
        ema_overwrite_frequency: optional; every this many updates, overwrite the
            weights with their moving average.
        gradient_accumulation_steps: optional int >= 2; update the weights every this
            many ``step()`` calls, with the mean gradient since the last update.
        params: parameters to build with now; leave out to :meth:`build` later.
        foreach: torch's ``foreach`` switch; ``None`` lets torch choose.
        fused: torch's ``fused`` switch, for the optimizers whose torch class has a
            fused kernel (Adam, AdamW, SGD, Adagrad); ``None`` uses it where it runs.

    Args:
        config: the optimizer's own Keras-named hyperparameters (plain JSON data),
            starting with ``learning_rate`` (a float or a ``LearningRateSchedule``);
            :meth:`get_config` returns them followed by the common arguments. This
            base checks ``learning_rate`` and, where present, ``weight_decay`` (>= 0 or
            ``None``; each optimizer places it among its own arguments, as Keras does).
        torch_kwargs: the keyword arguments for the torch optimizer's ``__init__``,
            besides ``lr``, ``foreach`` and ``fused``, which are added from the above.
        decoupled_weight_decay: a Keras weight decay this base applies itself, for
            torch optimizers that only offer L2 regularisation; ``None`` for none.
        params: as above.
        **kwargs: the common arguments above.
    """

    #: Whether the class takes ``fused``: its torch class has a fused kernel.
    _has_fused_kernel: ClassVar[bool] = False
    #: Whether the class takes the common arguments; :func:`~fitorch.optimizers.deferred`
    #: torch classes take the torch class's own arguments instead.
    _takes_common_arguments: ClassVar[bool] = True

    def __init__(
        self,
        config: dict[str, Any],
        torch_kwargs: dict[str, Any],
        decoupled_weight_decay: float | None = None,
        *,
        params: Iterable[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        # torch.optim.Optimizer.__init__ is deliberately not called here: build() calls it.
        config = dict(config)
        torch_kwargs = {"lr": config["learning_rate"], **torch_kwargs}
        if self._takes_common_arguments and config.get("weight_decay") is not None:
            check_range("weight_decay", config["weight_decay"], 0.0, None)
        schedule = config["learning_rate"]
        if isinstance(schedule, dict):  # a serialized built-in schedule (custom ones: from_config)
            from fitorch.optimizers.schedules import deserialize

            schedule = config["learning_rate"] = deserialize(schedule)
        if _is_schedule(schedule):
            torch_kwargs["lr"] = float(schedule(0))
        else:
            check_learning_rate(schedule)
        if self._takes_common_arguments:
            common = common_config(type(self).__name__, kwargs, fused=self._has_fused_kernel)
            config.update(common)
            torch_kwargs.update({name: common[name] for name in TORCH_SWITCHES if name in common})
        elif kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got an unexpected keyword argument {next(iter(kwargs))!r}"
            )
        self._config = config
        self._torch_kwargs = torch_kwargs
        self._decoupled_weight_decay = decoupled_weight_decay
        self.built = False
        self._iterations = 0  # Keras' optimizer.iterations: step() calls so far
        self._ema: list[torch.Tensor] | None = None
        self._accumulators: list[torch.Tensor | None] | None = None
        if params is not None:
            self.build(params)

    def build(self, params: Iterable[Any]) -> Optimizer:
        """Runs the torch optimizer's ``__init__`` on ``params`` and returns ``self``.

        Args:
            params: what torch optimizers take: an iterable of tensors, of
                ``(name, tensor)`` pairs, or of param-group dicts.

        Building again with the same parameters does nothing, as in Keras.

        Raises:
            ValueError: if ``params`` is empty, or the optimizer is already built for
                other parameters.
        """
        params = list(params)
        if self.built:
            current = {id(p) for group in self.param_groups for p in group["params"]}
            if {id(p) for p in _flatten_params(params)} == current:
                return self
            raise ValueError(
                f"Optimizer {type(self).__name__!r} is already built for other parameters. An optimizer "
                "holds per-parameter state for one model; create a new optimizer for this one."
            )
        if not params:
            raise ValueError(
                f"Optimizer {type(self).__name__!r} received an empty parameter list: the model has no "
                "weights yet (build it first) or none of them is trainable."
            )
        kwargs = dict(self._torch_kwargs)
        if kwargs.get("fused", "absent") is None and kwargs.get("foreach") is None and _fused_supported(params):
            kwargs["fused"] = True  # one kernel for all parameters: see fused_by_default
        super().__init__(params, **kwargs)  # the torch optimizer's __init__
        self.built = True
        self._register_keras_hook()
        return self

    def _register_keras_hook(self) -> None:
        # Step hooks, not a `step` override: torch runs them inside its own step
        # wrapper (after GradScaler's unscale_), and the torch class's step is untouched.
        if self._has_keras_transforms():
            self.register_step_pre_hook(_keras_pre_step)
        self.register_step_post_hook(_keras_post_step)
        install_state_hooks(self)
        schedule = self._config["learning_rate"]
        if _is_schedule(schedule):
            from fitorch.optimizers.schedules.attach import ScheduleLR, attach

            attach(self, ScheduleLR(self, schedule, initial_step=self._iterations))

    def apply(self, grads: Iterable[Any], trainable_variables: Iterable[Any] | None = None) -> None:
        """Keras' ``optimizer.apply``: one update of ``trainable_variables`` with ``grads``.

        See :func:`fitorch.optimizers.keras_apply.apply`; it builds an unbuilt optimizer.
        """
        from fitorch.optimizers.keras_apply import apply

        apply(self, grads, trainable_variables)

    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Any]]) -> int:
        """Keras' ``optimizer.apply_gradients(zip(grads, variables))``; returns ``iterations``."""
        pairs = list(grads_and_vars)
        self.apply([g for g, _ in pairs], [v for _, v in pairs])
        return self.iterations

    @property
    def iterations(self) -> int:
        """Keras' ``optimizer.iterations``: the number of parameter updates so far.

        With ``gradient_accumulation_steps=n`` it counts updates (``step()`` calls
        // n), as in Keras; learning rate schedules see every ``step()`` call.
        """
        steps = self._config.get("gradient_accumulation_steps")
        return self._iterations // steps if steps else self._iterations

    @property
    def use_ema(self) -> bool:
        return bool(self._config.get("use_ema"))

    @torch.no_grad()
    def finalize_variable_values(self, var_list: Iterable[torch.Tensor] | None = None) -> None:
        """Sets the final values of the weights: with ``use_ema``, copies the moving averages in.

        Keras' ``fit`` calls this once after the last epoch; call it yourself after a
        custom loop.

        Args:
            var_list: the parameters to overwrite; defaults to every parameter the
                optimizer updates (the only ones it keeps averages for).
        """
        if not self.use_ema or self._ema is None:
            return
        params = flat_params(self)
        if var_list is not None:
            wanted = {id(v) for v in var_list}
            pairs = [(p, e) for p, e in zip(params, self._ema, strict=True) if id(p) in wanted]
        else:
            pairs = list(zip(params, self._ema, strict=True))
        for param, average in pairs:
            param.copy_(average)

    @property
    def learning_rate(self) -> float | torch.Tensor:
        """The learning rate: of the first param group once built, else the configured one.

        Setting it updates every param group (and the config), before or after build.
        With a schedule it is the schedule's current value, and it cannot be set.
        """
        if self.built:
            return self.param_groups[0]["lr"]
        value = self._config["learning_rate"]
        return float(value(self._iterations)) if _is_schedule(value) else value

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        if _is_schedule(self._config["learning_rate"]):
            raise TypeError(SCHEDULE_NOT_SETTABLE)
        if _is_schedule(value):
            raise TypeError(
                "A LearningRateSchedule can only be passed when the optimizer is created: "
                "Optimizer(learning_rate=schedule)."
            )
        check_learning_rate(value)
        self._config["learning_rate"] = value
        self._torch_kwargs["lr"] = value
        if self.built:
            for group in self.param_groups:
                if isinstance(group["lr"], torch.Tensor):
                    group["lr"].fill_(value)
                else:
                    group["lr"] = value

    def _has_keras_transforms(self) -> bool:
        return (
            bool(self._decoupled_weight_decay)
            or bool(self._config.get("gradient_accumulation_steps"))
            or any(self._config.get(k) is not None for k in ("clipnorm", "clipvalue", "global_clipnorm"))
        )

    @torch.no_grad()
    def _accumulate_gradients(self) -> bool:
        """Keras' gradient accumulation; returns whether this ``step()`` updates the weights.

        Between updates each gradient is added to an accumulator and then hidden from
        the torch step (``p.grad = None``, which every torch optimizer skips). On the
        update step the gradient becomes ``(grad + accumulated) / n``.
        """
        steps = self._config.get("gradient_accumulation_steps")
        if not steps:
            return True
        params = flat_params(self)
        if self._accumulators is None:
            self._accumulators = [None] * len(params)
        is_update_step = (self._iterations + 1) % steps == 0
        for index, param in enumerate(params):
            if param.grad is None:
                continue
            accumulator = self._accumulators[index]
            if is_update_step:
                if accumulator is not None:
                    param.grad.add_(accumulator)
                    accumulator.zero_()
                param.grad.div_(steps)
            else:
                if accumulator is None:
                    self._accumulators[index] = param.grad.detach().clone()
                else:
                    accumulator.add_(param.grad)
                param.grad = None
        return is_update_step

    @torch.no_grad()
    def _update_moving_averages(self) -> None:
        """Keras' EMA: ``average = m * average + (1 - m) * weight``, with ``m = 0`` at iteration 0."""
        params = flat_params(self)
        if self._ema is None:
            self._ema = [p.detach().clone() for p in params]
            return
        momentum = self._config.get("ema_momentum", 0.99) if self.iterations != 0 else 0.0
        torch._foreach_mul_(self._ema, momentum)
        torch._foreach_add_(self._ema, [p.detach() for p in params], alpha=1.0 - momentum)
        frequency = self._config.get("ema_overwrite_frequency")
        if frequency and (self.iterations + 1) % frequency == 0:
            torch._foreach_copy_([p.detach() for p in params], self._ema)

    @torch.no_grad()
    def _clip_gradients(self) -> None:
        grads = [p.grad for group in self.param_groups for p in group["params"] if p.grad is not None]
        if not grads:
            return
        clipnorm, clipvalue = self._config.get("clipnorm"), self._config.get("clipvalue")
        global_clipnorm = self._config.get("global_clipnorm")
        if clipnorm is not None:
            # Keras' clip_by_norm, per tensor: g * clipnorm / max(||g||, clipnorm).
            norms = torch._foreach_norm(grads)
            torch._foreach_mul_(grads, [clipnorm / torch.clamp(n, min=clipnorm) for n in norms])
        elif global_clipnorm is not None:
            total = torch.linalg.vector_norm(torch.stack([n.to(grads[0].device) for n in torch._foreach_norm(grads)]))
            # Keras' clip_by_global_norm; the (total - total) term turns inf/nan norms into nan.
            scale = global_clipnorm * torch.clamp(1.0 / total, max=1.0 / global_clipnorm) + (total - total)
            torch._foreach_mul_(grads, scale)
        elif clipvalue is not None:
            torch._foreach_clamp_min_(grads, -clipvalue)
            torch._foreach_clamp_max_(grads, clipvalue)

    @torch.no_grad()
    def _apply_decoupled_weight_decay(self) -> None:
        if not self._decoupled_weight_decay:
            return
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            if params:
                torch._foreach_mul_(params, 1.0 - group["lr"] * self._decoupled_weight_decay)

    def get_config(self) -> dict[str, Any]:
        """Returns the Keras-named hyperparameters as plain JSON data (current learning rate).

        A schedule is stored as ``{'class_name': ..., 'config': {...}}``.
        """
        config = dict(self._config)
        if _is_schedule(config["learning_rate"]):
            from fitorch.optimizers.schedules import serialize

            config["learning_rate"] = serialize(config["learning_rate"])
        else:
            config["learning_rate"] = float(self.learning_rate)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Optimizer:
        """Creates an unbuilt optimizer from the output of :meth:`get_config`.

        Args:
            config: the output of :meth:`get_config`.
            custom_objects: user schedule classes by name, for a serialized schedule.
        """
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from fitorch.optimizers.schedules import deserialize

            config["learning_rate"] = deserialize(config["learning_rate"], custom_objects=custom_objects)
        return cls(**config)

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails, e.g. `param_groups` before build.
        if not self.__dict__.get("built", True) and (
            name in _TORCH_INSTANCE_ATTRIBUTES or name.startswith("_optimizer_")
        ):
            raise AttributeError(NOT_BUILT_MESSAGE.format(name=type(self).__name__, attr=name))
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__() if self.built else {}
        state.update({k: self.__dict__[k] for k in _FITORCH_ATTRIBUTES})
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if state.get("built"):
            super().__setstate__(state)
            self._register_keras_hook()  # hooks are not pickled
        else:
            self.__dict__.update(state)

    def __repr__(self) -> str:
        if self.built:
            return super().__repr__()
        args = ", ".join(f"{k}={v!r}" for k, v in self._config.items())
        return f"{type(self).__name__}({args}) (not built)"


def _keras_pre_step(optimizer: Optimizer, args: Any, kwargs: Any) -> None:
    """Step pre-hook: gradient accumulation, then (on update steps) Keras' gradient
    clipping and its decoupled weight decay.

    With a ``closure``, torch evaluates it inside ``step``, after this hook; the
    optimizers here never need one.
    """
    if optimizer._accumulate_gradients():
        optimizer._clip_gradients()
        optimizer._apply_decoupled_weight_decay()


def _keras_post_step(optimizer: Optimizer, args: Any, kwargs: Any) -> None:
    """Step post-hook: the moving averages, then the step counter (Keras' order)."""
    if optimizer.use_ema:
        optimizer._update_moving_averages()
    optimizer._iterations += 1
