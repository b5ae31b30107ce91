"""``Lambda``: wraps a Python function as a layer, for quick experiments."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import torch

from fitorch.layers.layer import Layer, flatten_shapes, is_shape

LAMBDA_CONFIG_ERROR = (
    "Lambda {name!r} cannot be serialized: a Lambda layer holds arbitrary Python code, and "
    "saving it would mean pickling or storing bytecode, which is neither portable nor safe to "
    "load (loading it can run any code). Subclass fitorch.layers.Layer instead: put the "
    "computation in call() and its arguments in __init__/get_config(), e.g.\n\n"
    "    class Scale(fitorch.layers.Layer):\n"
    "        def __init__(self, factor, **kwargs):\n"
    "            super().__init__(**kwargs)\n"
    "            self.factor = factor\n"
    "        def call(self, x):\n"
    "            return x * self.factor\n"
    "        def get_config(self):\n"
    "            return {{**super().get_config(), 'factor': self.factor}}\n"
)


class Lambda(Layer):
    """Wraps an arbitrary function of tensors as a layer.

    Use it for small stateless operations in a ``Sequential`` or functional model
    (``Lambda(lambda x: x ** 2)``). A model holding a ``Lambda`` cannot be saved
    with its architecture; for anything you want to save, share or reuse, subclass
    ``Layer`` instead.

    Args:
        function: callable taking the input tensor (or list of tensors) first. If it
            has a ``training`` parameter it receives the training flag.
        output_shape: optional output shape for the functional API. A tuple is the
            shape without the batch axis (the batch axis is the input's); a callable
            maps the full input shape to the full output shape. When ``None`` the
            shape is inferred by running ``function`` on ``meta`` tensors.
        arguments: optional dict of keyword arguments passed to ``function``.

    Call arguments:
        inputs: a tensor or a list of tensors, passed to ``function`` as they are.
        training: optional bool, forwarded when ``function`` accepts ``training``;
            ``None`` means ``self.training``.

    Input shape:
        Whatever ``function`` accepts.

    Output shape:
        Whatever ``function`` returns (``output_shape`` when given).

    Example:
        >>> import torch
        >>> from fitorch.layers.core import Lambda
        >>> layer = Lambda(lambda x, power: x ** power, arguments={"power": 3})
        >>> layer(torch.tensor([[1.0, 2.0]]))
        tensor([[1., 8.]])
    """

    def __init__(
        self,
        function: Callable[..., Any],
        output_shape: tuple[int | None, ...] | Callable[..., Any] | None = None,
        arguments: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(
                f"Lambda {self.name!r}: function must be callable; received {function!r} of type "
                f"{type(function).__name__}."
            )
        if not (output_shape is None or callable(output_shape) or isinstance(output_shape, (tuple, list))):
            raise TypeError(
                f"Lambda {self.name!r}: output_shape must be a tuple (without the batch axis), a callable or "
                f"None; received {output_shape!r}."
            )
        if arguments is not None and not isinstance(arguments, dict):
            raise TypeError(
                f"Lambda {self.name!r}: arguments must be a dict of keyword arguments; "
                f"received {arguments!r}."
            )
        self.function = function
        self.arguments = dict(arguments or {})
        self._output_shape = output_shape
        self._function_takes_training = _accepts_keyword(function, "training")

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        kwargs = dict(self.arguments)
        if self._function_takes_training:
            kwargs["training"] = self.training if training is None else training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        if self._output_shape is None:
            raise NotImplementedError  # the base class runs `function` on meta tensors
        if callable(self._output_shape):
            return _as_shapes(self._output_shape(input_shape))
        batch_size = flatten_shapes(input_shape)[0][0]
        if is_shape(tuple(self._output_shape)):
            return (batch_size, *self._output_shape)
        return [(batch_size, *shape) for shape in self._output_shape]

    def get_config(self) -> dict[str, Any]:
        """Refuses: a ``Lambda`` holds code, which fitorch never serializes.

        Raises:
            TypeError: always, explaining how to write a serializable layer.
        """
        raise TypeError(LAMBDA_CONFIG_ERROR.format(name=self.name))

    def extra_repr(self) -> str:
        return f"name={self.name!r}, function={getattr(self.function, '__name__', repr(self.function))}"


def _accepts_keyword(function: Callable[..., Any], keyword: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):  # some builtins have no signature
        return False
    return keyword in parameters


def _as_shapes(value: Any) -> Any:
    """Turns ``torch.Size``s and lists returned by a user's ``output_shape`` into tuples."""
    if isinstance(value, torch.Size) or is_shape(tuple(value)):
        return tuple(value)
    return [tuple(shape) for shape in value]
