"""Shallow play: strategies that pick replies without following the guides.

A level teaches only if a trainee cannot pass it by a surface habit: always the longest
reply, the first one shown, the one full of empathy words. Each strategy here sees what a
trainee sees (the replies in the order shown, their words) and plays whole calls through the
session runner, one per seed, so every seeded variation (wordings, starting state, story
branches, the shuffle) is part of the measurement.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from game.engine.catalog import Catalog
from game.engine.scoring import debrief
from game.engine.session import (
    ChoicePrompt,
    Phase,
    TimerMode,
    choose,
    current,
    proceed,
    start,
)
from game.scenario.model import Policy, Scenario

# A dozen words that sound caring, whatever the reply does.
EMPATHY_WORDS = (
    "sorry", "understand", "apologi", "frustrat", "feel", "hear",
    "appreciate", "thank", "absolutely", "completely", "help", "listen",
)  # fmt: skip
# Techniques that sound "soft": a bot that picks any reply made only of these is
# following the sound of the guides, not the moment. The right move done badly sounds just
# as soft (that is what makes it a trap), so it is in the set too.
SOFT_TECHNIQUES = frozenset(
    {
        "listen", "recap", "empathize", "apologize", "realistic_promise",
        "positive_language", "thank", "use_name", "keep_informed", "follow_up",
        "wrong_recap", "feeling_apology", "scripted_empathy",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Shown:
    """One reply as the trainee sees it: its authoring number, words and techniques."""

    number: int
    text: str
    techniques: tuple[str, ...]


Strategy = Callable[[Sequence[Shown], int], int]  # (replies as shown, a random draw) -> number


def _words(text: str) -> int:
    return len(text.split())


def longest(shown: Sequence[Shown], draw: int) -> int:
    return max(shown, key=lambda s: len(s.text)).number


def shortest(shown: Sequence[Shown], draw: int) -> int:
    return min(shown, key=lambda s: len(s.text)).number


def first_shown(shown: Sequence[Shown], draw: int) -> int:
    return shown[0].number


def last_shown(shown: Sequence[Shown], draw: int) -> int:
    return shown[-1].number


def empathy_words(shown: Sequence[Shown], draw: int) -> int:
    """The reply with the most empathy words (the first shown on a tie)."""

    def hits(s: Shown) -> int:
        lowered = s.text.lower()
        return sum(len(re.findall(word, lowered)) for word in EMPATHY_WORDS)

    return max(shown, key=hits).number


def soft_techniques(shown: Sequence[Shown], draw: int) -> int:
    """Any reply whose techniques all sound soft (at random among them), else at random."""
    soft = [s for s in shown if s.techniques and set(s.techniques) <= SOFT_TECHNIQUES]
    pool = soft or list(shown)
    return pool[draw % len(pool)].number


def uniform_random(shown: Sequence[Shown], draw: int) -> int:
    return shown[draw % len(shown)].number


STRATEGIES: dict[str, Strategy] = {
    "longest": longest,
    "shortest": shortest,
    "first": first_shown,
    "last": last_shown,
    "empathy_words": empathy_words,
    "soft": soft_techniques,
    "random": uniform_random,
}
PASS_BOUND = 0.10  # a shallow strategy may pass a level in at most this share of seeds


def _draw(seed: int, turn: int) -> int:
    return int.from_bytes(hashlib.sha256(f"shallow:{seed}:{turn}".encode()).digest()[:4], "big")


def play(
    scenario: Scenario,
    strategy: Strategy,
    seed: int,
    *,
    policy: Policy | None = None,
    pass_score: int = 70,
    catalog: Catalog,
) -> bool:
    """Play one call with `strategy` (attempt seed `seed`, no clock); True if it passed."""
    state = start(scenario, policy=policy, seed=seed, timer=TimerMode.OFF, catalog=catalog)
    while True:
        while state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
        if state.phase is Phase.ENDED:
            break
        moment = current(scenario, state, catalog=catalog)
        assert isinstance(moment, ChoicePrompt)
        node = scenario.node(state.node)
        shown = [
            Shown(o.number, o.text, node.choices[o.number - 1].techniques) for o in moment.options
        ]
        number = strategy(shown, _draw(seed, state.turn_count))
        state, _ = choose(scenario, state, number, catalog=catalog)
    return debrief(scenario, state, pass_score, catalog=catalog).passed


def pass_rate(
    scenario: Scenario,
    strategy: Strategy,
    seeds: Sequence[int],
    *,
    policy: Policy | None = None,
    pass_score: int = 70,
    catalog: Catalog,
) -> float:
    """Share of `seeds` on which `strategy` passes the level."""
    passed = sum(
        play(scenario, strategy, seed, policy=policy, pass_score=pass_score, catalog=catalog)
        for seed in seeds
    )
    return passed / len(seeds)
