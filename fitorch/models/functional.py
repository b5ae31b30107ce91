"""``Functional``: the model ``Model(inputs, outputs)`` returns.

At construction the graph is walked back from the outputs to the inputs and turned
into a flat plan: one step per node, in topological order, each reading and
writing numbered slots. ``forward`` runs the plan with no graph interpretation, so
a functional model costs what the equivalent hand-written ``forward`` costs, and
``torch.compile`` sees straight-line calls.

Layers are registered as submodules under their names, so ``state_dict()`` keys
read ``conv2d.weight``, ``dense_1.bias``; shared layers are registered once. A
``TorchModule`` registers the torch module it wraps under its own name
(``linear.weight``, not ``linear.module.weight``): the keys a plain module had in a
functional model before the wrapper existed, so older checkpoints keep loading.

Example:
    >>> import torch, fitorch
    >>> from fitorch import layers
    >>> inputs = layers.Input(shape=(4,))
    >>> hidden = layers.Dense(8, activation="relu", name="hidden")(inputs)
    >>> model = fitorch.Model(inputs, layers.Dense(2, name="out")(hidden))
    >>> list(model.state_dict())
    ['hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']
    >>> model(torch.zeros(3, 4)).shape
    torch.Size([3, 2])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from fitorch.graph.call import TORCH_MODULE_CALL
from fitorch.graph.node import Node, module_name
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.call_context import CALL_CONTEXT
from fitorch.layers.core.input_layer import InputLayer
from fitorch.layers.core.torch_module import TorchModule
from fitorch.layers.layer import Layer
from fitorch.models.model import Model
from fitorch.utils.tree import flatten, map_structure, pack_sequence_as


class _Slot:
    """Marks where a step reads a value in its argument template."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


@dataclass(slots=True)
class _Step:  # (slots: the plan reads these fields on every call)
    """One node of the plan: ``slots[outputs] = module(*args, **kwargs)``."""

    module: nn.Module
    args: Any  # template: (args, kwargs) with _Slot leaves
    single_input: int | None  # the only argument is slot N (the common case, read directly)
    input_list: tuple[int, ...] | None  # the only argument is a list of these slots (merge layers: Add()([a, b]))
    eager: Callable[[tuple, dict[str, Any]], Any] | None  # the layer's eager call, for a single input (see below)
    direct: bool  # a built-in-style layer the plan may run through torch's module call itself (see _runs_directly)
    outputs: list[int]
    single_output: bool
    pinned: torch.device | None  # move inputs here first (a layer pinned by fitorch.device)
    after_pinned: bool  # an input comes from a pinned layer: move it back to the model's device
    release: tuple[int, ...] = ()  # slots no later step reads: dropped after this one (see _set_releases)


def _fill(template: Any, values: list[Any]) -> Any:
    return map_structure(lambda leaf: values[leaf.index] if isinstance(leaf, _Slot) else leaf, template)


class Functional(Model):
    """A model defined by connecting layers: ``Model(inputs, outputs)``.

    Args:
        inputs: an ``Input`` tensor, or a list/dict of them.
        outputs: a symbolic tensor, or a list/dict of them.
        name: optional name.
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self._init_graph(inputs, outputs)

    def _init_graph(self, inputs: Any, outputs: Any) -> None:
        for what, tree in (("inputs", inputs), ("outputs", outputs)):
            bad = [v for v in flatten(tree) if not isinstance(v, SymbolicTensor)]
            if bad or not flatten(tree):
                raise TypeError(
                    f"Model {what} must be symbolic tensors (from layers.Input and layer calls); "
                    f"received {type(bad[0]).__name__ if bad else 'nothing'}."
                )
        self._inputs_structure = inputs
        self._outputs_structure = outputs
        self._input_tensors: list[SymbolicTensor] = flatten(inputs)
        self._output_tensors: list[SymbolicTensor] = flatten(outputs)
        self._input_ranks = [len(t.shape) for t in self._input_tensors]
        nodes = self._topological_nodes()
        slot_of: dict[int, int] = {id(t): i for i, t in enumerate(self._input_tensors)}
        next_slot = len(slot_of)
        steps: list[_Step] = []
        registered: dict[str, nn.Module] = {}
        for node in nodes:
            module = node.module
            name = module_name(module)
            if registered.setdefault(name, module) is not module:
                raise ValueError(
                    f"All layer names in a model must be unique; {name!r} is used by two different layers."
                )
            if not isinstance(module, InputLayer) and name not in self._modules:
                if hasattr(type(self), name) or name in self.__dict__:
                    raise ValueError(
                        f"Layer name {name!r} clashes with an attribute of {type(self).__name__} "
                        "(a model method or property); give the layer another name."
                    )
                self.add_module(name, module.module if isinstance(module, TorchModule) else module)
            if not node.input_tensors:  # an Input node that is one of the model inputs
                continue
            template = map_structure(
                lambda leaf: _Slot(slot_of[id(leaf)]) if isinstance(leaf, SymbolicTensor) else leaf,
                (list(node.args), node.kwargs),
            )
            out_slots = []
            for tensor in node.output_tensors:
                slot_of[id(tensor)] = next_slot
                out_slots.append(next_slot)
                next_slot += 1
            simple = len(node.args) == 1 and isinstance(node.args[0], SymbolicTensor) and not node.kwargs
            listed = (
                len(node.args) == 1
                and type(node.args[0]) is list
                and all(isinstance(t, SymbolicTensor) for t in node.args[0])
                and not node.kwargs
            )
            steps.append(
                _Step(
                    module=module,
                    args=template,
                    single_input=template[0][0].index if simple else None,
                    input_list=tuple(leaf.index for leaf in template[0][0]) if listed else None,
                    eager=_eager_call(module) if simple or listed else None,
                    direct=(simple or listed) and _runs_directly(module),
                    outputs=out_slots,
                    single_output=not isinstance(node.outputs, (list, tuple, dict)),
                    pinned=getattr(module, "pinned_device", None),
                    after_pinned=any(getattr(p.module, "pinned_device", None) is not None for p in node.parent_nodes),
                )
            )
        self._plan = steps
        self._num_slots = next_slot
        self._output_slots = [slot_of[id(t)] for t in self._output_tensors]
        _set_releases(steps, self._output_slots)
        self._crosses_devices = any(s.pinned is not None or s.after_pinned for s in steps)
        self._chain = (
            _direct_chain(steps, self._output_slots, len(self._input_tensors), self._crosses_devices)
            if isinstance(self._outputs_structure, SymbolicTensor)
            else None
        )
        self._layer_list = list(dict.fromkeys(n.module for n in nodes))  # a shared layer once, as in Keras
        self.built = True

    def _topological_nodes(self) -> list[Node]:
        """Nodes between the inputs and outputs, each after the nodes it reads from.

        An explicit stack rather than recursion, so a chain of thousands of layers builds
        (recursion stopped near Python's limit of 1,000 frames).
        """
        input_ids = {id(t) for t in self._input_tensors}
        order: list[Node] = []
        done: set[int] = set()
        for output in self._output_tensors:
            # Each entry: a tensor to resolve, the node that reads it (for the error message), and
            # whether its node's parents have been pushed already.
            stack: list[tuple[SymbolicTensor, Node | None, bool]] = [(output, None, False)]
            while stack:
                tensor, reader, expanded = stack.pop()
                node = tensor.node
                if id(tensor) in input_ids:
                    if node is not None and id(node) not in done:
                        done.add(id(node))
                        order.append(node)
                    continue
                if node is None or (not node.input_tensors and isinstance(node.module, InputLayer)):
                    raise ValueError(self._disconnected_message(tensor, reader, stack))
                if id(node) in done:
                    continue
                if expanded:
                    done.add(id(node))
                    order.append(node)
                    continue
                stack.append((tensor, reader, True))
                stack.extend((parent, node, False) for parent in reversed(node.input_tensors))
        return order

    def _disconnected_message(
        self, tensor: SymbolicTensor, reader: Node | None, stack: list[tuple[SymbolicTensor, Node | None, bool]]
    ) -> str:
        # The layers still waiting on the stack for their inputs are the path from the outputs to ``tensor``.
        path = [module_name(t.node.module) for t, _, expanded in stack if expanded and t.node is not None]
        if reader is not None and (not path or path[-1] != module_name(reader.module)):
            path.append(module_name(reader.module))
        given = [t.name for t in self._input_tensors]
        return (
            f"Graph disconnected: cannot obtain the value of {tensor} needed by "
            f"{' -> '.join(reversed(path)) or 'the outputs'}. The model's inputs are {given}; "
            "pass every Input the outputs depend on to Model(inputs=...)."
        )

    # ------------------------------------------------------------------ running
    def _flatten_call_inputs(self, args: tuple, kwargs: dict[str, Any]) -> list[Any]:
        values = self._match_call_inputs(args, kwargs)
        # A wrong rank is refused here rather than broadcast by the layers (a Dense takes any rank).
        # Wrong sizes are left to the first layer's own check, which names the layer; fit, evaluate
        # and predict compare the whole shape once, on the first batch (fitorch.training.validation).
        for index, value in enumerate(values):
            if isinstance(value, torch.Tensor) and value.dim() != self._input_ranks[index]:
                raise ValueError(
                    f"Input {index} ({self.input_names[index]!r}) of model {self.name!r} is incompatible: expected "
                    f"shape {self._input_tensors[index].shape}, received {tuple(value.shape)}."
                )
        return values

    def _match_call_inputs(self, args: tuple, kwargs: dict[str, Any]) -> list[Any]:
        data = args[0] if len(args) == 1 and not kwargs else (list(args) if args else kwargs)
        count = len(self._input_tensors)
        if type(data) is torch.Tensor and count == 1:  # (the common case, without the structure checks)
            return [data]
        if isinstance(data, dict):
            names = self.input_names
            missing = [n for n in names if n not in data]
            if missing:
                raise ValueError(f"Model {self.name!r}: missing inputs {missing}; received keys {sorted(data)}.")
            return [data[n] for n in names]
        if isinstance(data, (list, tuple)) and count > 1:
            values = flatten(data)
            if len(values) != count:
                raise ValueError(f"Model {self.name!r} expects {count} inputs {self.input_names}; received {len(values)}.")
            return values
        if count != 1:
            raise ValueError(f"Model {self.name!r} expects {count} inputs {self.input_names}; received one tensor.")
        return [data]

    def forward(self, *args: Any, training: bool | None = None, **kwargs: Any) -> Any:
        # `training` given to this call (explicitly, or by the trainer's step: see fitorch.layers.call_context)
        # also replaces the `training=` a layer call recorded in the graph, as in Keras 3 (so a recorded
        # `training=True` drops nothing in predict); left None, recorded values hold.
        values: list[Any] = [None] * self._num_slots
        values[: len(self._input_tensors)] = self._flatten_call_inputs(args, kwargs)
        home = self._home_device(values) if self._crosses_devices else None
        # Inside this model's own layer call (the usual route), the call context is open: a layer whose
        # call would only check it and run torch's module call is run through torch's module call directly
        # while the tree tracks no masks (see _runs_directly). Called as a bare forward, every step takes
        # the layer's full call, which opens a context itself.
        context = CALL_CONTEXT.get()
        fast = context is not None and not context.masks
        if fast and self._chain is not None:
            return self._run_chain(values[0])
        step = inputs = None
        try:
            for step in self._plan:
                if home is not None:
                    _move_step_inputs(step, values, home)
                if step.single_input is not None:
                    inputs = values[step.single_input]
                elif step.input_list is not None:
                    inputs = [values[slot] for slot in step.input_list]
                if fast and step.direct and not step.module._adds_losses:
                    result = TORCH_MODULE_CALL(step.module, inputs)
                else:
                    if step.eager is not None:
                        result = step.eager((inputs,), {})
                    elif step.single_input is not None or step.input_list is not None:
                        result = step.module(inputs)
                    else:
                        call_args, call_kwargs = _fill(step.args, values)
                        if training is not None and "training" in call_kwargs:
                            call_kwargs["training"] = training
                        result = step.module(*call_args, **call_kwargs)
                    fast = context is not None and not context.masks  # (a mask producer switches tracking on)
                if step.single_output:
                    values[step.outputs[0]] = result
                else:
                    for slot, value in zip(step.outputs, flatten(result), strict=True):
                        values[slot] = value
                for slot in step.release:
                    values[slot] = None
        except Exception as error:
            # A directly run layer did not pass through its own error handling: name it here, as it would.
            if step is None or not step.direct:
                raise
            step.module._raise_named(error, (inputs,))
        outputs = [values[slot] for slot in self._output_slots]
        if home is not None:
            outputs = [o.to(home) if isinstance(o, torch.Tensor) and not o.is_meta else o for o in outputs]
        if isinstance(self._outputs_structure, SymbolicTensor):  # (one output, the common case: nothing to pack)
            return outputs[0]
        return pack_sequence_as(self._outputs_structure, outputs)

    def _run_chain(self, x: Any) -> Any:
        """The plan of a plain chain of direct steps (most Sequential models), run as a hand-written forward
        would: each layer's output feeds the next; one that adds losses takes its full call."""
        module = None
        try:
            for module in self._chain:
                x = module._call_eager((x,), {}) if module._adds_losses else TORCH_MODULE_CALL(module, x)
        except Exception as error:
            if module is None:
                raise
            module._raise_named(error, (x,))  # (x is still this layer's input)
        return x

    def _home_device(self, values: list[Any]) -> torch.device:
        for step in self._plan:
            if step.pinned is None:
                for parameter in step.module.parameters():
                    return parameter.device
        first = values[0]
        return first.device if isinstance(first, torch.Tensor) else torch.device("cpu")

    # ------------------------------------------------------------------ introspection
    @property
    def inputs(self) -> list[SymbolicTensor]:
        return list(self._input_tensors)

    @property
    def outputs(self) -> list[SymbolicTensor]:
        return list(self._output_tensors)

    @property
    def input(self) -> Any:
        return self._inputs_structure

    @property
    def output(self) -> Any:
        return self._outputs_structure

    @property
    def input_names(self) -> list[str]:
        if isinstance(self._inputs_structure, dict):
            return list(self._inputs_structure)
        return [t.name for t in self._input_tensors]

    @property
    def output_names(self) -> list[str] | None:
        if isinstance(self._outputs_structure, dict):
            return list(self._outputs_structure)
        return [t.name for t in self._output_tensors]

    @property
    def layers(self) -> list[nn.Module]:
        """Every layer of the graph, input layers included, in topological order."""
        return list(self._layer_list)

    def compute_output_shape(self, input_shape: Any) -> Any:
        raise NotImplementedError  # inferred on meta, through the plan itself

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict[str, Any]:
        """The whole architecture as JSON data: layers (with their configs), calls, inputs and outputs."""
        from fitorch.saving.serialization import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Mapping[str, Any] | None = None) -> Functional:
        """Rebuilds the model ``get_config()`` describes, with fresh weights (registry-only class lookup)."""
        from fitorch.models.model_json import model_from_config

        return model_from_config("Functional", config, custom_objects, f"{cls.__name__}.from_config")


def _eager_call(module: nn.Module) -> Callable[[tuple, dict[str, Any]], Any] | None:
    """``Layer._call_eager`` of a layer whose ``__call__`` is ``Layer``'s own, else ``None``.

    For a single real tensor and no keyword arguments (what the plan passes), ``Layer.__call__``
    only checks for symbolic tensors and Keras call arguments and then runs ``_call_eager``;
    the plan skips those two checks (about 4% of the 20-layer benchmark in
    ``benchmarks/functional_overhead.py``). Hooks, masks, losses and error messages all live
    in ``_call_eager`` and are unchanged. A layer class with its own ``__call__`` keeps it.
    """
    if isinstance(module, Layer) and type(module).__call__ is Layer.__call__:
        return module._call_eager
    return None


def _direct_chain(
    steps: list[_Step], output_slots: list[int], num_inputs: int, crosses_devices: bool
) -> tuple[Layer, ...] | None:
    """The layers of a plan that is one chain of direct steps (see ``_runs_directly``): one input, each step
    reading only the previous step's single output, the last one the model's only output; else ``None``.
    (The caller checks that the model's output is one tensor, not a list or dict holding it.)"""
    if num_inputs != 1 or crosses_devices or not steps or output_slots != steps[-1].outputs:
        return None
    previous = 0
    for step in steps:
        if not step.direct or step.single_input != previous or not step.single_output:
            return None
        previous = step.outputs[0]
    return tuple(step.module for step in steps)


def _set_releases(steps: list[_Step], output_slots: list[int]) -> None:
    """Marks, on the last step that reads each slot, that the slot can be dropped after it.

    As a hand-written ``forward`` lets each intermediate tensor go once the next line has
    read it, so does the plan, instead of holding every intermediate until the call ends: a
    lower peak memory in inference (no measurable change in time on CPU; under autograd the
    graph keeps what backward needs anyway). The model's outputs are kept.
    """
    last_reader: dict[int, int] = {}
    for index, step in enumerate(steps):
        for leaf in flatten(step.args):
            if isinstance(leaf, _Slot):
                last_reader[leaf.index] = index
    keep = set(output_slots)
    releases: dict[int, list[int]] = {}
    for slot, index in last_reader.items():
        if slot not in keep:
            releases.setdefault(index, []).append(slot)
    for index, slots in releases.items():
        steps[index].release = tuple(slots)


def _runs_directly(module: nn.Module) -> bool:
    """Whether the plan may call ``nn.Module.__call__`` on ``module`` itself, skipping ``Layer._call_eager``.

    For a built layer with ``Layer``'s own ``__call__`` that makes no masks, called inside an open call
    context that tracks none and adding no losses (both read per call), ``_call_eager`` would only look
    the context up and call torch's module call; the plan does that itself (one Python frame and one
    context lookup less per layer: ``benchmarks/functional_overhead.py``) and names the layer in errors
    as ``_call_eager`` would. Hooks still run: it is torch's own module call. A user layer whose call
    takes ``training`` keeps ``_call_eager``, which passes it the tree's mode; fitorch's own layers read
    their module's mode when given none, which is the same.
    """
    return (
        _eager_call(module) is not None  # (a Layer with Layer's own __call__)
        and module.built
        and not module._produces_masks
        and (not module._call_takes_training or type(module).__module__.startswith("fitorch.layers."))
    )


def _move_step_inputs(step: _Step, values: list[Any], home: torch.device) -> None:
    """Moves a step's inputs to its pinned device, or back home after a pinned layer."""
    target = step.pinned or (home if step.after_pinned else None)
    if target is None:
        return
    slots = [leaf.index for leaf in flatten(step.args) if isinstance(leaf, _Slot)]
    for slot in slots:
        value = values[slot]
        if isinstance(value, torch.Tensor) and not value.is_meta and value.device != target:
            values[slot] = value.to(target)
