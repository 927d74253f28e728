"""Every diagnostic code is in the one table, documented, and its pages are current."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from game.analysis.codes_doc import codes_markdown, with_code_table
from game.scenario.diagnostics import BY_CODE, DIAGNOSTICS, Diagnostic, Severity
from tests.catalog import CATALOG
from tests.conftest import ROOT

CODE = re.compile(r"""["'](SC|LN|PL)(\d{3})["']""")


def codes_used(files: Iterable[Path]) -> dict[str, str]:
    """Code → a file that reports it, for every code literal in the game's source."""
    used: dict[str, str] = {}
    for file in files:
        for match in CODE.finditer(file.read_text(encoding="utf-8")):
            used.setdefault(match.group(1) + match.group(2), str(file))
    return used


def undocumented(used: Iterable[str], table: Iterable[Diagnostic], pages: str) -> list[str]:
    """Codes in use with no entry in the table, or no page in `docs/codes.md`."""
    known = {d.code for d in table}
    return sorted(c for c in used if c not in known or f'<a id="{c.lower()}"></a>' not in pages)


def _sources() -> list[Path]:
    return [p for p in (ROOT / "game").rglob("*.py") if p.name != "diagnostics.py"]


def test_every_code_the_game_reports_has_an_entry_and_a_page() -> None:
    used = codes_used(_sources())
    assert len(used) > 40  # the scan finds the codes (SC, LN and PL), not nothing
    pages = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    assert undocumented(used, DIAGNOSTICS, pages) == []


def test_the_check_fails_on_a_code_with_no_page(tmp_path: Path) -> None:
    source = tmp_path / "check.py"
    source.write_text('sink.add(pos, "LN099", "a new rule nobody documented")\n')
    pages = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    assert undocumented(codes_used([source]), DIAGNOSTICS, pages) == ["LN099"]
    entry = Diagnostic("LN099", Severity.WARNING, "t", "m", "s", "e", "f")
    assert undocumented(["LN099"], (*DIAGNOSTICS, entry), pages) == ["LN099"]  # no page yet


def test_every_entry_is_documented_and_numbered_in_its_family() -> None:
    assert len(BY_CODE) == len(DIAGNOSTICS), "a code is listed twice"
    for d in DIAGNOSTICS:
        assert re.fullmatch(r"(SC|LN|PL)\d{3}", d.code), d.code
        for part in (d.title, d.message, d.summary, d.example, d.fix):
            assert part.strip(), f"{d.code} lacks part of its documentation"
        expected = Severity.WARNING if d.code.startswith("LN") else Severity.ERROR
        assert d.severity is expected, d.code


def test_no_code_is_used_for_two_meanings() -> None:
    """The two codes that carried two meanings each are split: `rating` on a decision point
    (was SC006, unknown key) and a `blowup` that is no ending (was SC010)."""
    builder = (ROOT / "game" / "scenario" / "builder.py").read_text(encoding="utf-8")
    assert re.search(r'"SC032", f"`rating` only belongs on an ending', builder)
    assert re.search(r'"SC033", "node \'blowup\' must be an ending', builder)
    assert "only belongs" not in BY_CODE["SC006"].message
    assert "blowup" not in BY_CODE["SC010"].message


def test_the_generated_documents_are_current() -> None:
    docs = ROOT / "docs"
    assert (docs / "codes.md").read_text(encoding="utf-8") == codes_markdown(), (
        "regenerate with: make docs"
    )
    authoring = (docs / "authoring.md").read_text(encoding="utf-8")
    assert authoring == with_code_table(authoring), "regenerate with: make docs"
    for d in DIAGNOSTICS:
        assert f"| [{d.code}](codes.md#{d.anchor}) | {d.title} |" in authoring


def _template(message: str) -> re.Pattern[str]:
    """A message template as a pattern: each `{…}` stands for any text, ` | ` separates
    the wordings of a code that has more than one."""

    def one(wording: str) -> str:
        return ".+".join(re.escape(part) for part in re.split(r"\{[^{}]*\}", wording))

    return re.compile("|".join(f"(?:{one(w)})" for w in message.split(" | ")), re.S)


def test_each_template_matches_what_the_loader_says() -> None:
    """Every SC problem the loader's tests provoke is worded as its template says."""
    from tests.scenario.base import BASE
    from tests.scenario.test_loader import CASES, problems_of

    checked: set[str] = set()
    wrong: list[tuple[str, str]] = []
    for _what, (old, new), code, _where in CASES:
        for problem in problems_of(BASE.replace(old, new, 1)):
            if problem.code == code:
                if not _template(BY_CODE[code].message).fullmatch(problem.message):
                    wrong.append((code, problem.message))
                checked.add(code)
    assert wrong == [], "\n".join(f"{c}: {m}" for c, m in wrong)
    assert len(checked) >= 25


def test_each_template_matches_what_lint_says() -> None:
    """The LN warnings of a small level, with a few flaws added, are worded as their
    templates say."""
    from game.analysis.lint import lint_scenario
    from game.analysis.paths import explore
    from game.scenario.loader import parse_scenario
    from tests.scenario.base import BASE

    flawed = BASE.replace("# yaml-language-server: $schema=schema.json\n", "").replace(
        "        technique: solve\n",
        "        technique: solve\n        set: [fixed]\n        feedback: Good fix.\n"
        "        expect: bad\n",
    )
    scenario = parse_scenario(flawed.encode(), "t.yaml")
    warnings = lint_scenario(scenario, flawed, explore(scenario, catalog=CATALOG), catalog=CATALOG)
    codes = {w.code for w in warnings}
    assert {"LN002", "LN005", "LN008", "LN010", "LN011", "LN012", "LN015"} <= codes, codes
    for warning in warnings:
        assert _template(BY_CODE[warning.code].message).fullmatch(warning.message), warning
