"""Whatever a turn holds comes back exactly: any text, any language, any float.

The one exception is the store's rule for NUL (`NulInText`): text kept in a column of its own
(a node id, a broken principle's id) cannot hold NUL on PostgreSQL, so both databases refuse
such a turn whole, before anything of it is written; text kept as JSON keeps NUL exactly.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.session import Effect, Event, Turn
from game.records.api import AttemptStart, broken_principles
from game.records.store import NulInText, SqlStore
from game.scenario.model import Policy, Text

anything = st.text(max_size=40)  # JSON-stored: lone surrogates and NULs included
plain = st.text(
    st.characters(codec="utf-8"), min_size=1, max_size=30
)  # stored in its own column: NUL included, and refused by the store's rule
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
    kept: list[Turn] = []
    for turn, took in zip(played, times, strict=False):
        event = Event(turn.choice, turn.silence)
        if any("\x00" in text for text in (turn.node, *broken_principles(turn.effects))):
            with pytest.raises(NulInText, match="NUL character"):
                store.record_turn(attempt_id, turn, event, took)
            refused = store.attempt_detail(attempt_id)
            assert refused is not None and refused.turns == tuple(kept)  # nothing of it
            break
        store.record_turn(attempt_id, turn, event, took)
        kept.append(turn)
    played = kept
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


def test_nul_is_refused_in_a_column_and_kept_in_json(store: SqlStore) -> None:
    """Both databases: NUL in a node id is refused in words and stores nothing of the turn;
    NUL in what was said (JSON) comes back exactly; a note with NUL is refused the same way."""
    trainee = store.add_trainee("Nul")
    attempt_id = store.start_attempt(
        AttemptStart(
            trainee.id, "prop", "f" * 64, None, 70, 0, Policy(), "off", "en", datetime.now(UTC)
        )
    )
    said = Text("before\x00after", (("fi", "\x00"),))
    kept = Turn(1, "start", 1, said, (), frozenset(), 50, 40, 0.0, (), 0.5, None)
    store.record_turn(attempt_id, kept, Event(1, 0.0), 1.0)
    bad = Turn(2, "no\x00de", 1, said, (), frozenset(), 40, 30, 0.0, (), 0.5, None)
    with pytest.raises(NulInText, match=r"'node' text contains a NUL character"):
        store.record_turn(attempt_id, bad, Event(1, 0.0), 1.0)
    with pytest.raises(NulInText, match="nothing was saved"):
        store.add_note(attempt_id, "Sam", "see\x00me")
    detail = store.attempt_detail(attempt_id)
    assert detail is not None
    assert detail.turns == (kept,)
    assert detail.turns[0].say == said
    assert detail.notes == ()
