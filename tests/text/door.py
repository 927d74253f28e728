"""Drive the real `hold-the-line` commands: as a subprocess over pipes, or in this process."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import time
from contextlib import redirect_stderr, redirect_stdout
from typing import Any

from game.cli import main
from tests.catalog import CATALOG
from tests.conftest import SCENARIOS

LATE = str(SCENARIOS / "late-delivery.yaml")
WAIT = 60.0  # seconds a test waits for the game to answer before failing


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "game", *args]


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*args), capture_output=True, text=True, input=stdin, timeout=WAIT, check=False
    )


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command in this process (`main`, as the console script calls it): for tests
    of what a command prints and stores rather than of the process around it, which `cli`
    tests."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


class Door:
    """`text SCENARIO --jsonl …` running; events are read line by line as they are flushed."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            command("text", *args, "--jsonl"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._pending = b""
        self.events: list[dict[str, Any]] = []

    def next_event(self) -> dict[str, Any]:
        """The next line, which must arrive (flushed) while the game waits for nothing."""
        assert self.proc.stdout is not None
        deadline = time.monotonic() + WAIT
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, left))
            assert ready, f"no event within {WAIT} s; so far: {self.events[-3:]}"
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            assert chunk, f"the game closed its output; stderr: {self.stderr()}"
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        event: dict[str, Any] = json.loads(line)
        self.events.append(event)
        return event

    def until(self, *kinds: str) -> dict[str, Any]:
        """Read events until one of `kinds` arrives; returns it."""
        while True:
            event = self.next_event()
            if event["event"] in kinds:
                return event

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def close_input(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(timeout=WAIT)

    def finish(self) -> int:
        return self.close_input()

    def stderr(self) -> str:
        assert self.proc.stderr is not None
        if self.proc.poll() is None:
            return ""
        return self.proc.stderr.read().decode()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=WAIT)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


def silence_thresholds(scenario_path: str, choices: list[int]) -> list[tuple[float, float]]:
    """For each decision on the path: (seconds of silence at which it starts to cost, at
    which the customer asks if you are there), found by asking the engine, so the tests
    follow the engine's clock rules (grace, reading allowance) rather than copy them."""
    from game.engine.session import (
        ChoicePrompt,
        Phase,
        TimerMode,
        choose,
        current,
        live_anger,
        proceed,
        start,
        tick,
    )
    from game.scenario.loader import load_scenario

    scenario = load_scenario(scenario_path)
    state = start(scenario, timer=TimerMode.NORMAL, catalog=CATALOG)
    found: list[tuple[float, float]] = []
    for number in choices:
        while state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
        costs = nudge = 0.0
        waited = state
        while not nudge:
            waited = tick(scenario, waited, 0.25, catalog=CATALOG)
            moment = current(scenario, waited, catalog=CATALOG)
            assert isinstance(moment, ChoicePrompt), "the customer gave up before asking"
            if not costs and live_anger(scenario, waited, catalog=CATALOG) > state.anger:
                costs = waited.silence
            if moment.nudge:
                nudge = waited.silence
        found.append((costs, nudge))
        state, _ = choose(scenario, state, number, catalog=CATALOG)
    return found
