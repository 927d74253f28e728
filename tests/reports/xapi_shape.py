"""A checker for the xAPI 1.0.3 statement rules our exports rely on (tests only).

It follows the specification's Data section: ids are UUIDs, the actor is an Agent with
exactly one identifier, verb, object and extension keys are absolute IRIs, language maps are
keyed by RFC 5646 tags, timestamps carry a time zone, durations are ISO 8601, and scores
stay in range. A real LRS (ralph) checks the same statements again in test_lrs.py.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

STATEMENT_KEYS = {
    "id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
    "authority", "version", "attachments",
}  # fmt: skip
IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s]+$")
LANG_TAG = re.compile(r"^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$")
DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


class ShapeError(AssertionError):
    pass


def _check(condition: bool, where: str, what: str) -> None:
    if not condition:
        raise ShapeError(f"{where}: {what}")


def _iri(value: Any, where: str) -> None:
    _check(isinstance(value, str) and bool(IRI.match(value)), where, f"not an IRI: {value!r}")


def _uuid(value: Any, where: str) -> None:
    try:
        _check(str(uuid.UUID(value)) == value, where, f"not a canonical UUID: {value!r}")
    except (ValueError, TypeError, AttributeError):
        raise ShapeError(f"{where}: not a UUID: {value!r}") from None


def _language_map(value: Any, where: str) -> None:
    _check(isinstance(value, dict) and bool(value), where, "not a language map")
    for tag, text in value.items():
        _check(bool(LANG_TAG.match(tag)), where, f"bad language tag {tag!r}")
        _check(isinstance(text, str), where, f"{tag}: not a string")


def _extensions(value: Any, where: str) -> None:
    _check(isinstance(value, dict), where, "extensions must be an object")
    for key in value:
        _iri(key, f"{where}.{key}")


def _activity(value: Any, where: str) -> None:
    _check(isinstance(value, dict), where, "not an object")
    _check(value.get("objectType", "Activity") == "Activity", where, "not an Activity")
    _iri(value.get("id"), f"{where}.id")
    definition = value.get("definition")
    if definition is not None:
        _iri(definition.get("type"), f"{where}.definition.type")
        for key in ("name", "description"):
            if key in definition:
                _language_map(definition[key], f"{where}.definition.{key}")


def _timestamp(value: Any, where: str) -> None:
    _check(isinstance(value, str), where, "not a string")
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    _check(moment.tzinfo is not None, where, "a timestamp needs a time zone")


def check_statement(s: dict[str, Any]) -> None:
    where = f"statement {s.get('id')}"
    _check(set(s) <= STATEMENT_KEYS, where, f"unknown keys {set(s) - STATEMENT_KEYS}")
    _uuid(s.get("id"), f"{where}.id")

    actor = s.get("actor")
    _check(isinstance(actor, dict), where, "no actor")
    _check(actor.get("objectType", "Agent") == "Agent", where, "actor is not an Agent")
    ifis = [k for k in IFIS if k in actor]
    _check(len(ifis) == 1, where, f"an Agent has exactly one identifier, not {ifis}")
    if "account" in actor:
        account = actor["account"]
        _iri(account.get("homePage"), f"{where}.actor.account.homePage")
        _check(isinstance(account.get("name"), str) and account["name"], where, "account name")

    verb = s.get("verb")
    _check(isinstance(verb, dict), where, "no verb")
    _iri(verb.get("id"), f"{where}.verb.id")
    _language_map(verb.get("display"), f"{where}.verb.display")

    _activity(s.get("object"), f"{where}.object")
    _timestamp(s.get("timestamp"), f"{where}.timestamp")

    result = s.get("result")
    if result is not None:
        score = result.get("score")
        if score is not None:
            if "scaled" in score:
                _check(-1 <= score["scaled"] <= 1, where, "score.scaled outside -1..1")
            if "min" in score and "max" in score:
                _check(score["min"] < score["max"], where, "score.min must be below max")
            if "raw" in score:
                _check(
                    score.get("min", score["raw"])
                    <= score["raw"]
                    <= score.get("max", score["raw"]),
                    where,
                    "score.raw outside min..max",
                )
        for flag in ("success", "completion"):
            if flag in result:
                _check(isinstance(result[flag], bool), where, f"result.{flag} must be a bool")
        if "duration" in result:
            _check(bool(DURATION.match(result["duration"])), where, "bad ISO 8601 duration")
        if "response" in result:
            _check(isinstance(result["response"], str), where, "response must be a string")
        if "extensions" in result:
            _extensions(result["extensions"], f"{where}.result.extensions")

    context = s.get("context")
    if context is not None:
        if "registration" in context:
            _uuid(context["registration"], f"{where}.context.registration")
        if "language" in context:
            _check(bool(LANG_TAG.match(context["language"])), where, "context.language")
        for key, activities in context.get("contextActivities", {}).items():
            _check(key in ("parent", "grouping", "category", "other"), where, key)
            _check(isinstance(activities, list), where, f"contextActivities.{key}: a list")
            for index, activity in enumerate(activities):
                _activity(activity, f"{where}.context.contextActivities.{key}[{index}]")
        if "extensions" in context:
            _extensions(context["extensions"], f"{where}.context.extensions")
