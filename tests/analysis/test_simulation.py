"""The vectorised simulation and exploration agree exactly with the session runner."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.analysis.montecarlo import (
    MonteCarlo,
    _unique_rows,
    attempt_seeds,
    compile_scenario,
    random_draws,
    run_batch,
    simulate,
)
from game.analysis.paths import explore
from game.engine.scoring import debrief
from game.engine.session import Phase, TimerMode, choose, proceed, start
from game.engine.step import MAX_TURNS
from game.scenario.campaign import load_campaign
from game.scenario.model import Scenario
from tests.analysis.scalar_paths import explore as scalar_explore
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS
from tests.engine.helpers import make

CAMPAIGN = load_campaign(SCENARIOS / "campaign.yaml")
LEVELS = [(lvl.scenario, lvl.pass_score) for lvl in CAMPAIGN.levels if lvl.scenario is not None]


@pytest.mark.parametrize(("scenario", "pass_score"), LEVELS, ids=[s.id for s, _ in LEVELS])
def test_simulation_matches_the_runner_on_random_play(scenario: Scenario, pass_score: int) -> None:
    rows = 150
    picks = np.random.default_rng(7).integers(0, 1000, size=(rows, 60))
    policy = CAMPAIGN.policy
    runs = run_batch(
        compile_scenario(scenario, policy, catalog=CATALOG),
        lambda step, r, nodes, counts: picks[r, step] % counts,
        rows,
        CATALOG,
    )
    for i in range(rows):
        state = start(scenario, policy=policy, timer=TimerMode.OFF, catalog=CATALOG)
        step = 0
        while True:
            while state.phase is Phase.SPEAKING:
                state = proceed(scenario, state)
            if state.phase is Phase.ENDED:
                break
            count = len(scenario.node(state.node).choices)
            state, _ = choose(scenario, state, int(picks[i, step] % count) + 1, catalog=CATALOG)
            step += 1
        assert state.outcome is not None
        report = debrief(scenario, state, pass_score, catalog=CATALOG)
        trace = tuple(int(x) for x in runs.trace[i] if x >= 0)
        assert report.anger_trace == trace, i
        assert report.score == runs.score[i], i
        assert runs.ending_name(i) == state.outcome.node, i
        assert ("good", "partial", "bad")[runs.rating[i]] == state.outcome.rating.value, i


LOOPY = """\
opening:
  customer: "Again!"
  tags: [repeated]
  choices:
    - {say: "a", technique: recap, next: opening}
    - say: "b"
      technique: argue
      set: [argued]
      next:
        - {when: {anger_at_least: 70}, goto: gone}
        - {when: {flag: argued, turn_at_least: 3}, goto: middle}
        - goto: opening
    - {say: "c", technique: [apologize, solve], next: middle}
    - {say: "g", technique: cave_in, next: menace}
menace:
  customer: "Give me the cash or else."
  tags: [threat, refund_history]
  choices:
    - {say: "h", technique: call_security, next: gone}
    - {say: "i", technique: [empathize, cave_in], next: done}
middle:
  customer: "Hm."
  flare: 12
  tags: [requests_supervisor]
  choices:
    - {say: "d", technique: escalate, next: up}
    - {say: "e", technique: overpromise, next: done}
    - say: "f"
      technique: refuse_supervisor
      next:
        - {when: {not_flag: argued}, goto: opening}
        - goto: gone
up: {customer: "ok", end: escalated}
done: {customer: "fine", end: resolved}
gone: {customer: "bye", end: customer_left}
"""


@pytest.mark.parametrize("max_visits", [1, 2, 3])
def test_vectorised_exploration_matches_a_plain_depth_first_search(max_visits: int) -> None:
    scenarios = [make(LOOPY, anger=55, vent=1), make(LOOPY, anger=20, persona="bully")]
    if max_visits == 1:
        # A real campaign level too; the smallest one whose rules differ by persona and
        # boundary (the scalar oracle takes minutes on the larger levels' thousands of paths).
        scenarios.append(next(s for s, _ in LEVELS if s.id == "discount-bully"))
    for scenario in scenarios:
        fast = explore(scenario, policy=CAMPAIGN.policy, max_visits=max_visits, catalog=CATALOG)
        slow = scalar_explore(scenario, policy=CAMPAIGN.policy, max_visits=max_visits)
        assert not fast.truncated and not slow.truncated
        assert {p.choices: (p.score, p.ending, p.rating, p.final_anger) for p in fast.paths} == {
            p.choices: (p.score, p.ending, p.rating, p.final_anger) for p in slow.paths
        }
        assert fast.taken_branches == slow.taken_branches
        assert fast.visited_nodes == slow.visited_nodes
        assert fast.pruned == slow.pruned
        assert dict(fast.choice_quality) == dict(slow.choice_quality)


def test_simulate_reports_a_distribution() -> None:
    scenario = LEVELS[0][0]
    result = simulate(scenario, runs=2000, seed=3, catalog=CATALOG)
    assert result.runs == 2000 and sum(result.score_histogram) == 2000
    assert 0 <= result.pass_rate <= 1
    assert sum(n for _, n in result.endings) == 2000
    assert simulate(scenario, runs=2000, seed=3, catalog=CATALOG) == result  # seeded: reproducible


def test_the_same_seed_gives_the_same_result_whatever_the_batch_size() -> None:
    scenario = make(LOOPY, anger=55, vent=1)
    runs = 100_000
    results = [
        simulate(scenario, runs=runs, seed=11, batch_rows=rows, catalog=CATALOG)
        for rows in (1_000, 7_000, runs)
    ]
    assert results[0] == results[1] == results[2]
    assert len(results[0].endings) > 3  # the loops, blow-ups and endings all turn up
    # the seed matters, so the equality above can fail
    assert simulate(scenario, runs=7_000, seed=12, catalog=CATALOG) != simulate(
        scenario, runs=7_000, seed=11, catalog=CATALOG
    )


def test_random_draws_belong_to_the_run_not_to_the_batch() -> None:
    whole = random_draws(5, 0, 5_000)
    assert whole.shape == (5_000, MAX_TURNS)
    assert np.array_equal(random_draws(5, 1_000, 2_500), whole[1_000:3_500])
    assert np.array_equal(random_draws(5, 4_999, 1), whole[4_999:])
    assert not np.array_equal(random_draws(6, 0, 5_000), whole)


def summarise(scenario: Scenario, runs: int, seed: int, pass_score: int) -> MonteCarlo:
    """What `simulate` reports, worked out the plain way: all runs in one `run_batch` (the
    batch the runner is held to above) fed the same draws, then counted run by run."""
    draws = random_draws(seed, 0, runs)
    result = run_batch(
        compile_scenario(scenario, CAMPAIGN.policy, catalog=CATALOG),
        lambda step, r, nodes, counts: (draws[r, step] * counts).astype(np.int64),
        runs,
        CATALOG,
        seeds=attempt_seeds(seed, np.arange(runs, dtype=np.int64)),  # each run its own attempt
    )
    passed = (result.score >= pass_score) & (result.rating != 2) & ~result.broken_promise
    endings = Counter(result.ending_name(i) for i in range(runs))
    histogram = np.bincount(np.minimum(result.score // 10, 9), minlength=10)
    return MonteCarlo(
        runs=runs,
        pass_rate=round(float(passed.mean()), 4),
        mean_score=round(float(result.score.mean()), 2),
        mean_final_anger=round(float(result.final_anger.mean()), 2),
        mean_turns=round(float(result.turns.mean()), 2),
        endings=tuple(endings.most_common()),
        score_histogram=tuple(int(x) for x in histogram),
    )


@pytest.mark.parametrize(("scenario", "pass_score"), LEVELS, ids=[s.id for s, _ in LEVELS])
def test_batched_simulation_counts_what_one_batch_plays(
    scenario: Scenario, pass_score: int
) -> None:
    runs = 3_000
    expected = summarise(scenario, runs, 9, pass_score)
    for rows in (700, runs):
        got = simulate(
            scenario,
            policy=CAMPAIGN.policy,
            runs=runs,
            seed=9,
            pass_score=pass_score,
            batch_rows=rows,
            catalog=CATALOG,
        )
        assert got == expected, rows


@given(
    st.lists(
        st.tuples(
            st.integers(-3, 3), st.integers(0, 200), st.integers(-(2**60), 2**60), st.booleans()
        ),
        max_size=40,
    ),
    st.booleans(),
)
def test_unique_rows_is_numpy_s_unique_rows_with_first_indices(
    rows: list[tuple[int, int, int, bool]], narrow: bool
) -> None:
    """The packed form the exploration dedups with gives exactly `np.unique(axis=0)`: the
    same rows in the same order and the first index of each (wide columns fall back)."""
    table = np.array(rows, dtype=np.int64).reshape(len(rows), 4)
    if narrow:
        table = table[:, [0, 1, 3]]  # fits one integer: the packed path
    got, first = _unique_rows(table)
    want, want_first = np.unique(table, axis=0, return_index=True)
    assert got.tolist() == want.tolist() and first.tolist() == want_first.tolist()
