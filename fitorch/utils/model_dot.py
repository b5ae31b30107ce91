"""``model_to_dot``: a model's layer graph as a ``pydot.Dot``, for graphviz (Keras' ``keras.utils.model_to_dot``).

pydot is optional (`pip install 'fitorch[dot]'`), not a core dependency: it is imported when the function
runs. The graph (boxes and arrows) is the one :func:`~fitorch.utils.plot_model`
draws, so both show the same layers, labels and connections.
"""

from __future__ import annotations

import html
from typing import Any

from torch import nn

from fitorch.utils.model_plot import _label, model_graph

PYDOT_MISSING = "You must install pydot (`pip install pydot`) for model_to_dot to work."


def _pydot() -> Any:
    """pydot, or one of its older forks (pydot_ng, pydotplus), as Keras looks for them."""
    try:
        import pydot
    except ImportError:
        try:
            import pydot_ng as pydot
        except ImportError:
            try:
                import pydotplus as pydot
            except ImportError as error:
                raise ImportError(PYDOT_MISSING) from error
    return pydot


def _html_label(lines: list[str]) -> str:
    """Keras' node label: an HTML-like table, a black title row with the layer, then one white row per detail."""
    rows = [
        f'<tr><td bgcolor="black"><font point-size="16" color="white"><b>{html.escape(lines[0])}</b></font></td></tr>'
    ]
    rows += [
        f'<tr><td bgcolor="white"><font point-size="14">{html.escape(line)}</font></td></tr>' for line in lines[1:]
    ]
    return '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">' + "".join(rows) + "</table>>"


def model_to_dot(
    model: nn.Module,
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    subgraph: bool = False,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    splines: str = "ortho",
    **kwargs: Any,
) -> Any:
    """Converts a model to a ``pydot.Dot`` graph: one node per layer, an edge per connection.

    Use it to lay out or render a model with graphviz yourself (``dot.write_svg(...)``);
    :func:`~fitorch.utils.plot_model` draws a picture without graphviz.

    Args:
        model: a built functional or ``Sequential`` model; any other built model is one node.
        show_shapes: show each layer's input and output shapes.
        show_dtype: show each layer's output dtype.
        show_layer_names: show layer names next to the class names.
        rankdir: graphviz's ``rankdir``: ``'TB'`` (top to bottom) or ``'LR'`` (left to right)...
        expand_nested: only ``False``: a nested model is one node.
        dpi: the graph's resolution.
        subgraph: return a ``pydot.Cluster`` (dashed, labelled with the model's name) to add to another graph.
        show_layer_activations: show the ``activation`` of layers that have one.
        show_trainable: show whether each layer is trainable.
        splines: graphviz's edge style: ``'ortho'``, ``'curved'``, ``'polyline'``, ``'spline'`` or ``'line'``.
        **kwargs: none are accepted (``layer_range`` is no longer supported, as in Keras).

    Returns:
        A ``pydot.Dot`` (a ``pydot.Cluster`` with ``subgraph=True``).

    Raises:
        ValueError: for a model that is not built, ``expand_nested=True``, or unknown keyword arguments.
        ImportError: without pydot.

    Example:
        >>> import fitorch
        >>> from fitorch import layers
        >>> inputs = layers.Input(shape=(4,))
        >>> model = fitorch.Model(inputs, layers.Dense(2)(inputs))
        >>> try:
        ...     edges = len(model_to_dot(model).get_edges())  # Input -> Dense
        ... except ImportError as error:  # pydot is optional
        ...     edges = 1 if "pip install pydot" in str(error) else error
        >>> edges
        1
    """
    if not getattr(model, "built", True):
        raise ValueError(
            f"model_to_dot: model {getattr(model, 'name', '')!r} has not yet been built. Build it first by calling "
            "`build()` or by calling the model on a batch of data."
        )
    pydot = _pydot()
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("model_to_dot: argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"model_to_dot: unrecognized keyword arguments: {kwargs}.")
    if expand_nested:
        raise ValueError("model_to_dot: expand_nested=True is not supported yet; nested models are one node.")
    name = getattr(model, "name", type(model).__name__)
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=name)
        dot.set("label", name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        dot.set("rankdir", rankdir)
        dot.set("concentrate", True)
        dot.set("dpi", dpi)
        dot.set("splines", splines)
        dot.set_node_defaults(shape="record")
    options = {"show_shapes": show_shapes, "show_dtype": show_dtype, "show_layer_names": show_layer_names,
               "show_layer_activations": show_layer_activations, "show_trainable": show_trainable}  # fmt: skip

    from fitorch.models.functional import Functional
    from fitorch.models.sequential import Sequential

    if isinstance(model, (Functional, Sequential)):
        boxes, edges = model_graph(model, options)
        if isinstance(model, Sequential):  # as Keras: a Sequential's nodes are its layers, without the InputLayer
            boxes = [box for box in boxes if any(box.layer is layer for layer in model.layers)]
        labels = {box.key: box.lines for box in boxes}
        edges = [(source, target) for source, target in edges if source in labels and target in labels]
    else:  # a subclassed model's graph is only known by running forward: Keras shows it as one node
        labels, edges = {0: _label(model, [], options)}, []
    node_ids = {key: f"{id(model)}_{key}" for key in labels}  # unique when the graph is nested in another
    for key, lines in labels.items():
        node = pydot.Node(node_ids[key], label=_html_label(lines))
        node.set("fontname", "Helvetica")
        node.set("border", "0")
        node.set("margin", "0")
        dot.add_node(node)
    for source, target in edges:
        edge = pydot.Edge(node_ids[source], node_ids[target])
        edge.set("penwidth", "2")
        dot.add_edge(edge)
    return dot
