"""Transcript plans: whole conversations replayed through the scripted door (`text --json`).

Each file in tests/plans/ names a scenario, the choices (authoring order, 1-based) and
what must come of them. See docs/authoring.md for the format.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml

from game.cli import main
from tests.conftest import PLANS, SCENARIOS

PLAN_FILES = sorted(PLANS.glob("*.yaml"))
EXPECT_KEYS = {
    "outcome", "rating", "passed", "ending", "path",
    "score_at_least", "score_below", "final_anger_at_most", "final_anger_at_least",
}  # fmt: skip


def load_plan(path: Path) -> dict[str, Any]:
    plan: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(plan) <= {"scenario", "description", "choices", "expect"}, path.name
    assert set(plan["expect"]) <= EXPECT_KEYS, f"{path.name}: unknown expectation"
    assert plan["expect"], f"{path.name}: a plan must expect something"
    return plan


def run_plan(plan: dict[str, Any]) -> dict[str, Any]:
    out = io.StringIO()
    choices = ",".join(str(c) for c in plan["choices"])
    with redirect_stdout(out):
        code = main(["text", str(SCENARIOS / plan["scenario"]), "--choices", choices, "--json"])
    assert code == 0, out.getvalue()
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_there_are_plans() -> None:
    assert len(PLAN_FILES) >= 2


@pytest.mark.parametrize("path", PLAN_FILES, ids=[p.stem for p in PLAN_FILES])
def test_plan(path: Path) -> None:
    plan = load_plan(path)
    result = run_plan(plan)
    expect = plan["expect"]
    where = f"{path.name}: score {result['score']}, {result['outcome']}/{result['rating']}"
    if "outcome" in expect:
        assert result["outcome"] == expect["outcome"], where
    if "rating" in expect:
        assert result["rating"] == expect["rating"], where
    if "passed" in expect:
        assert result["passed"] is expect["passed"], where
    if "score_at_least" in expect:
        assert result["score"] >= expect["score_at_least"], where
    if "score_below" in expect:
        assert result["score"] < expect["score_below"], where
    if "final_anger_at_most" in expect:
        assert result["final_anger"] <= expect["final_anger_at_most"], where
    if "final_anger_at_least" in expect:
        assert result["final_anger"] >= expect["final_anger_at_least"], where
    nodes = [t["node"] for t in result["turns"]]
    if "path" in expect:
        assert nodes == expect["path"], where
    if "ending" in expect:
        assert result["ending"] == expect["ending"], where


def test_every_level_has_a_passing_and_a_failing_plan() -> None:
    plans = [load_plan(p) for p in PLAN_FILES]
    campaign = yaml.safe_load((SCENARIOS / "campaign.yaml").read_text(encoding="utf-8"))
    for level in campaign["levels"]:
        mine = [p for p in plans if p["scenario"] == level["scenario"]]
        assert any(p["expect"].get("passed") is True for p in mine), f"no passing plan for {level}"
        assert any(p["expect"].get("passed") is False for p in mine), f"no failing plan for {level}"
