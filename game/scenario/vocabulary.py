"""The names a scenario may use from the technique catalog, read without building the catalog.

Checking a scenario needs only the ids of the techniques and of the moment tags. The full
catalog (`game.engine.catalog`) also builds the numpy tables of the mood model, which costs
an import of numpy and more time than checking every shipped scenario; `validate` does not
need them. Both read the same file, `game/engine/techniques.yaml`, so they cannot disagree
(a test holds them equal).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

try:
    _SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _SafeLoader = yaml.SafeLoader


@dataclass(frozen=True, slots=True)
class Vocabulary:
    techniques: frozenset[str]
    tags: frozenset[str]
    # British spellings a scenario may write for a technique id (`apologise` → `apologize`).
    # The id keeps one spelling, the one every record, export and statement already uses;
    # the labels trainees read are British ("Apologise"), and authors write either.
    technique_aliases: Mapping[str, str] = field(default_factory=dict)


def british_aliases(ids: frozenset[str]) -> dict[str, str]:
    """`-ise` spellings of the `-ize` ids: the one spelling difference among them."""
    return {t.replace("ize", "ise"): t for t in sorted(ids) if "ize" in t}


@functools.cache
def vocabulary() -> Vocabulary:
    """Technique and tag ids of this installation; cached: they never change at run time."""
    # The file beside game/engine's modules (a checkout, or an installed wheel: package data
    # is on disk either way); importlib.resources would cost more to import than the read.
    path = Path(__file__).resolve().parent.parent / "engine" / "techniques.yaml"
    data = yaml.load(path.read_bytes(), Loader=_SafeLoader)
    techniques = frozenset(data["techniques"])
    return Vocabulary(
        techniques, frozenset(data["tags"]), MappingProxyType(british_aliases(techniques))
    )
