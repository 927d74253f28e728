"""Values with a fixed set are enums in the code (`Cause`, `Side`, `BuiltinLine`, `Verdict`)
and keep their exact words wherever they are stored: the session state's JSON, the records'
rows and the turns' effects. A database written before the enums reads back the same."""

from __future__ import annotations

import json

from sqlalchemy import select

from game.engine.session import (
    DEAD_AIR_LINE,
    BuiltinLine,
    Cause,
    SessionState,
    Side,
    TimerMode,
    reading_allowance,
)
from game.engine.step import verdict_for
from game.records.database import attempts, turns
from game.records.store import SqlStore
from game.scenario.model import Verdict
from tests.catalog import CATALOG
from tests.records.play import good_choices, play, scenario


def test_the_enums_are_the_stored_words() -> None:
    assert [c.value for c in Cause] == ["ending", "blowup", "dead_air", "turn_limit"]
    assert [b.value for b in BuiltinLine] == ["(blowup)", "(dead_air)", "(turn_limit)"]
    assert {s.value for s in Side} >= {"silence", "lookup_silence", "relax", "debt"}
    assert [verdict_for(q) for q in (1.0, 0.5, -0.5, -1.0)] == ["good", "fair", "poor", "bad"]
    assert all(type(verdict_for(q)) is Verdict for q in (1.0, -1.0))
    assert f"{Cause.DEAD_AIR}" == "dead_air" and json.dumps([Verdict.GOOD]) == '["good"]'


def test_a_timed_out_attempt_round_trips_through_the_store_and_the_state_json(
    store: SqlStore,
) -> None:
    ana = store.add_trainee("Ana")
    # 5 s past the reading allowance before the first reply (a silence effect); then the
    # customer gives up waiting (the dead-air ending).
    first = scenario()
    late = reading_allowance(first, first.start, TimerMode.NORMAL, catalog=CATALOG) + 5.0
    recorder = play(store, ana.id, good_choices(), timer=TimerMode.NORMAL, silences=(late, 500.0))
    state = recorder.state
    assert state.outcome is not None
    assert state.outcome.cause is Cause.DEAD_AIR and state.outcome.node == DEAD_AIR_LINE
    assert state.turns[0].effects[0].source == Side.SILENCE

    # the session state's JSON: the words, and back to the same values (enums again)
    stored = json.loads(state.to_json())
    assert stored["outcome"]["cause"] == "dead_air"
    assert stored["outcome"]["node"] == "(dead_air)"
    assert stored["turns"][0]["effects"][0]["source"] == "silence"
    again = SessionState.from_json(state.to_json())
    assert again == state
    assert again.outcome is not None and type(again.outcome.cause) is Cause

    # the records: plain words in the rows, and the same turns read back
    with store.engine.connect() as conn:
        row = conn.execute(
            select(attempts.c.cause, attempts.c.outcome).where(attempts.c.id == recorder.attempt_id)
        ).one()
        first_effects = json.loads(
            conn.execute(
                select(turns.c.effects).where(
                    turns.c.attempt_id == recorder.attempt_id, turns.c.number == 1
                )
            ).scalar_one()
        )
    assert tuple(row) == ("dead_air", "customer_left")
    assert first_effects[0]["source"] == "silence"
    detail = store.attempt_detail(recorder.attempt_id)
    assert detail is not None
    assert detail.turns == state.turns
