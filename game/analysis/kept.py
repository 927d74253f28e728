"""A bounded store of analysis results, by what decides them.

Authoring commands and the tests meet the same level several times (lint, the curriculum,
the practice drills), and exploring it can take a second: it is explored once. Keys hold the
content that decides a result (the scenario itself, the policy in force, the catalog's
content hash, the bounds), never a file name or a time, so an edited file is explored again;
values are immutable, so sharing them is safe; the least recently used goes first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._items: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable | None, make: Callable[[], V]) -> V:
        """The result kept for `key`, else `make()`'s (then kept; None: not kept, when
        nothing identifies the content, as for a catalog without a content hash)."""
        if key is None:
            return make()
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            return found
        made = make()
        self._items[key] = made
        if len(self._items) > self._limit:
            self._items.popitem(last=False)
        return made
