"""What is said at a moment: the customer's line (built-in endings, variants by anger, flags and the conversation facts), the nudge after silence, the replies in their seeded order, and the author's feedback when the verdict agrees with it."""

from __future__ import annotations

import hashlib
from typing import Any

from game.engine.catalog import Catalog
from game.engine.state import BLOWUP_LINE, DEAD_AIR_LINE, TURN_LIMIT_LINE, SessionState
from game.engine.variation import fact_names, line_of
from game.scenario.model import (
    Choice,
    Node,
    Scenario,
    Text,
)

BUILTIN_LINES: dict[str, str] = {
    BLOWUP_LINE: "That's it. I've had enough of this. I'm taking my business elsewhere.",
    DEAD_AIR_LINE: "Hello? ... Hello?! Unbelievable. I'm done waiting.",
    TURN_LIMIT_LINE: "We're going round in circles. I'm done with this.",
}
NUDGE_LINES: dict[str, str] = {
    "phone": "Hello? Are you still there?",
    "in_person": "Excuse me? Are you even listening?",
    "chat": "Hello?? Is anyone there?",
    "email": "",
}


def customer_line(
    scenario: Scenario, state: SessionState, lang: str = "en", *, catalog: Catalog
) -> str:
    """What the customer says at the state's node: the line variant that fits the anger, the
    story flags and the conversation facts as they stand (see `moment_facts`)."""
    if state.node in BUILTIN_LINES:
        return catalog.said(f"builtin:{state.node}", BUILTIN_LINES[state.node])
    node = scenario.node(state.node)
    facts = frozenset(moment_facts(state, node, catalog))
    return line_of(node, state.anger, state.flags, state.turn_count, facts).get(lang)


def line_text(
    scenario: Scenario, node_id: str, lang: str = "en", catalog: Catalog | None = None
) -> str:
    """The customer's line at a node; a built-in ending's in the words `catalog` carries."""
    if node_id in BUILTIN_LINES:
        english = BUILTIN_LINES[node_id]
        return english if catalog is None else catalog.said(f"builtin:{node_id}", english)
    return scenario.node(node_id).customer.get(lang)


def shuffled(node: Node, seed: int, turn: int) -> tuple[Any, ...]:
    """The node's choices in a seeded order, so position never gives the answer away."""

    def key(number: int) -> str:
        return hashlib.sha256(f"{seed}:{node.id}:{turn}:{number}".encode()).hexdigest()

    return tuple(sorted(node.choices, key=lambda c: key(c.number)))


def authored_feedback(choice: Choice, quality: float) -> Text | None:
    """The author's `feedback`, unless the engine's verdict contradicts the `expect` it was
    written for (then the engine's own explanation is shown): it never says the opposite."""
    if choice.feedback is None or choice.expect is None:
        return choice.feedback
    meant_well = choice.expect.value in ("good", "fair")
    return choice.feedback if (quality > 0) == meant_well else None


FACT_LABELS: dict[str, str] = {
    "still_venting": "still venting",
    "vented": "had finished venting",
    "acknowledged": "problem recapped or feeling acknowledged",
    "not_acknowledged": "not yet recapped or acknowledged",
    "asked_for_fix": "asked what you will do about it",
    "promise_standing": "a promise you can't keep is standing",
    "resolved": "something has been done about the problem",
    "unresolved": "nothing has been done about the problem yet",
}


def conversation_facts(state: SessionState, node: Node) -> tuple[str, ...]:
    """The facts a fix is judged by, as they stood before the reply (see FACT_LABELS)."""
    return fact_names(
        venting=state.vent > 0,
        acknowledged=state.acknowledged,
        asked="asks_for_fix" in node.tags,
        owes=state.debt > 0,
    )


def moment_facts(state: SessionState, node: Node, catalog: Catalog) -> tuple[str, ...]:
    """The conversation facts, plus whether the grievance has been resolved (a Resolve move
    has landed under `catalog`): what a customer line's `when` tests."""
    resolved = any(
        (e.quality or 0) > 0
        and e.source in catalog.techniques
        and catalog.techniques[e.source].step == "resolve"
        for turn in state.turns
        for e in turn.effects
    )
    return fact_names(
        venting=state.vent > 0,
        acknowledged=state.acknowledged,
        asked="asks_for_fix" in node.tags,
        owes=state.debt > 0,
        resolved=resolved,
    )
