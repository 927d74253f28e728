"""See why (issue 17, the judge's part): per turn, the conversation facts and the rule that
decided the verdict; and `--catalog FILE` / `--policy KEY=VALUE` on text, analyze, lint,
plan and play, to try a scenario under other settings without editing it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.engine.session import play_choices
from game.scenario.model import SupervisorPolicy
from game.ui.loading import load_world
from tests.catalog import CATALOG
from tests.conftest import PLANS, SCENARIOS
from tests.engine.helpers import make

SUPERVISOR = str(SCENARIOS / "supervisor-demand.yaml")
HONOR = "supervisor_request=honor"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status, out, err = _run(capsys, *argv)
    assert status == 0, err
    return json.loads(out)


def test_every_turn_says_which_rule_decided_it_and_why() -> None:
    scenario = make(
        """\
        opening:
          customer: "It broke again!"
          choices:
            - {say: "Let me fix that.", technique: solve, next: done}
            - {say: "Go on.", technique: listen, next: done}
        done: {customer: "Fine.", end: resolved}
        """,
        vent=2,
    )
    early = play_choices(scenario, [1], catalog=CATALOG).turns[0]
    assert early.why is not None and early.why.rule == "solve.early"
    assert "still venting" in early.why.sentence and early.facts[0] == "still_venting"
    heard = play_choices(scenario, [2], catalog=CATALOG).turns[0]
    assert heard.why is not None and heard.why.rule == "listen.venting"
    assert heard.why.sentence.startswith("Judged good by Let them vent")


def test_text_json_shows_facts_and_the_rule_per_turn(capsys: pytest.CaptureFixture[str]) -> None:
    result = _json(capsys, "text", SUPERVISOR, "--choices", "1,3", "--json")
    first = result["turns"][0]
    assert first["facts"] == ["still_venting", "not_acknowledged"]
    assert first["why"]["rule"] == "escalate.too_soon"
    assert "one honest attempt to help first" in first["why"]["sentence"]


def test_policy_changes_the_verdict_without_editing_the_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    honored = _json(capsys, "text", SUPERVISOR, "--choices", "1,3", "--json", "--policy", HONOR)
    assert honored["turns"][0]["why"]["rule"] == "escalate.requested"
    assert honored["turns"][0]["verdict"] == "good"
    status, _, err = _run(capsys, "text", SUPERVISOR, "--choices", "1,3", "--policy", "x=y")
    assert status == 2 and "unknown policy 'x'" in err


def test_catalog_file_changes_the_judge_and_a_bad_one_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calmer = tmp_path / "calmer.yaml"
    calmer.write_text(
        "techniques:\n  escalate:\n    cases:\n      too_soon: {anger: 20}\n", "utf-8"
    )
    plain = _json(capsys, "text", SUPERVISOR, "--choices", "1,3", "--json")
    tried = _json(
        capsys, "text", SUPERVISOR, "--choices", "1,3", "--json", "--catalog", str(calmer)
    )
    assert tried["anger"] != plain["anger"]
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("model:\n  relax_rate: lots\n", "utf-8")
    for command in (
        ["text", SUPERVISOR, "--choices", "1,3"],
        ["analyze", SUPERVISOR, "--runs", "10"],
        ["lint", SUPERVISOR],
        ["plan", str(PLANS / "supervisor-demand-too-soon.yaml")],
    ):
        status, _, err = _run(capsys, *command, "--catalog", str(wrong))
        assert status == 2, command
        assert f"{wrong}:2:15: SC008 `model.relax_rate` must be a number" in err
        assert "the catalog file cannot be used" in err


def test_analyze_why_explains_the_best_and_worst_paths(
    capsys: pytest.CaptureFixture[str],
) -> None:
    summary = _json(capsys, "analyze", SUPERVISOR, "--runs", "50", "--json", "--why")
    best = summary["why"]["best"]
    assert [turn["choice"] for turn in best] == summary["best"]["choices"]
    for turn in best:
        assert turn["rule"] and turn["sentence"] and turn["facts"]
    status, out, _ = _run(capsys, "analyze", SUPERVISOR, "--runs", "50", "--why")
    assert status == 0 and "why, turn by turn (best path):" in out and "facts:" in out
    honored = _json(capsys, "analyze", SUPERVISOR, "--runs", "50", "--json", "--policy", HONOR)
    assert honored["best"] != summary["best"] or honored["pass_rate"] != summary["pass_rate"]


def test_lint_and_plan_take_the_policy(capsys: pytest.CaptureFixture[str]) -> None:
    plan = str(PLANS / "supervisor-demand-too-soon.yaml")
    status, out, _ = _run(capsys, "plan", plan)
    assert status == 0 and out.startswith("PASS")
    # under `honor` the transfer is no longer too soon: the plan's path no longer happens
    status, out, _ = _run(capsys, "plan", plan, "--policy", HONOR)
    assert status == 1 and "FAIL" in out
    status, out, _ = _run(capsys, "lint", SUPERVISOR, "--json", "--policy", HONOR)
    found = json.loads(out)
    assert any(w["code"] == "LN014" for w in found["warnings"])  # its `expect`s assume help_first


def test_play_loads_the_world_under_the_given_catalog_and_policy(tmp_path: Path) -> None:
    slow = tmp_path / "slow.yaml"
    slow.write_text("model: {reading_wpm: 60}\n", "utf-8")
    from game.scenario.catalog_file import catalog_from_file
    from game.scenario.model import PolicyOverride

    tried = catalog_from_file(slow)
    world = load_world(
        SCENARIOS / "campaign.yaml",
        f"sqlite:///{tmp_path / 'records.db'}",
        None,
        tried,
        PolicyOverride(supervisor_request=SupervisorPolicy.HONOR),
    )
    try:
        assert world.catalog is tried
        assert world.campaign is not None
        for level in world.campaign.levels:
            assert level.scenario is not None
            policy = world.campaign.policy_for(level.scenario)
            assert policy.supervisor_request is SupervisorPolicy.HONOR
    finally:
        if world.store is not None:
            world.store.close()


def test_a_call_recorded_under_another_catalog_is_shown_as_scored_then(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--catalog` with `--trainee`: the attempt keeps the tried catalog's hash, so under
    the bundled catalog it is shown with the score it got then, never re-scored."""
    from game.records.replayed import CATALOG_CHANGED_NOTE, replay_recorded
    from game.records.store import open_store
    from game.scenario.catalog_file import catalog_from_file
    from game.scenario.loader import load_scenario

    harsher = tmp_path / "harsher.yaml"
    harsher.write_text(
        "techniques:\n  escalate:\n    cases:\n      too_soon: {anger: 20}\n", "utf-8"
    )
    db = f"sqlite:///{tmp_path / 'records.db'}"
    status, _, err = _run(
        capsys, "text", SUPERVISOR, "--choices", "1,3", "--json", "--catalog", str(harsher),
        "--trainee", "Ana Reyes", "--create-trainee", "--db", db,
    )  # fmt: skip
    assert status in (0, 1), err
    with open_store(db) as store:
        (attempt,) = store.attempts()
        assert attempt.catalog_hash == catalog_from_file(harsher).content_hash
        detail = store.attempt_detail(attempt.id)
        assert detail is not None
        scenario = load_scenario(Path(SUPERVISOR))
        shown = replay_recorded(detail, scenario, CATALOG)
        assert shown.note == CATALOG_CHANGED_NOTE
        assert shown.report is not None and shown.report.score == attempt.score
        again = replay_recorded(detail, scenario, catalog_from_file(harsher))
        assert again.note is None and again.report is not None
        assert again.report.score == attempt.score
