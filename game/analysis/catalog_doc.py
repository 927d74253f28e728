"""docs/techniques.md: the technique catalog and the guides as authors read them.

Generated from the catalog data so it can never drift; a test keeps the checked-in copy
current (`hold-the-line curriculum` regenerates the curriculum the same way).
"""

from __future__ import annotations

from game.engine.catalog import load_catalog
from game.engine.mood import RULES

# When each case applies, in words (the context rules in game/engine/mood.py).
CASE_WHEN: dict[str, str] = {
    "venting": "the customer still needs to vent (`vent` > 0; for `transfer`, on a moment that isn't abusive)",
    "done": "the customer has finished venting",
    "repeated": "the moment is tagged `repeated`",
    "at_fault": "the moment is tagged `customer_at_fault`",
    "ready": "the customer asked for a fix (`asks_for_fix`), or has finished venting and the "
    "problem was recapped or the feeling acknowledged (a `recap` or `empathize` that landed)",
    "early": "the customer is still venting (`vent` > 0) and didn't ask for a fix",
    "unacknowledged": "venting is over, but nothing was recapped or acknowledged yet",
    "nothing_owed": "no promise is standing",
    "abusive": "the moment is tagged `abusive`",
    "unneeded": "nothing abusive, venting over",
    "too_soon": "`requests_supervisor` under `help_first` policy with no honest attempt yet",
    "requested": "the moment is tagged `requests_supervisor`",
    "policy": "`refund_history` (escalate, cave_in) / `transfer_to_escalations` policy (hang_up)",
    "authority": "the moment is tagged `beyond_authority`",
    "stuck": "anger ≥ 60 after two honest de-escalation turns",
    "unwarned": "abusive moment, `transfer_to_escalations` policy, no boundary set yet",
    "buck": "none of the above: you could have solved it yourself",
    "threat": "the moment is tagged `threat`",
    "overreaction": "no threat",
    "hollow": "anger ≥ 70",
    "lookup": "the moment is tagged `lookup`",
    "talkative": "the customer's persona is talkative",
    "good_mood": "anger below 30",
    "angry": "anger 30 or more",
    "allowed": "`warn_then_end` policy, an abusive moment, and a boundary was set earlier",
    "no_warning": "abusive, but no boundary was set first",
    "not_abusive": "the moment is not abusive",
    "correction": "an earlier overpromise is still standing: this walks it back and clears it",
    "default": "otherwise",
}


def techniques_markdown() -> str:
    catalog = load_catalog()
    lines = [
        "# Technique catalog",
        "",
        "Generated from `game/engine/techniques.yaml` and `game/engine/guides.yaml` "
        "(`hold-the-line curriculum` and the tests keep it current). Each technique has cases; the "
        "context decides which one applies. Anger numbers are before the persona multiplier.",
        "",
    ]
    for helpful in (True, False):
        lines += [f"## {'Helpful' if helpful else 'Harmful'} techniques", ""]
        for t in catalog.techniques.values():
            if t.helpful is not helpful:
                continue
            lines.append(
                f"### `{t.id}` — {t.label}\n\n{catalog.competencies[t.competency]} · "
                f"step: {catalog.steps.get(t.step, '—')} · teaches {', '.join(t.principles)}\n"
            )
            lines.append("| case | when | anger | quality | cites | feedback |")
            lines.append("|---|---|---:|---:|---|---|")
            for case in t.cases:
                when = CASE_WHEN[case.name] if t.id in RULES or len(t.cases) > 1 else "always"
                lines.append(
                    f"| {case.name} | {when} | {case.anger:+.0f} | {case.quality:+g} | "
                    f"{', '.join(case.cited)} | {case.reason} |"
                )
            lines.append("")
    lines += ["## Persona multipliers", "", "Anger changes are multiplied per persona:", ""]
    for persona in catalog.personas.values():
        row = catalog.persona_multipliers[persona.index]
        special = [
            f"`{tid}` ×{row[catalog.techniques[tid].index]:g}"
            for tid in catalog.technique_order
            if row[catalog.techniques[tid].index] != 1.0
        ]
        lines.append(
            f"- **{persona.id}** (floor {persona.floor:g}): {', '.join(special) or '—'}. {persona.handling}"
        )
    lines += ["", "## Moment tags", ""]
    lines += [f"- `{tag}`: {text}" for tag, text in catalog.tags.items()]
    lines += ["", "## Guide principles", ""]
    for principle in catalog.principles.values():
        extra = " *(taught by the game itself)*" if principle.taught_by_game else ""
        lines.append(f"- **{principle.id}** {principle.title}: {principle.rule}{extra}")
    return "\n".join(lines) + "\n"
