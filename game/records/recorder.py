"""A live session whose every played turn is already in the store.

The UI (and the tests) drive a `Recorder` exactly like an engine `Session`: `proceed()`,
`tick()`, `choose()`. Each choice is played on a copy of the state, written in one
transaction with the trainee's response time, and only then becomes the session's state,
so what the trainee saw and what the supervisor will see cannot drift apart. When the
conversation's outcome is known the debrief is computed and the attempt is finished at once.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

from game.engine.catalog import Catalog
from game.engine.scoring import Debrief, debrief
from game.engine.session import (
    Cause,
    Moment,
    Phase,
    Session,
    SessionError,
    SessionState,
    TimerMode,
    Turn,
    choose,
    proceed,
)
from game.records.api import AttemptStart, Store
from game.scenario.model import Policy, Scenario

ABANDON_WAIT = 2.0  # seconds leaving a call waits for the records before giving up on them


class RecorderClosed(SessionError):
    """The attempt was finished or abandoned; nothing more can be played or recorded."""


class WriteQueue:
    """One daemon thread running writes in the order given, for a window that must not wait.

    Unlike a ThreadPoolExecutor, its thread never keeps the process alive: a write stuck on
    a server that stopped answering cannot stop the game from quitting. Jobs are Futures.
    """

    def __init__(self, name: str = "recorder") -> None:
        self._jobs: queue.SimpleQueue[
            tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None
        ]
        self._jobs = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        job: Future[Any] = Future()
        self._jobs.put((job, fn, args))
        return job

    def _run(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, fn, args = item
            if not job.set_running_or_notify_cancel():
                continue
            try:
                job.set_result(fn(*args))
            except BaseException as error:  # handed to whoever asks the Future
                job.set_exception(error)

    def shutdown(self, timeout: float = 0.0) -> bool:
        """Stop after the jobs already queued; wait up to `timeout`. True if it stopped."""
        self._jobs.put(None)
        self._thread.join(timeout)
        return not self._thread.is_alive()


def run_with_deadline(fn: Callable[[], Any], seconds: float) -> Future[Any]:
    """Run `fn` on a daemon thread and wait at most `seconds`; the Future says how it went
    (still running when the deadline passed: not done)."""
    job: Future[Any] = Future()
    job.set_running_or_notify_cancel()

    def work() -> None:
        try:
            job.set_result(fn())
        except BaseException as error:
            job.set_exception(error)

    threading.Thread(target=work, name="records-deadline", daemon=True).start()
    with contextlib.suppress(TimeoutError):
        job.exception(timeout=seconds)
    return job


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
        exam: bool = False,
    ) -> None:
        self.store = store
        self.attempt_id = attempt_id
        self.session = session
        self.pass_score = pass_score
        self.exam = exam  # grading stays hidden until the debrief
        self._clock = clock
        self._asked_at: float | None = None
        self._debrief: Debrief | None = None
        self._abandoned = False
        self.lost_reply: int | None = None  # a reply played but not saved: the write failed
        self.close_problem: str | None = None  # why the attempt could not be closed, if so

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
        catalog: Catalog,
        *,
        clock: Callable[[], float] = time.monotonic,
        exam: bool = False,
    ) -> Recorder:
        """Start the call and its attempt record (the scenario's own policy overrides `policy`).
        `exam`: the attempt is an exam (`game.training.exam_mode` decides; stored with it)."""
        session = Session(
            scenario, policy=policy, seed=seed, timer=TimerMode(timer), catalog=catalog
        )
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
                exam=exam,
            )
        )
        return cls(store, attempt_id, session, pass_score=pass_score, clock=clock, exam=exam)

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
        state, turn = choose(
            self.scenario, self.session.state, number, catalog=self.session.catalog
        )
        try:
            self.store.record_turn(
                self.attempt_id, turn, state.events[-1], max(0.0, answered_at - asked_at)
            )
        except Exception:
            # The reply is lost; close the attempt at once rather than leave it in progress.
            self.lost_reply = turn.number
            self._close_after_failure()
            raise
        self.session.state = state
        self._asked_at = None
        self._finish_if_over()
        return turn

    def abandon(self, wait: float = ABANDON_WAIT) -> None:
        """The trainee left mid-call: the attempt is kept, with its turns, as abandoned.

        Waits at most `wait` seconds for the records: leaving must work while the database
        is stuck. If it cannot be marked, `close_problem` says why (the game, when it next
        opens the records, marks it as left: see `Store.abandon_stale`).
        """
        if self._debrief is not None or self._abandoned:
            return
        attempt_id = self.attempt_id
        job = run_with_deadline(
            lambda: self.store.abandon_attempt(attempt_id, datetime.now(UTC)), wait
        )
        if not job.done():
            self.close_problem = f"the records did not answer within {wait:g} seconds"
            raise TimeoutError(f"attempt {attempt_id}: {self.close_problem}")
        error = job.exception()
        if error is not None:
            from game.records.redact import public_message

            self.close_problem = public_message(error)
            raise error
        self._abandoned = True
        self.close_problem = None

    def _close_after_failure(self) -> None:
        # why it failed is kept in close_problem; the first error is the one raised
        with contextlib.suppress(Exception):
            self.abandon()

    def fate(self) -> str:
        """What happened to this attempt, in words for the trainee (for the error screen)."""
        played = self.session.state.turn_count
        replies = f"{played} repl{'y' if played == 1 else 'ies'}"
        lost = (
            " The reply you had just chosen could not be saved."
            if self.lost_reply is not None
            else ""
        )
        if self._debrief is not None:
            return "The call you were on had ended, and it is saved."
        if self._abandoned:
            return (
                f"The call in progress is saved as left, with the {replies} recorded before"
                f" the problem.{lost}"
            )
        return (
            "The call in progress could not be closed in the records"
            f" ({self.close_problem or 'they did not answer'}). Its {replies} already recorded"
            f" are kept, and it will be marked as left the next time the game opens the"
            f" records.{lost}"
        )

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
        report = debrief(self.scenario, ended, self.pass_score, catalog=self.session.catalog)
        timeout = state.events[-1].silence if state.outcome.cause is Cause.DEAD_AIR else None
        try:
            finish_from_debrief(
                self.store,
                self.attempt_id,
                report,
                ended_at=datetime.now(UTC),
                timeout_silence=timeout,
            )
        except Exception:
            self._close_after_failure()  # the result is lost; the attempt must not hang open
            raise
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
