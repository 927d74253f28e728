"""A recorded call's debrief, rebuilt for the history: by replay, or from the stored turns."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from game.engine.session import ChoicePrompt, CustomerLine
from game.records.recorder import Recorder
from game.records.store import open_store
from game.ui.review import CHANGED_NOTE, rebuild
from tests.ui.plans import campaign, good_choices, playable


def test_a_debrief_is_rebuilt_exactly_by_replay_or_from_the_record(tmp_path: Path) -> None:
    level = playable()[1]
    assert level.scenario is not None
    store = open_store(f"sqlite:///{tmp_path / 'records.db'}")
    try:
        trainee = store.add_trainee("Rae")
        recorder = Recorder.begin(
            store, trainee.id, level.scenario, level.number, level.pass_score,
            campaign().policy, 5, "normal", "en",
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

        replayed, note = rebuild(detail, level.scenario)
        assert note is None
        assert replayed == played

        edited = replace(level.scenario, content_hash="edited since")
        recovered, note = rebuild(detail, edited)
        assert note == CHANGED_NOTE
        assert (recovered.score, recovered.grade, recovered.passed) == (
            played.score,
            played.grade,
            played.passed,
        )
        assert recovered.anger_trace == played.anger_trace
        assert [r.verdict for r in recovered.turns] == [r.verdict for r in played.turns]
    finally:
        store.close()
