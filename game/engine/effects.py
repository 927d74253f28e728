"""The explained effects of a turn that the trainee's technique did not itself cause (silence, a flare-up, a threat, the unresolved floor, a broken promise), and the rule that decided a turn's verdict (`why_of`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from game.engine.catalog import Catalog
from game.engine.state import Effect, Why
from game.engine.step import (
    verdict_for,
)


def why_of(
    catalog: Catalog, effects: Sequence[Effect], quality: float, decide: Callable[[str], str]
) -> Why | None:
    """The part of the reply that decided the verdict (the turn step's rule: the worst part
    when any part broke a guide, else the best) and the condition that picked its case."""
    judged = [e for e in effects if e.quality is not None]
    if not judged:
        return None
    worst = min(judged, key=lambda e: e.quality or 0.0)
    deciding = worst if (worst.quality or 0.0) < 0 else max(judged, key=lambda e: e.quality or 0.0)
    verdict = verdict_for(quality)
    if deciding.source not in catalog.techniques:
        return Why(
            f"{deciding.source}.{deciding.case}",
            f"Judged {verdict} by the {deciding.short}: {deciding.reason}",
        )
    label = catalog.techniques[deciding.source].label
    because = decide(deciding.source)
    return Why(
        f"{deciding.source}.{deciding.case}",
        f"Judged {verdict} by {label} ({deciding.source}, case '{deciding.case}'): {because}.",
    )


def side_effect(
    source: str, case: str, anger: int, principle: str, short: str, reason: str
) -> Effect:
    """An effect the trainee's words didn't cause (silence, a flare-up, a threat): not judged."""
    return Effect(source, case, anger, principle, short, reason, quality=None)


def flare_effect(added: int) -> Effect:
    return side_effect(
        "flare",
        "flared",
        added,
        "G-CALM-3",
        "they flared up",
        "They flared up at this point. It isn't aimed at you: keep your voice calm and don't take it personally.",
    )


def threat_effect(added: int) -> Effect:
    return side_effect(
        "threat",
        "turned",
        added,
        "G-BOUNDARY-4",
        "turned threatening",
        "Whatever set it off, they are threatening now: this is past de-escalating.",
    )


def unresolved_effect(added: int) -> Effect:
    return side_effect(
        "unresolved",
        "unresolved",
        added,
        "G-RESOLVE-1",
        "still unresolved",
        "Feeling heard helps, but nothing has been done about the problem yet: they won't "
        "be calm until something is.",
    )


def silence_effect(added: int, silence: float, allowance: float) -> Effect:
    """Pace is its own lesson: silence past the reading allowance costs anger and Pace points,
    never the verdict on the reply that followed."""
    return side_effect(
        "silence",
        "slow",
        added,
        "G-RESOLVE-7",
        "slow answer",
        f"{silence:.0f} seconds before you answered, {max(0.0, silence - allowance):.0f} past the "
        "time to read the screen: the customer heard only silence. Answer a little sooner; "
        "a short holding phrase buys time.",
    )


def lookup_silence_effect(added: int, silence: float) -> Effect:
    """Silent during a lookup without keeping them informed: a mistake in its own right."""
    return Effect(
        "lookup_silence",
        "dead_air",
        added,
        "G-RESOLVE-7",
        "dead air",
        f"{silence:.0f} seconds of silence while they waited on your lookup, and no word to say "
        "what you were doing. Talk them through it: dead air feels like being ignored.",
        quality=-1.0,
    )
