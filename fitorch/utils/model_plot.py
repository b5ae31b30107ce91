"""``plot_model``: a picture of a functional or ``Sequential`` model, drawn with matplotlib.

Keras draws with graphviz; fitorch needs no system package. Each layer is a box
(its name, class and, on request, shapes, dtype, activation and trainability), and
an arrow runs from the layer that produces a tensor to each layer that reads it, so
multiple inputs and outputs, shared layers (one box, several arrows) and skip
connections all show. The layout is layered: a layer sits one rank below the
lowest of its inputs (longest-path layering), arrows that skip ranks bend through
spacers in between so they pass beside the boxes, and each rank is ordered by the
mean position of its inputs to keep crossings few.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from torch import nn

from fitorch.graph.node import module_name
from fitorch.graph.symbolic_tensor import dtype_name

_FONT_SIZE = 10.0  # points
_CHAR_WIDTH = 0.602 * _FONT_SIZE / 72  # inches per character of DejaVu Sans Mono
_LINE_HEIGHT = 1.45 * _FONT_SIZE / 72
_PAD = 0.12  # inches of padding inside a box
_RANK_GAP = 0.45  # inches between ranks
_ORDER_GAP = 0.35  # inches between boxes in a rank
_SPACER = 0.12  # the width a bent arrow takes in a rank it crosses
_MARGIN = 0.25
_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg"}


@dataclass
class _Box:
    """One laid-out item: a layer's box, or a spacer that a long arrow passes through."""

    key: int
    lines: list[str]
    rank: int = 0
    order: float = 0.0
    parents: list[int] = field(default_factory=list)
    spacer: bool = False
    layer: nn.Module | None = None

    def size(self) -> tuple[float, float]:
        if self.spacer:
            return _SPACER, _SPACER
        width = max(len(line) for line in self.lines) * _CHAR_WIDTH + 2 * _PAD
        return width, len(self.lines) * _LINE_HEIGHT + 2 * _PAD


def _shapes(tensors: list[Any]) -> str:
    shapes = [tuple(t.shape) for t in tensors]
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _label(layer: nn.Module, nodes: list[Any], options: dict[str, bool]) -> list[str]:
    cls = type(layer).__name__
    lines = [f"{module_name(layer)} ({cls})" if options["show_layer_names"] else cls]
    activation = getattr(layer, "activation", None)
    if options["show_layer_activations"] and activation is not None:
        lines.append(f"Activation: {getattr(activation, '__name__', type(activation).__name__)}")
    if options["show_shapes"] and nodes:
        calls = [n for n in nodes if n.input_tensors]
        if calls:
            lines.append("Input shape: " + " | ".join(_shapes(n.input_tensors) for n in calls))
        lines.append("Output shape: " + " | ".join(_shapes(n.output_tensors) for n in nodes))
    if options["show_dtype"] and nodes:
        lines.append("Output dtype: " + ", ".join(sorted({dtype_name(t.dtype) for t in nodes[0].output_tensors})))
    if options["show_trainable"]:
        lines.append(f"Trainable: {bool(getattr(layer, 'trainable', True))}")
    return lines


def model_graph(model: nn.Module, options: dict[str, bool]) -> tuple[list[_Box], list[tuple[int, int]]]:
    """The boxes (one per layer, in topological order) and the arrows ``(source, target)`` between them."""
    from fitorch.models.functional import Functional
    from fitorch.models.sequential import Sequential

    if isinstance(model, Sequential) and not model.built:
        boxes = [_Box(i, _label(layer, [], options), layer=layer) for i, layer in enumerate(model.layers)]
        return boxes, [(i, i + 1) for i in range(len(boxes) - 1)]
    if not isinstance(model, Functional):
        raise TypeError(
            f"plot_model draws functional and Sequential models; received {type(model).__name__}, a subclassed "
            "model whose graph is only known by running its forward. Build it with the functional API to plot it."
        )
    nodes = model._topological_nodes()
    keys: dict[int, int] = {}
    calls: dict[int, list[Any]] = {}
    for node in nodes:
        keys.setdefault(id(node.module), len(keys))
        calls.setdefault(id(node.module), []).append(node)
    layers = {id(node.module): node.module for node in nodes}
    boxes = [_Box(keys[i], _label(layers[i], calls[i], options), layer=layers[i]) for i in keys]
    edges: list[tuple[int, int]] = []
    for node in nodes:
        for parent in node.parent_nodes:
            edge = (keys[id(parent.module)], keys[id(node.module)])
            if edge not in edges and edge[0] != edge[1]:
                edges.append(edge)
    return boxes, edges


def _layout(boxes: list[_Box], edges: list[tuple[int, int]]) -> tuple[list[_Box], list[list[int]]]:
    """Ranks (longest path), spacers on long arrows, and an order within each rank; returns every arrow's path."""
    by_key = {box.key: box for box in boxes}
    for source, target in edges:  # boxes come in topological order, so one pass gives the longest path
        by_key[target].parents.append(source)
    for box in boxes:
        box.rank = max((by_key[p].rank + 1 for p in box.parents), default=0)
    paths = []
    for source, target in edges:
        path = [source]
        for rank in range(by_key[source].rank + 1, by_key[target].rank):
            spacer = _Box(len(by_key), [], rank=rank, parents=[path[-1]], spacer=True)
            by_key[spacer.key] = spacer
            path.append(spacer.key)
        paths.append([*path, target])
    items = list(by_key.values())
    ranks: dict[int, list[_Box]] = {}
    for item in sorted(items, key=lambda b: (b.rank, b.key)):
        ranks.setdefault(item.rank, []).append(item)
    for rank in sorted(ranks):
        row = ranks[rank]
        for index, item in enumerate(row):
            inputs = [by_key[p].order for p in item.parents if by_key[p].rank < rank] if rank else []
            # Chained parents of spacers sit in the rank above; averaging them keeps arrows short.
            item.order = sum(inputs) / len(inputs) if inputs else float(index)
        row.sort(key=lambda b: b.order)
        for index, item in enumerate(row):
            item.order = float(index)
    return items, paths


def _positions(items: list[_Box], rankdir: str) -> tuple[dict[int, tuple[float, float]], float, float]:
    """Box centres in inches, and the figure's width and height."""
    across = rankdir in ("TB", "BT")  # ranks stack vertically; a rank's boxes go across
    ranks: dict[int, list[_Box]] = {}
    for item in items:
        ranks.setdefault(item.rank, []).append(item)
    thickness = {r: max((b.size()[1] if across else b.size()[0]) for b in row) for r, row in ranks.items()}
    spans = {r: sum((b.size()[0] if across else b.size()[1]) for b in row) + _ORDER_GAP * (len(row) - 1)
             for r, row in ranks.items()}  # fmt: skip
    widest = max(spans.values())
    centres: dict[int, tuple[float, float]] = {}
    along = _MARGIN
    for rank in sorted(ranks):
        row = sorted(ranks[rank], key=lambda b: b.order)
        position = _MARGIN + (widest - spans[rank]) / 2
        for item in row:
            extent = item.size()[0] if across else item.size()[1]
            centres[item.key] = (position + extent / 2, along + thickness[rank] / 2)
            position += extent + _ORDER_GAP
        along += thickness[rank] + _RANK_GAP
    total_along = along - _RANK_GAP + _MARGIN
    total_across = widest + 2 * _MARGIN
    flip = rankdir in ("TB", "RL")  # matplotlib's y grows upwards; TB and RL start at the far end
    placed = {}
    for key, (a, r) in centres.items():
        if across:
            placed[key] = (a, total_along - r if flip else r)
        else:
            placed[key] = (total_along - r if flip else r, total_across - a)
    return placed, (total_across if across else total_along), (total_along if across else total_across)


def _edge_point(
    centre: tuple[float, float], size: tuple[float, float], toward: tuple[float, float]
) -> tuple[float, float]:
    """Where the segment from a box's centre toward ``toward`` leaves the box."""
    (x, y), (w, h) = centre, size
    dx, dy = toward[0] - x, toward[1] - y
    if dx == 0 and dy == 0:
        return centre
    scale = min((w / 2) / abs(dx) if dx else float("inf"), (h / 2) / abs(dy) if dy else float("inf"))
    return x + dx * scale, y + dy * scale


def plot_model(
    model: nn.Module,
    to_file: str | os.PathLike[str] = "model.png",
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    **kwargs: Any,
) -> Any:
    """Draws the model's layer graph to an image file (Keras' ``keras.utils.plot_model``).

    Args:
        model: a functional model or a ``Sequential``.
        to_file: the file to write; its extension picks the format: ``.png`` (also
            when there is none), ``.svg``, ``.pdf``, ``.jpg``/``.jpeg``.
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's output dtype.
        show_layer_names: show layer names next to the class names.
        rankdir: ``'TB'`` (top to bottom), ``'LR'`` (left to right), ``'BT'`` or ``'RL'``.
        expand_nested: only ``False``: a nested model is drawn as one box.
        dpi: resolution of raster formats.
        show_layer_activations: show the ``activation`` of layers that have one.
        show_trainable: show whether each layer is trainable.
        **kwargs: accepted for Keras compatibility (``splines``...); arrows are straight or bent lines.

    Returns:
        An ``IPython.display.Image`` (or ``SVG``) in a notebook, so the picture shows inline; else ``None``.

    Raises:
        ImportError: without matplotlib (``pip install 'fitorch[plot]'``).
        TypeError: for a subclassed model.
        ValueError: for an unknown file extension or ``rankdir``.

    Example:
        >>> import os, tempfile, fitorch
        >>> from fitorch import layers
        >>> inputs = layers.Input(shape=(4,))
        >>> model = fitorch.Model(inputs, layers.Dense(2)(inputs))
        >>> path = os.path.join(tempfile.mkdtemp(), "model.svg")
        >>> plot_model(model, to_file=path, show_shapes=True)
        >>> open(path).read().count("<svg") == 1
        True
    """
    try:
        from matplotlib.figure import Figure
        from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
        from matplotlib.path import Path
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError("plot_model draws with matplotlib: pip install 'fitorch[plot]'.") from error
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"plot_model: rankdir must be 'TB', 'LR', 'BT' or 'RL'; received rankdir={rankdir!r}.")
    if expand_nested:
        raise ValueError("plot_model: expand_nested=True is not supported yet; nested models are drawn as one box.")
    path = os.fspath(to_file)
    extension = os.path.splitext(path)[1].lower() or ".png"
    if extension not in _FORMATS:
        raise ValueError(f"plot_model: to_file must end in one of {sorted(_FORMATS)}; received {path!r}.")
    options = {"show_shapes": show_shapes, "show_dtype": show_dtype, "show_layer_names": show_layer_names,
               "show_layer_activations": show_layer_activations, "show_trainable": show_trainable}  # fmt: skip
    boxes, edges = model_graph(model, options)
    if not boxes:
        raise ValueError(f"plot_model: model {getattr(model, 'name', '')!r} has no layers to draw.")
    items, paths = _layout(boxes, edges)
    centres, width, height = _positions(items, rankdir)
    sizes = {item.key: item.size() for item in items}
    figure = Figure(figsize=(width, height), dpi=dpi)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(0, height)
    axes.axis("off")
    for item in items:
        if item.spacer:
            continue
        (x, y), (w, h) = centres[item.key], sizes[item.key]
        axes.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.06",
                                      facecolor="#eef3fb", edgecolor="#3b5b92", linewidth=1.0))  # fmt: skip
        axes.text(x, y, "\n".join(item.lines), ha="center", va="center", family="DejaVu Sans Mono",
                  fontsize=_FONT_SIZE, linespacing=1.3)  # fmt: skip
    for keys in paths:
        points = [centres[k] for k in keys]
        points[0] = _edge_point(points[0], sizes[keys[0]], points[1])
        points[-1] = _edge_point(points[-1], sizes[keys[-1]], points[-2])
        line = Path(points, [Path.MOVETO] + [Path.LINETO] * (len(points) - 1))
        axes.add_patch(FancyArrowPatch(path=line, arrowstyle="-|>", mutation_scale=12, color="#3b5b92", linewidth=1.0))
    figure.savefig(path, format=_FORMATS[extension], dpi=dpi)
    return _display(path, extension)


def _display(path: str, extension: str) -> Any:
    """The picture for a notebook to show inline, when IPython is there."""
    try:
        from IPython import display
    except ImportError:
        return None
    if extension == ".svg":
        return display.SVG(filename=path)
    return None if extension == ".pdf" else display.Image(filename=path)
