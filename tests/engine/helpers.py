"""Build small real scenarios from YAML for engine tests."""

from __future__ import annotations

import textwrap

from game.engine.session import Phase, SessionState, TimerMode, Turn, choose, proceed, start
from game.scenario.loader import parse_scenario
from game.scenario.model import Policy, Scenario
from tests.catalog import CATALOG


def make(
    nodes: str,
    *,
    persona: str = "angry",
    anger: int = 50,
    vent: int = 0,
    channel: str = "phone",
    policy: str = "",
) -> Scenario:
    """A scenario whose `nodes:` block is given (start node: `opening`)."""
    text = textwrap.dedent(
        f"""\
        format: 1
        id: engine-test
        title: Engine test
        summary: A scenario built by a test.
        channel: {channel}
        difficulty: 1
        customer: {{name: Test, persona: {persona}, anger: {anger}, vent: {vent}}}
        {policy}
        start: opening
        nodes:
        """
    ) + textwrap.indent(textwrap.dedent(nodes), "  ")
    return parse_scenario(text.encode(), "engine-test.yaml")


def one_move(technique: str, tags: str = "[]") -> str:
    """An opening where the only interesting choice is `technique`, then an ending."""
    return f"""\
    opening:
      customer: "Hello."
      tags: {tags}
      choices:
        - say: "The move."
          technique: {technique}
          next: after
        - say: "Something else."
          technique: listen
          next: after
    after:
      customer: "Well."
      end: resolved
"""


def play(
    scenario: Scenario, *choices: int, policy: Policy | None = None
) -> tuple[SessionState, list[Turn]]:
    state = start(scenario, policy=policy, timer=TimerMode.OFF, catalog=CATALOG)
    turns = []
    for number in choices:
        while state.phase is Phase.SPEAKING:
            state = proceed(scenario, state)
        state, turn = choose(scenario, state, number, catalog=CATALOG)
        turns.append(turn)
    while state.phase is Phase.SPEAKING:
        state = proceed(scenario, state)
    return state, turns


def effect(turn: Turn, technique: str) -> tuple[str, int, float | None, str | None]:
    """(case, anger, quality, principle) of one technique's effect in a turn."""
    for e in turn.effects:
        if e.source == technique:
            return e.case, e.anger, e.quality, e.principle
    raise AssertionError(f"{technique} not in {turn.effects}")
