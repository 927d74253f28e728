"""The command line, driven as users drive it: exit codes, messages, never a traceback."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from game.cli import main
from tests.conftest import SCENARIOS
from tests.scenario.base import BASE


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "game", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


@pytest.fixture
def good_dir(tmp_path: Path) -> Path:
    shutil.copy(SCENARIOS / "late-delivery.yaml", tmp_path)
    (tmp_path / "tiny.yaml").write_text(BASE, encoding="utf-8")
    return tmp_path


def test_validate_exits_0_when_all_valid(good_dir: Path) -> None:
    code, out, err = run("validate", str(good_dir))
    assert code == 0 and out == "" and "2 files checked, all valid" in err


def test_validate_exits_1_with_located_lines(good_dir: Path) -> None:
    (good_dir / "bad.yaml").write_text(
        BASE.replace("technique: solve", "technique: sovle"), "utf-8"
    )
    code, out, _ = run("validate", str(good_dir))
    assert code == 1
    assert out.splitlines() == [
        f"{good_dir / 'bad.yaml'}:31:20: SC002 unknown technique 'sovle' (did you mean 'solve'?)"
    ]


def test_validate_checks_campaign_files(tmp_path: Path) -> None:
    (tmp_path / "campaign.yaml").write_text(
        "format: 1\ntitle: T\nlevels:\n  - scenario: missing.yaml\n", encoding="utf-8"
    )
    code, out, _ = run("validate", str(tmp_path))
    assert code == 1 and "missing.yaml:1:1: SC027" in out


def test_validate_never_shows_a_traceback_on_hostile_input(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"\x00\xff" * 50 + b"a: &a [*a]")
    (tmp_path / "y.yaml").write_text("a: !!python/object/apply:os.system ['echo hi']\n")
    result = cli("validate", str(tmp_path), str(tmp_path / "nothing.yaml"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "SC019" in result.stdout and "SC017" in result.stdout and "SC027" in result.stdout


def test_text_scripted_json_has_the_documented_fields() -> None:
    code, out, _ = run(
        "text", str(SCENARIOS / "late-delivery.yaml"), "--choices", "1,1,1,1,1,1,1,1", "--json"
    )
    assert code == 0
    result = json.loads(out)
    for key in ("scenario", "outcome", "score", "grade", "passed", "anger", "turns"):
        assert key in result
    assert result["scenario"] == "late-delivery" and result["anger"][0] == 65
    for turn in result["turns"]:
        for key in ("node", "choice", "techniques", "anger_before", "anger_after", "feedback"):
            assert key in turn
        assert "G-" in turn["feedback"]


def test_text_scripted_without_json_prints_a_transcript_and_debrief() -> None:
    code, out, _ = run("text", str(SCENARIOS / "late-delivery.yaml"), "--choices", "4,2,2,2")
    assert code == 0
    assert (
        'You: "Our warehouse is short-staffed' in out and "DEBRIEF" in out and "NOT PASSED" in out
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--choices", "1,9"], "has choices 1..4; 9 is not one of them"),
        (["--choices", "one"], "--choices must be numbers"),
        (["--choices", "1"], "ran out"),
        (["--choices", ",".join(["1"] * 20)], "ended after"),
        (["--json"], "--json needs --choices"),
        (["--lang", "xx"], "unknown language 'xx'"),
    ],
)
def test_text_bad_scripts_exit_2_with_a_clear_message(args: list[str], message: str) -> None:
    code, _, err = run("text", str(SCENARIOS / "late-delivery.yaml"), *args)
    assert code == 2 and message in err


def test_text_bad_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: [\n", encoding="utf-8")
    result = cli("text", str(bad), "--choices", "1")
    assert result.returncode == 2 and "SC016" in result.stderr and "Traceback" not in result.stderr
    result = cli("text", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2 and "SC027" in result.stderr


def test_text_interactive_plays_from_stdin() -> None:
    result = cli(
        "text", str(SCENARIOS / "late-delivery.yaml"), "--no-timer", "--seed", "1", stdin="1\n" * 12
    )
    assert result.returncode == 0, result.stderr
    assert "Anger [" in result.stdout and "DEBRIEF" in result.stdout


def test_text_interactive_quit_and_eof() -> None:
    result = cli("text", str(SCENARIOS / "late-delivery.yaml"), "--no-timer", stdin="x\nq\n")
    assert (
        result.returncode == 1
        and "Please type a number" in result.stdout
        and "abandoned" in result.stdout
    )


def test_schema_graph_analyze_and_lint() -> None:
    code, out, _ = run("schema")
    assert code == 0 and json.loads(out)["title"].startswith("Hold the Line scenario")
    code, out, _ = run("graph", str(SCENARIOS / "late-delivery.yaml"), "--format", "dot")
    assert (
        code == 0 and out.startswith('digraph "late-delivery"') and "opening -> vents_more" in out
    )
    code, out, _ = run("graph", str(SCENARIOS / "late-delivery.yaml"))
    assert code == 0 and out.startswith("flowchart TD")
    code, out, _ = run("analyze", str(SCENARIOS / "late-delivery.yaml"), "--json", "--runs", "500")
    summary = json.loads(out)
    assert (
        code == 0
        and summary["guide_following"]["all_pass"]
        and summary["monte_carlo"]["runs"] == 500
    )
    code, out, err = run("lint", str(SCENARIOS / "late-delivery.yaml"))
    assert code == 0, out + err


def test_lint_reports_problems(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(BASE.replace("# yaml-language-server: $schema=schema.json\n", ""), "utf-8")
    code, out, _ = run("lint", str(path))
    assert code == 1 and "LN011" in out and "LN008" in out


def test_no_command_means_play_and_version_works() -> None:
    from game.cli import build_parser

    assert build_parser().parse_args(["play"]).command == "play"
    result = cli("--version")
    assert result.returncode == 0 and "hold-the-line" in result.stdout


@pytest.mark.parametrize("runs", ["0", "-5", "many"])
def test_analyze_wants_at_least_one_run(runs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["analyze", str(SCENARIOS / "discount-bully.yaml"), "--runs", runs])
    assert caught.value.code == 2
    assert "--runs" in capsys.readouterr().err
