"""Bounds on what a model file may declare, checked before anything is read or allocated.

Every size a file declares (members, JSON, tensor headers, tensor shapes) is checked
against these bounds, or against the file's own size, before it is trusted. Memory
use while loading is therefore proportional to the file's real size, never to a
size the file merely claims.
"""

from __future__ import annotations

MiB = 1 << 20

#: The largest ``config.json`` (and any JSON member or tensor-file header) accepted.
MAX_JSON_BYTES = 64 * MiB
#: The largest ``metadata.json`` accepted.
MAX_METADATA_BYTES = 1 * MiB
#: Deepest nesting of lists and dicts in any JSON document.
MAX_JSON_DEPTH = 200
#: Most values (scalars, lists, dicts) in one JSON document.
MAX_JSON_ITEMS = 5_000_000
#: Longest integer literal accepted in JSON (2**64 has 20 digits).
MAX_INT_DIGITS = 24
#: Most members in a model archive, and the largest central directory.
MAX_ZIP_MEMBERS = 16
MAX_ZIP_DIRECTORY_BYTES = 64 * 1024
#: Largest decompressed/compressed ratio for a deflated member (above ``SMALL_MEMBER_BYTES``).
MAX_COMPRESSION_RATIO = 100
SMALL_MEMBER_BYTES = 1 * MiB
#: Most tensors in one safetensors file, and most dimensions per tensor.
MAX_TENSORS = 1_000_000
MAX_TENSOR_NDIM = 32
#: Longest tensor or layer name.
MAX_NAME_LENGTH = 1024
#: While rebuilding a model, tensors created may total at most this many times the
#: bytes of weights in the file, plus ``ALLOCATION_SLACK_BYTES``.
ALLOCATION_FACTOR = 4
ALLOCATION_SLACK_BYTES = 256 * MiB
