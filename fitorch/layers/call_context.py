"""The call context: what one tree of nested layer calls shares, held in a ``ContextVar``.

The outermost layer call (the *entry*) opens a ``CallContext``; every layer it calls,
directly or through plain ``nn.Module``s, sees the same one, and it closes when the
entry returns. A ``ContextVar`` gives each thread and each asyncio task its own, so
nothing here is process-wide: calls running at the same time never see each other's
context, and one model's choices (masks, losses) never reach an unrelated model.

Masks: ``masks`` says whether the layers of this call tree read, pass on and attach
Keras masks (see ``fitorch.layers.masking_state``). It starts on when the entry's
input already carries a mask or a mask is passed explicitly (``emb(ids)`` then
``lstm(x)`` as two eager calls still propagates, as in Keras), and a mask producer
(``Embedding(mask_zero=True)``, ``Masking``, a user layer overriding ``compute_mask``)
switches it on for the rest of the tree when it runs. Masks only flow forward, so the
layers that ran before the first producer never need one. Nothing is cached per model,
so nothing needs invalidating when sub-layers are added later; a call tree without masks
pays one flag check per layer call.

Losses: ``add_loss`` (and, when it runs, a layer with weight regularizers) records the
layer in its entry's ``_loss_layers``, learned on the first call that adds a loss. Each
later call of that entry first clears those layers' terms, so ``losses`` holds the last
call's terms as in Keras, and models that never add a loss clear nothing.

Training: ``training`` is the mode the tree runs in as far as Keras' ``training``
argument goes: the entry's explicit ``training=``, else the mode of the trainer's step
in progress (``STEP_TRAINING``: fit's training steps, evaluate's and predict's steps),
else ``None``. When it is set, a layer whose ``call`` takes ``training`` and is given
none receives it, as Keras passes the outer call's ``training`` down, except that a
module in eval mode receives ``False``: PyTorch's ``eval()`` is the user's word too, so a
sub-module a user switched to ``eval()`` during ``fit`` (a frozen layer) stays in
inference. So ``call(self, x, training=None)`` sees ``True`` in ``fit`` and ``False`` in
``predict``, while a plain ``model(x)`` outside the trainer leaves it ``None``, as in
Keras.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any


class CallContext:
    """State shared by one outermost layer call and all the layer calls nested in it.

    Attributes:
        entry: the outermost layer; it learns which layers of its call tree add losses.
        masks: whether this call tree tracks Keras masks.
        training: the tree's Keras ``training`` mode, or ``None`` when no one set one.

    Example:
        >>> import torch
        >>> from fitorch import layers
        >>> from fitorch.layers.call_context import CALL_CONTEXT
        >>> class Probe(layers.Layer):
        ...     def call(self, x):
        ...         self.seen = CALL_CONTEXT.get()
        ...         return x
        >>> probe = Probe()
        >>> _ = probe(torch.ones(1))
        >>> probe.seen.entry is probe, probe.seen.masks, probe.seen.training, CALL_CONTEXT.get()
        (True, False, None, None)
        >>> _ = probe(torch.ones(1), training=False)
        >>> probe.seen.training
        False
    """

    __slots__ = ("entry", "masks", "training")

    def __init__(self, entry: Any, masks: bool, training: bool | None = None) -> None:
        self.entry = entry
        self.masks = masks
        self.training = training


#: The context of the layer call in progress in this thread or task; ``None`` outside any layer call.
CALL_CONTEXT: ContextVar[CallContext | None] = ContextVar("fitorch_call_context", default=None)

#: The mode of the trainer's step in progress in this thread or task (``True`` in fit's training steps,
#: ``False`` in evaluate's and predict's), or ``None`` outside one. Outermost calls start their context in it.
STEP_TRAINING: ContextVar[bool | None] = ContextVar("fitorch_step_training", default=None)


class step_mode:  # noqa: N801 (used as a function: `with step_mode(True):`)
    """Runs a trainer step in ``training`` mode: its model calls pass it to layers that take ``training``.

    (A small class rather than a ``contextlib.contextmanager``: it wraps every step, and a
    generator-based manager costs several times more per use.)

    Example:
        >>> from fitorch.layers.call_context import STEP_TRAINING, step_mode
        >>> with step_mode(True):
        ...     STEP_TRAINING.get()
        True
        >>> STEP_TRAINING.get() is None
        True
    """

    __slots__ = ("training", "token")

    def __init__(self, training: bool) -> None:
        self.training = training

    def __enter__(self) -> None:
        self.token = STEP_TRAINING.set(self.training)

    def __exit__(self, *exc_info: object) -> None:
        STEP_TRAINING.reset(self.token)
