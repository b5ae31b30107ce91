"""The few places fitorch relies on torch internals that have no public route.

Each function names the internal it touches and why no public API does the job;
``tests/test_torch_private.py`` checks every one against the installed torch, so an
upgrade that changes them fails there rather than somewhere deep in ``fit``.

Example:
    >>> import torch
    >>> from fitorch import _torch_private
    >>> module = torch.nn.Linear(2, 2)
    >>> _torch_private.is_compiled(module)
    False
"""

from __future__ import annotations

from torch import nn


def is_compiled(module: nn.Module) -> bool:
    """True after ``module.compile()`` (torch's in-place ``nn.Module.compile``).

    ``nn.Module.compile`` stores the compiled call in ``_compiled_call_impl``, which
    ``nn.Module.__call__`` checks; torch has no public query for it.
    """
    return getattr(module, "_compiled_call_impl", None) is not None


def uncompile(module: nn.Module) -> None:
    """Undoes ``module.compile()``: calls run eagerly again. torch has no public inverse of ``nn.Module.compile``."""
    module._compiled_call_impl = None


def share_tables(wrapper: nn.Module, module: nn.Module) -> None:
    """Makes ``wrapper`` hold ``module``'s own parameter, buffer and submodule tables (the same dicts).

    ``fitorch.wrap`` needs the wrapper's ``state_dict`` keys to be the module's own
    (``conv1.weight``, not ``module.conv1.weight``), its ``children()`` to be the
    module's, and ``.to()``/``.cuda()`` on the wrapper to replace buffers where the
    module's forward reads them. Registering the module as a child adds a prefix;
    registering its entries one by one shares objects but not the tables, so a buffer
    that ``_apply`` replaces would be replaced in the wrapper's table only.
    """
    wrapper._parameters = module._parameters
    wrapper._buffers = module._buffers
    wrapper._modules = module._modules


def fused_optimizer_device_types() -> set[str]:
    """The device types (``'cpu'``, ``'cuda'``, ...) that have torch's fused optimizer kernels.

    torch keeps the list in ``torch.utils._foreach_utils._get_fused_kernels_supported_devices``
    and checks it only inside the first ``step()`` of an optimizer built with ``fused=True``;
    there is no public query, and trying ``fused=True`` at build time cannot fail early.
    """
    from torch.utils._foreach_utils import _get_fused_kernels_supported_devices

    return set(_get_fused_kernels_supported_devices())
