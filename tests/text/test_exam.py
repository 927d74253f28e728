"""`text --exam`: the terminal shows no grading during the call and everything after it;
with --trainee the training layer decides (a pass first; a supervisor's requirement always)
and the attempt is recorded as an exam."""

from __future__ import annotations

import csv
import io
import json

from game.records.store import SqlStore
from tests.text.door import LATE, Door, run

GOOD = ["1"] * 8  # the guide path of late-delivery
SCRIPT = ",".join(GOOD)


def test_an_exam_transcript_has_no_grading_until_the_debrief() -> None:
    practice = run("text", LATE, "--choices", SCRIPT)
    exam = run("text", LATE, "--choices", SCRIPT, "--exam")
    assert practice.returncode == exam.returncode == 0, exam.stderr
    call, debrief = exam.stdout.split("Score:", 1)
    assert "EXAM: no feedback during the call" in call
    assert "»" not in call and " (G-" not in call  # no feedback, no principle per reply
    assert "»" in practice.stdout.split("Score:", 1)[0]  # practice shows it as it lands
    assert "anger" in call.lower()  # the meter: the customer's mood still shows
    # the debrief is the same in both: everything is revealed there
    assert debrief == practice.stdout.split("Score:", 1)[1]


def test_an_exam_over_jsonl_sends_turns_without_verdicts() -> None:
    door = Door(LATE, "--exam")
    try:
        for _ in GOOD:
            door.until("choose")
            door.send("1")
            turn = door.until("turn")
            assert turn["exam"] is True and "anger_after" in turn
            assert not {"verdict", "feedback", "effects", "why"} & set(turn)
        end = door.until("end")
        assert door.finish() == 0
    finally:
        door.kill()
    assert end["exam"] is True and all("verdict" in t for t in end["turns"])


def test_a_recorded_exam_needs_a_pass_first_and_is_stored(db_url: str, records: SqlStore) -> None:
    records.add_trainee("Ana")
    base = ("text", LATE, "--choices", SCRIPT, "--json", "--trainee", "Ana", "--db", db_url)
    early = run(*base, "--exam")
    assert early.returncode == 2 and "once you have passed this level" in early.stderr
    assert records.attempts() == ()  # refused before anything was recorded
    assert run(*base).returncode == 0  # a pass, with feedback
    exam = run(*base, "--exam")
    assert exam.returncode == 0, exam.stderr
    assert json.loads(exam.stdout)["exam"] is True
    assert [a.exam for a in records.attempts()] == [False, True]
    export = run("export", "--format", "csv", "--db", db_url)
    assert [row["exam"] for row in csv.DictReader(io.StringIO(export.stdout))] == ["no", "yes"]


def test_a_required_exam_is_an_exam_without_asking(db_url: str, records: SqlStore) -> None:
    records.add_trainee("Ana")
    required = run("cohort", "exam", "late-delivery", "--by", "Sam", "--db", db_url)
    assert required.returncode == 0 and "late-delivery: exam mode required" in required.stdout
    listed = run("cohort", "exams", "--db", db_url)
    assert listed.stdout.startswith("late-delivery: required by Sam since")
    played = run("text", LATE, "--choices", SCRIPT, "--trainee", "Ana", "--db", db_url)
    assert played.returncode == 0
    assert "requires exam mode for late-delivery" in played.stderr
    assert "EXAM: no feedback" in played.stdout
    assert [a.exam for a in records.attempts()] == [True]
    assert run("cohort", "exam", "late-delivery", "--off", "--db", db_url).returncode == 0
    assert records.exam_rules() == {}
    unknown = run("cohort", "exam", "no-such-level", "--db", db_url)
    assert unknown.returncode == 1 and "nothing was changed" in unknown.stderr
