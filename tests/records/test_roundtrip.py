"""Whatever a turn holds comes back exactly: any text, any language, any float."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.session import Effect, Event, Turn
from game.records.api import AttemptStart
from game.records.store import SqlStore
from game.scenario.model import Policy, Text

anything = st.text(max_size=40)  # JSON-stored: lone surrogates and NULs included
plain = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=30
)  # stored in its own column: what both databases accept as text
finite = st.floats(allow_nan=False, allow_infinity=False)
texts = st.builds(
    Text,
    anything,
    st.dictionaries(st.sampled_from(["fil", "fi", "tr", "vi", "xx-YY"]), anything, max_size=3).map(
        lambda d: tuple(d.items())
    ),
)
effects = st.builds(
    Effect,
    source=anything,
    case=anything,
    anger=st.integers(-10_000, 10_000),
    principle=st.none() | anything,
    short=anything,
    reason=anything,
    quality=st.none() | finite,
    also=st.lists(anything, max_size=3).map(tuple),
)


@st.composite
def turn_lists(draw: st.DrawFn) -> list[Turn]:
    count = draw(st.integers(1, 4))
    return [
        Turn(
            number=n,
            node=draw(plain),
            choice=draw(st.integers(1, 9)),
            say=draw(texts),
            techniques=tuple(draw(st.lists(anything, max_size=3))),
            tags=frozenset(draw(st.lists(anything, max_size=3))),
            anger_before=draw(st.integers(0, 100)),
            anger_after=draw(st.integers(0, 100)),
            silence=draw(st.floats(0, 1e6)),
            effects=tuple(draw(st.lists(effects, max_size=4))),
            quality=draw(finite),
            feedback=draw(st.none() | texts),
        )
        for n in range(1, count + 1)
    ]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # each example: a new attempt
)
@given(played=turn_lists(), times=st.lists(st.floats(0, 3600), min_size=4, max_size=4))
def test_turns_round_trip_exactly(store: SqlStore, played: list[Turn], times: list[float]) -> None:
    trainee = store.find_trainee("Prop") or store.add_trainee("Prop")
    attempt_id = store.start_attempt(
        AttemptStart(
            trainee.id, "prop", "f" * 64, None, 70, 0, Policy(), "off", "en", datetime.now(UTC)
        )
    )
    for turn, took in zip(played, times, strict=False):
        store.record_turn(attempt_id, turn, Event(turn.choice, turn.silence), took)
    detail = store.attempt_detail(attempt_id)
    assert detail is not None
    assert detail.turns == tuple(played)
    for got, want in zip(detail.turns, played, strict=True):
        assert got.silence == want.silence
        # exact, sign included, except that a zero is always stored as 0.0 (SQLite keeps
        # no sign on zero; the store makes PostgreSQL agree)
        assert math.copysign(1, got.quality) == math.copysign(1, want.quality + 0.0)
        assert [e.also for e in got.effects] == [e.also for e in want.effects]
    assert detail.response_times == tuple(times[: len(played)])
    closing = tuple(e for t in played for e in t.effects)[:3]
    store.finish_attempt(
        attempt_id, ended_at=datetime.now(UTC), outcome="resolved", rating="good",
        cause="ending", score=80, grade="B", passed=True, final_anger=5,
        anger_trace=(50, 5), closing_effects=closing, competencies={"listening": None},
    )  # fmt: skip
    finished = store.attempt_detail(attempt_id)
    assert finished is not None
    assert finished.closing_effects == closing
    assert dict(finished.competencies) == {"listening": None}
