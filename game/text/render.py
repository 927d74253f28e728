"""Plain-text renderings shared by the terminal player and the scripted output."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import asdict
from typing import Any

from game.engine.bands import band_for
from game.engine.catalog import Catalog
from game.engine.scoring import Debrief, TurnReview
from game.engine.session import PaceCost, SessionState, Turn, pace_cost
from game.i18n.translator import ENGLISH, Translator
from game.scenario.model import Scenario

SPARK = "▁▂▃▄▅▆▇█"


def width() -> int:
    return max(50, min(100, shutil.get_terminal_size((88, 24)).columns))


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(
        " ".join(text.split()),
        width=width(),
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
    )


def meter(anger: float, cells: int = 20, tr: Translator = ENGLISH) -> str:
    filled = round(max(0.0, min(100.0, anger)) / 100 * cells)
    band = band_for(anger)
    return tr._(
        "Anger [{bar}] {anger:3d}  {band}",
        bar="█" * filled + "░" * (cells - filled),
        anger=round(anger),
        band=tr.text(f"band:{band.name}", band.name),
    )


def sparkline(values: tuple[int, ...]) -> str:
    return "".join(SPARK[min(len(SPARK) - 1, v * len(SPARK) // 101)] for v in values)


def header(scenario: Scenario, lang: str, catalog: Catalog, tr: Translator = ENGLISH) -> str:
    persona = catalog.personas[scenario.customer.persona.value].label
    channel = catalog.channels[scenario.channel.value].label
    stars = "●" * scenario.difficulty + "○" * (5 - scenario.difficulty)
    lines = [
        f"{scenario.title.get(lang)}",
        tr._(
            "{name} · {persona} customer · {channel} · difficulty {stars}",
            name=scenario.customer.name.get(lang),
            persona=persona,
            channel=channel,
            stars=stars,
        ),
        "",
        wrap(scenario.summary.get(lang)),
    ]
    return "\n".join(lines)


def turn_feedback(turn: Turn, lang: str = "en") -> str:  # no words of its own
    parts = [
        f"  {e.anger:+d} {e.short}" + (f" ({e.principle})" if e.principle else "")
        for e in turn.effects
    ]
    text = "\n".join(parts)
    if turn.feedback is not None:
        text += "\n" + wrap(turn.feedback.get(lang), indent="    ", first="  » ")
    return text


def debrief_text(
    scenario: Scenario,
    report: Debrief,
    catalog: Catalog,
    lang: str = "en",
    tr: Translator = ENGLISH,
) -> str:
    ending = catalog.endings[report.outcome].label
    verdict = tr._("PASSED") if report.passed else tr._("NOT PASSED")
    lines = [
        "",
        "═" * min(width(), 72),
        tr._("DEBRIEF · {title}", title=scenario.title.get(lang)),
        "═" * min(width(), 72),
        tr._(
            "Outcome: {ending} ({rating})   Final anger: {final_anger}",
            ending=ending,
            rating=tr._(report.rating.value),
            final_anger=report.final_anger,
        ),
        tr._(
            "Score: {score}/100  Grade {grade}  {verdict} (pass mark {pass_score})",
            score=report.score,
            grade=report.grade,
            verdict=verdict,
            pass_score=report.pass_score,
        ),
        *(
            [
                "  "
                + tr._("Not passed: the call ended on a promise that can't be kept (G-RESOLVE-3).")
            ]
            if report.promise_broken
            else []
        ),
        "  "
        + tr._(
            "practice {practice_points:.0f}/60 · outcome {outcome_points:.0f}/25 · calm at the end {calm_points:.0f}/15",
            practice_points=report.practice_points,
            outcome_points=report.outcome_points,
            calm_points=report.calm_points,
        ),
        "",
        tr._("Anger over the call: {sparkline}", sparkline=sparkline(report.anger_trace))
        + "  "
        + " → ".join(str(v) for v in report.anger_trace),
        "",
        tr._("Turn by turn:"),
    ]
    marks = {"good": "✔", "fair": "~", "poor": "✘", "bad": "✘"}
    for review in report.turns:
        turn = review.turn
        lines.append(
            f' {marks[review.verdict]} {turn.number:>2}. "{turn.say.get(lang)}"'
            f"  [{turn.anger_before}→{turn.anger_after}]"
        )
        for effect in turn.effects:
            cite = f" — {', '.join(effect.cited)}" if effect.cited else ""
            lines.append(wrap(f"{effect.anger:+d}: {effect.reason}{cite}", indent="        "))
        if turn.feedback is not None:
            lines.append(wrap(turn.feedback.get(lang), indent="        ", first="      » "))
        if review.skipped:
            names = ", ".join(catalog.steps[s] for s in review.skipped)
            lines.append("        " + tr._("⚠ jumped ahead: {names} not done yet", names=names))
    for effect in report.closing_effects:
        lines.append(
            wrap(
                f"{effect.anger:+d}: {effect.reason} — {effect.principle}",
                indent="    ",
                first="  " + tr._("After the call:") + " ",
            )
        )
    lines += ["", tr._("Competencies:")]
    for comp in report.competencies:
        if comp.score is None:
            lines.append(f"  {comp.label:<24} —  " + tr._("(not tested in this call)"))
        else:
            bar = "█" * round(comp.score / 10) + "░" * (10 - round(comp.score / 10))
            lines.append(f"  {comp.label:<24} {bar} {comp.score:3d}")
    first = dict(report.first_step_turn)
    names = " → ".join(catalog.steps[step] for step in report.required_steps)
    steps = " → ".join(
        f"{catalog.steps[step]}"
        + (tr._(" (turn {first})", first=first[step]) if first.get(step) else " (—)")
        for step in report.required_steps
    )
    lines += ["", f"{names}: {steps}"]
    lines.append(
        "  "
        + (
            tr._("In order.")
            if report.in_order
            else tr._("You jumped ahead at least once (see ⚠ above).")
        )
    )
    return "\n".join(lines)


def _pace_of(turn: Turn) -> PaceCost:
    """The one place the terminal player learns what pace cost on a turn: the engine's
    `pace_cost`, so no rule about silence is written here."""
    return pace_cost(turn)


def pace_json(turn: Turn) -> dict[str, Any]:
    """The `pace` object of a turn in `--json` and `--jsonl`: every field `_pace_of` has."""
    pace = asdict(_pace_of(turn))
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in pace.items()}


def pace_line(turn: Turn, tr: Translator = ENGLISH) -> str | None:
    """One line for the transcript when the trainee took time over a reply."""
    pace = _pace_of(turn)
    if pace.seconds < 0.5 and not pace.anger:
        return None
    cost = tr._("cost {anger:+d} anger", anger=pace.anger) if pace.anger else tr._("no cost")
    return "  " + tr._(
        "⏱ {seconds:.0f} s before this reply: {cost}", seconds=pace.seconds, cost=cost
    )


def review_so_far(scenario: Scenario, state: SessionState, catalog: Catalog) -> TurnReview:
    """The debrief's review of the latest turn, while the call is still going (the engine's
    own per-turn review, so a live `turn` event and the final result agree)."""
    from game.engine.scoring import review_turns

    return review_turns(scenario, state, catalog=catalog)[-1]


def turn_json(review: TurnReview, lang: str = "en") -> dict[str, Any]:
    """One turn as `--json` shows it (and the `turn` event of `--jsonl`)."""
    turn = review.turn
    return {
        "number": turn.number,
        "node": turn.node,
        "choice": turn.choice,
        "say": turn.say.get(lang),
        "techniques": list(turn.techniques),
        "anger_before": turn.anger_before,
        "anger_after": turn.anger_after,
        "verdict": review.verdict,
        "feedback": turn.feedback_text(lang),
        "effects": [
            {"source": e.source, "anger": e.anger, "principle": e.principle, "reason": e.reason}
            for e in turn.effects
        ],
        "skipped_steps": list(review.skipped),
        "pace": pace_json(turn),
        "facts": list(turn.facts),  # what was true when the reply was chosen (FACT_LABELS)
        "why": None if turn.why is None else {"rule": turn.why.rule, "sentence": turn.why.sentence},
    }


def result_json(
    scenario: Scenario, state: SessionState, report: Debrief, lang: str = "en"
) -> dict[str, Any]:
    """The scripted-play result described in DESIGN.md, plus the breakdown and the pace."""
    paces = [_pace_of(review.turn) for review in report.turns]
    return {
        "scenario": scenario.id,
        "outcome": report.outcome,
        "rating": report.rating.value,
        "cause": report.cause,
        "score": report.score,
        "grade": report.grade,
        "passed": report.passed,
        "pass_score": report.pass_score,
        "final_anger": report.final_anger,
        "ending": state.outcome.node if state.outcome else None,
        "anger": list(report.anger_trace),
        "turns": [turn_json(review, lang) for review in report.turns],
        "pace": {
            "seconds": round(sum(p.seconds for p in paces), 2),
            "anger": sum(p.anger for p in paces),
            "points": round(-report.pace_points, 2),  # lost, capped over the call
        },
        "competencies": {c.id: c.score for c in report.competencies},
        "closing_effects": [
            {"source": e.source, "anger": e.anger, "principle": e.principle, "reason": e.reason}
            for e in report.closing_effects
        ],
    }
