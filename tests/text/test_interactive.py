"""Interactive terminal play: the dead-air clock and the customer's prompts show while the
trainee is still choosing, on a real terminal (a pty) and from a pipe."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import subprocess
import termios
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from game.engine.catalog import load_catalog
from game.engine.session import TimerMode
from game.scenario.loader import load_scenario
from game.text.call import CallSetup
from game.text.player import play_interactive
from game.text.terminal import PipeTerminal, TtyTerminal, open_terminal
from tests.text.door import LATE, WAIT, command

NUDGE = "Hello? Are you still there?"


def read_until(fd: int, needle: bytes, seen: bytearray, timeout: float = WAIT) -> None:
    """Read the terminal's output into `seen` until `needle` shows up."""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(0.0, left))
        assert ready, (
            f"{needle!r} never appeared; the screen so far:\n{seen.decode(errors='replace')[-800:]}"
        )
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other side closed (Linux ptys raise EIO)
            chunk = b""
        assert chunk, (
            f"{needle!r} never appeared before the end:\n{seen.decode(errors='replace')[-800:]}"
        )
        seen += chunk


@pytest.fixture
def terminal_pair() -> Iterator[tuple[int, int]]:
    """A pseudo-terminal: (the side a user types at, the side the game reads and writes)."""
    main_fd, game_fd = pty.openpty()
    yield main_fd, game_fd
    for fd in (main_fd, game_fd):
        with contextlib.suppress(OSError):
            os.close(fd)


def test_the_real_command_shows_the_clock_on_a_terminal_before_the_answer(
    terminal_pair: tuple[int, int],
) -> None:
    main_fd, game_fd = terminal_pair
    proc = subprocess.Popen(
        command("text", LATE, "--seed", "3"),
        stdin=game_fd,
        stdout=game_fd,
        stderr=game_fd,
        close_fds=True,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(game_fd)
    seen = bytearray()
    try:
        read_until(main_fd, b"Your reply (1-4", seen)
        # Nothing typed yet, and the clock is already counting on the prompt line.
        read_until(main_fd, "⏱  1 s  Your reply".encode(), seen)
        os.write(main_fd, b"7")  # a typed key is echoed on the prompt line as it is redrawn
        read_until(main_fd, b"q to leave the call): 7", seen)
        os.write(main_fd, b"\x7f1\r")  # backspace, then the real answer
        read_until(main_fd, b"Anger [", seen)
        assert b"Please type a number" not in seen
        read_until(main_fd, b"Your reply (1-4", seen)
        os.write(main_fd, b"q\r")
        read_until(main_fd, b"Call abandoned", seen)
        assert proc.wait(timeout=WAIT) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=WAIT)
    assert b"Traceback" not in seen


@dataclass
class FastClock:
    """Four seconds of the call pass every time the game looks at the clock."""

    now: float = 0.0
    step: float = 4.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def setup(timer: TimerMode = TimerMode.NORMAL) -> CallSetup:
    return CallSetup(load_scenario(LATE), None, 1, 70, "en", timer, seed=3, catalog=load_catalog())


def test_the_customer_asks_if_you_are_still_there_while_you_are_choosing(
    terminal_pair: tuple[int, int],
) -> None:
    main_fd, game_fd = terminal_pair
    before = termios.tcgetattr(game_fd)
    outcome: list[int] = []
    with os.fdopen(os.dup(game_fd), "r") as game_in, os.fdopen(os.dup(game_fd), "w") as game_out:
        clock = FastClock(step=2.0)

        def game() -> None:
            with open_terminal(game_in, game_out) as terminal:
                assert isinstance(terminal, TtyTerminal)
                outcome.append(play_interactive(setup(), terminal, clock=clock))

        thread = threading.Thread(target=game, daemon=True)
        thread.start()
        seen = bytearray()
        read_until(main_fd, NUDGE.encode(), seen)
        nudge_at = len(seen)
        # The prompt is redrawn under the customer's line, and the meter is rising.
        read_until(main_fd, b"dead air: anger", seen)
        clock.step = 0.0  # time stands still from here: the customer waits for the answer
        os.write(main_fd, b"1\n")
        read_until(main_fd, b"before this reply: cost +", seen)
        assert seen.index(b"before this reply") > nudge_at
        read_until(main_fd, b"Your reply", seen)
        os.write(main_fd, b"\x04")  # Ctrl-D on an empty line leaves the call
        read_until(main_fd, b"Call abandoned", seen)
        thread.join(WAIT)
    assert outcome == [1]
    assert termios.tcgetattr(game_fd) == before, "the terminal's mode is restored"


def test_from_a_pipe_the_clock_prints_as_lines_and_the_customer_can_give_up() -> None:
    read_fd, write_fd = os.pipe()
    out_read, out_write = os.pipe()
    outcome: list[int] = []
    with os.fdopen(out_write, "w") as game_out:
        terminal = PipeTerminal(read_fd, game_out)

        def game() -> None:
            outcome.append(play_interactive(setup(), terminal, clock=FastClock()))
            game_out.close()

        thread = threading.Thread(target=game, daemon=True)
        thread.start()
        seen = bytearray()
        read_until(out_read, NUDGE.encode(), seen)
        # Nobody answers: the meter climbs to the top and the customer hangs up.
        read_until(out_read, b"Hello? ... Hello?! Unbelievable.", seen)
        read_until(out_read, b"DEBRIEF", seen)
        thread.join(WAIT)
    os.close(write_fd)
    os.close(read_fd)
    os.close(out_read)
    text = seen.decode()
    assert outcome == [0]
    clocks = [m.start() for m in re.finditer(r"⏱ +\d+ s · dead air: anger \d+ ↑", text)]
    assert len(clocks) >= 2 and clocks[0] < text.index(NUDGE) < clocks[-1]
    assert text.index(NUDGE) < text.index("Hello? ... Hello?!")
    assert "Outcome: Customer left (bad)" in text


def test_with_no_timer_the_clock_is_not_shown(terminal_pair: tuple[int, int]) -> None:
    main_fd, game_fd = terminal_pair
    outcome: list[int] = []
    with os.fdopen(os.dup(game_fd), "r") as game_in, os.fdopen(os.dup(game_fd), "w") as game_out:

        def game() -> None:
            with open_terminal(game_in, game_out) as terminal:
                outcome.append(play_interactive(setup(TimerMode.OFF), terminal, clock=FastClock()))

        thread = threading.Thread(target=game, daemon=True)
        thread.start()
        seen = bytearray()
        read_until(main_fd, b"Your reply", seen)
        time.sleep(1.0)  # a minute of the call on the fast clock
        os.write(main_fd, b"q\n")
        read_until(main_fd, b"Call abandoned", seen)
        thread.join(WAIT)
    assert outcome == [1] and "⏱".encode() not in seen and NUDGE.encode() not in seen
