"""``wrap(module)``: give any ``nn.Module`` the training API, sharing its weights.

The wrapper shares the module's parameter, buffer and submodule tables, so
``wrapped.state_dict()`` has exactly the module's keys (``conv1.weight``...), a
checkpoint of either loads into the other, and training the wrapper trains the
module itself.

Example:
    >>> import torch, fitorch
    >>> net = torch.nn.Linear(3, 1)
    >>> model = fitorch.wrap(net)
    >>> list(model.state_dict())
    ['weight', 'bias']
    >>> model.weight is net.weight
    True
    >>> model.in_features  # other attributes and methods come from the wrapped module
    3
"""

from __future__ import annotations

from typing import Any

from torch import nn

from fitorch._torch_private import share_tables
from fitorch.models.model import Model
from fitorch.utils.naming import to_snake_case, unique_name


class WrappedModule(Model):
    """A ``Model`` whose forward is another module's, with the same parameters."""

    def __init__(self, module: nn.Module, name: str | None = None) -> None:
        super().__init__(name=name or unique_name(to_snake_case(type(module).__name__)))
        # Share the tables rather than registering `module` as a child: no "module." prefix.
        share_tables(self, module)
        object.__setattr__(self, "_wrapped", module)
        self.built = True

    @property
    def module(self) -> nn.Module:
        """The wrapped module."""
        return self._wrapped

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self._wrapped(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # Parameters, buffers and submodules first (the shared tables), then the wrapped module's own
        # attributes and methods: `wrapped.decode(z)`, `wrapped.latent_dim`.
        try:
            return super().__getattr__(name)
        except AttributeError:
            wrapped = self.__dict__.get("_wrapped")
            if wrapped is None or name.startswith("__"):
                raise
            try:
                return getattr(wrapped, name)
            except AttributeError:
                raise AttributeError(
                    f"{type(self).__name__} (wrapping {type(wrapped).__name__}) has no attribute {name!r}."
                ) from None

    def train(self, mode: bool = True) -> WrappedModule:
        super().train(mode)
        self._wrapped.train(mode)  # its own `training` flag, read by its forward
        return self


def wrap(module: nn.Module, name: str | None = None) -> Model:
    """Returns a ``Model`` around ``module``: ``compile``/``fit``/``evaluate``/``predict``.

    Args:
        module: any ``torch.nn.Module``; a fitorch ``Model`` is returned unchanged.
        name: optional model name.

    Raises:
        TypeError: if ``module`` is not an ``nn.Module``.
    """
    if isinstance(module, Model):
        return module
    if not isinstance(module, nn.Module):
        raise TypeError(f"wrap: expected a torch.nn.Module; received {type(module).__name__}.")
    return WrappedModule(module, name=name)
