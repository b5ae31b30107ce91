"""``Layer``: the base of every fitorch layer, and an ordinary ``nn.Module``.

The lifecycle is Keras': ``__init__`` stores and checks hyperparameters,
``build(input_shape)`` creates the weights once the input size is known, and
``call`` computes. Weights are real ``nn.Parameter``s (or buffers, when not
trainable) registered through ``nn.Module``, stored in torch layout and named the
torch way, so ``state_dict()``, ``.to()``, ``torch.compile`` and hooks just work.
``get_weights()``/``set_weights()`` speak Keras layout (NumPy arrays).

Calling a layer on a ``SymbolicTensor`` builds it from the symbolic shape, checks
its ``input_spec`` and records a graph node; calling it on a real tensor builds it
on first use and then runs ``nn.Module.__call__``. An exception raised inside
``call`` is re-raised with the layer's name and its input shapes.

Example:
    >>> import torch
    >>> from fitorch import layers
    >>> class Scale(layers.Layer):
    ...     def build(self, input_shape):
    ...         self.add_weight("scale", (input_shape[-1],), initializer="ones")
    ...     def call(self, x):
    ...         return x * self.scale
    >>> layer = Scale()
    >>> layer(torch.ones(2, 3)).shape
    torch.Size([2, 3])
    >>> [name for name, _ in layer.named_parameters()]
    ['scale']
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import inspect
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

import numpy as np
import torch
from torch import nn

from fitorch import config, initializers
from fitorch.devices import best_device, scoped_device
from fitorch.graph.call import TORCH_MODULE_CALL, contains_symbolic, describe_shapes
from fitorch.graph.inference import PROBE_SIZES, infer_output_specs, meta_like, probed_shape, run_on_meta
from fitorch.graph.node import Node, TensorSpec, inbound_nodes
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers import masking_state
from fitorch.layers.call_context import CALL_CONTEXT, STEP_TRAINING, CallContext
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.variable import BufferVariable, Variable
from fitorch.utils.naming import to_snake_case, unique_name
from fitorch.utils.tree import flatten, map_structure

ShapeLike = Any  # a shape tuple, or a list/dict of shape tuples for multi-input layers

# The call context of the layer call in progress (None outside any): see fitorch.layers.call_context.
_current_context = CALL_CONTEXT.get


# Marks, in _keras_layout_pairs, a sub-layer that converts its own weights (see there).
_OWN_LAYOUT = object()

# Set while a model is rebuilt from a file whose weights are then copied into every tensor of its state:
# fitorch's own layers then allocate their weights without running the initializers (see add_weight).
_WEIGHTS_COME_FROM_A_FILE = contextvars.ContextVar("fitorch_weights_come_from_a_file", default=False)


@contextlib.contextmanager
def weights_come_from_a_file() -> Iterator[None]:
    """Within this block, fitorch's built-in layers leave new weights uninitialized (``torch.empty``).

    For loaders only, and only where every tensor of the rebuilt model's ``state_dict`` is
    overwritten afterwards (``fitorch.saving.model_file.copy_weights`` checks that the file
    holds every one): running the initializers there is wasted work, about half the time of
    loading a large ``Dense`` model and more for orthogonal ones. Layers defined outside
    fitorch still run theirs, as their ``build`` may read the initial values.
    """
    token = _WEIGHTS_COME_FROM_A_FILE.set(True)
    try:
        yield
    finally:
        _WEIGHTS_COME_FROM_A_FILE.reset(token)


def losses_in_use(module: nn.Module) -> bool:
    """Whether ``module``'s calls add loss terms: ``add_loss`` terms or weight-regularization penalties.

    Learned by the calls that ``module`` entered as the outermost layer (see
    ``fitorch.layers.call_context``), so it is known once the model has run, which is when
    ``compute_loss`` asks; reading it costs one attribute lookup.

    Example:
        >>> import torch
        >>> from fitorch import layers
        >>> plain, penalised = layers.Dense(2), layers.Dense(2, kernel_regularizer="l2")
        >>> _ = plain(torch.ones(1, 3)), penalised(torch.ones(1, 3))
        >>> losses_in_use(plain), losses_in_use(penalised)
        (False, True)
    """
    return bool(getattr(module, "_loss_layers", ()))


def constraints_in_use(module: nn.Module) -> bool:
    """Whether any layer under ``module`` has a weight constraint (a walk over its modules: ask once per fit).

    Example:
        >>> import torch
        >>> from fitorch import layers
        >>> plain, constrained = layers.Dense(2), layers.Dense(2, kernel_constraint="non_neg")
        >>> _ = plain(torch.ones(1, 3)), constrained(torch.ones(1, 3))  # weights exist once built
        >>> constraints_in_use(plain), constraints_in_use(constrained)
        (False, True)
    """
    return any(isinstance(m, Layer) and m._weight_constraints for m in module.modules())


def is_shape(value: Any) -> bool:
    """True for a single shape: a tuple of ints and ``None``s."""
    return isinstance(value, (tuple, torch.Size)) and all(d is None or isinstance(d, int) for d in value)


def shape_of(value: Any) -> Any:
    """The shape structure of (symbolic or real) tensors; other leaves pass through."""

    def _shape(leaf: Any) -> Any:
        if isinstance(leaf, SymbolicTensor):
            return leaf.shape
        if isinstance(leaf, torch.Tensor):
            return tuple(leaf.shape)
        return leaf

    return map_structure(_shape, value)


class Layer(nn.Module):
    """Base class of all layers: ``__init__`` checks, ``build`` creates weights, ``call`` computes.

    Args:
        name: a unique name; defaults to the snake_case class name (``dense``, ``dense_1``...).
        trainable: whether the weights receive gradients.
        dtype: dtype of the weights (default ``fitorch.config.floatx()``).
        input_shape: Keras' shortcut for the first layer of a ``Sequential``: the
            input shape without the batch axis.
        batch_size: optional fixed batch size, with ``input_shape``.

    Call arguments:
        inputs: a tensor, a symbolic tensor, or a list of them.
        training: optional bool. On real tensors the call runs the layer and all its
            sub-layers in that mode (``Dropout``/``BatchNormalization`` follow it) and
            restores their ``training`` flags afterwards; on symbolic tensors it is
            recorded in the graph and used when the model runs (a ``training=`` given
            to the model's own call replaces it, as in Keras 3). Layers whose ``call``
            takes ``training`` also receive it. Left out, such a layer receives ``True``
            in ``fit``'s training steps and ``False`` in ``evaluate``/``predict`` (its
            module's mode), and ``None`` in a plain call outside them, as in Keras.
        mask: optional Keras mask; passed to ``call`` when it takes one, else dropped.
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        trainable: bool = True,
        dtype: str | torch.dtype | None = None,
        input_shape: Sequence[int | None] | None = None,
        batch_size: int | None = None,
        input_dim: int | None = None,
        activity_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise TypeError(
                f"{type(self).__name__}: unexpected keyword argument(s) {sorted(kwargs)}. Check the "
                "spelling against the Keras argument names."
            )
        super().__init__()
        if name is not None and (not isinstance(name, str) or not name or "/" in name):
            raise ValueError(
                f"{type(self).__name__}: name must be a non-empty string without '/'; received {name!r}."
            )
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.built = False
        self._trainable = bool(trainable)
        self._dtype = config.standardize_dtype(dtype)
        self._pinned_device = scoped_device()
        self._build_device: torch.device | None = None
        self._building = 0
        self._build_input_shape: ShapeLike = None
        self._weight_names: list[str] = []
        self._weight_layouts: dict[str, tuple[int, ...] | None] = {}
        self._losses: list[torch.Tensor] = []
        self._weight_regularizers: list[tuple[str, Any]] = []
        self._weight_constraints: list[tuple[str, Any]] = []
        self.input_spec: InputSpec | list[InputSpec] | None = None
        self.activity_regularizer = activity_regularizer
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        self._batch_input_shape = (batch_size, *input_shape) if input_shape is not None else None

    #: Whether an incoming mask passes through unchanged (Keras' ``supports_masking``).
    supports_masking = False
    _call_takes_mask = False
    _call_takes_training = False
    _forward_is_call = False  # `forward` is the class's own `call` (set by __init_subclass__)
    # Whether a call makes a Keras mask from unmasked inputs (Masking, Embedding(mask_zero=True), a user
    # layer overriding compute_mask): it switches mask tracking on for the rest of its call tree.
    _produces_masks = False
    #: Whether NumPy arrays given to a call become tensors first (Keras' ``_convert_input_args``; its data
    #: layers that pass other entries of a dict through unchanged turn it off).
    _converts_numpy = True
    # Whether a call adds loss terms or weight penalties (an activity or a weight regularizer).
    _adds_losses = False
    # The layers of this layer's call trees that add losses, learned by the calls it entered (see
    # fitorch.layers.call_context); its next outermost call clears their terms first.
    _loss_layers: tuple[Layer, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A Keras-style `call` becomes the class's `forward` itself, so torch's module call reaches it
        # directly instead of through Layer.forward's extra frame (a few % of a small layer's call).
        if "forward" in cls.__dict__:
            cls._forward_is_call = False
        elif "call" in cls.__dict__ and (cls.forward is Layer.forward or cls._forward_is_call):
            cls.forward = cls.__dict__["call"]
            cls._forward_is_call = True
        # PyTorch-style subclasses write `forward`, Keras-style ones `call`: read the one that computes.
        computes = cls.forward if cls.forward is not Layer.forward else cls.call
        parameters = inspect.signature(computes).parameters
        cls._call_takes_mask = "mask" in parameters
        cls._call_takes_training = "training" in parameters
        if "_produces_masks" not in cls.__dict__ and not cls.__module__.startswith("fitorch."):
            # A user layer that overrides compute_mask may make masks; fitorch's own say so themselves.
            cls._produces_masks = cls._produces_masks or cls.compute_mask is not Layer.compute_mask
        # Wrap every `build` so that calling it (directly or through a first call)
        # marks the layer built, and `add_weight` knows it is inside a build.
        if "build" in cls.__dict__:
            cls.build = _tracked_build(cls.__dict__["build"])

    # ------------------------------------------------------------------ lifecycle
    def build(self, input_shape: ShapeLike = None) -> None:
        """Creates the weights for inputs of ``input_shape`` (batch axis included)."""

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """The layer's computation on torch tensors. Subclasses override it."""
        raise NotImplementedError(f"{type(self).__name__} must implement call() (or forward()).")

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.call(*args, **kwargs)

    def compute_output_shape(self, input_shape: ShapeLike) -> ShapeLike:
        """The output shape for ``input_shape``. When not overridden, the layer runs on meta tensors."""
        raise NotImplementedError

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The mask of the outputs: the incoming one when ``supports_masking``, else ``None``."""
        return mask if self.supports_masking else None

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        """The output dtype: floating inputs take the layer's dtype, others pass through."""
        if input_dtype.is_floating_point and self._dtype is not None:
            return self._dtype
        return input_dtype

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if contains_symbolic(args, kwargs):
            return self._call_symbolic(args, kwargs)
        if args and type(args[0]) is not torch.Tensor and self._converts_numpy and any(holds_numpy(a) for a in args):
            args = self._numpy_to_tensors(args)  # NumPy in, torch tensors out, as Keras converts
        if kwargs and ("training" in kwargs or "mask" in kwargs):
            training = kwargs.get("training")
            kwargs = self._own_call_kwargs(kwargs)
            if training is not None:
                return self._call_in_mode(bool(training), args, kwargs)
        return self._call_eager(args, kwargs)

    def _numpy_to_tensors(self, args: tuple) -> tuple:
        """NumPy arrays as tensors on the layer's device; floating ones in its float dtype (Keras casts them
        to the layer's compute dtype the same way)."""
        from fitorch.interop import to_tensor

        device, float_dtype = self._weights_device(), self._float_dtype()

        def convert(value: Any) -> Any:
            if isinstance(value, np.ndarray):
                dtype = float_dtype if np.issubdtype(value.dtype, np.floating) else None
                return to_tensor(value, device=device, dtype=dtype)
            return value

        return tuple(map_structure(convert, list(args)))

    def _weights_device(self) -> torch.device:
        """The device of the first weight (the current device, chosen for you, when there is none yet)."""
        for tensor in self.parameters():
            return tensor.device
        for tensor in self.buffers():
            return tensor.device
        return self._pinned_device or scoped_device() or best_device()

    def _float_dtype(self) -> torch.dtype:
        """The dtype of the first floating weight (the layer's dtype, or ``floatx()``, when there is none)."""
        for tensor in (*self.parameters(), *self.buffers()):
            if tensor.is_floating_point():
                return tensor.dtype
        return self._dtype or config.floatx_dtype()

    def _own_call_kwargs(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Drops the Keras call arguments ``training``/``mask`` that this layer's ``call`` does not take.

        An unused ``mask`` stays while this call tree tracks masks: ``compute_mask`` still reads it.
        A mask given explicitly switches tracking on for the rest of the call tree.
        """
        drop = set()
        if "training" in kwargs and not self._call_takes_training:
            drop.add("training")
        if "mask" in kwargs:
            context = _current_context()
            if kwargs["mask"] is not None:
                if context is not None:  # (an outermost call reads it from its kwargs)
                    context.masks = True
            elif not self._call_takes_mask and (context is None or not context.masks):
                drop.add("mask")
        return {k: v for k, v in kwargs.items() if k not in drop} if drop else kwargs

    def _call_in_mode(self, training: bool, args: tuple, kwargs: dict[str, Any]) -> Any:
        """Keras' ``layer(x, training=...)`` on real tensors: this call runs the layer and all its
        sub-layers in that mode (``Dropout``, ``BatchNormalization`` follow it, and sub-layers whose
        ``call`` takes ``training`` receive it); the modules' own ``training`` flags are restored afterwards."""
        modules = _modules_with_wrapped(self)
        flags = None
        if not all(module.training is training for module in modules):
            flags = [module.training for module in modules]
            for module in modules:
                module.training = training
        context = _current_context()
        outer = context.training if context is not None else None
        try:
            if context is None:
                return self._call_eager(args, kwargs, training)
            context.training = training  # (this subtree's mode; the rest of the tree keeps the outer one)
            return self._call_eager(args, kwargs)
        finally:
            if context is not None:
                context.training = outer
            if flags is not None:
                for module, flag in zip(modules, flags, strict=True):
                    module.training = flag

    def _call_eager(self, args: tuple, kwargs: dict[str, Any], training: bool | None = None) -> Any:
        # (`training`: an outermost call's explicit mode, for the context it opens)
        if not self.built:
            self._build_for(args[0] if args else None)
            if any(isinstance(t, torch.Tensor) and t.is_meta for t in flatten(list(args))):
                # Built during shape inference (a sub-layer of a layer being inferred): its new
                # weights are real, so this first call runs on meta copies of them.
                return run_on_meta(self, args, kwargs)
        context = _current_context()
        if context is None:
            return self._outermost_call(args, kwargs, training)
        if self._call_takes_training and context.training is not None and kwargs.get("training") is None:
            # Keras passes the tree's mode down; a module in eval mode stays in inference (see call_context)
            kwargs = {**kwargs, "training": context.training and self.training}
        try:
            if context.masks or self._produces_masks:
                outputs = self._call_with_masks(args, kwargs, context)
            else:
                outputs = TORCH_MODULE_CALL(self, *args, **kwargs)
        except Exception as error:
            self._raise_named(error, args)
        if self._adds_losses:
            self._add_call_losses(outputs)
        return outputs

    @property
    def activity_regularizer(self) -> Any:
        """Keras' activity regularizer: its penalty on each call's outputs joins the loss (``None``: none)."""
        return self.__dict__.get("_activity_regularizer")

    @activity_regularizer.setter
    def activity_regularizer(self, value: Any) -> None:
        from fitorch import regularizers

        self.__dict__["_activity_regularizer"] = regularizers.get(value)
        self.__dict__["_adds_losses"] = value is not None or bool(self.__dict__.get("_weight_regularizers"))

    def _add_call_losses(self, outputs: Any) -> None:
        """After a call of a layer with regularizers: Keras' activity penalty (the penalty on the outputs,
        divided by the batch size), and the outermost call learns that its tree adds losses."""
        self._note_losses()  # weight penalties alone add no term, but `losses_in_use` must say yes
        if self.activity_regularizer is None:
            return
        for output in flatten(outputs):
            if isinstance(output, torch.Tensor) and output.ndim > 0 and output.shape[0] > 0:
                self.add_loss(self.activity_regularizer(output) / output.shape[0])

    def _note_losses(self) -> None:
        """Records this layer in the ``_loss_layers`` of the outermost call in progress (once per entry)."""
        context = _current_context()
        if context is not None and self not in context.entry._loss_layers:
            entry = context.entry
            entry._loss_layers = (*entry._loss_layers, self)
            self._losses.clear()  # terms left by a call of another tree are not this call's

    def _outermost_call(self, args: tuple, kwargs: dict[str, Any], training: bool | None = None) -> Any:
        """The outermost layer call: opens the call context its nested calls share (thread- and task-local),
        after clearing the ``add_loss`` terms of the previous call when this tree is known to add some.
        Its ``training`` mode is the explicit one, else the trainer step's (see ``call_context``)."""
        for layer in self._loss_layers:
            layer._losses.clear()
        inputs = args[0] if args else None
        if type(inputs) is torch.Tensor or isinstance(inputs, torch.Tensor):  # (the common case, inlined)
            masks = getattr(inputs, "_keras_mask", None) is not None
        else:
            masks = masking_state.get_mask(inputs) is not None
        if kwargs and kwargs.get("mask") is not None:
            masks = True
        if training is None:
            training = STEP_TRAINING.get()
        token = CALL_CONTEXT.set(CallContext(self, masks, training))
        try:
            return self._call_eager(args, kwargs)
        finally:
            CALL_CONTEXT.reset(token)

    def _call_with_masks(self, args: tuple, kwargs: dict[str, Any], context: CallContext) -> Any:
        """A call that reads the inputs' Keras mask, passes it to ``call`` and attaches the outputs'."""
        context.masks = True  # (a mask producer switches tracking on for the rest of its call tree)
        inputs = args[0] if args else None
        mask = kwargs.get("mask") if "mask" in kwargs else masking_state.get_mask(inputs)
        if not self._call_takes_mask:
            kwargs = {k: v for k, v in kwargs.items() if k != "mask"} if "mask" in kwargs else kwargs
        elif mask is not None and "mask" not in kwargs:
            kwargs = {**kwargs, "mask": mask}
        outputs = TORCH_MODULE_CALL(self, *args, **kwargs)
        output_mask = self.compute_mask(inputs, mask)
        if output_mask is not None:
            masking_state.set_mask(outputs, output_mask)
        return outputs

    def _build_for(self, inputs: Any) -> None:
        """Builds from the first call's inputs, on their device (unless the layer is pinned)."""
        device = self._pinned_device
        if device is None:
            tensor = next((t for t in flatten(inputs) if isinstance(t, torch.Tensor)), None)
            if tensor is not None and not tensor.is_meta:
                device = tensor.device
        input_shape = shape_of(inputs)
        self._check_input_spec(input_shape)
        self._build_device = device
        self.build(input_shape)
        self.built = True  # also for layers that keep the base class's empty build()
        self._build_input_shape = input_shape

    def _call_symbolic(self, args: tuple, kwargs: dict[str, Any]) -> Any:
        inputs = args[0] if args else None
        input_shape = shape_of(inputs)
        if not self.built:
            self._build_for(inputs)
        else:
            self._check_input_spec(input_shape)
        try:
            output_shape = self.compute_output_shape(input_shape)
        except NotImplementedError:
            try:
                specs = infer_output_specs(self, args, kwargs)
            except Exception as error:
                raise ValueError(
                    f"Layer {self.name!r} ({type(self).__name__}) cannot be called on inputs with shapes "
                    f"{describe_shapes(args)}: {error}"
                ) from error
        else:
            dtype = self.compute_output_dtype(next(t.dtype for t in flatten(args) if isinstance(t, SymbolicTensor)))
            specs = _shapes_to_specs(output_shape, dtype)
        outputs = Node(self, tuple(args), dict(kwargs), specs).outputs
        if self._produces_masks or any(getattr(t, "_keras_mask", None) is not None for t in flatten(inputs)):
            _attach_symbolic_masks(self, inputs, outputs)
        return outputs

    def _check_input_spec(self, input_shape: ShapeLike) -> None:
        problem = self._input_spec_problem(input_shape)
        if problem is not None:
            raise ValueError(problem)

    def _input_spec_problem(self, input_shape: ShapeLike) -> str | None:
        if self.input_spec is None:
            return None
        specs = self.input_spec if isinstance(self.input_spec, list) else [self.input_spec]
        shapes = [input_shape] if is_shape(input_shape) else flatten_shapes(input_shape)
        for index, (spec, shape) in enumerate(zip(specs, shapes, strict=False)):
            problem = spec.problem(index, shape) if is_shape(shape) else None
            if problem is not None:
                return (
                    f"Input {index} of layer {self.name!r} ({type(self).__name__}) is incompatible: {problem}."
                )
        return None

    def _raise_named(self, error: Exception, args: tuple) -> NoReturn:
        """Raises ``error`` (from inside this layer's call on ``args``) again, naming this layer, unless an
        inner layer already said where it happened."""
        if getattr(error, "_fitorch_layer", None) is None:
            explained = self._explain(error, args)
            if explained is not error:
                raise explained from error
        raise error

    def _explain(self, error: Exception, args: tuple) -> Exception:
        """Turns an error from inside ``call`` into one that names this layer."""
        problem = self._input_spec_problem(shape_of(args[0]) if args else None)
        if problem is not None:
            explained: Exception = ValueError(problem)
        elif repr(self.name) in str(error):  # the layer's own message already names it
            explained = error
        else:
            message = (
                f"Exception in layer {self.name!r} ({type(self).__name__}) called on inputs with shapes "
                f"{describe_shapes(args)}:\n{type(error).__name__}: {error}"
            )
            try:
                explained = type(error)(message)
            except Exception:  # exception types with unusual constructors keep their type
                error.add_note(message)
                explained = error
        explained._fitorch_layer = self.name  # type: ignore[attr-defined]
        return explained

    # ------------------------------------------------------------------ weights
    def add_weight(
        self,
        *args: Any,
        shape: Sequence[int] | None = None,
        initializer: Any = None,
        trainable: bool = True,
        dtype: str | torch.dtype | None = None,
        keras_axes: Sequence[int] | None = None,
        regularizer: Any = None,
        constraint: Any = None,
        name: str | None = None,
    ) -> torch.Tensor:
        """Creates a weight and registers it (a Parameter, or a buffer when not trainable).

        Two positional orders work: fitorch's ``add_weight(name, shape, initializer)`` and
        Keras 3's ``add_weight(shape, initializer, dtype)``. Without a name the weight is
        called ``variable``, ``variable_1``... as in Keras, and takes the attribute's name
        when assigned (``self.w = self.add_weight(shape=(3,))`` registers ``w``).

        Args:
            *args: ``name, shape, initializer`` or ``shape, initializer, dtype``.
            shape: shape in torch layout (``()`` by default: a scalar).
            initializer: a Keras initializer name, instance or callable; by default
                ``'glorot_uniform'`` for floating weights and ``'zeros'`` for others.
            trainable: ``False`` registers a buffer (e.g. moving statistics).
            dtype: defaults to the layer's dtype, else ``floatx()``.
            keras_axes: the permutation taking the torch layout to the Keras layout
                (``(1, 0)`` for a Dense kernel); ``None`` when both are the same.
            regularizer: a Keras regularizer (name, instance or callable) whose penalty
                on the Keras-layout weight is added to the training loss.
            constraint: a Keras constraint applied (in Keras layout) after each
                optimizer step.
            name: attribute name, torch style (``weight``, ``bias``, ``running_mean``).

        Returns:
            The registered tensor. In your own layers: a ``fitorch.layers.variable.Variable``
            (an ``nn.Parameter`` with Keras' ``assign``/``assign_add``/``assign_sub``/``numpy``/
            ``value``), or a ``BufferVariable`` with the same methods when not trainable.
            fitorch's built-in layers keep plain ``nn.Parameter``s and buffers, which torch
            dispatches faster.

        Example:
            >>> from fitorch import layers
            >>> class Counter(layers.Layer):
            ...     def build(self, input_shape):
            ...         self.count = self.add_weight(shape=(), initializer="zeros", trainable=False)
            ...     def call(self, x):
            ...         self.count.assign_add(1.0)
            ...         return x
            >>> layer = Counter()
            >>> _ = layer(torch.ones(1)), layer(torch.ones(1))
            >>> float(layer.count.numpy()), list(layer.state_dict())
            (2.0, ['count'])
        """
        name, shape, initializer, dtype = self._add_weight_arguments(args, name, shape, initializer, dtype)
        if self.built and not self._building:
            raise RuntimeError(
                f"Layer {self.name!r}: cannot add weight {name!r} after the layer is built; "
                "create weights in build()."
            )
        auto_named = name is None
        if auto_named:
            name = self._free_weight_name()
        shape = tuple(int(d) for d in shape) if shape is not None else ()
        axes = tuple(keras_axes) if keras_axes is not None else None
        keras_shape = tuple(shape[a] for a in axes) if axes is not None else shape
        device = self._pinned_device or self._build_device or torch.device("cpu")
        dtype = config.standardize_dtype(dtype) or self._dtype or config.floatx_dtype()
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating_point else "zeros"
        initializer = initializers.get(initializer)  # (checked even when not run)
        if _WEIGHTS_COME_FROM_A_FILE.get() and not _keras_variables(type(self)):
            value = torch.empty(shape, dtype=dtype, device=device)
        else:
            value = initializer(keras_shape, dtype=dtype, device=device)
            if axes is not None:
                value = value.permute(*np.argsort(axes)).contiguous()
        if trainable:
            parameter_type = Variable if _keras_variables(type(self)) else nn.Parameter
            self.register_parameter(name, parameter_type(value, requires_grad=self._trainable))
        else:
            self.register_buffer(name, BufferVariable(value) if _keras_variables(type(self)) else value)
        if auto_named:  # renamed after the attribute it is assigned to (see __setattr__)
            self.__dict__.setdefault("_auto_named_weights", {})[name] = getattr(self, name)
        self._weight_names.append(name)
        self._weight_layouts[name] = axes
        if regularizer is not None:
            from fitorch import regularizers

            self._weight_regularizers.append((name, regularizers.get(regularizer)))
            self._adds_losses = True  # each call tells its outermost call (see _add_call_losses)
        if constraint is not None:
            from fitorch import constraints

            self._weight_constraints.append((name, constraints.get(constraint)))
        return getattr(self, name)

    def _add_weight_arguments(
        self, args: tuple, name: str | None, shape: Any, initializer: Any, dtype: Any
    ) -> tuple[Any, Any, Any, Any]:
        """Reads ``add_weight``'s positional arguments in fitorch's or Keras 3's order."""
        if len(args) > 3:
            raise TypeError(
                f"Layer {self.name!r}: add_weight takes at most 3 positional arguments; received {len(args)}."
            )
        if args and isinstance(args[0], str):  # fitorch: (name, shape, initializer)
            keywords = {"name": name, "shape": shape, "initializer": initializer}
        else:  # Keras 3: (shape, initializer, dtype)
            keywords = {"shape": shape, "initializer": initializer, "dtype": dtype}
        for key, value in zip(keywords, args, strict=False):
            if keywords[key] is not None:
                raise TypeError(f"Layer {self.name!r}: add_weight got {key!r} both positionally and as a keyword.")
            keywords[key] = value
        merged = {"name": name, "shape": shape, "initializer": initializer, "dtype": dtype, **keywords}
        if merged["name"] is not None and (not isinstance(merged["name"], str) or not merged["name"].isidentifier()):
            raise ValueError(
                f"Layer {self.name!r}: add_weight name must be a Python identifier (it becomes an attribute); "
                f"received {merged['name']!r}."
            )
        return merged["name"], merged["shape"], merged["initializer"], merged["dtype"]

    def _free_weight_name(self) -> str:
        """Keras' default weight names, ``variable``, ``variable_1``..., skipping names in use."""
        candidate, index = "variable", 0
        while hasattr(self, candidate):
            index += 1
            candidate = f"variable_{index}"
        return candidate

    def __setattr__(self, name: str, value: Any) -> None:
        # A non-trainable weight stays a buffer (nn.Module would register any Parameter as a parameter).
        if isinstance(value, BufferVariable):
            if self.__dict__.get("_buffers", {}).get(name) is value:
                return
            auto_named = self.__dict__.get("_auto_named_weights") or {}
            if all(tensor is not value for tensor in auto_named.values()):
                self.__dict__.pop(name, None)
                self._parameters.pop(name, None)
                self.register_buffer(name, value)
                return
        auto = self.__dict__.get("_auto_named_weights")
        if auto and isinstance(value, torch.Tensor):
            old = next((key for key, tensor in auto.items() if tensor is value), None)
            if old is not None and old != name and not hasattr(type(self), name):
                del auto[old]
                self._rename_weight(old, name, value)
                return
        super().__setattr__(name, value)

    def _rename_weight(self, old: str, new: str, value: torch.Tensor) -> None:
        """Registers an auto-named weight under the attribute name it was assigned to."""
        table = self._parameters if old in self._parameters else self._buffers
        if old in self._non_persistent_buffers_set:
            self._non_persistent_buffers_set.discard(old)
            self._non_persistent_buffers_set.add(new)
        self.__dict__.pop(new, None)
        entries = [(new if key == old else key, tensor) for key, tensor in table.items() if key != new]
        table.clear()
        table.update(entries)  # same place in state_dict() as when it was created
        self._weight_names[self._weight_names.index(old)] = new
        self._weight_layouts[new] = self._weight_layouts.pop(old)
        self._weight_regularizers[:] = [(new if n == old else n, r) for n, r in self._weight_regularizers]
        self._weight_constraints[:] = [(new if n == old else n, c) for n, c in self._weight_constraints]

    def add_loss(self, value: torch.Tensor) -> None:
        """Adds a term to the training loss (Keras' ``add_loss``), e.g. an activity penalty.

        Terms are collected during each forward pass of the outermost model and summed
        into the loss that ``fit`` minimises and ``evaluate`` reports; ``losses`` holds
        those of the last call.

        Example:
            >>> import torch
            >>> from fitorch import layers
            >>> class Penalised(layers.Layer):
            ...     def call(self, x):
            ...         self.add_loss(x.abs().sum())
            ...         return x
            >>> layer = Penalised()
            >>> _ = layer(torch.ones(2)), layer(torch.full((2,), 3.0))
            >>> [float(t) for t in layer.losses]  # the last call's terms only
            [6.0]
        """
        self._note_losses()
        self._losses.append(value)

    @property
    def losses(self) -> list[torch.Tensor]:
        """This layer's and its sub-layers' ``add_loss`` terms plus weight-regularization penalties."""
        collected: list[torch.Tensor] = []
        for module in self.modules():
            if isinstance(module, Layer):
                collected.extend(module._losses)
                for name, regularizer in module._weight_regularizers:
                    collected.append(regularizer(module._keras_view(name)))
        return collected

    def _keras_view(self, name: str) -> torch.Tensor:
        """A weight seen in Keras layout (regularizers and constraints are defined on it)."""
        tensor = getattr(self, name)
        axes = self._weight_layouts.get(name)
        return tensor.permute(*axes) if axes is not None else tensor

    def apply_constraints(self) -> None:
        """Projects every constrained weight (here and in sub-layers) back onto its constraint."""
        with torch.no_grad():
            for module in self.modules():
                if isinstance(module, Layer):
                    for name, constraint in module._weight_constraints:
                        view = module._keras_view(name)
                        view.copy_(constraint(view))

    @property
    def weights(self) -> list[torch.Tensor]:
        """All weights, own first and then sub-layers', in Keras order (torch layout tensors)."""
        tensors: list[torch.Tensor] = []
        for item, axes in self._keras_layout_pairs():
            tensors.extend(item.weights if axes is _OWN_LAYOUT else [item])
        return tensors

    @property
    def trainable_weights(self) -> list[torch.Tensor]:
        return [w for w in self.weights if isinstance(w, nn.Parameter) and w.requires_grad]

    @property
    def non_trainable_weights(self) -> list[torch.Tensor]:
        return [w for w in self.weights if not (isinstance(w, nn.Parameter) and w.requires_grad)]

    # Keras 3 names the same lists `*variables` too (`optimizer.build(model.trainable_variables)`).
    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def count_params(self) -> int:
        """Number of scalars in all weights (trainable and not)."""
        return sum(w.numel() for w in self.weights)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for parameter in self.parameters():
            parameter.requires_grad_(self._trainable)
        for child in self.modules():
            if isinstance(child, Layer):
                child._trainable = self._trainable

    def _keras_layout_pairs(self) -> list[tuple[Any, Any]]:
        """``(tensor, keras_axes)`` for every weight in Keras order.

        A sub-layer with its own ``get_weights`` (a layout that is more than a
        permutation, e.g. a GRU's gate order) appears as ``(layer, _OWN_LAYOUT)``.
        """
        pairs: list[tuple[Any, Any]] = [(getattr(self, n), self._weight_layouts.get(n)) for n in self._weight_names]
        # Tensors registered directly (not through add_weight), e.g. by a wrapped nn.Module.
        own = set(self._weight_names)
        pairs.extend((p, None) for n, p in self._parameters.items() if p is not None and n not in own)
        pairs.extend(
            (b, None) for n, b in self._buffers.items() if b is not None and n not in own and b.is_floating_point()
        )
        from fitorch.metrics.metric import Metric

        for child in self.children():
            if isinstance(child, Layer):
                if type(child).get_weights is not Layer.get_weights:
                    pairs.append((child, _OWN_LAYOUT))
                else:
                    pairs.extend(child._keras_layout_pairs())
            elif not isinstance(child, Metric):  # a model's own trackers are not weights, as in Keras
                pairs.extend((w, None) for w in _plain_weights(child))
        return pairs

    def get_weights(self) -> list[np.ndarray]:
        """Returns the weights as NumPy arrays in Keras layout and Keras order."""
        arrays: list[np.ndarray] = []
        for item, axes in self._keras_layout_pairs():
            if axes is _OWN_LAYOUT:
                arrays.extend(item.get_weights())
                continue
            value = item.detach()
            if axes is not None:
                value = value.permute(*axes)
            arrays.append(value.cpu().float().numpy() if value.dtype == torch.bfloat16 else value.cpu().numpy())
        return arrays

    def set_weights(self, weights: Sequence[np.ndarray]) -> None:
        """Sets the weights from NumPy arrays in Keras layout (the order of ``get_weights``).

        Raises:
            ValueError: if the count or any shape differs; nothing is changed then.
        """
        weights = list(weights)
        current = self.get_weights()
        if len(weights) != len(current):
            raise ValueError(
                f"Layer {self.name!r}: set_weights expected {len(current)} arrays, received {len(weights)}."
            )
        for index, (expected, array) in enumerate(zip(current, weights, strict=True)):
            if tuple(np.shape(array)) != tuple(expected.shape):
                raise ValueError(
                    f"Layer {self.name!r}: weight {index} expected shape {tuple(expected.shape)}, received "
                    f"{tuple(np.shape(array))}."
                )
        index = 0
        with torch.no_grad():
            for item, axes in self._keras_layout_pairs():
                if axes is _OWN_LAYOUT:
                    count = len(item.get_weights())
                    item.set_weights(weights[index : index + count])
                    index += count
                    continue
                value = torch.as_tensor(np.asarray(weights[index]))
                if axes is not None:
                    value = value.permute(*np.argsort(axes))
                item.copy_(value)
                index += 1

    # ------------------------------------------------------------------ graph & config
    @property
    def pinned_device(self) -> torch.device | None:
        """The device this layer was pinned to by a ``fitorch.device`` scope, if any."""
        return self._pinned_device

    def _apply(self, fn: Any, recurse: bool = True) -> Layer:
        self._follow_float_cast(fn)
        # A pinned layer keeps its device through model.to(...); dtype changes still apply.
        if self._pinned_device is None:
            return self._keep_buffer_variables(super()._apply(fn, recurse))
        pinned = self._pinned_device

        def keep_device(tensor: torch.Tensor) -> torch.Tensor:
            # An empty probe shows where (and as what dtype) `fn` would send the tensor.
            probe = fn(torch.empty(0, dtype=tensor.dtype))
            if probe.device == pinned:
                return fn(tensor)
            return tensor.to(dtype=probe.dtype) if probe.dtype != tensor.dtype else tensor

        return self._keep_buffer_variables(super()._apply(keep_device, recurse))

    def _follow_float_cast(self, fn: Any) -> None:
        """``.double()``, ``.half()``, ``.float()`` and ``.to(dtype)`` also move a floating layer dtype.

        A layer made with ``dtype="float32"`` (every layer read from a Keras file) casts its
        inputs to that dtype; left alone, a model cast to float64 would compute in float32 or fail
        on mixed dtypes. The cast ``fn`` is probed on an empty tensor of the layer's dtype, as torch
        applies it to floating weights; an integer or boolean dtype (``Hashing(dtype="int64")``,
        a lookup layer's output) is not a floating compute dtype and stays.
        """
        if self._dtype is None or not self._dtype.is_floating_point:
            return
        cast = fn(torch.empty(0, dtype=self._dtype)).dtype
        if cast.is_floating_point:
            self._dtype = cast

    def _keep_buffer_variables(self, result: Layer) -> Layer:
        """``.to()`` replaces buffers with plain tensors; the weights from ``add_weight`` keep their methods."""
        buffers = self._buffers
        if not _keras_variables(type(self)):
            return result
        for name in self._weight_names:
            tensor = buffers.get(name)
            if tensor is not None and not isinstance(tensor, BufferVariable):
                buffers[name] = BufferVariable(tensor)
        return result

    @property
    def output(self) -> Any:
        """The symbolic output of this layer's (single) call in a functional model."""
        return self._only_node("output").outputs

    @property
    def input(self) -> Any:
        """The symbolic input of this layer's (single) call in a functional model."""
        node = self._only_node("input")
        return node.args[0] if len(node.args) == 1 else list(node.args)

    def _only_node(self, what: str) -> Node:
        nodes = inbound_nodes(self)
        if not nodes:
            raise ValueError(f"Layer {self.name!r} has never been called on a symbolic tensor, so it has no {what}.")
        if len(nodes) > 1:
            raise ValueError(
                f"Layer {self.name!r} is called {len(nodes)} times (a shared layer), so its {what} is "
                "ambiguous; use the tensors returned by each call instead."
            )
        return nodes[0]

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as plain JSON data."""
        config_dict: dict[str, Any] = {"name": self.name, "trainable": self.trainable}
        if self.activity_regularizer is not None:
            from fitorch import regularizers

            config_dict["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if self._dtype is not None:
            config_dict["dtype"] = str(self._dtype).removeprefix("torch.")
        return config_dict

    @classmethod
    def from_config(cls, config_dict: dict[str, Any]) -> Layer:
        """Creates a layer from ``get_config()``'s output."""
        return cls(**config_dict)

    def extra_repr(self) -> str:
        return f"name={self.name!r}"


def flatten_shapes(structure: Any) -> list[Any]:
    """Flattens a structure of shapes, keeping each shape tuple whole."""
    if is_shape(structure):
        return [structure]
    if isinstance(structure, dict):
        return [s for v in structure.values() for s in flatten_shapes(v)]
    if isinstance(structure, (list, tuple)):
        return [s for v in structure for s in flatten_shapes(v)]
    return [structure]


def _shapes_to_specs(output_shape: Any, dtype: torch.dtype) -> Any:
    if is_shape(output_shape):
        return TensorSpec(tuple(output_shape), dtype)
    if isinstance(output_shape, dict):
        return {k: _shapes_to_specs(v, dtype) for k, v in output_shape.items()}
    if isinstance(output_shape, (list, tuple)):
        return type(output_shape)(_shapes_to_specs(v, dtype) for v in output_shape)
    raise TypeError(f"compute_output_shape must return a shape tuple or a list of them; received {output_shape!r}.")


def _attach_symbolic_masks(layer: Layer, inputs: Any, outputs: Any) -> None:
    """Gives ``outputs`` the symbolic Keras mask that ``layer.compute_mask`` makes from ``inputs`` and their
    masks, as Keras' symbolic tensors carry ``_keras_mask`` (a boolean symbolic tensor with no node).

    ``compute_mask`` runs on meta tensors at both probe sizes, so axes that follow the unknown
    ones stay unknown. A ``compute_mask`` that cannot run on meta tensors leaves the outputs
    without a symbolic mask: the mask is still computed when the model runs.
    """
    runs = []
    try:
        for probe in PROBE_SIZES:
            meta_inputs = map_structure(lambda value, probe=probe: meta_like(value, probe), inputs)
            with torch.no_grad(), torch.device("meta"):
                runs.append(layer.compute_mask(meta_inputs, masking_state.get_mask(meta_inputs)))
    except Exception:  # noqa: BLE001 - a mask that cannot be inferred here is computed at run time
        return
    first, second = runs
    if not isinstance(first, (list, tuple)) or isinstance(outputs, SymbolicTensor):
        first, second = [first], [second]
    for output, a, b in zip(flatten(outputs), first, second, strict=False):
        if isinstance(output, SymbolicTensor) and isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor):
            output._keras_mask = SymbolicTensor(probed_shape(a, b), torch.bool)


def holds_numpy(value: Any) -> bool:
    """True for a NumPy array, or a list/tuple/dict whose first entry is one (a cheap per-call check)."""
    if isinstance(value, np.ndarray):
        return True
    if isinstance(value, (list, tuple)) and value:
        return isinstance(value[0], np.ndarray)
    if isinstance(value, dict) and value:
        return isinstance(next(iter(value.values())), np.ndarray)
    return False


def _keras_variables(cls: type) -> bool:
    """Whether ``add_weight`` gives ``cls`` Keras-style ``Variable``s: yes for user layers (ported Keras code
    calls ``self.w.assign(...)``); fitorch's own layers keep exact ``nn.Parameter``s, which torch dispatches
    faster (a Parameter subclass costs about 0.4 us more per op, ~10% of a small model's forward on CPU)."""
    module = sys.modules.get(cls.__module__)
    return not (cls.__module__.startswith("fitorch.") and getattr(module, cls.__qualname__, None) is cls)


def _modules_with_wrapped(layer: nn.Module) -> list[nn.Module]:
    """Every module under ``layer``, plus the module a ``fitorch.wrap`` wrapper forwards to."""
    modules = list(layer.modules())
    wrapped = layer.__dict__.get("_wrapped")
    if isinstance(wrapped, nn.Module):
        modules.append(wrapped)
    return modules


def _plain_weights(module: nn.Module) -> list[torch.Tensor]:
    """Parameters, then floating buffers, of a plain ``nn.Module``, in state_dict order."""
    buffers = [b for b in module.buffers() if b.is_floating_point()]
    return [*module.parameters(), *buffers]


def _tracked_build(build: Any) -> Any:
    @functools.wraps(build)
    def wrapper(self: Layer, input_shape: ShapeLike = None, *args: Any, **kwargs: Any) -> None:
        self._building += 1
        try:
            build(self, input_shape, *args, **kwargs)
        finally:
            self._building -= 1
        self.built = True
        self._build_input_shape = input_shape

    return wrapper
