"""xAPI 1.0.3 statements for finished attempts, and sending them to a Learning Record Store.

Learning-management systems read xAPI, so this is how a supervisor's LMS sees training.
Every statement is a pure function of what was recorded (plus the scenario's current
title), and its id is a uuid5 over the attempt, the verb and the turn in a namespace kept
per database: exporting again yields the very same statements, so re-sending never
duplicates anything in the LRS. Sending uses only the standard library (urllib).
"""

from __future__ import annotations

import json
import urllib.parse
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType
from typing import Any

from game import __version__
from game.engine.scoring import verdict_for
from game.engine.session import Turn
from game.i18n.translator import ENGLISH, Translator, ui_key
from game.records.api import AttemptDetail, AttemptStatus
from game.records.lrs import (
    DEFAULT_BATCH,
    XAPI_VERSION,
    LrsAddressError,
    LrsClient,
    LrsError,
    RetryPolicy,
    SendReport,
    Statement,
    statements_url,
)
from game.records.namespace import NAMESPACE_SETTING
from game.scenario.model import Scenario, Text

# The project's own IRIs: activity ids and extension keys live under this base, independent
# of any installation, so the same scenario is the same activity in every LMS.
BASE_IRI = "https://hold-the-line.example/xapi"
ADL_VERBS = "http://adlnet.gov/expapi/verbs"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
COURSE = "http://adlnet.gov/expapi/activities/course"
# The ADL-published Serious Games xAPI profile: a reply picked at a decision point is the
# `selected` verb on a `dialog-tree` activity, described as a choice interaction.
SERIOUS_GAMES = "https://w3id.org/xapi/seriousgames"
SELECTED = "https://w3id.org/xapi/adb/verbs/selected"
DIALOG_TREE = f"{SERIOUS_GAMES}/activity-types/dialog-tree"
PROFILE = "http://adlnet.gov/expapi/activities/profile"


def extension(name: str) -> str:
    return f"{BASE_IRI}/extensions/{name}"


def scenario_iri(scenario_id: str) -> str:
    return f"{BASE_IRI}/scenarios/{urllib.parse.quote(scenario_id, safe='')}"


def campaign_iri(title: str) -> str:
    slug = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())
    return f"{BASE_IRI}/campaigns/{slug or 'campaign'}"


@dataclass(frozen=True, slots=True)
class ActivityInfo:
    """What the LMS shows for a scenario: its title and summary, in every language it has."""

    id: str
    title: Text
    summary: Text
    scenario: Scenario | None = None  # the level as it is now: the replies each point offers


@dataclass(frozen=True, slots=True)
class XapiSettings:
    homepage: str  # the system the trainees' accounts belong to
    namespace: uuid.UUID  # per database: statement ids are unique across training rooms
    campaign: ActivityInfo | None  # the parent of every level played from the campaign
    scenarios: Mapping[str, ActivityInfo]
    # every other language's interface strings, for the verbs' language maps
    translators: tuple[Translator, ...] = ()


def language_map(text: Text) -> dict[str, str]:
    """An xAPI language map: English always (RFC 5646 `en`), and every language that has a
    current translation of the text (from the PO files, put in when the scenario was loaded
    for export: see `load_library`)."""
    return {"en": text.en, **dict(text.translations)}


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds; a naive time is taken to be UTC already."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration to the hundredth of a second, as xAPI asks: e.g. PT1M23.45S."""
    hundredths = max(0, round(seconds * 100))
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    whole, frac = divmod(rest, 100)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if whole or frac or out == "PT":
        out += f"{whole}.{frac:02d}S".replace(".00S", "S")
    return out


def statement_id(namespace: uuid.UUID, attempt_id: int, verb: str, turn: int = 0) -> str:
    return str(uuid.uuid5(namespace, f"attempt/{attempt_id}/{verb}/{turn}"))


def registration(namespace: uuid.UUID, attempt_id: int) -> str:
    return str(uuid.uuid5(namespace, f"attempt/{attempt_id}/registration"))


VERB_CONTEXT = "xAPI verb"
# What a learning-management system lists for each verb (the `ui` domain translates them).
VERB_NAMES: Mapping[str, str] = MappingProxyType(
    {
        # i18n: an xAPI verb, as an LMS lists it: the trainee began a level
        "initialized": ENGLISH._p("xAPI verb", "initialized"),
        # i18n: an xAPI verb, as an LMS lists it: the trainee picked a reply at a decision point
        "selected": ENGLISH._p("xAPI verb", "selected"),
        # i18n: an xAPI verb, as an LMS lists it: the trainee finished a level's call
        "completed": ENGLISH._p("xAPI verb", "completed"),
        # i18n: an xAPI verb, as an LMS lists it: the trainee passed the level
        "passed": ENGLISH._p("xAPI verb", "passed"),
        # i18n: an xAPI verb, as an LMS lists it: the trainee did not pass the level
        "failed": ENGLISH._p("xAPI verb", "failed"),
        # i18n: an xAPI verb, as an LMS lists it: the call ended before the level was over
        "terminated": ENGLISH._p("xAPI verb", "terminated"),
    }
)
# i18n: the description of the campaign as an activity in a learning-management system
CAMPAIGN_DESCRIPTION = ENGLISH._("The Hold the Line onboarding levels, in order.")


def interface_map(
    translators: Sequence[Translator], context: str, english: str, *, tag: str = "en"
) -> dict[str, str]:
    """An xAPI language map of an interface string: English (under `tag`) and every
    language whose translation of it exists and is current in the `ui` PO files."""
    found = {tag: english}
    for tr in translators:
        forms = tr.ui.get(ui_key(context, english))
        if forms and forms[0]:
            found[tr.lang] = forms[0]
    return found


def _verb(name: str, translators: Sequence[Translator] = ()) -> dict[str, Any]:
    iri = SELECTED if name == "selected" else f"{ADL_VERBS}/{name}"
    english = VERB_NAMES[name]
    return {"id": iri, "display": interface_map(translators, VERB_CONTEXT, english, tag="en-US")}


def decision_point(info: ActivityInfo, turn: Turn, content_hash: str) -> dict[str, Any]:
    """The decision point of a turn as a choice interaction: every reply it offered, in
    every language. If the level has changed since the call (or the node is gone), only the
    recorded reply is known for sure, and it is the one choice listed."""
    node = None
    if info.scenario is not None and info.scenario.content_hash == content_hash:
        node = info.scenario.index.get(turn.node)
    choices = (
        [{"id": str(c.number), "description": language_map(c.say)} for c in node.choices]
        if node is not None
        else [{"id": str(turn.choice), "description": language_map(turn.say)}]
    )
    definition: dict[str, Any] = {
        "type": DIALOG_TREE,
        "name": {lang: f"{title}: {turn.node}" for lang, title in language_map(info.title).items()},
        "interactionType": "choice",
        "choices": choices,
    }
    if node is not None:
        definition["description"] = language_map(node.customer)
    return {
        "objectType": "Activity",
        "id": f"{info.id}/nodes/{urllib.parse.quote(turn.node, safe='')}",
        "definition": definition,
    }


def _activity(info: ActivityInfo, kind: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": info.id,
        "definition": {
            "type": kind,
            "name": language_map(info.title),
            "description": language_map(info.summary),
        },
    }


def _scenario_info(settings: XapiSettings, scenario_id: str) -> ActivityInfo:
    found = settings.scenarios.get(scenario_id)
    if found is not None:
        return found
    return ActivityInfo(
        scenario_iri(scenario_id),
        Text(scenario_id),
        Text(f"Hold the Line scenario '{scenario_id}'."),
    )


def statements_for(detail: AttemptDetail, settings: XapiSettings) -> tuple[Statement, ...]:
    """initialized, selected per turn (the reply picked at a decision point), then completed
    and passed/failed (or terminated).

    Attempts still in progress yield nothing: they are exported once they are over.
    """
    attempt = detail.attempt
    if attempt.status is AttemptStatus.IN_PROGRESS:
        return ()
    ns = settings.namespace
    actor = {
        "objectType": "Agent",
        "account": {"homePage": settings.homepage, "name": str(attempt.trainee_id)},
    }
    info = _scenario_info(settings, attempt.scenario_id)
    scenario = _activity(info, SIMULATION)
    campaign = (
        None
        if settings.campaign is None or attempt.level is None
        else _activity(settings.campaign, COURSE)
    )
    context_ext: dict[str, Any] = {
        extension("content-hash"): attempt.content_hash,
        extension("seed"): attempt.seed,
        extension("timer"): attempt.timer,
        extension("abusive-caller-policy"): attempt.policy.abusive_caller.value,
        extension("supervisor-request-policy"): attempt.policy.supervisor_request.value,
        extension("parting-ways-policy"): attempt.policy.parting_ways.value,
        extension("at-fault-apology-policy"): attempt.policy.apology_when_customer_at_fault.value,
        # exam mode (no grading shown during the call): an LMS can tell exams from practice
        extension("exam"): attempt.exam,
    }
    if attempt.level is not None:
        context_ext[extension("level")] = attempt.level

    registered = registration(ns, attempt.id)

    def context(parent: list[dict[str, Any]], *, profile: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {
            "registration": registered,
            "platform": f"Hold the Line {__version__}",
            "language": attempt.lang,
            "extensions": context_ext,
        }
        activities: dict[str, Any] = {}
        if parent:
            activities["parent"] = parent
        if campaign is not None:
            activities["grouping"] = [campaign]
        if profile:
            activities["category"] = [
                {"objectType": "Activity", "id": SERIOUS_GAMES, "definition": {"type": PROFILE}}
            ]
        if activities:
            body["contextActivities"] = activities
        return body

    def statement(verb: str, turn: int, when: datetime, obj: dict[str, Any]) -> Statement:
        return {
            "id": statement_id(ns, attempt.id, verb, turn),
            "actor": actor,
            "verb": _verb(verb, settings.translators),
            "object": obj,
            "timestamp": timestamp(when),
        }

    out: list[Statement] = []
    first = statement("initialized", 0, attempt.started_at, scenario)
    first["context"] = context([campaign] if campaign is not None else [])
    out.append(first)

    # Turns carry no clock time: each `selected` is dated the start plus the response times
    # so far (a lower bound: the customer's lines take time too), never after the end.
    elapsed = 0.0
    for index, turn in enumerate(detail.turns):
        if index < len(detail.response_times):
            elapsed += detail.response_times[index]
        when = attempt.started_at + timedelta(seconds=elapsed)
        if attempt.ended_at is not None:
            when = min(when, attempt.ended_at)
        principles = sorted({e.principle for e in turn.effects if e.principle is not None})
        selected = statement(
            "selected", turn.number, when, decision_point(info, turn, attempt.content_hash)
        )
        selected["result"] = {
            "response": str(turn.choice),  # the choice's id among the interaction's choices
            "success": turn.quality > 0,
            "score": {"scaled": round(max(-1.0, min(1.0, turn.quality)), 4)},
            "extensions": {
                extension("choice"): turn.choice,
                extension("reply"): turn.say.get(attempt.lang),
                extension("techniques"): list(turn.techniques),
                extension("anger-before"): turn.anger_before,
                extension("anger-after"): turn.anger_after,
                extension("anger-delta"): turn.delta,
                extension("verdict"): verdict_for(turn.quality),
                extension("principles"): principles,
            },
        }
        selected["context"] = context([scenario], profile=True)
        out.append(selected)

    ended = attempt.ended_at or attempt.started_at
    duration = iso_duration(attempt.duration_seconds or 0.0)
    if attempt.status is AttemptStatus.ABANDONED or attempt.score is None:
        last = statement("terminated", 0, ended, scenario)
        last["result"] = {
            "completion": False,
            "duration": duration,
            "extensions": {extension("anger-trace"): list(detail.anger_trace)},
        }
        last["context"] = context([campaign] if campaign is not None else [])
        out.append(last)
        return tuple(out)

    result: dict[str, Any] = {
        "score": {
            "scaled": round(attempt.score / 100, 4),
            "raw": attempt.score,
            "min": 0,
            "max": 100,
        },
        "success": bool(attempt.passed),
        "completion": True,
        "duration": duration,
        "extensions": {
            extension("anger-trace"): list(detail.anger_trace),
            extension("final-anger"): attempt.final_anger,
            extension("outcome"): attempt.outcome,
            extension("rating"): attempt.rating,
            extension("grade"): attempt.grade,
            extension("pass-score"): attempt.pass_score,
        },
    }
    for verb in ("completed", "passed" if attempt.passed else "failed"):
        closing = statement(verb, 0, ended, scenario)
        closing["result"] = result
        closing["context"] = context([campaign] if campaign is not None else [])
        out.append(closing)
    return tuple(out)


def all_statements(
    details: Iterable[AttemptDetail], settings: XapiSettings
) -> tuple[Statement, ...]:
    return tuple(s for detail in details for s in statements_for(detail, settings))


def dumps(statements: Sequence[Statement]) -> str:
    """The statements as one JSON array, the body an LRS takes on POST."""
    return "".join(json_array_chunks(statements))


def json_array_chunks(statements: Iterable[Statement]) -> Iterator[str]:
    """One JSON array, one statement a line, produced as the statements come (a stream)."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    first = True
    for statement in statements:
        yield ("[\n" if first else ",\n") + encode(statement)
        first = False
    yield "[]\n" if first else "\n]\n"


# ---- sending: see game.records.lrs ----------------------------------------------------------

__all__ = [
    "DEFAULT_BATCH",
    "NAMESPACE_SETTING",
    "XAPI_VERSION",
    "LrsAddressError",
    "LrsClient",
    "LrsError",
    "RetryPolicy",
    "SendReport",
    "statements_url",
]
