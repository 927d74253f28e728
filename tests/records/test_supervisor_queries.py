"""The supervisor's desk queries on both backends: the paged overview and principle tallies.

Every expectation is recounted here from the raw attempts and turns (`attempts()`,
`attempt_detail()`), never read back from the summary tables under test.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from game.records.api import (
    PAGE_MAX,
    STUCK_AFTER_FAILS,
    AttemptStart,
    AttemptStatus,
    OverviewRow,
    OverviewSort,
    PrincipleTally,
)
from game.records.store import SqlStore, open_store
from game.scenario.model import Policy
from tests.records.play import bad_choices, good_choices, play
from tests.records.test_migrations import undo_v6, undo_v7, undo_v8, undo_v9

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
NAMES = ("Ana Reyes", "ben", "Cy", "Dee Lopez", "100% Sure", "under_score", "Zoë")


def _call(
    store: SqlStore, trainee_id: int, scenario_id: str, when: datetime, passed: bool | None
) -> None:
    """A turnless call on `scenario_id`: passed, failed, or (None) left before the end."""
    attempt = store.start_attempt(
        AttemptStart(trainee_id, scenario_id, "0" * 64, None, 70, 0, Policy(), "off", "en", when)
    )
    if passed is None:
        store.abandon_attempt(attempt, when + timedelta(minutes=3))
        return
    store.finish_attempt(
        attempt, ended_at=when + timedelta(minutes=5), outcome="resolved",
        rating="good" if passed else "bad", cause="ending", score=85 if passed else 40,
        grade="B" if passed else "F", passed=passed, final_anger=20, anger_trace=(60, 20),
        closing_effects=(), competencies={},
    )  # fmt: skip


def _desk(store: SqlStore) -> dict[str, int]:
    """Trainees with different histories: stuck, passing, idle, a bit of everything."""
    ids = {name: store.add_trainee(name).id for name in NAMES}
    day = timedelta(days=1)
    for k in range(STUCK_AFTER_FAILS):  # stuck at level-01
        _call(store, ids["Ana Reyes"], "level-01", T0 + k * day, False)
    _call(store, ids["Ana Reyes"], "level-02", T0 + 4 * day, True)
    for k, sid in enumerate(("level-01", "level-02", "level-03")):  # three passed
        _call(store, ids["ben"], sid, T0 + k * day, True)
    for k in range(STUCK_AFTER_FAILS):  # failed a lot, then passed: not stuck
        _call(store, ids["Dee Lopez"], "level-01", T0 + (6 + k) * day, False)
    _call(store, ids["Dee Lopez"], "level-01", T0 + 10 * day, True)
    _call(store, ids["Dee Lopez"], "level-02", T0 + 11 * day, False)
    for k in range(STUCK_AFTER_FAILS):  # stuck at two levels
        _call(store, ids["100% Sure"], "level-01", T0 + (2 + k) * day, False)
        _call(store, ids["100% Sure"], "level-02", T0 + (2 + k) * day, False)
    _call(store, ids["under_score"], "level-01", T0 + 12 * day, None)  # left before the end
    _call(store, ids["Zoë"], "level-01", T0 + 3 * day, False)
    # Cy has no attempts at all
    return ids


def _recount(store: SqlStore) -> dict[int, dict[str, object]]:
    """Per trainee, from the raw attempts: what each sort orders by."""
    out: dict[int, dict[str, object]] = {}
    everything = store.attempts()
    for trainee in store.trainees():
        mine = [a for a in everything if a.trainee_id == trainee.id]
        done = [a for a in mine if a.status is AttemptStatus.COMPLETED]
        passed = {a.scenario_id for a in done if a.passed}
        failing = Counter(
            a.scenario_id for a in done if not a.passed and a.scenario_id not in passed
        )
        times = [a.ended_at or a.started_at for a in mine] + [a.started_at for a in mine]
        out[trainee.id] = {
            "key": trainee.name.casefold(),
            "passed": len(passed),
            "stuck": sum(1 for n in failing.values() if n >= STUCK_AFTER_FAILS),
            "failing": sum(failing.values()),
            "last": max(times) if times else None,
            "attempts": len(mine),
            "stuck_levels": sorted(s for s, n in failing.items() if n >= STUCK_AFTER_FAILS),
        }
    return out


def _expected(store: SqlStore, sort: OverviewSort, descending: bool) -> list[int]:
    facts = _recount(store)

    def by(tid: int) -> tuple[object, ...]:
        f = facts[tid]
        if sort is OverviewSort.ACTIVITY:
            last = f["last"]
            stamp = last.timestamp() if isinstance(last, datetime) else float("-inf")
            return (-stamp if descending else stamp,)
        if sort is OverviewSort.PASSED:
            n = int(str(f["passed"]))
            return (-n if descending else n,)
        stuck, failing = int(str(f["stuck"])), int(str(f["failing"]))
        return (-stuck, -failing) if descending else (stuck, failing)

    ids = sorted(facts, key=lambda tid: (str(facts[tid]["key"]), tid))  # the tie-breaker
    if sort is OverviewSort.NAME:
        return ids[::-1] if descending else ids
    return sorted(ids, key=by)  # stable: ties stay in name order


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", list(OverviewSort), ids=[s.value for s in OverviewSort])
def test_overview_page_sorts_like_a_recount_of_the_attempts(
    store: SqlStore, sort: OverviewSort, descending: bool
) -> None:
    _desk(store)
    rows, total = store.overview_page(sort.value, descending, 0, PAGE_MAX)
    assert total == len(NAMES)
    assert [r.trainee.id for r in rows] == _expected(store, sort, descending)


def test_overview_page_rows_match_the_full_overview_and_the_recount(store: SqlStore) -> None:
    ids = _desk(store)
    rows, _ = store.overview_page("name", False, 0, PAGE_MAX)
    assert rows == store.overview()  # the same values the reports use, in name order
    facts = _recount(store)
    for row in rows:
        f = facts[row.trainee.id]
        assert row.attempts == f["attempts"]
        assert sorted(row.stuck_levels) == f["stuck_levels"]
        assert sum(1 for b in row.levels.values() if b.passed) == f["passed"]
    by_name = {r.trainee.name: r for r in rows}
    assert by_name["Ana Reyes"].stuck_levels == ("level-01",)
    assert sorted(by_name["100% Sure"].stuck_levels) == ["level-01", "level-02"]
    assert by_name["Dee Lopez"].stuck_levels == ()
    assert by_name["Cy"].levels == {} and by_name["Cy"].last_activity is None
    assert ids["Cy"] == by_name["Cy"].trainee.id


def test_needs_coaching_puts_the_stuck_first(store: SqlStore) -> None:
    _desk(store)
    rows, _ = store.overview_page("coaching", True, 0, 3)
    assert [r.trainee.name for r in rows] == ["100% Sure", "Ana Reyes", "Dee Lopez"]
    assert [len(r.stuck_levels) for r in rows] == [2, 1, 0]


@pytest.mark.parametrize("sort", list(OverviewSort), ids=[s.value for s in OverviewSort])
def test_pages_put_together_are_the_whole_sorted_list(store: SqlStore, sort: OverviewSort) -> None:
    _desk(store)
    whole, _ = store.overview_page(sort.value, True, 0, PAGE_MAX)
    pieces: list[OverviewRow] = []
    for offset in range(0, len(NAMES) + 2, 2):
        page, total = store.overview_page(sort.value, True, offset, 2)
        assert total == len(NAMES)
        assert len(page) == max(0, min(2, len(NAMES) - offset))
        pieces.extend(page)
    assert pieces == list(whole)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        # diacritics are ignored too (issue 18): "e" finds "Zoë", as "yilmaz" finds "Yılmaz"
        ("E", ["Ana Reyes", "ben", "Dee Lopez", "100% Sure", "under_score", "Zoë"]),
        ("  dee   LOPEZ ", ["Dee Lopez"]),
        ("%", ["100% Sure"]),  # LIKE wildcards are matched literally
        ("_", ["under_score"]),
        ("zoë", ["Zoë"]),
        ("ZOE", ["Zoë"]),
        ("nobody", []),
        ("", list(NAMES)),
    ],
)
def test_overview_page_search(store: SqlStore, search: str, expected: list[str]) -> None:
    _desk(store)
    rows, total = store.overview_page("name", False, 0, 3, search=search)
    everyone = [r.trainee.name for r in store.overview()]
    wanted = [n for n in everyone if n in expected]  # in name order
    assert total == len(expected)
    assert [r.trainee.name for r in rows] == wanted[:3]


def test_overview_page_refuses_bad_arguments(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="OverviewSort"):
        store.overview_page("shoe size", False, 0, 10)
    for offset, limit in ((-1, 10), (0, 0), (0, PAGE_MAX + 1)):
        with pytest.raises(ValueError, match="offset must be"):
            store.overview_page("name", False, offset, limit)


def test_an_empty_database_has_an_empty_overview_page(store: SqlStore) -> None:
    assert store.overview_page("coaching", True, 0, 10) == ((), 0)
    store.add_trainee("Solo")
    rows, total = store.overview_page("coaching", True, 5, 10)  # past the end
    assert (rows, total) == ((), 1)


# ---- principle tallies ----------------------------------------------------------------------


def recount_principles(store: SqlStore, trainee_id: int) -> Counter[str]:
    """Turns per broken principle, from every recorded turn's effects."""
    counts: Counter[str] = Counter()
    for attempt in store.attempts(trainee_id=trainee_id):
        detail = store.attempt_detail(attempt.id)
        assert detail is not None
        for turn in detail.turns:
            counts.update(
                {
                    e.principle
                    for e in turn.effects
                    if e.principle is not None and e.quality is not None and e.quality < 0
                }
            )
    return counts


def _tallies(store: SqlStore, trainee_id: int) -> dict[str, int]:
    return {t.principle: t.broken for t in store.weakest_principles(trainee_id, limit=1000)}


def test_principle_tallies_match_a_recount_of_the_turns(store: SqlStore) -> None:
    ana = store.add_trainee("Ana").id
    ben = store.add_trainee("Ben").id
    play(store, ana, bad_choices(), seed=1)
    play(store, ana, bad_choices(), seed=2)
    play(store, ana, good_choices(), seed=3)
    play(store, ana, bad_choices(), seed=4, stop_after=2)  # still in progress: its turns count
    play(store, ben, good_choices(), seed=5)
    expected = recount_principles(store, ana)
    assert expected, "the bad plan should break some principle"
    assert _tallies(store, ana) == dict(expected)
    assert _tallies(store, ben) == dict(recount_principles(store, ben))
    top = store.weakest_principles(ana, limit=2)
    ordered = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    assert top == tuple(PrincipleTally(p, n) for p, n in ordered)
    assert store.weakest_principles(9999) == ()


def test_principle_tallies_are_exact_under_concurrent_writers(store: SqlStore) -> None:
    """Four games recording turns for the same trainee at once lose no count."""
    ana = store.add_trainee("Ana").id
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        try:
            with open_store(store.url) as own:  # a separate store, like another game
                for k in range(3):
                    play(own, ana, bad_choices(), seed=seed * 10 + k)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert len(store.attempts(trainee_id=ana)) == 12
    assert _tallies(store, ana) == dict(recount_principles(store, ana))


def test_the_v5_migration_backfills_the_tallies_from_the_turns(store: SqlStore) -> None:
    ana = store.add_trainee("Ana").id
    ben = store.add_trainee("Ben").id
    play(store, ana, bad_choices(), seed=1)
    play(store, ana, good_choices(), seed=2)
    play(store, ben, bad_choices(), seed=3, stop_after=3)
    kept = {tid: _tallies(store, tid) for tid in (ana, ben)}
    assert kept[ana] and kept[ben]
    with store.engine.begin() as conn:  # back to how a version 4 database looks
        undo_v9(conn)
        undo_v8(conn)
        conn.execute(text("DROP TABLE principle_stats"))
        undo_v7(conn)
        undo_v6(conn)
        conn.execute(text("DELETE FROM schema_version WHERE version >= 5"))
    with open_store(store.url) as migrated:
        for tid in (ana, ben):
            assert _tallies(migrated, tid) == kept[tid] == dict(recount_principles(migrated, tid))
