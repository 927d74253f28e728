"""The supervisor's HTML report: built from a real records file, checked as HTML text.

The browser-level checks (nothing runs, names display literally, the screenshot) are in
test_browser.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import select
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from game.cli import main
from game.engine.bands import BANDS
from game.engine.catalog import load_catalog
from game.engine.session import Turn
from game.records.report import ReportProgress, anger_chart, competency_chart, write_report
from game.records.store import SqlStore, open_store
from tests.catalog import CATALOG
from tests.reports.seed import Demo, fill_demo, plan_for, record

HOSTILE = (
    "<img src=x onerror=document.title='pwned'>",
    "</script><script>document.title='pwned'</script>",
    '"><svg onload=alert(1)>',
)


class _Collect(HTMLParser):
    """Every tag, attribute and text run of a page, as the HTML parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser


def _turns(scenario_id: str, passes: bool) -> tuple[tuple[int, ...], tuple[Turn, ...]]:
    from game.engine.session import play_choices

    plan = plan_for(scenario_id, passes=passes)
    assert plan.level.scenario is not None
    state = play_choices(plan.level.scenario, plan.choices, catalog=CATALOG)
    return state.anger_trace(), state.turns


# ---- charts ----------------------------------------------------------------------------------


def test_anger_chart_places_every_value_and_marks_each_turn() -> None:
    trace, turns = _turns("late-delivery", passes=False)
    chart = anger_chart(trace, turns)
    assert len(chart.markers) == len(trace)
    span = chart.bottom - chart.top
    for marker, value in zip(chart.markers, trace, strict=True):
        assert marker.y == pytest.approx(chart.bottom - span * value / 100, abs=0.1)
    xs = [m.x for m in chart.markers]
    assert xs == sorted(xs)
    assert xs[0] == chart.left
    assert xs[-1] == pytest.approx(chart.right)
    assert chart.markers[0].css == "start"
    for marker, turn in zip(chart.markers[1:], turns, strict=False):
        assert (marker.shape == "circle") is (turn.quality > 0), marker
        assert f"Turn {turn.number}" in marker.label
    assert any(m.shape == "cross" for m in chart.markers), "a failing call has a bad turn"
    # the bands tile the plot from top to bottom
    assert [b.name for b in chart.bands] == [b.name for b in BANDS]
    assert sum(b.height for b in chart.bands) == pytest.approx(span, abs=0.5)
    assert chart.points.count(",") == len(trace)


def test_anger_chart_marks_a_final_value_after_the_call() -> None:
    trace, turns = _turns("late-delivery", passes=True)
    chart = anger_chart((*trace, 80), turns)  # a broken promise landing after the call
    assert chart.markers[-1].css == "end"
    assert chart.x_ticks[-1].label == "End"


def test_competency_bars_are_proportional_and_unpractised_ones_empty() -> None:
    chart = competency_chart([("Listening", 80, 3), ("Close", None, 0), ("Empathy", 40, 1)])
    listening, close, empathy = chart.bars
    assert listening.width == pytest.approx(chart.scale_width * 0.8)
    assert empathy.width == pytest.approx(listening.width / 2)
    assert close.width == 0
    assert close.css == "none"
    assert (listening.css, empathy.css) == ("strong", "weak")
    assert "Close not practised" in chart.summary


def test_the_ending_read_off_the_turns_is_the_one_a_replay_reaches() -> None:
    from game.engine.session import play_choices
    from game.records.report import ending_node
    from tests.reports.seed import plans

    shortcut = 0
    for plan in plans().values():
        scenario = plan.level.scenario
        assert scenario is not None
        state = play_choices(scenario, plan.choices, seed=5, catalog=CATALOG)
        assert state.outcome is not None
        found = ending_node(scenario, state.turns)
        if found is not None:
            shortcut += 1
            assert found == state.outcome.node, plan.name
        else:  # only when the engine ended the call itself
            assert state.outcome.cause in ("blowup", "dead_air", "turn_limit"), plan.name
    assert shortcut >= len(plans()) // 2


# ---- the page --------------------------------------------------------------------------------


def test_report_command_writes_a_self_contained_page(
    demo: Demo, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "--db", db_url, "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    text = " ".join(page.text)

    # self-contained: nothing to fetch, no external address anywhere in a tag
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed", "img"), tag
        for name, value in attrs.items():
            assert not (name in ("src", "href") and value and not value.startswith("#")), (
                tag,
                name,
                value,
            )
    assert "@import" not in html
    assert "url(" not in html
    csp = next(
        a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None
    assert "default-src 'none'" in csp
    assert "script-src 'sha256-" in csp

    # overview: every trainee, the stuck one highlighted
    for name in demo.trainees:
        assert name in text
    stuck_rows = [a for t, a in page.tags if t == "tr" and "is-stuck" in (a.get("class") or "")]
    assert len(stuck_rows) == 1
    assert html.count('class="cell stuck"') == 1
    assert "stuck on The Late Delivery" in text

    # charts are SVG with real shapes: an anger curve per attempt with turns, bars per trainee
    svgs = [a for t, a in page.tags if t == "svg"]
    anger = [a for a in svgs if a.get("class") == "anger-chart"]
    bars = [a for a in svgs if a.get("class") == "bar-chart"]
    assert len(bars) == len(demo.trainees)
    assert len(anger) == len(demo.attempts) + 1  # + the call still in progress
    assert sum(1 for t, a in page.tags if t == "polyline") == len(anger)

    # attempts collapse, and their feedback cites principles by id and title
    details = [a for t, a in page.tags if t == "details"]
    assert len(details) == len(demo.attempts) + 1
    catalog = load_catalog()
    cited = set(re.findall(r"<code>(G-[A-Z]+-\d+)</code>", html))
    assert cited, "feedback cites principles"
    for pid in cited:
        assert catalog.principles[pid].title in text
    # the transcript: the customer's lines and the trainee's replies
    assert "Finally, a human!" in text
    assert "Mm-hm. I'm listening. Please, go on." in text
    # coaching notes
    assert "Lovely recap on turn 4. Try using his name earlier." in text
    assert "Supervisor Kim" in text

    # the progress summary on stderr
    err = capsys.readouterr().err
    assert re.search(r"report: 5 trainees, 15 attempts → .*report\.html \(\d+ KiB\) in", err)


def test_hostile_names_and_notes_are_escaped_everywhere(store: SqlStore, tmp_path: Path) -> None:
    ids = [store.add_trainee(name).id for name in HOSTILE]
    for trainee_id, note in zip(ids, reversed(HOSTILE), strict=True):
        record(
            store,
            trainee_id,
            plan_for("late-delivery", passes=False),
            started_at=datetime(2026, 11, 3, 10, tzinfo=UTC),
            notes=[f"Note: {note}"],
        )
    out = tmp_path / "report.html"
    write_report(store, out, catalog=load_catalog(), stream=io.StringIO())
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    # no element or handler came from a name or a note
    assert not [t for t, _ in page.tags if t == "img"]
    assert sum(1 for t, _ in page.tags if t == "script") == 2  # our data block and our script
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
    assert html.count("<svg") == html.count("</svg>")  # only our own SVG elements
    # the names are there, as text
    text = "".join(page.text)
    for name in HOSTILE:
        assert name in text
    assert "&lt;img src=x onerror=document.title=&#39;pwned&#39;&gt;" in html
    # the inline JSON is escaped for a script element, and still says the same names
    data = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert data is not None
    assert "</" not in data.group(1)
    assert "<" not in data.group(1)
    names = {t["name"] for t in json.loads(data.group(1))["trainees"]}
    assert names == set(HOSTILE)


def test_report_for_one_trainee_since_a_date(demo: Demo, db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "one.html"
    code = main(
        ["report", "--db", db_url, "--out", str(out), "--trainee", "ana reyes",
         "--since", "2026-11-02"]
    )  # fmt: skip
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert "Ana Reyes" in html
    assert "Mikko Virtanen" not in html
    assert html.count('<details class="attempt"') == 4
    assert "attempts since 2026-11-02" in html

    later = tmp_path / "later.html"
    code = main(
        ["report", "--db", db_url, "--out", str(later), "--since", "2026-11-04"]
    )  # fmt: skip
    assert code == 0
    kept = later.read_text(encoding="utf-8").count('<details class="attempt"')
    assert 0 < kept < len(demo.attempts)


def test_the_report_marks_exams(demo: Demo, db_url: str, store: SqlStore, tmp_path: Path) -> None:
    from sqlalchemy import text

    ana = store.find_trainee("Ana Reyes")
    assert ana is not None
    *rest, latest = sorted(store.attempts(trainee_id=ana.id), key=lambda a: a.started_at)
    with store.engine.begin() as conn:  # her latest call was an exam
        conn.execute(text("UPDATE attempts SET exam = TRUE WHERE id = :a"), {"a": latest.id})
    out = tmp_path / "ana.html"
    assert main(["report", "--db", db_url, "--out", str(out), "--trainee", "Ana Reyes"]) == 0
    html = out.read_text(encoding="utf-8")
    marked = re.findall(r'<details class="attempt" id="attempt-(\d+)">(?:(?!</summary>).)*'
                        r'<span class="exam"', html, flags=re.S)  # fmt: skip
    assert marked == [str(latest.id)] and rest
    room = tmp_path / "room.html"  # a room too big for transcripts: its latest attempts
    write_report(store, room, catalog=CATALOG, transcript_limit=1, stream=io.StringIO())
    rows = re.findall(r'<tr id="attempt-(\d+)">(?:(?!</tr>).)*<span class="exam">',
                      room.read_text(encoding="utf-8"), flags=re.S)  # fmt: skip
    assert rows == [str(latest.id)]  # the room summary's latest attempts say it too


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--trainee", "Nobody Here"], "no trainee called 'Nobody Here'"),
        (["--since", "last tuesday"], "--since must be a date"),
    ],
)
def test_report_usage_errors(
    demo: Demo,
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    out = tmp_path / "r.html"
    assert main(["report", "--db", db_url, "--out", str(out), *extra]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_empty_database_gives_a_friendly_page(store: SqlStore, tmp_path: Path) -> None:
    out = tmp_path / "empty.html"
    model = write_report(store, out, catalog=load_catalog(), stream=io.StringIO())
    assert model.trainees == ()
    assert "No trainees yet" in out.read_text(encoding="utf-8")


def test_report_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    with open_store(pg_url) as pg:
        demo = fill_demo(pg)
    out = tmp_path / "pg.html"
    assert main(["report", "--db", pg_url, "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    for name in demo.trainees:
        assert name in html
    assert html.count('<details class="attempt"') == len(demo.attempts) + 1


# ---- progress --------------------------------------------------------------------------------


def test_progress_draws_a_bar_on_a_terminal() -> None:
    master, slave = os.openpty()
    try:
        with os.fdopen(slave, "w", encoding="utf-8", closefd=False) as tty:
            progress = ReportProgress(4, tty)
            assert progress.live
            for _ in range(4):
                progress.advance()
            progress.finish("done")
        chunks = []
        while select.select([master], [], [], 0.5)[0]:  # everything the terminal received
            chunks.append(os.read(master, 65536))
        seen = b"".join(chunks).decode("utf-8")
    finally:
        os.close(master)
        os.close(slave)
    assert "\r" in seen
    assert "4/4 attempts" in seen
    assert "█" in seen
    assert seen.rstrip().endswith(" s")


def test_progress_off_a_terminal_prints_only_the_summary() -> None:
    out = io.StringIO()
    progress = ReportProgress(3, out)
    for _ in range(3):
        progress.advance()
    progress.finish("3 attempts")
    assert out.getvalue().startswith("report: 3 attempts in ")
    assert "\r" not in out.getvalue()
    assert out.getvalue().count("\n") == 1


def test_an_edited_note_says_when_it_was_changed(
    demo: Demo, store: SqlStore, tmp_path: Path
) -> None:
    ana = demo.trainees["Ana Reyes"]
    (note,) = store.notes_for_trainee(ana)
    store.edit_note(note.id, "Lovely recap on turn 4. Use his name in the first minute.")
    out = tmp_path / "report.html"
    write_report(store, out, catalog=load_catalog(), trainee="Ana Reyes", stream=io.StringIO())
    html = out.read_text(encoding="utf-8")
    assert "Use his name in the first minute." in html
    assert re.search(r"Supervisor Kim · [^<]* · edited [^<]* · not read yet", html)
    assert "Lovely recap on turn 4. Try using" not in html  # the old words are gone
