"""A live session whose every played turn is already in the store.

The UI (and the tests) drive a `Recorder` exactly like an engine `Session`: `proceed()`,
`tick()`, `choose()`. Each choice is played on a copy of the state, written in one
transaction with the trainee's response time, and only then becomes the session's state,
so what the trainee saw and what the supervisor will see cannot drift apart. When the
conversation's outcome is known the debrief is computed and the attempt is finished at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from game.engine.catalog import load_catalog
from game.engine.scoring import Debrief, debrief
from game.engine.session import (
    Moment,
    Phase,
    Session,
    SessionError,
    SessionState,
    TimerMode,
    Turn,
    choose,
    proceed,
    replay,
)
from game.records.api import AttemptDetail, AttemptStart, Store
from game.scenario.model import Policy, Scenario


class RecorderClosed(SessionError):
    """The attempt was finished or abandoned; nothing more can be played or recorded."""


class Recorder:
    """One attempt being played and recorded turn by turn."""

    def __init__(
        self,
        store: Store,
        attempt_id: int,
        session: Session,
        *,
        pass_score: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.attempt_id = attempt_id
        self.session = session
        self.pass_score = pass_score
        self._clock = clock
        self._asked_at: float | None = None
        self._debrief: Debrief | None = None
        self._abandoned = False

    @classmethod
    def begin(
        cls,
        store: Store,
        trainee_id: int,
        scenario: Scenario,
        level: int | None,
        pass_score: int,
        policy: Policy | None,
        seed: int,
        timer: TimerMode | str,
        lang: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> Recorder:
        """Start the call and its attempt record (the scenario's own policy overrides `policy`)."""
        session = Session(scenario, policy=policy, seed=seed, timer=TimerMode(timer))
        attempt_id = store.start_attempt(
            AttemptStart(
                trainee_id=trainee_id,
                scenario_id=scenario.id,
                content_hash=scenario.content_hash,
                level=level,
                pass_score=pass_score,
                seed=seed,
                policy=session.state.policy,
                timer=session.state.timer.value,
                lang=lang,
                started_at=datetime.now(UTC),
                catalog_hash=session.state.catalog_hash,
            )
        )
        return cls(store, attempt_id, session, pass_score=pass_score, clock=clock)

    # ---- what to show -----------------------------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        return self.session.scenario

    @property
    def state(self) -> SessionState:
        return self.session.state

    @property
    def phase(self) -> Phase:
        return self.session.phase

    @property
    def live_anger(self) -> float:
        return self.session.live_anger

    @property
    def finished(self) -> bool:
        """The attempt is completed in the store (the parting line may still be showing)."""
        return self._debrief is not None

    @property
    def abandoned(self) -> bool:
        return self._abandoned

    @property
    def debrief(self) -> Debrief | None:
        return self._debrief

    def current(self, lang: str = "en") -> Moment:
        return self.session.current(lang)

    # ---- what the trainee does --------------------------------------------------------------

    def proceed(self) -> None:
        self._check_open(allow_finished=True)
        self.session.proceed()
        if self.session.phase is Phase.CHOOSING:
            self._asked_at = self._clock()
        self._finish_if_over()

    def tick(self, seconds: float) -> None:
        """Time passes at a prompt; if the customer gives up on the silence, that is recorded."""
        self._check_open()
        self.session.tick(seconds)
        self._finish_if_over()

    def choose(self, number: int) -> Turn:
        """Play the reply (authoring number) and record the turn in one transaction."""
        self._check_open()
        answered_at = self._clock()
        asked_at = answered_at if self._asked_at is None else self._asked_at
        state, turn = choose(self.scenario, self.session.state, number)
        self.store.record_turn(
            self.attempt_id, turn, state.events[-1], max(0.0, answered_at - asked_at)
        )
        self.session.state = state
        self._asked_at = None
        self._finish_if_over()
        return turn

    def abandon(self) -> None:
        """The trainee left mid-call: the attempt is kept, with its turns, as abandoned."""
        if self._debrief is not None or self._abandoned:
            return
        self.store.abandon_attempt(self.attempt_id, datetime.now(UTC))
        self._abandoned = True

    # ---- internals --------------------------------------------------------------------------

    def _check_open(self, *, allow_finished: bool = False) -> None:
        if self._abandoned:
            raise RecorderClosed(f"attempt {self.attempt_id} was abandoned")
        if self._debrief is not None and not allow_finished:
            raise RecorderClosed(f"attempt {self.attempt_id} is already finished")

    def _finish_if_over(self) -> None:
        state = self.session.state
        if self._debrief is not None or state.outcome is None:
            return
        # The parting line may still be showing; score the conversation as it will end.
        ended = state if state.phase is Phase.ENDED else proceed(self.scenario, state)
        report = debrief(self.scenario, ended, self.pass_score)
        timeout = state.events[-1].silence if state.outcome.cause == "dead_air" else None
        finish_from_debrief(
            self.store, self.attempt_id, report, ended_at=datetime.now(UTC), timeout_silence=timeout
        )
        self._debrief = report


def finish_from_debrief(
    store: Store,
    attempt_id: int,
    report: Debrief,
    *,
    ended_at: datetime,
    timeout_silence: float | None = None,
) -> None:
    """Finish an attempt with what its debrief says, so every writer stores the same fields."""
    store.finish_attempt(
        attempt_id,
        ended_at=ended_at,
        outcome=report.outcome,
        rating=report.rating.value,
        cause=report.cause,
        score=report.score,
        grade=report.grade,
        passed=report.passed,
        final_anger=report.final_anger,
        anger_trace=report.anger_trace,
        closing_effects=report.closing_effects,
        competencies={c.id: c.score for c in report.competencies},
        timeout_silence=timeout_silence,
    )


def replay_attempt(detail: AttemptDetail, scenario: Scenario) -> SessionState:
    """Play a recorded attempt again from its events; refuses a scenario or a technique
    catalog that has changed (an old attempt is never silently re-scored by new rules)."""
    attempt = detail.attempt
    if attempt.catalog_hash != load_catalog().content_hash:
        raise ValueError(
            f"attempt {attempt.id} was scored by another technique catalog"
            f" ({(attempt.catalog_hash or 'unrecorded')[:12]}); it is shown as recorded"
        )
    if scenario.id != attempt.scenario_id or scenario.content_hash != attempt.content_hash:
        raise ValueError(
            f"attempt {attempt.id} was played on {attempt.scenario_id}"
            f" ({attempt.content_hash[:12]}); this is {scenario.id}"
            f" ({scenario.content_hash[:12]}): the scenario has changed since"
        )
    return replay(
        scenario,
        detail.events,
        policy=attempt.policy,
        seed=attempt.seed,
        timer=TimerMode(attempt.timer),
    )
