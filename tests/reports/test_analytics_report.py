"""The cohort analytics where supervisors read them: the report's level sections (in a real
Chromium, on screen and printed), the choice-map CSV, and `--cohort` on the commands."""

from __future__ import annotations

import base64
import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from game.cli import main
from game.engine.catalog import load_catalog
from game.records.analytics_view import CHOICE_MAP_HEADER, node_title, percent
from game.records.export import load_library
from game.records.report import write_report
from game.records.store import SqlStore
from tests.conftest import ROOT
from tests.reports.browser import Browser, find_chromium
from tests.reports.seed import Demo

SCREENSHOT = ROOT / "docs" / "screenshots" / "report-level.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "chromium is not installed: apt-get install -y chromium chromium-driver "
            "(or set CHROMIUM to its path)"
        )
    with Browser(executable) as opened:
        yield opened


def _cohorts(db_url: str, demo: Demo) -> None:
    first, second, third, fourth, fifth = demo.trainees
    assert main(["cohort", "set", "November", first, second, "--db", db_url]) == 0
    assert main(["cohort", "set", "December", third, fourth, fifth, "--db", db_url]) == 0


def test_cohort_commands(demo: Demo, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _cohorts(db_url, demo)
    out = capsys.readouterr().out
    assert "Ana Reyes is now in cohort 'November'" in out
    assert main(["cohort", "list", "--db", db_url]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0] == "December (3): Dan Okafor, Nguyễn Thị Lan, Şükrü Yılmaz"
    assert listed[1] == "November (2): Ana Reyes, Mikko Virtanen"
    assert main(["cohort", "set", "June", "Nobody Here", "--db", db_url]) == 1
    assert "no trainee called 'Nobody Here': nobody was moved" in capsys.readouterr().err
    assert main(["cohort", "set", "", "Ana Reyes", "--db", db_url]) == 0
    assert "Ana Reyes is now in no cohort" in capsys.readouterr().out


def test_the_choice_map_csv(demo: Demo, db_url: str, store: SqlStore, tmp_path: Path) -> None:
    _cohorts(db_url, demo)
    out = tmp_path / "choices.csv"
    args = ["export", "--db", db_url, "--format", "choices", "--level", "late-delivery",
            "--cohort", "November", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert tuple(rows[0]) == CHOICE_MAP_HEADER
    from game.records.analytics import Window

    level = load_library().ref("late-delivery").scenario
    found = store.choice_map("late-delivery", Window(cohort="November"), scenario=level)
    expected = [(p.node, r.choice, r.picks, r.first, r.latest) for p in found.points
                for r in p.replies]  # fmt: skip
    column = {name: i for i, name in enumerate(CHOICE_MAP_HEADER)}
    got = [
        (row[column["decision_point"]], int(row[column["reply"]]), int(row[column["picks"]]),
         int(row[column["first"]]), int(row[column["latest"]]))
        for row in rows[1:]
    ]  # fmt: skip
    assert got == expected and sum(r[2] for r in got) > 0
    assert {row[column["cohort"]] for row in rows[1:]} == {"November"}
    assert main(["export", "--db", db_url, "--format", "csv", "--level", "x"]) == 2


def test_cohort_filters_the_attempts_csv(demo: Demo, db_url: str, tmp_path: Path) -> None:
    _cohorts(db_url, demo)
    out = tmp_path / "attempts.csv"
    assert main(["export", "--db", db_url, "--format", "csv", "--cohort", "November",
                 "--out", str(out)]) == 0  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    names = {r.get("trainee") or r.get("trainee_name") for r in rows}
    assert names == {"Ana Reyes", "Mikko Virtanen"}


def _report(store: SqlStore, out: Path, **kw: object) -> None:
    write_report(store, out, catalog=load_catalog(), stream=io.StringIO(),
                 now=datetime(2026, 11, 5, 8, 30, tzinfo=UTC), **kw)  # type: ignore[arg-type]  # fmt: skip


def test_the_report_has_a_section_a_level_with_the_stores_numbers(
    browser: Browser, demo: Demo, db_url: str, store: SqlStore, tmp_path: Path
) -> None:
    _cohorts(db_url, demo)
    out = tmp_path / "report.html"
    _report(store, out)
    browser.open(out, width=1280, height=900)
    sections = browser.evaluate(
        "Array.from(document.querySelectorAll('section.level-map'), s => s.id)"
    )
    assert sections == [f"level-{sid}" for sid in load_library().order(store.levels_played())]
    level = load_library().ref("late-delivery").scenario
    found = store.choice_map("late-delivery", scenario=level)
    shown = browser.evaluate(
        """Array.from(document.querySelectorAll('#level-late-delivery .point'), p => [
             p.id, Array.from(p.querySelectorAll('tbody tr'), tr =>
               Array.from(tr.cells, c => c.textContent.replace(/\\s+/g, ' ').trim()))])"""
    )
    points = [p for p in found.points if p.visits]
    assert [s[0] for s in shown] == [f"level-late-delivery-{p.node}" for p in points]
    for (_, rows), point in zip(shown, points, strict=True):
        for cells, reply in zip(rows, point.replies, strict=True):
            assert cells[0] == str(reply.choice)
            assert cells[2] == (reply.verdict or "not picked")
            assert cells[3].startswith(f"{percent(reply.share)} % ({reply.picks})")
            assert cells[4] == f"{percent(reply.first_share)} %"
            assert cells[5].startswith(f"{percent(reply.latest_share)} %")
    # each decision point is headed by what the customer said there; its id is a tooltip
    headings = browser.evaluate(
        """Array.from(document.querySelectorAll('#level-late-delivery .point h3 .node'),
             h => [h.textContent, h.title])"""
    )
    for (heading, tip), point in zip(headings, points, strict=True):
        assert point.line is not None
        assert heading == node_title(point.line.get("en"), point.node) != point.node
        assert heading.startswith("“") and tip == f"decision point {point.node}"
    # the section's progress table: first and latest scores per trainee
    progress = store.level_progress("late-delivery")
    rows = browser.evaluate(
        """Array.from(document.querySelectorAll('#level-late-delivery .progress tbody tr'),
             tr => Array.from(tr.cells, c => c.textContent.trim()))"""
    )
    assert [(r[0], int(r[3]), int(r[4])) for r in rows] == [
        (t.name, t.first_score, t.latest_score) for t in progress.trainees
    ]
    browser.evaluate("document.getElementById('level-late-delivery').scrollIntoView()")
    browser.screenshot(SCREENSHOT)
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_cohort_report_shows_only_that_cohort(
    browser: Browser, demo: Demo, db_url: str, store: SqlStore, tmp_path: Path
) -> None:
    _cohorts(db_url, demo)
    out = tmp_path / "november.html"
    assert main(["report", "--db", db_url, "--cohort", "November", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Ana Reyes" in html and "Mikko Virtanen" in html
    assert "Dan Okafor" not in html and "Nguyễn Thị Lan" not in html
    assert "cohort November" in html
    browser.open(out)
    visits = browser.evaluate(
        "document.querySelector('#level-late-delivery .point h3').textContent"
    )
    from game.records.analytics import Window

    found = store.choice_map("late-delivery", Window(cohort="November"))
    opening = max(found.points, key=lambda p: p.visits)
    assert f"reached {opening.visits}×" in visits


def test_the_level_sections_print_well(
    browser: Browser, demo: Demo, store: SqlStore, tmp_path: Path
) -> None:
    """Printed on A4: every level starts a page, no decision point is split between pages,
    and nothing is wider than the paper."""
    out = tmp_path / "report.html"
    _report(store, out)
    browser.open(out, width=1280, height=900)
    browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
    style = browser.evaluate(
        """(() => { const s = getComputedStyle(document.querySelector('section.level-map'));
             const p = getComputedStyle(document.querySelector('.level-map .point'));
             return [s.breakBefore, p.breakInside]; })()"""
    )
    assert style == ["page", "avoid"]
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": 700, "height": 1000, "deviceScaleFactor": 1, "mobile": False},  # A4 text width
        session=True,
    )
    too_wide = browser.evaluate(
        """Array.from(document.querySelectorAll('.level-map table.replies'))
             .filter(t => t.getBoundingClientRect().right > 700 + 1).length"""
    )
    assert too_wide == 0
    pdf = browser.call(
        "Page.printToPDF",
        {"printBackground": True, "paperWidth": 8.27, "paperHeight": 11.69},
        session=True,
    )
    data = base64.b64decode(pdf["data"])
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    levels = browser.evaluate("document.querySelectorAll('section.level-map').length")
    assert levels >= 3 and pages > levels
