"""A recorded call, rebuilt once for every host that shows it (the history, the desk, the report).

One replay (`game.engine.session.replay_conversation`) gives the conversation as it was
spoken and the final state; this module decides, in one place, what can be trusted of it:

- the scenario is the same file and the replayed turns are the recorded ones: the
  conversation is exact; otherwise it is rebuilt from the recorded turns (every reply, and
  the customer's line before it where its node still exists);
- the technique catalog is the one that scored the call: the debrief is the engine's own,
  exactly as the trainee saw it; otherwise (another catalog, one recorded before catalogs
  were kept, or a changed scenario) the debrief is made of the recorded turns and carries
  the score, grade and pass that were stored at the time, with a note that says so. An old
  attempt is never silently re-scored by new rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from game.engine.catalog import Catalog
from game.engine.scoring import Debrief, debrief
from game.engine.session import (
    Outcome,
    Phase,
    SessionError,
    SessionState,
    Spoken,
    TimerMode,
    line_text,
    replay_conversation,
)
from game.records.api import AttemptDetail
from game.scenario.model import EndingKind, Rating, Scenario

SCENARIO_CHANGED_NOTE = (
    "This level has changed since this call was played; the review is rebuilt from the "
    "recorded turns, with the score it got then."
)
CATALOG_CHANGED_NOTE = (
    "This call was scored under an earlier edition of the rules; it is shown with the "
    "score it got then, from the recorded turns."
)


@dataclass(frozen=True, slots=True)
class RecordedCall:
    """What every host shows of a recorded attempt."""

    detail: AttemptDetail
    lines: tuple[Spoken, ...]  # the conversation, in order
    state: SessionState | None  # the replayed state; None: the record could not be replayed
    ending_node: str | None  # where the call ended, when the replay knows it
    report: Debrief | None  # None: the attempt did not finish
    note: str | None  # why the review is shown as recorded; None: it is the engine's own
    lang: str = "en"  # the language its lines are shown in

    @property
    def exact(self) -> bool:
        """The lines come from a replay of the same scenario that met the recorded turns."""
        return self.state is not None

    @property
    def as_recorded(self) -> bool:
        """The score, grade and pass shown are the stored ones, under an older rule set."""
        return self.note is not None

    def ending_line(self, scenario: Scenario, catalog: Catalog | None = None) -> str | None:
        """The customer's last words, when the replay knows where the call ended (a built-in
        ending in the words `catalog` carries)."""
        if self.ending_node is None:
            return None
        return line_text(scenario, self.ending_node, self.lang, catalog)


def scored_elsewhere(detail: AttemptDetail, catalog: Catalog) -> bool:
    """The attempt was scored by another catalog, or before the catalog was recorded."""
    return detail.attempt.catalog_hash != catalog.content_hash


def replay_recorded(
    detail: AttemptDetail, scenario: Scenario | None, catalog: Catalog, lang: str | None = None
) -> RecordedCall:
    """The one way to rebuild a recorded attempt: its conversation and its debrief."""
    attempt = detail.attempt
    lang = attempt.lang if lang is None else lang
    state: SessionState | None = None
    lines: tuple[Spoken, ...] = ()
    same_scenario = (
        scenario is not None
        and scenario.id == attempt.scenario_id
        and scenario.content_hash == attempt.content_hash
    )
    if scenario is not None and same_scenario:
        try:
            state, lines = replay_conversation(
                scenario,
                detail.events,
                policy=attempt.policy,
                seed=attempt.seed,
                timer=TimerMode(attempt.timer),
                lang=lang,
                catalog=catalog,
            )
        except (SessionError, KeyError, ValueError):
            state = None
    if state is not None and not _same_turns(state, detail):
        state = None  # the rules branched differently this time: not what the trainee read
    exact = state is not None
    if not exact:
        lines = _lines_from_turns(detail, scenario, lang)
    ending = state.outcome.node if state is not None and state.outcome is not None else None
    report, note = None, None
    if attempt.outcome is not None and scenario is not None:
        if (
            exact
            and state is not None
            and state.phase is Phase.ENDED
            and not scored_elsewhere(detail, catalog)
        ):
            report = debrief(scenario, state, attempt.pass_score, catalog=catalog)
        else:
            note = CATALOG_CHANGED_NOTE if same_scenario else SCENARIO_CHANGED_NOTE
            report = _as_recorded(scenario, detail, catalog)
    return RecordedCall(detail, lines, state, ending, report, note, lang)


def _same_turns(state: SessionState, detail: AttemptDetail) -> bool:
    replayed = [(t.node, t.choice, t.anger_after) for t in state.turns]
    recorded = [(t.node, t.choice, t.anger_after) for t in detail.turns]
    return replayed == recorded


def _lines_from_turns(
    detail: AttemptDetail, scenario: Scenario | None, lang: str
) -> tuple[Spoken, ...]:
    lines: list[Spoken] = []
    for turn in detail.turns:
        if scenario is not None and turn.node in scenario.index:
            lines.append(Spoken("customer", scenario.node(turn.node).customer.get(lang)))
        lines.append(Spoken("agent", turn.say.get(lang)))
    return tuple(lines)


def _as_recorded(scenario: Scenario, detail: AttemptDetail, catalog: Catalog) -> Debrief:
    """The debrief of the recorded turns, carrying the score, grade and pass stored then.

    The turns are the engine's own values, kept verbatim; only the totals would change under
    today's rules, and those are replaced by the stored ones."""
    attempt = detail.attempt
    if attempt.outcome is None or attempt.rating is None or attempt.final_anger is None:
        raise ValueError(f"attempt {attempt.id} did not finish")
    start_anger = detail.anger_trace[0] if detail.anger_trace else attempt.final_anger
    state = SessionState(
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
        start_anger=start_anger,
    )
    report = debrief(scenario, state, attempt.pass_score, catalog=catalog)
    return replace(
        report,
        score=report.score if attempt.score is None else attempt.score,
        grade=report.grade if attempt.grade is None else attempt.grade,
        passed=report.passed if attempt.passed is None else attempt.passed,
        anger_trace=detail.anger_trace or report.anger_trace,
    )
