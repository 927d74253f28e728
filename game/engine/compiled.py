"""A scenario compiled for the turn step: its nodes, choices, techniques, branch conditions and tags as arrays (`Compiled`), cached per scenario, policy and catalog, and the starting point of each seeded row."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from game.engine.catalog import Catalog
from game.engine.mood import Context
from game.engine.variation import StartingPoint, starting_corners, starting_point
from game.scenario.model import (
    BLOWUP_NODE,
    AbusivePolicy,
    AtFaultApology,
    EndingKind,
    PartingPolicy,
    Policy,
    Rating,
    Scenario,
    SupervisorPolicy,
)

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Floats = NDArray[np.float64]
# These decide the rating of the ending they lead to.
JUDGED_ENDINGS = ("escalate", "hang_up", "call_security", "pass_the_buck")
# Endings that stand even when anger hits 100 on the way there: the agent or the customer
# ended it. A blown-up customer never reaches "resolved" or "escalated".
ENDS_DESPITE_BLOWUP = (EndingKind.CUSTOMER_LEFT, EndingKind.CALL_ENDED, EndingKind.SECURITY)
# Moments where judgement matters most weigh double.
CRITICAL_TAGS = frozenset(
    {"abusive", "threat", "requests_supervisor", "beyond_authority", "refund_history"}
)
# Listen → Recap → Apologise → Resolve (004). A turn that makes a move of a later step while
# a step the call calls for is still undone jumps ahead: it costs practice points.
ORDERED_STEPS = ("listen", "recap", "apologise", "resolve")
_NO_APOLOGY_PERSONAS = ("indecisive", "talkative")  # their trouble isn't the company's fault
# At these moments the order gives way: abuse, threats and a demand for a supervisor come first.
ORDER_EXEMPT_TAGS = frozenset({"abusive", "threat", "requests_supervisor"})
RATINGS = (Rating.GOOD, Rating.PARTIAL, Rating.BAD)
_NO_LIMIT_LOW, _NO_LIMIT_HIGH = -1, 1_000


@dataclass(frozen=True, slots=True)
class Compiled:
    """A scenario as arrays, indexed by node and by flattened choice."""

    node_ids: tuple[str, ...]
    node_index: dict[str, int]
    flag_bits: dict[str, int]
    start: int
    blowup: int  # index of the scenario's `blowup` node, or -1
    is_end: Bools  # (nodes,)
    holds_on_blowup: Bools  # (nodes,) endings that stand even when anger hits 100
    node_tags: Bools  # (nodes, tags)
    critical: Bools  # (nodes,)
    threat: Bools  # (nodes,) moments tagged `threat`
    flare: Ints  # (nodes,) anger added on reaching the node
    explicit_rating: Ints  # (nodes,) index into RATINGS or -1
    default_rating: Ints  # (nodes,)
    choice_offset: Ints  # (nodes,) first flattened choice of each node
    choice_count: Ints  # (nodes,)
    techniques: Bools  # (choices, techniques)
    judged_technique: Ints  # (choices,) the escalate/hang_up/call_security it uses, or -1
    sets: Ints  # (choices,) flag bit mask
    branch_target: Ints  # (choices, max branches), -1 where padded
    anger_at_least: Ints
    anger_below: Ints
    flag_required: Ints  # bit masks, 0 = no test
    flag_forbidden: Ints
    turn_at_least: Ints
    first_branch_conditional: Bools  # (choices,) the first branch has a `when` to test
    persona: int
    start_anger: int
    vent: int
    transfer_policy: bool
    help_first: bool
    parting_approved: bool  # `parting_ways: approved`: the agent may offer a release
    apologise_at_fault: bool  # `apology_when_customer_at_fault: apologise_for_misunderstanding`
    step_bit: Ints  # (techniques,) bit of the ordered step a technique serves, 0 for none
    at_fault: Bools  # (nodes,) moments tagged `customer_at_fault`
    order_exempt: Bools  # (nodes,) moments where jumping ahead is no jump (ORDER_EXEMPT_TAGS)
    base_required: int  # bit mask of the ordered steps the call calls for, before at-fault
    # While the grievance is unresolved (no Resolve move has landed), talk alone never brings
    # the customer below this (the catalog's `unresolved_floor`, the bottom of the Annoyed
    # band; a scenario's own overrides it, 0 turns it off; none by default for indecisive
    # and talkative customers, who have no grievance). It only stops a fall: a customer
    # already below it is left alone.
    unresolved_floor: int
    scenario: Scenario  # for the seeded starting point of each attempt (`variation`)
    # The context of a batch of one row at each node, built when first asked for (the
    # session runner steps one row at a time); its arrays are read-only, as it is shared.
    one_row_contexts: dict[int, Context] = field(default_factory=dict, compare=False, repr=False)

    def flags_mask(self, flags: frozenset[str]) -> int:
        return sum(self.flag_bits[f] for f in flags)


def compile_scenario(
    scenario: Scenario, policy: Policy | None = None, *, catalog: Catalog
) -> Compiled:
    effective = scenario.policy.over(policy or Policy())
    ids = tuple(node.id for node in scenario.nodes)
    index = {node_id: i for i, node_id in enumerate(ids)}
    flags = sorted(
        {f for node in scenario.nodes for c in node.choices for f in c.sets}
        | {f for f, _ in scenario.seeded_flags}
        | {
            f
            for node in scenario.nodes
            for c in node.choices
            for b in c.branches
            if b.when is not None
            for f in (b.when.flag, b.when.not_flag)
            if f is not None
        }
    )
    if len(flags) > 62:
        raise ValueError("the simulation supports at most 62 distinct flags per scenario")
    bit = {flag: 1 << i for i, flag in enumerate(flags)}
    choices = [c for node in scenario.nodes for c in node.choices]
    max_branches = max((len(c.branches) for c in choices), default=1)
    shape = (len(choices), max_branches)
    target = np.full(shape, -1, dtype=np.int64)
    at_least = np.full(shape, _NO_LIMIT_LOW, dtype=np.int64)
    below = np.full(shape, _NO_LIMIT_HIGH, dtype=np.int64)
    required = np.zeros(shape, dtype=np.int64)
    forbidden = np.zeros(shape, dtype=np.int64)
    turn_min = np.full(shape, _NO_LIMIT_LOW, dtype=np.int64)
    techniques = np.zeros((len(choices), len(catalog.technique_order)), dtype=bool)
    judged = np.full(len(choices), -1, dtype=np.int64)
    sets = np.zeros(len(choices), dtype=np.int64)
    for ci, choice in enumerate(choices):
        for tid in choice.techniques:
            techniques[ci, catalog.techniques[tid].index] = True
        judged_ids = [t for t in choice.techniques if t in JUDGED_ENDINGS]
        if judged_ids:
            judged[ci] = catalog.techniques[judged_ids[0]].index
        sets[ci] = sum(bit[f] for f in set(choice.sets))
        for bi, branch in enumerate(choice.branches):
            target[ci, bi] = index[branch.goto]
            when = branch.when
            if when is None:
                continue
            if when.anger_at_least is not None:
                at_least[ci, bi] = when.anger_at_least
            if when.anger_below is not None:
                below[ci, bi] = when.anger_below
            if when.flag is not None:
                required[ci, bi] = bit[when.flag]
            if when.not_flag is not None:
                forbidden[ci, bi] = bit[when.not_flag]
            if when.turn_at_least is not None:
                turn_min[ci, bi] = when.turn_at_least
    counts = np.array([len(node.choices) for node in scenario.nodes], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    tags = np.array(
        [[t in node.tags for t in catalog.tag_order] for node in scenario.nodes], dtype=bool
    ).reshape(len(ids), len(catalog.tag_order))
    ratings = [r.value for r in RATINGS]
    explicit = np.array(
        [
            ratings.index(node.ending.rating.value)
            if node.ending is not None and node.ending.rating is not None
            else -1
            for node in scenario.nodes
        ],
        dtype=np.int64,
    )
    default = np.array(
        [
            ratings.index(catalog.endings[node.ending.kind.value].rating)
            if node.ending is not None
            else -1
            for node in scenario.nodes
        ],
        dtype=np.int64,
    )
    required_mask = (1 << len(ORDERED_STEPS)) - 1
    if (scenario.customer.vent_max or scenario.customer.vent) == 0:
        required_mask &= ~(1 << ORDERED_STEPS.index("listen"))
    if scenario.customer.persona.value in _NO_APOLOGY_PERSONAS:
        required_mask &= ~(1 << ORDERED_STEPS.index("apologise"))
    return Compiled(
        node_ids=ids,
        node_index=index,
        flag_bits=bit,
        start=index[scenario.start],
        blowup=index.get(BLOWUP_NODE, -1),
        is_end=np.array([node.is_end for node in scenario.nodes], dtype=bool),
        holds_on_blowup=np.array(
            [
                node.ending is not None and node.ending.kind in ENDS_DESPITE_BLOWUP
                for node in scenario.nodes
            ],
            dtype=bool,
        ),
        node_tags=tags,
        critical=np.array([bool(node.tags & CRITICAL_TAGS) for node in scenario.nodes]),
        threat=np.array(["threat" in node.tags for node in scenario.nodes], dtype=bool),
        flare=np.array([node.flare for node in scenario.nodes], dtype=np.int64),
        explicit_rating=explicit,
        default_rating=default,
        choice_offset=offsets,
        choice_count=counts,
        techniques=techniques,
        judged_technique=judged,
        sets=sets,
        branch_target=target,
        anger_at_least=at_least,
        anger_below=below,
        flag_required=required,
        flag_forbidden=forbidden,
        turn_at_least=turn_min,
        first_branch_conditional=np.array(
            [bool(c.branches) and c.branches[0].when is not None for c in choices], dtype=bool
        ),
        persona=catalog.personas[scenario.customer.persona.value].index,
        start_anger=scenario.customer.anger,
        vent=scenario.customer.vent,
        transfer_policy=effective.abusive_caller is AbusivePolicy.TRANSFER,
        help_first=effective.supervisor_request is SupervisorPolicy.HELP_FIRST,
        parting_approved=effective.parting_ways is PartingPolicy.APPROVED,
        apologise_at_fault=(
            effective.apology_when_customer_at_fault
            is AtFaultApology.APOLOGISE_FOR_MISUNDERSTANDING
        ),
        step_bit=np.array(
            [
                1 << ORDERED_STEPS.index(catalog.techniques[t].step)
                if catalog.techniques[t].step in ORDERED_STEPS
                else 0
                for t in catalog.technique_order
            ],
            dtype=np.int64,
        ),
        at_fault=np.array(["customer_at_fault" in node.tags for node in scenario.nodes]),
        order_exempt=np.array([bool(node.tags & ORDER_EXEMPT_TAGS) for node in scenario.nodes]),
        base_required=required_mask,
        unresolved_floor=(
            scenario.customer.unresolved_floor
            if scenario.customer.unresolved_floor is not None
            else 0
            if scenario.customer.persona.value in _NO_APOLOGY_PERSONAS
            else catalog.params.unresolved_floor
        ),
        scenario=scenario,
    )


_COMPILED: dict[tuple[str, str, Policy, int], tuple[Catalog, Compiled]] = {}


def compiled_for(scenario: Scenario, policy: Policy, catalog: Catalog) -> Compiled:
    """The compiled scenario the session runner steps through (built once per content)."""
    key = (scenario.path, scenario.content_hash, policy, id(catalog))
    cached = _COMPILED.get(key)
    if cached is not None and cached[0] is catalog:
        return cached[1]
    if len(_COMPILED) >= 64:
        _COMPILED.clear()
    compiled = compile_scenario(scenario, policy, catalog=catalog)
    _COMPILED[key] = (catalog, compiled)
    return compiled


def starting_rows(c: Compiled, seeds: Ints) -> tuple[StartingPoint, ...]:
    """The starting point of the attempt with each seed (the session runner's, exactly)."""
    if not starting_corners(c.scenario)[1:]:  # nothing varies: every attempt starts alike
        return (starting_point(c.scenario, 0),) * int(seeds.size)
    return tuple(starting_point(c.scenario, int(seed)) for seed in seeds.tolist())
