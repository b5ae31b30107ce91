"""Export: ONNX files and ``torch.export`` programs, with a dynamic batch dimension.

* ``export_onnx(model, path)`` (also ``model.export(path)``): an ONNX file that
  onnxruntime runs; needs ``pip install 'fitorch[export]'``.
* ``torch_export(model, example)``: a ``torch.export.ExportedProgram``.
"""

from fitorch.export.onnx import export_onnx as export_onnx
from fitorch.export.program import torch_export as torch_export

__all__ = ["export_onnx", "torch_export"]
