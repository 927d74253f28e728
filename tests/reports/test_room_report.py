"""The room report past its transcript limit: a summary a browser opens, transcripts a
`--trainee` (or a narrower window) away; one trainee's report keeps every transcript."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from game.cli import main
from game.engine.catalog import load_catalog
from game.records.readonly import open_readonly
from game.records.report import write_report
from tests.reports.seed import T0, Demo
from tests.reports.test_report import parse

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_room_past_the_limit_gets_a_summary_without_transcripts(
    demo: Demo, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "room.html"
    store = open_readonly(db_url)
    try:
        model = write_report(
            store, out, catalog=load_catalog(), transcript_limit=5, stream=io.StringIO(), now=NOW
        )
    finally:
        store.close()
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    text = " ".join(page.text)
    assert model.summary_only and model.attempts_listed == len(demo.attempts) + 1
    assert not [t for t, _ in page.tags if t == "details"]  # no transcript anywhere
    # the customer's words appear only as a decision point of the level's choice map
    assert "Finally, a human!" not in html.split('id="transcripts"', 1)[1]
    assert 'id="cohort"' in html and 'id="transcripts"' in html
    for name in demo.trainees:
        assert f'hold-the-line report --trainee "{name}"' in text
    # each trainee: the competency chart, and their latest attempts as one line each
    recent = [a for t, a in page.tags if t == "tr" and (a.get("id") or "").startswith("attempt-")]
    assert len(recent) == len(demo.attempts) + 1  # all of them: fewer than 10 per trainee
    stuck = next(t for t in model.trainees if t.trainee.name == demo.stuck)
    assert stuck.stuck and stuck.listed == 4 and len(stuck.recent) == 4
    assert stuck.recent[0].started > stuck.recent[-1].started  # newest first
    bars = [a for t, a in page.tags if t == "svg" and a.get("class") == "bar-chart"]
    assert len(bars) == len(demo.trainees) + 1  # + the room's
    late = next(level for level in model.cohort if level.title == "The Late Delivery")
    assert (late.played, late.stuck) == (5, 1)


def test_one_trainee_keeps_every_transcript_whatever_the_limit(
    demo: Demo, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "mikko.html"
    store = open_readonly(db_url)
    try:
        model = write_report(
            store,
            out,
            catalog=load_catalog(),
            trainee=demo.stuck,
            transcript_limit=1,
            stream=io.StringIO(),
            now=NOW,
        )
    finally:
        store.close()
    assert not model.summary_only
    html = out.read_text(encoding="utf-8")
    assert html.count("<details") == 4
    assert "Finally, a human!" in html


def test_a_date_range_lists_only_its_transcripts(
    demo: Demo, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "week.html"
    since, until = T0.date(), (T0 + timedelta(days=1)).date()
    args = ["report", "--db", db_url, "--out", str(out), "--since", since.isoformat(),
            "--until", until.isoformat()]  # fmt: skip
    assert main(args) == 0
    html = out.read_text(encoding="utf-8")
    # attempts are 3 h 17 min apart from T0 (09:00): 5 start before midnight
    assert html.count("<details") == 5
    assert f"attempts from {since.isoformat()} to before {until.isoformat()}" in html
    assert main([*args[:-1], "not-a-date"]) == 2
    assert "--until must be a date" in capsys.readouterr().err
