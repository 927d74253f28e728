"""Transcript plans: whole conversations replayed through the shared plan runner.

Each file in tests/plans/ names a scenario, the choices (authoring order, 1-based) and what
must come of them; `hold-the-line plan` runs the same code. See docs/authoring.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from game.analysis.plans import load_plan, resolve_scenario, run_plan
from tests.catalog import CATALOG
from tests.conftest import PLANS, SCENARIOS

PLAN_FILES = sorted(PLANS.glob("*.yaml"))


def test_there_are_plans() -> None:
    assert len(PLAN_FILES) >= 2


@pytest.mark.parametrize("path", PLAN_FILES, ids=[p.stem for p in PLAN_FILES])
def test_plan(path: Path) -> None:
    plan = load_plan(path)
    result = run_plan(plan, resolve_scenario(plan, [SCENARIOS]), CATALOG)
    assert result.passed, "\n".join(str(p) for p in result.failures())


def test_every_level_has_a_passing_and_a_failing_plan() -> None:
    plans = [load_plan(p) for p in PLAN_FILES]
    campaign = yaml.safe_load((SCENARIOS / "campaign.yaml").read_text(encoding="utf-8"))
    for level in campaign["levels"]:
        mine = [p for p in plans if p.scenario == level["scenario"]]
        verdicts = {e.value for p in mine for e in p.expectations if e.key == "passed"}
        assert verdicts == {True, False}, f"{level['scenario']}: needs a passing and a failing plan"
