"""A PostgreSQL that has stopped answering: a socket on 127.0.0.1 that accepts and says nothing."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest


class StalledServer:
    """Accepts every connection and never sends a byte (like a server frozen mid-flight)."""

    def __init__(self) -> None:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = int(self._listener.getsockname()[1])
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._closed = threading.Event()
        threading.Thread(target=self._accept, name="stalled-pg", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            self._held.append(conn)  # held open, never read, never answered

    def url(self, password: str = "not-a-secret") -> str:
        return f"postgresql://trainee:{password}@127.0.0.1:{self.port}/room"

    def close(self) -> None:
        self._closed.set()
        self._listener.close()
        for conn in self._held:
            conn.close()


@pytest.fixture
def stalled_pg() -> Iterator[StalledServer]:
    server = StalledServer()
    try:
        yield server
    finally:
        server.close()
