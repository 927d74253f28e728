"""SIGTERM ends the game: a polite quit first, then, if something is stuck, a hard exit.

The polite path is the window's own: a QUIT event, so a live call is marked as left and the
records are closed. If that has not finished within `grace` seconds (a write stuck on a
server that stopped answering, a connection still being tried), the process exits anyway:
a game that ignores SIGTERM would be killed with SIGKILL later, with less care.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

GRACE = 5.0
EXIT_TERMINATED = 128 + signal.SIGTERM


def _exit_later(grace: float) -> None:
    threading.Event().wait(grace)
    os._exit(EXIT_TERMINATED)


def end_on_sigterm(grace: float = GRACE) -> None:
    """Install the handler (main thread only; POSIX; harmless where SIGTERM does not exist)."""
    if not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        return

    def handler(_signum: int, _frame: FrameType | None) -> None:
        threading.Thread(target=_exit_later, args=(grace,), name="sigterm", daemon=True).start()
        try:
            import pygame

            if pygame.display.get_init():
                pygame.event.post(pygame.event.Event(pygame.QUIT))
                return
        except Exception:  # no window to ask: leave straight away
            pass
        os._exit(EXIT_TERMINATED)

    signal.signal(signal.SIGTERM, handler)
