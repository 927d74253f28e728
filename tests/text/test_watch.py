"""`hold-the-line text SCENARIO --watch`: the real command, over pipes, while the file is edited."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from game.engine.session import ChoicePrompt, choose, current, proceed, start
from game.scenario.loader import load_scenario
from tests.catalog import CATALOG
from tests.text.door import LATE, WAIT, command
from tests.text.test_interactive import read_until

SEED = 3


def _position(path: Path, played: list[int], number: int) -> int:
    """Where reply `number` (authoring order) is shown after `played`, as the game shuffles."""
    scenario = load_scenario(path)
    state = proceed(scenario, start(scenario, seed=SEED, catalog=CATALOG))
    for done in played:
        state, _ = choose(scenario, state, done, catalog=CATALOG)
        state = proceed(scenario, state)
    prompt = current(scenario, state, catalog=CATALOG)
    assert isinstance(prompt, ChoicePrompt)
    return [o.number for o in prompt.options].index(number) + 1


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_resumes_the_terminal_call_and_a_broken_one_shows_its_errors(
    tmp_path: Path,
) -> None:
    level = tmp_path / "late-delivery.yaml"
    shutil.copy(LATE, level)
    proc = subprocess.Popen(
        command("text", str(level), "--watch", "--no-timer", "--seed", str(SEED)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    out = proc.stdout.fileno()
    seen = bytearray()
    try:
        read_until(out, b"Your reply", seen)
        proc.stdin.write(f"{_position(level, [], 1)}\n".encode())
        proc.stdin.flush()
        read_until(out, b"I run a bakery.", seen)
        read_until(out, b"Your reply", seen)
        mark = len(seen)
        _edit(level, "I run a bakery.", "EDITED: I run a bakery.")
        read_until(out, b"resumed at node 'vents_more' after 1 reply", seen)
        read_until(out, b'"EDITED: I run a bakery.', seen)
        assert bytes(seen[mark:]).count(b"Finally, a human!") == 0  # not started over
        # a broken edit: located errors, and the call goes on
        _edit(level, "  vents_more:\n    customer:", "  vents_more:\n    custmer:")
        read_until(out, b"The edit has errors", seen)
        read_until(out, b"SC006 unknown key 'custmer'", seen)
        assert f"{level}:".encode() in seen
        proc.stdin.write(b"1\n")  # any reply: the last good version answers
        proc.stdin.flush()
        read_until(out, b"Your reply", seen)
        proc.stdin.write(b"q\n")
        proc.stdin.flush()
        assert proc.wait(WAIT) == 1
        assert b"Call abandoned" in seen + proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(WAIT)
        proc.stdout.close()
        proc.stdin.close()
        assert proc.stderr is not None
        proc.stderr.close()


def test_watch_is_refused_with_a_script_or_a_trainee() -> None:
    for extra in (["--choices", "1"], ["--trainee", "Ana"], ["--jsonl"]):
        result = subprocess.run(
            command("text", LATE, "--watch", *extra),
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=False,
        )
        assert result.returncode == 2
        assert "--watch is for trying a level while you edit it" in result.stderr
