"""``HashedCrossing``: crosses categorical features with the hashing trick (TensorFlow's ``sparse.cross_hashed``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from fitorch import config
from fitorch.graph.symbolic_tensor import SymbolicTensor
from fitorch.layers.layer import Layer
from fitorch.layers.preprocessing.category_encoding import encode_categorical
from fitorch.layers.preprocessing.hashing import check_hashing_args
from fitorch.layers.preprocessing.string_hashing import fingerprint64, fingerprint_cat64

Shape = tuple[int | None, ...]
OUTPUT_MODES = ("int", "one_hot")

#: The default ``hash_key`` of ``tf.sparse.cross_hashed``, which Keras' layer uses.
CROSS_HASH_KEY = 0xDECAFCAFFE
_MASK = (1 << 64) - 1


def _feature_hashes(values: np.ndarray) -> list[int]:
    """The 64-bit hash of each feature value, as TensorFlow's sparse cross takes it.

    Strings hash to their FarmHash ``Fingerprint64`` (of the UTF-8 bytes); integers are
    their own hash (their int64 value, as an unsigned 64-bit int).
    """
    if values.dtype.kind in "iu":
        return [int(v) & _MASK for v in values.astype(np.int64).tolist()]
    return [fingerprint64(v if isinstance(v, bytes) else str(v).encode("utf-8")) for v in values.tolist()]


def cross_hash(features: list[np.ndarray], num_bins: int) -> np.ndarray:
    """``FingerprintCat64`` of the features' hashes in order, from ``CROSS_HASH_KEY``, modulo ``num_bins``.

    Args:
        features: 1-D arrays of equal length, each of strings (or bytes) or integers.
        num_bins: int, the number of bins.

    Returns:
        An int64 array of bins in ``[0, num_bins)``, one per position.

    Example:
        >>> import numpy as np
        >>> cross_hash([np.array(["A", "B"]), np.array([101, 101])], num_bins=5)
        array([1, 4])
    """
    crossed = [CROSS_HASH_KEY] * len(features[0])
    for feature in features:
        crossed = [fingerprint_cat64(c, h) for c, h in zip(crossed, _feature_hashes(feature), strict=True)]
    return np.array([c % num_bins for c in crossed], dtype=np.int64)


class HashedCrossing(Layer):
    """Crosses categorical features with the "hashing trick": ``hash(features) % num_bins``.

    Use it to turn a pair (or more) of categorical features into one feature whose
    values stand for the combinations, e.g. to feed a linear model. The hash is
    Keras' (TensorFlow's ``tf.sparse.cross_hashed``, not needed here): starting
    from the key ``0xDECAFCAFFE``, the features' hashes are folded in, in order, by
    ``FingerprintCat64``; a string feature hashes to its FarmHash ``Fingerprint64``
    and an integer feature to its own value. So features crossed by a Keras model
    cross to the same bins here.

    Strings have no torch tensor type, so the layer takes NumPy arrays of ``str``
    (or bytes), lists of strings and integer tensors/arrays, and returns torch
    tensors. Hashing runs in Python on the CPU: use the layer in data preprocessing.

    Args:
        num_bins: int, the number of hash bins.
        output_mode: ``'int'`` (default: int64 bin indices) or ``'one_hot'``
            (a float vector of size ``num_bins`` per element).
        sparse: only ``False`` (Keras supports ``True`` only with TensorFlow).

    Call arguments:
        inputs: a list or tuple of at least two features of equal shape, each of
            strings or integers, shaped ``()``, ``(batch,)`` or ``(batch, 1)``.

    Input shape:
        Each feature ``()``, ``(batch,)`` or ``(batch, 1)``.

    Output shape:
        The features' shape for ``'int'``; for ``'one_hot'``, ``(batch, num_bins)``
        (``(num_bins,)`` for scalar features).

    Example:
        >>> import numpy as np
        >>> from fitorch.layers.preprocessing import HashedCrossing
        >>> layer = HashedCrossing(num_bins=5)
        >>> layer((np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102])))
        tensor([1, 4, 1, 1, 3])
    """

    def __init__(self, num_bins: int, output_mode: str = "int", sparse: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        check_hashing_args(self._owner, num_bins, output_mode, OUTPUT_MODES, sparse, "needs TensorFlow sparse tensors")
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = False

    @property
    def _owner(self) -> str:
        return f"HashedCrossing {self.name!r}"

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        self._check_feature_list(inputs)
        if any(isinstance(x, SymbolicTensor) for x in inputs):
            return super().__call__(list(inputs), *args, **kwargs)
        return self.call(inputs)

    def _check_feature_list(self, inputs: Any) -> None:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{self._owner}: expected a list or tuple of features; received {type(inputs).__name__}. "
                "Pass the features to cross as layer((feature_1, feature_2))."
            )
        if len(inputs) < 2:
            raise ValueError(f"{self._owner}: expected at least two features to cross; received {len(inputs)}.")

    def _check_shapes(self, shapes: list[tuple]) -> None:
        first = tuple(shapes[0])
        if len(first) > 2 or (len(first) == 2 and first[-1] != 1):
            raise ValueError(
                f"{self._owner}: each feature must have shape (), (batch,) or (batch, 1); received shape {first}."
            )
        if any(tuple(shape) != first for shape in shapes[1:]):
            raise ValueError(
                f"{self._owner}: the features must have equal shapes; received {[tuple(s) for s in shapes]}."
            )

    def call(self, inputs: Any) -> torch.Tensor:
        self._check_feature_list(inputs)
        device = next((x.device for x in inputs if isinstance(x, torch.Tensor)), torch.device("cpu"))
        features = [x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x) for x in inputs]
        self._check_shapes([f.shape for f in features])
        kinds = [f.dtype.kind for f in features]
        if any(kind not in "iuUSO" for kind in kinds):
            dtypes = [str(f.dtype) for f in features]
            raise ValueError(f"{self._owner}: the features must be integers or strings; received dtypes {dtypes}.")
        shape = features[0].shape
        bins = cross_hash([f.reshape(-1) for f in features], self.num_bins).reshape(shape)
        indices = torch.from_numpy(bins).to(device)
        outputs = encode_categorical(indices, self.output_mode, self.num_bins, self.compute_output_dtype(torch.int64))
        return outputs.reshape(self.num_bins) if self.output_mode == "one_hot" and shape == () else outputs

    def compute_output_shape(self, input_shape: list[Shape]) -> Shape:
        self._check_shapes(input_shape)
        shape = tuple(input_shape[0])
        if self.output_mode == "int":
            return shape
        return (*shape[:1], self.num_bins)

    def compute_output_dtype(self, input_dtype: torch.dtype) -> torch.dtype:
        if self._dtype is not None:
            return self._dtype
        return torch.int64 if self.output_mode == "int" else config.floatx_dtype()

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "num_bins": self.num_bins, "output_mode": self.output_mode, "sparse": False}
