"""The names a scenario may use from the technique catalog, read without building the catalog.

Checking a scenario needs only the ids of the techniques and of the moment tags. The full
catalog (`game.engine.catalog`) also builds the numpy tables of the mood model, which costs
an import of numpy and more time than checking every shipped scenario; `validate` does not
need them. Both read the same file, `game/engine/techniques.yaml`, so they cannot disagree
(a test holds them equal).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

try:
    _SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _SafeLoader = yaml.SafeLoader


@dataclass(frozen=True, slots=True)
class Vocabulary:
    techniques: frozenset[str]
    tags: frozenset[str]


@functools.cache
def vocabulary() -> Vocabulary:
    """Technique and tag ids of this installation; cached: they never change at run time."""
    # The file beside game/engine's modules (a checkout, or an installed wheel: package data
    # is on disk either way); importlib.resources would cost more to import than the read.
    path = Path(__file__).resolve().parent.parent / "engine" / "techniques.yaml"
    data = yaml.load(path.read_bytes(), Loader=_SafeLoader)
    return Vocabulary(frozenset(data["techniques"]), frozenset(data["tags"]))
