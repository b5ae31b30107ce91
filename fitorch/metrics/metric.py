"""The ``Metric`` base class: streaming state in module buffers, no host syncs.

A metric accumulates over batches with ``update_state`` and reports with ``result``.
Its state lives in registered buffers (made with ``add_state``), so ``metric.to(device)``
moves it, ``state_dict()`` saves it, and everything stays on the device: neither
``update_state`` nor ``result`` reads a value back to the host, so a training loop
can update every step and read ``result()`` only when it prints.

Example:
    >>> import torch
    >>> class Maximum(Metric):
    ...     def __init__(self, name="maximum", dtype=None):
    ...         super().__init__(name=name, dtype=dtype)
    ...         self.add_state("best", initializer=float("-inf"), reduction="max")
    ...     def update_state(self, values, sample_weight=None):
    ...         self.best.copy_(torch.maximum(self.best, torch.as_tensor(values).max()))
    ...     def result(self):
    ...         return self.best.clone()
    >>> m = Maximum()
    >>> m.update_state(torch.tensor([1.0, 3.0])); m.update_state(torch.tensor([2.0]))
    >>> float(m.result())
    3.0
    >>> m.reset_state(); float(m.result())
    -inf
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from fitorch import config
from fitorch.utils.naming import to_snake_case


def standardize_dtype(dtype: str | torch.dtype | None) -> torch.dtype:
    """Returns ``dtype`` as a floating ``torch.dtype``; ``None`` means ``floatx()``."""
    if dtype is None:
        return config.floatx_dtype()
    if isinstance(dtype, str):
        dtype = getattr(torch, dtype.removeprefix("torch."), None)
    if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
        raise ValueError(f"A metric's `dtype` must be a floating dtype such as 'float32'; received dtype={dtype!r}.")
    return dtype


def dtype_name(dtype: torch.dtype) -> str:
    """Returns ``'float32'`` for ``torch.float32``: the JSON form used in configs."""
    return str(dtype).removeprefix("torch.")


def check_2d_inputs(owner: str, y_true: torch.Tensor, y_pred: torch.Tensor) -> None:
    """Keras' ``ValueError`` unless ``y_true`` and ``y_pred`` are 2D ``(batch_size, output_dim)``.

    Example:
        >>> check_2d_inputs("R2Score", torch.zeros(4, 2), torch.zeros(4, 2))
    """
    if y_pred.dim() != 2 or y_true.dim() != 2:
        raise ValueError(
            f"{owner} expects 2D inputs with shape (batch_size, output_dim). Received input shapes: "
            f"y_pred.shape={tuple(y_pred.shape)} and y_true.shape={tuple(y_true.shape)}."
        )


class Metric(nn.Module):
    """Base class of streaming metrics, with Keras' API on a ``torch.nn.Module``.

    Subclasses create their state with :meth:`add_state` in ``__init__`` and implement
    ``update_state(...)`` (which always runs under ``torch.no_grad()``) and ``result()``.
    Calling the metric, ``metric(y_true, y_pred)``, updates it and returns the result.

    The state follows the data: the first update with tensors on another device moves
    the state there once (as ``metric.to(device)`` would), so a metric created on the
    CPU just works on CUDA batches.

    Args:
        name: the metric's name, used as its key in training logs; defaults to the
            class name in snake_case.
        dtype: the dtype of the state and result; defaults to ``floatx()``.
    """

    def __init__(self, name: str | None = None, dtype: str | torch.dtype | None = None) -> None:
        super().__init__()
        self.name = name or to_snake_case(type(self).__name__)
        self._dtype = standardize_dtype(dtype)
        self._state_initializers: dict[str, float] = {}
        self._state_reductions: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Metrics must never extend the autograd graph of the values they are fed.
        update_state = cls.__dict__.get("update_state")
        if update_state is not None and not getattr(update_state, "_fitorch_no_grad", False):
            wrapped = functools.wraps(update_state)(torch.no_grad()(update_state))
            wrapped._fitorch_no_grad = True  # type: ignore[attr-defined]
            cls.update_state = wrapped  # type: ignore[method-assign]

    @property
    def dtype(self) -> torch.dtype:
        """The dtype of the metric's state and result."""
        return self._dtype

    def add_state(
        self, name: str, shape: Sequence[int] = (), initializer: float = 0.0, dtype: torch.dtype | None = None,
        reduction: str = "sum",
    ) -> torch.Tensor:  # fmt: skip
        """Registers a state buffer filled with ``initializer`` and returns it.

        Args:
            name: the attribute and ``state_dict`` key.
            shape: the buffer's shape; ``()`` for a scalar.
            initializer: the value it starts at and returns to on ``reset_state()``.
            dtype: defaults to the metric's ``dtype``.
            reduction: how the states of several processes combine in a distributed
                run: ``'sum'`` (counts, totals), ``'max'`` or ``'min'``.
        """
        if reduction not in ("sum", "max", "min"):
            raise ValueError(f"add_state: reduction must be 'sum', 'max' or 'min'; received {reduction!r}.")
        device = next(self.buffers(), torch.empty(0)).device
        tensor = torch.full(tuple(shape), float(initializer), dtype=dtype or self.dtype, device=device)
        self.register_buffer(name, tensor)
        self._state_initializers[name] = float(initializer)
        self._state_reductions[name] = reduction
        return tensor

    def add_variable(
        self, shape: Sequence[int] = (), initializer: Any = "zeros", dtype: str | torch.dtype | None = None,
        aggregation: str = "sum", name: str | None = None,
    ) -> torch.Tensor:  # fmt: skip
        """Keras 3's way to create a state: a buffer with ``assign``/``assign_add``/``assign_sub``.

        The buffer is registered under the attribute it is assigned to
        (``self.total = self.add_variable(...)`` registers ``total``), else under ``name``.
        As in Keras, the default ``reset_state()`` sets it back to zeros.

        Args:
            shape: the state's shape; ``()`` for a scalar.
            initializer: a Keras initializer name, instance or callable; ``'zeros'`` by default.
            dtype: defaults to the metric's ``dtype``; integer dtypes (counts) work too.
            aggregation: how the states of several processes combine; only ``'sum'``
                (Keras' default for metrics) is supported.
            name: the buffer's name until it is assigned to an attribute.

        Returns:
            The registered buffer (a ``fitorch.layers.variable.BufferVariable``).

        Example:
            >>> class Total(Metric):
            ...     def __init__(self):
            ...         super().__init__(name="total")
            ...         self.total = self.add_variable(shape=(), initializer="zeros", name="t")
            ...     def update_state(self, values):
            ...         self.total.assign_add(torch.as_tensor(values, dtype=torch.float32).sum())
            ...     def result(self):
            ...         return self.total.clone()
            >>> m = Total()
            >>> m.update_state([1.0, 2.0]); float(m.result()), list(m.state_dict())
            (3.0, ['total'])
        """
        from fitorch import initializers
        from fitorch.layers.variable import BufferVariable

        if aggregation != "sum":
            raise ValueError(
                f"Metric {self.name!r}: add_variable supports aggregation='sum' only (how the states of "
                f"several processes combine); received aggregation={aggregation!r}. For a maximum or minimum "
                "use add_state(..., reduction='max' or 'min')."
            )
        if name is None or name in self._state_initializers or not name.isidentifier():
            name = f"variable_{len(self._state_initializers)}" if name is None or not name.isidentifier() else name
            while name in self._state_initializers:
                name = f"{name}_1"
        dtype = config.standardize_dtype(dtype) or self.dtype
        device = next(self.buffers(), torch.empty(0)).device
        value = initializers.get(initializer)(tuple(int(d) for d in shape), dtype=dtype, device=device)
        self.register_buffer(name, BufferVariable(value))
        self._state_initializers[name] = 0.0
        self._state_reductions[name] = "sum"
        return getattr(self, name)

    def add_weight(
        self, shape: Sequence[int] = (), initializer: Any = "zeros", dtype: str | torch.dtype | None = None,
        name: str | None = None,
    ) -> torch.Tensor:  # fmt: skip
        """Keras' older name for :meth:`add_variable`.

        Example:
            >>> class Count(Metric):
            ...     def __init__(self):
            ...         super().__init__(name="count")
            ...         self.seen = self.add_weight(shape=(), name="seen")
            >>> list(Count().state_dict())
            ['seen']
        """
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def __setattr__(self, name: str, value: Any) -> None:
        # A state made by add_variable takes the name of the attribute it is assigned to,
        # instead of being registered a second time (it is a Parameter subclass).
        buffers = self.__dict__.get("_buffers", {})
        if isinstance(value, nn.Parameter) and name not in buffers:
            previous = next((key for key, buffer in buffers.items() if buffer is value), None)
            if previous is not None:
                del buffers[previous]
                self._state_initializers[name] = self._state_initializers.pop(previous)
                self._state_reductions[name] = self._state_reductions.pop(previous)
                buffers[name] = value
                return
        super().__setattr__(name, value)

    @property
    def variables(self) -> list[torch.Tensor]:
        """The state tensors (Keras' ``metric.variables``).

        Example:
            >>> class Count(Metric):
            ...     def __init__(self):
            ...         super().__init__(name="count")
            ...         self.add_state("seen")
            >>> [tuple(v.shape) for v in Count().variables]
            [()]
        """
        return [getattr(self, name) for name in self._state_initializers]

    def reducible_states(self) -> list[tuple[torch.Tensor, str]]:
        """``(buffer, reduction)`` for each state: what a distributed run combines over the ranks."""
        return [(getattr(self, name), reduction) for name, reduction in self._state_reductions.items()]

    def flush(self) -> None:
        """Folds updates the metric holds aside into its state buffers (none, by default)."""

    def reset_state(self) -> None:
        """Returns every state buffer to its initial value, in place (no reallocation)."""
        with torch.no_grad():
            for name, initializer in self._state_initializers.items():
                getattr(self, name).fill_(initializer)

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Accumulates statistics for one batch; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_state`.")

    def result(self) -> torch.Tensor:
        """Returns the current value as a 0-d tensor on the state's device."""
        raise NotImplementedError(f"{type(self).__name__} must implement `result`.")

    def forward(self, *args: Any, **kwargs: Any) -> torch.Tensor:
        """Updates the state with one batch and returns the new result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def state_device(self) -> torch.device:
        """The device the state lives on."""
        return next(self.buffers(), torch.empty(0)).device

    def follow_device(self, value: Any) -> None:
        """Moves the state to ``value``'s device (once), if ``value`` is a tensor elsewhere."""
        if isinstance(value, torch.Tensor) and value.device != self.state_device():
            self.to(value.device)

    def as_state_tensor(self, value: Any) -> torch.Tensor:
        """Returns ``value`` as a tensor in the metric's dtype, with state and value on one device.

        A tensor keeps its device and the state moves to it (once); anything else (a
        number, a NumPy array) is created on the state's device.
        """
        if isinstance(value, torch.Tensor):
            if value.device != self.state_device():
                self.to(value.device)
            return value.to(self.dtype)
        return torch.as_tensor(value, dtype=self.dtype, device=self.state_device())

    #: The attributes, beside ``name`` and ``dtype``, that ``get_config`` returns (constructor arguments).
    _config_keys: tuple[str, ...] = ()

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as plain JSON data."""
        config = {"name": self.name, "dtype": dtype_name(self.dtype)}
        config.update((key, getattr(self, key)) for key in self._config_keys)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        """Creates a metric from the output of :meth:`get_config`."""
        return cls(**config)

    def extra_repr(self) -> str:
        return f"name={self.name!r}"


class LazyStateMetric(Metric):
    """A metric whose state shapes come from the data: its first batch calls ``_build(size)``.

    Subclasses implement ``_build``, which adds the states and sets ``self._built``.
    Loading a saved state into a metric not built yet builds it first, with the size
    read from axis ``_size_axis`` of the saved state ``_size_state`` (1 where that state
    has no such axis), so a fresh metric can take a trained one's state.
    """

    _built = False
    _size_state = "true_positives"
    _size_axis = 0

    def _build(self, size: int) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement `_build(size)`.")

    def _load_from_state_dict(self, state_dict: dict[str, Any], prefix: str, *args: Any, **kwargs: Any) -> None:
        saved = state_dict.get(prefix + self._size_state)
        if not self._built and saved is not None:
            self._build(saved.shape[self._size_axis] if saved.dim() > self._size_axis else 1)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
