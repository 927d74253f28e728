"""Shallow play fails: no habit that ignores the guides passes a level in more than 10 % of
seeds, and the longest reply does not give the answer away.

The bounds hold for every level except the gaps listed below, each measured on this branch
(40 seeds) and marked as an expected failure, strictly: when content work closes a gap the
test starts passing, reports XPASS as a failure, and the entry must be removed. A gap can
only shrink.
"""

from __future__ import annotations

import pytest

from game.analysis.lint import lint_paths
from game.analysis.shallow import PASS_BOUND, STRATEGIES, Shown, pass_rate, play
from game.scenario.campaign import load_campaign
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS

CAMPAIGN = load_campaign(SCENARIOS / "campaign.yaml")
LEVELS = [lvl for lvl in CAMPAIGN.levels if lvl.scenario is not None]
SEEDS = range(1, 41)

# (level, strategy) -> share of the 40 seeds it passed, for a level whose content does not yet
# defeat a strategy (held as a strict xfail so the fix is noticed). Empty: since stop 21 no
# shallow strategy passes any level of the campaign in more than 10 % of seeds.
KNOWN_GAPS: dict[tuple[str, str], float] = {}

# Levels whose longest reply shown is still a good one at more than 40 % of decisions
# (lint LN009), with the share measured; empty since stop 21 (every level is at or under 40 %).
KNOWN_LENGTH_BIAS: dict[str, float] = {}


def _cases() -> list[object]:
    cases: list[object] = []
    for level in LEVELS:
        assert level.scenario is not None
        for name in STRATEGIES:
            gap = KNOWN_GAPS.get((level.scenario.id, name))
            marks = (
                [pytest.mark.xfail(strict=True, reason=f"content gap: passes {gap:.0%} of seeds")]
                if gap is not None
                else []
            )
            cases.append(pytest.param(level, name, marks=marks, id=f"{level.scenario.id}-{name}"))
    return cases


@pytest.mark.slow
@pytest.mark.parametrize(("level", "strategy"), _cases())
def test_no_shallow_strategy_passes_a_level_often(level: object, strategy: str) -> None:
    scenario = level.scenario  # type: ignore[attr-defined]
    rate = pass_rate(
        scenario,
        STRATEGIES[strategy],
        SEEDS,
        policy=CAMPAIGN.policy_for(scenario),
        pass_score=level.pass_score,  # type: ignore[attr-defined]
        catalog=CATALOG,
    )
    assert rate <= PASS_BOUND, f"{strategy} passes {scenario.id} in {rate:.0%} of seeds"


def test_the_known_gaps_name_real_levels_and_strategies() -> None:
    ids = {lvl.scenario.id for lvl in LEVELS if lvl.scenario is not None}
    assert {level for level, _ in KNOWN_GAPS} <= ids
    assert {strategy for _, strategy in KNOWN_GAPS} <= set(STRATEGIES)
    assert set(KNOWN_LENGTH_BIAS) <= ids


@pytest.mark.slow  # lints the whole campaign; test_expect.py lints it in the fast tier
def test_length_bias_only_where_known_and_never_worse() -> None:
    warnings, errors = lint_paths([SCENARIOS], catalog=CATALOG)
    assert not errors
    for warning in (w for w in warnings if w.code == "LN009"):
        level = warning.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        assert level in KNOWN_LENGTH_BIAS, str(warning)
        good, decisions = (
            warning.message.split(" a good one at ")[1].split(" decisions")[0].split(" of ")
        )
        assert float(good) / int(decisions) <= KNOWN_LENGTH_BIAS[level] + 1e-9, str(warning)


def test_the_strategies_see_only_what_a_trainee_sees() -> None:
    shown = [
        Shown(3, "I'm so sorry, I completely understand how you feel.", ("dismiss",)),
        Shown(1, "Ok.", ("listen",)),
        Shown(2, "Here's what I'll do: a new one by Friday, and a refund.", ("solve",)),
    ]
    assert STRATEGIES["longest"](shown, 0) == 2
    assert STRATEGIES["shortest"](shown, 0) == 1
    assert STRATEGIES["first"](shown, 0) == 3
    assert STRATEGIES["last"](shown, 0) == 2
    assert STRATEGIES["empathy_words"](shown, 0) == 3
    assert STRATEGIES["soft"](shown, 5) == 1  # the only reply made of soft techniques
    assert {STRATEGIES["random"](shown, d) for d in range(3)} == {1, 2, 3}


def test_a_shallow_play_is_reproducible_from_its_seed() -> None:
    level = LEVELS[0]
    assert level.scenario is not None
    results = [
        play(
            level.scenario,
            STRATEGIES["random"],
            seed,
            pass_score=level.pass_score,
            catalog=CATALOG,
        )
        for seed in range(30)
    ]
    again = [
        play(
            level.scenario,
            STRATEGIES["random"],
            seed,
            pass_score=level.pass_score,
            catalog=CATALOG,
        )
        for seed in range(30)
    ]
    assert results == again
