"""Starting worker processes (tests/records/worker.py) from tests."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.records.play import ROOT


def spawn(*args: object, stdin: bool = False) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")  # the crash test forks after numpy loads
    return subprocess.Popen(
        [sys.executable, "-m", "tests.records.worker", *(str(a) for a in args)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
