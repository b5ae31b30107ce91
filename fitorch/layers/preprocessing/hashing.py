"""``Hashing``: hashes strings or integers into a fixed number of bins (FarmHash64 or salted SipHash)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.layer import Layer
from fitorch.layers.preprocessing.category_encoding import encode_categorical, encoded_shape
from fitorch.layers.preprocessing.string_hashing import hash_buckets, salt_argument

Shape = tuple[int | None, ...]
OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def check_hashing_args(
    owner: str,
    num_bins: Any,
    output_mode: Any,
    output_modes: tuple[str, ...],
    sparse: Any,
    sparse_reason: str = "is not supported",
) -> None:
    """Checks the arguments that ``Hashing`` and ``HashedCrossing`` share; each ``ValueError`` names ``owner``.

    Example:
        >>> check_hashing_args("Hashing 'hashing'", 3, "int", OUTPUT_MODES, False)
    """
    if not isinstance(num_bins, int) or isinstance(num_bins, bool) or num_bins <= 0:
        raise ValueError(f"{owner}: num_bins must be a positive int; received num_bins={num_bins!r}.")
    if output_mode not in output_modes:
        raise ValueError(f"{owner}: output_mode must be one of {list(output_modes)}; received {output_mode!r}.")
    if sparse:
        raise ValueError(f"{owner}: sparse=True {sparse_reason}; use sparse=False.")


class Hashing(Layer):
    """Hashes each element (a string or an integer) to a bin in ``[0, num_bins)``.

    Use it for categorical features with many or unknown values. The hash is Keras'
    (which comes from TensorFlow, not needed here): FarmHash64 ``Fingerprint64`` of
    the element's UTF-8 text (integers as decimal text, floats cast to int64
    first), or SipHash-2-4 keyed by ``salt`` when a salt is given; the bin is
    ``hash % num_bins``. The values equal Keras' own (its documented examples are
    the tests' oracle), so features hashed by a Keras model hash the same here.

    Strings have no torch tensor type, so the layer accepts NumPy arrays of ``str``
    (or bytes), nested lists of strings, and integer or floating tensors/arrays; it
    returns torch tensors. Hashing runs in Python on the CPU (each distinct value
    once), so use it in data preprocessing rather than inside a compiled model.

    Args:
        num_bins: int, the number of bins, including the mask bin when
            ``mask_value`` is set.
        mask_value: optional value mapped to bin 0; the others then hash into
            ``[1, num_bins)``.
        salt: optional int or pair of ints; selects SipHash-2-4 with the key
            ``(salt, salt)`` or ``(salt[0], salt[1])``.
        output_mode: ``'int'`` (default, int64 bin indices), ``'one_hot'``,
            ``'multi_hot'`` or ``'count'`` (as ``CategoryEncoding``, with
            ``num_bins`` categories, float outputs).
        sparse: only ``False``.

    Call arguments:
        inputs: strings or numbers: a NumPy array, a (nested) list or a tensor.

    Input shape:
        Any (``(batch, ...)``).

    Output shape:
        The input's for ``'int'``; otherwise as ``CategoryEncoding``'s.

    Example:
        >>> from fitorch.layers.preprocessing import Hashing
        >>> Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]).flatten()
        tensor([1, 0, 1, 1, 2])
        >>> Hashing(num_bins=3, mask_value="")([["A"], ["B"], [""], ["C"], ["D"]]).flatten()
        tensor([1, 1, 0, 2, 2])
    """

    def __init__(
        self,
        num_bins: int,
        mask_value: Any = None,
        salt: int | Sequence[int] | None = None,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = f"Hashing {self.name!r}"
        check_hashing_args(owner, num_bins, output_mode, OUTPUT_MODES, sparse)
        salt = salt_argument(owner, salt)
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = salt
        self.output_mode = output_mode
        self.sparse = False

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(inputs, (torch.Tensor, SymbolicTensor)):
            inputs = np.asarray(inputs)
            if inputs.dtype.kind not in "USOiuf":
                raise TypeError(
                    f"Hashing {self.name!r}: expected strings or numbers; received an array of dtype {inputs.dtype}."
                )
            return self.call(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs: Any) -> torch.Tensor:
        device = inputs.device if isinstance(inputs, torch.Tensor) else torch.device("cpu")
        values = inputs.detach().cpu().numpy() if isinstance(inputs, torch.Tensor) else inputs
        if values.dtype.kind == "f":
            values = values.astype(np.int64)
        elif values.dtype.kind == "O":
            values = values.astype(str)
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == np.asarray(self.mask_value, dtype=values.dtype)
        buckets = hash_buckets(values, bins, self.salt)
        if mask is not None:
            buckets = np.where(mask, 0, buckets + 1)
        indices = torch.from_numpy(np.asarray(buckets, dtype=np.int64)).to(device)
        if self.output_mode == "one_hot" and indices.ndim > 0 and indices.shape[-1] == 1:
            indices = indices.squeeze(-1)
        return encode_categorical(indices, self.output_mode, self.num_bins, self.compute_output_dtype(torch.int64))

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        if self._dtype is not None:
            return self._dtype
        return torch.int64 if self.output_mode == "int" else config.floatx_dtype()

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "mask_value": self.mask_value,
            "salt": self.salt,
            "output_mode": self.output_mode,
            "sparse": False,
        }
