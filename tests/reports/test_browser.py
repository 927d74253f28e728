"""The report in a real browser: hostile names stay inert text, and it looks right.

Headless Chromium (Debian's `chromium` package) is driven over its DevTools pipe by
tests/reports/browser.py. The screenshot lands in docs/screenshots/report.png.
"""

from __future__ import annotations

import base64
import io
import struct
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from game.engine.catalog import load_catalog
from game.records.report import write_report
from game.records.store import SqlStore
from tests.conftest import ROOT
from tests.reports.browser import Browser, find_chromium
from tests.reports.seed import Demo, plan_for, record

SCREENSHOT = ROOT / "docs" / "screenshots" / "report.png"
TITLE = "Hold the Line · Supervisor report"
HOSTILE_NAMES = (
    "<img src=x onerror=document.title='pwned'>",
    "</script><script>document.title='pwned'</script>",
    "\"><svg/onload=alert('pwned')>",
    "Zoë <b>bold</b> & 'quoted'",
)
HOSTILE_NOTES = (
    "<img src=x onerror=alert('pwned')>",
    "</script><script>document.title='pwned'</script>",
    "<a href=javascript:alert(1)>click</a> {{ 7*7 }}",
    "<style>body{display:none}</style>",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "chromium is not installed: apt-get install -y chromium chromium-driver "
            "(or set CHROMIUM to its path)"
        )
    with Browser(executable) as opened:
        opened.call("Network.enable", session=True)
        yield opened


def test_the_harness_sees_script_that_runs(browser: Browser, tmp_path: Path) -> None:
    """Control: the same checks do catch a page whose markup runs script."""
    page = tmp_path / "unsafe.html"
    page.write_text(
        "<!doctype html><title>safe</title><p>x</p>"
        "<img src=x onerror=\"document.title='pwned'\"><script>alert('hi')</script>",
        encoding="utf-8",
    )
    browser.open(page)
    assert browser.evaluate("document.title") == "pwned"
    assert [d["params"]["message"] for d in browser.dialogs] == ["hi"]


def test_hostile_names_and_notes_stay_text(
    browser: Browser, store: SqlStore, tmp_path: Path
) -> None:
    ids = [store.add_trainee(name).id for name in HOSTILE_NAMES]
    for index, (trainee_id, note) in enumerate(zip(ids, HOSTILE_NOTES, strict=True)):
        record(
            store,
            trainee_id,
            plan_for("late-delivery", passes=index % 2 == 0),
            started_at=datetime(2026, 11, 5, 9 + index, tzinfo=UTC),
            notes=[note],
        )
    out = tmp_path / "hostile.html"
    write_report(store, out, catalog=load_catalog(), stream=io.StringIO())
    browser.open(out)

    assert browser.evaluate("document.title") == TITLE
    assert browser.dialogs == []
    assert browser.evaluate("document.images.length") == 0
    assert browser.evaluate("document.scripts.length") == 2  # the JSON data block and ours
    assert browser.evaluate("document.querySelectorAll('a[href^=javascript], style').length") == 1
    shown = browser.evaluate(
        "Array.from(document.querySelectorAll('.trainee-name'), e => e.textContent)"
    )
    assert sorted(shown) == sorted(HOSTILE_NAMES)
    overview = browser.evaluate(
        "Array.from(document.querySelectorAll('.overview td.name'), e => e.textContent)"
    )
    assert sorted(overview) == sorted(HOSTILE_NAMES)
    notes = browser.evaluate(
        "Array.from(document.querySelectorAll('.note'), e => e.lastChild.textContent)"
    )
    assert sorted(notes) == sorted(HOSTILE_NOTES)
    # inside the SVG charts too: the accessible names carry the trainee's name as text
    labels = browser.evaluate(
        "Array.from(document.querySelectorAll('svg.anger-chart > title'), e => e.textContent)"
    )
    for name in HOSTILE_NAMES:
        assert any(name in label for label in labels), name
    data = browser.evaluate("JSON.parse(document.getElementById('report-data').textContent)")
    assert sorted(t["name"] for t in data["trainees"]) == sorted(HOSTILE_NAMES)
    # and the page asked for nothing but itself
    assert [url for url in browser.requests if not url.startswith("file://")] == []


def test_screenshot_of_the_report(
    browser: Browser, demo: Demo, store: SqlStore, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    write_report(
        store,
        out,
        catalog=load_catalog(),
        stream=io.StringIO(),
        now=datetime(2026, 11, 5, 8, 30, tzinfo=UTC),
    )
    browser.open(out, width=1280, height=900)
    assert browser.evaluate("document.title") == TITLE
    assert browser.dialogs == []
    # the collapsible sections work, and the first attempt opens for the picture
    assert browser.evaluate("document.querySelectorAll('details.attempt[open]').length") == 0
    browser.evaluate("document.querySelector('[data-expand=open]').click()")  # Ana's section
    first = "document.querySelector('section.trainee')"
    assert browser.evaluate(f"{first}.querySelectorAll('details.attempt:not([open])').length") == 0
    opened = browser.evaluate("document.querySelectorAll('details.attempt[open]').length")
    assert opened == browser.evaluate(f"{first}.querySelectorAll('details.attempt').length") > 1
    browser.evaluate("document.querySelector('[data-expand=close]').click()")
    browser.evaluate("document.querySelector('details.attempt').open = true")
    # the charts have real size on the page
    box = browser.evaluate(
        "(() => { const r = document.querySelector('svg.anger-chart').getBoundingClientRect();"
        " return [r.width, r.height]; })()"
    )
    assert box[0] > 500
    assert box[1] > 150
    assert browser.evaluate("document.querySelectorAll('svg.anger-chart circle').length") > 5
    browser.screenshot(SCREENSHOT, full_page=True, max_height=2100)
    header = SCREENSHOT.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    assert (width, height) == (1280, 2100)


def test_printing_opens_every_attempt(browser: Browser, demo: Demo, store: SqlStore,
                                      tmp_path: Path) -> None:  # fmt: skip
    out = tmp_path / "report.html"
    write_report(store, out, catalog=load_catalog(), stream=io.StringIO())
    browser.open(out)
    total = browser.evaluate("document.querySelectorAll('details.attempt').length")
    assert total == len(demo.attempts) + 1
    assert browser.evaluate("document.querySelectorAll('details.attempt[open]').length") == 0
    pdf = browser.call("Page.printToPDF", {"printBackground": True}, session=True)
    assert base64.b64decode(pdf["data"]).startswith(b"%PDF-")
    assert browser.evaluate("document.querySelectorAll('details.attempt[open]').length") == total
