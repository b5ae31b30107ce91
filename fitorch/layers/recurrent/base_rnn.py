"""``BaseRNN``: the shared parent of ``SimpleRNN``, ``LSTM``, ``GRU`` and ``ConvLSTM2D``.

It owns everything that is the same for every recurrent layer: the Keras arguments
(``return_sequences``, ``return_state``, ``go_backwards``, ``stateful``, dropout ...),
the initial and stateful states, the Keras masking rules, and the choice between two
ways of running the sequence:

- **the fused kernel** (``torch.lstm``, ``torch.gru``, ``torch.rnn_tanh``,
  ``torch.rnn_relu``: cuDNN on GPU, ATen's RNN on CPU), used whenever Keras' math is
  exactly the kernel's: default activations, no recurrent dropout, GRU with
  ``reset_after=True``. A mask that only pads the right end of each sequence runs
  the kernel on a packed sequence; Keras' "a masked step keeps the previous output"
  rule is then applied to the padded positions afterwards.
- **the per-step loop**, used otherwise (custom activations, recurrent dropout, GRU
  with ``reset_after=False``, masks with holes or left padding, ``ConvLSTM2D``). The
  input projection of every step is computed at once before the loop.

Subclasses create the weights in ``build`` and implement ``_project_inputs`` (all
steps' input terms at once), ``_step`` (one recurrence step), ``_state_tails`` (state
shapes without the batch axis, in the internal layout) and, when a fused kernel
exists, ``_fused_kernel``.

Keras masking (``mask`` of shape ``(batch, timesteps)``, ``True`` = real step): a
masked step leaves the states unchanged and repeats the previous output (zeros
before the first real step, or always zeros with ``zero_output_for_mask=True``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence

from fitorch import activations
from fitorch.layers.recurrent.base_recurrent import BaseRecurrent, Shape

# A fused kernel: (torch function, its flat parameter list, whether the list holds biases).
FusedKernel = tuple[Callable[..., Any], list[torch.Tensor], bool]

TANH = (activations.tanh, torch.tanh, nn.functional.tanh)
SIGMOID = (activations.sigmoid, torch.sigmoid, nn.functional.sigmoid)
RELU = (activations.relu, torch.relu, nn.functional.relu)

# Docstring sections of the public recurrent layers (filled in by ``fitorch.utils.docstrings.fill_doc``).
KERNEL_ARGUMENTS = """\
use_bias: whether to add biases (default ``True``).
kernel_initializer: for the input kernel (default ``'glorot_uniform'``).
recurrent_initializer: for the recurrent kernel (default ``'orthogonal'``).
bias_initializer: default ``'zeros'``.
"""

SEQUENCE_ARGUMENTS = """\
dropout: float in ``[0, 1)``, input dropout while training (default 0).
recurrent_dropout: float in ``[0, 1)``, recurrent-state dropout while training
    (default 0); it forces the per-step loop.
seed: optional int seeding the dropout masks.
return_sequences: return every step's output (default ``False``).
return_state: also return the final states (default ``False``).
go_backwards: process the sequence backwards and return it reversed
    (default ``False``).
stateful: carry the final states into the next batch (default ``False``).
unroll: accepted for Keras compatibility (default ``False``).
zero_output_for_mask: masked steps output zeros instead of repeating the previous
    output (default ``False``).
"""

MASK_AND_TRAINING = """\
mask: optional ``(batch, timesteps)`` boolean tensor; masked steps keep the
    previous states and output. Received automatically from
    ``Embedding(mask_zero=True)``.
training: optional bool, for dropout.
"""


def _keep_fused_kernel_out_of_compiled_graphs() -> None:
    """Wraps ``BaseRNN._run_fused`` in ``torch.compiler.disable``, once.

    Done on first use rather than at import: ``torch.compiler.disable`` imports TorchDynamo,
    which would add about a second to ``import fitorch`` for every program.
    """
    if not getattr(BaseRNN._run_fused, "_fitorch_compile_disabled", False):
        disabled = torch.compiler.disable(BaseRNN._run_fused)
        disabled._fitorch_compile_disabled = True
        BaseRNN._run_fused = disabled


class BaseRNN(BaseRecurrent):
    """Abstract recurrent layer: runs a cell over the time axis, fused when possible.

    Args:
        dropout, recurrent_dropout, seed: as ``BaseRecurrent``'s; one mask per sequence,
            shared by every step (Keras'). ``recurrent_dropout`` forces the per-step loop.
        return_sequences: return the output of every step, ``(batch, timesteps,
            ...)``, instead of the last one (default ``False``).
        return_state: also return the final states, as ``(output, *states)``
            (default ``False``).
        go_backwards: process the sequence from its end; the returned sequence is
            then in processing (reversed) order, as in Keras (default ``False``).
        stateful: keep the final states of each batch as the initial states of the
            next one (sample ``i`` continues sample ``i``); ``reset_states()`` clears
            them (default ``False``).
        unroll: accepted for Keras compatibility; fitorch always runs either the
            fused kernel or a Python loop (default ``False``).
        zero_output_for_mask: masked steps output zeros instead of repeating the
            previous output (default ``False``; ``Bidirectional`` sets it when
            returning sequences, as Keras does).
        use_cudnn: ``'auto'`` (default) uses the fused torch kernel (cuDNN on GPU)
            when Keras' math allows it; ``False`` always runs the per-step loop;
            ``True`` raises a ``ValueError`` when the fused kernel cannot be used.

    Call arguments:
        sequences: the input sequences, batch first.
        initial_state: optional tensor or list of tensors, the initial states
            (``(batch, units)`` each); default zeros (or the kept states when stateful).
        mask: optional boolean tensor ``(batch, timesteps)``, ``True`` for real
            steps. It arrives by itself after ``Embedding(mask_zero=True)``.
        training: optional bool; dropout only applies while training. ``None``
            follows ``self.training``.
    """

    supports_masking = True
    #: How many states the cell keeps (``h``; ``h`` and ``c`` for the LSTMs).
    state_count = 1

    def __init__(
        self,
        *,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        unroll: bool = False,
        zero_output_for_mask: bool = False,
        use_cudnn: str | bool = "auto",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        _keep_fused_kernel_out_of_compiled_graphs()
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                f"{self._owner}: use_cudnn must be 'auto', True or False; received use_cudnn={use_cudnn!r}."
            )
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.use_cudnn = use_cudnn
        self._states: list[torch.Tensor] | None = None  # kept between calls when stateful (not weights)

    # ------------------------------------------------------------------ subclass hooks
    def _state_tails(self) -> list[tuple[int, ...]]:
        """Shapes of the states without the batch axis, in the internal layout."""
        raise NotImplementedError

    def _keras_state_tail(self, tail: tuple[int, ...]) -> tuple[int, ...]:
        """A state's shape (no batch axis) in Keras layout; the internal one by default."""
        return tail

    def _to_keras_layout(self, tensor: torch.Tensor, time_axis: bool) -> torch.Tensor:
        """An output or state in Keras layout; internal and Keras layouts agree by default."""
        return tensor

    def _from_keras_layout(self, state: torch.Tensor) -> torch.Tensor:
        """A state given in Keras layout (``initial_state``), in the internal layout."""
        return state

    def _fused_kernel(self) -> FusedKernel | None:
        """The torch RNN kernel computing exactly this layer's math, or ``None``."""
        return None

    def _output_tail(self, input_shape: Shape) -> tuple[int | None, ...]:
        """The shape of one step's output, without batch and time axes, in Keras layout."""
        raise NotImplementedError

    # ------------------------------------------------------------------ calling
    def call(
        self,
        sequences: torch.Tensor,
        initial_state: torch.Tensor | Sequence[torch.Tensor] | None = None,
        mask: torch.Tensor | None = None,
        training: bool | None = None,
    ) -> torch.Tensor | tuple[torch.Tensor, ...]:
        training = self.training if training is None else bool(training)
        inputs = self._cast_inputs(sequences)
        if inputs.shape[1] == 0:
            raise ValueError(f"{self._owner}: the input has no timesteps (shape {tuple(inputs.shape)}).")
        mask = self._check_mask(mask, inputs)
        states = self._starting_states(inputs, initial_state)
        if training and self.dropout > 0.0:
            # Variational dropout: one mask per sequence, the same at every step.
            inputs = inputs * self._dropout_mask((inputs.shape[0], 1, *inputs.shape[2:]), self.dropout, inputs)
        recurrent_mask = None
        if training and self.recurrent_dropout > 0.0:
            recurrent_mask = self._dropout_mask(states[0].shape, self.recurrent_dropout, states[0])

        sequence, last_output, final_states = self._run(inputs, states, mask, recurrent_mask)

        if self.stateful:
            self._states = [s.detach() for s in final_states]
        output = (
            self._to_keras_layout(sequence, True)
            if self.return_sequences
            else self._to_keras_layout(last_output, False)
        )
        if self.return_state:
            return (output, *(self._to_keras_layout(s, False) for s in final_states))
        return output

    def _run(
        self,
        inputs: torch.Tensor,
        states: list[torch.Tensor],
        mask: torch.Tensor | None,
        recurrent_mask: torch.Tensor | None,
    ) -> tuple[torch.Tensor | None, torch.Tensor, list[torch.Tensor]]:
        """Returns ``(sequence or None, last output, final states)`` in the internal layout."""
        kernel = self._fused_kernel() if self.use_cudnn is not False and recurrent_mask is None else None
        lengths = None
        if kernel is not None and mask is not None:
            lengths = _right_padded_lengths(mask)
            if lengths is None:
                kernel = None
            elif bool((lengths == inputs.shape[1]).all()):
                mask = lengths = None  # nothing is masked
        if kernel is None:
            if self.use_cudnn is True:
                raise ValueError(
                    f"{self._owner}: use_cudnn=True, but the fused kernel cannot run this configuration: it "
                    "needs the default activations, no recurrent_dropout, (GRU) reset_after=True, and masks "
                    "that only pad the end of each sequence. Pass use_cudnn='auto' to fall back to the loop."
                )
            return self._run_loop(inputs, states, mask, recurrent_mask)
        return self._run_fused(kernel, inputs, states, mask, lengths)

    # TorchDynamo cannot trace torch's RNN ops (it graph-breaks on nn.LSTM for the same reason), so
    # under torch.compile the fused kernel runs eagerly between two compiled graphs (see
    # _keep_fused_kernel_out_of_compiled_graphs, applied when the first recurrent layer is created).
    def _run_fused(
        self,
        kernel: FusedKernel,
        inputs: torch.Tensor,
        states: list[torch.Tensor],
        mask: torch.Tensor | None,
        lengths: torch.Tensor | None,
    ) -> tuple[torch.Tensor | None, torch.Tensor, list[torch.Tensor]]:
        function, params, has_biases = kernel
        # torch.lstm takes (h, c) as a tuple, the others one tensor; all (layers, batch, units).
        hx: Any = tuple(s.unsqueeze(0) for s in states) if len(states) > 1 else states[0].unsqueeze(0)
        train = torch.is_grad_enabled()  # cuDNN keeps what backward needs only when training
        if lengths is None:
            x = inputs.flip(1) if self.go_backwards else inputs
            sequence, *finals = function(x, hx, params, has_biases, 1, 0.0, train, False, True)
            final_states = [f[0] for f in finals]
            return sequence, sequence[:, -1], final_states

        batch, steps = inputs.shape[:2]
        time = torch.arange(steps, device=inputs.device)
        device_lengths = lengths.to(inputs.device)
        x = inputs
        if self.go_backwards:
            # Each sequence's real steps, reversed, moved to the front: x[b, L_b - 1 - t].
            index = (device_lengths[:, None] - 1 - time[None, :]).clamp(min=0)  # (B, T)
            x = inputs.gather(1, index.view(batch, steps, 1).expand(-1, -1, inputs.shape[2]))
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        sorted_hx = (
            tuple(h.index_select(1, packed.sorted_indices) for h in hx)
            if len(states) > 1
            else (hx.index_select(1, packed.sorted_indices))
        )
        data, *finals = function(packed.data, packed.batch_sizes, sorted_hx, params, has_biases, 1, 0.0, train, False)
        final_states = [f.index_select(1, packed.unsorted_indices)[0] for f in finals]
        packed_out = PackedSequence(data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
        sequence, _ = pad_packed_sequence(packed_out, batch_first=True, total_length=steps)  # (B, T, H)
        if self.go_backwards:
            # Keras processes the flipped sequence: its padded steps come first (outputs zeros),
            # then the real steps in reverse: position p holds result p - (T - L_b).
            index = time[None, :] - (steps - device_lengths[:, None])
            real = index >= 0
            sequence = sequence.gather(1, index.clamp(min=0).view(batch, steps, 1).expand(-1, -1, sequence.shape[2]))
            sequence = torch.where(real.unsqueeze(-1), sequence, torch.zeros_like(sequence))
        else:
            # Padded steps repeat the last real output, which is the final h (or zeros).
            fill = torch.zeros_like(sequence) if self.zero_output_for_mask else final_states[0].unsqueeze(1)
            sequence = torch.where(mask.unsqueeze(-1), sequence, fill)
        return sequence, sequence[:, -1], final_states

    def _run_loop(
        self,
        inputs: torch.Tensor,
        states: list[torch.Tensor],
        mask: torch.Tensor | None,
        recurrent_mask: torch.Tensor | None,
    ) -> tuple[torch.Tensor | None, torch.Tensor, list[torch.Tensor]]:
        projected = self._project_inputs(inputs)  # (B, T, ...): all input terms in one kernel call
        steps = inputs.shape[1]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs: list[torch.Tensor] = []
        output: torch.Tensor | None = None
        for t in order:
            new_output, new_states = self._step(projected[:, t], states, recurrent_mask)
            if mask is not None:
                keep = mask[:, t].view(-1, *(1,) * (new_output.ndim - 1))
                previous = output if output is not None and not self.zero_output_for_mask else None
                new_output = torch.where(keep, new_output, previous if previous is not None else 0.0)
                new_states = [torch.where(keep, new, old) for new, old in zip(new_states, states, strict=True)]
            output, states = new_output, new_states
            if self.return_sequences:
                outputs.append(output)
        sequence = torch.stack(outputs, dim=1) if self.return_sequences else None
        return sequence, output, states  # type: ignore[return-value]  # call() ensures one step at least

    # ------------------------------------------------------------------ inputs, states, masks
    def _cast_inputs(self, sequences: torch.Tensor) -> torch.Tensor:
        dtype = self._compute_dtype()
        if not sequences.is_floating_point() or (sequences.dtype != dtype and not _autocast_enabled(sequences)):
            return sequences.to(dtype)
        return sequences

    def _compute_dtype(self) -> torch.dtype:
        weight = next(iter(self.parameters()), None)
        return weight.dtype if weight is not None else torch.get_default_dtype()

    def _check_mask(self, mask: Any, inputs: torch.Tensor) -> torch.Tensor | None:
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None  # Keras takes the first input's mask
        if mask is None:
            return None
        if not isinstance(mask, torch.Tensor) or tuple(mask.shape) != tuple(inputs.shape[:2]):
            received = tuple(mask.shape) if isinstance(mask, torch.Tensor) else type(mask).__name__
            raise ValueError(
                f"{self._owner}: mask must be a boolean tensor of shape (batch, timesteps) = "
                f"{tuple(inputs.shape[:2])}; received {received}."
            )
        return mask.to(device=inputs.device, dtype=torch.bool)

    def _starting_states(
        self, inputs: torch.Tensor, initial_state: torch.Tensor | Sequence[torch.Tensor] | None
    ) -> list[torch.Tensor]:
        batch = inputs.shape[0]
        if initial_state is not None:
            given = [initial_state] if isinstance(initial_state, (torch.Tensor, np.ndarray)) else list(initial_state)
            return self._internal_states(given, batch, inputs, "initial_state")
        if self.stateful and self._states is not None:
            kept = self._states
            if kept[0].shape[0] != batch:
                raise ValueError(
                    f"{self._owner} is stateful: the batch size of the input sequences must be the same as the "
                    f"batch size of the kept states.\n- Expected batch size: {kept[0].shape[0]}\n- Received "
                    f"batch size: {batch}\nUse a fixed batch size (and shuffle=False), or call reset_states()."
                )
            return [s.to(device=inputs.device, dtype=inputs.dtype) for s in kept]
        return [torch.zeros((batch, *tail), dtype=inputs.dtype, device=inputs.device) for tail in self._state_tails()]

    def _internal_states(self, given: list[Any], batch: int, like: torch.Tensor, argument: str) -> list[torch.Tensor]:
        """Checks states given in Keras layout (count and shapes) and returns them in the internal layout."""
        given = [torch.from_numpy(s) if isinstance(s, np.ndarray) else s for s in given]
        tails = self._state_tails()
        expected = [(batch, *self._keras_state_tail(t)) for t in tails]
        shapes = [tuple(s.shape) if isinstance(s, torch.Tensor) else type(s).__name__ for s in given]
        if len(given) != len(tails) or shapes != expected:
            what = "a tensor" if len(tails) == 1 else f"a list of {len(tails)} tensors"
            raise ValueError(
                f"{self._owner}: {argument} must be {what} of shape{'s' * (len(tails) > 1)} "
                f"{', '.join(map(str, expected))}; received {len(given)} with shapes {shapes}."
            )
        return [self._from_keras_layout(s.to(device=like.device, dtype=like.dtype)) for s in given]

    # ------------------------------------------------------------------ stateful API
    @property
    def states(self) -> list[torch.Tensor] | None:
        """The kept states of a stateful layer, in Keras layout (``None`` before the first call)."""
        if self._states is None:
            return None
        return [self._to_keras_layout(s, False) for s in self._states]

    def reset_states(self, states: torch.Tensor | Sequence[torch.Tensor] | None = None) -> None:
        """Clears the kept states (the next batch starts from zeros) or sets them to ``states``.

        Raises:
            ValueError: for ``states`` when the layer is not stateful, or of the wrong shapes.
        """
        if states is None:
            self._states = None
            return
        if not self.stateful:
            raise ValueError(f"{self._owner}: reset_states(states) needs a stateful layer (stateful=True).")
        given = [states] if isinstance(states, (torch.Tensor, np.ndarray)) else list(states)
        batch = given[0].shape[0] if given and given[0].ndim else 0
        like = torch.empty(0, dtype=self._compute_dtype(), device=next(self.parameters()).device)
        self._states = [s.detach() for s in self._internal_states(given, batch, like, "reset_states(states)")]

    reset_state = reset_states  # Keras 3's name

    # ------------------------------------------------------------------ shapes & config
    def compute_output_shape(self, input_shape: Shape) -> Shape | tuple[Shape, ...]:
        input_shape = tuple(input_shape)
        batch, steps = input_shape[0], input_shape[1]
        tail = self._output_tail(input_shape)
        output = (batch, steps, *tail) if self.return_sequences else (batch, *tail)
        if not self.return_state:
            return output
        state_tails = [self._keras_state_tail(t) for t in self._state_tails_for(input_shape)]
        return (output, *((batch, *t) for t in state_tails))

    def _state_tails_for(self, input_shape: Shape | None) -> list[tuple[int, ...]]:
        """State shapes (no batch axis, internal layout) for inputs of ``input_shape``."""
        return self._state_tails()

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """The input mask for the sequence output (``return_sequences``), else ``None``; states get none."""
        if isinstance(mask, (list, tuple)):
            mask = mask[0] if mask else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask, *(None for _ in self._state_tails_for(None))]
        return output_mask

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "use_cudnn": self.use_cudnn,
        }


def _autocast_enabled(tensor: torch.Tensor) -> bool:
    """Whether autocast is on for ``tensor``'s device (it then picks the kernels' dtype itself)."""
    try:
        return torch.is_autocast_enabled(tensor.device.type)
    except RuntimeError:  # device types without autocast, such as meta
        return False


def _right_padded_lengths(mask: torch.Tensor) -> torch.Tensor | None:
    """The CPU lengths of a mask that only pads the end of every sequence, else ``None``.

    Reads the mask on the host: one device sync per masked call, which packing needs
    anyway (``pack_padded_sequence`` takes CPU lengths) and which costs far less than
    running the steps as a Python loop. Sequences with no real step at all are left to
    the loop, as packing cannot hold empty sequences.
    """
    if mask.is_meta:
        return None
    host = mask.cpu()
    lengths = host.sum(dim=1)
    if bool((lengths == 0).any()):
        return None
    expected = torch.arange(host.shape[1])[None, :] < lengths[:, None]
    return lengths if torch.equal(host, expected) else None
