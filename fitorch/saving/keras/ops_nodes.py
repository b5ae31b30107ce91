"""``keras.ops`` calls saved in a Keras functional graph, as fitorch ``OpLayer`` nodes.

Keras 3 records ``x * 0.5`` or ``keras.ops.add(a, b)`` inside a functional model as a
node of an *operation* (module ``keras.src.ops.numpy``, class ``Multiply``), with the
call's arguments (tensors and Python scalars) in the node. fitorch records the same
call as an ``OpLayer`` naming the op by its snake_case ``keras.ops`` name, looked up
with :func:`fitorch.ops.get_op` in fitorch's fixed table of ops and nowhere else.
"""

from __future__ import annotations

from typing import Any

from fitorch.saving.errors import UnsafeModelError, quote
from fitorch.utils.naming import to_snake_case

OP_LAYER = "fitorch>OpLayer"


def op_entry(class_name: Any, config: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    """The fitorch layer entry for a Keras op node; its arguments are filled in by :func:`op_call`.

    Example:
        >>> op_entry("Multiply", {"name": "multiply"}, "multiply", "the Keras model")["config"]["op"]
        'multiply'
    """
    from fitorch import ops

    op = to_snake_case(str(class_name))
    try:
        ops.get_op(op)
    except (ValueError, KeyError, TypeError):
        raise UnsafeModelError(
            f"{where}: the Keras graph calls keras.ops.{op}, which fitorch.ops does not provide."
        ) from None
    # An op's own constructor arguments (e.g. Mean's axis) are keyword arguments of the function.
    keywords = {k: v for k, v in config.items() if k not in ("name", "dtype")}
    return {"class_name": OP_LAYER, "name": name,
            "config": {"name": name, "op": op, "arguments": {"args": [], "kwargs": keywords}}}  # fmt: skip


def _slots(value: Any, tensors: list[Any]) -> Any:
    """``value`` with each ``{"tensor": [layer, node, index]}`` replaced by ``{"tensor": slot}``."""
    if isinstance(value, list):
        return [_slots(v, tensors) for v in value]
    if isinstance(value, dict):
        if set(value) == {"tensor"} and isinstance(value["tensor"], list):
            tensors.append(value)
            return {"tensor": len(tensors) - 1}
        return {k: _slots(v, tensors) for k, v in value.items()}
    return value


def op_call(args: list[Any], kwargs: dict[str, Any], entry: dict[str, Any], where: str) -> tuple[list, dict]:
    """Moves a Keras op call's non-tensor arguments into the ``OpLayer`` entry; returns the node's tensors.

    An ``OpLayer`` holds one call's arguments, so an op node called twice is refused.
    """
    arguments = entry["config"]["arguments"]
    if arguments["args"]:
        raise UnsafeModelError(f"{where}: the op node {quote(entry['name'])} is called more than once.")
    tensors: list[Any] = []
    arguments["args"] = _slots(args, tensors)
    arguments["kwargs"] = {**arguments["kwargs"], **_slots(kwargs, tensors)}
    if not tensors:
        raise UnsafeModelError(f"{where}: the op node {quote(entry['name'])} has no input tensor.")
    return tensors, {}
