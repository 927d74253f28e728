"""`text --trainee NAME`: a terminal call is recorded like a call in the window, so the
supervisor's desk, the report and the exports see it (through the same records API)."""

from __future__ import annotations

import csv
import io
import json
import signal
from pathlib import Path

from game.engine.catalog import load_catalog
from game.engine.session import turn_to_json
from game.i18n.localize import localized
from game.records.api import AttemptStatus
from game.records.replayed import replay_recorded
from game.records.store import SqlStore, open_store
from game.scenario.loader import load_scenario
from tests.text.door import LATE, WAIT, Door, cli

GOOD = ["1"] * 8  # the guide path of late-delivery


def test_a_scripted_call_is_recorded_for_the_desk(db_url: str, records: SqlStore) -> None:
    result = cli(
        "text", LATE, "--choices", ",".join(GOOD), "--think", "4,5,6,7,8,9,10,3", "--json",
        "--trainee", "Ana Reyes", "--create-trainee", "--db", db_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    played = json.loads(result.stdout)
    (row,) = records.overview()
    assert row.trainee.name == "Ana Reyes" and row.attempts == 1
    best = row.levels["late-delivery"]
    assert best.best_score == played["score"] and best.passed is played["passed"]
    (attempt,) = records.attempts(trainee_id=row.trainee.id)
    assert attempt.id == played["attempt"] and attempt.status is AttemptStatus.COMPLETED
    assert attempt.level == 1 and attempt.pass_score == played["pass_score"]
    assert attempt.timer == "normal" and attempt.lang == "en"
    detail = records.attempt_detail(attempt.id)
    assert detail is not None
    assert [t.anger_after for t in detail.turns] == [t["anger_after"] for t in played["turns"]]
    assert list(detail.anger_trace) == played["anger"]
    # The response time the desk shows is the thinking time the script gave.
    assert detail.response_times == (4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 3.0)
    # And the attempt replays to exactly what was played, as every recorded attempt must: from
    # the level as the terminal played it, with its translations (a turn keeps every language).
    scenario = localized(load_scenario(LATE))
    replayed = replay_recorded(detail, scenario, load_catalog()).state
    assert replayed is not None
    assert [turn_to_json(t) for t in replayed.turns] == [turn_to_json(t) for t in detail.turns]
    # The exports see it like any attempt from the window.
    export = cli("export", "--format", "csv", "--db", db_url)
    assert export.returncode == 0, export.stderr
    (fields,) = csv.DictReader(io.StringIO(export.stdout))
    assert fields["trainee"] == "Ana Reyes" and fields["scenario_id"] == "late-delivery"
    assert fields["score"] == str(played["score"]) and fields["status"] == "completed"


def test_a_jsonl_call_is_recorded_and_end_of_input_keeps_it_as_abandoned(
    db_url: str, records: SqlStore
) -> None:
    records.add_trainee("Bot")
    door = Door(LATE, "--trainee", "bot", "--db", db_url, "--seed", "5")
    try:
        door.until("choose")
        door.send("1 12.5")
        door.until("turn")
        door.until("choose")
        door.send("1")
        door.until("turn")
        door.until("choose")
        assert door.close_input() == 1
    finally:
        door.kill()
    (attempt,) = records.attempts()
    assert attempt.trainee_name == "Bot" and attempt.status is AttemptStatus.ABANDONED
    assert attempt.turn_count == 2 and attempt.seed == 5 and attempt.score is None
    detail = records.attempt_detail(attempt.id)
    assert detail is not None and detail.response_times == (12.5, 0.0)
    assert detail.turns[0].silence == 12.5


def test_a_jsonl_call_played_to_the_end_is_completed(db_url: str, records: SqlStore) -> None:
    records.add_trainee("Bot")
    door = Door(LATE, "--trainee", "Bot", "--db", db_url)
    try:
        for _ in GOOD:
            door.until("choose")
            door.send("1")
        end = door.until("end")
        assert door.finish() == 0
    finally:
        door.kill()
    (attempt,) = records.attempts()
    assert attempt.status is AttemptStatus.COMPLETED and attempt.id == end["attempt"]
    assert attempt.score == end["score"] and attempt.passed is True


def test_an_interactive_call_is_recorded(db_url: str, records: SqlStore) -> None:
    records.add_trainee("Ana")
    result = cli(
        "text", LATE, "--no-timer", "--seed", "1", "--trainee", "Ana", "--db", db_url,
        stdin="1\n" * 3 + "q\n",
    )  # fmt: skip
    assert result.returncode == 1 and "kept in the records as abandoned" in result.stdout
    (attempt,) = records.attempts()
    assert attempt.status is AttemptStatus.ABANDONED and attempt.turn_count == 3
    assert attempt.timer == "off"


def test_an_unknown_trainee_is_refused_and_nothing_is_created(
    db_url: str, records: SqlStore
) -> None:
    records.add_trainee("Ana Reyes")
    result = cli(
        "text", LATE, "--choices", ",".join(GOOD), "--trainee", "Ana Reyse", "--db", db_url
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no trainee called 'Ana Reyse'" in result.stderr
    assert "(trainees: Ana Reyes)" in result.stderr and "--create-trainee" in result.stderr
    assert [t.name for t in records.trainees()] == ["Ana Reyes"] and records.attempts() == ()


def test_a_script_that_does_not_fit_records_nothing(db_url: str, records: SqlStore) -> None:
    result = cli(
        "text", LATE, "--choices", "1,1,9", "--trainee", "Ana", "--create-trainee", "--db", db_url
    )
    assert result.returncode == 2 and "choice 3 of the script" in result.stderr
    assert records.attempts() == ()


def test_recording_options_need_a_trainee_and_a_reachable_database() -> None:
    result = cli("text", LATE, "--choices", "1", "--db", "sqlite:///x.db")
    assert result.returncode == 2 and "need --trainee NAME" in result.stderr
    result = cli("text", LATE, "--choices", "1", "--trainee", "  ", "--create-trainee")
    assert result.returncode == 2 and "--trainee needs a name" in result.stderr
    result = cli(
        "text", LATE, "--choices", ",".join(GOOD), "--trainee", "A",
        "--db", "postgresql://nobody:s3cret@127.0.0.1:1/none",
    )  # fmt: skip
    assert result.returncode == 2 and "cannot open the database given by --db" in result.stderr
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr


def test_a_killed_call_is_kept_as_abandoned(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'records.db'}"
    door = Door(LATE, "--trainee", "Bot", "--create-trainee", "--db", db_url)
    try:
        door.until("choose")
        door.send("1")
        door.until("turn")
        door.until("choose")
        door.proc.send_signal(signal.SIGTERM)
        assert door.proc.wait(timeout=WAIT) == 128 + signal.SIGTERM
    finally:
        door.kill()
    store = open_store(db_url)
    try:
        (attempt,) = store.attempts()
        assert attempt.status is AttemptStatus.ABANDONED and attempt.turn_count == 1
    finally:
        store.close()
