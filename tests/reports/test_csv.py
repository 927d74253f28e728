"""CSV export: one row per attempt or per turn, Excel-friendly and formula-injection safe."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.cli import main
from game.records.export import (
    ATTEMPT_COLUMNS,
    FORMULA_STARTS,
    TURN_COLUMNS,
    csv_time,
    safe_cell,
)
from game.records.names import normal_name
from game.records.store import SqlStore
from tests.reports.seed import Demo, plan_for, record

ISO_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
INJECTIONS = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A2)", "＝1+1")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_attempt_rows(demo: Demo, db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "attempts.csv"
    assert main(["export", "--db", db_url, "--format", "csv", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    assert b"\r\n" in raw
    rows = read(out)
    assert list(rows[0]) == list(ATTEMPT_COLUMNS)
    assert len(rows) == len(demo.attempts) + 1  # and the one in progress
    assert {r["trainee"] for r in rows} == set(demo.trainees)  # UTF-8 names intact
    for row in rows:
        assert ISO_UTC.match(row["started_utc"]), row["started_utc"]
        assert row["ended_utc"] == "" or ISO_UTC.match(row["ended_utc"])
    first = rows[0]
    assert first["started_utc"] == "2026-11-02T09:00:00Z"
    assert first["scenario"] == "The Late Delivery"
    assert first["level"] == "1"
    assert first["status"] == "completed"
    assert first["passed"] == "no"
    trace = [int(v) for v in first["anger_trace"].split()]
    assert trace[-1] == int(first["final_anger"])
    stuck = [r for r in rows if r["trainee"] == demo.stuck]
    assert [r["passed"] for r in stuck] == ["no"] * 4
    assert "Let's practise together" in stuck[-1]["notes"]
    statuses = {r["attempt_id"]: r["status"] for r in rows}
    assert statuses[str(demo.abandoned)] == "abandoned"
    assert statuses[str(demo.in_progress)] == "in_progress"


def test_turn_rows(demo: Demo, db_url: str, tmp_path: Path, store: SqlStore) -> None:
    out = tmp_path / "turns.csv"
    assert main(["export", "--db", db_url, "--format", "csv", "--turns", "--out", str(out)]) == 0
    rows = read(out)
    assert list(rows[0]) == list(TURN_COLUMNS)
    expected = sum(a.turn_count for a in store.attempts())
    assert len(rows) == expected
    for row in rows:
        assert int(row["anger_after"]) - int(row["anger_before"]) == int(row["anger_delta"])
    negative = [r["anger_delta"] for r in rows if r["anger_delta"].startswith("-")]
    assert negative
    assert all(re.fullmatch(r"-\d+", v) for v in negative)
    assert any(r["principles"].startswith("G-") for r in rows)
    first = rows[0]
    assert first["turn"] == "1"
    assert first["node"] == "opening"
    assert first["feedback"]
    assert any(re.search(r"\(G-[A-Z]+-\d+, [+-]\d+\)", r["feedback"]) for r in rows)
    assert not [r["feedback"] for r in rows if r["feedback"].startswith("'")]


def test_formula_injection_is_neutralised(store: SqlStore, tmp_path: Path, db_url: str) -> None:
    for index, name in enumerate(INJECTIONS):
        trainee = store.add_trainee(name)
        record(
            store,
            trainee.id,
            plan_for("late-delivery", passes=False),
            started_at=datetime(2026, 11, 6, 9 + index, tzinfo=UTC),
            notes=["=cmd|' /C calc'!A0"],
        )
    out = tmp_path / "attempts.csv"
    assert main(["export", "--db", db_url, "--format", "csv", "--out", str(out)]) == 0
    rows = read(out)
    # names are stored in NFKC (the fullwidth ＝ becomes =), and every one is still neutralised
    assert sorted(r["trainee"] for r in rows) == sorted(
        "'" + normal_name(name) for name in INJECTIONS
    )
    assert {r["notes"] for r in rows} == {"Supervisor Kim: =cmd|' /C calc'!A0"}  # not at the start
    turns = tmp_path / "turns.csv"
    assert main(["export", "--db", db_url, "--format", "csv", "--turns", "--out", str(turns)]) == 0
    assert all(r["trainee"].startswith("'") for r in read(turns))


def test_stdout_has_no_bom(demo: Demo, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--db", db_url, "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("attempt_id,trainee_id,")
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert len(rows) == len(demo.attempts) + 1
    assert re.search(r"export: 15 attempt rows", captured.err)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1", "'  =1"),
        ("＠A1", "'＠A1"),
        ("Ana", "Ana"),
        ("a=b", "a=b"),
        (-5, -5),
        (0.25, 0.25),
        (None, ""),
        ("", ""),
    ],
)
def test_safe_cell(value: str | int | float | None, expected: str | int | float) -> None:
    assert safe_cell(value) == expected


@given(st.text(max_size=40))
def test_no_text_cell_can_start_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert isinstance(cell, str)
    assert cell in (text, "'" + text)
    assert not cell.lstrip(" ").startswith(FORMULA_STARTS)


def test_csv_time_is_utc_iso() -> None:
    from datetime import timedelta, timezone

    helsinki = timezone(timedelta(hours=2))
    assert csv_time(datetime(2026, 11, 2, 11, 0, 5, 123, tzinfo=helsinki)) == "2026-11-02T09:00:05Z"
    assert csv_time(None) == ""
