"""Remembering what the i18n layer computed, by what it was computed from.

A command, a game start or a test run meets the same PO files, sources and scenarios again
and again (every `--lang` check reads every PO file; a report reads a level's translations
for each attempt). Each result here is keyed on its inputs' content (a file's bytes by their
SHA-256, a value by its identity while it is held), so an edited file is always read again;
results are immutable and each memo is bounded (least recently used goes first).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A bounded map from a key to the value computed for it (least recently used evicted)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._values: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value for `key`, made (and kept) the first time it is asked for."""
        try:
            value = self._values[key]
        except KeyError:
            value = make()
            self._values[key] = value
            if len(self._values) > self._limit:
                self._values.popitem(last=False)
            return value
        self._values.move_to_end(key)
        return value

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


class IdentityMemo(Generic[K, V]):
    """Values computed from an immutable object too large to hash cheaply (a scenario, a
    catalog), keyed on its identity: the object is held with its value, so its id is not
    reused while the entry lives."""

    def __init__(self, limit: int) -> None:
        self._values: Memo[tuple[int, K], tuple[object, V]] = Memo(limit)

    def get(self, owner: object, key: K, make: Callable[[], V]) -> V:
        held, value = self._values.get((id(owner), key), lambda: (owner, make()))
        assert held is owner  # the entry holds `owner`, so its id cannot have been reused
        return value


def read(path: Path) -> bytes | None:
    """A file's bytes; None when there is no such file."""
    if not path.is_file():
        return None
    return path.read_bytes()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
