"""No text a player or supervisor reads is re-cased in code: `"i".upper()` is "I", but in
Turkish it is "İ" (and "ı".upper() is "I"), so a caption upper-cased by Python misspells
Turkish words and names. Text is shown as written (or translated); the few case changes
left only compare or look things up, and each says so below.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from game.paths import PROJECT_ROOT

GAME = PROJECT_ROOT / "game"
# Where a reader's text is drawn or written: the window, the terminal, the report, the CLI.
SHOWN = ("ui", "text", "training", "cli", "records/report.py", "records/report_views.py",
         "records/report_charts.py")  # fmt: skip
CASING = {"upper", "lower", "title", "capitalize", "swapcase", "casefold"}
NOT_SHOWN = {
    ("ui/theme.py", "band_name.lower()"): "the theme's colour attribute for a band id",
    ("ui/face.py", "name.strip().lower()"): "a seed for the portrait, never drawn",
    ("ui/typography.py", "word.lower()"): "finding syllables, never drawn",
    ("ui/scenes/profile.py", "letters.upper()"): "a badge's initials of a name as typed",
    ("text/player.py", "line.strip().lower()"): "reading the player's y/n answer",
    ("records/report.py", "r.trainee.name.casefold()"): "the sort order of names",
    ("records/report_charts.py", "band.name.lower()"): "a CSS class from a band id",
    ("training/practice.py", "d.trainee_name.casefold()"): "the order of due drills by name",
}


def _sources() -> list[Path]:
    found: list[Path] = []
    for part in SHOWN:
        path = GAME / part
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def _recasings(path: Path) -> list[str]:
    source = path.read_text("utf-8")
    calls = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CASING
            and not node.args
        ):
            calls.append(ast.get_source_segment(source, node) or node.func.attr)
    return calls


def test_no_displayed_text_is_re_cased_in_code() -> None:
    found = []
    for path in _sources():
        where = path.relative_to(GAME).as_posix()
        for call in _recasings(path):
            if (where, call) not in NOT_SHOWN:
                found.append(f"game/{where}: {call}")
    assert found == [], "\n".join(found)
    assert len(_sources()) > 40  # the scan sees the window's scenes


def test_the_report_templates_do_not_re_case_text() -> None:
    """Jinja filters re-case like Python does; CSS `text-transform` is left to the browser,
    which follows the page's `lang` (Turkish-correct when the report is in Turkish)."""
    for path in sorted((GAME / "records" / "templates").glob("*.html")):
        text = path.read_text("utf-8")
        assert not re.search(r"\|\s*(upper|lower|title|capitalize)\b", text), path.name
        assert re.search(r'<html lang="[^"]+"', text) or "<html" not in text, path.name


def test_the_scan_finds_a_re_casing(tmp_path: Path) -> None:
    sample = tmp_path / "scene.py"
    sample.write_text('caption = f"Level {n}".upper()\nname.title()\n', "utf-8")
    assert _recasings(sample) == ['f"Level {n}".upper()', "name.title()"]
