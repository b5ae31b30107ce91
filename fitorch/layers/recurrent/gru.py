"""``GRU``: Gated Recurrent Unit (Cho et al., 2014), on torch's fused kernel when ``reset_after=True``."""

from __future__ import annotations

import torch

from fitorch.layers.recurrent.base_rnn import SIGMOID, TANH, FusedKernel
from fitorch.layers.recurrent.base_vector_rnn import GRU_ARGUMENTS, BaseVectorRNN, GRURecurrence, layer_doc_sections
from fitorch.utils.docstrings import fill_doc


@fill_doc(
    **layer_doc_sections(
        GRU_ARGUMENTS, "optional ``(batch, units)`` tensor (or a list holding it).", "``(output, state)``"
    )
)
class GRU(GRURecurrence, BaseVectorRNN):
    """Gated Recurrent Unit: an update and a reset gate over a single state.

    Use it like ``LSTM`` (it is often as accurate with fewer weights). The default,
    ``reset_after=True`` (Keras 3's and cuDNN's variant, which applies the reset gate
    after the recurrent matmul), runs torch's fused GRU kernel with the default
    activations and no ``recurrent_dropout``; ``reset_after=False`` (the original
    paper's variant) and other configurations run a per-step loop.

    {api}

    Weights:
        Torch's layout and gate order (reset, update, new), as in ``nn.GRUCell``,
        whose ``state_dict`` they load into when ``reset_after=True``: ``weight_ih``
        ``(3 * units, features)``, ``weight_hh`` ``(3 * units, units)``, and
        ``bias_ih``/``bias_hh`` ``(3 * units,)`` (``reset_after=True``) or one
        ``bias`` ``(3 * units,)``. ``get_weights()``/``set_weights()`` speak Keras:
        ``kernel`` ``(features, 3 * units)`` and ``recurrent_kernel`` in Keras' gate
        order (update, reset, candidate), and ``bias`` ``(2, 3 * units)`` (input and
        recurrent rows) or ``(3 * units,)``.

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import GRU
        >>> layer = GRU(6, return_sequences=True)
        >>> layer(torch.ones(2, 12, 3)).shape
        torch.Size([2, 12, 6])
        >>> [w.shape for w in layer.get_weights()]  # Keras' weights
        [(3, 18), (6, 18), (2, 18)]
    """

    def _fused_kernel(self) -> FusedKernel | None:
        if not self.reset_after or self.activation not in TANH or self.recurrent_activation not in SIGMOID:
            return None
        if self.bias_ih is None:
            return torch.gru, [self.weight_ih, self.weight_hh], False
        return torch.gru, [self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh], True
