"""Rebuilding the debrief of a recorded attempt, for the trainee's history.

The exact way is to replay the recorded events on the same scenario. If the scenario file
has changed since, the stored turns (the engine's own values, kept verbatim) still score
the same way, so the debrief is rebuilt from them instead.
"""

from __future__ import annotations

from game.engine.scoring import Debrief, debrief
from game.engine.session import Outcome, Phase, SessionState, TimerMode
from game.records.api import AttemptDetail
from game.records.recorder import replay_attempt
from game.scenario.model import EndingKind, Rating, Scenario

CHANGED_NOTE = (
    "This level has changed since this call was played; the review is rebuilt from the "
    "recorded turns."
)


def from_record(detail: AttemptDetail) -> SessionState:
    """A finished session state made of the recorded turns and outcome."""
    attempt = detail.attempt
    if attempt.outcome is None or attempt.rating is None or attempt.final_anger is None:
        raise ValueError(f"attempt {attempt.id} did not finish")
    start = detail.anger_trace[0] if detail.anger_trace else attempt.final_anger
    return SessionState(
        scenario_id=attempt.scenario_id,
        content_hash=attempt.content_hash,
        policy=attempt.policy,
        seed=attempt.seed,
        timer=TimerMode(attempt.timer),
        phase=Phase.ENDED,
        node="",
        anger=attempt.final_anger,
        heard=0.0,
        trust=0.0,
        vent=0,
        debt=0,
        helped=0,
        boundary=False,
        policy_broken=False,  # it only decides the rating, which the outcome below carries
        uses=(),
        flags=frozenset(),
        silence=0.0,
        nudged=False,
        turns=detail.turns,
        events=detail.events,
        outcome=Outcome(
            kind=EndingKind(attempt.outcome),
            rating=Rating(attempt.rating),
            node="",
            cause="ending",
            effects=detail.closing_effects,
            final_anger=attempt.final_anger,
        ),
        start_anger=start,
    )


def rebuild(detail: AttemptDetail, scenario: Scenario) -> tuple[Debrief, str | None]:
    """The attempt's debrief, and a note when it had to come from the record."""
    pass_score = detail.attempt.pass_score
    try:
        state = replay_attempt(detail, scenario)
    except ValueError:
        return debrief(scenario, from_record(detail), pass_score), CHANGED_NOTE
    if state.phase is not Phase.ENDED:
        return debrief(scenario, from_record(detail), pass_score), CHANGED_NOTE
    return debrief(scenario, state, pass_score), None
