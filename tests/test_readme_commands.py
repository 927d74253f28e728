"""After `make play`, the README's commands work as written; `make play` installs no dev tools."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from game.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent  # .venv/bin: what `source .venv/bin/activate` puts on PATH
# commands that change nothing outside a temporary directory and need no server
SAFE = ("validate", "lint", "analyze", "graph", "schema", "curriculum", "text", "--help")


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            line = line.split("#", 1)[0].strip()
            if line.startswith("hold-the-line ") and not line.endswith("\\"):
                commands.append(line)
    return commands


def test_the_readme_says_how_to_put_the_command_on_path() -> None:
    first_command = README.index("\nhold-the-line ")
    assert README.index("source .venv/bin/activate") < first_command
    assert (BIN / "hold-the-line").exists(), "the install puts hold-the-line in .venv/bin"


@pytest.mark.parametrize(
    "command", [c for c in readme_commands() if c.split()[1] in SAFE], ids=lambda c: c[:60]
)
def test_a_readme_command_runs_as_written(command: str, tmp_path: Path) -> None:
    args = shlex.split(command.replace("my-level.yaml", "late-delivery.yaml"))
    args = [str(tmp_path / "out.md") if a == "docs/curriculum.md" else a for a in args]
    if args[1] == "text" and "--choices" not in args:
        pytest.skip("interactive play")  # the scripted form is run instead
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["HOLD_THE_LINE_HOME"] = str(tmp_path)
    done = subprocess.run(
        args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode in (0, 1), f"{command}: {done.returncode}\n{done.stderr}"
    assert "usage:" not in done.stderr, done.stderr


def test_make_play_installs_only_what_playing_needs() -> None:
    rule = MAKEFILE.split("$(PLAY_STAMP): pyproject.toml", 1)[1].split("\n\n", 1)[0]
    assert "-e ." in rule and "[dev]" not in rule
    assert re.search(r"^play: \$\(PLAY_STAMP\)$", MAKEFILE, flags=re.M)
    assert re.search(r"^test: \$\(STAMP\)$", MAKEFILE, flags=re.M)  # the dev tools
    stamp_rule = MAKEFILE.split("$(STAMP): pyproject.toml", 1)[1].split("\n\n", 1)[0]
    assert "'.[dev]'" in stamp_rule


def test_graph_dot_labels_break_lines_for_graphviz() -> None:
    from game.analysis.graph import dot
    from game.engine.catalog import load_catalog
    from game.scenario.loader import load_scenario

    scenario = load_scenario(PROJECT_ROOT / "scenarios" / "late-delivery.yaml")
    text = dot(scenario, load_catalog())
    labels = re.findall(r'\[label="((?:[^"\\]|\\.)*)"', text)
    node_labels = [lbl for lbl in labels if lbl.startswith(scenario.nodes[0].id)]
    assert node_labels and all("\\n" in lbl for lbl in node_labels)
    assert "\\\\n" not in text, "a literal backslash-n would show in Graphviz"
