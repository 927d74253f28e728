"""xAPI 1.0.3 statements for finished attempts, and sending them to a Learning Record Store.

Learning-management systems read xAPI, so this is how a supervisor's LMS sees training.
Every statement is a pure function of what was recorded (plus the scenario's current
title), and its id is a uuid5 over the attempt, the verb and the turn in a namespace kept
per database: exporting again yields the very same statements, so re-sending never
duplicates anything in the LRS. Sending uses only the standard library (urllib).
"""

from __future__ import annotations

import base64
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from game import __version__
from game.engine.scoring import verdict_for
from game.records.api import AttemptDetail, AttemptStatus
from game.scenario.model import Text

XAPI_VERSION = "1.0.3"
# The project's own IRIs: activity ids and extension keys live under this base, independent
# of any installation, so the same scenario is the same activity in every LMS.
BASE_IRI = "https://hold-the-line.example/xapi"
ADL_VERBS = "http://adlnet.gov/expapi/verbs"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
COURSE = "http://adlnet.gov/expapi/activities/course"
NAMESPACE_SETTING = "xapi.namespace"  # the per-database uuid namespace, in the store's settings
DEFAULT_BATCH = 100

Statement = dict[str, Any]


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


@dataclass(frozen=True, slots=True)
class XapiSettings:
    homepage: str  # the system the trainees' accounts belong to
    namespace: uuid.UUID  # per database: statement ids are unique across training rooms
    campaign: ActivityInfo | None  # the parent of every level played from the campaign
    scenarios: Mapping[str, ActivityInfo]


def language_map(text: Text) -> dict[str, str]:
    """An xAPI language map; English is always there (RFC 5646 `en`)."""
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


def _verb(name: str) -> dict[str, Any]:
    return {"id": f"{ADL_VERBS}/{name}", "display": {"en-US": name}}


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
    """initialized, answered per turn, then completed and passed/failed (or terminated).

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
    }
    if attempt.level is not None:
        context_ext[extension("level")] = attempt.level

    def context(parent: list[dict[str, Any]]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "registration": registration(ns, attempt.id),
            "platform": f"Hold the Line {__version__}",
            "language": attempt.lang,
            "extensions": context_ext,
        }
        activities: dict[str, Any] = {}
        if parent:
            activities["parent"] = parent
        if campaign is not None:
            activities["grouping"] = [campaign]
        if activities:
            body["contextActivities"] = activities
        return body

    def statement(verb: str, turn: int, when: datetime, obj: dict[str, Any]) -> Statement:
        return {
            "id": statement_id(ns, attempt.id, verb, turn),
            "actor": actor,
            "verb": _verb(verb),
            "object": obj,
            "timestamp": timestamp(when),
        }

    out: list[Statement] = []
    first = statement("initialized", 0, attempt.started_at, scenario)
    first["context"] = context([campaign] if campaign is not None else [])
    out.append(first)

    # Turns carry no clock time: each `answered` is dated the start plus the response times
    # so far (a lower bound: the customer's lines take time too), never after the end.
    elapsed = 0.0
    for index, turn in enumerate(detail.turns):
        if index < len(detail.response_times):
            elapsed += detail.response_times[index]
        when = attempt.started_at + timedelta(seconds=elapsed)
        if attempt.ended_at is not None:
            when = min(when, attempt.ended_at)
        principles = sorted({e.principle for e in turn.effects if e.principle is not None})
        question = {
            "objectType": "Activity",
            "id": f"{info.id}/nodes/{urllib.parse.quote(turn.node, safe='')}",
            "definition": {
                "type": INTERACTION,
                "name": {"en": f"{info.title.en}: {turn.node}"},
                "interactionType": "other",  # the response is the reply's words
            },
        }
        answered = statement("answered", turn.number, when, question)
        answered["result"] = {
            "response": turn.say.get(attempt.lang),
            "success": turn.quality > 0,
            "score": {"scaled": round(max(-1.0, min(1.0, turn.quality)), 4)},
            "extensions": {
                extension("choice"): turn.choice,
                extension("techniques"): list(turn.techniques),
                extension("anger-before"): turn.anger_before,
                extension("anger-after"): turn.anger_after,
                extension("anger-delta"): turn.delta,
                extension("verdict"): verdict_for(turn.quality),
                extension("principles"): principles,
            },
        }
        answered["context"] = context([scenario])
        out.append(answered)

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
    return json.dumps(list(statements), ensure_ascii=False, indent=2) + "\n"


# ---- sending --------------------------------------------------------------------------------


class LrsError(Exception):
    """The LRS refused the statements, or could not be reached after every retry."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Connection errors, 5xx and 429 are retried with exponential backoff."""

    attempts: int = 5
    first_delay: float = 0.5
    factor: float = 2.0
    max_delay: float = 30.0
    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class SendReport:
    url: str
    statements: int
    batches: int
    stored: int  # ids the LRS reported as newly stored (or, for a per-statement PUT, 204)
    already_there: int  # statements the LRS already had (409, or a batch answered 204)
    retries: int

    def line(self) -> str:
        return (
            f"sent {self.statements} statement{'s' if self.statements != 1 else ''} "
            f"in {self.batches} batch{'es' if self.batches != 1 else ''} to {self.url}: "
            f"{self.stored} stored, {self.already_there} already there"
            + (
                f", {self.retries} retr{'ies' if self.retries != 1 else 'y'}"
                if self.retries
                else ""
            )
        )


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    body: bytes


def statements_url(endpoint: str) -> str:
    """The statements resource under an LRS endpoint given with or without a trailing slash."""
    return endpoint.rstrip("/") + "/statements"


class LrsClient:
    """POSTs statements in batches with Basic auth, retrying what is worth retrying."""

    def __init__(
        self,
        endpoint: str,
        *,
        user: str | None = None,
        password: str | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = statements_url(endpoint)
        scheme = urllib.parse.urlsplit(self.url).scheme
        if scheme not in ("http", "https"):
            raise LrsError(f"the LRS address must start with http:// or https://, not {endpoint!r}")
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._headers = {
            "X-Experience-API-Version": XAPI_VERSION,
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": f"hold-the-line/{__version__}",
        }
        if user is not None or password is not None:
            token = f"{user or ''}:{password or ''}".encode()
            self._headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
        self.retries = 0

    def _request(self, method: str, url: str, body: bytes | None = None) -> _Response:
        delay = self.retry.first_delay
        last_problem = ""
        for attempt in range(1, self.retry.attempts + 1):
            request = urllib.request.Request(url, data=body, method=method, headers=self._headers)
            wait: float | None = None
            try:
                with urllib.request.urlopen(request, timeout=self.retry.timeout) as response:
                    return _Response(response.status, response.read())
            except urllib.error.HTTPError as error:
                payload = error.read()
                if error.code != 429 and error.code < 500:
                    return _Response(error.code, payload)
                last_problem = f"HTTP {error.code} {_snippet(payload)}".strip()
                wait = _retry_after(error.headers.get("Retry-After"))
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                reason = getattr(error, "reason", error)
                last_problem = f"cannot reach the LRS ({reason})"
            if attempt == self.retry.attempts:
                break
            self.retries += 1
            pause = min(self.retry.max_delay, wait if wait is not None else delay)
            self._sleep(pause)
            delay *= self.retry.factor
        raise LrsError(f"{method} {url}: {last_problem} after {self.retry.attempts} attempts")

    def send(self, statements: Sequence[Statement], batch: int = DEFAULT_BATCH) -> SendReport:
        stored = already = batches = 0
        for start in range(0, len(statements), batch):
            chunk = statements[start : start + batch]
            batches += 1
            body = json.dumps(list(chunk), ensure_ascii=False).encode("utf-8")
            response = self._request("POST", self.url, body)
            if response.status == 200:
                stored += _count_ids(response.body, len(chunk))
            elif response.status == 204:
                already += len(chunk)  # nothing new: the LRS had them all
            elif response.status == 409:
                # Some of the batch was already there, so the LRS refused all of it:
                # put them one by one, each with its own id, so the new ones still land.
                for item in chunk:
                    status = self._put(item)
                    if status == 409:
                        already += 1
                    else:
                        stored += 1
            else:
                raise LrsError(_refusal("POST", self.url, response))
        return SendReport(self.url, len(statements), batches, stored, already, self.retries)

    def _put(self, statement: Statement) -> int:
        query = urllib.parse.urlencode({"statementId": statement["id"]})
        body = json.dumps(statement, ensure_ascii=False).encode("utf-8")
        response = self._request("PUT", f"{self.url}?{query}", body)
        if response.status in (200, 204, 409):
            return response.status
        raise LrsError(_refusal("PUT", self.url, response))

    def fetch_all(self, *, limit: int = 0, **filters: str) -> tuple[Statement, ...]:
        """GET statements (following `more` links): to check what the LRS holds."""
        query = dict(filters)
        if limit:
            query["limit"] = str(limit)
        url = self.url + ("?" + urllib.parse.urlencode(query) if query else "")
        found: list[Statement] = []
        while url:
            response = self._request("GET", url)
            if response.status != 200:
                raise LrsError(_refusal("GET", url, response))
            page = json.loads(response.body)
            found.extend(page.get("statements", []))
            more = page.get("more") or ""
            url = urllib.parse.urljoin(self.url, more) if more else ""
        return tuple(found)


def _count_ids(body: bytes, default: int) -> int:
    try:
        ids = json.loads(body)
    except ValueError:
        return default
    return len(ids) if isinstance(ids, list) else default


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _snippet(body: bytes, limit: int = 300) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _refusal(method: str, url: str, response: _Response) -> str:
    hint = {
        400: "the LRS rejected the statements as invalid",
        401: "the LRS did not accept the user name or password",
        403: "this LRS account may not write statements",
        404: "no xAPI statements resource there: check the endpoint address",
    }.get(response.status, "the LRS refused the request")
    return f"{method} {url}: HTTP {response.status}: {hint}. {_snippet(response.body)}".strip()
