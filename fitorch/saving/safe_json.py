"""JSON parsing with bounds: size, nesting depth, item count, integer length, no duplicate keys.

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


def check_bounds(value: Any, what: str) -> None:
    """Raises ``UnsafeModelError`` if ``value`` nests deeper or holds more items than allowed."""
    stack = [(value, 1)]
    items = 0
    while stack:
        node, depth = stack.pop()
        items += 1
        if items > limits.MAX_JSON_ITEMS:
            raise UnsafeModelError(f"{what} is not valid: more than {limits.MAX_JSON_ITEMS} values.")
        if isinstance(node, (list, dict)):
            if depth > limits.MAX_JSON_DEPTH:
                raise UnsafeModelError(f"{what} is not valid: nested deeper than {limits.MAX_JSON_DEPTH} levels.")
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


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
    # Counted before parsing, in C: every value after the first in a list or object follows a comma.
    if raw.count(b",") >= limits.MAX_JSON_ITEMS:
        raise UnsafeModelError(f"{what} is not valid: more than {limits.MAX_JSON_ITEMS} values.")
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
    check_bounds(value, what)
    return value


def dumps(value: Any) -> bytes:
    """Serializes plain data to compact, key-order-preserving UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
