"""``export_onnx``: a model as an ONNX file with a dynamic batch dimension.

The model goes through ``torch.export`` first (see :func:`torch_export`), then
through torch's ONNX exporter; the file is written atomically. Needs the optional
``export`` extra: ``pip install 'fitorch[export]'`` (onnx, onnxscript, onnxruntime).
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from torch import nn

from fitorch.export.program import example_inputs, torch_export
from fitorch.saving.atomic import atomic_write_bytes
from fitorch.utils.tree import flatten


def _require_onnx() -> None:
    try:
        import onnx  # noqa: F401
        import onnxscript  # noqa: F401
    except ImportError as error:
        raise ImportError(
            f"ONNX export needs the 'export' extra: pip install 'fitorch[export]' ({error.name} is missing)."
        ) from None


def _names(model: nn.Module, count: int, kind: str) -> list[str]:
    names = getattr(model, f"{kind}_names", None)
    if isinstance(names, list) and len(names) == count and len(set(names)) == count:
        return list(names)
    return [f"{kind}_{i}" for i in range(count)]


def export_onnx(model: nn.Module, filepath: str | os.PathLike[str], example: Any = None) -> None:
    """Writes ``model`` to an ONNX file whose batch dimension is dynamic.

    Inputs and outputs are named after the model's (``model.input_names``,
    ``model.output_names``) where it has them, else ``input_0``... and ``output_0``....

    Args:
        model: any fitorch model or ``nn.Module``.
        filepath: the ``.onnx`` file to write.
        example: example inputs; optional for functional and Sequential models.

    Raises:
        ImportError: without the ``export`` extra.
        ValueError: when no example is given and none can be derived.
    """
    _require_onnx()
    import torch

    args = example_inputs(model, example)
    program = torch_export(model, args)
    outputs = flatten(program.module()(*args))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*LeafSpec.*", category=FutureWarning)  # torch-internal noise
        onnx_program = torch.onnx.export(
            program,
            dynamo=True,
            input_names=_names(model, len(flatten(list(args))), "input"),
            output_names=_names(model, len(outputs), "output"),
            verbose=False,
        )
    atomic_write_bytes(filepath, onnx_program.model_proto.SerializeToString())
