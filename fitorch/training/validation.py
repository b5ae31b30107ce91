"""Checks on what users hand to ``fit``/``evaluate``/``predict``, with messages that teach.

Every message names the argument (``x``, ``y``, ``sample_weight``,
``validation_data``, ``batch_size`` ...), what was expected and what was received.
The checks come in three kinds, by cost:

* loop arguments (``batch_size``, ``epochs``, ``shuffle`` ...), before any data is read;
* the data as a whole when it is converted: pandas objects and lists of numbers become
  arrays, strings and object arrays are refused, integer inputs are cast to the
  model's float type (as Keras does);
* the first batch only: shapes against the model's ``Input`` layers, targets against its
  outputs, label ranges, NaN/Inf. They read host-side data once per call, so the
  training loop itself still does no host work per step.

Example:
    >>> standardize([[1, 2], [3, 4]], "x").dtype
    dtype('int64')
    >>> check_count(0, "batch_size", "fit")
    Traceback (most recent call last):
    ...
    ValueError: fit: batch_size must be an int >= 1 or None; received 0.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.utils.tree import flatten

_NUMBER = (bool, int, float, np.number, np.bool_)
# NumPy dtype kinds that cannot become tensors: object, unicode, bytes, void, datetime, timedelta.
_NOT_NUMERIC = {"O": "Python objects", "U": "strings", "S": "bytes", "V": "raw records", "M": "dates", "m": "durations"}
_FIX_OBJECTS = (
    "An object array holds Python objects (strings, None, ragged lists): convert it to numbers, "
    "e.g. np.asarray(data, dtype='float32'), and pad ragged sequences to one length."
)
_FIX_STRINGS = "Encode them as numbers first (integer ids or one-hot vectors, e.g. with a StringLookup layer)."


# ---------------------------------------------------------------------- loop arguments
def check_count(value: Any, argument: str, method: str, minimum: int = 1, allow_none: bool = True) -> None:
    """Raises unless ``value`` is an int ``>= minimum`` (or ``None`` when allowed).

    Example:
        >>> check_count(32, "batch_size", "fit")
        >>> check_count(2.5, "epochs", "fit", minimum=0, allow_none=False)
        Traceback (most recent call last):
        ...
        TypeError: fit: epochs must be an int >= 0; received 2.5 (float).
    """
    if value is None and allow_none:
        return
    wanted = f"an int >= {minimum}" + (" or None" if allow_none else "")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{method}: {argument} must be {wanted}; received {value!r} ({type(value).__name__}).")
    if value < minimum:
        raise ValueError(f"{method}: {argument} must be {wanted}; received {value}.")


def check_fit_arguments(
    batch_size: Any, epochs: Any, validation_split: Any, shuffle: Any, class_weight: Any, initial_epoch: Any,
    steps_per_epoch: Any, validation_steps: Any, validation_batch_size: Any, validation_freq: Any,
) -> None:  # fmt: skip
    """Refuses bad ``fit`` arguments before any data is read.

    Example:
        >>> check_fit_arguments(32, 1, 0.2, "maybe", None, 0, None, None, None, 1)
        Traceback (most recent call last):
        ...
        ValueError: fit: shuffle must be True, False or 'batch'; received 'maybe'.
    """
    check_count(batch_size, "batch_size", "fit")
    check_count(epochs, "epochs", "fit", minimum=0, allow_none=False)
    check_count(initial_epoch, "initial_epoch", "fit", minimum=0, allow_none=False)
    check_count(steps_per_epoch, "steps_per_epoch", "fit")
    check_count(validation_steps, "validation_steps", "fit")
    check_count(validation_batch_size, "validation_batch_size", "fit")
    check_count(validation_freq, "validation_freq", "fit", allow_none=False)
    if isinstance(validation_split, bool) or not isinstance(validation_split, (int, float, np.floating)):
        raise TypeError(f"fit: validation_split must be a float in [0, 1); received {validation_split!r}.")
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"fit: validation_split must be a float in [0, 1); received {validation_split}.")
    if not (isinstance(shuffle, (bool, np.bool_)) or (isinstance(shuffle, str) and shuffle == "batch")):
        raise ValueError(f"fit: shuffle must be True, False or 'batch'; received {shuffle!r}.")
    if class_weight is not None:
        check_class_weight_type(class_weight)


def check_class_weight_type(class_weight: Any) -> None:
    """``class_weight`` must map integer class indices to numbers, as in Keras."""
    if not isinstance(class_weight, Mapping):
        raise TypeError(
            "fit: class_weight must be a dict mapping class indices to weights, e.g. {0: 1.0, 1: 5.0}; "
            f"received {type(class_weight).__name__}."
        )
    for key, value in class_weight.items():
        if isinstance(key, (bool, np.bool_)) or not isinstance(key, (int, np.integer)):
            raise TypeError(f"fit: class_weight keys must be integer class indices; received key {key!r}.")
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"fit: class_weight[{key}] must be a number; received {value!r}.")


def check_class_weight(class_weight: Mapping[int, float], labels: Any, num_classes: int | None) -> None:
    """Every class needs a weight: names classes missing from ``class_weight`` and labels outside it.

    ``labels`` is host data (an array or tensor of class indices or one-hot rows); reading
    it costs one transfer per ``fit``, never one per step.
    """
    keys = sorted(int(k) for k in class_weight)
    if num_classes is not None and num_classes > 1:
        missing = [c for c in range(num_classes) if c not in class_weight]
        if missing:
            raise ValueError(
                f"fit: class_weight has no weight for classes {missing}; the model's output has {num_classes} "
                f"classes (0 to {num_classes - 1}) and class_weight has keys {keys}. Give every class a weight."
            )
    values = labels.detach().cpu().numpy() if isinstance(labels, torch.Tensor) else np.asarray(labels)
    if values.ndim > 1 and values.shape[-1] > 1:
        values = values.argmax(axis=-1)
    found = np.unique(np.round(values).astype(np.int64) if values.dtype.kind == "f" else values.astype(np.int64))
    outside = [int(v) for v in found if int(v) not in class_weight]
    if outside:
        raise ValueError(
            f"fit: y has labels {outside[:10]} that class_weight has no weight for; class_weight has keys {keys}. "
            "Give every class a weight."
        )


# ---------------------------------------------------------------------- data conversion
def _is_number_list(value: Any) -> bool:
    """True for a non-empty (nested) list or tuple of Python/NumPy numbers."""
    if not isinstance(value, (list, tuple)) or not value or hasattr(value, "_fields"):
        return False
    if isinstance(value[0], (list, tuple)):
        return all(_is_number_list(item) for item in value)
    return all(isinstance(item, _NUMBER) for item in value)


def standardize(data: Any, argument: str, device: torch.device | None = None) -> Any:
    """Turns pandas objects (anything with ``.to_numpy()``) and lists of numbers into arrays.

    Lists, tuples and dicts of arrays keep their structure (several inputs or outputs).
    Other values (generators, datasets) are returned unchanged.

    Raises:
        TypeError: for strings and object arrays, naming ``argument`` and the dtype.
        ValueError: for tensors on the ``meta`` device, which hold no data.
    """
    if data is None or isinstance(data, (np.ndarray, torch.Tensor)):
        return _checked_leaf(data, argument, device)
    to_numpy = getattr(data, "to_numpy", None)
    if callable(to_numpy) and hasattr(data, "shape"):  # a pandas DataFrame or Series (duck-typed)
        return _checked_leaf(np.asarray(to_numpy()), argument, device)
    if _is_number_list(data):
        return _checked_leaf(np.asarray(data), argument, device)
    if isinstance(data, dict):
        return type(data)((k, standardize(v, f"{argument}[{k!r}]", device)) for k, v in data.items())
    if isinstance(data, (list, tuple)) and not hasattr(data, "_fields"):
        if any(isinstance(leaf, (str, bytes)) for leaf in flatten(data)):
            raise TypeError(f"{argument}: received a {type(data).__name__} of strings. {_FIX_STRINGS}")
        return type(data)(standardize(v, f"{argument}[{i}]", device) for i, v in enumerate(data))
    return data


def _checked_leaf(value: Any, argument: str, device: torch.device | None) -> Any:
    if isinstance(value, np.ndarray) and value.dtype.kind in _NOT_NUMERIC:
        what = _NOT_NUMERIC[value.dtype.kind]
        fix = _FIX_OBJECTS if value.dtype.kind == "O" else _FIX_STRINGS
        raise TypeError(
            f"{argument}: arrays of dtype {value.dtype} ({what}) cannot become tensors; fitorch trains on "
            f"numbers. {fix}"
        )
    if isinstance(value, torch.Tensor) and value.is_meta and device is not None and device.type != "meta":
        raise ValueError(
            f"{argument} is on the 'meta' device, which holds shapes but no values, and the model is on "
            f"'{device}'. Pass real data (NumPy arrays or tensors on any device; fitorch moves them)."
        )
    return value


def check_model_device(model: Any, method: str) -> None:
    """A model on the ``meta`` device has no weights to train or run."""
    device = model.device
    if device.type == "meta":
        raise ValueError(
            f"{method}: model {getattr(model, 'name', type(model).__name__)!r} is on the 'meta' device, which "
            "holds no weight values. Materialize it first, e.g. model.to_empty(device='cpu') then load weights."
        )


def model_float_dtype(model: Any) -> torch.dtype:
    """The dtype of the model's first floating-point weight (``floatx`` when it has none)."""
    for parameter in model.parameters():
        if parameter.is_floating_point():
            return parameter.dtype
    return config.floatx_dtype()


def _is_integral(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iub"
    return isinstance(value, torch.Tensor) and not (value.is_floating_point() or value.is_complex())


def input_caster(model: Any, x: Any) -> Callable[[list[Any]], list[Any]] | None:
    """How the leaves of ``x`` become what the model takes, as Keras does it; ``None`` when they already are.

    * Integer and boolean data feeding a float ``Input`` is cast to the Input's dtype
      (``uint8`` images, ``int64`` features); an integer ``Input`` (for ``Embedding``)
      keeps its integers. A model without ``Input`` layers (PyTorch style) gets ``uint8`` and
      ``bool`` data cast to its float type; other integers may be indices and stay.
    * Keras' rank adjustment: ``(N,)`` data for an ``Input`` of shape ``(1,)`` gains a
      trailing axis, and ``(N, ..., 1)`` data for an Input without that axis loses it.
    """
    leaves = flatten(x)
    specs = input_specs_for(model, x)
    plan = []
    for leaf, spec in zip(leaves, specs or [None] * len(leaves), strict=True):
        dtype = None
        if _is_integral(leaf):
            if spec is not None:
                dtype = spec.dtype if spec.dtype.is_floating_point else None
            elif (isinstance(leaf, np.ndarray) and leaf.dtype.kind in "ub") or (
                isinstance(leaf, torch.Tensor) and leaf.dtype in (torch.uint8, torch.bool)
            ):
                dtype = model_float_dtype(model)
        plan.append((dtype, _rank_change(leaf, spec)))
    if all(dtype is None and change == 0 for dtype, change in plan):
        return None

    def cast(values: list[Any]) -> list[Any]:
        out = []
        for value, (dtype, change) in zip(values, plan, strict=True):
            if dtype is not None:
                value = value.to(dtype)
            if change:
                value = value.unsqueeze(-1) if change > 0 else value.squeeze(-1)
            out.append(value)
        return out

    return cast


def _rank_change(leaf: Any, spec: Any) -> int:
    """+1 (add a trailing axis), -1 (drop a trailing 1) or 0, by Keras' ``_adjust_input_rank``."""
    if spec is None or not hasattr(leaf, "shape"):
        return 0
    rank, wanted = len(leaf.shape), len(spec.shape)
    if rank == wanted - 1 and spec.shape[-1] == 1:
        return 1
    if rank == wanted + 1 and leaf.shape[-1] == 1:
        return -1
    return 0


def input_specs_for(model: Any, x: Any) -> list[Any] | None:
    """The model ``Input`` each leaf of ``x`` feeds, in ``flatten(x)`` order; ``None`` when unknown."""
    inputs = getattr(model, "_input_tensors", None)
    if not inputs:
        return None
    if isinstance(x, Mapping):
        names = model.input_names
        if not all(k in names and not isinstance(v, (list, tuple, dict)) for k, v in x.items()):
            return None
        return [inputs[names.index(k)] for k in x]
    leaves = flatten(x)
    return list(inputs) if len(leaves) == len(inputs) else None


# ---------------------------------------------------------------------- batches
def check_batch(
    batch: tuple[Any, ...], step: int, argument: str, device: torch.device | None = None
) -> tuple[Any, ...]:
    """Checks one batch a generator or Dataset produced (host-side metadata only) and standardizes it.

    Raises:
        ValueError: for more than 3 elements, scalars, or x/y/sample_weight of different lengths,
            naming the step and the shapes.
        TypeError: for strings, ``None`` or other objects where arrays are expected.
    """
    if len(batch) > 3:
        raise ValueError(
            f"{argument}: batch {step} is a tuple of {len(batch)} elements; a batch must be x, (x,), (x, y) or "
            "(x, y, sample_weight). For several inputs, yield ((x1, x2), y)."
        )
    checked, sizes = [], {}
    for role, item in zip(("x", "y", "sample_weight"), batch, strict=False):
        where = f"{argument}: batch {step}, {role}"
        if item is None and role != "x":
            checked.append(None)
            continue
        item = standardize(item, where, device)
        leaves = flatten(item)
        for index, leaf in enumerate(leaves):
            if isinstance(leaf, _NUMBER) or (isinstance(leaf, (torch.Tensor, np.ndarray)) and leaf.ndim == 0):
                raise ValueError(
                    f"{where} is a scalar ({leaf!r:.40}); every array in a batch needs a batch axis first."
                )
            if not isinstance(leaf, (torch.Tensor, np.ndarray)):
                raise TypeError(
                    f"{where} holds a {type(leaf).__name__} ({leaf!r:.60}); expected NumPy arrays or tensors "
                    "(or a list/dict of them)."
                )
            sizes[role if len(leaves) == 1 else f"{role}[{index}]"] = tuple(leaf.shape)
        checked.append(item)
    if len({shape[0] for shape in sizes.values()}) > 1:
        detail = ", ".join(f"{name}: {shape}" for name, shape in sizes.items())
        raise ValueError(
            f"{argument}: batch {step} has different numbers of samples in its arrays ({detail}); x, y and "
            "sample_weight of one batch need the same first axis."
        )
    return tuple(checked)


def check_step_output(output: Any, method: str) -> None:
    """A custom ``train_step``/``test_step`` returns metric values: a dict, a loss tensor or ``None``."""
    if isinstance(output, torch.Tensor):
        return
    if isinstance(output, Mapping):
        for key, value in output.items():
            if isinstance(value, Mapping):  # (Keras' nested `compile_metrics` results)
                check_step_output(value, method)
                continue
            if isinstance(value, bool) or not isinstance(value, (torch.Tensor, int, float, np.number)):
                raise TypeError(
                    f"{method} returned a dict whose value for {key!r} is a {type(value).__name__}; the values "
                    "must be numbers or tensors (they are averaged over the epoch and logged)."
                )
        return
    raise TypeError(
        f"{method} must return a dict of metric values (e.g. {{'loss': loss}}), a loss tensor, "
        f"self.compute_metrics(...), or None; received a {type(output).__name__}."
    )


# ---------------------------------------------------------------------- the first batch
def role_names(argument: str) -> tuple[str, str, str]:
    """How messages name x, y and sample_weight of ``argument`` (``'validation_data'`` prefixes them)."""
    if argument == "x":
        return ("x", "y", "sample_weight")
    return (f"{argument} (x)", f"{argument} (y)", f"{argument} (sample_weight)")


def check_first_batch(model: Any, batch: tuple[Any, ...], argument: str, method: str) -> None:
    """Checks the first batch (host data, before it moves to the device) against the model.

    Shapes are compared with the model's ``Input`` layers, targets with its outputs, sparse
    labels with the number of classes; NaN or Inf gives a ``UserWarning``.
    """
    x, y, sample_weight = (*batch, None, None)[:3]
    x_name, y_name, _ = role_names(argument)
    check_inputs(model, x, x_name)
    compiled = getattr(model, "_compile_config", None)
    if method != "predict" and compiled is not None and compiled.loss is not None and y is None:
        step = "train_step" if method == "fit" else "test_step"
        if getattr(type(model), step) is getattr(_model_class(), step):  # a custom step may not need y
            raise ValueError(
                f"{argument}: the model was compiled with a loss, so {method} needs targets; received none. "
                "Pass y= (or validation_data=(x_val, y_val)), or yield (x, y) batches."
            )
    _warn_non_finite(x, x_name)
    if y is not None and method != "predict":
        _warn_non_finite(y, y_name)
        check_targets(model, y, y_name)


def _model_class() -> Any:
    from fitorch.models.model import Model

    return Model


def check_inputs(model: Any, x: Any, argument: str) -> None:
    """Compares ``x`` with the functional model's ``Input`` layers: their number, dict keys and shapes."""
    inputs = getattr(model, "_input_tensors", None)
    if not inputs or x is None:
        return
    names, label = model.input_names, f"model {model.name!r}"
    if isinstance(x, Mapping):
        missing = [n for n in names if n not in x]
        if missing:
            raise ValueError(
                f"{argument}: {label} has inputs {names}; the dict is missing {missing} (received keys {list(x)})."
            )
        unknown = [k for k in x if k not in names]
        if unknown:
            warnings.warn(f"{argument}: keys {unknown} match no input of {label} (inputs {names}); they are ignored.",
                          UserWarning, stacklevel=5)  # fmt: skip
        pairs = [(index, x[name]) for index, name in enumerate(names)]
    else:
        leaves = flatten(x)
        if len(leaves) != len(inputs):
            shapes = [tuple(leaf.shape) if hasattr(leaf, "shape") else type(leaf).__name__ for leaf in leaves]
            raise ValueError(
                f"{argument}: {label} expects {len(inputs)} input(s) {names}; received {len(leaves)} array(s) with "
                f"shapes {shapes}."
            )
        pairs = list(enumerate(leaves))
    for index, leaf in pairs:
        spec = inputs[index]
        if not hasattr(leaf, "shape"):
            continue
        shape = tuple(leaf.shape)
        change = _rank_change(leaf, spec)
        adjusted = shape + (1,) if change > 0 else shape[:-1] if change < 0 else shape
        if not shape_matches(adjusted, spec.shape):
            raise ValueError(
                f"{argument}: Input {index} ({names[index]!r}) of {label} is incompatible: expected shape "
                f"{tuple(spec.shape)}, received {shape}. Reshape the data or change the model's Input(shape=...)."
            )


def shape_matches(shape: tuple[int, ...], expected: tuple[int | None, ...]) -> bool:
    """True when ``shape`` has ``expected``'s rank and agrees on every known size."""
    return len(shape) == len(expected) and all(e is None or e == s for s, e in zip(shape, expected, strict=True))


def check_targets(model: Any, y: Any, argument: str) -> None:
    """Targets must match the outputs: dict keys, the number of arrays, and sparse labels' range."""
    names = model.output_names if getattr(model, "_output_tensors", None) else None
    if names is None:
        return
    label = f"model {model.name!r}"
    compiled = model._compile_config
    losses = compiled._per_output(compiled.loss, names, "loss") if compiled is not None else [None] * len(names)
    if isinstance(y, Mapping):
        unknown = [k for k in y if k not in names]
        if unknown:
            raise ValueError(
                f"{argument}: keys {unknown} match no output of {label}; its outputs are {names}. Key the targets "
                "by output name."
            )
        missing = [name for name, loss in zip(names, losses, strict=True) if name not in y and loss is not None]
        if missing:
            raise ValueError(
                f"{argument}: no targets for outputs {missing} of {label}, which have a loss; received keys {list(y)}."
            )
        targets = [y.get(name) for name in names]
    else:
        targets = flatten(y)
        if len(targets) != len(names):
            raise ValueError(
                f"{argument}: {label} has {len(names)} output(s) {names}; received {len(targets)} target array(s). "
                "Pass one target per output (a list in output order, or a dict keyed by output name)."
            )
    if compiled is None or compiled.loss is None:
        return
    for name, tensor, loss, target in zip(names, model._output_tensors, losses, targets, strict=True):
        if target is not None and _is_sparse_loss(loss) and tensor.shape and tensor.shape[-1]:
            _check_labels(target, int(tensor.shape[-1]), getattr(loss, "ignore_class", None), argument,
                          f"output {name!r} of {label}")  # fmt: skip


def _is_sparse_loss(loss: Any) -> bool:
    from fitorch.losses.sparse_categorical_crossentropy import (
        SparseCategoricalCrossentropy,
        sparse_categorical_crossentropy,
    )

    if isinstance(loss, str):
        return loss.lower() in ("sparse_categorical_crossentropy", "sparsecategoricalcrossentropy")
    return isinstance(loss, SparseCategoricalCrossentropy) or loss is sparse_categorical_crossentropy


def _host(value: Any) -> np.ndarray:
    return value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value)


def _check_labels(target: Any, classes: int, ignore_class: int | None, argument: str, where: str) -> None:
    labels = _host(target)
    if labels.dtype.kind == "f":
        labels = labels.astype(np.int64)  # truncated, as the loss does
    if ignore_class is not None:
        labels = labels[labels != ignore_class]
    bad = labels[(labels < 0) | (labels >= classes)]
    if bad.size:
        raise ValueError(
            f"{argument}: label {int(bad.flat[0])} is out of range for {where}, which has {classes} classes "
            f"(sparse_categorical_crossentropy needs labels 0 to {classes - 1}). If the labels start at 1, "
            "subtract 1; if there are more classes, give the output layer more units."
        )


def _warn_non_finite(tree: Any, argument: str) -> None:
    for leaf in flatten(tree):
        if isinstance(leaf, np.ndarray) and leaf.dtype.kind in "fc":
            finite = bool(np.isfinite(leaf).all())
        elif isinstance(leaf, torch.Tensor) and (leaf.is_floating_point() or leaf.is_complex()):
            finite = bool(np.isfinite(_host(leaf)).all())
        else:
            continue
        if not finite:
            warnings.warn(
                f"{argument} contains NaN or Inf values in its first batch; the loss and the weights will become "
                "NaN. Replace them (e.g. np.nan_to_num) or drop those samples. (Only the first batch is checked.)",
                UserWarning,
                stacklevel=5,
            )
            return
