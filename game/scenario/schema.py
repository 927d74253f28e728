"""JSON Schemas of the scenario and campaign formats, for editors and external tools.

`scenarios/schema.json` and `scenarios/campaign.schema.json` are these, checked in; a test
keeps them current. The loader remains the authority: it also checks what a schema can't
(unknown node targets, reachability, ...).
"""

from __future__ import annotations

import json
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

DRAFT = "http://json-schema.org/draft-07/schema#"


def _text(description: str) -> dict[str, Any]:
    return {
        "description": description
        + " Plain text, or a mapping of language code to text (English required).",
        "oneOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "required": ["en"],
                "additionalProperties": False,
                "properties": {code: {"type": "string", "minLength": 1} for code in LANGUAGES},
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
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "abusive_caller": {
                "enum": [p.value for p in AbusivePolicy],
                "description": "warn_then_end: an abusive call may be ended after a warning. "
                "transfer_to_escalations: never hang up; transfer to the escalations team.",
            },
            "supervisor_request": {
                "enum": [p.value for p in SupervisorPolicy],
                "description": "honor: fetch a supervisor when asked. help_first: one honest attempt to help first.",
            },
        },
    }


def scenario_schema(catalog: Catalog) -> dict[str, Any]:
    technique = {
        "anyOf": [
            {
                "const": t.id,
                "description": f"{t.label} ({'helpful' if t.helpful else 'harmful'}; "
                f"{catalog.competencies[t.competency]}; {', '.join(t.principles)})",
            }
            for t in catalog.techniques.values()
        ]
    }
    tag = {"anyOf": [{"const": tid, "description": text} for tid, text in catalog.tags.items()]}
    flag = {"type": "string", "pattern": SNAKE_ID.pattern}
    condition = {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "description": "Every key given must hold. Tested after the choice's effects, flags and turn count.",
        "properties": {
            "anger_at_least": {"type": "integer", "minimum": 0, "maximum": 100},
            "anger_below": {"type": "integer", "minimum": 0, "maximum": 100},
            "flag": flag,
            "not_flag": flag,
            "turn_at_least": {"type": "integer", "minimum": 1},
        },
    }
    assert set(condition["properties"]) == set(CONDITION_KEYS)  # type: ignore[call-overload]
    fact = {
        "enum": list(LINE_FACTS),
        "description": "A conversation fact, as the debrief shows it: still_venting or vented, "
        "acknowledged (recapped or the feeling acknowledged) or not_acknowledged, asked_for_fix, "
        "promise_standing, resolved (a Resolve move has landed) or unresolved.",
    }
    line_condition = {
        **condition,
        "description": "Every key given must hold, as the line is said: the anger as it "
        "stands, the flags, the turns so far and the conversation facts.",
        "properties": {**condition["properties"], "fact": fact, "not_fact": fact},  # type: ignore[dict-item]
    }
    line_variant = {
        "type": "object",
        "required": ["text"],
        "additionalProperties": False,
        "properties": {
            "text": _text("What the customer says when this variant fits."),
            "when": line_condition,
            "tone": {
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
            _text("The customer's line."),
            {"type": "array", "minItems": 1, "items": line_variant},
        ],
    }
    branch = {
        "type": "object",
        "required": ["goto"],
        "additionalProperties": False,
        "properties": {"when": condition, "goto": {"type": "string", "pattern": SNAKE_ID.pattern}},
    }
    choice = {
        "type": "object",
        "required": ["say", "technique", "next"],
        "additionalProperties": False,
        "properties": {
            "say": {
                "description": "What the trainee says: one text, or 2 to "
                f"{MAX_WORDINGS} wordings of the same reply (each attempt shows one, by its seed).",
                "oneOf": [
                    _text("What the trainee says."),
                    {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_WORDINGS,
                        "items": _text("One wording."),
                    },
                ],
            },
            "technique": {
                "description": "One technique from the catalog, or a list of them.",
                "oneOf": [
                    technique,
                    {"type": "array", "minItems": 1, "uniqueItems": True, "items": technique},
                ],
            },
            "next": {
                "description": "The node that follows, or conditional branches (first match wins; the last has no `when`).",
                "oneOf": [
                    {"type": "string", "pattern": SNAKE_ID.pattern},
                    {"type": "array", "minItems": 1, "items": branch},
                ],
            },
            "set": {
                "description": "Flags to set; `when: {flag: ...}` can test them.",
                "oneOf": [flag, {"type": "array", "items": flag}],
            },
            "feedback": _text(
                "Replaces the engine's explanation of this turn in the debrief. Cite the guide (G-...)."
            ),
            "expect": {
                "enum": [v.value for v in Verdict],
                "description": "The verdict you mean this reply to get. `lint` plays every path "
                "and reports each one where the engine judges it otherwise (LN014).",
            },
        },
    }
    node = {
        "type": "object",
        "required": ["customer"],
        "additionalProperties": False,
        "properties": {
            "customer": customer_line,
            "tags": {
                "description": "Facts about this moment that change how techniques land.",
                "oneOf": [tag, {"type": "array", "uniqueItems": True, "items": tag}],
            },
            "choices": {"type": "array", "minItems": 1, "items": choice},
            "end": {
                "enum": [e.value for e in EndingKind],
                "description": "This node ends the conversation.",
            },
            "flare": {
                "type": "integer",
                "minimum": 1,
                "maximum": 60,
                "description": "The customer flares up on reaching this moment (not the trainee's doing): anger rises by this much.",
            },
            "rating": {
                "enum": [r.value for r in Rating],
                "description": "How good this ending is; by default it follows the ending kind and the choice that led here.",
            },
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
            "format": {"const": 1},
            "id": {
                "type": "string",
                "pattern": KEBAB_ID.pattern,
                "description": "kebab-case, unique in the campaign",
            },
            "title": _text("The level's title."),
            "summary": _text("One or two sentences shown on the level card."),
            "channel": {
                "enum": [c.value for c in Channel],
                "description": "Sets the dead-air rule: phone and in_person are strict, chat lenient, email has no timer.",
            },
            "difficulty": {"type": "integer", "minimum": 1, "maximum": 5},
            "customer": {
                "type": "object",
                "required": ["name", "persona", "anger"],
                "additionalProperties": False,
                "properties": {
                    "name": _text("The customer's name."),
                    "persona": {
                        "anyOf": [
                            {"const": p.id, "description": p.handling}
                            for p in catalog.personas.values()
                        ]
                    },
                    "anger": _range(0, 100, "Starting anger."),
                    "vent": _range(0, 10, "Turns of listening they need before solutions land."),
                    "unresolved_floor": {
                        "type": "integer",
                        "minimum": 0,
                        "maximum": 100,
                        "description": "Anger stays at or above this while the grievance is "
                        "unresolved (no Resolve move has landed yet). Default 25 (the Annoyed "
                        "band); 0 for indecisive and talkative customers. 0 turns it off.",
                    },
                },
            },
            "policy": _policy(),
            "seeded_flags": {
                "type": "object",
                "description": "Story flags each attempt sets at the start by its seed, with the "
                "percent chance of each; `when: {flag: ...}` branches on them.",
                "maxProperties": MAX_SEEDED_FLAGS,
                "patternProperties": {
                    SNAKE_ID.pattern: {"type": "integer", "minimum": 1, "maximum": 99}
                },
                "additionalProperties": False,
            },
            "start": {"type": "string", "pattern": SNAKE_ID.pattern},
            "nodes": {
                "type": "object",
                "minProperties": 1,
                "patternProperties": {SNAKE_ID.pattern: node},
                "additionalProperties": False,
            },
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
            "format": {"const": 1},
            "title": {"type": "string", "minLength": 1},
            "policy": _policy(),
            "levels": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["scenario"],
                    "additionalProperties": False,
                    "properties": {
                        "scenario": {
                            "type": "string",
                            "description": "Scenario file, relative to this one.",
                        },
                        "pass": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": 100,
                            "description": "Pass score (default 70).",
                        },
                    },
                },
            },
        },
    }


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
