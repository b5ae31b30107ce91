"""The deferred-build base of fitorch optimizers: torch optimizers, created Keras-style.

Keras users create the optimizer before the model has weights::

    opt = fitorch.optimizers.Adam(learning_rate=1e-3)   # no parameters yet
    opt.build(model.parameters())                      # torch.optim.Adam.__init__ runs now

Each fitorch optimizer subclasses this base *and* its ``torch.optim`` class
(``class Adam(Optimizer, torch.optim.Adam)``), so after ``build`` it is that torch
optimizer: ``state_dict``, ``param_groups``, LR schedulers and ``GradScaler`` work
unchanged. This base only defers ``__init__``, keeps the Keras-named config, and adds
the Keras features torch optimizers lack: gradient clipping (``clipnorm``,
``clipvalue``, ``global_clipnorm``) and, where torch has no decoupled form, Keras'
decoupled ``weight_decay`` (``p -= lr * weight_decay * p`` before the update).

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

import numbers
from collections.abc import Iterable
from typing import Any

import torch

NOT_BUILT_MESSAGE = (
    "Optimizer {name!r} is not built yet, so it has no `{attr}`: it was created without "
    "parameters, Keras-style. Call `optimizer.build(model.parameters())` first (compile/fit "
    "does this), or pass `params=` when creating it."
)

# Attributes torch's Optimizer.__init__ creates; reading one before build gets NOT_BUILT_MESSAGE.
_TORCH_INSTANCE_ATTRIBUTES = ("param_groups", "state", "defaults")

_FITORCH_ATTRIBUTES = ("_config", "_torch_kwargs", "_decoupled_weight_decay", "built")


def check_learning_rate(value: Any) -> float:
    """Returns ``value`` if it is a number >= 0; otherwise raises a ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0:
        raise ValueError(
            f"Argument `learning_rate` must be a float >= 0; received learning_rate={value!r}. "
            "For a schedule, use torch.optim.lr_scheduler on the built optimizer."
        )
    return value


def check_range(name: str, value: Any, low: float, high: float | None, high_inclusive: bool = True) -> None:
    """Raises a ``ValueError`` naming ``name`` unless ``low <= value <= high`` (or ``< high``)."""
    ok = not isinstance(value, bool) and isinstance(value, numbers.Real) and value >= low
    if ok and high is not None:
        ok = value <= high if high_inclusive else value < high
    if not ok:
        if high is None:
            expected = f">= {low}"
        else:
            expected = f"in [{low}, {high}{']' if high_inclusive else ')'}"
        raise ValueError(f"Argument `{name}` must be a float {expected}; received {name}={value!r}.")


def check_optional_positive(name: str, value: Any) -> None:
    """Raises a ``ValueError`` naming ``name`` unless ``value`` is ``None`` or a number > 0."""
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0
    ):
        raise ValueError(f"Argument `{name}` must be None or a float > 0; received {name}={value!r}.")


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

    Subclasses inherit from this class and from a ``torch.optim`` optimizer, translate
    Keras arguments to torch keyword arguments, and call ``super().__init__``.

    Args:
        params: the parameters, or ``None`` to build later with :meth:`build`.
        config: the Keras-named hyperparameters (plain JSON data), returned by
            :meth:`get_config`; must include ``learning_rate`` and may include
            ``clipnorm``, ``clipvalue`` and ``global_clipnorm``.
        torch_kwargs: the keyword arguments for the torch optimizer's ``__init__``.
        decoupled_weight_decay: a Keras weight decay this base applies itself, for
            torch optimizers that only offer L2 regularisation; ``None`` for none.
    """

    def __init__(
        self,
        params: Iterable[Any] | None,
        config: dict[str, Any],
        torch_kwargs: dict[str, Any],
        decoupled_weight_decay: float | None = None,
    ) -> None:
        # torch.optim.Optimizer.__init__ is deliberately not called here: build() calls it.
        check_learning_rate(config["learning_rate"])
        clip_args = {k: config.get(k) for k in ("clipnorm", "clipvalue", "global_clipnorm")}
        for name, value in clip_args.items():
            check_optional_positive(name, value)
        if sum(v is not None for v in clip_args.values()) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set; received "
                + ", ".join(f"{k}={v!r}" for k, v in clip_args.items())
                + "."
            )
        self._config = dict(config)
        self._torch_kwargs = dict(torch_kwargs)
        self._decoupled_weight_decay = decoupled_weight_decay
        self.built = False
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
        super().__init__(params, **self._torch_kwargs)  # the torch optimizer's __init__
        self.built = True
        self._register_keras_hook()
        return self

    def _register_keras_hook(self) -> None:
        # A step pre-hook, not a `step` override: torch runs it inside its own step
        # wrapper (after GradScaler's unscale_), and the torch class's step is untouched.
        if self._has_keras_transforms():
            self.register_step_pre_hook(_keras_pre_step)

    @property
    def learning_rate(self) -> float | torch.Tensor:
        """The learning rate: of the first param group once built, else the configured one.

        Setting it updates every param group (and the config), before or after build.
        """
        if self.built:
            return self.param_groups[0]["lr"]
        return self._config["learning_rate"]

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
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
        return bool(self._decoupled_weight_decay) or any(
            self._config.get(k) is not None for k in ("clipnorm", "clipvalue", "global_clipnorm")
        )

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
            total = torch.linalg.vector_norm(
                torch.stack([n.to(grads[0].device) for n in torch._foreach_norm(grads)])
            )
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
        """Returns the Keras-named hyperparameters as plain JSON data (current learning rate)."""
        config = dict(self._config)
        lr = self.learning_rate
        config["learning_rate"] = float(lr)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Optimizer:
        """Creates an unbuilt optimizer from the output of :meth:`get_config`."""
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
    """Step pre-hook: Keras' gradient clipping, then its decoupled weight decay.

    With a ``closure``, torch evaluates it inside ``step``, after this hook; the
    optimizers here never need one.
    """
    optimizer._clip_gradients()
    optimizer._apply_decoupled_weight_decay()
