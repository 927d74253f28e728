"""xAPI export: statement shape, stable ids, and the LRS client's retries and conflicts.

The LRS client is exercised here against a small HTTP server on loopback that answers as
told (failures, throttling, conflicts); test_lrs.py runs it against a real LRS.
"""

from __future__ import annotations

import base64
import csv
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.engine.scoring import verdict_for
from game.records.api import AttemptStatus
from game.records.export import details, load_library, namespace_for, xapi_settings
from game.records.store import SqlStore, open_store
from game.records.xapi import (
    ADL_VERBS,
    CAMPAIGN_DESCRIPTION,
    DIALOG_TREE,
    NAMESPACE_SETTING,
    SELECTED,
    SERIOUS_GAMES,
    LrsClient,
    LrsError,
    RetryPolicy,
    all_statements,
    iso_duration,
    statements_for,
    timestamp,
)
from tests.reports.locale import INTERFACE, TRANSLATED, translated_locale
from tests.reports.seed import Demo, fill_demo
from tests.reports.xapi_shape import ShapeError, check_statement

HOME = "https://lms.example.org"


def export(store: SqlStore) -> tuple[dict[str, Any], ...]:
    settings = xapi_settings(store, load_library(), HOME)
    return all_statements(details(store), settings)


def verbs(statements: Any) -> list[str]:
    return [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---- statements ------------------------------------------------------------------------------


def test_every_statement_has_the_xapi_shape(demo: Demo, store: SqlStore) -> None:
    statements = export(store)
    assert statements
    for statement in statements:
        check_statement(statement)
    assert len({s["id"] for s in statements}) == len(statements)


def test_the_shape_checker_can_fail(demo: Demo, store: SqlStore) -> None:
    good = export(store)[0]
    broken = [
        {**good, "id": "not-a-uuid"},
        {**good, "actor": {**good["actor"], "mbox": "mailto:a@b.example"}},
        {**good, "verb": {"id": "answered", "display": {"en-US": "answered"}}},
        {**good, "timestamp": "2026-11-02T09:00:00"},
        {**good, "result": {"score": {"scaled": 1.5}}},
        {**good, "result": {"duration": "90 seconds"}},
        {**good, "context": {"extensions": {"anger": 1}}},
    ]
    for statement in broken:
        with pytest.raises(ShapeError):
            check_statement(statement)


def test_a_completed_attempt_in_statements(demo: Demo, store: SqlStore) -> None:
    settings = xapi_settings(store, load_library(), HOME)
    detail = next(details(store))  # Ana's failed first go at level 1
    attempt = detail.attempt
    statements = statements_for(detail, settings)
    assert verbs(statements) == ["initialized", *["selected"] * len(detail.turns), "completed",
                                 "failed"]  # fmt: skip
    first, *selected, completed, failed = statements
    assert all(s["verb"]["id"].startswith(ADL_VERBS + "/") for s in (first, completed, failed))
    assert all(s["verb"]["id"] == SELECTED for s in selected)
    assert when(first["timestamp"]) == attempt.started_at
    assert attempt.ended_at is not None
    assert when(completed["timestamp"]) == attempt.ended_at
    times = [when(s["timestamp"]) for s in statements]
    assert times == sorted(times)

    # who, what, and in which registration
    assert {json.dumps(s["actor"]) for s in statements} == {
        json.dumps({"objectType": "Agent", "account": {"homePage": HOME, "name": "1"}})
    }
    assert "Ana" not in json.dumps(statements)  # the LRS gets an id, not the trainee's name
    scenario = first["object"]
    assert scenario["id"].endswith("/scenarios/late-delivery")
    assert scenario["definition"]["type"] == "http://adlnet.gov/expapi/activities/simulation"
    assert scenario["definition"]["name"]["en"] == "The Late Delivery"
    assert scenario["definition"]["description"]["en"].startswith("Mr. Smith runs a small bakery")
    registrations = {s["context"]["registration"] for s in statements}
    assert len(registrations) == 1
    campaign = first["context"]["contextActivities"]["parent"][0]
    assert campaign["id"].endswith("/campaigns/onboarding")
    # the company policy it was played under, every key of it
    ext = first["context"]["extensions"]
    policy = attempt.policy
    for key, value in {
        "abusive-caller-policy": policy.abusive_caller.value,
        "supervisor-request-policy": policy.supervisor_request.value,
        "parting-ways-policy": policy.parting_ways.value,
        "at-fault-apology-policy": policy.apology_when_customer_at_fault.value,
    }.items():
        assert ext[f"https://hold-the-line.example/xapi/extensions/{key}"] == value
    # practice or exam: every statement of the attempt says which
    exam = "https://hold-the-line.example/xapi/extensions/exam"
    assert {s["context"]["extensions"][exam] for s in statements} == {attempt.exam} == {False}
    as_exam = statements_for(replace(detail, attempt=replace(attempt, exam=True)), settings)
    assert {s["context"]["extensions"][exam] for s in as_exam} == {True}

    # the closing result
    result = completed["result"]
    assert result == failed["result"]
    assert result["score"] == {
        "scaled": round(attempt.score / 100, 4) if attempt.score is not None else None,
        "raw": attempt.score,
        "min": 0,
        "max": 100,
    }
    assert result["success"] is False
    assert result["completion"] is True
    assert result["duration"] == iso_duration(attempt.duration_seconds or 0)
    trace = result["extensions"]["https://hold-the-line.example/xapi/extensions/anger-trace"]
    assert trace == list(detail.anger_trace)

    # a turn: the decision point as a choice interaction (Serious Games profile: `selected`
    # on a dialog tree), every reply it offered in every language, the one picked as the
    # response; the verdict, techniques and the anger change as extensions
    level = load_library().ref("late-delivery").scenario
    assert level is not None
    for statement, turn in zip(selected, detail.turns, strict=True):
        ext = statement["result"]["extensions"]
        definition = statement["object"]["definition"]
        node = level.node(turn.node)
        assert definition["type"] == DIALOG_TREE
        assert definition["interactionType"] == "choice"
        assert definition["choices"] == [
            {"id": str(c.number), "description": {"en": c.say.en, **dict(c.say.translations)}}
            for c in node.choices
        ]
        assert definition["description"]["en"] == node.customer.en
        assert statement["result"]["response"] == str(turn.choice)
        assert statement["result"]["success"] is (turn.quality > 0)
        assert ext["https://hold-the-line.example/xapi/extensions/verdict"] == verdict_for(
            turn.quality
        )
        assert ext["https://hold-the-line.example/xapi/extensions/reply"] == turn.say.en
        assert ext["https://hold-the-line.example/xapi/extensions/techniques"] == list(
            turn.techniques
        )
        assert ext["https://hold-the-line.example/xapi/extensions/anger-delta"] == turn.delta
        assert statement["object"]["id"].endswith(f"/late-delivery/nodes/{turn.node}")
        assert statement["context"]["contextActivities"]["parent"] == [scenario]
        assert statement["context"]["contextActivities"]["category"][0]["id"] == SERIOUS_GAMES


def test_abandoned_and_in_progress_attempts(demo: Demo, store: SqlStore) -> None:
    settings = xapi_settings(store, load_library(), HOME)
    by_id = {d.attempt.id: d for d in details(store)}
    abandoned = by_id[demo.abandoned]
    assert abandoned.attempt.status is AttemptStatus.ABANDONED
    statements = statements_for(abandoned, settings)
    assert verbs(statements) == ["initialized", "selected", "selected", "terminated"]
    assert statements[-1]["result"]["completion"] is False
    assert statements_for(by_id[demo.in_progress], settings) == ()


def test_passed_attempts_say_passed(demo: Demo, store: SqlStore) -> None:
    statements = export(store)
    closing = [v for v in verbs(statements) if v in ("passed", "failed")]
    attempts = [a for a in store.attempts() if a.status is AttemptStatus.COMPLETED]
    assert closing.count("passed") == sum(1 for a in attempts if a.passed)
    assert closing.count("failed") == sum(1 for a in attempts if not a.passed)


def test_ids_are_stable_per_database_and_unique_across(demo: Demo, store: SqlStore,
                                                       tmp_path: Path) -> None:  # fmt: skip
    once, again = export(store), export(store)
    assert once == again  # same ids, same content: re-sending adds nothing
    namespace = store.get_setting(NAMESPACE_SETTING)
    assert namespace is not None
    assert str(namespace_for(store)) == namespace
    with open_store(f"sqlite:///{tmp_path / 'other.db'}") as other:
        fill_demo(other)
        elsewhere = export(other)
    assert len(elsewhere) == len(once)
    assert not {s["id"] for s in once} & {s["id"] for s in elsewhere}


def test_export_command_writes_a_json_array(
    demo: Demo, db_url: str, store: SqlStore, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    out = tmp_path / "statements.json"
    code = main(["export", "--db", db_url, "--format", "xapi", "--out", str(out),
                 "--homepage", HOME])  # fmt: skip
    assert code == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == list(export(store))
    assert f"{len(written)} xAPI statements" in capsys.readouterr().err
    assert main(["export", "--db", db_url, "--format", "xapi", "--homepage", HOME]) == 0
    assert json.loads(capsys.readouterr().out) == written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "csv", "--lrs", "http://127.0.0.1:9/xAPI"], "--lrs sends xAPI"),
        (["--format", "xapi", "--turns"], "--turns is for CSV"),
        (["--format", "xapi", "--lrs", "http://127.0.0.1:9/xAPI", "--lrs-user", "u"],
         "give both the LRS user and password"),
    ],
)  # fmt: skip
def test_export_usage_errors(
    db_url: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["export", "--db", db_url, *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (7, "PT7S"), (83.456, "PT1M23.46S"), (3600, "PT1H"), (3725.5, "PT1H2M5.50S"),
     (0.004, "PT0S"), (60, "PT1M")],
)  # fmt: skip
def test_iso_duration(seconds: float, text: str) -> None:
    assert iso_duration(seconds) == text


def test_timestamps_are_utc_with_milliseconds() -> None:
    from datetime import timedelta, timezone

    moment = datetime(2026, 11, 2, 10, 30, 0, 250_000, tzinfo=timezone(timedelta(hours=1)))
    assert timestamp(moment) == "2026-11-02T09:30:00.250Z"


# ---- sending, against an HTTP server that answers as told ------------------------------------


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class ScriptedLrs:
    """Answers each request with the next scripted status (then 200 with the ids)."""

    script: list[int] = field(default_factory=list)
    put_conflicts: set[str] = field(default_factory=set)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def lrs() -> Iterator[ScriptedLrs]:
    state = ScriptedLrs()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            headers = {k.lower(): v for k, v in self.headers.items()}
            state.seen.append(Seen(self.command, self.path, headers, body))
            status = state.script.pop(0) if state.script else 0
            if not status and self.command == "PUT":
                status = 409 if self.path.split("=", 1)[1] in state.put_conflicts else 204
            payload = b""
            if not status:
                status = 200
                payload = json.dumps([s["id"] for s in body]).encode()
            elif status >= 400:
                payload = json.dumps({"detail": f"scripted {status}"}).encode()
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = do_PUT = _answer  # noqa: N815  (http.server looks them up by name)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # shutdown() waits for serve_forever to look up: every 10 ms, not the default 0.5 s
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/xAPI/"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


FAST = RetryPolicy(attempts=4, first_delay=0.01, factor=2.0, max_delay=0.05, timeout=5.0)


def sample(count: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-5000-8000-{n:012d}", "n": n} for n in range(count)]


def test_send_in_batches_with_the_xapi_headers(lrs: ScriptedLrs) -> None:
    client = LrsClient(lrs.url, user="htl", password="s3cret", retry=FAST)
    report = client.send(sample(250), batch=100)
    assert [len(s.body) for s in lrs.seen] == [100, 100, 50]
    assert {s.path for s in lrs.seen} == {"/xAPI/statements"}
    headers = lrs.seen[0].headers
    assert headers["x-experience-api-version"] == "1.0.3"
    assert headers["authorization"] == "Basic " + base64.b64encode(b"htl:s3cret").decode()
    assert headers["content-type"].startswith("application/json")
    assert (report.statements, report.batches, report.stored, report.already_there) == (
        250, 3, 250, 0,
    )  # fmt: skip
    assert report.line().startswith("sent 250 statements in 3 batches to http://127.0.0.1:")


def test_retries_server_errors_and_throttling(lrs: ScriptedLrs) -> None:
    lrs.script = [503, 429, 502]
    pauses: list[float] = []
    client = LrsClient(lrs.url, retry=FAST, sleep=pauses.append)
    report = client.send(sample(3))
    assert report.retries == 3
    assert report.stored == 3
    assert pauses == [0.01, 0.0, 0.04]  # backoff doubles; 429's Retry-After: 0 is honoured
    assert len(lrs.seen) == 4


def test_gives_up_after_the_last_retry(lrs: ScriptedLrs) -> None:
    lrs.script = [500] * 10
    pauses: list[float] = []
    client = LrsClient(lrs.url, retry=FAST, sleep=pauses.append)
    with pytest.raises(LrsError, match=r"HTTP 500 .*scripted 500.* after 4 attempts"):
        client.send(sample(1))
    assert pauses == [0.01, 0.02, 0.04]
    assert len(lrs.seen) == 4


def test_refusals_are_not_retried(lrs: ScriptedLrs) -> None:
    lrs.script = [401]
    with pytest.raises(LrsError, match="did not accept the user name or password"):
        LrsClient(lrs.url, user="x", password="y", retry=FAST).send(sample(2))
    assert len(lrs.seen) == 1


def test_unreachable_lrs(lrs: ScriptedLrs) -> None:
    import socket

    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pauses: list[float] = []
    client = LrsClient(f"http://127.0.0.1:{port}/xAPI", retry=FAST, sleep=pauses.append)
    with pytest.raises(LrsError, match="cannot reach the LRS"):
        client.send(sample(1))
    assert len(pauses) == FAST.attempts - 1


def test_a_conflicting_batch_is_put_one_by_one(lrs: ScriptedLrs) -> None:
    statements = sample(4)
    lrs.script = [409]
    lrs.put_conflicts = {statements[1]["id"]}
    report = LrsClient(lrs.url, retry=FAST).send(statements)
    assert [s.method for s in lrs.seen] == ["POST", "PUT", "PUT", "PUT", "PUT"]
    assert [s.path.rsplit("=", 1)[1] for s in lrs.seen[1:]] == [s["id"] for s in statements]
    assert (report.stored, report.already_there) == (3, 1)


def test_send_through_the_command(
    demo: Demo, db_url: str, store: SqlStore, lrs: ScriptedLrs,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("HOLD_THE_LINE_LRS_PASSWORD", "from-the-environment")
    code = main(["export", "--db", db_url, "--format", "xapi", "--lrs", lrs.url,
                 "--lrs-user", "htl", "--homepage", HOME])  # fmt: skip
    assert code == 0
    sent = [s for seen in lrs.seen for s in seen.body]
    assert sent == list(export(store))
    token = base64.b64encode(b"htl:from-the-environment").decode()
    assert lrs.seen[0].headers["authorization"] == f"Basic {token}"
    captured = capsys.readouterr()
    assert captured.out == ""  # sending does not also dump the statements
    assert f"sent {len(sent)} statements" in captured.err

    lrs.script = [400]
    code = main(["export", "--db", db_url, "--format", "xapi", "--lrs", lrs.url,
                 "--lrs-user", "htl", "--homepage", HOME])  # fmt: skip
    assert code == 1
    assert "rejected the statements as invalid" in capsys.readouterr().err


def test_exports_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    with open_store(pg_url) as pg:
        demo = fill_demo(pg)
    out = tmp_path / "statements.json"
    args = ["export", "--db", pg_url, "--format", "xapi", "--out", str(out), "--homepage", HOME]
    assert main(args) == 0
    first = json.loads(out.read_text(encoding="utf-8"))
    for statement in first:
        check_statement(statement)
    assert main(args) == 0  # the namespace kept in the database: the same ids again
    assert json.loads(out.read_text(encoding="utf-8")) == first
    with open_store(pg_url) as pg:
        registrations = {s["context"]["registration"] for s in first}
        finished = [a for a in pg.attempts() if a.status is not AttemptStatus.IN_PROGRESS]
        assert len(registrations) == len(finished) == len(demo.attempts)
    csv_out = tmp_path / "attempts.csv"
    assert main(["export", "--db", pg_url, "--format", "csv", "--out", str(csv_out)]) == 0
    with csv_out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + len(demo.attempts) + 1  # header, finished ones, the one in progress


def test_language_maps_carry_every_translation_there_is(
    demo: Demo, store: SqlStore, tmp_path: Path
) -> None:
    """Names, descriptions and replies in every language that has a current translation of
    that string, read from the PO files; English always; a stale translation is left out."""
    root = translated_locale(tmp_path / "locale")
    settings = xapi_settings(store, load_library(locale=root), HOME, root)
    detail = next(d for d in details(store) if d.attempt.scenario_id == "late-delivery")
    first, *rest = statements_for(detail, settings)
    definition = first["object"]["definition"]
    assert definition["name"] == {
        "en": "The Late Delivery",
        "vi": "Giao hàng trễ",
        "tr": "Geciken Teslimat",
        "fi": "Myöhässä oleva toimitus",
    }
    assert set(definition["description"]) == {"en", "vi"}  # tr's is stale, fi and fil have none
    assert definition["description"]["vi"] == TRANSLATED["vi"]["late-delivery:summary"]
    opening = next(s for s in rest if s["object"]["id"].endswith("/nodes/opening"))
    point = opening["object"]["definition"]
    assert point["name"] == {
        "en": "The Late Delivery: opening",
        "vi": "Giao hàng trễ: opening",
        "tr": "Geciken Teslimat: opening",
        "fi": "Myöhässä oleva toimitus: opening",
    }
    listening = next(c for c in point["choices"] if c["id"] == "1")
    assert listening["description"] == {
        "en": "Mm-hm. I'm listening. Please, go on.",
        "vi": "Dạ, em đang nghe. Anh cứ nói tiếp ạ.",
        "tr": "Hı hı, dinliyorum. Lütfen devam edin.",
    }
    assert all(set(c["description"]) == {"en"} for c in point["choices"] if c["id"] != "1")
    assert set(point["description"]) == {"en"}  # the customer's line: nobody translated it
    # the verbs and the campaign, from the interface strings (`ui` domain)
    assert first["verb"]["display"] == {"en-US": "initialized", "vi": "đã bắt đầu"}
    assert opening["verb"]["display"] == {"en-US": "selected", "vi": "đã chọn", "fi": "valitsi"}
    assert rest[-1]["verb"]["display"] == {"en-US": rest[-1]["verb"]["id"].rsplit("/", 1)[1]}
    campaign = first["context"]["contextActivities"]["parent"][0]["definition"]
    assert campaign["description"] == {
        "en": "The Hold the Line onboarding levels, in order.",
        "vi": INTERFACE["vi"][("", CAMPAIGN_DESCRIPTION)],
    }
    for statement in (first, *rest):
        check_statement(statement)


def test_without_translations_the_maps_are_english(demo: Demo, store: SqlStore,
                                                   tmp_path: Path) -> None:  # fmt: skip
    empty = tmp_path / "empty-locale"
    empty.mkdir()
    settings = xapi_settings(store, load_library(locale=empty), HOME, empty)
    statements = all_statements(details(store), settings)
    maps = [s["object"]["definition"]["name"] for s in statements]
    assert maps and all(set(m) == {"en"} for m in maps)
    assert all(set(s["verb"]["display"]) == {"en-US"} for s in statements)
