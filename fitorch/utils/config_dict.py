"""``Config``: Keras' dict of named values with attribute access, JSON export and freezing.

Example:
    >>> config = Config(learning_rate=0.1)
    >>> config.seed = 123
    >>> config["momentum"] = 0.9
    >>> config.learning_rate, config.seed, sorted(config)
    (0.1, 123, ['learning_rate', 'momentum', 'seed'])
    >>> config.freeze()
    >>> try:
    ...     config.seed = 1
    ... except ValueError as e:
    ...     print(e)
    Config: cannot set 'seed' because the config is frozen; call unfreeze() first.
"""

from __future__ import annotations

import copy
import json
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from typing import Any

from fitorch.utils.registry import close_matches


class Config:
    """A dict-like container for named values (Keras' ``keras.utils.Config``).

    Values are read and set as attributes or items; ``freeze()`` makes every later change
    an error, which guards a configuration against accidental edits past a point in a program.

    Args:
        **kwargs: the initial values.

    Example:
        >>> config = Config(optimizer="adam")
        >>> config.as_dict(), config.to_json()
        ({'optimizer': 'adam'}, '{"optimizer": "adam"}')
    """

    __attrs__: set[str] | None = None

    def __init__(self, **kwargs: Any) -> None:
        self._config = kwargs
        self._frozen = False
        self.__attrs__ = set(dir(self))

    @property
    def frozen(self) -> bool:
        """True once ``freeze()`` was called (and ``unfreeze()`` was not)."""
        return self._frozen

    def freeze(self) -> None:
        """Makes every later change (set, update, pop, delete) raise ``ValueError``."""
        self._frozen = True

    def unfreeze(self) -> None:
        """Allows changes again."""
        self._frozen = False

    def _raise_if_frozen(self, what: str) -> None:
        if self._frozen:
            raise ValueError(f"Config: cannot {what} because the config is frozen; call unfreeze() first.")

    def as_dict(self) -> dict[str, Any]:
        """A shallow copy of the values as a plain dict."""
        return copy.copy(self._config)

    def to_json(self) -> str:
        """The values as a JSON string."""
        return json.dumps(self._config)

    def keys(self) -> KeysView[str]:
        return self._config.keys()

    def values(self) -> ValuesView[Any]:
        return self._config.values()

    def items(self) -> ItemsView[str, Any]:
        return self._config.items()

    def pop(self, *args: Any) -> Any:
        self._raise_if_frozen(f"pop {args[0]!r}" if args else "pop")
        return self._config.pop(*args)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._raise_if_frozen("update it")
        self._config.update(*args, **kwargs)

    def get(self, keyname: str, value: Any = None) -> Any:
        return self._config.get(keyname, value)

    def __setattr__(self, name: str, value: Any) -> None:
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            object.__setattr__(self, name, value)
            return
        self._raise_if_frozen(f"set {name!r}")
        self._config[name] = value

    def __getattr__(self, name: str) -> Any:
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            return object.__getattribute__(self, name)
        config = object.__getattribute__(self, "_config")
        if name in config:
            return config[name]
        close = close_matches(name, config, cutoff=0.7)[:1]
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise AttributeError(f"Unknown attribute: '{name}'.{hint}")

    def __setitem__(self, key: str, item: Any) -> None:
        self._raise_if_frozen(f"set {key!r}")
        self._config[key] = item

    def __getitem__(self, key: str) -> Any:
        return self._config[key]

    def __delitem__(self, key: str) -> None:
        self._raise_if_frozen(f"delete {key!r}")
        del self._config[key]

    def __contains__(self, item: Any) -> bool:
        return item in self._config

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._config))

    def __len__(self) -> int:
        return len(self._config)

    def __repr__(self) -> str:
        return f"<Config {self._config}>"
