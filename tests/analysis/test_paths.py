"""The exploration's column table answers as its paths do, and a kept exploration is one
that the same content, policy, catalog and bounds would give."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from game.analysis.kept import Kept
from game.analysis.paths import PathResult, PathTable, explore
from game.scenario.model import Policy, PolicyOverride, Scenario, SupervisorPolicy
from game.scenario.overrides import with_policy
from tests.analysis.test_simulation import CAMPAIGN, LEVELS, LOOPY
from tests.catalog import CATALOG
from tests.engine.helpers import make

# the smaller levels (the test spells out every path), and a loop with built-in endings
SMALL = [s for s, _ in LEVELS if s.id in ("discount-bully", "language-escalations", "language")]
CASES = [(s, 1) for s in SMALL] + [(make(LOOPY, anger=55, vent=1), 3)]


def _plain_best(paths: list[PathResult]) -> PathResult:
    return max(paths, key=lambda p: (p.score, -len(p.choices)))


def _plain_worst(paths: list[PathResult]) -> PathResult:
    return min(paths, key=lambda p: (p.score, len(p.choices)))


@pytest.mark.parametrize(("scenario", "visits"), CASES, ids=[s.id for s, _ in CASES])
def test_the_table_answers_as_its_paths_do(scenario: Scenario, visits: int) -> None:
    exploration = explore(scenario, policy=CAMPAIGN.policy, catalog=CATALOG, max_visits=visits)
    table = exploration.paths
    paths = list(table)
    assert len(paths) == len(table) > 0
    assert exploration.endings == Counter(p.ending for p in paths)
    assert list(exploration.endings) == list(dict.fromkeys(p.ending for p in paths))
    assert exploration.best() == _plain_best(paths)
    assert exploration.worst() == _plain_worst(paths)
    guide = tuple(p for p in paths if p.mean_quality >= 0.999)
    assert tuple(exploration.guide_following()) == guide
    assert table.pass_count() == sum(p.passed for p in paths)
    for rating in ("good", "partial", "bad", None):
        assert table.endings_reached(rating) == {
            p.ending for p in paths if rating is None or p.rating == rating
        }
    assert [p.choices for p in paths] == sorted(p.choices for p in paths)
    assert table[0] == paths[0] and table[-1] == paths[-1]
    assert table[len(paths) // 2] == paths[len(paths) // 2]
    assert table[1:4] == tuple(paths[1:4]) and table[::-7] == tuple(paths[::-7])
    with pytest.raises(IndexError):
        table[len(paths)]
    assert table == tuple(paths) and PathTable.of(paths) == table
    # shared by every caller, so nobody may change it
    with pytest.raises(ValueError, match="read-only"):
        table.score[0] = 100


def test_the_line_states_are_in_the_order_lint_reads_them() -> None:
    for scenario in SMALL:
        states = explore(scenario, policy=CAMPAIGN.policy, catalog=CATALOG).line_states
        assert states, scenario.id
        assert list(states) == sorted(
            states, key=lambda s: (s[0], s[1], sorted(s[2]), s[3], sorted(s[4]))
        )


def test_an_empty_table_answers_too() -> None:
    table = PathTable.of([])
    assert len(table) == 0 and list(table) == [] and table.pass_count() == 0
    assert table.ending_counts() == Counter() and table.endings_reached() == frozenset()


def test_an_exploration_is_kept_for_the_same_content_only() -> None:
    loopy = make(LOOPY, anger=55, vent=1)
    first = explore(loopy, policy=CAMPAIGN.policy, catalog=CATALOG)
    # the same content, loaded again: the same (immutable) answer
    assert explore(make(LOOPY, anger=55, vent=1), policy=CAMPAIGN.policy, catalog=CATALOG) is first
    # the policy in force decides it, however it is given
    assert explore(loopy, policy=loopy.policy.over(CAMPAIGN.policy), catalog=CATALOG) is first
    # an edited file, another policy, another catalog, other bounds: explored again
    edited = make(
        LOOPY.replace('"c", technique: [apologize, solve]', '"c", technique: argue'),
        anger=55,
        vent=1,
    )
    again = explore(edited, policy=CAMPAIGN.policy, catalog=CATALOG)
    assert dict(again.choice_cases)[("opening", 3)] == {("argue", "default")}
    assert dict(first.choice_cases)[("opening", 3)] != {("argue", "default")}
    refusing = with_policy(loopy, PolicyOverride(supervisor_request=SupervisorPolicy.HELP_FIRST))
    assert explore(refusing, policy=CAMPAIGN.policy, catalog=CATALOG) is not first
    assert explore(loopy, policy=CAMPAIGN.policy, catalog=CATALOG, max_visits=2) != first
    other = dataclasses.replace(CATALOG, content_hash="another catalog")
    assert explore(loopy, policy=CAMPAIGN.policy, catalog=other) is not first
    unnamed = dataclasses.replace(CATALOG, content_hash="")  # nothing names its content
    assert explore(loopy, policy=Policy(), catalog=unnamed) is not explore(
        loopy, policy=Policy(), catalog=unnamed
    )


def test_the_store_is_bounded_and_drops_the_least_recently_used() -> None:
    kept: Kept[tuple[int, ...]] = Kept(2)
    made: list[int] = []

    def make_value(n: int) -> tuple[int, ...]:
        made.append(n)
        return (n,)

    assert kept.get(1, lambda: make_value(1)) == (1,)
    kept.get(2, lambda: make_value(2))
    kept.get(1, lambda: make_value(1))  # 1 is now the most recently used
    kept.get(3, lambda: make_value(3))  # past the limit: 2 goes
    kept.get(1, lambda: make_value(1))
    kept.get(2, lambda: make_value(2))
    assert made == [1, 2, 3, 2]
    kept.get(None, lambda: make_value(9))
    kept.get(None, lambda: make_value(9))
    assert made == [1, 2, 3, 2, 9, 9]  # nothing to key on: made every time, never kept
