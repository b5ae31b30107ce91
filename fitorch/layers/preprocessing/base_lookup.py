"""``BaseLookup``: the shared parent of ``StringLookup`` and ``IntegerLookup`` (Keras' ``IndexLookup``).

It keeps the vocabulary (given, set with ``set_vocabulary`` or learned by ``adapt``) and
Keras' index layout: ``[mask_token] + [oov_token] * num_oov_indices + tokens``, where the
mask index exists only in ``output_mode='int'``. It maps tokens to indices (out-of-vocabulary
tokens go to the OOV indices, by hashing when there are several), inverts indices back to
tokens, and encodes indices as one-hot, multi-hot, count or TF-IDF vectors. Lookups run in
NumPy/Python on the CPU (torch has no string tensors); outputs are torch tensors.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.layers.layer import Layer
from fitorch.layers.preprocessing.category_encoding import encode_categorical, encoded_shape
from fitorch.layers.preprocessing.string_hashing import hash_buckets, salt_argument

Shape = tuple[int | None, ...]
OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class BaseLookup(Layer):
    """Maps tokens to integer indices through a vocabulary (see ``StringLookup``/``IntegerLookup``)."""

    def __init__(
        self,
        max_tokens: int | None,
        num_oov_indices: int,
        mask_token: Any,
        oov_token: Any,
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        salt: int | Sequence[int] | None = None,
        oov_method: str = "farmhash",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        owner = self._owner
        if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens <= 1):
            raise ValueError(f"{owner}: max_tokens must be None or an int > 1; received max_tokens={max_tokens!r}.")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{owner}: pad_to_max_tokens=True needs max_tokens to be set.")
        if not isinstance(num_oov_indices, int) or num_oov_indices < 0:
            raise ValueError(f"{owner}: num_oov_indices must be an int >= 0; received {num_oov_indices!r}.")
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"{owner}: output_mode must be one of {list(OUTPUT_MODES)}; received {output_mode!r}.")
        if invert and output_mode != "int":
            raise ValueError(f"{owner}: invert=True needs output_mode='int'; received output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{owner}: sparse=True is not supported; use sparse=False.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{owner}: idf_weights is only used with output_mode='tf_idf'.")
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(f"{owner}: with output_mode='tf_idf', a given vocabulary needs idf_weights too.")
        salt = salt_argument(owner, salt)
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.sparse = False
        self.salt = salt
        self.oov_method = oov_method
        self._has_input_vocabulary = vocabulary is not None
        self.input_vocabulary = _plain(vocabulary)
        self.input_idf_weights = _plain(idf_weights)
        self._tokens: list[Any] = []
        self._table: dict[Any, int] = {}
        self._idf: np.ndarray | None = None
        self.reset_state()
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    @property
    def _owner(self) -> str:
        return f"{type(self).__name__} {self.name!r}"

    # ------------------------------------------------------------------ tokens (subclasses)
    def _to_array(self, data: Any) -> np.ndarray:
        """``data`` as a NumPy array of tokens (``str`` or int64)."""
        raise NotImplementedError

    def _oov_buckets(self, tokens: np.ndarray) -> np.ndarray:
        """The OOV bucket in ``[0, num_oov_indices)`` of each out-of-vocabulary token."""
        return hash_buckets(tokens, self.num_oov_indices, self.salt)

    # ------------------------------------------------------------------ vocabulary
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The number of indices: special tokens plus the vocabulary."""
        return self._token_start_index() + len(self._tokens)

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[Any]:
        """The token of each index (``include_special_tokens=False`` leaves out the mask and OOV tokens)."""
        if not include_special_tokens:
            return list(self._tokens)
        vocabulary = [self.oov_token] * self._token_start_index() + list(self._tokens)
        if self.mask_token is not None and self.output_mode == "int":
            vocabulary[0] = self.mask_token
        return vocabulary

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (and, for ``'tf_idf'``, the IDF weights), as Keras' ``set_vocabulary``.

        The vocabulary may start with the special tokens, in index order (as
        ``get_vocabulary()`` returns them); otherwise they are added in front.
        """
        owner = self._owner
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{owner}: idf_weights must be given with output_mode='tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{owner}: idf_weights is only used with output_mode='tf_idf'.")
        tokens = self._to_array(vocabulary).reshape(-1).tolist()
        if not tokens:
            raise ValueError(f"{owner}: the vocabulary must not be empty.")
        token_start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        found_special = tokens[:token_start] == special
        if found_special:
            tokens = tokens[token_start:]
        repeated = [t for t, n in collections.Counter(tokens).items() if n > 1]
        if repeated:
            raise ValueError(f"{owner}: the vocabulary has repeated tokens {repeated}; make it unique.")
        for name, token in (("mask_token", self.mask_token), ("oov_token", self.oov_token if self.invert else None)):
            if token is not None and token in tokens:
                raise ValueError(
                    f"{owner}: the vocabulary contains the {name} {token!r} away from the start. Leave the special "
                    f"tokens out, or put them first in exactly this order: {special}."
                )
        if self.max_tokens is not None and token_start + len(tokens) > self.max_tokens:
            raise ValueError(
                f"{owner}: the vocabulary has {token_start + len(tokens)} entries (special tokens included), more "
                f"than max_tokens={self.max_tokens}."
            )
        self._set_tokens(tokens)
        if idf_weights is not None:
            idf = np.asarray(idf_weights.detach().cpu() if isinstance(idf_weights, torch.Tensor) else idf_weights)
            expected = len(tokens) + (token_start if found_special else 0)
            if idf.ndim != 1 or len(idf) != expected:
                raise ValueError(
                    f"{owner}: idf_weights must be a 1-D array as long as the vocabulary ({expected}); received "
                    f"shape {idf.shape}."
                )
            front = [] if found_special else [float(np.average(idf))] * token_start
            self._set_idf(np.concatenate([np.asarray(front, dtype=np.float64), idf.astype(np.float64)]))

    def _set_tokens(self, tokens: list[Any]) -> None:
        self._tokens = list(tokens)
        start = self._token_start_index()
        self._table = {token: start + i for i, token in enumerate(self._tokens)}

    def _set_idf(self, idf: np.ndarray) -> None:
        if self.pad_to_max_tokens and self.max_tokens is not None:
            idf = np.pad(idf, (0, max(self.max_tokens - len(idf), 0)))
        self._idf = idf.astype(np.float32)

    # ------------------------------------------------------------------ adapt
    def reset_state(self) -> None:
        """Forgets the counts gathered by ``adapt`` so far."""
        self._counts: collections.Counter = collections.Counter()
        self._document_counts: collections.Counter = collections.Counter()
        self._num_documents = 0

    def adapt(self, data: Any) -> None:
        """Learns the vocabulary from ``data``: tokens sorted by frequency, then by value, both descending.

        Args:
            data: a NumPy array, list or tensor (a rank-1 array is one token per
                document), or an iterable of such batches.
        """
        if self._has_input_vocabulary:
            raise ValueError(
                f"{self._owner}: adapt() cannot be used on a layer created with a vocabulary; create it without one."
            )
        self.reset_state()
        if isinstance(data, (np.ndarray, list, tuple, torch.Tensor)):
            array = self._to_array(data)
            self.update_state(array.reshape(-1, 1) if array.ndim == 1 else array)
        elif isinstance(data, Iterable) and not isinstance(data, (str, bytes)):
            for batch in data:
                self.update_state(batch)
        else:
            raise TypeError(
                f"{self._owner}: adapt() accepts an array, a list, a tensor or an iterable of batches; received "
                f"{type(data).__name__}."
            )
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        """Counts the tokens of one batch (each row is a document)."""
        rows = data if isinstance(data, list) and all(isinstance(r, list) for r in data) else None
        if rows is None:
            array = self._to_array(data)
            array = array.reshape(1, -1) if array.ndim < 2 else array.reshape(array.shape[0], -1)
            rows = array.tolist()
        self._count_rows(rows)

    def _count_rows(self, rows: list[list[Any]]) -> None:
        for row in rows:
            self._counts.update(row)
            if self.output_mode == "tf_idf":
                self._document_counts.update(set(row))
        self._num_documents += len(rows)

    def finalize_state(self) -> None:
        """Turns the counts into the vocabulary (and the IDF weights for ``'tf_idf'``)."""
        counts = {t: n for t, n in self._counts.items() if t != self.mask_token and t != self.oov_token}
        if not counts:
            return
        tokens = sorted(counts, key=lambda t: (counts[t], t), reverse=True)
        if self.max_tokens:
            tokens = tokens[: self.max_tokens - self._token_start_index()]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            document_counts = np.array([self._document_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1 + self._num_documents / (1 + document_counts)).astype(np.float32)
            front = np.full(self._token_start_index(), np.mean(idf), dtype=np.float32)
            self._set_idf(np.concatenate([front, idf]))
        self.reset_state()

    # ------------------------------------------------------------------ call
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        return self.call(inputs)

    def call(self, inputs: Any) -> Any:
        device = inputs.device if isinstance(inputs, torch.Tensor) else torch.device("cpu")
        if self.invert:
            return self._invert(self._index_array(inputs), device)
        tokens = self._to_array(inputs)
        indices = torch.from_numpy(self.lookup(tokens)).to(device)
        if self.output_mode == "int":
            return indices
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        if not self._tokens and not self.pad_to_max_tokens:
            raise ValueError(
                f"{self._owner}: output_mode={self.output_mode!r} needs a vocabulary before the first call; pass "
                "vocabulary= or call adapt(data)."
            )
        dtype = self._dtype or config.floatx_dtype()
        if self.output_mode != "tf_idf":
            return encode_categorical(indices, self.output_mode, depth, dtype)
        counts = encode_categorical(indices, "count", depth, dtype)
        return counts * torch.from_numpy(self._idf[:depth]).to(device=device, dtype=dtype)

    def lookup(self, tokens: np.ndarray) -> np.ndarray:
        """The int64 index of each token (masked tokens give 0, or -1 outside ``'int'`` mode)."""
        unique, inverse = np.unique(tokens.reshape(-1), return_inverse=True)
        keys = unique.tolist()
        indices = np.array([self._table.get(k, -1) for k in keys], dtype=np.int64)
        oov = indices == -1
        if self.mask_token is not None:
            masked = np.array([k == self.mask_token for k in keys], dtype=bool)
            oov &= ~masked
            indices[masked] = 0 if self.output_mode == "int" else -1
        if oov.any():
            if self.num_oov_indices == 0:
                raise ValueError(
                    f"{self._owner}: with num_oov_indices=0 every input must be in the vocabulary; found "
                    f"out-of-vocabulary values {unique[oov][:10].tolist()}. Set num_oov_indices=1 to allow them."
                )
            buckets = self._oov_buckets(unique[oov]) if self.num_oov_indices > 1 else 0
            indices[oov] = self._oov_start_index() + buckets
        return indices[inverse].reshape(tokens.shape)

    def _index_array(self, inputs: Any) -> np.ndarray:
        """The indices given to an ``invert=True`` layer, as an int64 array."""
        array = inputs.detach().cpu().numpy() if isinstance(inputs, torch.Tensor) else np.asarray(inputs)
        if array.dtype.kind not in "iu":
            raise TypeError(
                f"{self._owner}: with invert=True the inputs are integer indices; received an array of dtype "
                f"{array.dtype}."
            )
        return array.astype(np.int64)

    def _invert(self, indices: np.ndarray, device: torch.device) -> Any:
        raise NotImplementedError

    def _inverted_tokens(self, indices: np.ndarray) -> list[Any]:
        """The token of each index: the mask token for 0 (with a mask), else the OOV token outside the vocabulary."""
        start = self._token_start_index()
        size = self.vocabulary_size()
        result = []
        for index in indices.reshape(-1).tolist():
            if self.mask_token is not None and index == 0:
                result.append(self.mask_token)
            elif start <= index < size:
                result.append(self._tokens[index - start])
            else:
                result.append(self.oov_token)
        return result

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        return encoded_shape(input_shape, self.output_mode, depth)

    def get_config(self) -> dict[str, Any]:
        # A given vocabulary is stored as given (as in Keras); an adapted one, which Keras keeps as a file
        # asset, goes into the config too (with its special tokens and IDF weights), so saved models keep it.
        vocabulary, idf = self.input_vocabulary, self.input_idf_weights
        if vocabulary is None and self._tokens:
            vocabulary = self.get_vocabulary()
            idf = self._idf[: self.vocabulary_size()].tolist() if self._idf is not None else None
        return {
            **super().get_config(),
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "mask_token": self.mask_token,
            "oov_token": self.oov_token,
            "vocabulary": vocabulary,
            "idf_weights": idf,
            "invert": self.invert,
            "output_mode": self.output_mode,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "sparse": False,
            "salt": self.salt,
        }


def _plain(value: Any) -> list | None:
    """The JSON form of a vocabulary or of IDF weights (a list), or ``None``."""
    if value is None:
        return None
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    return np.asarray(value).tolist()
