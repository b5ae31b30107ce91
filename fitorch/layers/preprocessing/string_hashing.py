"""The string hashes of TensorFlow's ``to_hash_bucket_fast`` / ``to_hash_bucket_strong``, in NumPy.

Keras' ``Hashing`` (and the lookup layers' OOV buckets) hash through TensorFlow, which is
not a fitorch dependency. These are the same functions written out: FarmHash's
``Fingerprint64`` (``farmhashna::Hash64``, Google's stable 64-bit string fingerprint) and
SipHash-2-4 with a 128-bit key (TensorFlow's ``StrongKeyedHash``). Both work on the
UTF-8 bytes of each string; a bucket is ``hash % num_buckets``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

_MASK = (1 << 64) - 1
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F


def _fetch64(data: bytes, i: int) -> int:
    return int.from_bytes(data[i : i + 8], "little")


def _fetch32(data: bytes, i: int) -> int:
    return int.from_bytes(data[i : i + 4], "little")


def _rotate(value: int, shift: int) -> int:
    return value if shift == 0 else ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value: int) -> int:
    return value ^ (value >> 47)


def _hash_len16(u: int, v: int, mul: int) -> int:
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _hash_len0to16(data: bytes) -> int:
    length = len(data)
    if length >= 8:
        mul = _K2 + length * 2
        a = (_fetch64(data, 0) + _K2) & _MASK
        b = _fetch64(data, length - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK
        d = ((_rotate(a, 25) + b) * mul) & _MASK
        return _hash_len16(c, d, mul)
    if length >= 4:
        mul = _K2 + length * 2
        a = _fetch32(data, 0)
        return _hash_len16((length + (a << 3)) & _MASK, _fetch32(data, length - 4), mul)
    if length > 0:
        y = (data[0] + (data[length >> 1] << 8)) & 0xFFFFFFFF
        z = (length + (data[length - 1] << 2)) & 0xFFFFFFFF
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def _end_words(data: bytes, first_multiplier: int) -> tuple[int, int, int, int, int]:
    """``(mul, a, b, c, d)``: the multiplier and the first and last 16 bytes, as the 17..64-byte paths read them."""
    length = len(data)
    mul = _K2 + length * 2
    a = (_fetch64(data, 0) * first_multiplier) & _MASK
    b = _fetch64(data, 8)
    c = (_fetch64(data, length - 8) * mul) & _MASK
    d = (_fetch64(data, length - 16) * _K2) & _MASK
    return mul, a, b, c, d


def _mix_words(a: int, b: int, c: int, d: int, offset: int) -> tuple[int, int]:
    """FarmHash's two mixes of four words, the inputs of ``_hash_len16``."""
    return (
        (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK,
        (a + _rotate((b + offset) & _MASK, 18) + c) & _MASK,
    )


def _hash_len17to32(data: bytes) -> int:
    mul, a, b, c, d = _end_words(data, _K1)
    return _hash_len16(*_mix_words(a, b, c, d, _K2), mul)


def _hash_len33to64(data: bytes) -> int:
    length = len(data)
    mul, a, b, c, d = _end_words(data, _K2)
    y, x = _mix_words(a, b, c, d, _K2)
    z = _hash_len16(y, x, mul)
    e = (_fetch64(data, 16) * mul) & _MASK
    f = _fetch64(data, 24)
    g = ((y + _fetch64(data, length - 32)) * mul) & _MASK
    h = ((z + _fetch64(data, length - 24)) * mul) & _MASK
    return _hash_len16(*_mix_words(e, f, g, h, a), mul)


def _weak_hash_len32_with_seeds(data: bytes, i: int, a: int, b: int) -> tuple[int, int]:
    w, x, y, z = (_fetch64(data, i + 8 * k) for k in range(4))
    a = (a + w) & _MASK
    b = _rotate((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def fingerprint64(data: bytes) -> int:
    """FarmHash ``Fingerprint64`` of ``data`` (TensorFlow's ``Fingerprint64``), an unsigned 64-bit int.

    Example:
        >>> from fitorch.layers.preprocessing.string_hashing import fingerprint64
        >>> fingerprint64(b"A") % 3, fingerprint64(b"B") % 3
        (1, 0)
    """
    length = len(data)
    if length <= 16:
        return _hash_len0to16(data)
    if length <= 32:
        return _hash_len17to32(data)
    if length <= 64:
        return _hash_len33to64(data)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v = (0, 0)
    w = (0, 0)
    x = (x * _K2 + _fetch64(data, 0)) & _MASK
    end = ((length - 1) // 64) * 64
    last64 = end + ((length - 1) & 63) - 63
    i = 0
    while True:
        x = (_rotate((x + y + v[0] + _fetch64(data, i + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotate((y + v[1] + _fetch64(data, i + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w[1]
        y = (y + v[0] + _fetch64(data, i + 40)) & _MASK
        z = (_rotate((z + w[0]) & _MASK, 33) * _K1) & _MASK
        v = _weak_hash_len32_with_seeds(data, i, (v[1] * _K1) & _MASK, (x + w[0]) & _MASK)
        w = _weak_hash_len32_with_seeds(data, i + 32, (z + w[1]) & _MASK, (y + _fetch64(data, i + 16)) & _MASK)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    i = last64
    w = ((w[0] + ((length - 1) & 63)) & _MASK, w[1])
    v = ((v[0] + w[0]) & _MASK, v[1])
    w = ((w[0] + v[0]) & _MASK, w[1])
    x = (_rotate((x + y + v[0] + _fetch64(data, i + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotate((y + v[1] + _fetch64(data, i + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w[1] * 9) & _MASK
    y = (y + v[0] * 9 + _fetch64(data, i + 40)) & _MASK
    z = (_rotate((z + w[0]) & _MASK, 33) * mul) & _MASK
    v = _weak_hash_len32_with_seeds(data, i, (v[1] * mul) & _MASK, (x + w[0]) & _MASK)
    w = _weak_hash_len32_with_seeds(data, i + 32, (z + w[1]) & _MASK, (y + _fetch64(data, i + 16)) & _MASK)
    z, x = x, z
    return _hash_len16(
        (_hash_len16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _MASK,
        (_hash_len16(v[1], w[1], mul) + x) & _MASK,
        mul,
    )


def fingerprint_cat64(first: int, second: int) -> int:
    """TensorFlow's ``FingerprintCat64``: combines two 64-bit fingerprints (the step of ``tf.sparse.cross_hashed``).

    Example:
        >>> from fitorch.layers.preprocessing.string_hashing import fingerprint_cat64
        >>> fingerprint_cat64(1, 2) == fingerprint_cat64(2, 1)  # order matters
        False
    """
    mul = 0xC6A4A7935BD1E995
    result = first ^ mul
    result ^= (_shift_mix((second * mul) & _MASK) * mul) & _MASK
    result = (result * mul) & _MASK
    result = (_shift_mix(result) * mul) & _MASK
    return _shift_mix(result)


def _sip_round(v0: int, v1: int, v2: int, v3: int) -> tuple[int, int, int, int]:
    v0 = (v0 + v1) & _MASK
    v1 = _rotl(v1, 13) ^ v0
    v0 = _rotl(v0, 32)
    v2 = (v2 + v3) & _MASK
    v3 = _rotl(v3, 16) ^ v2
    v0 = (v0 + v3) & _MASK
    v3 = _rotl(v3, 21) ^ v0
    v2 = (v2 + v1) & _MASK
    v1 = _rotl(v1, 17) ^ v2
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK


def siphash24(key: Sequence[int], data: bytes) -> int:
    """SipHash-2-4 of ``data`` with the 128-bit key ``(k0, k1)`` (TensorFlow's ``StrongKeyedHash``).

    Example:
        >>> from fitorch.layers.preprocessing.string_hashing import siphash24
        >>> hex(siphash24((0x0706050403020100, 0x0F0E0D0C0B0A0908), b""))  # the reference test vector
        '0x726fdb47dd0e0e31'
    """
    k0, k1 = (int(k) & _MASK for k in key)
    v0, v1 = k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D
    v2, v3 = k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573
    length = len(data)
    tail_start = length - length % 8
    for i in range(0, tail_start, 8):
        m = _fetch64(data, i)
        v3 ^= m
        v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
        v0 ^= m
    m = ((length & 0xFF) << 56) | int.from_bytes(data[tail_start:], "little")
    v3 ^= m
    v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
    v0 ^= m
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def salt_argument(owner: str, salt: Any) -> list[int] | None:
    """Keras' ``salt`` argument as ``None`` or a pair ``[k0, k1]`` (an int ``k`` gives ``[k, k]``).

    Raises a ``ValueError`` naming ``owner`` (e.g. ``"Hashing 'hashing'"``) for anything else.

    Example:
        >>> salt_argument("Hashing 'hashing'", 7)
        [7, 7]
    """
    if salt is None:
        return None
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    if isinstance(salt, (tuple, list)) and len(salt) == 2 and all(isinstance(s, int) for s in salt):
        return list(salt)
    raise ValueError(f"{owner}: salt must be an int or a pair of ints; received salt={salt!r}.")


def hash_buckets(values: np.ndarray, num_buckets: int, salt: Sequence[int] | None = None) -> np.ndarray:
    """``hash(str(value)) % num_buckets`` for each element (int64 array of the same shape).

    Strings are hashed as UTF-8, integers by their decimal text (TensorFlow's
    ``as_string``). Each distinct value is hashed once.
    """
    values = np.asarray(values)
    unique, inverse = np.unique(values.reshape(-1), return_inverse=True)
    buckets = np.empty(len(unique), dtype=np.int64)
    for index, value in enumerate(unique.tolist()):
        data = value if isinstance(value, bytes) else str(value).encode("utf-8")
        digest = siphash24(salt, data) if salt is not None else fingerprint64(data)
        buckets[index] = digest % num_buckets
    return buckets[inverse].reshape(values.shape)
