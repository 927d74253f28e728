"""`hold-the-line plan` and `hold-the-line new`: plans anywhere, located failures, a starter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.analysis.lint import lint_paths
from game.analysis.plans import load_plan, resolve_scenario, run_plan
from game.analysis.starter import StarterError, write_starter
from game.cli import main
from game.scenario.loader import load_scenario
from game.scenario.problems import ScenarioError
from tests.catalog import CATALOG
from tests.conftest import PLANS, SCENARIOS


def _plan(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_plan_outside_the_repository_runs_against_a_copied_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SCENARIOS / "late-delivery.yaml", tmp_path / "mine.yaml")
    plan = _plan(
        tmp_path,
        "mine-good.yaml",
        "scenario: mine.yaml\nchoices: [1, 1, 1, 1, 1, 1, 1, 1]\nexpect:\n  passed: true\n",
    )
    assert main(["plan", str(plan)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"PASS {plan}")
    assert "ok   passed: true" in out


def test_a_wrong_expectation_fails_with_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _plan(
        tmp_path,
        "wrong.yaml",
        "scenario: late-delivery.yaml\n"
        "choices: [1, 1, 1, 1, 1, 1, 1, 1]\n"
        "expect:\n"
        "  passed: true\n"
        "  score_below: 50\n",
    )
    code = main(["plan", str(plan), "--scenario", str(SCENARIOS / "late-delivery.yaml")])
    out = capsys.readouterr().out
    assert code == 1
    assert f"FAIL {plan}" in out
    assert "  ok   passed: true" in out
    assert f"{plan}:5:3: PL010 expected score_below: 50, got " in out


def test_every_shipped_plan_passes_through_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    plans = sorted(PLANS.glob("*.yaml"))
    assert main(["plan", *map(str, plans)]) == 0
    assert capsys.readouterr().err.strip() == f"{len(plans)} of {len(plans)} plans passed"


def test_plan_file_problems_are_located_with_suggestions(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "typo.yaml",
        "scenario: late-delivery.yaml\nchoices: [1, 0]\nexpect:\n  pased: true\n  score_below: x\n",
    )
    with pytest.raises(ScenarioError) as caught:
        load_plan(plan)
    lines = [str(p) for p in caught.value.problems]
    assert lines == [
        f"{plan}:2:14: PL003 a choice is a reply number from 1 (authoring order)",
        f"{plan}:4:3: PL001 unknown expectation 'pased' (did you mean 'passed'?)",
        f"{plan}:5:16: PL003 `score_below` takes a whole number",
    ]


def test_a_missing_scenario_says_where_it_looked(tmp_path: Path) -> None:
    plan = load_plan(
        _plan(
            tmp_path, "lost.yaml", "scenario: nowhere.yaml\nchoices: [1]\nexpect: {passed: true}\n"
        )
    )
    with pytest.raises(ScenarioError, match=r"lost.yaml:1:11: PL004 scenario 'nowhere.yaml'"):
        resolve_scenario(plan, [SCENARIOS])


def test_choices_that_do_not_fit_are_reported_on_the_choices(tmp_path: Path) -> None:
    plan = load_plan(
        _plan(tmp_path, "short.yaml", "scenario: x.yaml\nchoices: [1]\nexpect: {passed: true}\n")
    )
    with pytest.raises(ScenarioError, match=r"short.yaml:2:10: PL005 the choices ran out"):
        run_plan(plan, SCENARIOS / "late-delivery.yaml", CATALOG)


def test_the_starter_is_valid_lints_clean_and_its_plans_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "cracked-teapot", "--dir", str(tmp_path)]) == 0
    scenario = tmp_path / "cracked-teapot.yaml"
    load_scenario(scenario)  # raises on any problem
    assert (tmp_path / "schema.json").is_file()
    assert lint_paths([scenario], catalog=CATALOG) == ([], [])
    plans = sorted((tmp_path / "plans").glob("*.yaml"))
    assert len(plans) == 2
    capsys.readouterr()
    assert main(["plan", *map(str, plans)]) == 0
    assert capsys.readouterr().err.strip() == "2 of 2 plans passed"


def test_the_starter_never_overwrites_and_wants_a_real_id(tmp_path: Path) -> None:
    write_starter("teapot", tmp_path, CATALOG)
    with pytest.raises(StarterError, match="already exists"):
        write_starter("teapot", tmp_path, CATALOG)
    with pytest.raises(StarterError, match="not a scenario id"):
        write_starter("Tea Pot", tmp_path, CATALOG)
