"""The cohort's choice map, progress and principle trends, on both databases.

A known set of attempts is written through the real store (turn by turn, so the trigger
counts them); the expected shares, deltas and trends are worked out here from the engine's
own turns and debriefs, independently of the tallies.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from game.engine.scoring import debrief, verdict_for
from game.engine.session import SessionState, play_choices
from game.records import analytics
from game.records.analytics import Window
from game.records.api import AttemptStart, RecordNotFound, broken_principles
from game.records.database import tally_choices
from game.records.recorder import finish_from_debrief
from game.records.store import SqlStore
from tests.catalog import CATALOG
from tests.records.play import bad_choices, good_choices, play, scenario
from tests.records.test_room import Cohort, cohort, pg_room  # noqa: F401  (fixtures)

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday: week one
GOOD, BAD = good_choices(), bad_choices()


def record(
    store: SqlStore, trainee_id: int, choices: tuple[int, ...], when: datetime
) -> SessionState:
    """One attempt written the way the game writes it: start, each turn, finish."""
    level = scenario()
    state = play_choices(level, list(choices), catalog=CATALOG)
    attempt_id = store.start_attempt(
        AttemptStart(trainee_id, level.id, level.content_hash, 1, 70, 0, state.policy,
                     "off", "en", when, state.catalog_hash)
    )  # fmt: skip
    for turn, event in zip(state.turns, state.events, strict=False):
        store.record_turn(attempt_id, turn, event, 1.0)
    finish_from_debrief(
        store, attempt_id, debrief(level, state, 70, catalog=CATALOG), ended_at=when
    )
    return state


@pytest.fixture
def room(store: SqlStore) -> dict[str, object]:
    """Ana (Nov): bad then good; Ben (Nov): good; Cem (Dec): bad. Cem plays a week later."""
    ana, ben, cem = (store.add_trainee(n) for n in ("Ana", "Ben", "Cem"))
    store.set_cohort(ana.id, "Nov")
    store.set_cohort(ben.id, " Nov ")
    store.set_cohort(cem.id, "Dec")
    plays = {
        "ana1": record(store, ana.id, BAD, MONDAY),
        "ana2": record(store, ana.id, GOOD, MONDAY + timedelta(days=1)),
        "ben1": record(store, ben.id, GOOD, MONDAY + timedelta(days=2)),
        "cem1": record(store, cem.id, BAD, MONDAY + timedelta(days=8)),
    }
    return {"ana": ana, "ben": ben, "cem": cem, **plays}


def _reply(point: analytics.DecisionPoint, number: int) -> analytics.ReplyShare:
    return next(r for r in point.replies if r.choice == number)


def test_the_opening_shares_verdicts_anger_and_paths(
    store: SqlStore, room: dict[str, object]
) -> None:
    level = scenario()
    found = store.choice_map(level.id, scenario=level)
    opening = next(p for p in found.points if p.node == level.start)
    good_turn = room["ben1"].turns[0]  # type: ignore[attr-defined]
    bad_turn = room["cem1"].turns[0]  # type: ignore[attr-defined]
    good, bad = _reply(opening, GOOD[0]), _reply(opening, BAD[0])
    assert found.attempts_reaching == opening.visits == 4
    assert (good.picks, bad.picks) == (2, 2) and good.share == bad.share == 0.5
    # first attempts: Ana bad, Ben good, Cem bad; latest: Ana good, Ben good, Cem bad
    assert opening.first_visits == opening.latest_visits == 3
    assert (good.first, bad.first) == (1, 2)
    assert good.first_share == pytest.approx(1 / 3) and bad.first_share == pytest.approx(2 / 3)
    assert (good.latest, bad.latest) == (2, 1)
    assert good.latest_share == pytest.approx(2 / 3)
    assert good.verdict == verdict_for(good_turn.quality)
    assert bad.verdict == verdict_for(bad_turn.quality)
    assert good.anger_on_arrival == good_turn.anger_before
    assert good.leads_to == ((room["ben1"].turns[1].node, 2),)  # type: ignore[attr-defined]
    assert bad.leads_to == ((room["cem1"].turns[1].node, 2),)  # type: ignore[attr-defined]
    unpicked = [r for r in opening.replies if r.choice not in (GOOD[0], BAD[0])]
    assert unpicked and all(r.picks == 0 and r.verdict is None for r in unpicked)
    assert {r.choice for r in opening.replies} == {
        c.number for c in level.node(level.start).choices
    }


def test_where_most_go_wrong_first(store: SqlStore, room: dict[str, object]) -> None:
    level = scenario()
    found = store.choice_map(level.id, scenario=level)
    expected: dict[str, tuple[int, int]] = {}
    for key in ("ana1", "ben1", "cem1"):  # each trainee's first attempt
        for turn in room[key].turns:  # type: ignore[attr-defined]
            wrong, seen = expected.get(turn.node, (0, 0))
            expected[turn.node] = (wrong + (verdict_for(turn.quality) in ("poor", "bad")), seen + 1)
    for point in found.points:
        wrong, seen = expected.get(point.node, (0, 0))
        assert point.first_visits == seen
        assert point.wrong_first_share == pytest.approx(wrong / seen if seen else 0.0)
    shares = [p.wrong_first_share for p in found.hardest]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0


def test_cohort_and_date_filters(store: SqlStore, room: dict[str, object]) -> None:
    level = scenario()

    def opening(window: Window) -> analytics.DecisionPoint:
        found = store.choice_map(level.id, window, scenario=level)
        return next(p for p in found.points if p.node == level.start)

    nov = opening(Window(cohort="Nov"))
    assert (nov.visits, nov.first_visits, nov.latest_visits) == (3, 2, 2)
    assert _reply(nov, GOOD[0]).latest_share == 1.0
    assert _reply(nov, BAD[0]).first_share == 0.5
    week_one = opening(Window(since=date(2026, 11, 2), until=date(2026, 11, 9)))
    assert week_one.visits == 3 and _reply(week_one, BAD[0]).picks == 1
    assert opening(Window(since=date(2026, 11, 20))).visits == 0
    # moving Cem into Nov moves his counts with him
    store.set_cohort(room["cem"].id, "Nov")  # type: ignore[attr-defined]
    assert opening(Window(cohort="Nov")).visits == 4
    assert opening(Window(cohort="Dec")).visits == 0
    assert store.cohorts() == (("Nov", 3),)


def test_progress_first_versus_latest(store: SqlStore, room: dict[str, object]) -> None:
    level = scenario()
    scores = {
        k: debrief(level, room[k], 70, catalog=CATALOG) for k in ("ana1", "ana2", "ben1", "cem1")
    }  # type: ignore[arg-type]
    found = store.level_progress(level.id)
    by_name = {t.name: t for t in found.trainees}
    ana = by_name["Ana"]
    assert (ana.first_score, ana.latest_score) == (scores["ana1"].score, scores["ana2"].score)
    assert ana.score_change == scores["ana2"].score - scores["ana1"].score > 0
    assert ana.completed == 2 and by_name["Ben"].score_change == 0
    competency = scores["ana1"].competencies[0]
    latest = next(c for c in scores["ana2"].competencies if c.id == competency.id)
    if competency.score is not None and latest.score is not None:
        assert ana.competency_change(competency.id) == latest.score - competency.score
    assert found.change_mean == pytest.approx(ana.score_change / 3)
    nov = store.level_progress(level.id, Window(cohort="Nov"))
    assert [t.name for t in nov.trainees] == ["Ana", "Ben"]
    later = store.level_progress(level.id, Window(since=date(2026, 11, 3)))
    assert {t.name: t.completed for t in later.trainees} == {"Ana": 1, "Ben": 1, "Cem": 1}


def test_principles_broken_week_by_week(store: SqlStore, room: dict[str, object]) -> None:
    weeks = {"ana1": date(2026, 11, 2), "ana2": date(2026, 11, 2), "ben1": date(2026, 11, 2),
             "cem1": date(2026, 11, 9)}  # fmt: skip
    broken: Counter[tuple[str, date]] = Counter()
    turns: Counter[date] = Counter()
    for key, week in weeks.items():
        for turn in room[key].turns:  # type: ignore[attr-defined]
            turns[week] += 1
            for principle in broken_principles(turn.effects):
                broken[(principle, week)] += 1
    totals = Counter[str]()
    for (principle, _), count in broken.items():
        totals[principle] += count
    found = store.principle_trends(scenario_id=scenario().id, limit=50)
    assert {t.principle: t.broken for t in found} == dict(totals)
    for trend in found:
        assert [w.week for w in trend.weeks] == sorted(turns)
        for w in trend.weeks:
            assert (w.broken, w.turns) == (broken[(trend.principle, w.week)], turns[w.week])


def test_the_trigger_and_the_rebuild_agree(store: SqlStore, room: dict[str, object]) -> None:
    tables = ("choice_tallies", "path_tallies", "principle_tallies", "latest_attempts")

    def snapshot() -> dict[str, list[tuple[object, ...]]]:
        with store.engine.connect() as conn:
            return {
                t: sorted(
                    tuple(r)
                    for r in conn.execute(text(f"SELECT * FROM {t}")).all()
                    if t == "latest_attempts" or r[-1] != 0
                )
                for t in tables
            }

    live = snapshot()
    assert live["choice_tallies"]
    with store.engine.begin() as conn:
        tally_choices(conn)
    assert snapshot() == live


def test_cohort_names_are_checked(store: SqlStore) -> None:
    trainee = store.add_trainee("Dee")
    assert store.set_cohort(trainee.id, "   ") is None
    with pytest.raises(analytics.CohortError, match="at most"):
        store.set_cohort(trainee.id, "x" * 101)
    with pytest.raises(analytics.CohortError, match="control"):
        store.set_cohort(trainee.id, "a\x00b")


def test_on_a_room_only_supervisors_read_the_analytics(request: pytest.FixtureRequest) -> None:
    """Ana's login adds her turns to the room's tallies (the trigger runs as the tables'
    owner) but can neither read them nor move anyone between cohorts."""
    room: Cohort = request.getfixturevalue("cohort")
    from game.records.api import AccessRefused

    level = scenario()
    play(room.ana, room.ana_id, bad_choices())
    with pytest.raises(AccessRefused, match="may not"):
        room.ana.choice_map(level.id)
    with pytest.raises(AccessRefused, match="may not"):
        room.ana.principle_trends()
    with pytest.raises((AccessRefused, RecordNotFound)):
        room.ana.set_cohort(room.ana_id, "Mine")
    assert room.supervisor.set_cohort(room.ana_id, "Nov") == "Nov"
    found = room.supervisor.choice_map(level.id, scenario=level)
    opening = next(p for p in found.points if p.node == level.start)
    assert (opening.visits, opening.first_visits) == (2, 2)  # Ben's good call and Ana's
    assert _reply(opening, BAD[0]).picks == 1
    nov = room.supervisor.choice_map(level.id, Window(cohort="Nov"))
    assert sum(p.visits for p in nov.points) == len(bad_choices())
