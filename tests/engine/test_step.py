"""The turn step's shortcuts for a batch of one give what the whole-batch rules give."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.engine.mood import Context, Mood, select_cases
from game.engine.step import branch_taken, compiled_for, context, mood_rows
from game.scenario.campaign import load_campaign
from game.scenario.model import Policy
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS

CAMPAIGN = load_campaign(SCENARIOS / "campaign.yaml")
SCENARIOS_PLAYED = [lvl.scenario for lvl in CAMPAIGN.levels if lvl.scenario is not None]
FLAGS = sorted(
    {f for s in SCENARIOS_PLAYED for n in s.nodes for c in n.choices for f in c.sets}
    | {f for s in SCENARIOS_PLAYED for f, _ in s.seeded_flags}
)


@settings(max_examples=60, deadline=None)
@given(
    anger=st.integers(0, 100),
    flags=st.frozensets(st.sampled_from(FLAGS)),
    turn=st.integers(0, 50),
)
def test_the_branch_taken_is_the_first_whose_condition_holds(
    anger: int, flags: frozenset[str], turn: int
) -> None:
    """Every choice of every level, as a whole batch and one row at a time (the runner's
    shortcut when the first branch has no condition), goes where the scenario says."""
    conditional = sum(
        int(compiled_for(s, CAMPAIGN.policy, CATALOG).first_branch_conditional.sum())
        for s in SCENARIOS_PLAYED
    )
    assert conditional > 0  # the levels have conditional branches for the full test to try
    for scenario in SCENARIOS_PLAYED:
        c = compiled_for(scenario, CAMPAIGN.policy, CATALOG)
        choices = [ch for node in scenario.nodes for ch in node.choices]
        mask = c.flags_mask(flags & frozenset(c.flag_bits))
        expected = [ch.next_node(anger, flags & frozenset(c.flag_bits), turn) for ch in choices]
        rows = len(choices)
        every = np.arange(rows, dtype=np.int64)
        whole = branch_taken(
            c,
            every,
            np.full(rows, anger, dtype=np.int64),
            np.full(rows, mask, dtype=np.int64),
            np.full(rows, turn, dtype=np.int64),
        )
        assert [c.node_ids[c.branch_target[i, b]] for i, b in enumerate(whole)] == expected
        for i in range(rows):
            one = branch_taken(
                c,
                np.array([i], dtype=np.int64),
                np.array([anger], dtype=np.int64),
                np.array([mask], dtype=np.int64),
                np.array([turn], dtype=np.int64),
            )
            assert one.tolist() == [whole[i]]


def _random_moment(seed: int, rows: int) -> tuple[Mood, Context]:
    rng = np.random.default_rng(seed)
    techniques = len(CATALOG.technique_order)
    mood = Mood(
        anger=rng.integers(0, 101, rows).astype(np.int64),
        heard=rng.random(rows),
        trust=rng.random(rows),
        vent=rng.integers(0, 3, rows).astype(np.int64),
        debt=rng.integers(0, 2, rows).astype(np.int64),
        helped=rng.integers(0, 3, rows).astype(np.int64),
        boundary=rng.random(rows) < 0.5,
        uses=rng.integers(0, 3, (rows, techniques)).astype(np.int64),
        acknowledged=rng.random(rows) < 0.5,
    )
    ctx = Context(
        persona=rng.integers(0, len(CATALOG.personas), rows).astype(np.int64),
        transfer_policy=rng.random(rows) < 0.5,
        help_first=rng.random(rows) < 0.5,
        tags=rng.random((rows, len(CATALOG.tag_order))) < 0.3,
        parting_approved=rng.random(rows) < 0.5,
        apologise_at_fault=rng.random(rows) < 0.5,
    )
    return mood, ctx


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_one_row_cases_are_that_row_of_the_batch(seed: int) -> None:
    """The runner's one-row case selection picks, technique by technique, the case the whole
    batch picks for that row, for every technique and for the ones a turn plays."""
    rows = 12
    mood, ctx = _random_moment(seed, rows)
    whole = select_cases(CATALOG, mood, ctx)
    active = np.random.default_rng(seed).random(len(CATALOG.technique_order)) < 0.2
    some = select_cases(CATALOG, mood, ctx, active)
    for r in range(rows):
        at = np.array([r], dtype=np.int64)
        one_ctx = Context(
            persona=ctx.persona[at],
            transfer_policy=ctx.transfer_policy[at],
            help_first=ctx.help_first[at],
            tags=ctx.tags[at],
            parting_approved=ctx.parting_approved[at],
            apologise_at_fault=ctx.apologise_at_fault[at],
        )
        one_mood = mood_rows(mood, at)
        assert select_cases(CATALOG, one_mood, one_ctx).tolist() == [whole[r].tolist()]
        assert select_cases(CATALOG, one_mood, one_ctx, active).tolist() == [some[r].tolist()]


def test_the_one_row_context_is_built_once_and_cannot_be_changed() -> None:
    scenario = SCENARIOS_PLAYED[0]
    c = compiled_for(scenario, Policy(), CATALOG)
    at = np.array([c.start], dtype=np.int64)
    first = context(c, at)
    assert context(c, at.copy()) is first
    assert first.tags.tolist() == c.node_tags[at].tolist()
    with pytest.raises(ValueError, match="read-only"):
        first.tags[0, 0] = not first.tags[0, 0]
    with pytest.raises(ValueError, match="read-only"):
        first.persona[0] = first.persona[0] + 1
    whole = context(c, np.array([c.start, c.start], dtype=np.int64))
    assert whole is not first
    whole.tags[0, 0] = True  # a batch's own context stays writable: nothing shares it
