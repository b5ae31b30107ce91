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
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any


class CallContext:
    """State shared by one outermost layer call and all the layer calls nested in it.

    Attributes:
        entry: the outermost layer; it learns which layers of its call tree add losses.
        masks: whether this call tree tracks Keras masks.

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
        >>> probe.seen.entry is probe, probe.seen.masks, CALL_CONTEXT.get()
        (True, False, None)
    """

    __slots__ = ("entry", "masks")

    def __init__(self, entry: Any, masks: bool) -> None:
        self.entry = entry
        self.masks = masks


#: The context of the layer call in progress in this thread or task; ``None`` outside any layer call.
CALL_CONTEXT: ContextVar[CallContext | None] = ContextVar("fitorch_call_context", default=None)
