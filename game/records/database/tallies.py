"""The cohort's choice tallies: the trigger that counts each recorded turn into them (SQLite and PostgreSQL), the bulk count for loads and migrations, and the backfills of the per-level and per-principle summaries."""

from __future__ import annotations

from sqlalchemy import (
    inspect,
    text,
)
from sqlalchemy.engine import Connection

TALLY_LOCK = 0x48544C02  # PostgreSQL advisory lock key: one writer at a time counting tallies (v9)


# ---- v9: choice tallies ---------------------------------------------------------------------
# One aggregation rule, written once as SQL with a few dialect words filled in: the trigger
# adds one turn, `tally_choices` adds (or with sign -1 takes away) many turns at once (the
# migration's back-fill, bulk loads, a trainee changing cohort). The broken-principle test
# is `broken_principles`'s rule, as `backfill_principles` already spells it in SQL.

_KINDS = (
    "(SELECT CAST('all' AS VARCHAR(8)) AS kind UNION ALL SELECT CAST('first' AS VARCHAR(8))"
    " UNION ALL SELECT CAST('latest' AS VARCHAR(8)))"
)
_TALLY_KEYS = {  # the primary keys, in their order: the grouping columns first
    "choice_tallies": "scenario_id, kind, node, choice, quality, cohort, day",
    "path_tallies": "scenario_id, node, choice, next_node, cohort, day",
    "principle_tallies": "scenario_id, day, principle, cohort",
}
_TALLY_SUMS = {
    "choice_tallies": ("picks", "anger_sum"),
    "path_tallies": ("walks",),
    "principle_tallies": ("broken",),
}


def _upsert(table: str) -> str:
    sums = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in _TALLY_SUMS[table])
    return f"ON CONFLICT ({_TALLY_KEYS[table]}) DO UPDATE SET {sums}"


def _dialect_words(dialect: str, effects: str) -> dict[str, str]:
    if dialect == "postgresql":
        return {
            "day_a": "to_char(a.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            "day_o": "to_char(o.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
            # json, not jsonb: a text field elsewhere in an effect may hold \u0000, which
            # jsonb refuses; only the fields read here are ever decoded
            "effects": f"json_array_elements(CAST({effects} AS json)) AS e(value)",
            "principle": "e.value ->> 'principle'",
            "quality": "CAST(e.value ->> 'quality' AS DOUBLE PRECISION)",
        }
    return {
        "day_a": "substr(a.started_at, 1, 10)",
        "day_o": "substr(o.started_at, 1, 10)",
        "effects": f"json_each({effects}) AS e",
        "principle": "json_extract(e.value, '$.principle')",
        "quality": "json_extract(e.value, '$.quality')",
    }


def _first_attempt(a: str) -> str:
    """`a` is the trainee's first attempt (with a turn) at its level."""
    return (
        f"NOT EXISTS (SELECT 1 FROM attempts b WHERE b.trainee_id = {a}.trainee_id"
        f" AND b.scenario_id = {a}.scenario_id AND b.id < {a}.id AND b.turn_count > 0)"
    )


def _trigger_statements(dialect: str) -> tuple[str, ...]:
    """The statements that count one new turn (NEW), in the turn's own transaction."""
    w = _dialect_words(dialect, "NEW.effects")
    cohort = "COALESCE(tr.cohort, '')"
    return (
        # a newer attempt's first turn: the previous latest attempt's turns leave 'latest'
        f"""INSERT INTO choice_tallies (scenario_id, kind, cohort, day, node, choice, quality,
                                        picks, anger_sum)
        SELECT o.scenario_id, 'latest', {cohort}, {w["day_o"]}, t.node, t.choice, t.quality,
               -COUNT(*), -SUM(t.anger_before)
        FROM attempts a
        JOIN latest_attempts la ON la.trainee_id = a.trainee_id AND la.scenario_id = a.scenario_id
        JOIN attempts o ON o.id = la.attempt_id
        JOIN trainees tr ON tr.id = a.trainee_id
        JOIN turns t ON t.attempt_id = o.id
        WHERE a.id = NEW.attempt_id AND NEW.number = 1 AND la.attempt_id < a.id
        GROUP BY o.scenario_id, {cohort}, {w["day_o"]}, t.node, t.choice, t.quality
        {_upsert("choice_tallies")}""",
        """INSERT INTO latest_attempts (trainee_id, scenario_id, attempt_id)
        SELECT a.trainee_id, a.scenario_id, a.id FROM attempts a
        WHERE a.id = NEW.attempt_id AND NEW.number = 1
        ON CONFLICT (trainee_id, scenario_id) DO UPDATE SET attempt_id = excluded.attempt_id
        WHERE excluded.attempt_id > latest_attempts.attempt_id""",
        f"""INSERT INTO choice_tallies (scenario_id, kind, cohort, day, node, choice, quality,
                                        picks, anger_sum)
        SELECT a.scenario_id, k.kind, {cohort}, {w["day_a"]}, NEW.node, NEW.choice,
               NEW.quality, 1, NEW.anger_before
        FROM attempts a
        JOIN trainees tr ON tr.id = a.trainee_id
        JOIN {_KINDS} k ON k.kind = 'all'
            OR (k.kind = 'first' AND {_first_attempt("a")})
            OR (k.kind = 'latest' AND EXISTS (SELECT 1 FROM latest_attempts la
                WHERE la.trainee_id = a.trainee_id AND la.scenario_id = a.scenario_id
                  AND la.attempt_id = a.id))
        WHERE a.id = NEW.attempt_id
        {_upsert("choice_tallies")}""",
        f"""INSERT INTO path_tallies (scenario_id, cohort, day, node, choice, next_node, walks)
        SELECT a.scenario_id, {cohort}, {w["day_a"]}, p.node, p.choice, NEW.node, 1
        FROM turns p
        JOIN attempts a ON a.id = p.attempt_id
        JOIN trainees tr ON tr.id = a.trainee_id
        WHERE p.attempt_id = NEW.attempt_id AND p.number = NEW.number - 1
        {_upsert("path_tallies")}""",
        f"""INSERT INTO principle_tallies (scenario_id, cohort, day, principle, broken)
        SELECT a.scenario_id, {cohort}, {w["day_a"]}, b.principle, 1
        FROM attempts a
        JOIN trainees tr ON tr.id = a.trainee_id
        JOIN (SELECT DISTINCT {w["principle"]} AS principle FROM {w["effects"]}
              WHERE {w["principle"]} IS NOT NULL AND {w["quality"]} < 0) b ON 1 = 1
        WHERE a.id = NEW.attempt_id
        {_upsert("principle_tallies")}""",
    )


CHOICE_TRIGGER = "htl_tally_turn"


def create_choice_trigger(conn: Connection) -> None:
    """The trigger that keeps the choice tallies current as turns are inserted.

    On PostgreSQL its function runs as the tables' owner (SECURITY DEFINER): a trainee's
    login adds its own turns to the room's tallies without being able to read them.
    """
    statements = _trigger_statements(conn.dialect.name)
    if conn.dialect.name == "postgresql":
        *counts, principles = statements
        body = ";\n".join(counts)
        conn.exec_driver_sql(
            f"""CREATE OR REPLACE FUNCTION {CHOICE_TRIGGER}() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $body$
            BEGIN
            -- one turn at a time counts (until its transaction ends): two counting the same
            -- rows in another order would otherwise deadlock
            PERFORM pg_advisory_xact_lock({TALLY_LOCK});
            {body};
            BEGIN  -- a principle that cannot be text (a NUL) is not counted; the turn stays
                {principles};
            EXCEPTION WHEN untranslatable_character OR invalid_text_representation THEN
                NULL;
            END;
            RETURN NULL;
            END $body$"""
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {CHOICE_TRIGGER} AFTER INSERT ON turns"
            f" FOR EACH ROW EXECUTE FUNCTION {CHOICE_TRIGGER}()"
        )
        conn.exec_driver_sql(f"REVOKE ALL ON FUNCTION {CHOICE_TRIGGER}() FROM PUBLIC")
        return
    body = ";\n".join(statements)
    conn.exec_driver_sql(
        f"CREATE TRIGGER {CHOICE_TRIGGER} AFTER INSERT ON turns FOR EACH ROW BEGIN\n{body};\nEND"
    )


def drop_choice_trigger(conn: Connection) -> None:
    """For bulk loads (bench): load without the trigger, then `tally_choices` once."""
    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {CHOICE_TRIGGER} ON turns"
                         if conn.dialect.name == "postgresql"
                         else f"DROP TRIGGER IF EXISTS {CHOICE_TRIGGER}")  # fmt: skip


def tally_choices(conn: Connection, *, trainee_id: int | None = None, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) the recorded turns of one trainee (or of everyone)
    to the choice tallies, as the trigger would have counted them one by one.

    With everyone and sign 1 it rebuilds the tallies from scratch (the v9 back-fill).
    """
    if sign not in (1, -1):
        raise ValueError(f"sign must be 1 or -1, not {sign}")
    whole = trainee_id is None
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": TALLY_LOCK})
    only = "" if whole else "AND a.trainee_id = :trainee"
    params = {} if whole else {"trainee": trainee_id}
    w = _dialect_words(conn.dialect.name, "t.effects")
    cohort = "COALESCE(tr.cohort, '')"
    if whole:
        for table in ("choice_tallies", "path_tallies", "principle_tallies", "latest_attempts"):
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(
            text(
                """INSERT INTO latest_attempts (trainee_id, scenario_id, attempt_id)
                SELECT trainee_id, scenario_id, MAX(id) FROM attempts WHERE turn_count > 0
                GROUP BY trainee_id, scenario_id"""
            )
        )
    conn.execute(
        text(
            f"""INSERT INTO choice_tallies (scenario_id, kind, cohort, day, node, choice, quality,
                                            picks, anger_sum)
            SELECT a.scenario_id, k.kind, {cohort}, {w["day_a"]}, t.node, t.choice, t.quality,
                   {sign} * COUNT(*), {sign} * SUM(t.anger_before)
            FROM turns t
            JOIN attempts a ON a.id = t.attempt_id
            JOIN trainees tr ON tr.id = a.trainee_id
            LEFT JOIN latest_attempts la
                ON la.trainee_id = a.trainee_id AND la.scenario_id = a.scenario_id
            JOIN {_KINDS} k ON k.kind = 'all'
                OR (k.kind = 'first' AND {_first_attempt("a")})
                OR (k.kind = 'latest' AND la.attempt_id = a.id)
            WHERE 1 = 1 {only}
            GROUP BY a.scenario_id, k.kind, {cohort}, {w["day_a"]}, t.node, t.choice, t.quality
            {_upsert("choice_tallies")}"""
        ),
        params,
    )
    conn.execute(
        text(
            f"""INSERT INTO path_tallies (scenario_id, cohort, day, node, choice, next_node, walks)
            SELECT a.scenario_id, {cohort}, {w["day_a"]}, t.node, t.choice, n.node,
                   {sign} * COUNT(*)
            FROM turns t
            JOIN turns n ON n.attempt_id = t.attempt_id AND n.number = t.number + 1
            JOIN attempts a ON a.id = t.attempt_id
            JOIN trainees tr ON tr.id = a.trainee_id
            WHERE 1 = 1 {only}
            GROUP BY a.scenario_id, {cohort}, {w["day_a"]}, t.node, t.choice, n.node
            {_upsert("path_tallies")}"""
        ),
        params,
    )
    conn.execute(
        text(
            f"""INSERT INTO principle_tallies (scenario_id, cohort, day, principle, broken)
            SELECT b.scenario_id, b.cohort, b.day, b.principle, {sign} * COUNT(*)
            FROM (
                SELECT DISTINCT a.scenario_id AS scenario_id, {cohort} AS cohort,
                       {w["day_a"]} AS day, t.attempt_id AS attempt_id, t.number AS number,
                       {w["principle"]} AS principle
                FROM turns t
                JOIN attempts a ON a.id = t.attempt_id
                JOIN trainees tr ON tr.id = a.trainee_id
                CROSS JOIN {w["effects"]}
                WHERE {w["principle"]} IS NOT NULL AND {w["quality"]} < 0 {only}
            ) b
            WHERE 1 = 1
            GROUP BY b.scenario_id, b.cohort, b.day, b.principle
            {_upsert("principle_tallies")}"""
        ),
        params,
    )


def backfill_principles(conn: Connection) -> None:
    """Recount every trainee's broken principles from the recorded turns' effects.

    A turn counts once per principle that one of its effects cites with a negative quality,
    the same rule as `broken_principles` applies on each write. Used by the v5 migration and
    by bulk loads (bench); needs schema version 5 or later.
    """
    if conn.dialect.name == "postgresql":
        effects = "CROSS JOIN LATERAL jsonb_array_elements(CAST(t.effects AS jsonb)) AS e(value)"
        principle = "e.value ->> 'principle'"
        quality = "CAST(e.value ->> 'quality' AS DOUBLE PRECISION)"
    else:
        effects = "JOIN json_each(t.effects) AS e"
        principle = "json_extract(e.value, '$.principle')"
        quality = "json_extract(e.value, '$.quality')"
    conn.execute(text("DELETE FROM principle_stats"))
    conn.execute(
        text(
            f"""
            INSERT INTO principle_stats (trainee_id, principle, broken)
            SELECT b.trainee_id, b.principle, COUNT(*)
            FROM (
                SELECT DISTINCT a.trainee_id AS trainee_id, t.attempt_id AS attempt_id,
                       t.number AS number, {principle} AS principle
                FROM turns t
                JOIN attempts a ON a.id = t.attempt_id
                {effects}
                WHERE {principle} IS NOT NULL AND {quality} < 0
            ) b
            GROUP BY b.trainee_id, b.principle
            """
        )
    )


def backfill_summaries(conn: Connection) -> None:
    """Recompute the per-trainee counters and the level summaries from the attempts themselves.

    Used by the v2 migration and by bulk loads (bench); normal writes keep them current
    incrementally. Needs a schema of version 2 or later; from version 3 on it also bumps
    every trainee's revision, so open stores refresh their overview.
    """
    conn.execute(
        text(
            "UPDATE trainees SET attempt_count ="
            " (SELECT COUNT(*) FROM attempts a WHERE a.trainee_id = trainees.id)"
        )
    )
    conn.execute(text("DELETE FROM level_stats"))
    conn.execute(
        text(
            """
            INSERT INTO level_stats (trainee_id, scenario_id, level, attempts, failed, passed,
                                     best_score, best_grade, last_played)
            SELECT a.trainee_id, a.scenario_id, MIN(a.level), COUNT(*),
                   SUM(CASE WHEN a.status = 'completed' AND NOT a.passed THEN 1 ELSE 0 END),
                   MAX(CASE WHEN a.status = 'completed' AND a.passed THEN 1 ELSE 0 END) = 1,
                   MAX(CASE WHEN a.status = 'completed' THEN a.score END),
                   NULL,
                   MAX(COALESCE(a.ended_at, a.started_at))
            FROM attempts a
            WHERE a.status IN ('completed', 'abandoned')
            GROUP BY a.trainee_id, a.scenario_id
            """
        )
    )
    conn.execute(
        text(
            """
            UPDATE level_stats SET best_grade = (
                SELECT a.grade FROM attempts a
                WHERE a.trainee_id = level_stats.trainee_id
                  AND a.scenario_id = level_stats.scenario_id
                  AND a.status = 'completed' AND a.score = level_stats.best_score
                ORDER BY a.id LIMIT 1)
            WHERE best_score IS NOT NULL
            """
        )
    )
    if "revision" in {c["name"] for c in inspect(conn).get_columns("trainees")}:
        conn.execute(
            text("UPDATE trainees SET revision = (SELECT MAX(revision) FROM trainees) + 1")
        )
