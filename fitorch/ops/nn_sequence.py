"""Patch extraction and CTC: ``keras.ops.unfold``, ``fold``, ``ctc_loss`` and ``ctc_decode``.

``unfold`` / ``fold`` are ``torch.nn.functional.unfold`` / ``fold`` (im2col / col2im) on
channels-first images, with Keras' argument names.

Example:
    >>> import torch
    >>> from fitorch import ops
    >>> patches = ops.unfold(torch.ones(1, 2, 4, 4), kernel_size=2, stride=2)
    >>> patches.shape, ops.fold(patches, output_size=4, kernel_size=2, stride=2).shape
    (torch.Size([1, 8, 4]), torch.Size([1, 2, 4, 4]))
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from fitorch.ops.dtypes import convert
from fitorch.ops.registry import keras_op

IntPair = int | tuple[int, int]


@keras_op()
def unfold(
    x: Any, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0, stride: IntPair = 1
) -> torch.Tensor:
    """The sliding ``kernel_size`` blocks of a channels-first image batch, flattened (im2col).

    Args:
        x: a tensor of shape ``(N, C, H, W)``.
        kernel_size: the block size, an int or ``(kH, kW)``.
        dilation: the spacing between block elements (default 1).
        padding: zeros added on both sides of each spatial axis (default 0).
        stride: the step between blocks (default 1).

    Returns:
        A tensor of shape ``(N, C * kH * kW, L)``, ``L`` the number of blocks.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> ops.unfold(torch.arange(9.0).reshape(1, 1, 3, 3), 2)[0, :, 0].tolist()
        [0.0, 1.0, 3.0, 4.0]
    """
    x = convert(x)
    if x.ndim != 4:
        raise ValueError(f"ops.unfold: x must be 4D (N, C, H, W); received shape {tuple(x.shape)}.")
    return F.unfold(x, kernel_size=kernel_size, dilation=dilation, padding=padding, stride=stride)


@keras_op()
def fold(
    x: Any, output_size: IntPair, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0, stride: IntPair = 1
) -> torch.Tensor:
    """Sums flattened sliding blocks back into a channels-first image batch (col2im; reverses ``unfold``).

    Overlapping blocks add up where they overlap.

    Args:
        x: a tensor of shape ``(N, C * kH * kW, L)``.
        output_size: the image size, an int or ``(H, W)``.
        kernel_size: the block size, an int or ``(kH, kW)``.
        dilation: the spacing between block elements (default 1).
        padding: zeros that ``unfold`` added on both sides of each spatial axis (default 0).
        stride: the step between blocks (default 1).

    Returns:
        A tensor of shape ``(N, C, H, W)``.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> ops.fold(torch.ones(1, 4, 4), output_size=3, kernel_size=2)[0, 0].tolist()
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    """
    x = convert(x)
    if x.ndim != 3:
        raise ValueError(f"ops.fold: x must be 3D (N, C * kH * kW, L); received shape {tuple(x.shape)}.")
    return F.fold(
        x, output_size=output_size, kernel_size=kernel_size, dilation=dilation, padding=padding, stride=stride
    )


@keras_op()
def ctc_loss(target: Any, output: Any, target_length: Any, output_length: Any, mask_index: int = 0) -> torch.Tensor:
    """The CTC loss of each sequence in a batch (``torch.nn.functional.ctc_loss`` with Keras' argument order).

    Args:
        target: int labels of shape ``(batch, max_label_length)``; entries past ``target_length`` are ignored.
        output: logits of shape ``(batch, max_length, num_classes)``; a log-softmax is applied here.
        target_length: the length of each label sequence, shape ``(batch,)``.
        output_length: the length of each output sequence, shape ``(batch,)``.
        mask_index: the class index of the blank (default 0).

    Returns:
        The negative log-likelihoods, shape ``(batch,)``, float32 (or ``output``'s dtype if wider);
        ``inf`` where no alignment exists.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> logits = torch.zeros(1, 2, 3)  # two uniform steps over 3 classes
        >>> loss = ops.ctc_loss(torch.tensor([[1]]), logits, torch.tensor([1]), torch.tensor([2]))
        >>> round(loss.item(), 4)  # -log(3 paths / 9): "1 1", "0 1", "1 0"
        1.0986
    """
    output = convert(output)
    target_t = convert(target, like=output)
    if output.ndim != 3 or target_t.ndim != 2 or target_t.shape[0] != output.shape[0]:
        raise ValueError(f"ops.ctc_loss: expected target (batch, max_label_length) and output "
                         f"(batch, max_length, num_classes); received shapes {tuple(target_t.shape)} and "
                         f"{tuple(output.shape)}.")  # fmt: skip
    dtype = torch.promote_types(output.dtype, torch.float32)
    if output.is_meta:
        # torch's ctc_loss has no meta kernel; a model being defined only needs the shape.
        return output.new_empty(output.shape[:1], dtype=dtype)
    # (B, T, C) -> (T, B, C), the layout torch's ctc_loss takes.
    log_probs = torch.log_softmax(output.to(dtype).transpose(0, 1), dim=-1)
    return F.ctc_loss(
        log_probs,
        target_t.long(),
        convert(output_length, like=output).long(),
        convert(target_length, like=output).long(),
        blank=mask_index,
        reduction="none",
    )


@keras_op()
def ctc_decode(
    inputs: Any,
    sequence_lengths: Any,
    strategy: str = "greedy",
    beam_width: int = 100,
    top_paths: int = 1,
    merge_repeated: bool = True,
    mask_index: int | None = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Decodes CTC outputs into label sequences, greedily or by beam search.

    Steps past each ``sequence_lengths`` entry are ignored. Greedy decoding takes the
    best class at each step; with ``merge_repeated`` a class repeated on consecutive
    steps counts once; blanks (``mask_index``) are removed. Beam search keeps the
    ``beam_width`` most probable label prefixes (summing the probabilities of the
    alignments that give the same prefix) and returns the ``top_paths`` best. Labels
    move to the front of each row, and ``-1`` pads the rest.

    Args:
        inputs: scores of shape ``(batch, max_length, num_classes)``: logits (beam search
            applies a log-softmax; greedy decoding only compares them).
        sequence_lengths: the length of each sequence, shape ``(batch,)``.
        strategy: ``'greedy'`` (default) or ``'beam_search'``.
        beam_width: the number of prefixes beam search keeps (default 100).
        top_paths: the number of decodings beam search returns (default 1).
        merge_repeated: greedy only: count a class repeated on consecutive steps once
            (default ``True``; beam search always merges, as CTC defines).
        mask_index: the blank class (default 0; ``None`` means the last class).

    Returns:
        ``(decoded, scores)``: int32 labels of shape ``(top_paths, batch, max_length)`` (one
        path for greedy), and scores of shape ``(batch, top_paths)``: for greedy, the negated
        sum of each sequence's best scores; for beam search, each path's log-probability.

    Example:
        >>> import torch
        >>> from fitorch import ops
        >>> best = torch.tensor([[1, 1, 0, 2, 2, 0]])  # classes 1 1 blank 2 2 blank
        >>> decoded, _ = ops.ctc_decode(torch.nn.functional.one_hot(best, 3).float(), torch.tensor([6]))
        >>> decoded.tolist()
        [[[1, 2, -1, -1, -1, -1]]]
    """
    if strategy not in ("greedy", "beam_search"):
        raise ValueError(f"ops.ctc_decode: strategy must be 'greedy' or 'beam_search'; received strategy={strategy!r}.")
    x = convert(inputs)
    if x.ndim != 3:
        raise ValueError(f"ops.ctc_decode: inputs must be 3D (batch, max_length, num_classes); "
                         f"received shape {tuple(x.shape)}.")  # fmt: skip
    x = x.to(torch.promote_types(x.dtype, torch.float32))
    batch, max_length, num_classes = x.shape
    lengths = convert(sequence_lengths, like=x).long()
    if lengths.shape != (batch,):
        raise ValueError(f"ops.ctc_decode: sequence_lengths must have shape ({batch},) (one per sequence); "
                         f"received {tuple(lengths.shape)}.")  # fmt: skip
    blank = num_classes - 1 if mask_index is None else int(mask_index)
    if strategy == "beam_search":
        for name, value in (("beam_width", beam_width), ("top_paths", top_paths)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"ops.ctc_decode: {name} must be a positive int; received {name}={value!r}.")
        if x.is_meta:
            # The search reads values; a model being defined only needs the shapes.
            return (x.new_empty(top_paths, batch, max_length, dtype=torch.int32), x.new_empty(batch, top_paths))
        return _ctc_beam_search(x, lengths, beam_width, top_paths, blank)
    scores, labels = x.max(dim=-1)  # (B, T) each
    past_end = torch.arange(max_length, device=x.device) >= lengths[:, None]
    labels = labels.masked_fill(past_end, blank)
    scores = scores.masked_fill(past_end, 0.0)
    if merge_repeated:
        repeat = torch.nn.functional.pad(labels[:, 1:] == labels[:, :-1], (1, 0))
        labels = labels.masked_fill(repeat, blank)
    return _front(labels, labels == blank)[None], -scores.sum(dim=1, keepdim=True)


def _front(labels: torch.Tensor, dropped: torch.Tensor) -> torch.Tensor:
    """The kept labels of each row moved to the front, in order, then ``-1``s; int32."""
    # A stable sort on "is dropped" keeps the order of the kept labels.
    order = torch.argsort(dropped.to(torch.uint8), dim=-1, stable=True)
    return torch.take_along_dim(labels.masked_fill(dropped, -1), order, dim=-1).to(torch.int32)


def _merge_log(inverse: torch.Tensor, scores: torch.Tensor, count: int) -> torch.Tensor:
    """``logsumexp`` of the ``scores`` that ``inverse`` sends to each of ``count`` groups (-inf when none)."""
    peak = scores.new_full((count,), float("-inf")).scatter_reduce(0, inverse, scores, "amax")
    shift = torch.where(torch.isfinite(peak), peak, 0.0)
    total = scores.new_zeros(count).scatter_add(0, inverse, (scores - shift[inverse]).exp())
    return total.log() + shift


def _unique_prefixes(
    paths: torch.Tensor, scores: list[torch.Tensor], size: int
) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """The distinct rows of ``paths`` (at least ``size``, padded with empty paths scored -inf), each score list merged."""
    unique, inverse = torch.unique(paths, dim=0, return_inverse=True)
    merged = [_merge_log(inverse, s, unique.shape[0]) for s in scores]
    missing = size - unique.shape[0]
    if missing > 0:
        unique = torch.cat([unique, unique.new_full((missing, paths.shape[1]), -1)])
        merged = [torch.cat([m, m.new_full((missing,), float("-inf"))]) for m in merged]
    return unique, merged


def _ctc_beam_search(
    x: torch.Tensor, lengths: torch.Tensor, beam_width: int, top_paths: int, blank: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """CTC prefix beam search, the algorithm of Keras' JAX and torch backends.

    A beam row is a prefix (labels, then -1s) with a score and a flag: whether the score
    is that of the alignments ending in a blank. Each step extends every row by every
    class, merges equal prefixes (summing probabilities per flag) and keeps the
    ``beam_width`` most probable prefixes, each as two rows (ending in a label, in a blank).
    """
    log_probs = torch.log_softmax(x, dim=-1)
    max_length, num_classes = x.shape[1:]
    classes = torch.arange(num_classes, device=x.device)
    classes = classes.masked_fill(classes == blank, -1)  # the label each class appends (-1: none)
    all_paths, all_scores = [], []
    for b, length in enumerate(lengths.tolist()):
        steps = log_probs[b]
        # Step 0: one row per class among the most probable min(num_classes, beam_width); ties: lower class first.
        first = torch.argsort(steps[0], descending=True, stable=True)[: min(num_classes, beam_width)]
        paths = torch.full((len(first), max_length), -1, dtype=torch.long, device=x.device)
        paths[:, 0] = classes[first]
        scores, ends_blank = steps[0, first], classes[first] < 0
        for t in range(1, length):
            paths, scores, ends_blank = _ctc_beam_step(paths, scores, ends_blank, steps[t], classes, beam_width)
        # Both rows of a prefix merge into its total probability.
        paths, (total,) = _unique_prefixes(paths, [scores], top_paths)
        best = torch.argsort(total, descending=True, stable=True)[:top_paths]
        all_paths.append(paths[best])
        all_scores.append(total[best])
    # (B, top_paths, T) -> (top_paths, B, T)
    return torch.stack(all_paths, dim=1).to(torch.int32), torch.stack(all_scores)


def _ctc_beam_step(
    paths: torch.Tensor, scores: torch.Tensor, ends_blank: torch.Tensor, step: torch.Tensor, classes: torch.Tensor,
    beam_width: int,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:  # fmt: skip
    """One step of ``_ctc_beam_search``: extend every row by every class, merge, keep the best."""
    rows, num_classes = paths.shape[0], classes.shape[0]
    lengths = (paths >= 0).sum(dim=1)
    last = torch.where(lengths > 0, paths.gather(1, (lengths - 1).clamp_min(0)[:, None])[:, 0], -1)
    # (R, C): the label appended to row r by class c. The blank appends nothing; so does the last
    # label again on a row ending in it (CTC merges repeats unless a blank separates them).
    appended = classes[None, :].expand(rows, num_classes)
    appended = torch.where(~ends_blank[:, None] & (appended == last[:, None]), -1, appended).reshape(-1)
    # (R, T) -> (R * C, T): row r extended by class c is row r * C + c.
    extended = paths.repeat_interleave(num_classes, dim=0)
    grows = torch.nonzero(appended >= 0)[:, 0]
    extended[grows, lengths.repeat_interleave(num_classes)[grows]] = appended[grows]
    new_scores = (scores[:, None] + step[None, :]).reshape(-1)
    new_blank = (classes < 0).repeat(rows)
    never = torch.tensor(float("-inf"), dtype=scores.dtype, device=scores.device)  # log(0)
    unique, (emit, blanks) = _unique_prefixes(
        extended, [torch.where(new_blank, never, new_scores), torch.where(new_blank, new_scores, never)], beam_width
    )
    best = torch.argsort(torch.logaddexp(emit, blanks), descending=True, stable=True)[:beam_width]
    flags = torch.arange(2 * len(best), device=paths.device) >= len(best)
    return unique[best].repeat(2, 1), torch.cat([emit[best], blanks[best]]), flags
