"""One replay of a recorded attempt for every host: the history, the desk and the report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from game.engine.catalog import load_catalog
from game.engine.scoring import Debrief
from game.engine.session import ChoicePrompt, CustomerLine, replay
from game.records.api import AttemptDetail
from game.records.export import load_library
from game.records.recorder import Recorder
from game.records.replayed import (
    CATALOG_CHANGED_NOTE,
    SCENARIO_CHANGED_NOTE,
    replay_recorded,
)
from game.records.report import attempt_view
from game.records.store import open_store
from game.scenario.campaign import Level
from tests.catalog import CATALOG
from tests.ui.plans import campaign, good_choices, playable


def _record(tmp_path: Path, level: Level) -> tuple[AttemptDetail, Debrief]:
    """A call played through the recorder to its end, and the debrief the trainee saw."""
    assert level.scenario is not None
    store = open_store(f"sqlite:///{tmp_path / 'records.db'}")
    try:
        trainee = store.add_trainee("Rae")
        recorder = Recorder.begin(
            store, trainee.id, level.scenario, level.number, level.pass_score,
            campaign().policy, 5, "normal", "en", CATALOG,
        )  # fmt: skip
        choices = iter(good_choices(level))
        while not recorder.finished:
            moment = recorder.current()
            if isinstance(moment, CustomerLine):
                recorder.proceed()
            else:
                assert isinstance(moment, ChoicePrompt)
                recorder.choose(next(choices))
        played = recorder.debrief
        assert played is not None
        detail = store.attempt_detail(recorder.attempt_id)
        assert detail is not None
        return detail, played
    finally:
        store.close()


def test_every_host_gets_the_same_conversation_from_the_one_replay(tmp_path: Path) -> None:
    from game.ui.scenes.supervisor import conversation, lines_of

    level = playable()[1]
    scenario = level.scenario
    assert scenario is not None
    catalog = load_catalog()
    detail, played = _record(tmp_path, level)

    call = replay_recorded(detail, scenario, catalog)
    assert call.exact and call.note is None and not call.as_recorded
    assert call.report == played  # the history's debrief is the one the trainee saw
    speakers = [line.speaker for line in call.lines]
    assert speakers.count("agent") == len(detail.turns)
    assert [line.text for line in call.lines if line.speaker == "agent"] == [
        turn.say.en for turn in detail.turns
    ]
    # the desk's conversation is the same replay
    assert conversation(scenario, detail, catalog) == lines_of(call)
    # the report's ending is the replay's last customer line
    view = attempt_view(detail, load_library(), catalog)
    customer = [line.text for line in call.lines if line.speaker == "customer"]
    assert view.ending == customer[-1] == call.ending_line(scenario)
    assert not view.catalog_changed
    # and the engine's own replay reaches the same state
    attempt = detail.attempt
    state = replay(
        scenario, detail.events, policy=attempt.policy, seed=attempt.seed, catalog=CATALOG
    )
    assert state.turns == detail.turns and state.outcome is not None
    assert state.outcome.node == call.ending_node


def test_an_attempt_scored_under_another_catalog_is_shown_as_stored(tmp_path: Path) -> None:
    level = playable()[1]
    scenario = level.scenario
    assert scenario is not None
    catalog = load_catalog()
    detail, played = _record(tmp_path, level)
    stored = replace(
        detail.attempt, catalog_hash="an earlier edition", score=41, grade="D", passed=False
    )
    old = replace(detail, attempt=stored)
    before_hashes = replace(detail, attempt=replace(stored, catalog_hash=None))

    for shown in (
        replay_recorded(old, scenario, catalog),
        replay_recorded(before_hashes, scenario, catalog),
    ):
        assert shown.note == CATALOG_CHANGED_NOTE and shown.as_recorded
        assert shown.report is not None
        assert (shown.report.score, shown.report.grade, shown.report.passed) == (41, "D", False)
        assert shown.report.score != played.score  # not re-scored under the running rules
        assert shown.report.anger_trace == played.anger_trace
        assert [r.verdict for r in shown.report.turns] == [r.verdict for r in played.turns]
        assert shown.exact  # the conversation itself is still the replayed one

    view = attempt_view(old, load_library(), catalog)
    assert view.catalog_changed and (view.score, view.grade, view.passed) == (41, "D", False)


def test_a_changed_level_is_shown_from_the_recorded_turns_with_the_stored_score(
    tmp_path: Path,
) -> None:
    level = playable()[1]
    assert level.scenario is not None
    detail, played = _record(tmp_path, level)
    edited = replace(level.scenario, content_hash="edited since")

    shown = replay_recorded(detail, edited, load_catalog())
    assert shown.note == SCENARIO_CHANGED_NOTE and not shown.exact
    assert shown.report is not None
    assert (shown.report.score, shown.report.grade, shown.report.passed) == (
        played.score,
        played.grade,
        played.passed,
    )
    assert [line.text for line in shown.lines if line.speaker == "agent"] == [
        turn.say.en for turn in detail.turns
    ]
    assert [r.verdict for r in shown.report.turns] == [r.verdict for r in played.turns]
