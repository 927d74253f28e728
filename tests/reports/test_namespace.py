"""The xAPI statement-id namespace: made once, atomically, and only ever read by exports.

On the first edition two exports at once on a fresh database each made a namespace, so
the same statements went out under two sets of ids (2 of 5 trials). Now the namespace is
made in the transaction that creates the tables, and exports only read it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from game.records.namespace import NAMESPACE_SETTING
from game.records.store import open_store
from tests.conftest import ROOT
from tests.reports.seed import Demo

OPEN_AND_PRINT = (
    "import sys; from game.records.store import open_store\n"
    "with open_store(sys.argv[1]) as s: print(s.get_setting(sys.argv[2]))\n"
)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_processes_opening_a_fresh_database_at_once_agree(tmp_path: Path) -> None:
    for trial in range(3):
        url = f"sqlite:///{tmp_path / f'fresh-{trial}.db'}"
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AND_PRINT, url, NAMESPACE_SETTING],
                cwd=ROOT,
                env=_env(),
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        seen = {w.communicate(timeout=120)[0].strip() for w in workers}
        assert all(w.returncode == 0 for w in workers)
        assert len(seen) == 1 and "None" not in seen
        with open_store(url) as store:
            assert store.get_setting(NAMESPACE_SETTING) == seen.pop()


def test_two_exports_at_once_agree_and_write_nothing(
    demo: Demo, db_url: str, tmp_path: Path
) -> None:
    database = Path(db_url.removeprefix("sqlite:///"))
    before = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.glob("records.db*")
    }
    outs = [tmp_path / f"out-{n}.json" for n in range(2)]
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "game",
                "export",
                "--db",
                db_url,
                "--format",
                "xapi",
                "--out",
                str(out),
            ],
            cwd=ROOT,
            env=_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outs
    ]
    for worker in workers:
        worker.communicate(timeout=120)
        assert worker.returncode == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert b'"id"' in outs[0].read_bytes()
    after = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.glob("records.db*")
    }
    # The file itself is untouched. (A reader of a WAL database makes the shared-memory index
    # SQLite needs beside it, and an empty log: no content of the database changes.)
    assert after["records.db"] == before["records.db"], "an export changed the database"
    wal = tmp_path / "records.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert database.exists()
