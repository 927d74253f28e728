"""Live reload without a window: when a file counts as changed, and where a call resumes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.analysis.live import Broken, Reloaded, ScenarioWatch, resume
from game.engine.session import Phase, play_choices, proceed, start
from game.paths import default_campaign
from game.scenario.loader import load_scenario, parse_scenario
from game.scenario.model import Policy, Scenario
from tests.catalog import CATALOG

LEVEL = default_campaign().parent / "late-delivery.yaml"


def _edited(old: str, new: str) -> Scenario:
    text = LEVEL.read_text(encoding="utf-8")
    assert old in text
    return parse_scenario(text.replace(old, new, 1).encode(), str(LEVEL))


def _to_prompt(scenario: Scenario, choices: list[int]):  # type: ignore[no-untyped-def]
    """A live call after `choices`, at the next prompt (not played to the end)."""
    from game.engine.session import choose

    state = start(scenario, seed=5, catalog=CATALOG)
    for number in choices:
        while state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
        state, _ = choose(scenario, state, number, catalog=CATALOG)
    return state


def test_an_edited_line_resumes_at_the_same_point_with_the_new_words() -> None:
    scenario = load_scenario(LEVEL)
    old = _to_prompt(scenario, [1, 1])
    edited = _edited("Two hundred guests.", "TWO HUNDRED GUESTS.")
    resumed = resume(edited, old, catalog=CATALOG)
    assert resumed.exact
    assert resumed.state.node == old.node
    assert [t.node for t in resumed.state.turns] == [t.node for t in old.turns]
    assert resumed.state.seed == old.seed  # the replies keep their places on screen
    assert any("TWO HUNDRED GUESTS." in line.text for line in resumed.lines)
    assert resumed.note == f"reloaded: resumed at node '{old.node}' after 2 replies"


def test_a_removed_choice_resumes_where_both_versions_agree_and_says_so() -> None:
    scenario = load_scenario(LEVEL)
    old = _to_prompt(scenario, [1, 4])  # the fourth reply at `vents_more`
    assert old.turns[1].node == "vents_more"
    node = scenario.node("vents_more")
    text = LEVEL.read_text(encoding="utf-8")
    # cut the last choice of `vents_more` out of the file
    start_at = text.index("  vents_more:")
    last_say = text.index(node.choices[3].say.en[:20], start_at)
    cut_from = text.rindex("\n      - ", 0, last_say)  # the whole choice, wordings and all
    cut_to = text.index("\n\n", last_say)
    edited = parse_scenario((text[:cut_from] + text[cut_to:]).encode(), str(LEVEL))
    resumed = resume(edited, old, catalog=CATALOG)
    assert not resumed.exact
    assert resumed.replies_kept == 1 and resumed.replies_before == 2
    assert resumed.state.node == "vents_more"
    assert "has choices 1..3; 4 is not one of them" in resumed.note
    assert "resumed at node 'vents_more' after 1 of 2 replies" in resumed.note


def test_a_moved_branch_is_named_in_the_note() -> None:
    scenario = load_scenario(LEVEL)
    old = _to_prompt(scenario, [1])
    edited = _edited("next: vents_more", "next: grumbles")
    resumed = resume(edited, old, catalog=CATALOG)
    assert not resumed.exact
    assert resumed.state.node == "grumbles"
    assert "now leads to node 'grumbles', not 'vents_more'" in resumed.note


def test_a_finished_call_replays_to_its_end() -> None:
    scenario = load_scenario(LEVEL)
    good = [1, 1, 1, 1, 1, 1, 1, 1]
    old = play_choices(scenario, good, seed=3, catalog=CATALOG)
    resumed = resume(scenario, old, catalog=CATALOG)
    assert resumed.exact and resumed.state.outcome == old.outcome


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 4), max_size=10), st.sampled_from(list(range(6))))
def test_any_call_resumes_on_any_edit_at_a_point_both_versions_share(
    picks: list[int], cut: int
) -> None:
    """Whatever was played and whichever choice was cut, the resumed call is a prefix of the
    old one, and exact exactly when the whole old call still replays."""
    scenario = load_scenario(LEVEL)
    state = start(scenario, seed=1, catalog=CATALOG)
    for pick in picks:
        while state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
        if state.phase is Phase.ENDED:
            break
        from game.engine.session import choose

        node = scenario.node(state.node)
        state, _ = choose(scenario, state, (pick - 1) % len(node.choices) + 1, catalog=CATALOG)
    decision = [n for n in scenario.nodes if len(n.choices) > 2][cut % 3]
    text = LEVEL.read_text(encoding="utf-8")
    marker = f'say: "{decision.choices[-1].say.en[:15]}'
    if marker not in text:
        return
    at = text.index(marker)
    edited_text = text[: text.rindex("\n", 0, at)] + text[text.index("\n\n", at) :]
    try:
        edited = parse_scenario(edited_text.encode(), "x.yaml")
    except Exception:
        return  # the cut made the level invalid: nothing to resume on
    resumed = resume(edited, state, policy=Policy(), catalog=CATALOG)
    assert resumed.replies_kept <= len(state.turns)
    kept = resumed.state.turns
    assert [t.node for t in kept] == [t.node for t in state.turns[: len(kept)]]
    assert [t.choice for t in kept] == [t.choice for t in state.turns[: len(kept)]]
    assert resumed.exact == (
        resumed.replies_kept == len(state.turns) and "changed" not in resumed.note
    )


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_the_watch_waits_for_the_file_to_settle_and_reports_each_change_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "late-delivery.yaml"
    shutil.copy(LEVEL, path)
    running = load_scenario(path)
    watch = ScenarioWatch(path, running.content_hash)
    assert watch.poll() is None  # nothing changed
    text = path.read_text(encoding="utf-8")
    _touch(path, text.replace("Two hundred guests.", "Three hundred guests."))
    assert watch.poll() is None  # just changed: wait one poll for it to settle
    change = watch.poll()
    assert isinstance(change, Reloaded)
    assert "Three hundred guests." in change.scenario.node("vents_more").customer.en
    assert watch.poll() is None
    # a broken edit: its located problems, once
    _touch(path, text.replace("  vents_more:\n    customer:", "  vents_more:\n    custmer:"))
    watch.poll()
    broken = watch.poll()
    assert isinstance(broken, Broken)
    assert [p.code for p in broken.problems] == ["SC006"]
    assert broken.lines()[0].startswith(f"{path}:")
    _touch(path, path.read_text(encoding="utf-8") + "\n")  # saved again, same problems
    watch.poll()
    assert watch.poll() is None
    # fixed, back to the very version running before: still a reload (the errors go)
    _touch(path, text.replace("Two hundred guests.", "Three hundred guests."))
    watch.poll()
    assert isinstance(watch.poll(), Reloaded)


def test_a_deleted_file_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "gone.yaml"
    shutil.copy(LEVEL, path)
    watch = ScenarioWatch(path, load_scenario(path).content_hash)
    path.unlink()
    watch.poll()
    broken = watch.poll()
    assert isinstance(broken, Broken) and broken.problems[0].code == "SC027"


def test_a_version_read_earlier_is_compared_with_the_file_as_it_is_now(tmp_path: Path) -> None:
    """The window's level was read with the campaign; an edit made since (in the menus)
    counts, and an unchanged file gives nothing."""
    path = tmp_path / "late-delivery.yaml"
    shutil.copy(LEVEL, path)
    running = load_scenario(path)
    unchanged = ScenarioWatch(path, running.content_hash, read_now=False)
    assert unchanged.poll() is None and unchanged.poll() is None
    _touch(path, LEVEL.read_text(encoding="utf-8").replace("I run a bakery.", "I bake."))
    watch = ScenarioWatch(path, running.content_hash, read_now=False)
    assert watch.poll() is None  # settling
    change = watch.poll()
    assert (
        isinstance(change, Reloaded) and "I bake." in change.scenario.node("vents_more").customer.en
    )
