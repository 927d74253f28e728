"""Translation units: every piece of text a player or supervisor reads, with a stable id.

A unit's `context` is its stable id (the PO `msgctxt`): it names where the text lives in
the model, not what it says, so it survives rewording and reordering. `notes` tell the
translator who says it, to whom, in what mood and on which channel.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from types import MappingProxyType
from typing import Any

from game.engine.bands import BANDS
from game.engine.catalog import Catalog
from game.engine.effects import SIDE_EFFECTS
from game.engine.lines import BUILTIN_LINES, FACT_LABELS, NUDGE_LINES
from game.engine.state import BLOWUP_LINE, DEAD_AIR_LINE, TURN_LIMIT_LINE
from game.i18n.unit import Unit
from game.scenario.model import Choice, Node, Scenario, Text
from game.scenario.problems import Position

__all__ = ["Unit", "catalog_units", "map_texts", "scenario_units", "walk_texts"]


def _key(value: Any, index: int) -> str:
    """How a repeated item is named in an id: by its own id or number, else its position."""
    ident = getattr(value, "id", None)
    if isinstance(ident, str):
        return ident
    number = getattr(value, "number", None)
    if isinstance(number, int):
        return str(number)
    return str(index + 1)


# A dataclass type -> the names of its fields that can hold text, in order (None: not a
# dataclass). Types are few and fixed, so this never grows past the model's classes.
_TEXT_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _text_fields(kind: type) -> tuple[str, ...] | None:
    try:
        return _TEXT_FIELDS[kind]
    except KeyError:
        names = (
            tuple(
                f.name
                for f in dataclasses.fields(kind)
                if f.name not in ("index", "pos") and f.compare
            )
            if dataclasses.is_dataclass(kind)
            else None
        )
        _TEXT_FIELDS[kind] = names
        return names


def walk_texts(value: Any, path: str = "") -> Iterator[tuple[str, Text, Any]]:
    """Every `Text` inside a model value, with its dotted path and the nearest owner.

    Generic over the model's frozen dataclasses, so a field added to the format (a second
    wording, a variant line) is found without changing this walker.
    """
    found: list[tuple[str, Text, Any]] = []
    _walk(value, path, None, found)
    return iter(found)


def _walk(value: Any, path: str, owner: Any, found: list[tuple[str, Text, Any]]) -> None:
    if isinstance(value, Text):
        found.append((path, value, owner))
        return
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{_key(item, index)}]", owner, found)
        return
    names = _text_fields(type(value))
    if names is not None:
        for name in names:
            _walk(getattr(value, name), f"{path}.{name}" if path else name, value, found)


def map_texts(value: Any, change: Callable[[str, Text], Text], path: str = "") -> Any:
    """`value` with every `Text` replaced by `change(path, text)`; paths as `walk_texts` names
    them (one rule for both). Values with nothing changed are returned as they were."""
    if isinstance(value, Text):
        return change(path, value)
    if isinstance(value, tuple):
        if not value:
            return value
        items = tuple(
            map_texts(item, change, f"{path}[{_key(item, index)}]")
            for index, item in enumerate(value)
        )
        if any(new is not old for new, old in zip(items, value, strict=True)):
            return items
        return value
    names = _text_fields(type(value))
    if names is None:
        return value
    updates: dict[str, Any] = {}
    for name in names:
        child = getattr(value, name)
        new = map_texts(child, change, f"{path}.{name}" if path else name)
        if new is not child:
            updates[name] = new
    if not updates:
        return value
    if isinstance(value, Scenario):
        updates["index"] = MappingProxyType({})  # rebuilt from the new nodes
    return dataclasses.replace(value, **updates)


_CHANNEL = {"phone": "on the phone", "in_person": "face to face", "chat": "in a chat",
            "email": "by e-mail"}  # fmt: skip


_ENDS: dict[str, str] = {BLOWUP_LINE: "(the anger meter hit the top)",
         DEAD_AIR_LINE: "(the agent stayed silent too long)",
         TURN_LIMIT_LINE: "(too many turns without progress)"}  # fmt: skip


def _notes(scenario: Scenario, path: str, owner: Any, node: Node | None) -> tuple[str, ...]:
    who = scenario.customer.name.en
    persona = scenario.customer.persona.value
    where = _CHANNEL.get(scenario.channel.value, scenario.channel.value)
    field = path.rsplit(".", 1)[-1]
    if path in ("title", "summary"):
        return (f"The level's {field}, shown to the trainee in the level list ({where}).",)
    if path.startswith("customer."):
        return (
            f"The customer's name ({persona} customer, {where}); localise it if the story allows.",
        )
    mood = f"moment tags: {', '.join(sorted(node.tags))}" if node is not None and node.tags else ""
    if isinstance(owner, Node):
        notes = [f"{who} (the {persona} customer) says this to the agent {where}."]
    elif isinstance(owner, Choice) and field == "feedback":
        notes = ["Debrief feedback to the trainee about the reply above it; plain and kind."]
    elif isinstance(owner, Choice):
        article = "an" if persona[:1] in "aeiou" else "a"
        notes = [
            f"The agent (the trainee) says this to {who}, {article} {persona} customer, {where}."
        ]
        if node is not None:
            notes.append(f'Answering: "{node.customer.en}"')
    else:
        notes = [f"Text of level {scenario.id} ({where})."]
    if mood:
        notes.append(mood)
    return tuple(notes)


def _position(owner: Any, node: Node | None) -> Position | None:
    pos = getattr(owner, "pos", None)
    if isinstance(pos, Position):
        return pos
    return None if node is None else node.pos


def scenario_units(scenario: Scenario, path: str) -> tuple[Unit, ...]:
    """The translation units of one scenario; `path` is how the PO files name its file."""
    units = []
    nodes = {n.id: n for n in scenario.nodes}
    for text_path, text, owner in walk_texts(scenario):
        if not text.en.strip():
            continue
        node = None
        if text_path.startswith("nodes["):
            node = nodes.get(text_path[len("nodes[") : text_path.index("]")])
        pos = _position(owner, node)
        units.append(
            Unit(
                context=f"{scenario.id}:{text_path}",
                source=text.en,
                path=path,
                line=pos.line if pos is not None else 0,
                notes=_notes(scenario, text_path, owner, node),
            )
        )
    return tuple(units)


def catalog_units(catalog: Catalog) -> tuple[Unit, ...]:
    """The catalog's reader-facing text: principles, techniques and their verdicts, labels."""
    guides, techniques = "game/engine/guides.yaml", "game/engine/techniques.yaml"
    units: list[Unit] = []

    def add(context: str, source: str, path: str, note: str) -> None:
        if source.strip():
            units.append(Unit(context, source, path, 0, (note,)))

    for section, title in catalog.sections.items():
        add(f"section:{section}", title, guides, "A section heading of the guides (a few words).")
    for p in catalog.principles.values():
        add(f"principle:{p.id}:title", p.title, guides, f"Short name of principle {p.id}.")
        add(f"principle:{p.id}:rule", p.rule, guides, f"Principle {p.id}, in one or two sentences.")
    for t in catalog.techniques.values():
        add(f"technique:{t.id}:label", t.label, techniques, "A technique's name (a few words).")
        for case in t.cases:
            base = f"technique:{t.id}:{case.name}"
            add(f"{base}:short", case.short, techniques,
                "Floated beside the anger meter as the reply lands: at most 28 characters.")  # fmt: skip
            add(f"{base}:reason", case.reason, techniques,
                "The debrief's sentence on why this reply helped or hurt, to the trainee.")  # fmt: skip
    for persona in catalog.personas.values():
        add(f"persona:{persona.id}:label", persona.label, techniques, "A customer type (one word).")
        add(f"persona:{persona.id}:handling", persona.handling, techniques,
            "How to handle this type of customer, one line for the trainee.")  # fmt: skip
    for channel in catalog.channels.values():
        add(f"channel:{channel.id}:label", channel.label, techniques, "A contact channel.")
    for ending in catalog.endings.values():
        add(f"ending:{ending.id}:label", ending.label, techniques, "How a conversation ended.")
    for tag, meaning in catalog.tags.items():
        add(f"tag:{tag}", meaning, techniques, "What a moment tag means, for scenario authors.")
    for competency, label in catalog.competencies.items():
        add(f"competency:{competency}", label, techniques, "A competency in the debrief's bars.")
    for step, label in catalog.steps.items():
        add(
            f"step:{step}", label, techniques, "A step of Listen, Recap, Apologise, Resolve, Close."
        )
    for band in BANDS:
        add(f"band:{band.name}", band.name, "game/engine/bands.py",
            "A band of the customer's anger meter (one word, shown on the meter).")  # fmt: skip
    for (source, name), (short, reason) in SIDE_EFFECTS.items():
        base = f"effect:{source}:{name}"
        add(f"{base}:short", short, "game/engine/effects.py",
            "Floated beside the anger meter: what happened besides the reply (at most 28"
            " characters).")  # fmt: skip
        add(f"{base}:reason", reason, "game/engine/effects.py",
            "The debrief's sentence on what happened besides the reply, to the trainee.")  # fmt: skip
    session = "game/engine/lines.py"
    for fact, label in FACT_LABELS.items():
        add(f"fact:{fact}", label, session,
            "What was true in the conversation when the trainee replied, in the debrief's"
            ' "When you replied: …" line (lower case, joined with ·).')  # fmt: skip
    for node, line in BUILTIN_LINES.items():
        add(f"builtin:{node}", line, session,
            f"The customer's last words when a call ends by itself {_ENDS[node]}: any customer,"
            " any channel; angry, final.")  # fmt: skip
    for channel_id, line in NUDGE_LINES.items():
        where = _CHANNEL.get(channel_id, channel_id)
        add(f"nudge:{channel_id}", line, session,
            f"The customer, {where}, when the agent has been silent too long; impatient.")  # fmt: skip
    return tuple(units)
