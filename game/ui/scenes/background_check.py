"""A secret checked off the window's thread, then a countdown before the next try.

The PIN sign-in, the database login and the desk's passphrase all work this way: the check
runs on a worker thread (a stalled database must not freeze the window), the frame loop
picks up its answer, and a wrong answer starts a wait that counts down on the fixed step.
The throttle's rule (how long to wait) lives in `game.records.passphrase`; what the form
says and which secrets it empties are `game.ui.secret_form`'s rules, kept in `form`; this is
only how the window runs them.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

from game.ui.secret_form import SecretForm, seconds_left

Answer = TypeVar("Answer")


class BackgroundCheck(Generic[Answer]):
    """Mixin for a scene: `_result` is set by the worker, `_finish` handles it on the frame."""

    form: SecretForm  # the form's state: checking, the wait, what went wrong
    _result: tuple[Answer, str] | None
    _worker: threading.Thread | None

    def _finish(self, outcome: Answer, problem: str) -> None:
        raise NotImplementedError

    def layout(self) -> None:
        raise NotImplementedError

    @property
    def checking(self) -> bool:
        return self.form.checking

    @checking.setter
    def checking(self, value: bool) -> None:
        self.form.checking = value

    @property
    def wait(self) -> float:
        """Seconds left before another try."""
        return self.form.wait

    @wait.setter
    def wait(self, value: float) -> None:
        self.form.wait = value

    @property
    def error(self) -> str:
        return self.form.error

    @error.setter
    def error(self, value: str) -> None:
        self.form.error = value

    @property
    def seconds_left(self) -> int:
        """The wait as shown: whole seconds, rounded up."""
        return seconds_left(self.wait)

    def wait_for_check(self, timeout: float = 60.0) -> None:
        """Block until the check in flight (if any) has an answer (tests, tools)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def update(self, dt: float) -> None:
        if self.checking and self._result is not None:
            outcome, problem = self._result
            self._finish(outcome, problem)
        if self.wait > 0:
            before = self.seconds_left
            self.wait = max(0.0, self.wait - dt)
            if self.seconds_left != before:
                self.layout()  # the countdown's text changed
