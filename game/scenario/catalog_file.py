"""`--catalog FILE`: try a scenario under another technique catalog without editing one.

FILE has the shape of `game/engine/techniques.yaml`; whatever it gives replaces the bundled
value at the same place, key by key (a copy of the whole file works, and so does a file of
three lines that changes one number). It can change values, not invent keys: an unknown
key, a value of the wrong type or a number out of range is reported at its line and column
with the loader's codes, and nothing runs.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import yaml

from game.engine.catalog import Catalog, build_catalog, bundled_texts
from game.scenario.problems import Position, ProblemSink
from game.scenario.source import YMap, YNode, YScalar, YSeq, decode, parse_text, read_bytes

# Numbers with a meaning an engine rule depends on: (lowest, highest), either end open.
_RANGES: dict[str, tuple[float | None, float | None]] = {
    "quality": (-1.0, 1.0),
    "reading_wpm": (1.0, None),
    "floor": (0.0, 100.0),
    "threat_floor": (0.0, 100.0),
    "rate": (0.0, None),
    "grace": (0.0, None),
    "cap": (0.0, None),
    "give_up": (0.0, None),
    "nudge_after": (0.0, None),
    "relax_rate": (0.0, 1.0),
    "diminish": (0.0, None),
}
_DEAD_AIR = {"grace": 0.0, "rate": 0.0, "nudge_after": 0.0, "cap": 0.0, "give_up": 0.0}
_RATINGS = ("good", "partial", "bad")


def catalog_from_file(path: Path) -> Catalog:
    """The bundled catalog with FILE's values laid over it; ScenarioError if FILE is wrong."""
    sink = ProblemSink(str(path))
    data = read_bytes(path, sink)
    text = None if data is None else decode(data, sink)
    root = None if text is None else parse_text(text, sink)
    sink.raise_if_any()
    guides_text, techniques_text = bundled_texts()
    base = yaml.safe_load(techniques_text)
    assert root is not None  # an empty file is a problem the sink reported (SC007)
    merged = _overlay(root, base, (), sink)
    if isinstance(merged, dict):
        _check_names(root, merged, sink)
    sink.raise_if_any()
    assert text is not None
    return _built(guides_text, techniques_text, merged, text)


def _built(guides_text: str, techniques_text: str, data: Any, overlay: str) -> Catalog:
    digest = hashlib.sha256(
        (guides_text + "\0" + techniques_text + ("\0" + overlay if overlay else "")).encode()
    ).hexdigest()
    return build_catalog(yaml.safe_load(guides_text), data, digest)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _overlay(node: YNode, base: Any, where: tuple[str, ...], sink: ProblemSink) -> Any:
    """`base` with `node`'s values laid over it; problems go to `sink`."""
    name = ".".join(where) or "the catalog file"
    if base is None and where[-1:] == ("dead_air",):
        if isinstance(node, YScalar) and node.value is None:
            return None
        base = _DEAD_AIR
    if isinstance(base, dict):
        if not isinstance(node, YMap):
            sink.add(node.pos, "SC008", f"`{name}` must be a mapping")
            return base
        merged = dict(base)
        known = _known_keys(base, where)
        for key, key_pos, child in node.items:
            if key not in known:
                sink.unknown(key_pos, "SC006", "key", key, known, f"in `{name}`")
                continue
            merged[key] = _overlay(child, base.get(key, 1.0), (*where, key), sink)
        return merged
    if isinstance(base, list):
        if not isinstance(node, YSeq) or not all(
            isinstance(item, YScalar) and isinstance(item.value, str) for item in node.items
        ):
            sink.add(node.pos, "SC008", f"`{name}` must be a list of principle ids")
            return base
        return [item.value for item in node.items if isinstance(item, YScalar)]
    if not isinstance(node, YScalar):
        sink.add(node.pos, "SC008", f"`{name}` must be a single value, not a list or mapping")
        return base
    value = node.value
    if _is_number(base):
        if not _is_number(value) or not math.isfinite(float(value)):  # type: ignore[arg-type]
            sink.add(node.pos, "SC008", f"`{name}` must be a number, not {value!r}")
            return base
        low, high = _RANGES.get(where[-1], (None, None))
        number = float(value)  # type: ignore[arg-type]
        if (low is not None and number < low) or (high is not None and number > high):
            span = f"{'…' if low is None else low} to {'…' if high is None else high}"
            sink.add(node.pos, "SC014", f"`{name}` is {value}; it must be from {span}")
            return base
        return value
    if isinstance(base, bool) and not isinstance(value, bool):
        sink.add(node.pos, "SC008", f"`{name}` must be true or false, not {value!r}")
        return base
    if isinstance(base, str) and (not isinstance(value, str) or not value.strip()):
        sink.add(node.pos, "SC008", f"`{name}` must be text, not {value!r}")
        return base
    return value


def _known_keys(base: dict[str, Any], where: tuple[str, ...]) -> tuple[str, ...]:
    """The keys a mapping may have: its own, or any technique id in a multiplier row."""
    if len(where) == 2 and where[0] == "persona_multipliers":
        return tuple(_TECHNIQUE_IDS)
    return tuple(base)


_TECHNIQUE_IDS: list[str] = list(yaml.safe_load(bundled_texts()[1])["techniques"])


def _check_names(root: YNode, data: dict[str, Any], sink: ProblemSink) -> None:
    """Values that name something must name something that exists."""

    def at(*keys: str) -> Position:
        node: YNode | None = root
        pos = root.pos
        for key in keys:
            if not isinstance(node, YMap) or node.get(key) is None:
                return pos
            pos, node = node.key_pos(key), node.get(key)
        return node.pos if node is not None else pos

    if data["model"]["debt_rating"] not in _RATINGS:
        sink.unknown(
            at("model", "debt_rating"), "SC028", "rating", data["model"]["debt_rating"], _RATINGS
        )
    for eid, ending in data["endings"].items():
        if ending["rating"] not in _RATINGS:
            sink.unknown(
                at("endings", eid, "rating"), "SC028", "rating", ending["rating"], _RATINGS
            )
    for tid, technique in data["techniques"].items():
        if technique["kind"] not in ("helpful", "harmful"):
            sink.add(at("techniques", tid, "kind"), "SC008", "`kind` must be helpful or harmful")
        if technique["competency"] not in data["competencies"]:
            sink.unknown(
                at("techniques", tid, "competency"),
                "SC006",
                "competency",
                technique["competency"],
                data["competencies"],
            )
