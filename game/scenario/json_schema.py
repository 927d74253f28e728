"""JSON Schemas of the scenario and campaign formats, for editors and external tools.

`scenarios/schema.json` and `scenarios/campaign.schema.json` are these, checked in; a test
keeps them current. The loader remains the authority: it also checks what a schema can't
(unknown node targets, reachability, ...).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from game.engine.catalog import Catalog
from game.scenario.loader import (
    CONDITION_KEYS,
    LINE_FACTS,
    MAX_SEEDED_FLAGS,
    MAX_WORDINGS,
    SCENARIO_KEYS_REQUIRED,
)
from game.scenario.model import (
    LANGUAGES,
    AbusivePolicy,
    Channel,
    EndingKind,
    Rating,
    SupervisorPolicy,
    Tone,
    Verdict,
)
from game.scenario.reader import KEBAB_ID, SNAKE_ID
from game.scenario.vocabulary import vocabulary

LANGUAGE_NAMES = {  # the name, and "thank you" as the example an editor shows
    "en": ("English", "Thank you."),
    "fil": ("Filipino", "Salamat po."),
    "fi": ("Finnish", "Kiitos."),
    "tr": ("Turkish", "Teşekkür ederim."),
    "vi": ("Vietnamese", "Cảm ơn anh."),
}

DRAFT = "http://json-schema.org/draft-07/schema#"


def _field(schema: dict[str, Any], description: str, *examples: Any) -> dict[str, Any]:
    """A field with the hover text and examples an editor shows (every field has both)."""
    return {"description": description, "examples": list(examples), **schema}


def _node_id(description: str, node_ids: Sequence[str] | None, *examples: str) -> dict[str, Any]:
    """A node id: any snake_case name, or (`schema --for FILE`) one of that file's nodes."""
    if node_ids:
        return _field({"enum": list(node_ids)}, description, *(node_ids[:2] or examples))
    return _field({"type": "string", "pattern": SNAKE_ID.pattern}, description, *examples)


def _text(description: str, *examples: str) -> dict[str, Any]:
    return {
        "description": description
        + " Plain text, or a mapping of language code to text (English required).",
        "examples": list(examples),
        "oneOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "required": ["en"],
                "additionalProperties": False,
                "properties": {
                    code: {
                        "type": "string",
                        "minLength": 1,
                        "description": f"The text in {LANGUAGE_NAMES[code][0]}.",
                        "examples": [LANGUAGE_NAMES[code][1]],
                    }
                    for code in LANGUAGES
                },
            },
        ],
    }


def _range(low: int, high: int, description: str) -> dict[str, Any]:
    number = {"type": "integer", "minimum": low, "maximum": high}
    return {
        "description": description
        + " A number, or [lowest, highest]: each attempt picks one in the range by its seed.",
        "oneOf": [number, {"type": "array", "minItems": 2, "maxItems": 2, "items": number}],
    }


def _policy() -> dict[str, Any]:
    return {
        "description": "Company policy for this call; overrides the campaign's.",
        "examples": [{"abusive_caller": "warn_then_end", "supervisor_request": "honor"}],
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "abusive_caller": _field(
                {"enum": [p.value for p in AbusivePolicy]},
                "warn_then_end: an abusive call may be ended after a warning. "
                "transfer_to_escalations: never hang up; transfer to the escalations team.",
                "warn_then_end",
            ),
            "supervisor_request": _field(
                {"enum": [p.value for p in SupervisorPolicy]},
                "honor: fetch a supervisor when asked. help_first: one honest attempt to "
                "help first.",
                "help_first",
            ),
        },
    }


def scenario_schema(catalog: Catalog, node_ids: Sequence[str] | None = None) -> dict[str, Any]:
    """The scenario format. With `node_ids` (`hold-the-line schema --for FILE`), `start`,
    `next` and `goto` offer exactly that file's nodes: a generic schema cannot know them."""
    aliases = vocabulary().technique_aliases
    technique = {
        "anyOf": [
            {
                "const": t.id,
                "description": f"{t.label} ({'helpful' if t.helpful else 'harmful'}; "
                f"{catalog.competencies[t.competency]}; {', '.join(t.principles)})",
            }
            for t in catalog.techniques.values()
        ]
        + [
            {"const": alias, "description": f"British spelling of `{tid}`: the same technique."}
            for alias, tid in aliases.items()
        ]
    }
    tag = {"anyOf": [{"const": tid, "description": text} for tid, text in catalog.tags.items()]}
    flag = _field(
        {"type": "string", "pattern": SNAKE_ID.pattern},
        "A flag: a snake_case name for something that happened in this call.",
        "made_excuse",
        "got_order_number",
    )
    condition = {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "description": "Every key given must hold. Tested after the choice's effects, flags "
        "and turn count.",
        "examples": [{"anger_at_least": 80}, {"flag": "made_excuse", "turn_at_least": 3}],
        "properties": {
            "anger_at_least": _field(
                {"type": "integer", "minimum": 0, "maximum": 100},
                "Holds when anger, after this reply, is this much or more.",
                80,
            ),
            "anger_below": _field(
                {"type": "integer", "minimum": 0, "maximum": 100},
                "Holds when anger, after this reply, is less than this.",
                40,
            ),
            "flag": {**flag, "description": "Holds when this flag has been set (`set:`)."},
            "not_flag": {**flag, "description": "Holds when this flag has not been set."},
            "turn_at_least": _field(
                {"type": "integer", "minimum": 1},
                "Holds from this turn on (this reply counts).",
                4,
            ),
        },
    }
    assert set(condition["properties"]) == set(CONDITION_KEYS)  # type: ignore[call-overload]
    fact = {
        "examples": ["acknowledged", "still_venting"],
        "enum": list(LINE_FACTS),
        "description": "A conversation fact, as the debrief shows it: still_venting or vented, "
        "acknowledged (recapped or the feeling acknowledged) or not_acknowledged, asked_for_fix, "
        "promise_standing, resolved (a Resolve move has landed) or unresolved.",
    }
    line_condition = {
        **condition,
        "examples": [{"fact": "acknowledged"}, {"anger_below": 50, "not_fact": "unresolved"}],
        "description": "Every key given must hold, as the line is said: the anger as it "
        "stands, the flags, the turns so far and the conversation facts.",
        "properties": {**condition["properties"], "fact": fact, "not_fact": fact},  # type: ignore[dict-item]
    }
    line_variant = {
        "type": "object",
        "required": ["text"],
        "additionalProperties": False,
        "properties": {
            "text": _text("What the customer says when this variant fits.", "Yes. Exactly that."),
            "when": line_condition,
            "tone": {
                "examples": ["warm", "confirms"],
                "enum": [t.value for t in Tone],
                "description": "warm: grateful or friendly (lint LN018 warns if it can be said "
                "at anger 50 or more). confirms: agrees with a recap, 'Yes. Exactly.' (lint "
                "LN019 warns if it can be said before any recap or acknowledgement).",
            },
        },
    }
    customer_line = {
        "description": "What the customer says at this moment: one text, or variants that fit "
        "the moment (first match wins; the last has no `when`).",
        "oneOf": [
            _text("The customer's line.", "Finally, a human! My order was due two days ago."),
            {"type": "array", "minItems": 1, "items": line_variant},
        ],
    }
    branch = {
        "type": "object",
        "required": ["goto"],
        "additionalProperties": False,
        "description": "One branch: where to go, and when (the last branch has no `when`).",
        "examples": [{"when": {"anger_at_least": 80}, "goto": "blows_up"}, {"goto": "grumbles"}],
        "properties": {
            "when": condition,
            "goto": _node_id("The node this branch leads to.", node_ids, "blows_up"),
        },
    }
    choice = {
        "type": "object",
        "required": ["say", "technique", "next"],
        "additionalProperties": False,
        "description": "One reply the trainee can give.",
        "examples": [
            {"say": "Mm-hm. I'm listening.", "technique": "listen", "expect": "good",
             "next": "vents_more"}
        ],
        "properties": {
            "say": _field(
                {
                    "oneOf": [
                        _text("What the trainee says.", "Mm-hm. I'm listening. Please, go on."),
                        {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": MAX_WORDINGS,
                            "items": _text("One wording.", "I'm listening. Go on."),
                        },
                    ]
                },
                "What the trainee says: one text, or 2 to "
                f"{MAX_WORDINGS} wordings of the same reply (each attempt shows one, by its seed).",
                "Mm-hm. I'm listening. Please, go on.",
                ["I'm listening. Go on.", "Mm-hm. Take your time, I'm here."],
            ),
            "technique": _field(
                {
                    "oneOf": [
                        technique,
                        {"type": "array", "minItems": 1, "uniqueItems": True, "items": technique},
                    ]
                },
                "One technique from the catalog (docs/techniques.md), or a list of them. "
                "A turn is as good as its best technique unless one breaks a guide.",
                "listen",
                ["apologize", "use_name"],
            ),
            "next": _field(
                {
                    "oneOf": [
                        _node_id("The node that follows.", node_ids, "vents_more"),
                        {"type": "array", "minItems": 1, "items": branch},
                    ]
                },
                "The node that follows, or conditional branches (first match wins; the last "
                "has no `when`).",
                "vents_more",
                [{"when": {"anger_at_least": 80}, "goto": "blows_up"}, {"goto": "grumbles"}],
            ),
            "set": _field(
                {"oneOf": [flag, {"type": "array", "items": flag}]},
                "Flags to set; `when: {flag: ...}` can test them.",
                ["made_excuse"],
            ),
            "feedback": _text(
                "Replaces the engine's explanation of this turn in the debrief. Cite the "
                "guide (G-...).",
                "Blaming the warehouse is passing the buck (G-APOLOGY-1).",
            ),
            "expect": _field(
                {"enum": [v.value for v in Verdict]},
                "The verdict you mean this reply to get. `lint` plays every path and reports "
                "each one where the engine judges it otherwise (LN014).",
                "good",
                "bad",
            ),
        },
    }  # fmt: skip
    node = {
        "type": "object",
        "required": ["customer"],
        "additionalProperties": False,
        "description": "One moment: what the customer says, then the trainee's choices, or "
        "the end of the call.",
        "examples": [{"customer": "Alright. Thanks for listening.", "end": "resolved"}],
        "properties": {
            "customer": {
                **customer_line,
                "examples": [
                    "Finally, a human! My order was due two days ago.",
                    [
                        {
                            "text": "Yes. Exactly that.",
                            "when": {"fact": "acknowledged"},
                            "tone": "confirms",
                        },
                        {"text": "That's not what I said. Listen to me."},
                    ],
                ],
            },
            "tags": _field(
                {"oneOf": [tag, {"type": "array", "uniqueItems": True, "items": tag}]},
                "Facts about this moment that change how techniques land.",
                ["lookup"],
                ["abusive"],
            ),
            "choices": _field(
                {"type": "array", "minItems": 1, "items": choice},
                "The replies the trainee can give (2–4 teach best); shown shuffled, numbered "
                "in the order written for plans and --choices.",
                [{"say": "I'm listening.", "technique": "listen", "next": "vents_more"}],
            ),
            "end": _field(
                {"enum": [e.value for e in EndingKind]},
                "This node ends the conversation, in this kind of ending.",
                "resolved",
                "customer_left",
            ),
            "flare": _field(
                {"type": "integer", "minimum": 1, "maximum": 60},
                "The customer flares up on reaching this moment (not the trainee's doing): "
                "anger rises by this much.",
                10,
            ),
            "rating": _field(
                {"enum": [r.value for r in Rating]},
                "How good this ending is; by default it follows the ending kind and the "
                "choice that led here.",
                "partial",
            ),
        },
        "oneOf": [
            {"required": ["choices"], "not": {"required": ["end"]}},
            {"required": ["end"], "not": {"required": ["choices"]}},
        ],
    }
    return {
        "$schema": DRAFT,
        "$id": "https://hold-the-line.example/schema/scenario-1.json",
        "title": "Hold the Line scenario (format 1)",
        "type": "object",
        "required": list(SCENARIO_KEYS_REQUIRED),
        "additionalProperties": False,
        "properties": {
            "format": _field({"const": 1}, "The version of this format: 1.", 1),
            "id": _field(
                {"type": "string", "pattern": KEBAB_ID.pattern},
                "kebab-case, unique in the campaign; records keep it, so keep it once played.",
                "late-delivery",
            ),
            "title": _text("The level's title.", "The Late Delivery"),
            "summary": _text(
                "One or two sentences shown on the level card.",
                "An important delivery is two days late and Mr. Smith is furious.",
            ),
            "channel": _field(
                {"enum": [c.value for c in Channel]},
                "Sets the dead-air rule: phone and in_person are strict, chat lenient, "
                "email has no timer.",
                "phone",
            ),
            "difficulty": _field(
                {"type": "integer", "minimum": 1, "maximum": 5},
                "1 (first week) to 5 (hardest calls).",
                1,
            ),
            "customer": _field(
                {
                    "type": "object",
                    "required": ["name", "persona", "anger"],
                    "additionalProperties": False,
                    "properties": {
                        "name": _text("The customer's name.", "Mr. Smith"),
                        "persona": _field(
                            {
                                "anyOf": [
                                    {"const": p.id, "description": p.handling}
                                    for p in catalog.personas.values()
                                ]
                            },
                            "What kind of difficult customer: sets how strongly each "
                            "technique moves their anger.",
                            "angry",
                        ),
                        "anger": {
                            **_range(0, 100, "Anger at the start of the call, 0..100."),
                            "examples": [65, [55, 70]],
                        },
                        "vent": {
                            **_range(0, 10, "Turns of listening they need before solutions land."),
                            "examples": [2, [1, 3]],
                        },
                        "unresolved_floor": _field(
                            {"type": "integer", "minimum": 0, "maximum": 100},
                            "Anger stays at or above this while the grievance is unresolved "
                            "(no Resolve move has landed yet). Default 25 (the Annoyed band); 0 "
                            "for indecisive and talkative customers. 0 turns it off.",
                            25,
                            0,
                        ),
                    },
                },
                "Who calls.",
                {"name": "Mr. Smith", "persona": "angry", "anger": 65, "vent": 2},
            ),
            "policy": _policy(),
            "seeded_flags": _field(
                {
                    "type": "object",
                    "maxProperties": MAX_SEEDED_FLAGS,
                    "patternProperties": {
                        SNAKE_ID.pattern: _field(
                            {"type": "integer", "minimum": 1, "maximum": 99},
                            "The percent chance that an attempt starts with this flag set.",
                            30,
                        )
                    },
                    "additionalProperties": False,
                },
                "Story flags each attempt sets at the start by its seed, with the percent "
                "chance of each; `when: {flag: ...}` branches on them.",
                {"parcel_found": 30},
            ),
            "start": _node_id("The node the call starts at.", node_ids, "opening"),
            "nodes": _field(
                {
                    "type": "object",
                    "minProperties": 1,
                    "patternProperties": {SNAKE_ID.pattern: node},
                    "additionalProperties": False,
                },
                "Every moment of the conversation, by snake_case id.",
                {"opening": {"customer": "Finally, a human!", "choices": []}},
            ),
        },
    }


def campaign_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "$id": "https://hold-the-line.example/schema/campaign-1.json",
        "title": "Hold the Line campaign (format 1)",
        "type": "object",
        "required": ["format", "title", "levels"],
        "additionalProperties": False,
        "properties": {
            "format": _field({"const": 1}, "The version of this format: 1.", 1),
            "title": _field(
                {"type": "string", "minLength": 1}, "The campaign's title.", "Onboarding"
            ),
            "policy": _policy(),
            "levels": {
                "description": "The levels in order; each unlocks when the one before is passed.",
                "examples": [[{"scenario": "late-delivery.yaml", "pass": 70}]],
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["scenario"],
                    "additionalProperties": False,
                    "properties": {
                        "scenario": _field(
                            {"type": "string"},
                            "Scenario file, relative to this one (in this folder).",
                            "late-delivery.yaml",
                        ),
                        "pass": _field(
                            {"type": "integer", "minimum": 0, "maximum": 100},
                            "Pass score (default 70).",
                            70,
                        ),
                    },
                },
            },
        },
    }


def node_ids_of(path: Path) -> tuple[str, ...]:
    """The node ids a scenario file declares, read as far as the file allows (a file being
    written is often broken; its ids are still what the author wants offered)."""
    from game.scenario.problems import ProblemSink
    from game.scenario.source import YMap, decode, parse_text, read_bytes

    sink = ProblemSink(str(path))
    data = read_bytes(path, sink)
    text = None if data is None else decode(data, sink)
    root = None if text is None else parse_text(text, sink)
    nodes = root.get("nodes") if isinstance(root, YMap) else None
    if not isinstance(nodes, YMap):
        return ()
    return tuple(key for key in nodes.keys if SNAKE_ID.fullmatch(key))


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
