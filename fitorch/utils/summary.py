"""``model.summary()``: Keras' layer table, drawn with rich.

Functional models list every layer with its output shape, parameter count and the
layers it reads from (``Connected to``); ``Sequential`` drops that column as Keras
does; other models list their direct sub-modules.
"""

from __future__ import annotations

import io
import re
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


def _rows(model: nn.Module) -> tuple[list[tuple[nn.Module, tuple[str, ...]]], bool]:
    """``(layer, cells)`` per row, and whether the table has the ``Connected to`` column."""
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
            rows.append((layer, (*row, ", ".join(sources) or "-") if connected else row))
        return rows, connected
    rows = []
    for name, child in model.named_children():
        trainable, frozen = _count(child)
        nodes = inbound_nodes(child)
        shape = _shape_text(nodes[-1].outputs) if nodes else "?"
        rows.append((child, (f"{name} ({type(child).__name__})", shape, f"{trainable + frozen:,}")))
    return rows, False


def _expanded(rows: list[tuple[nn.Module, tuple[str, ...]]], width: int, level: int = 0) -> list[tuple[nn.Module, tuple[str, ...]]]:
    """``rows`` with each nested model's own rows after it, indented as Keras does (``   └ name``)."""
    expanded = []
    for layer, cells in rows:
        prefix = "   " * level + "└ " if level else ""
        expanded.append((layer, (prefix + cells[0], *cells[1:])))
        if getattr(layer, "layers", None):  # a nested model: its rows fill the table's columns, no connections
            inner = [(child, (*row[:3], *("",) * (width - 3))) for child, row in _rows(layer)[0]]
            expanded.extend(_expanded(inner, width, level + 1))
    return expanded


def _in_range(rows: list[tuple[nn.Module, tuple[str, ...]]], layer_range: Any) -> list[tuple[nn.Module, tuple[str, ...]]]:
    """Keras' ``layer_range``: from the first layer whose name matches ``layer_range[0]`` (a regular
    expression) to the last whose name matches ``layer_range[1]``, both included."""
    if layer_range is None:
        return rows
    if not isinstance(layer_range, (list, tuple)) or len(layer_range) != 2:
        raise ValueError(f"summary: layer_range must be a list or tuple of 2 layer names; received {layer_range!r}.")
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"summary: layer_range must hold 2 strings (layer names); received {layer_range!r}.")
    names = [module_name(layer) for layer, _ in rows]
    lower = [i for i, name in enumerate(names) if re.match(layer_range[0], name)]
    upper = [i for i, name in enumerate(names) if re.match(layer_range[1], name)]
    if not lower or not upper:
        missing = layer_range[0] if not lower else layer_range[1]
        raise ValueError(f"summary: layer_range {missing!r} matches no layer name; the layers are {names}.")
    return rows[min(lower) : max(upper) + 1]


def _trainable_cell(layer: nn.Module) -> str:
    """Keras' ``Trainable`` column: ``Y``/``N`` for a layer with weights, ``-`` for one without."""
    parameters = list(layer.parameters())
    if not parameters and not any(True for _ in layer.buffers()):
        return "-"
    trainable = getattr(layer, "trainable", None)
    if trainable is None:
        trainable = any(p.requires_grad for p in parameters)
    return "Y" if trainable else "N"


def _in_model(node: Any, model: Any) -> bool:
    plan_modules = {id(step.module) for step in model._plan}
    return id(node.module) in plan_modules or not node.input_tensors


def print_summary(
    model: nn.Module,
    line_length: int | None = None,
    positions: Any = None,
    print_fn: Callable[[str], Any] | None = None,
    expand_nested: bool = False,
    show_trainable: bool = False,
    layer_range: Any = None,
) -> None:
    """Prints the summary table of ``model`` (to ``print_fn`` line by line, if given), with Keras' arguments.

    ``positions`` is accepted for Keras programs; rich sizes the columns itself.
    """
    rows, connected = _rows(model)
    table = Table(box=box.HEAVY_HEAD, show_lines=False)
    table.add_column("Layer (type)", no_wrap=True)
    table.add_column("Output Shape", no_wrap=True)
    table.add_column("Param #", justify="right")
    if connected:
        table.add_column("Connected to")
    rows = _in_range(rows, layer_range)
    if expand_nested:
        rows = _expanded(rows, 4 if connected else 3)
    if show_trainable:
        table.add_column("Trainable", justify="center")
    for layer, cells in rows:
        table.add_row(*cells, *((_trainable_cell(layer),) if show_trainable else ()))
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
