"""The trainee's terminal for interactive play: lines above, and a reply being typed below.

The dead-air clock runs while the trainee reads and thinks, so the player must be able to
show the clock and the customer's "are you still there?" while a reply is half typed. On a
POSIX terminal the keyboard is read a key at a time (cbreak mode, `select()` with a
timeout) and the prompt line, with the clock in front of it, is redrawn in place; from a
pipe, whole lines are read with the same timeout and the clock is printed as lines. Where
neither works (a Windows console) the reply is read with `input()` and time is handed to
the engine after it, as before.

Everything printed here goes through `safe.clean`; the only control sequences written are
this module's own (carriage return and erase-line).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import select
import sys
from collections.abc import Iterator
from typing import Protocol, TextIO

from game.text.safe import clean

ERASE_LINE = "\r\x1b[2K"
MAX_REPLY = 200  # characters kept of a typed reply; a reply is a number


class Terminal(Protocol):
    live: bool  # the prompt line can be redrawn in place (a real terminal)

    def say(self, text: str) -> None:
        """Print lines above the prompt."""

    def ask(self, prompt: str) -> None:
        """Show (or update) the prompt the trainee is answering."""

    def read(self, timeout: float) -> str | None:
        """A typed line, or None when `timeout` seconds pass first; EOFError at the end."""

    def close_prompt(self) -> None:
        """The question is over without an answer (they left, or the customer did)."""


class TtyTerminal:
    """A POSIX terminal read a key at a time; the prompt line is redrawn in place."""

    live = True

    def __init__(self, fd: int, out: TextIO) -> None:
        self.fd = fd
        self.out = out
        self.prompt: str | None = None
        self.buffer = ""
        self.pending = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def say(self, text: str) -> None:
        if self.prompt is not None:
            self.out.write(ERASE_LINE)
        self.out.write(clean(text) + "\n")
        self._redraw()

    def ask(self, prompt: str) -> None:
        if prompt != self.prompt:
            self.prompt = prompt
            self._redraw()

    def read(self, timeout: float) -> str | None:
        if not self.pending:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                return None
            data = os.read(self.fd, 1024)
            if not data:
                raise EOFError
            self.pending = self._decoder.decode(data)
        while self.pending:
            char, self.pending = self.pending[0], self.pending[1:]
            if char in "\r\n":
                line, self.buffer = self.buffer, ""
                self.out.write("\n")
                self.prompt = None
                self.out.flush()
                return line
            if char == "\x04" and not self.buffer:  # Ctrl-D on an empty line: leave
                raise EOFError
            if char in "\x7f\x08":
                self.buffer = self.buffer[:-1]
            elif char == "\x15":  # Ctrl-U: clear the line
                self.buffer = ""
            elif char.isprintable() and len(self.buffer) < MAX_REPLY:
                self.buffer += char
        self._redraw()
        return None

    def close_prompt(self) -> None:
        if self.prompt is not None:
            self.out.write("\n")
            self.out.flush()
        self.prompt = None
        self.buffer = ""

    def _redraw(self) -> None:
        if self.prompt is not None:
            self.out.write(ERASE_LINE + clean(self.prompt + self.buffer))
        self.out.flush()


class PipeTerminal:
    """Lines from a pipe or file, read with a timeout; the clock is printed as lines."""

    live = False

    def __init__(self, fd: int, out: TextIO) -> None:
        self.fd = fd
        self.out = out
        self.pending = ""
        self.ended = False
        self._asked: str | None = None
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def say(self, text: str) -> None:
        self.out.write(clean(text) + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> None:
        if prompt != self._asked:
            self._asked = prompt
            self.say(prompt)

    def read(self, timeout: float) -> str | None:
        if "\n" not in self.pending and not self.ended:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if ready:
                data = os.read(self.fd, 4096)
                if data:
                    self.pending += self._decoder.decode(data)
                else:
                    self.ended = True
                    self.pending += self._decoder.decode(b"", final=True)
        if "\n" in self.pending:
            line, self.pending = self.pending.split("\n", 1)
            self._asked = None
            return line
        if self.ended:
            if self.pending:
                line, self.pending = self.pending, ""
                return line
            raise EOFError
        return None

    def close_prompt(self) -> None:
        self._asked = None


class BlockingTerminal:
    """`input()` where the keyboard cannot be polled: time is counted after the answer."""

    live = False

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._prompt = ""

    def say(self, text: str) -> None:
        self.out.write(clean(text) + "\n")
        self.out.flush()

    def ask(self, prompt: str) -> None:
        self._prompt = prompt

    def read(self, timeout: float) -> str | None:
        self.out.write(clean(self._prompt))
        self.out.flush()
        return input()

    def close_prompt(self) -> None:
        pass


@contextlib.contextmanager
def open_terminal(stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> Iterator[Terminal]:
    """The best terminal this platform and standard input allow (cbreak mode undone after)."""
    try:
        fd = stdin.fileno()
    except (AttributeError, OSError, ValueError):
        yield BlockingTerminal(out)
        return
    if os.name != "posix":
        yield BlockingTerminal(out)
        return
    if not os.isatty(fd):
        yield PipeTerminal(fd, out)
        return
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield TtyTerminal(fd, out)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
