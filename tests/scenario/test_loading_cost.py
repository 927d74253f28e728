"""Loading at the parser's speed, checked by what is done rather than by a clock (bench/validate.py
has the timings): each file parsed once per command, no numpy to check names, no collection
while a file loads, a bounded did-you-mean."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.catalog import load_catalog
from game.scenario import loader
from game.scenario.campaign import find_campaign_for
from game.scenario.loader import load_scenario, parse_scenario
from game.scenario.problems import SUGGESTION_BUDGET, ScenarioError
from game.scenario.validate import validate
from game.scenario.vocabulary import vocabulary
from tests.conftest import ROOT, SCENARIOS


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the loader really parses (not answered from what it parsed before)."""
    seen: list[str] = []
    real = loader._parse

    def counting(data: bytes, path: str, digest: str) -> object:
        seen.append(path)
        return real(data, path, digest)

    monkeypatch.setattr(loader, "_parse", counting)
    return seen


def fresh_copy(tmp_path: Path) -> Path:
    """The shipped scenarios under a new path, so that nothing parsed earlier is reused."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for path in SCENARIOS.glob("*.yaml"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_validate_parses_each_file_once(parsed: list[str], tmp_path: Path) -> None:
    folder = fresh_copy(tmp_path)
    levels = len(list(folder.glob("*.yaml"))) - 1  # the campaign is apart
    report = validate([folder])
    assert report.files == levels + 1 and not report.problems
    assert len(parsed) == levels and len(set(parsed)) == levels


def test_the_text_command_parses_the_played_file_once(parsed: list[str], tmp_path: Path) -> None:
    folder = fresh_copy(tmp_path)
    played = folder / "late-delivery.yaml"
    scenario = load_scenario(played)
    campaign = find_campaign_for(played)
    assert campaign is not None and campaign.level(scenario.id) is not None
    assert parsed.count(str(played)) == 1


def test_an_edited_file_is_parsed_again(parsed: list[str], tmp_path: Path) -> None:
    path = fresh_copy(tmp_path) / "late-delivery.yaml"
    first = load_scenario(path)
    path.write_bytes(path.read_bytes().replace(b"difficulty: 1", b"difficulty: 2", 1))
    second = load_scenario(path)
    assert parsed.count(str(path)) == 2
    assert first.content_hash != second.content_hash


def test_a_refused_file_is_refused_again_from_memory(parsed: list[str]) -> None:
    for _ in range(2):
        with pytest.raises(ScenarioError) as caught:
            parse_scenario(b"format: 1\nid: Bad Id\n", "memo.yaml")
        assert {p.code for p in caught.value.problems} >= {"SC021", "SC007"}
    assert parsed == ["memo.yaml"]


def test_checking_scenarios_imports_no_numpy() -> None:
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from game.scenario.validate import validate\n"
        f"report = validate([Path({str(SCENARIOS)!r})])\n"
        f"assert report.files == {len(list(SCENARIOS.glob('*.yaml')))} and not report.problems, report\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'pygame')))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"


def test_the_names_agree_with_the_catalog() -> None:
    catalog = load_catalog()
    names = vocabulary()
    assert names.techniques == set(catalog.techniques)
    assert names.tags == set(catalog.tags)


def test_garbage_collection_waits_until_a_file_is_loaded(tmp_path: Path) -> None:
    collections: list[str] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(phase)

    big = SCENARIOS / "language-escalations.yaml"
    data = big.read_bytes()
    gc.collect()
    gc.callbacks.append(note)
    try:
        threshold = gc.get_threshold()
        gc.set_threshold(50)  # a collection every 50 allocations, were it allowed
        try:
            for number in range(3):
                parse_scenario(data, str(tmp_path / f"copy-{number}.yaml"))
        finally:
            gc.set_threshold(*threshold)
    finally:
        gc.callbacks.remove(note)
    # At most the one that the pause put off, once each file is loaded; unpaused, a threshold
    # of 50 allocations would have run hundreds per file.
    assert len(collections) <= 3
    assert gc.isenabled()


def test_did_you_mean_is_bounded_however_many_names_are_wrong() -> None:
    nodes = 2_000
    lines = [
        "format: 1\nid: many\ntitle: Many\nsummary: Many broken links.\nchannel: phone",
        "difficulty: 1\ncustomer: {name: X, persona: angry, anger: 50}\nstart: n0\nnodes:",
    ]
    for i in range(nodes - 1):
        target = f"n{i + 1}" if i % 2 else f"n{i + 1}x"  # every other link is a typo
        lines.append(
            f"  n{i}:\n    customer: Hi\n    choices:\n      - say: Ok\n"
            f"        technique: listen\n        next: {target}"
        )
    lines.append(f"  n{nodes - 1}:\n    customer: Bye\n    end: resolved\n")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario("\n".join(lines).encode(), "many.yaml")
    unknown = [p for p in caught.value.problems if p.code == "SC001"]
    assert len(unknown) == nodes // 2
    suggested = [p for p in unknown if p.suggestion is not None]
    assert len(suggested) == SUGGESTION_BUDGET // nodes  # each search compares with every node
    for problem in suggested:  # and what is suggested is still the node meant
        assert problem.message.startswith(f"unknown node '{problem.suggestion}x'")
