"""docs/techniques.md: the technique catalog and the guides as authors read them.

Generated from the catalog data so it can never drift; a test keeps the checked-in copy
current (`hold-the-line curriculum` regenerates the curriculum the same way).
"""

from __future__ import annotations

from game.engine.catalog import Catalog
from game.engine.mood import RULES
from game.engine.session import PACE_POINTS_MAX, PACE_POINTS_PER_ANGER
from game.engine.step import (
    CALM_POINTS,
    CRITICAL_TAGS,
    DEFAULT_PASS_SCORE,
    MISTAKE_WEIGHT,
    ORDER_EXEMPT_TAGS,
    ORDER_POINTS,
    ORDER_POINTS_MAX,
    OUTCOME_POINTS,
    PRACTICE_POINTS,
)

# When each case applies, in words (the context rules in game/engine/mood.py).
CASE_WHEN: dict[str, str] = {
    "venting": "the customer still needs to vent (`vent` > 0; for `transfer`, on a moment that isn't abusive)",
    "done": "the customer has finished venting",
    "repeated": "the moment is tagged `repeated`",
    "at_fault": "the moment is tagged `customer_at_fault` (for `apologize`: under the "
    "`apology_when_customer_at_fault: apologise_for_misunderstanding` policy)",
    "not_needed": "`customer_at_fault` under the `apology_when_customer_at_fault: "
    "no_apology_needed` policy",
    "parting": "`chronic_complainer` under the `parting_ways: needs_supervisor` policy",
    "supervisor": "`chronic_complainer` under the `parting_ways: needs_supervisor` policy",
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
    "approved": "the moment is tagged `chronic_complainer` under the `parting_ways: approved` policy",
    "unapproved": "the moment is not tagged `chronic_complainer`",
    "correction": "an earlier overpromise is still standing: this walks it back and clears it",
    "default": "otherwise",
}


def thresholds_markdown(catalog: Catalog) -> list[str]:
    """Every number an author needs to predict a verdict or a score, in one place."""
    p = catalog.params
    lines = [
        "## Thresholds",
        "",
        "Every number that decides a verdict or a score, generated from the engine.",
        "",
        "**A fix** (`solve`, `offer_alternative`) lands when the moment is tagged `asks_for_fix`, "
        "or once the customer has finished venting and the problem was recapped or the feeling "
        "acknowledged (a `recap`, `empathize` or `ask` that followed the guides). The customer "
        "starts with `vent` turns of venting; every turn that breaks no guide wears one off "
        "(listening counts the same), a moment tagged `venting_again` counts as venting. The "
        "debrief shows these facts on every turn.",
        "",
        f"- Escalating is right when stuck: anger ≥ {p.escalate_stuck_anger:g} after "
        f"{p.escalate_stuck_attempts} honest de-escalation turns (an author marks an escalation "
        "that passes the buck with `pass_the_buck`, which no rule overrides).",
        f"- An offer (`upsell`) is welcome below anger {p.upsell_below:g}; an offer that does "
        "not fit this customer is `irrelevant_offer`.",
        f"- Thanking sounds hollow at anger ≥ {p.hollow_thanks_at:g}.",
        f"- Reaching a `threat` moment lifts anger to at least {p.threat_floor}.",
        f"- Until a Resolve move has landed, talk alone brings anger no lower than "
        f"{p.unresolved_floor} (a scenario's `unresolved_floor` overrides it; none for "
        "indecisive and talkative customers); a customer already below it is left alone.",
        f"- Feeling heard eases anger toward the persona's floor by {p.relax_rate:g} × heard "
        "per turn, never on a turn that broke a guide.",
        f"- Kind words repeated land at 1 / (1 + {p.diminish:g} × times used); fixes land at "
        f"({p.trust_scaled_base:g} + {p.trust_scaled_span:g} × trust) strength, trust starting "
        f"at {p.trust_start:g}.",
        f"- A promise that can't be kept (`overpromise`) lands after the call unless "
        "`walk_back` takes that promise back; a resolved ending on a broken promise is "
        f"{p.debt_rating}, and never a pass.",
        "- Verdicts: good ≥ 0.75 > fair > 0 ≥ poor > -0.75 ≥ bad (turn quality: the best "
        "part of a turn, or its worst if any part broke a guide).",
        "",
        f"**The score** (pass mark {DEFAULT_PASS_SCORE} unless the campaign says otherwise): "
        f"{PRACTICE_POINTS} points for practice (each turn weighted 100 + anger before, +100 at "
        f"{', '.join(f'`{t}`' for t in sorted(CRITICAL_TAGS))} moments, × {MISTAKE_WEIGHT} for "
        f"a mistake), {OUTCOME_POINTS} for the outcome (good 1, partial ½, bad 0), "
        f"{CALM_POINTS} × (100 − final anger) / 100 for calm.",
        "",
        f"- **Order.** Each turn that makes an Apologise or Resolve move while an earlier step "
        f"the call calls for (Listen → Recap → Apologise → Resolve) is undone costs "
        f"{ORDER_POINTS} practice points, at most {ORDER_POINTS_MAX} per call. Listen is not "
        "called for when `vent` is 0; Apologise not for indecisive or talkative customers nor "
        "after a `customer_at_fault` moment; at "
        f"{', '.join(f'`{t}`' for t in sorted(ORDER_EXEMPT_TAGS))} moments the order gives way. "
        "Only a move that followed the guides fulfils its step.",
        f"- **Pace.** The silence clock starts after a reading allowance: the words on screen "
        f"(customer line and every reply, in English) at {p.reading_wpm:g} words per minute, "
        "plus the channel's grace. Past it, anger climbs at the channel's rate up to its cap "
        f"for that turn, and the Pace line loses {PACE_POINTS_PER_ANGER:g} points per point of "
        f"that anger, at most {PACE_POINTS_MAX} per call. Silence never changes the reply's "
        "verdict, except at a `lookup`: silence past the grace alone without `keep_informed` "
        "is a G-RESOLVE-7 mistake. The relaxed timer doubles the reading time, the grace and "
        "the time before they give up, and halves the rate.",
        "",
        "| channel | grace (s) | anger/s | cap per turn | nudge after grace + (s) | gives up after (s) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for channel in catalog.channels.values():
        rule = channel.dead_air
        if rule is None:
            lines.append(f"| {channel.label} | no timer | | | | |")
            continue
        lines.append(
            f"| {channel.label} | {rule.grace:g} | {rule.rate:g} | {rule.cap:g} | "
            f"{rule.nudge_after - rule.grace:g} | {rule.give_up:g} |"
        )
    return lines


def techniques_markdown(catalog: Catalog) -> str:
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
    lines += ["", *thresholds_markdown(catalog)]
    lines += ["", "## Moment tags", ""]
    lines += [f"- `{tag}`: {text}" for tag, text in catalog.tags.items()]
    lines += ["", "## Guide principles", ""]
    for principle in catalog.principles.values():
        extra = " *(taught by the game itself)*" if principle.taught_by_game else ""
        lines.append(f"- **{principle.id}** {principle.title}: {principle.rule}{extra}")
    return "\n".join(lines) + "\n"
