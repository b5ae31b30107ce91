"""``model.summary()``: Keras' layer table, drawn with rich.

Functional models list every layer with its output shape, parameter count and the
layers it reads from (``Connected to``); ``Sequential`` drops that column as Keras
does; other models list their direct sub-modules.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from torch import nn

from fitorch.graph.node import inbound_nodes, module_name


def _count(module: nn.Module) -> tuple[int, int]:
    """(trainable, non-trainable) scalars: parameters, plus floating buffers as non-trainable."""
    trainable = sum(p.numel() for p in module.parameters() if p.requires_grad)
    frozen = sum(p.numel() for p in module.parameters() if not p.requires_grad)
    frozen += sum(b.numel() for b in module.buffers() if b.is_floating_point())
    return trainable, frozen


def _format_bytes(count: int) -> str:
    size = count * 4.0
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} GB"


def _shape_text(node_outputs: Any) -> str:
    from fitorch.utils.tree import flatten

    shapes = [t.shape for t in flatten(node_outputs)]
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _rows(model: nn.Module) -> tuple[list[tuple[str, ...]], bool]:
    from fitorch.models.functional import Functional
    from fitorch.models.sequential import Sequential

    if isinstance(model, Functional) and getattr(model, "_plan", None) is not None and model.built:
        connected = not isinstance(model, Sequential)
        node_ids = {}
        rows = []
        for layer in model.layers:
            nodes = [n for n in inbound_nodes(layer) if _in_model(n, model)]
            for index, node in enumerate(nodes):
                node_ids[id(node)] = index
            shape = " ".join(_shape_text(n.outputs) for n in nodes) or "?"
            trainable, frozen = _count(layer)
            sources = []
            for node in nodes:
                for tensor in node.input_tensors:
                    parent = tensor.node
                    sources.append(f"{module_name(parent.module)}[{node_ids.get(id(parent), 0)}][{tensor.index}]")
            row = (f"{module_name(layer)} ({type(layer).__name__})", shape, f"{trainable + frozen:,}")
            rows.append((*row, ", ".join(sources) or "-") if connected else row)
        return rows, connected
    rows = []
    for name, child in model.named_children():
        trainable, frozen = _count(child)
        nodes = inbound_nodes(child)
        shape = _shape_text(nodes[-1].outputs) if nodes else "?"
        rows.append((f"{name} ({type(child).__name__})", shape, f"{trainable + frozen:,}"))
    return rows, False


def _in_model(node: Any, model: Any) -> bool:
    plan_modules = {id(step.module) for step in model._plan}
    return id(node.module) in plan_modules or not node.input_tensors


def print_summary(model: nn.Module, print_fn: Callable[[str], Any] | None = None, line_length: int | None = None) -> None:
    """Prints the summary table of ``model`` (to ``print_fn`` line by line, if given)."""
    rows, connected = _rows(model)
    table = Table(box=box.HEAVY_HEAD, show_lines=False)
    table.add_column("Layer (type)", no_wrap=True)
    table.add_column("Output Shape", no_wrap=True)
    table.add_column("Param #", justify="right")
    if connected:
        table.add_column("Connected to")
    for row in rows:
        table.add_row(*row)
    trainable, frozen = _count(model)
    buffer = io.StringIO()
    console = Console(file=buffer, width=line_length or (120 if connected else 90), force_terminal=False,
                      color_system=None)  # fmt: skip
    console.print(f'Model: "{getattr(model, "name", type(model).__name__)}"')
    console.print(table)
    console.print(f" Total params: {trainable + frozen:,} ({_format_bytes(trainable + frozen)})")
    console.print(f" Trainable params: {trainable:,} ({_format_bytes(trainable)})")
    console.print(f" Non-trainable params: {frozen:,} ({_format_bytes(frozen)})")
    text = buffer.getvalue()
    if print_fn is None:
        print(text, end="")
    else:
        for line in text.rstrip("\n").split("\n"):
            print_fn(line)
