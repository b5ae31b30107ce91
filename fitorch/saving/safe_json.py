"""JSON parsing with bounds checked before parsing: size, nesting depth, value count, integer length; no duplicate keys.

Example:
    >>> loads(b'{"units": 4}', "config.json")
    {'units': 4}
    >>> try:
    ...     loads(b'{"a": 1, "a": 2}', "config.json")
    ... except ValueError as e:
    ...     print(e)
    config.json is not valid: duplicate key 'a'.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from fitorch.saving import limits
from fitorch.saving.errors import UnsafeModelError, quote

_LONG_NUMBER = re.compile(rb"[0-9]{%d}" % (limits.MAX_INT_DIGITS + 1))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise UnsafeModelError(f"duplicate key {quote(key)}")
        result[key] = value
    return result


def check_structure(raw: bytes, what: str) -> None:
    """Bounds the values and the nesting of a JSON text before it is parsed.

    Parsing first and counting afterwards let 60 MB of nested lists cost 20-32 s and
    3.1 GiB before the refusal. Here everything runs in C over the bytes: strings are
    blanked out, then each value is counted (a value follows ``[``, ``{`` or ``,``, so
    there are at most one more than those) and the nesting depth is the running sum
    of opening minus closing brackets.

    Raises:
        UnsafeModelError: past ``limits.MAX_JSON_ITEMS`` values or ``limits.MAX_JSON_DEPTH`` levels.
    """
    structure = _STRING.sub(b'""', raw)
    if structure.count(b",") + structure.count(b"[") + structure.count(b"{") >= limits.MAX_JSON_ITEMS:
        raise UnsafeModelError(f"{what} is not valid: more than {limits.MAX_JSON_ITEMS} values.")
    steps = np.frombuffer(structure, dtype=np.uint8)
    steps = _DEPTH_STEP[steps]
    if steps.size and int(np.cumsum(steps, dtype=np.int64).max(initial=0)) > limits.MAX_JSON_DEPTH:
        raise UnsafeModelError(f"{what} is not valid: nested deeper than {limits.MAX_JSON_DEPTH} levels.")


_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_DEPTH_STEP = np.zeros(256, dtype=np.int8)
_DEPTH_STEP[[ord("["), ord("{")]] = 1
_DEPTH_STEP[[ord("]"), ord("}")]] = -1


def loads(data: bytes | bytearray | memoryview, what: str, max_bytes: int = limits.MAX_JSON_BYTES) -> Any:
    """Parses UTF-8 JSON from an untrusted file.

    Args:
        data: the raw bytes.
        what: the member's name, for messages.
        max_bytes: the largest document accepted.

    Raises:
        UnsafeModelError: for anything that is not bounded, valid JSON.
    """
    if len(data) > max_bytes:
        raise UnsafeModelError(f"{what} is {len(data)} bytes; the limit is {max_bytes}.")
    raw = bytes(data)
    check_structure(raw, what)
    if _LONG_NUMBER.search(raw):
        raise UnsafeModelError(f"{what} is not valid: an integer longer than {limits.MAX_INT_DIGITS} digits.")
    try:
        text = raw.decode("utf-8")
        value = json.loads(text, object_pairs_hook=_no_duplicates)
    except UnsafeModelError as error:
        raise UnsafeModelError(f"{what} is not valid: {error}.") from None
    except RecursionError:
        raise UnsafeModelError(f"{what} is not valid: nested too deeply.") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise UnsafeModelError(f"{what} is not valid JSON: {str(error)[:200]}.") from None
    return value


def dumps(value: Any) -> bytes:
    """Serializes plain data to compact, key-order-preserving UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
