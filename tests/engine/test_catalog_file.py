"""`--catalog FILE`: another catalog laid over the bundled one, or located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.scenario.catalog_file import catalog_from_file
from game.scenario.problems import ScenarioError
from tests.catalog import CATALOG


def test_a_few_lines_change_only_what_they_give(tmp_path: Path) -> None:
    path = tmp_path / "slow-readers.yaml"
    path.write_text(
        "model:\n  reading_wpm: 75\ntechniques:\n  listen:\n    cases:\n"
        "      venting: {anger: -20}\n",
        encoding="utf-8",
    )
    tried = catalog_from_file(path)
    assert tried.params.reading_wpm == 75 and CATALOG.params.reading_wpm == 150
    venting = tried.techniques["listen"].cases[tried.techniques["listen"].case_index("venting")]
    assert venting.anger == -20 and venting.quality == 1.0  # the rest of the case stands
    assert tried.techniques["solve"] == CATALOG.techniques["solve"]
    # attempts record which catalog scored them: this one is not the bundled one
    assert tried.content_hash != CATALOG.content_hash
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing changed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="SC007 the file is empty"):
        catalog_from_file(empty)  # most likely the wrong file: said, not silently ignored


def test_mistakes_are_located_and_explained(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(
        "model:\n"
        "  reading_wmp: 75\n"  # 2:3 unknown key
        "  relax_rate: fast\n"  # 3:15 not a number
        "techniques:\n"
        "  listen:\n"
        "    cases:\n"
        "      venting: {quality: 3}\n"  # 7:26 out of range
        "personas:\n"
        "  angry: {label: [a, b]}\n"  # 9:18 a list for a text
        "endings:\n"
        "  resolved: {rating: great}\n",  # 11:22 unknown rating
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        catalog_from_file(path)
    found = {(p.line, p.col, p.code) for p in caught.value.problems}
    assert found == {
        (2, 3, "SC006"),
        (3, 15, "SC008"),
        (7, 26, "SC014"),
        (9, 18, "SC008"),
        (11, 22, "SC028"),
    }
    typo = next(p for p in caught.value.problems if p.code == "SC006")
    assert typo.suggestion == "reading_wpm" and str(typo).startswith(f"{path}:2:3: SC006")


def test_a_file_that_is_not_yaml_or_not_there_is_refused_in_words(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("model: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="SC016"):
        catalog_from_file(broken)
    with pytest.raises(ScenarioError, match="SC027"):
        catalog_from_file(tmp_path / "missing.yaml")
