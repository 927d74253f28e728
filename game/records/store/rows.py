"""Row mapping: the selects the read side shares and the values built from their rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import (
    Row,
    Select,
    case,
    select,
)

from game.engine.session import Effect, Event, Turn, turn_from_json
from game.records.api import (
    NOTE_MAX,
    Attempt,
    AttemptDetail,
    AttemptStatus,
    LevelBest,
    Note,
    Trainee,
)
from game.records.database import (
    attempts,
    level_stats,
    trainees,
)
from game.records.names import normal_name
from game.scenario.model import (
    AbusivePolicy,
    AtFaultApology,
    PartingPolicy,
    Policy,
    SupervisorPolicy,
)

# The keys of the engine's turn_to_json that have their own column; the rest go to `extra`.
TURN_COLUMNS = frozenset(
    {"number", "node", "choice", "say", "techniques", "tags", "anger_before", "anger_after",
     "silence", "effects", "quality", "feedback"}
)  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC)


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True)


def _effects_to_json(effects: Sequence[Effect]) -> list[dict[str, Any]]:
    """Effects as JSON objects keyed by field name, the form `turn_to_json` uses for a turn's.

    Driven by the dataclass fields, so a field the engine adds is stored without a change here.
    """
    return [
        {
            f.name: list(value) if isinstance(value, tuple) else value
            for f in fields(Effect)
            for value in (getattr(e, f.name),)
        }
        for e in effects
    ]


def _effects_from_json(text: str) -> tuple[Effect, ...]:
    """Older records lack newer fields; those take the dataclass defaults."""
    names = {f.name for f in fields(Effect)}
    restored: list[Effect] = []
    for d in json.loads(text):
        values: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in d.items() if k in names
        }
        restored.append(Effect(**values))
    return tuple(restored)


def _clean_name(name: str, what: str) -> str:
    return normal_name(name, what)


def _clean_note(text: str) -> str:
    """A note as stored: trimmed, not empty, at most NOTE_MAX characters.

    Checked before anything is written, so a pasted megabyte is refused in words instead of
    freezing the desk that would have to lay it out.
    """
    body = text.strip()
    if not body:
        raise ValueError("the note is empty")
    if len(body) > NOTE_MAX:
        raise ValueError(
            f"the note is {len(body):,} characters long; a note can have at most"
            f" {NOTE_MAX:,}. Shorten it, or split it over several notes."
        )
    return body  # a NUL in it is refused with every other stored text (NulInText)


def holds_key(column: Any, key: str) -> Any:
    """`column LIKE '%key%'` with the key's own % and _ taken literally: a search-key match."""
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def _trainee_select() -> Select[Any]:
    return select(trainees.c.id, trainees.c.name, trainees.c.created_at, trainees.c.last_active)


def _trainee(row: Row[Any]) -> Trainee:
    return Trainee(int(row.id), str(row.name), row.created_at, row.last_active)


def _attempt_select() -> Select[Any]:
    return select(
        attempts.c.id,
        attempts.c.trainee_id,
        trainees.c.name.label("trainee_name"),
        attempts.c.scenario_id,
        attempts.c.content_hash,
        attempts.c.level,
        attempts.c.status,
        attempts.c.started_at,
        attempts.c.ended_at,
        attempts.c.outcome,
        attempts.c.rating,
        attempts.c.score,
        attempts.c.grade,
        attempts.c.passed,
        attempts.c.final_anger,
        attempts.c.pass_score,
        attempts.c.turn_count,
        attempts.c.seed,
        attempts.c.abusive_caller,
        attempts.c.supervisor_request,
        attempts.c.timer,
        attempts.c.lang,
        attempts.c.catalog_hash,
        attempts.c.parting_ways,
        attempts.c.apology_when_customer_at_fault,
        attempts.c.exam,
    ).join_from(attempts, trainees, attempts.c.trainee_id == trainees.c.id)


_STATUSES = {status.value: status for status in AttemptStatus}

_POLICIES: dict[tuple[str, str, str | None, str | None], Policy] = {}


def _attempt(row: Row[Any]) -> Attempt:
    """Positional, in `_attempt_select`'s column order: exports map tens of thousands of these,
    and Row attribute access and Enum lookups are most of the cost (read side, w-records)."""
    values: Any = row[:26]
    (ident, trainee_id, trainee_name, scenario_id, content_hash, level, status, started_at,
     ended_at, outcome, rating, score, grade, passed, final_anger, pass_score, turn_count, seed,
     abusive, supervisor, timer, lang, catalog_hash, parting, at_fault, exam) = values  # fmt: skip
    key = (abusive, supervisor, parting, at_fault)
    policy = _POLICIES.get(key)
    if policy is None:  # NULL (before v10): the rules it was played by, each key's default
        policy = Policy(
            AbusivePolicy(abusive),
            SupervisorPolicy(supervisor),
            PartingPolicy(parting) if parting is not None else PartingPolicy.APPROVED,
            AtFaultApology(at_fault)
            if at_fault is not None
            else AtFaultApology.APOLOGISE_FOR_MISUNDERSTANDING,
        )
        _POLICIES[key] = policy
    return Attempt(
        id=int(ident),
        trainee_id=int(trainee_id),
        trainee_name=str(trainee_name),
        scenario_id=str(scenario_id),
        content_hash=str(content_hash),
        level=level,
        status=_STATUSES[status],
        started_at=started_at,
        ended_at=ended_at,
        outcome=outcome,
        rating=rating,
        score=score,
        grade=grade,
        passed=None if passed is None else bool(passed),
        final_anger=final_anger,
        pass_score=int(pass_score),
        turn_count=int(turn_count),
        seed=int(seed),
        policy=policy,
        timer=str(timer),
        lang=str(lang),
        catalog_hash=catalog_hash,
        exam=bool(exam),
    )


def _turn(row: Row[Any]) -> Turn:
    return turn_from_json(
        {
            **({} if row.extra is None else json.loads(row.extra)),
            "number": row.number,
            "node": row.node,
            "choice": row.choice,
            "say": json.loads(row.say),
            "techniques": json.loads(row.techniques),
            "tags": json.loads(row.tags),
            "anger_before": row.anger_before,
            "anger_after": row.anger_after,
            "silence": row.silence,
            "effects": json.loads(row.effects),
            "quality": row.quality,
            "feedback": None if row.feedback is None else json.loads(row.feedback),
        }
    )


def detail_select() -> Select[Any]:
    """An attempt with everything `detail_from_rows` needs (read side, also for bulk reads)."""
    return _attempt_select().add_columns(
        attempts.c.anger_trace,
        attempts.c.closing_effects,
        attempts.c.competencies,
        attempts.c.timeout_silence,
    )


def detail_from_rows(
    row: Row[Any], turn_rows: Sequence[Row[Any]], note_rows: Sequence[Row[Any]]
) -> AttemptDetail:
    """One attempt's detail from its row (`detail_select`), its turns and its notes, in order."""
    restored = tuple(_turn(r) for r in turn_rows)
    events = [Event(t.choice, t.silence) for t in restored]
    if row.timeout_silence is not None:
        events.append(Event(None, float(row.timeout_silence)))
    if row.anger_trace is not None:
        trace = tuple(int(a) for a in json.loads(row.anger_trace))
    else:
        trace = _partial_trace(restored)
    competencies: dict[str, int | None] = (
        {} if row.competencies is None else dict(json.loads(row.competencies))
    )
    return AttemptDetail(
        attempt=_attempt(row),
        turns=restored,
        events=tuple(events),
        response_times=tuple(float(r.response_time) for r in turn_rows),
        anger_trace=trace,
        closing_effects=()
        if row.closing_effects is None
        else _effects_from_json(row.closing_effects),
        competencies=MappingProxyType(competencies),
        notes=tuple(_note(n) for n in note_rows),
    )


def _partial_trace(played: Sequence[Turn]) -> tuple[int, ...]:
    """An unfinished attempt's anger trace, rebuilt from its turns.

    The start value is the first turn's anger before it, less any dead air added at that
    prompt (exact: the engine only adds silence below the timeout, so nothing was clipped).
    """
    if not played:
        return ()
    first = played[0]
    silence = sum(e.anger for e in first.effects if e.source == "silence")
    return (first.anger_before - silence, *(t.anger_after for t in played))


def _note(row: Row[Any]) -> Note:
    return Note(
        id=int(row.id),
        attempt_id=int(row.attempt_id),
        trainee_id=int(row.trainee_id),
        author=str(row.author),
        text=str(row.text),
        created_at=row.created_at,
        read_at=row.read_at,
        edited_at=row.edited_at,
    )


def _level_select() -> Select[Any]:
    """Level summaries in the column order `_level_best` unpacks, campaign order per trainee."""
    c = level_stats.c
    return select(
        c.trainee_id,
        c.scenario_id,
        c.best_score,
        c.best_grade,
        c.passed,
        c.attempts,
        c.failed,
        c.last_played,
    ).order_by(c.trainee_id, case((c.level.is_(None), 1), else_=0), c.level, c.scenario_id)


def _level_best(row: Sequence[Any]) -> LevelBest:
    # Positional: the overview builds thousands of these, and Row attribute access is slow.
    _, scenario_id, best_score, best_grade, passed, attempts, failed, last_played = row
    return LevelBest(
        scenario_id, best_score, best_grade, bool(passed), attempts, failed, last_played
    )
