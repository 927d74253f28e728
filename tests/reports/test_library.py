"""The scenario library the reports and exports share: read once, read again when it changes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from game.records import export
from game.records.export import load_library
from tests.conftest import ROOT, SCENARIOS

FI_TITLE = 'msgstr "Myöhästynyt toimitus"'
LEVELS = ("late-delivery.yaml", "mystery-charge.yaml")


def _room(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A two-level campaign and a locale folder with one Finnish scenario file, to change."""
    campaign = tmp_path / "scenarios"
    campaign.mkdir()
    for name in LEVELS:
        shutil.copyfile(SCENARIOS / name, campaign / name)
    levels = "".join(f"  - scenario: {name}\n" for name in LEVELS)
    (campaign / "campaign.yaml").write_text(
        f"format: 1\ntitle: Onboarding\nlevels:\n{levels}", encoding="utf-8"
    )
    locale = tmp_path / "locale"
    po = locale / "fi" / "scenarios" / "late-delivery.po"
    po.parent.mkdir(parents=True)
    shutil.copyfile(ROOT / "locale" / "fi" / "scenarios" / "late-delivery.po", po)
    return campaign / "campaign.yaml", locale, po


def _replace(path: Path, old: str, new: str) -> None:
    """Write the changed file beside it and move it over, as editors and `git` do."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    fresh = path.with_name(path.name + ".new")
    fresh.write_text(text.replace(old, new), encoding="utf-8")
    os.replace(fresh, path)


def test_the_library_is_kept_until_a_file_it_was_read_from_changes(tmp_path: Path) -> None:
    campaign, locale, po = _room(tmp_path)
    first = load_library(campaign, locale)
    assert first.title("late-delivery", "fi") == "Myöhästynyt toimitus"
    assert load_library(campaign, locale) is first  # nothing changed: the same one

    # a translation edited in place, to another length
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace(FI_TITLE, 'msgstr "Myöhässä"'), encoding="utf-8")
    shorter = load_library(campaign, locale)
    assert shorter.title("late-delivery", "fi") == "Myöhässä"
    assert load_library(campaign, locale) is shorter

    # replaced by a file of the very same size
    _replace(po, 'msgstr "Myöhässä"', 'msgstr "Myöhäss!"')
    assert load_library(campaign, locale).title("late-delivery", "fi") == "Myöhäss!"

    # a translation appears for a language that had none
    vi = locale / "vi" / "scenarios" / "late-delivery.po"
    vi.parent.mkdir(parents=True)
    shutil.copyfile(ROOT / "locale" / "vi" / "scenarios" / "late-delivery.po", vi)
    assert load_library(campaign, locale).title("late-delivery", "vi") != "The Late Delivery"

    # ... and the Finnish one goes
    po.unlink()
    assert load_library(campaign, locale).title("late-delivery", "fi") == "The Late Delivery"

    # the scenario itself changes
    _replace(campaign.with_name("late-delivery.yaml"), "title: The Late Delivery", "title: Late")
    assert load_library(campaign, locale).title("late-delivery") == "Late"

    # the campaign drops its first level
    _replace(campaign, "  - scenario: late-delivery.yaml\n", "")
    assert list(load_library(campaign, locale).scenarios) == ["mystery-charge"]


def test_a_broken_campaign_is_not_kept(tmp_path: Path) -> None:
    campaign, locale, _ = _room(tmp_path)
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text("levels: [", encoding="utf-8")
    assert load_library(campaign, locale).campaign_title is None
    campaign.write_text(text, encoding="utf-8")
    assert load_library(campaign, locale).campaign_title == "Onboarding"


def test_each_campaign_and_locale_folder_has_its_own_and_only_a_few_are_kept(
    tmp_path: Path,
) -> None:
    campaign, locale, _ = _room(tmp_path)
    translated = load_library(campaign, locale)
    empty = tmp_path / "empty"
    empty.mkdir()
    plain = load_library(campaign, empty)
    assert translated.title("late-delivery", "fi") == "Myöhästynyt toimitus"
    assert plain.title("late-delivery", "fi") == "The Late Delivery"
    for n in range(export._LIBRARIES_LIMIT + 2):
        (tmp_path / f"locale-{n}").mkdir()
        load_library(campaign, tmp_path / f"locale-{n}")
    assert len(export._LIBRARIES) == export._LIBRARIES_LIMIT
    assert load_library(campaign, locale).title("late-delivery", "fi") == "Myöhästynyt toimitus"
