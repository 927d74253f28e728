"""The report in the supervisor's language: in a complete language (a pseudo-translation,
game.i18n.pseudo), no text node of the page is left in English, for the full report, the
room summary and one trainee's report; `report --lang` refuses a language that is not."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from game.cli import main
from game.engine.catalog import load_catalog
from game.i18n.project import shipped_domains
from game.i18n.pseudo import write_pseudo_locale
from game.i18n.runtime import localized_catalog, translator_for
from game.records.report import write_report
from game.records.store import SqlStore
from tests.reports.seed import Demo

LANG = "fi"
SKIPPED = {"script", "style", "code", "pre"}  # the page's program, and commands to type
NOTES = ("Lovely recap on turn 4. Try using his name earlier.",
         "Let's practise together: listen twice before you explain anything.")  # fmt: skip
KEPT = re.compile(r"\bG-[A-Z]+-\d+\b|\b[A-Z]\b|UTC|\b[a-z]+(?:_[a-z]+)+\b")
WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def pseudo_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pseudo") / "locale"
    return write_pseudo_locale(root, shipped_domains(load_catalog()), LANG)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("meta", "br", "img", "input", "link", "rect", "line", "path", "circle"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not SKIPPED.intersection(self.open):
            self.text.append(data.strip())


def english_nodes(html: str, people: list[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    node_ids = re.compile(r"\b[a-z]+(?:_[a-z]+)*\b")  # the choice map names points by id
    left = []
    for text in parser.text:
        if text in NOTES:
            continue
        rest = text
        for name in people:
            rest = rest.replace(name, "")
        rest = KEPT.sub("", rest)
        words = [w for w in WORD.findall(rest) if not (w.islower() and node_ids.fullmatch(w))]
        if words:
            left.append(text)
    return left


def _people(demo: Demo) -> list[str]:
    return sorted([*demo.trainees, "Supervisor Kim"], key=len, reverse=True)  # who wrote notes


@pytest.mark.parametrize("limit", [300, 1], ids=["full", "summary"])
def test_the_report_has_no_english_text_node(
    demo: Demo,
    store: SqlStore,
    tmp_path: Path,
    pseudo_locale: Path,
    monkeypatch: pytest.MonkeyPatch,
    limit: int,
) -> None:
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(pseudo_locale))
    tr = translator_for(LANG)
    catalog = localized_catalog(load_catalog(), tr)
    out = tmp_path / "report.html"
    write_report(store, out, catalog=catalog, tr=tr, lang=LANG, stream=io.StringIO(),
                 transcript_limit=limit)  # fmt: skip
    html = out.read_text("utf-8")
    assert f'<html lang="{LANG}">' in html
    left = english_nodes(html, _people(demo))
    assert not left, "\n".join(repr(t) for t in left)


def test_report_lang_over_the_command_line(
    demo: Demo, db_url: str, tmp_path: Path, pseudo_locale: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "ana.html"
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(pseudo_locale))
    code = main(["report", "--db", db_url, "--out", str(out), "--trainee", "Ana Reyes",
                 "--lang", LANG])  # fmt: skip
    assert code == 0
    left = english_nodes(out.read_text("utf-8"), _people(demo))
    assert not left, "\n".join(repr(t) for t in left)


def test_report_lang_refuses_a_language_still_being_translated(
    db_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pseudo_locale: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOLD_THE_LINE_LOCALE", str(pseudo_locale))  # Vietnamese has no lines there
    code = main(["report", "--db", db_url, "--out", str(tmp_path / "r.html"), "--lang", "vi"])
    assert code == 2
    err = capsys.readouterr().err
    assert re.search(r"Vietnamese \(vi\) is not complete yet: \d+ lines", err)
    assert "i18n check --lang vi" in err
    assert not (tmp_path / "r.html").exists()
