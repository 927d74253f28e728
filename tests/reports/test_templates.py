"""The report's templates are compiled once per language, not on every report."""

from __future__ import annotations

import io
from pathlib import Path
from types import MappingProxyType

from game.i18n.runtime import translator_for
from game.i18n.translator import Translator, ui_key
from game.records import report
from game.records.report import RENDER_CHUNK, _environment, render_html, render_to, write_report
from game.records.store import SqlStore
from tests.catalog import CATALOG
from tests.reports.seed import Demo


def test_equal_translators_share_one_environment_and_languages_keep_their_own() -> None:
    english = _environment(Translator())
    assert _environment(Translator()) is english  # a new but equal translator
    finnish = translator_for("fi")
    fi = _environment(finnish)
    assert fi is not english
    assert fi.globals["lang"] == "fi" and english.globals["lang"] == "en"
    assert fi.globals["_"]("Attempts") == finnish._("Attempts") != "Attempts"
    assert english.globals["_"]("Attempts") == "Attempts"
    assert fi.get_template("report.html") is fi.get_template("report.html")


def test_a_translator_with_other_words_gets_its_own_environment() -> None:
    words = MappingProxyType({ui_key("", "Attempts"): ("Yrityksiä!",)})
    changed = _environment(Translator("fi", ui=words))
    assert changed.globals["_"]("Attempts") == "Yrityksiä!"
    assert _environment(translator_for("fi")).globals["_"]("Attempts") != "Yrityksiä!"


def test_only_a_few_environments_are_kept() -> None:
    for n in range(report._ENVIRONMENTS_LIMIT + 3):
        words = MappingProxyType({ui_key("", "Attempts"): (f"{n}",)})
        assert _environment(Translator("fi", ui=words)).globals["_"]("Attempts") == f"{n}"
    assert len(report._ENVIRONMENTS[0]) == report._ENVIRONMENTS_LIMIT


def test_the_page_is_written_in_chunks_whole(demo: Demo, store: SqlStore, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    model = write_report(store, out, catalog=CATALOG, stream=io.StringIO())
    page = render_html(model)
    assert len(page) > 2 * RENDER_CHUNK  # several chunks, and a last part-filled one
    assert out.read_text(encoding="utf-8") == page
    buffer = io.StringIO()
    assert render_to(model, buffer) == len(page.encode("utf-8")) > len(page)  # bytes, not chars
    assert buffer.getvalue() == page
