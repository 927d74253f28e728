"""The report printed by real Chromium on A4 and Letter: as many pages as the content needs.

The first edition printed 23 pages for one trainee's three attempts, most of them two thirds
blank (Chromium broke the trainee's section one turn a page), and every attempt header
collapsed into a column one word wide. Here a known report is printed to PDF and read back
page by page with pypdf: the count is checked against the content's own height in print
layout, every page carries text, each header reads on one line, each chart is whole on a page.
"""

from __future__ import annotations

import base64
import io
import math
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from game.engine.catalog import load_catalog
from game.records.report import write_report
from game.records.store import open_store
from tests.reports.browser import Browser, find_chromium
from tests.reports.seed import T0, plan_for, record

MM = 96 / 25.4  # CSS pixels in a millimetre
MARGIN_MM = (14, 12)  # report.css: @page { margin: 14mm 12mm }
PAPERS = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
TITLES = ("Can't Decide", "The Late Delivery")
# A chart's text in reading order: bands, the axis, its turns. Split over two pages, no page
# holds it all.
WHOLE_CHART = re.compile(r"Furious\s+0\s+25\s+50\s+75\s+100\s+Start[\d\s]+Turn\s+Anger")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_chromium()
    if executable is None:
        pytest.skip("chromium is not installed: apt-get install -y chromium (or set CHROMIUM)")
    with Browser(executable) as opened:
        yield opened


@pytest.fixture(scope="module")
def known_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One trainee, three finished calls (one failed, one with a coaching note)."""
    folder = tmp_path_factory.mktemp("print")
    out = folder / "report.html"
    with open_store(f"sqlite:///{folder / 'records.db'}") as store:
        trainee = store.add_trainee("Ana Reyes").id
        record(store, trainee, plan_for("late-delivery", passes=False), started_at=T0)
        record(store, trainee, plan_for("late-delivery", passes=True),
               started_at=T0 + timedelta(hours=2), notes=["Lovely recap on turn 4."])  # fmt: skip
        record(store, trainee, plan_for("cant-decide", passes=True),
               started_at=T0 + timedelta(hours=4))  # fmt: skip
        write_report(store, out, catalog=load_catalog(), trainee="Ana Reyes",
                     stream=io.StringIO(), now=T0 + timedelta(days=1))  # fmt: skip
    return out


def content_pages(browser: Browser, paper: tuple[float, float]) -> float:
    """The pages the content fills laid end to end: its print-layout height over a page's."""
    width = round((paper[0] - 2 * MARGIN_MM[1]) * MM)
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False},
        session=True,
    )
    browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=True)
    try:
        browser.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        height = float(browser.evaluate("document.documentElement.scrollHeight"))
    finally:
        browser.call("Emulation.setEmulatedMedia", {"media": ""}, session=True)
    return height / ((paper[1] - 2 * MARGIN_MM[0]) * MM)


@pytest.mark.parametrize("paper", list(PAPERS))
def test_the_report_prints_on_the_pages_its_content_needs(
    browser: Browser, known_report: Path, paper: str
) -> None:
    width_mm, height_mm = PAPERS[paper]
    browser.open(known_report)
    needed = content_pages(browser, (width_mm, height_mm))
    browser.open(known_report)  # closed again, as a supervisor opens it; printing opens them
    pdf = browser.call(
        "Page.printToPDF",
        {"printBackground": True, "paperWidth": width_mm / 25.4, "paperHeight": height_mm / 25.4},
        session=True,
    )
    pages = [
        page.extract_text() for page in PdfReader(io.BytesIO(base64.b64decode(pdf["data"]))).pages
    ]
    # The content's height in pages, plus the page the trainee starts on and what keeping
    # turns, charts and headers whole costs: about one page more, never twice the content.
    assert math.ceil(needed) <= len(pages) <= math.ceil(needed) + 2, (len(pages), needed)
    assert len(pages) <= 12  # was 23 on both papers before the print stylesheet was fixed
    for number, text in enumerate(pages, 1):
        # the last page may hold only the end of the last call (and the report's closing line)
        least = 40 if number == len(pages) else 300
        body = "\n".join(
            line for line in text.splitlines() if not line.startswith("Hold the Line ·")
        )
        assert len(body.strip()) > least, f"page {number} of {len(pages)} is (nearly) blank"
    everything = "\n".join(pages)
    for title in TITLES:  # each header reads as a line, not one word a line
        # then its start, as English readers write a date (Babel): "Nov 2, 2026, 13:00 · …"
        assert re.search(re.escape(title) + r"\nNov 2, 2026, \d\d:\d\d · ", everything), title
    charts = sum(len(WHOLE_CHART.findall(text)) for text in pages)
    assert charts == 3, "an anger chart is split over two pages"
    assert "Lovely recap on turn 4." in everything
