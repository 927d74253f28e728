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


# The engine's own explanations of effects the trainee's technique did not cause, by
# (source, case): (short, reason). Translators find them in the catalog domain as
# `effect:<source>:<case>:short` and `…:reason`; the catalog carries the reader's words.
SIDE_EFFECTS: dict[tuple[str, str], tuple[str, str]] = {
    ("relax", "heard"): ("feeling heard", "Feeling heard, they eased off a little."),
    ("flare", "flared"): (
        "they flared up",
        "They flared up at this point. It isn't aimed at you: keep your voice calm and don't"
        " take it personally.",
    ),
    ("threat", "turned"): (
        "turned threatening",
        "Whatever set it off, they are threatening now: this is past de-escalating.",
    ),
    ("unresolved", "unresolved"): (
        "still unresolved",
        "Feeling heard helps, but nothing has been done about the problem yet: they won't "
        "be calm until something is.",
    ),
    ("silence", "slow"): (
        "slow answer",
        "{seconds} seconds before you answered, {past} past the time to read the screen: the"
        " customer heard only silence. Answer a little sooner; a short holding phrase buys time.",
    ),
    ("lookup_silence", "dead_air"): (
        "dead air",
        "{seconds} seconds of silence while they waited on your lookup, and no word to say "
        "what you were doing. Talk them through it: dead air feels like being ignored.",
    ),
    ("debt", "promise_broken"): (
        "promise broken",
        "The promise you couldn't keep came due after the call, and they are angrier than ever.",
    ),
}


def explained(
    source: str,
    case: str,
    anger: int,
    principle: str,
    catalog: Catalog,
    quality: float | None = None,
    **values: str,
) -> Effect:
    """One of the engine's own effects, in the words the catalog carries for its reader."""
    short, reason = SIDE_EFFECTS[source, case]
    base = f"effect:{source}:{case}"
    short = catalog.said(f"{base}:short", short)
    english = reason
    reason = catalog.said(f"{base}:reason", reason)
    if values:
        try:
            reason = reason.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation: the English
            reason = english.format(**values)
    return Effect(source, case, anger, principle, short, reason, quality=quality)


def side_effect(source: str, case: str, anger: int, principle: str, catalog: Catalog) -> Effect:
    """An effect the trainee's words didn't cause (silence, a flare-up, a threat): not judged."""
    return explained(source, case, anger, principle, catalog)


def flare_effect(added: int, catalog: Catalog) -> Effect:
    return side_effect("flare", "flared", added, "G-CALM-3", catalog)


def threat_effect(added: int, catalog: Catalog) -> Effect:
    return side_effect("threat", "turned", added, "G-BOUNDARY-4", catalog)


def unresolved_effect(added: int, catalog: Catalog) -> Effect:
    return side_effect("unresolved", "unresolved", added, "G-RESOLVE-1", catalog)


def silence_effect(added: int, silence: float, allowance: float, catalog: Catalog) -> Effect:
    """Pace is its own lesson: silence past the reading allowance costs anger and Pace points,
    never the verdict on the reply that followed."""
    return explained(
        "silence", "slow", added, "G-RESOLVE-7", catalog,
        seconds=f"{silence:.0f}", past=f"{max(0.0, silence - allowance):.0f}",
    )  # fmt: skip


def lookup_silence_effect(added: int, silence: float, catalog: Catalog) -> Effect:
    """Silent during a lookup without keeping them informed: a mistake in its own right."""
    return explained(
        "lookup_silence", "dead_air", added, "G-RESOLVE-7", catalog, -1.0,
        seconds=f"{silence:.0f}",
    )  # fmt: skip
