"""Seeded variation: what differs between two attempts at a level, decided by the attempt's seed.

Every pick is a pure function of (seed, scenario id, what is picked), through SHA-256, so an
attempt replays exactly from its stored seed, on any machine and in any batch: the wording of
each reply, the starting anger and venting within the author's ranges, and the story flags a
level sets by seed (`seeded_flags`). Nothing here depends on the order things are asked for.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from game.scenario.model import Choice, LineVariant, Node, Scenario, Text


def unit(seed: int, scenario_id: str, what: str) -> float:
    """A uniform number in [0, 1) for this attempt and this pick."""
    digest = hashlib.sha256(f"{seed}:{scenario_id}:{what}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def pick_between(seed: int, scenario_id: str, what: str, low: int, high: int) -> int:
    """An integer in low..high (inclusive), the same for the same seed."""
    if high <= low:
        return low
    return low + int(unit(seed, scenario_id, what) * (high - low + 1))


@dataclass(frozen=True, slots=True)
class StartingPoint:
    """How an attempt begins: anger, turns of venting and the story flags already set."""

    anger: int
    vent: int
    flags: frozenset[str]


def starting_point(scenario: Scenario, seed: int) -> StartingPoint:
    customer = scenario.customer
    anger_max = customer.anger if customer.anger_max is None else customer.anger_max
    vent_max = customer.vent if customer.vent_max is None else customer.vent_max
    return StartingPoint(
        anger=pick_between(seed, scenario.id, "anger", customer.anger, anger_max),
        vent=pick_between(seed, scenario.id, "vent", customer.vent, vent_max),
        flags=frozenset(
            flag
            for flag, percent in scenario.seeded_flags
            if unit(seed, scenario.id, f"flag:{flag}") * 100 < percent
        ),
    )


def starting_corners(scenario: Scenario) -> tuple[StartingPoint, ...]:
    """Every extreme an attempt can start from (lowest and highest anger and venting, every
    combination of story flags): what exhaustive analysis explores."""
    customer = scenario.customer
    angers = sorted({customer.anger, customer.anger_max or customer.anger})
    vents = sorted({customer.vent, customer.vent_max or customer.vent})
    flag_sets: list[frozenset[str]] = [frozenset()]
    for flag, _ in scenario.seeded_flags:
        flag_sets += [s | {flag} for s in flag_sets]
    return tuple(StartingPoint(a, v, f) for a in angers for v in vents for f in flag_sets)


def wording(scenario_id: str, node_id: str, choice: Choice, seed: int) -> Text:
    """The wording of `choice` this attempt shows (one per attempt, whatever the turn)."""
    if len(choice.wordings) <= 1:
        return choice.say
    index = int(unit(seed, scenario_id, f"say:{node_id}:{choice.number}") * len(choice.wordings))
    return choice.wordings[index]


def fact_names(
    *, venting: bool, acknowledged: bool, asked: bool, owes: bool, resolved: bool | None = None
) -> tuple[str, ...]:
    """The conversation facts, by name (session.FACT_LABELS): what a fix is judged by and
    what a customer line's `when` can test. `resolved` is left out when None."""
    facts = ["still_venting" if venting else "vented"]
    facts.append("acknowledged" if acknowledged else "not_acknowledged")
    if asked:
        facts.append("asked_for_fix")
    if owes:
        facts.append("promise_standing")
    if resolved is not None:
        facts.append("resolved" if resolved else "unresolved")
    return tuple(facts)


def line_variant(
    node: Node, anger: float, flags: frozenset[str], turn: int, facts: frozenset[str]
) -> LineVariant | None:
    """The variant of the node's customer line that fits the moment (None: a plain line)."""
    for variant in node.lines:
        if variant.when is None or variant.when.holds(anger, flags, turn, facts):
            return variant
    return None


def line_of(
    node: Node, anger: float, flags: frozenset[str], turn: int, facts: frozenset[str]
) -> Text:
    variant = line_variant(node, anger, flags, turn, facts)
    return node.customer if variant is None else variant.text
