"""String names for losses and ``get``, which turns any loss identifier into a :class:`Loss`.

Example:
    >>> get("mse")
    MeanSquaredError(name='mean_squared_error', reduction='sum_over_batch_size')
    >>> try:
    ...     get("poison")
    ... except ValueError as e:
    ...     print(str(e).splitlines()[0])
    Unknown loss: 'poison'. Did you mean 'poisson'?
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812 - torch's own spelling
from torch import nn

from fitorch.losses.binary_crossentropy import BinaryCrossentropy, binary_crossentropy
from fitorch.losses.binary_focal_crossentropy import BinaryFocalCrossentropy, binary_focal_crossentropy
from fitorch.losses.categorical_crossentropy import CategoricalCrossentropy, categorical_crossentropy
from fitorch.losses.categorical_focal_crossentropy import (
    CategoricalFocalCrossentropy,
    categorical_focal_crossentropy,
)
from fitorch.losses.categorical_generalized_cross_entropy import (
    CategoricalGeneralizedCrossEntropy,
    categorical_generalized_cross_entropy,
)
from fitorch.losses.circle import Circle, circle
from fitorch.losses.cosine_similarity import CosineSimilarity, cosine_similarity
from fitorch.losses.ctc import CTC, ctc
from fitorch.losses.dice import Dice, dice
from fitorch.losses.hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from fitorch.losses.huber import Huber, huber
from fitorch.losses.kl_divergence import KLDivergence, kl_divergence
from fitorch.losses.log_cosh import LogCosh, log_cosh
from fitorch.losses.loss import Loss
from fitorch.losses.loss_function_wrapper import LossFunctionWrapper
from fitorch.losses.mean_absolute_error import MeanAbsoluteError, mean_absolute_error
from fitorch.losses.mean_absolute_percentage_error import (
    MeanAbsolutePercentageError,
    mean_absolute_percentage_error,
)
from fitorch.losses.mean_squared_error import MeanSquaredError, mean_squared_error
from fitorch.losses.mean_squared_logarithmic_error import (
    MeanSquaredLogarithmicError,
    mean_squared_logarithmic_error,
)
from fitorch.losses.poisson import Poisson, poisson
from fitorch.losses.sparse_categorical_crossentropy import (
    SparseCategoricalCrossentropy,
    sparse_categorical_crossentropy,
)
from fitorch.losses.tversky import Tversky, tversky
from fitorch.utils.naming import to_snake_case
from fitorch.utils.registry import Registry
from fitorch.utils.serialization_lib import deserialize_keras_object, serialize_keras_object

#: Loss classes by Keras name: the function name and Keras' aliases. Class names
#: (``'MeanSquaredError'``) resolve through their snake_case form.
LOSSES = Registry("loss")
#: Loss functions by name, used to restore a ``LossFunctionWrapper`` from its config.
LOSS_FUNCTIONS = Registry("loss function")

_ENTRIES: list[tuple[type[Loss], Callable[..., torch.Tensor], tuple[str, ...]]] = [
    (MeanSquaredError, mean_squared_error, ("mse",)),
    (MeanAbsoluteError, mean_absolute_error, ("mae",)),
    (MeanAbsolutePercentageError, mean_absolute_percentage_error, ("mape",)),
    (MeanSquaredLogarithmicError, mean_squared_logarithmic_error, ("msle",)),
    (BinaryCrossentropy, binary_crossentropy, ("bce",)),
    (CategoricalCrossentropy, categorical_crossentropy, ()),
    (SparseCategoricalCrossentropy, sparse_categorical_crossentropy, ()),
    (KLDivergence, kl_divergence, ("kld", "kullback_leibler_divergence")),
    (Poisson, poisson, ()),
    (Huber, huber, ("huber_loss",)),
    (CosineSimilarity, cosine_similarity, ()),
    (Hinge, hinge, ()),
    (SquaredHinge, squared_hinge, ()),
    (CategoricalHinge, categorical_hinge, ()),
    (LogCosh, log_cosh, ("logcosh",)),
    (BinaryFocalCrossentropy, binary_focal_crossentropy, ()),
    (CategoricalFocalCrossentropy, categorical_focal_crossentropy, ()),
    (Dice, dice, ()),
    (Tversky, tversky, ()),
    (CTC, ctc, ()),
    (Circle, circle, ()),
    (CategoricalGeneralizedCrossEntropy, categorical_generalized_cross_entropy, ()),
]
for _cls, _fn, _aliases in _ENTRIES:
    LOSSES.register([_fn.__name__, *_aliases], _cls)
    LOSS_FUNCTIONS.register([_fn.__name__, *_aliases], _fn)

#: The built-in loss classes by class name (and ``Loss``, ``LossFunctionWrapper``), for ``deserialize``.
_CLASSES_BY_NAME: dict[str, type[Loss]] = {
    cls.__name__: cls for cls in (Loss, LossFunctionWrapper, *(entry[0] for entry in _ENTRIES))
}


def lookup(registry: Registry, name: str) -> Any:
    """Looks ``name`` up in ``registry``, also as snake_case (``'MeanSquaredError'``)."""
    if name not in registry and to_snake_case(name) in registry:
        name = to_snake_case(name)
    return registry.lookup(name)


# torch.nn.functional's losses that take ``(input, target)``: passed as ``loss=F.nll_loss`` they are
# called in torch's order. Recognised by identity, so a user function is never mistaken for one.
_TORCH_FUNCTIONAL_LOSSES = {
    id(fn): fn
    for fn in (
        getattr(F, name, None)
        for name in (
            "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "hinge_embedding_loss",
            "huber_loss", "kl_div", "l1_loss", "mse_loss", "multi_margin_loss", "multilabel_margin_loss",
            "multilabel_soft_margin_loss", "nll_loss", "poisson_nll_loss", "smooth_l1_loss", "soft_margin_loss",
        )
    )
    if fn is not None
}  # fmt: skip


def is_torch_functional_loss(fn: Any) -> bool:
    """True when ``fn`` is one of ``torch.nn.functional``'s ``(input, target)`` loss functions."""
    return _TORCH_FUNCTIONAL_LOSSES.get(id(fn)) is fn


def _torch_loss_as_keras(loss: Callable[..., torch.Tensor]) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """Adapts a torch loss (module or functional), called ``(input, target)``, to Keras' ``(y_true, y_pred)``."""

    def loss_fn(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        return loss(y_pred, y_true)

    loss_fn.__name__ = type(loss).__name__ if isinstance(loss, nn.Module) else loss.__name__
    return loss_fn


def get(identifier: Any) -> Loss | None:
    """Returns a :class:`Loss` for a name, class, instance or function.

    Args:
        identifier: a Keras loss name (``'mse'``, ``'sparse_categorical_crossentropy'``,
            ``'MeanSquaredError'``, case-insensitive) which gives a new instance; a
            ``Loss`` (returned as is); a ``Loss`` subclass (instantiated with its
            defaults); a torch loss module such as ``nn.CrossEntropyLoss()`` or a
            ``torch.nn.functional`` loss such as ``F.nll_loss`` (called in torch's order,
            ``loss(y_pred, y_true)``, their own reduction kept); or any other function
            ``fn(y_true, y_pred)``, wrapped in a :class:`LossFunctionWrapper`.
            ``None`` gives ``None``, as in Keras (an output without a loss).

    Raises:
        ValueError: for an unknown name; the message suggests close names.
        TypeError: for anything else.
    """
    if identifier is None or isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        return lookup(LOSSES, identifier)()
    if isinstance(identifier, type):
        if issubclass(identifier, Loss):
            return identifier()
    elif isinstance(identifier, nn.Module) or is_torch_functional_loss(identifier):
        return LossFunctionWrapper(_torch_loss_as_keras(identifier))
    elif callable(identifier):
        return LossFunctionWrapper(identifier)
    raise TypeError(
        "Could not interpret the `loss` argument: expected a loss name such as 'mse', a "
        "fitorch.losses.Loss instance or subclass, a torch loss module, or a function "
        f"fn(y_true, y_pred); received loss={identifier!r} of type {type(identifier).__name__}."
    )


def serialize(loss: Loss | Callable[..., Any]) -> dict[str, Any]:
    """Returns Keras' plain-data description of a loss instance or loss function.

    A :class:`Loss` becomes ``{'module', 'class_name', 'config', 'registered_name'}``
    and a function ``{'module': 'builtins', 'class_name': 'function', 'config': name, ...}``,
    as ``keras.losses.serialize`` writes them; :func:`deserialize` reverses it.

    Raises:
        TypeError: for a lambda or an object without ``get_config``.

    Example:
        >>> from fitorch.losses import Huber
        >>> serialize(Huber(delta=2.0))["config"]
        {'name': 'huber_loss', 'reduction': 'sum_over_batch_size', 'delta': 2.0}
    """
    return serialize_keras_object(loss)


def deserialize(name: str | dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Any:
    """Rebuilds a loss from :func:`serialize`'s output (fitorch's or Keras'), or from a name.

    Args:
        name: a config dict (``{'class_name': 'Huber', 'config': {...}}``, the
            ``module`` key optional), a function entry, or a string: a class name
            (``'SquaredHinge'``) gives a new instance, a function name or alias
            (``'squared_hinge'``, ``'mse'``) gives the function, as in Keras.
        custom_objects: your loss classes and functions by name.

    Raises:
        ValueError: for an unknown name (the message suggests close names).
        TypeError: for a config naming an unknown class or function.

    Example:
        >>> deserialize({"class_name": "Huber", "config": {"delta": 2.0}}).delta
        2.0
        >>> deserialize("squared_hinge").__name__, type(deserialize("SquaredHinge")).__name__
        ('squared_hinge', 'SquaredHinge')
    """
    if isinstance(name, str):
        custom = dict(custom_objects or {})
        if name in custom:
            found = custom[name]
            return found() if isinstance(found, type) else found
        if name in _CLASSES_BY_NAME and name not in ("Loss", "LossFunctionWrapper"):
            return _CLASSES_BY_NAME[name]()
        return LOSS_FUNCTIONS.lookup(name)
    module_objects = {**_CLASSES_BY_NAME, **{key: LOSS_FUNCTIONS.lookup(key) for key in LOSS_FUNCTIONS.names()}}
    return deserialize_keras_object(name, custom_objects=custom_objects, module_objects=module_objects)
