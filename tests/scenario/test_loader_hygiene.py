"""The loader against a hostile author: each hole of issue 13 (item 6), tried as they would.

Control characters (raw or escaped) are refused where they were written; ids are matched
whole; named pipes and devices are never opened; unreadable files and folders are located
problems, not internal errors; a campaign cannot reach outside its folder; text lengths are
bounded with the limit named.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from game.cli import main
from game.scenario.campaign import load_campaign
from game.scenario.loader import load_scenario, parse_scenario
from game.scenario.problems import Problem, ScenarioError
from game.scenario.validate import validate
from tests.scenario.base import BASE

T = TypeVar("T")
CONTROL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))]


def problems_of(text: str) -> tuple[Problem, ...]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text.encode("utf-8"), "t.yaml")
    return caught.value.problems


def place_of(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first `needle` in `text`."""
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def assert_printable(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        assert not any(ch in str(problem) for ch in CONTROL), repr(str(problem))


# ---- control characters ------------------------------------------------------------------

ESCAPES = [
    ("\\0", "\x00"),
    ("\\a", "\x07"),
    ("\\e", "\x1b"),
    ("\\x1b", "\x1b"),
    ("\\x1B", "\x1b"),
    ("\\u009b", "\x9b"),
    ("\\U0000001b", "\x1b"),
    ("\\x7f", "\x7f"),
    ("\\r", "\r"),
    ("\\N", "\x85"),
]


@pytest.mark.parametrize(("escape", "char"), ESCAPES, ids=[e for e, _ in ESCAPES])
def test_an_escaped_control_character_is_refused_at_its_escape(escape: str, char: str) -> None:
    line = '      - say: "I\'m listening."'
    text = BASE.replace(line, f'      - say: "I\'m {escape}listening."')
    found = problems_of(text)
    assert [(p.code, p.line, p.col) for p in found] == [("SC029", *place_of(text, escape))]
    assert f"U+{ord(char):04X}" in found[0].message
    assert_printable(found)


def test_an_escape_on_a_continued_line_is_located_on_that_line() -> None:
    text = BASE.replace('customer: "Bye."', 'customer: "Good\n      bye \\e[2J now."')
    found = problems_of(text)
    assert [(p.code, p.line, p.col) for p in found] == [("SC029", *place_of(text, "\\e"))]


def test_an_escaped_control_character_in_a_key_is_refused() -> None:
    text = BASE.replace("difficulty: 1", 'difficulty: 1\n"mo\\x1bod": 3')
    found = problems_of(text)
    assert ("SC029", *place_of(text, "\\x1b")) in [(p.code, p.line, p.col) for p in found]
    assert_printable(found)  # the unknown-key message names the key without sending ESC


def test_an_escaped_backslash_is_not_mistaken_for_an_escape() -> None:
    text = BASE.replace('customer: "Bye."', 'customer: "C:\\\\0 and \\\\e are paths"')
    scenario = parse_scenario(text.encode(), "t.yaml")
    assert scenario.node("gone").customer.en == "C:\\0 and \\e are paths"


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\x85", "\x9b", "\x0c"])
def test_a_raw_control_character_is_refused_where_it_is(char: str) -> None:
    text = BASE.replace("summary: A tiny", f"summary: A t{char}iny")
    found = problems_of(text)
    assert [(p.code, p.line, p.col) for p in found] == [("SC029", *place_of(text, char))]
    assert found[0].line != 1
    assert_printable(found)


def test_raw_control_characters_are_each_located_and_the_count_is_bounded() -> None:
    lines = BASE.splitlines(keepends=True)
    text = "".join(f"# {i:02d}\x00\n" if i % 3 == 0 else line for i, line in enumerate(lines))
    found = problems_of(text)
    expected = [i + 1 for i in range(len(lines)) if i % 3 == 0]
    assert [p.line for p in found[:10]] == expected[:10]
    assert {p.col for p in found[:10]} == {5}
    assert len(found) == 11 and f"{len(expected) - 10} more" in found[-1].message


def test_tabs_line_breaks_and_windows_line_endings_are_fine() -> None:
    text = BASE.replace('customer: "Bye."', 'customer: "Bye.\\tSee\\nyou."').replace("\n", "\r\n")
    scenario = parse_scenario(text.encode(), "t.yaml")
    assert scenario.node("gone").customer.en == "Bye.\tSee\nyou."


def test_the_text_command_never_sends_an_escape_sequence_to_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(BASE.replace('"This is unacceptable!"', '"\\e[2J\\e]0;pwned\\a Hi"'))
    status = main(["text", str(path), "--choices", "1,1"])
    out, err = capsys.readouterr()
    assert status == 2
    assert "SC029" in err
    assert "\x1b" not in out + err and "\x07" not in out + err


# ---- identifiers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("id: tiny-test", 'id: "tiny-test\\n"', '"tiny-test'),
        ("id: tiny-test", "id: |\n  tiny-test\n", "|"),
        ("  gone:\n", '  "gone\\n":\n', '"gone'),
        ("next: done", 'next: done\n        set: "calm\\n"', '"calm'),
        ("{anger_at_least: 70}", '{flag: "calm\\n"}', '"calm'),
    ],
    ids=["scenario-id", "scenario-id-block", "node-id", "flag-set", "flag-tested"],
)
def test_ids_are_matched_whole(old: str, new: str, needle: str) -> None:
    text = BASE.replace(old, new, 1)
    found = problems_of(text)
    line, _ = place_of(text[text.index(new) :], needle)
    line += text.count("\n", 0, text.index(new))
    assert ("SC021", line) in [(p.code, p.line) for p in found], [str(p) for p in found]


# ---- lengths -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "limit"),
    [
        ("title: Tiny", "title: " + "T" * 10_000, "100"),
        ("title: Tiny", "title: {en: Tiny, fi: " + "T" * 101 + "}", "100"),
        ("summary: A tiny scenario for tests.", "summary: " + "s " * 301, "600"),
        ("name: Ms. Test", "name: " + "N" * 81, "80"),
        ('customer: "Bye."', 'customer: "' + "Bye. " * 401 + '"', "2,000"),
        ('say: "I\'m listening."', "say: " + "x" * 2_001, "2,000"),
        ("id: tiny-test", "id: " + "a" * 65, "64"),
        ("  gone:\n", "  " + "g" * 65 + ":\n", "64"),
    ],
    ids=["title", "title-fi", "summary", "name", "customer-line", "say", "id", "node-id"],
)
def test_long_text_is_refused_naming_the_limit(old: str, new: str, limit: str) -> None:
    text = BASE.replace(old, new, 1)
    found = [p for p in problems_of(text) if p.code == "SC030"]
    assert len(found) == 1, [str(p) for p in problems_of(text)]
    assert found[0].line == text.count("\n", 0, text.index(new)) + 1
    assert f"the limit is {limit}" in found[0].message


def test_text_at_the_limit_is_accepted() -> None:
    text = BASE.replace("title: Tiny", "title: " + "T" * 100)
    assert parse_scenario(text.encode(), "t.yaml").title.en == "T" * 100


# ---- files that are not files -----------------------------------------------------------


def finishes(work: Callable[[], T], release: Path | None = None, seconds: float = 20) -> T:
    """`work()`'s result, or a failure if it blocks (then the FIFO is opened to free it)."""
    result: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if release is not None:  # a writer that closes at once: the blocked reader sees EOF
            with contextlib.suppress(OSError):
                os.close(os.open(release, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail(f"blocked for more than {seconds} s")
    if errors:
        raise errors[0]
    return result[0]


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes (POSIX)")


@needs_fifo
def test_a_fifo_scenario_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ScenarioError) as caught:
        finishes(lambda: load_scenario(fifo), release=fifo)
    assert [p.code for p in caught.value.problems] == ["SC027"]
    assert "named pipe" in caught.value.problems[0].message


@needs_fifo
def test_a_fifo_level_does_not_hang_validate_the_campaign_or_the_game(tmp_path: Path) -> None:
    shutil.copy(Path("scenarios") / "late-delivery.yaml", tmp_path / "late-delivery.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    campaign_file = tmp_path / "campaign.yaml"
    campaign_file.write_text(
        "format: 1\ntitle: T\nlevels:\n  - scenario: late-delivery.yaml\n  - scenario: pipe.yaml\n"
    )
    campaign = finishes(lambda: load_campaign(campaign_file), release=tmp_path / "pipe.yaml")
    assert campaign.levels[0].playable and not campaign.levels[1].playable
    assert "named pipe" in campaign.levels[1].problems[0].message
    report = finishes(lambda: validate([tmp_path]), release=tmp_path / "pipe.yaml")
    assert any(p.path.endswith("pipe.yaml") and "named pipe" in p.message for p in report.problems)
    report = finishes(lambda: validate([tmp_path / "pipe.yaml"]), release=tmp_path / "pipe.yaml")
    assert [p.code for p in report.problems] == ["SC027"]
    assert "named pipe" in report.problems[0].message


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_never_read() -> None:
    with pytest.raises(ScenarioError) as caught:
        finishes(lambda: load_scenario("/dev/zero"))
    assert [p.code for p in caught.value.problems] == ["SC027"]
    assert "device" in caught.value.problems[0].message


# ---- unreadable files and folders --------------------------------------------------------


@contextlib.contextmanager
def shared_temp_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's own is private to us)."""
    base = Path(tempfile.mkdtemp(prefix="htl-hygiene-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for path in base.rglob("*"):
            with contextlib.suppress(OSError):
                path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def as_someone_else() -> Iterator[None]:
    """Permissions apply inside (root reads everything, so root becomes `nobody` for a while)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def validate_command(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with as_someone_else():
        status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.skipif(not hasattr(os, "seteuid"), reason="needs POSIX file permissions")
def test_an_unreadable_folder_is_a_located_problem_not_an_internal_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with shared_temp_dir() as base:
        folder = base / "scenarios"
        folder.mkdir()
        shutil.copy(Path("scenarios") / "late-delivery.yaml", folder / "late-delivery.yaml")
        folder.chmod(0)
        status, out, err = validate_command(folder, capsys)
        inner_status, inner_out, _ = validate_command(folder / "late-delivery.yaml", capsys)
    assert status == 1 and "internal error" not in err
    assert f"{folder}:1:1: SC027 cannot list this folder: permission denied" in out
    assert inner_status == 1
    assert f"{folder}/late-delivery.yaml:1:1: SC027 permission denied" in inner_out


@pytest.mark.skipif(not hasattr(os, "seteuid"), reason="needs POSIX file permissions")
def test_an_unreadable_file_is_a_located_problem(capsys: pytest.CaptureFixture[str]) -> None:
    with shared_temp_dir() as base:
        file = base / "late-delivery.yaml"
        shutil.copy(Path("scenarios") / "late-delivery.yaml", file)
        file.chmod(0)
        status, out, err = validate_command(file, capsys)
        with as_someone_else(), pytest.raises(ScenarioError) as caught:
            load_scenario(file)
    assert status == 1 and "internal error" not in err
    assert f"{file}:1:1: SC027 cannot read file: permission denied" in out
    assert "permission denied" in caught.value.problems[0].message


# ---- campaigns stay in their folder ------------------------------------------------------

SECRET = "s3cr3t-line-of-a-private-file"


@pytest.fixture
def secret_outside(tmp_path: Path) -> Path:
    """A private file outside the campaign's folder, which a level could try to reach.

    It is even a valid scenario, so that nothing but the confinement stands in the way.
    """
    private = tmp_path / "private"
    private.mkdir()
    secret = private / "shadow.yaml"
    secret.write_text(BASE.replace("title: Tiny", f"title: {SECRET}"))
    return secret


def campaign_with(folder: Path, *levels: str) -> Path:
    folder.mkdir(exist_ok=True)
    shutil.copy(Path("scenarios") / "late-delivery.yaml", folder / "late-delivery.yaml")
    lines = "".join(f"  - scenario: {level}\n" for level in ("late-delivery.yaml", *levels))
    path = folder / "campaign.yaml"
    path.write_text(f"format: 1\ntitle: Hostile\nlevels:\n{lines}")
    return path


@pytest.mark.parametrize("how", ["symlink", "dotdot", "absolute"])
def test_a_level_outside_the_campaign_folder_is_never_read(
    tmp_path: Path, secret_outside: Path, how: str
) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    if how == "symlink":
        (folder / "shadow.yaml").symlink_to(secret_outside)
        level = "shadow.yaml"
    elif how == "dotdot":
        level = "../private/shadow.yaml"
    else:
        level = str(secret_outside)
    path = campaign_with(folder, level)
    campaign = load_campaign(path)
    shown = campaign.levels[1]
    assert campaign.levels[0].playable and not shown.playable
    assert [(p.path, p.code, p.line) for p in shown.problems] == [(str(path), "SC027", 5)]
    assert "outside the campaign's folder" in shown.problems[0].message
    assert SECRET not in shown.title + " ".join(str(p) for p in shown.problems)
    report = validate([folder])
    assert any(p.code == "SC027" and p.path == str(path) for p in report.problems)
    assert all(SECRET not in str(p) for p in report.problems)


def test_links_that_stay_inside_the_campaign_folder_still_work(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "drafts").mkdir()
    shutil.copy(Path("scenarios") / "chatterbox.yaml", folder / "drafts" / "chatterbox.yaml")
    (folder / "chatty.yaml").symlink_to(folder / "drafts" / "chatterbox.yaml")
    campaign = load_campaign(campaign_with(folder, "chatty.yaml", "drafts/chatterbox.yaml"))
    assert [level.playable for level in campaign.levels] == [True, True, False]
    assert campaign.levels[2].problems[0].code == "SC009"  # the same scenario twice


def test_validating_a_folder_does_not_follow_a_link_out_of_it(
    tmp_path: Path, secret_outside: Path
) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "shadow.yaml").symlink_to(secret_outside)
    report = validate([folder])
    assert report.files == 0
    assert [(p.code, p.path) for p in report.problems] == [("SC027", str(folder / "shadow.yaml"))]


def test_a_loop_of_links_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    folder.mkdir()
    (folder / "a.yaml").symlink_to(folder / "b.yaml")
    (folder / "b.yaml").symlink_to(folder / "a.yaml")
    campaign = load_campaign(campaign_with(folder, "a.yaml"))
    assert not campaign.levels[1].playable and campaign.levels[1].problems
    report = validate([folder])
    assert {p.code for p in report.problems} == {"SC027"}
