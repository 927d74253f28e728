"""One conversation played from the terminal: a bare engine session, or a recorded attempt.

With `--trainee NAME` the call goes through the records' `Recorder`, the very object the
game window plays through (`Recorder.begin` with the campaign level, its pass mark and
policy, the seed, the timer and the language), so every turn is written as it is played and
the attempt reaches the supervisor's desk, the report and the exports like any other.
Without a trainee it is the engine's `Session`, which the recorder wraps: both answer
`current()`, `proceed()`, `tick()` and `choose()` the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from game.engine.catalog import Catalog
from game.engine.scoring import Debrief, debrief
from game.engine.session import (
    ChoicePrompt,
    Moment,
    Phase,
    Session,
    SessionState,
    TimerMode,
    Turn,
)
from game.i18n.translator import ENGLISH, Translator
from game.records.api import Store, Trainee
from game.records.recorder import Recorder
from game.scenario.model import Policy, Scenario

TICK = 0.25  # seconds of silence handed to the engine at a time, as the game window does


class RecordingError(Exception):
    """The call cannot be recorded as asked (no such trainee, no database): say why."""


@dataclass(frozen=True, slots=True)
class CallSetup:
    """Everything about a call that is decided before it starts."""

    scenario: Scenario
    policy: Policy | None  # the campaign's; the scenario's own policy overrides it
    level: int | None  # the campaign level, if the scenario is one
    pass_score: int
    lang: str
    timer: TimerMode
    seed: int
    catalog: Catalog  # the running technique catalog, passed in by the composition root
    tr: Translator = ENGLISH  # what the player reads, in `lang` (see game.i18n.translator)


@dataclass(frozen=True, slots=True)
class Recording:
    """Where and for whom a call is recorded."""

    store: Store
    trainee: Trainee


class VirtualClock:
    """Time that passes only when told: scripted and machine play say how long they took."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def open_recording(db: str | None, trainee_name: str, *, create: bool) -> Recording:
    """Open the records and find the trainee; create the profile only when asked to.

    A typo in a name must not quietly start a second profile that splits a trainee's
    records, so an unknown name is refused unless `create` says to add it, which is what
    the game's "New profile" does.
    """
    from game.records.api import DuplicateTrainee
    from game.records.store import open_store

    name = " ".join(trainee_name.split())
    if not name:
        raise RecordingError("--trainee needs a name: the trainee's profile name, as in the game")
    where = "the local records" if db is None else "the database given by --db"
    try:
        store = open_store(db)
    except Exception as error:  # any driver or migration failure is a message, not a crash
        raise RecordingError(
            f"cannot open {where}: {type(error).__name__}: {error}. "
            "Check --db (sqlite:///PATH or postgresql://USER@HOST/DB) and that the server is up."
        ) from error
    try:
        trainee = store.find_trainee(name)
        if trainee is None and create:
            try:
                trainee = store.add_trainee(name)
            except DuplicateTrainee:  # another machine added them a moment ago
                trainee = store.find_trainee(name)
            except ValueError as error:
                raise RecordingError(f"--trainee: {error}") from error
        if trainee is None:
            known = [t.name for t in store.trainees()]
            listed = ", ".join(known[:20]) + (", …" if len(known) > 20 else "")
            raise RecordingError(
                f"there is no trainee called {name!r} in {where}"
                + (f" (trainees: {listed})" if known else " (it has no trainees yet)")
                + ". Check the spelling, or add --create-trainee to create the profile."
            )
    except BaseException:
        store.close()
        raise
    return Recording(store, trainee)


class Call:
    """The conversation the terminal plays, recorded or not."""

    def __init__(
        self,
        setup: CallSetup,
        recording: Recording | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.setup = setup
        self.clock = clock
        self.recorder: Recorder | None = None
        self.conversation: Session | Recorder
        if recording is None:
            self.conversation = Session(
                setup.scenario,
                policy=setup.policy,
                seed=setup.seed,
                timer=setup.timer,
                catalog=setup.catalog,
            )
        else:
            self.recorder = Recorder.begin(
                recording.store,
                recording.trainee.id,
                setup.scenario,
                setup.level,
                setup.pass_score,
                setup.policy,
                setup.seed,
                setup.timer,
                setup.lang,
                catalog=setup.catalog,
                clock=clock,
            )
            self.conversation = self.recorder

    @property
    def scenario(self) -> Scenario:
        return self.setup.scenario

    @property
    def state(self) -> SessionState:
        return self.conversation.state

    @property
    def phase(self) -> Phase:
        return self.conversation.state.phase

    @property
    def live_anger(self) -> float:
        return self.conversation.live_anger

    @property
    def attempt_id(self) -> int | None:
        return None if self.recorder is None else self.recorder.attempt_id

    def current(self) -> Moment:
        return self.conversation.current(self.setup.lang)

    def proceed(self) -> None:
        self.conversation.proceed()

    def tick(self, seconds: float) -> None:
        self.conversation.tick(seconds)

    def choose(self, number: int) -> Turn:
        return self.conversation.choose(number)

    def to_prompt(self) -> None:
        """Past the customer's lines, to the next choice or the end (scripted play)."""
        while self.phase is Phase.SPEAKING:
            self.proceed()

    def wait(self, seconds: float, on_nudge: Callable[[str], None] | None = None) -> bool:
        """Let `seconds` of silence pass at a prompt, a step at a time as the window does, so
        the customer's "are you still there?" and their giving up happen when they would.
        Returns whether the prompt is still waiting for a reply."""
        prompt = self.current()
        nudged = isinstance(prompt, ChoicePrompt) and prompt.nudge is not None
        left = seconds
        while left > 0:
            step = min(TICK, left)
            left -= step
            if isinstance(self.clock, VirtualClock):
                self.clock.advance(step)  # the recorder's response time is the time taken
            self.tick(step)
            moment = self.current()
            if not isinstance(moment, ChoicePrompt):
                return False
            if moment.nudge and not nudged:
                nudged = True
                if on_nudge is not None:
                    on_nudge(moment.nudge)
        return isinstance(self.current(), ChoicePrompt)

    def report(self) -> Debrief:
        """The debrief of the finished call (the recorder's own, when recorded)."""
        if self.recorder is not None and self.recorder.debrief is not None:
            return self.recorder.debrief
        return debrief(self.scenario, self.state, self.setup.pass_score, catalog=self.setup.catalog)

    def abandon(self) -> None:
        """Leave mid-call: a recorded attempt is kept as abandoned, with its turns."""
        if self.recorder is not None and not self.recorder.finished:
            self.recorder.abandon()

    @property
    def finished(self) -> bool:
        return self.state.outcome is not None
