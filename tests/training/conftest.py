"""Training-layer fixtures: calls played through the real recorder into a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
import yaml

from game.engine.scoring import Debrief
from game.engine.session import ChoicePrompt, CustomerLine
from game.records.recorder import Recorder
from game.records.store import SqlStore, open_store
from game.scenario.campaign import Campaign, Level
from tests.catalog import CATALOG
from tests.conftest import PLANS
from tests.ui.plans import campaign as load_default_campaign


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlStore]:
    opened = open_store(f"sqlite:///{tmp_path / 'records.db'}")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_default_campaign()


def plan_choices(name: str) -> list[int]:
    plan = yaml.safe_load((PLANS / f"{name}.yaml").read_text(encoding="utf-8"))
    return [int(c) for c in plan["choices"]]


def play(
    store: SqlStore,
    campaign: Campaign,
    level: Level,
    choices: Sequence[int],
    trainee_id: int,
    *,
    finish: bool = True,
    exam: bool = False,
) -> tuple[int, Debrief | None]:
    """Play `choices` through the recorder; (attempt id, the debrief the trainee saw)."""
    assert level.scenario is not None
    recorder = Recorder.begin(
        store, trainee_id, level.scenario, level.number, level.pass_score,
        campaign.policy, 5, "normal", "en", CATALOG, exam=exam,
    )  # fmt: skip
    if not finish:
        recorder.abandon()
        return recorder.attempt_id, None
    picks = iter(choices)
    while not recorder.finished:
        moment = recorder.current()
        if isinstance(moment, CustomerLine):
            recorder.proceed()
        else:
            assert isinstance(moment, ChoicePrompt)
            recorder.choose(next(picks))
    return recorder.attempt_id, recorder.debrief
