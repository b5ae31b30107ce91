"""``TextVectorization``: turns raw strings into token indices or bag-of-words vectors."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.layers.layer import Layer
from fitorch.layers.preprocessing.category_encoding import encode_categorical
from fitorch.layers.preprocessing.string_lookup import StringLookup

STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")
# TensorFlow's defaults: ASCII-only lower-casing, ASCII punctuation, ASCII whitespace.
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_PUNCTUATION = str.maketrans("", "", string.punctuation)
_WHITESPACE = re.compile(r"[ \t\n\v\f\r]+")


class TextVectorization(Layer):
    """Maps strings to sequences of token indices, or to multi-hot/count/TF-IDF vectors.

    Each string is standardized (``'lower_and_strip_punctuation'`` by default, with
    TensorFlow's rules: ASCII letters are lower-cased and ASCII punctuation removed),
    split into tokens (on ASCII whitespace, or into characters), optionally turned
    into n-grams (joined by a space; all 1-grams, then all 2-grams ...), and looked
    up in a vocabulary given or learned with ``adapt``. In ``'int'`` mode the
    vocabulary is ``['', '[UNK]', ...tokens]``: index 0 pads and index 1 is
    out-of-vocabulary, as in Keras.

    Torch has no string tensors: the layer accepts a NumPy array of ``str`` (or
    bytes) or a list of strings, of shape ``(batch,)`` or ``(batch, 1)``, and returns
    torch tensors: int64 ``(batch, sequence_length)`` indices in ``'int'`` mode
    (padded with 0 to ``output_sequence_length``, or to the longest sequence of the
    batch), float ``(batch, depth)`` vectors otherwise. It runs in Python on the CPU,
    so use it in data preprocessing, before the model. Callable ``standardize`` and
    ``split`` (which Keras allows) are not supported, nor ``ragged=True``.

    Args:
        max_tokens: optional int, the largest vocabulary (special tokens included)
            that ``adapt`` may learn.
        standardize: ``'lower_and_strip_punctuation'`` (default), ``'lower'``,
            ``'strip_punctuation'`` or ``None``.
        split: ``'whitespace'`` (default), ``'character'`` or ``None`` (each string is
            one token).
        ngrams: ``None``, an int ``n`` (all 1- to n-grams) or a tuple of widths.
        output_mode: ``'int'`` (default), ``'multi_hot'``, ``'count'``, ``'tf_idf'``
            or ``'one_hot'``.
        output_sequence_length: optional int, the padded/truncated length in
            ``'int'`` mode.
        pad_to_max_tokens: if ``True``, vectors have ``max_tokens`` entries.
        vocabulary: optional list of tokens.
        idf_weights: the IDF weights for ``'tf_idf'`` with a given vocabulary.
        sparse: only ``False``.
        ragged: only ``False``.
        encoding: the text encoding of byte strings (default ``'utf-8'``).

    Call arguments:
        inputs: strings, ``(batch,)`` or ``(batch, 1)``.

    Example:
        >>> from fitorch.layers.preprocessing import TextVectorization
        >>> layer = TextVectorization(output_sequence_length=4)
        >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
        >>> layer.get_vocabulary()
        ['', '[UNK]', 'baz', 'bar', 'foo', 'boom', 'bada']
        >>> layer([["foo qux bar"], ["qux baz"]])
        tensor([[4, 1, 3, 0],
                [1, 2, 0, 0]])
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        standardize: str | None = "lower_and_strip_punctuation",
        split: str | None = "whitespace",
        ngrams: int | Sequence[int] | None = None,
        output_mode: str = "int",
        output_sequence_length: int | None = None,
        pad_to_max_tokens: bool = False,
        vocabulary: Sequence[str] | np.ndarray | None = None,
        idf_weights: Any = None,
        sparse: bool = False,
        ragged: bool = False,
        encoding: str = "utf-8",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        owner = f"TextVectorization {self.name!r}"
        if standardize is not None and standardize not in STANDARDIZE:
            raise ValueError(
                f"{owner}: standardize must be one of {list(STANDARDIZE)} or None (callables are not supported); "
                f"received standardize={standardize!r}."
            )
        if split is not None and split not in SPLIT:
            raise ValueError(
                f"{owner}: split must be one of {list(SPLIT)} or None (callables are not supported); received "
                f"split={split!r}."
            )
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        if isinstance(ngrams, list):
            ngrams = tuple(ngrams)
        valid_ngrams = ngrams is None or (isinstance(ngrams, int) and not isinstance(ngrams, bool) and ngrams > 0)
        if isinstance(ngrams, tuple):
            valid_ngrams = bool(ngrams) and all(
                isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in ngrams
            )
        if not valid_ngrams:
            raise ValueError(f"{owner}: ngrams must be None, a positive int or a tuple of them; received {ngrams!r}.")
        if output_sequence_length is not None:
            if output_mode != "int":
                raise ValueError(
                    f"{owner}: output_sequence_length is only used with output_mode='int'; received "
                    f"output_mode={output_mode!r}."
                )
            if not isinstance(output_sequence_length, int) or output_sequence_length < 1:
                raise ValueError(
                    f"{owner}: output_sequence_length must be None or a positive int; received "
                    f"{output_sequence_length!r}."
                )
        if ragged:
            raise ValueError(f"{owner}: ragged=True is not supported; outputs are padded tensors.")
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self._ngram_widths = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            sparse=sparse,
            encoding=encoding,
            name=f"{self.name}_lookup",
        )

    # ------------------------------------------------------------------ text -> tokens
    def _strings(self, inputs: Any) -> list[str]:
        """The input strings, one per sample."""
        array = self._lookup_layer._to_array(inputs)
        if array.ndim == 0:
            array = array.reshape(1)
        if array.ndim > 1:
            if self.split is not None and array.shape[-1] != 1:
                raise ValueError(
                    f"TextVectorization {self.name!r}: to split strings into tokens the inputs must be of shape "
                    f"(batch,) or (batch, 1); received shape {array.shape}."
                )
            array = array.reshape(array.shape[0], -1)[:, 0] if array.shape[-1] == 1 else array.reshape(-1)
        return array.tolist()

    def _tokens(self, text: str) -> list[str]:
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            text = text.translate(_LOWER)
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            text = text.translate(_PUNCTUATION)
        if self.split == "whitespace":
            tokens = [t for t in _WHITESPACE.split(text) if t]
        elif self.split == "character":
            tokens = list(text)
        else:
            tokens = [text]
        if self._ngram_widths is None:
            return tokens
        return [" ".join(tokens[i : i + n]) for n in self._ngram_widths for i in range(len(tokens) - n + 1)]

    def _token_rows(self, inputs: Any) -> list[list[str]]:
        return [self._tokens(text) for text in self._strings(inputs)]

    # ------------------------------------------------------------------ vocabulary
    def adapt(self, data: Any) -> None:
        """Learns the vocabulary (and IDF weights) from strings or an iterable of batches of strings."""
        lookup = self._lookup_layer
        if lookup._has_input_vocabulary:
            raise ValueError(
                f"TextVectorization {self.name!r}: adapt() cannot be used on a layer created with a vocabulary."
            )
        if isinstance(data, torch.Tensor) or isinstance(data, (str, bytes)) or not isinstance(data, Iterable):
            raise TypeError(
                f"TextVectorization {self.name!r}: adapt() accepts a list or array of strings, or an iterable of "
                f"batches of them; received {type(data).__name__}."
            )
        lookup.reset_state()
        if isinstance(data, (list, tuple, np.ndarray)):
            lookup._count_rows(self._token_rows(data))
        else:
            for batch in data:
                lookup._count_rows(self._token_rows(batch))
        lookup.finalize_state()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[str]:
        """The token of each index (``include_special_tokens=False`` leaves out ``''`` and ``'[UNK]'``)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The number of indices, special tokens included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (and IDF weights for ``'tf_idf'``)."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    # ------------------------------------------------------------------ call
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> torch.Tensor:
        return self.call(inputs)

    def call(self, inputs: Any) -> torch.Tensor:
        rows = self._token_rows(inputs)
        lengths = [len(row) for row in rows]
        flat = np.array([token for row in rows for token in row], dtype=str)
        ids = self._lookup_layer.lookup(flat) if flat.size else np.zeros(0, dtype=np.int64)
        width = self.output_sequence_length if self.output_mode == "int" else None
        width = width if width is not None else max(lengths, default=0)
        # Ragged rows -> (batch, width): 0 pads 'int' outputs, -1 (ignored) pads the encodings.
        padded = np.full((len(rows), width), 0 if self.output_mode == "int" else -1, dtype=np.int64)
        offsets = np.cumsum([0, *lengths])
        for r, length in enumerate(lengths):
            keep = min(length, width)
            padded[r, :keep] = ids[offsets[r] : offsets[r] + keep]
        indices = torch.from_numpy(padded)
        if self.output_mode == "int":
            return indices
        lookup = self._lookup_layer
        depth = lookup.max_tokens if lookup.pad_to_max_tokens else lookup.vocabulary_size()
        dtype = self._dtype or config.floatx_dtype()
        if self.output_mode == "tf_idf":
            return encode_categorical(indices, "count", depth, dtype) * torch.from_numpy(lookup._idf[:depth]).to(dtype)
        return encode_categorical(indices, self.output_mode, depth, dtype)

    def get_config(self) -> dict[str, Any]:
        lookup = self._lookup_layer.get_config()
        return {
            **super().get_config(),
            "max_tokens": lookup["max_tokens"],
            "standardize": self.standardize,
            "split": self.split,
            "ngrams": list(self.ngrams) if isinstance(self.ngrams, tuple) else self.ngrams,
            "output_mode": self.output_mode,
            "output_sequence_length": self.output_sequence_length,
            "pad_to_max_tokens": lookup["pad_to_max_tokens"],
            "vocabulary": lookup["vocabulary"],
            "idf_weights": lookup["idf_weights"],
            "sparse": False,
            "ragged": False,
            "encoding": self.encoding,
        }
