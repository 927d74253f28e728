"""Supervisor queries on a big SQLite records database, against a `SELECT 1` floor.

Data: 1,000 trainees, 100,000 attempts, 2,000,000 turns (20 per attempt on average), built
once with bulk inserts from real engine turns and debriefs and cached under /tmp (keyed by
the schema version and the sizes), then opened through `open_store` like the game does.

Measured, each over repeated runs in one process (p50 and p95, wall time):
  floor      a `SELECT 1` round trip through the store's read path
  overview   `overview()`: every trainee with their level bests (the supervisor's front page),
             refreshed after 10 trainees ended a call, refreshed with nothing changed, and
             cold (the first call of a freshly opened store, which reads every row)
  page       `overview_page()`: one screenful (12 rows) of the supervisor's desk, sorted in
             SQL: `cold` is the first call of a freshly opened store (opened just before,
             the open itself not timed), `sorted` a random sort, direction and page
  trainee    a trainee's page on the desk: `attempts(trainee_id=…)` + `level_bests()` +
             `competency_averages()` + `weakest_principles()` for a random trainee
  detail     `attempt_detail()` of a random attempt (its turns restored)
  level      a level's page of the cohort analytics: `choice_map()` + `level_progress()` +
             `principle_trends()` of a random level, for everyone, one cohort (of 10), or
             one cohort over a two-week range; on SQLite and on PostgreSQL (the same rows
             copied to a throwaway server, as the tests start one), each with its own floor

Targets: overview refresh, overview page (cold and sorted) and trainee page p95 ≤ 50 ms
each; a level's analytics page p95 ≤ 100 ms on both databases; exit status 1 when missed.
The bench's own writes are removed afterwards, so the cached database stays as built.
Usage: python bench/records.py [--rebuild] [--runs N] [--no-pg]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.engine.catalog import load_catalog
from game.engine.scoring import debrief, grade_for
from game.engine.session import SessionState, play_choices, turn_to_json
from game.paths import scenarios_dir
from game.records.analytics import Window
from game.records.api import AttemptStart, OverviewSort
from game.records.database import (
    SCHEMA_VERSION,
    backfill_principles,
    backfill_summaries,
    create_choice_trigger,
    tally_choices,
)
from game.records.store import SqlStore, open_store
from game.scenario.loader import load_scenario
from game.scenario.model import Policy

TRAINEES = 1_000
ATTEMPTS = 100_000
TURNS_PER_ATTEMPT = (10, 30)  # uniform: 20 on average, 2,000,000 in all
LEVELS = 13
TARGET_P95_MS = 50.0
LEVEL_TARGET_P95_MS = 100.0  # a level's analytics page (choice map, progress, trends)
COHORTS = 10
PAGE_ROWS = 12  # what the desk's overview shows at once
BATCH = 50_000
T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def stamp(when: datetime) -> str:
    """The store's SQLite timestamp form (see game.records.database.UtcDateTime)."""
    return when.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def cohort_of(trainee: int) -> str:
    return f"Intake {trainee % COHORTS + 1:02d}"


def cache_path() -> Path:
    name = f"htl-bench-records-v{SCHEMA_VERSION}-{TRAINEES}x{ATTEMPTS}-{sum(TURNS_PER_ATTEMPT)}.db"
    return Path(tempfile.gettempdir()) / name


def real_plays() -> list[tuple[SessionState, str, str, str]]:
    """Finished conversations from the engine, with their scored JSON: the turns to copy."""
    scenario = load_scenario(scenarios_dir() / "late-delivery.yaml")
    catalog = load_catalog()  # a benchmark is a host: it loads the catalog and passes it
    out = []
    for choices in ([1, 1, 1, 1, 1, 1, 1, 1], [4, 2, 2, 2], [1, 1, 1, 1, 1, 1, 2, 1]):
        state = play_choices(scenario, choices, catalog=catalog)
        report = debrief(scenario, state, catalog=catalog)
        competencies = json.dumps({c.id: c.score for c in report.competencies})
        trace = json.dumps(list(report.anger_trace))
        closing = json.dumps([asdict(e) for e in report.closing_effects])
        out.append((state, competencies, trace, closing))
    return out


def build(path: Path) -> None:
    """Create the schema through the store, then bulk-load with the raw driver."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    partial = path.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    open_store(f"sqlite:///{partial}").close()
    rng = random.Random(20261122)
    plays = real_plays()
    templates = [
        (t.node, t.choice, json.dumps(d["say"]), json.dumps(d["techniques"]),
         json.dumps(d["tags"]), t.anger_before, t.anger_after, t.silence,
         json.dumps(d["effects"]), t.quality)
        for state, *_ in plays
        for t in state.turns
        for d in (turn_to_json(t),)
    ]  # fmt: skip
    levels = [f"level-{n:02d}" for n in range(1, LEVELS + 1)]
    raw = sqlite3.connect(partial, isolation_level=None)
    raw.execute("PRAGMA synchronous = OFF")
    raw.execute("DROP TRIGGER htl_tally_turn")  # bulk load: the tallies are counted once below
    raw.execute("BEGIN")
    raw.executemany(
        "INSERT INTO trainees (id, name, name_key, search_key, created_at, last_active,"
        " attempt_count, cohort) VALUES (?, ?, ?, ?, ?, NULL, 0, ?)",
        ((i, f"Trainee {i:04d}", f"trainee {i:04d}", f"trainee {i:04d}", stamp(T0),
          cohort_of(i))
         for i in range(1, TRAINEES + 1)),
    )  # fmt: skip

    def attempts_and_turns() -> Iterator[tuple[tuple[object, ...], list[tuple[object, ...]]]]:
        per = ATTEMPTS // TRAINEES
        attempt_id = 0
        for trainee in range(1, TRAINEES + 1):
            when = T0 + timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
            skill = rng.uniform(-15, 15)
            for k in range(per):
                attempt_id += 1
                level = min(LEVELS, 1 + k // 8 + rng.choice((0, 0, 0, 1)))
                when += timedelta(minutes=rng.randrange(20, 60 * 24))
                count = rng.randint(*TURNS_PER_ATTEMPT)
                status = "abandoned" if rng.random() < 0.05 else "completed"
                state, competencies, trace, closing = plays[rng.randrange(len(plays))]
                score = max(0, min(100, round(rng.gauss(72 + skill, 14))))
                passed = score >= 70 and rng.random() < 0.9
                grade = grade_for(score)
                done = status == "completed"
                ended = when + timedelta(seconds=count * rng.uniform(6, 15))
                attempt = (
                    attempt_id, trainee, levels[level - 1], "0" * 64, level, 70,
                    rng.randrange(2**31), "warn_then_end", "honor", "normal", "en", status,
                    stamp(when), stamp(ended), count,
                    "resolved" if done else None, ("good" if passed else "bad") if done else None,
                    "ending" if done else None, score if done else None, grade if done else None,
                    passed if done else None, state.anger if done else None,
                    trace if done else None, competencies if done else None,
                    closing if done else None, None, None, "bench", 1, stamp(ended),
                )  # fmt: skip
                rows = []
                for n in range(count):
                    t = templates[(attempt_id + n) % len(templates)]
                    rows.append(
                        (attempt_id, n + 1, *t, rng.uniform(0.4, 12.0),
                         stamp(when + timedelta(seconds=10 * n)))
                    )  # fmt: skip
                yield attempt, rows

    attempt_sql = (
        "INSERT INTO attempts (id, trainee_id, scenario_id, content_hash, level, pass_score,"
        " seed, abusive_caller, supervisor_request, timer, lang, status, started_at, ended_at,"
        " turn_count, outcome, rating, cause, score, grade, passed, final_anger, anger_trace,"
        " competencies, closing_effects, timeout_silence, owner, host, pid, updated_at)"
        " VALUES (" + ", ".join("?" * 30) + ")"
    )
    turn_sql = (
        "INSERT INTO turns (attempt_id, number, node, choice, say, techniques, tags,"
        " anger_before, anger_after, silence, effects, quality, response_time, recorded_at)"
        " VALUES (" + ", ".join("?" * 14) + ")"
    )
    pending_a: list[tuple[object, ...]] = []
    pending_t: list[tuple[object, ...]] = []
    for attempt, rows in attempts_and_turns():
        pending_a.append(attempt)
        pending_t.extend(rows)
        if len(pending_t) >= BATCH:
            raw.executemany(attempt_sql, pending_a)
            raw.executemany(turn_sql, pending_t)
            pending_a.clear()
            pending_t.clear()
    raw.executemany(attempt_sql, pending_a)
    raw.executemany(turn_sql, pending_t)
    raw.execute("COMMIT")
    raw.close()
    # The summaries through the store's own code, as the v2 and v5 migrations fill them.
    with open_store(f"sqlite:///{partial}") as store, store.engine.begin() as conn:
        backfill_summaries(conn)
        backfill_principles(conn)
        tally_choices(conn)
        create_choice_trigger(conn)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(path)


def measure(fn: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def end_calls(store: SqlStore, rng: random.Random, count: int) -> list[int]:
    """`count` random trainees each finish a (turnless) call: what a supervisor refresh sees."""
    made = []
    for _ in range(count):
        trainee_id = rng.randint(1, TRAINEES)
        now = datetime.now(UTC)
        attempt_id = store.start_attempt(
            AttemptStart(trainee_id, "level-01", "0" * 64, 1, 70, 0, Policy(), "off", "en", now)
        )
        store.finish_attempt(
            attempt_id, ended_at=now, outcome="resolved", rating="good", cause="ending",
            score=rng.randint(40, 100), grade="C", passed=True, final_anger=10,
            anger_trace=(60, 10), closing_effects=(), competencies={},
        )  # fmt: skip
        made.append(attempt_id)
    return made


def undo_calls(store: SqlStore, made: list[int]) -> None:
    """Leave the cached database as it was built: drop the bench's calls, recount."""
    if not made:
        return
    with store.engine.begin() as conn:
        for start in range(0, len(made), 500):
            chunk = ", ".join(str(i) for i in made[start : start + 500])
            conn.exec_driver_sql(f"DELETE FROM attempts WHERE id IN ({chunk})")
        backfill_summaries(conn)


def run(store: SqlStore, url: str, runs: int) -> tuple[dict[str, list[float]], list[int]]:
    rng = random.Random(5)
    engine = store.engine
    made: list[int] = []

    def floor() -> None:
        with engine.connect() as conn, conn.begin():
            conn.exec_driver_sql("SELECT 1").scalar()

    def trainee_page() -> None:
        trainee_id = rng.randint(1, TRAINEES)
        store.attempts(trainee_id=trainee_id)
        store.level_bests(trainee_id)
        store.competency_averages(trainee_id)
        store.weakest_principles(trainee_id)

    sorts = tuple(OverviewSort)

    def sorted_page() -> None:
        rows, total = store.overview_page(
            rng.choice(sorts).value,
            rng.random() < 0.5,
            rng.randrange(0, TRAINEES // PAGE_ROWS) * PAGE_ROWS,
            PAGE_ROWS,
        )
        assert len(rows) == PAGE_ROWS and total == TRAINEES

    def detail() -> None:
        store.attempt_detail(rng.randint(1, ATTEMPTS))

    level_page = level_page_for(store, rng)

    for fn in (floor, store.overview, sorted_page, trainee_page, detail, level_page):  # warm
        measure(fn, 3)
    names = (
        "floor", "overview", "overview_changed", "overview_cold", "page_cold", "page_sorted",
        "trainee", "detail", "level",
    )  # fmt: skip
    results: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(runs):  # interleaved, so load changes on the machine hit all alike
        results["floor"] += measure(floor, 5)
        results["overview"] += measure(store.overview, 1)
        made += end_calls(store, rng, 10)
        results["overview_changed"] += measure(store.overview, 1)
        if round_ % 5 == 0:  # a supervisor opening the screen in a fresh game
            with open_store(url) as fresh:
                results["overview_cold"] += measure(fresh.overview, 1)
        with open_store(url) as fresh:  # a supervisor opening the desk in a fresh game
            results["page_cold"] += measure(
                lambda: fresh.overview_page("coaching", True, 0, PAGE_ROWS), 1
            )
        results["page_sorted"] += measure(sorted_page, 3)
        results["trainee"] += measure(trainee_page, 3)
        results["detail"] += measure(detail, 2)
        results["level"] += measure(level_page, 3)
    return results, made


def level_page_for(store: SqlStore, rng: random.Random) -> Callable[[], object]:
    """A level's analytics page: its choice map, progress and principle trends, for a random
    level and window (everyone; one cohort; one cohort over two weeks)."""

    def level_page() -> object:
        level = f"level-{rng.randint(1, LEVELS):02d}"
        kind = rng.randrange(3)
        cohort = None if kind == 0 else cohort_of(rng.randint(1, TRAINEES))
        since = until = None
        if kind == 2:
            since = (T0 + timedelta(days=rng.randrange(0, 60))).date()
            until = since + timedelta(days=14)
        window = Window(cohort, since, until)
        found = store.choice_map(level, window)
        progress = store.level_progress(level, window)
        trends = store.principle_trends(window, scenario_id=level)
        assert kind == 2 or (found.points and progress.trainees and trends)
        return found

    return level_page


def measure_postgresql(sqlite_path: Path, runs: int) -> dict[str, list[float]] | str:
    """The floor and the level page on PostgreSQL, over the same rows; or why it was skipped."""
    from tests.pg import _Throwaway

    local = _Throwaway()
    why = local.missing()
    if why is not None:
        return why
    server = local.start()
    try:
        url = server.create_database()
        started = time.perf_counter()
        copy_to_postgresql(sqlite_path, url)
        print(f"  copied to PostgreSQL in {time.perf_counter() - started:.1f} s", flush=True)
        rng = random.Random(7)
        with open_store(url) as store:
            engine = store.engine

            def floor() -> None:
                with engine.connect() as conn, conn.begin():
                    conn.exec_driver_sql("SELECT 1").scalar()

            level_page = level_page_for(store, rng)
            measure(floor, 5)
            measure(level_page, 5)
            results: dict[str, list[float]] = {"floor": [], "level": []}
            for _ in range(runs):
                results["floor"] += measure(floor, 5)
                results["level"] += measure(level_page, 3)
        return results
    finally:
        local.stop()


def copy_to_postgresql(sqlite_path: Path, pg_url: str) -> None:
    """The same rows in PostgreSQL: tables made by the store, rows copied with COPY (the
    turns trigger off meanwhile: the tallies are copied as they are)."""
    import psycopg
    from sqlalchemy import create_engine, select

    from game.records.database import METADATA

    open_store(pg_url).close()
    source = create_engine(f"sqlite:///{sqlite_path}")
    libpq = pg_url.replace("postgresql+psycopg://", "postgresql://")
    with source.connect() as src, psycopg.connect(libpq) as dst:
        dst.execute("ALTER TABLE turns DISABLE TRIGGER htl_tally_turn")
        for table in METADATA.sorted_tables:
            if table.name in ("schema_version", "settings"):
                continue
            names = [c.name for c in table.c]
            with dst.cursor().copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
                for row in src.execution_options(yield_per=20_000).execute(select(table)):
                    copy.write_row(tuple(row))
        dst.execute("ALTER TABLE turns ENABLE TRIGGER htl_tally_turn")
        for table in ("trainees", "attempts"):
            dst.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        dst.commit()
        dst.autocommit = True
        dst.execute("VACUUM ANALYZE")  # what autovacuum does to a table written over time
    source.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL level page")
    args = parser.parse_args()
    path = cache_path()
    if args.rebuild or not path.exists():
        print(f"building {path} ...", flush=True)
        started = time.perf_counter()
        build(path)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    size_mb = path.stat().st_size / 1e6
    with tempfile.TemporaryDirectory(prefix="htl-bench-") as home:
        os.environ["HOLD_THE_LINE_HOME"] = home
        url = f"sqlite:///{path}"
        with open_store(url) as store:
            with store.engine.connect() as conn:
                counts = [
                    conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar()
                    for t in ("trainees", "attempts", "turns")
                ]
            rows = store.overview()
            assert len(rows) == TRAINEES
            made: list[int] = []
            try:
                results, made = run(store, url, args.runs)
            finally:
                undo_calls(store, made)
    pg_results = None if args.no_pg else measure_postgresql(path, max(10, args.runs // 2))
    floor50 = statistics.median(results["floor"])
    print(
        f"records: {counts[0]:,} trainees, {counts[1]:,} attempts, {counts[2]:,} turns"
        f" in SQLite ({size_mb:,.0f} MB), {args.runs} rounds"
    )
    ok = True
    for name, label in (
        ("floor", "SELECT 1 floor"),
        ("overview_changed", "overview() 10 new"),
        ("overview", "overview() same"),
        ("overview_cold", "overview() cold"),
        ("page_cold", "overview_page cold"),
        ("page_sorted", "overview_page sort"),
        ("trainee", "trainee page"),
        ("detail", "attempt_detail()"),
        ("level", "level analytics"),
    ):
        values = results[name]
        p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
        line = f"  {label:<20} p50 {p50:8.3f} ms   p95 {p95:8.3f} ms   ({len(values)} runs)"
        if name != "floor":
            line += f"   p95 = {p95 / floor50:,.0f}x the floor"
        if name in ("overview", "overview_changed", "page_cold", "page_sorted", "trainee"):
            met = p95 <= TARGET_P95_MS
            ok = ok and met
            line += "   ok" if met else f"   MISSES {TARGET_P95_MS:.0f} ms"
        if name == "level":
            met = p95 <= LEVEL_TARGET_P95_MS
            ok = ok and met
            line += "   ok" if met else f"   MISSES {LEVEL_TARGET_P95_MS:.0f} ms"
        print(line)
    if pg_results is not None:
        if isinstance(pg_results, str):
            print(f"  PostgreSQL skipped: {pg_results}")
        else:
            pg_floor = statistics.median(pg_results["floor"])
            for name, label in (("floor", "PG SELECT 1 floor"), ("level", "PG level analytics")):
                values = pg_results[name]
                p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
                line = f"  {label:<20} p50 {p50:8.3f} ms   p95 {p95:8.3f} ms   ({len(values)} runs)"
                if name == "level":
                    met = p95 <= LEVEL_TARGET_P95_MS
                    ok = ok and met
                    line += f"   p95 = {p95 / pg_floor:,.0f}x the floor"
                    line += "   ok" if met else f"   MISSES {LEVEL_TARGET_P95_MS:.0f} ms"
                print(line)
    verdict = "meets" if ok else "MISSES"
    print(
        f"  {verdict} the targets: overview refresh, overview page and trainee page"
        f" p95 <= {TARGET_P95_MS:.0f} ms; a level's analytics p95 <= {LEVEL_TARGET_P95_MS:.0f} ms"
    )
    print(
        "  (overview: `10 new` = a refresh after 10 trainees ended a call, `same` = nothing"
        " changed, `cold` = the first call in a freshly opened store, which reads every row;"
        " overview_page: `cold` = the desk's first page in a freshly opened store, `sort` = a"
        " random sort, direction and page; trainee page includes weakest_principles())"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
