"""The call's controller: where the conversation is, and talking to the engine off the frame.

Plain Python, no pygame: it holds the phase of the call, the live attempt (through the
records' `Recorder`, which writes each turn as it is played) and the worker that writes it,
and hands time and choices to the engine. What to show is the scene's business: the flow
tells it through `CallEvents` (a customer line, replies to offer, a reply that landed, a
nudge, the end).

Starting the attempt and playing a reply go through the `Recorder` on a worker thread: the
database write (a network round trip on a shared PostgreSQL) never stalls a frame. While a
reply is being recorded the flow waits, in `WAITING`, with the reply already shown.
"""

from __future__ import annotations

from concurrent.futures import Future
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from game.engine.session import (
    ChoicePrompt,
    CustomerLine,
    Moment,
    Option,
    Phase,
    TimerMode,
    Turn,
    dead_air_rule,
    reading_allowance,
)
from game.records.recorder import ABANDON_WAIT, Recorder, WriteQueue

if TYPE_CHECKING:
    from game.engine.catalog import Catalog, DeadAirRule
    from game.records.api import Store
    from game.scenario.campaign import Level
    from game.scenario.model import Policy, Scenario

BEAT = 0.45  # pause after a line is fully shown, before the replies appear
TICK = 0.25  # how often silence is handed to the engine (and always right before a reply)


class CallPhase(StrEnum):
    """Where the call is; the scene shows each differently."""

    RINGING = "ringing"  # not answered yet
    CONNECTING = "connecting"  # the attempt is being started in the records
    SPEAKING = "speaking"  # the customer's line is on screen
    CHOOSING = "choosing"  # the replies are offered
    WAITING = "waiting"  # a reply is being recorded
    ENDED = "ended"


class CallEvents(Protocol):
    """What the flow tells the scene."""

    def attempt_started(self, anger: float) -> None: ...
    def customer_line(self, moment: CustomerLine) -> None: ...
    def replies(self, prompt: ChoicePrompt) -> None: ...
    def turn_landed(self, turn: Turn) -> None: ...
    def nudge(self, text: str) -> None: ...
    def ended(self) -> None: ...


class CallFlow:
    """One call, from the ring to the last line."""

    def __init__(self, scenario: Scenario, lang: str, catalog: Catalog, events: CallEvents) -> None:
        self.scenario = scenario
        self.lang = lang
        self.catalog = catalog
        self.events = events
        self.phase = CallPhase.RINGING
        self.moment: Moment | None = None
        self.recorder: Recorder | None = None
        self.last_turn: Turn | None = None
        self.anger = float(scenario.customer.anger)  # what the meter heads for
        self.beat = 0.0
        self.nudged = False
        self.call_time = 0.0
        self.ring_time = 0.0
        self.pending_silence = 0.0  # seconds of silence not yet handed to the engine
        self.rule: DeadAirRule | None = None
        self._allowance: tuple[str, float] = ("", float("inf"))  # (node, seconds)
        self._worker: WriteQueue | None = None
        self._job: Future[Any] | None = None
        self._job_kind = ""
        self._anger_next: float | None = None
        self._pull_next = False

    # ---- starting and leaving ------------------------------------------------------------------

    def begin(
        self,
        store: Store,
        trainee_id: int,
        level: Level,
        policy: Policy,
        seed: int,
        timer: TimerMode,
        exam: bool = False,
    ) -> None:
        """The trainee answers: the attempt starts in the records, then the customer speaks."""
        self.anger = float(self.scenario.customer.anger)
        self.call_time = 0.0
        self.last_turn = None
        self.moment = None
        self.nudged = False
        self.beat = 0.0
        self.pending_silence = 0.0
        self._pull_next = False
        self._anger_next = None
        self.phase = CallPhase.CONNECTING
        self._submit(
            "begin", partial(Recorder.begin, exam=exam), store, trainee_id, self.scenario,
            level.number, level.pass_score, policy, seed, timer, self.lang, self.catalog,
        )  # fmt: skip

    def abandon(self) -> None:
        """Leave the call: what was played is kept, the attempt is recorded as abandoned."""
        self.settle()
        if self.recorder is not None and not self.recorder.finished:
            self.recorder.abandon()

    def forget(self) -> None:
        """Abandon the attempt and start over from the ring (Restart in the pause menu)."""
        self.abandon()
        self.recorder = None

    def close(self) -> None:
        self.abandon()
        if self._worker is not None:
            self._worker.shutdown()  # never waits: a write stuck on the server stays behind
            self._worker = None

    def settle(self) -> None:
        """Wait for a recording in flight (leaving the call keeps what was played)."""
        job, self._job = self._job, None
        if job is not None:
            try:
                result = job.result(timeout=ABANDON_WAIT)
            except Exception:  # failed, or stuck on the database: leaving goes on
                return
            if self._job_kind == "begin":
                self.recorder = result

    def wait_for_recording(self, timeout: float = 30.0) -> None:
        """Block until a recording in flight is written (scripted play: tests, screenshots).

        The game itself never waits: it shows the reply and checks again next frame."""
        job = self._job
        if job is not None:
            job.exception(timeout=timeout)

    def _submit(self, kind: str, fn: Any, *args: Any) -> None:
        if self._worker is None:
            self._worker = WriteQueue()
        self._job_kind = kind
        self._job = self._worker.submit(fn, *args)

    # ---- talking to the engine -------------------------------------------------------------------

    def take_anger(self) -> None:
        """The face and meter follow the engine's anger one step after a moment is shown."""
        if self._anger_next is not None:
            self.anger, self._anger_next = self._anger_next, None

    def poll(self) -> None:
        """Carry on with whatever finished since the last step (one thing per step)."""
        if self._pull_next:
            self._pull_next = False
            self.pull()
        elif self._job is not None and self._job.done():
            self._job_done()

    def _job_done(self) -> None:
        job, self._job = self._job, None
        assert job is not None
        result = job.result()  # an error here is the scene's error: the app shows it
        if self._job_kind == "begin":
            self.recorder = result
            self.rule = dead_air_rule(self.scenario, result.state.timer, catalog=self.catalog)
            # the attempt's seed may start the customer anywhere in the author's range (and a
            # call resumed after a live reload starts where the replay left them)
            self.anger = float(result.state.anger)
            self.events.attempt_started(self.anger)
            self.pull()
            return
        turn: Turn = result
        self.last_turn = turn
        self.events.turn_landed(turn)
        self._pull_next = True  # the customer's answer follows on the next step

    def pull(self) -> None:
        """Show whatever the conversation has next."""
        assert self.recorder is not None
        moment = self.recorder.current(self.lang)
        self._anger_next = self.recorder.live_anger
        if isinstance(moment, CustomerLine):
            self.moment = moment
            self.phase = CallPhase.SPEAKING
            self.beat = 0.0
            self.events.customer_line(moment)
        elif isinstance(moment, ChoicePrompt):
            self.events.replies(moment)  # shown, with `offer`, once they are ready
        else:
            self.moment = moment
            self.phase = CallPhase.ENDED
            self.events.ended()

    def offer(self, prompt: ChoicePrompt) -> None:
        """The replies are on screen: the silence starts counting."""
        self.moment = prompt
        self.phase = CallPhase.CHOOSING
        self.pending_silence = 0.0
        self.nudged = prompt.nudge is not None

    def choose(self, position: int) -> Option | None:
        """The trainee picked the reply shown at `position` (0-based, display order): the
        reply (then `send` it once it is shown), or None when there is nothing to choose or
        the silence ran out first."""
        moment, recorder = self.moment, self.recorder
        if (
            self.phase is not CallPhase.CHOOSING
            or not isinstance(moment, ChoicePrompt)
            or recorder is None
        ):
            return None
        if not 0 <= position < len(moment.options):
            return None
        self.flush_silence()
        if not self.choosing:
            return None  # the silence ran out first
        self.phase = CallPhase.WAITING
        return moment.options[position]

    def send(self, option: Option) -> None:
        """Record the chosen reply on the worker; the flow waits for it."""
        assert self.recorder is not None
        self._submit("choose", self.recorder.choose, option.number)

    @property
    def choosing(self) -> bool:
        return self.phase is CallPhase.CHOOSING

    def skip_beat(self) -> None:
        """The line is read: move on at the next step."""
        self.beat = BEAT

    # ---- time ----------------------------------------------------------------------------------

    def clock(self, dt: float) -> None:
        if self.phase is CallPhase.RINGING:
            self.ring_time += dt
        else:
            self.call_time += dt

    def advance(self, dt: float, *, line_shown: bool) -> None:
        """After the line is shown, a beat, then the next moment; while choosing, silence."""
        if self.phase is CallPhase.SPEAKING and line_shown:
            self.beat += dt
            if self.beat >= BEAT and self.recorder is not None:
                self.recorder.proceed()
                self.pull()
        elif self.phase is CallPhase.CHOOSING and self.recorder is not None:
            self.pending_silence += dt
            if self.pending_silence >= TICK:
                self.flush_silence()

    def flush_silence(self) -> None:
        """Hand the silence so far to the engine; the customer may notice, or give up."""
        recorder = self.recorder
        if recorder is None or self.phase is not CallPhase.CHOOSING:
            return
        if self.pending_silence > 0:
            recorder.tick(self.pending_silence)
            self.pending_silence = 0.0
        self.anger = recorder.live_anger
        state = recorder.state
        if state.phase is not Phase.CHOOSING:  # they gave up waiting
            self.pull()
            return
        if state.nudged and not self.nudged:
            moment = recorder.current(self.lang)
            if isinstance(moment, ChoicePrompt) and moment.nudge:
                self.nudged = True
                self.moment = moment
                self.events.nudge(moment.nudge)

    def silence(self) -> float:
        """Seconds of silence at the current prompt, as the timer shows them."""
        if self.recorder is None or self.phase is not CallPhase.CHOOSING:
            return 0.0
        return self.pending_silence + self.recorder.state.silence

    def allowance(self) -> float:
        """Seconds of silence that cost nothing at the current prompt: the engine's
        `reading_allowance` (reading the screen, plus the channel's grace), kept per node."""
        if self.recorder is None:
            return float("inf")
        state = self.recorder.state
        if self._allowance[0] != state.node:
            self._allowance = (
                state.node,
                reading_allowance(self.scenario, state.node, state.timer, catalog=self.catalog),
            )
        return self._allowance[1]
