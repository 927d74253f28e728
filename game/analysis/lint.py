"""`hold-the-line lint`: warnings about a scenario's pedagogy and shape.

Validation says whether a file can be played; lint says whether it teaches well: dead
flags, nodes where every option is equally right or wrong, endings nobody can reach,
anger branches that never fire, the right answer always being the longest.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from game.analysis.kept import Kept
from game.analysis.montecarlo import StateSpace, compile_scenario, explore_states
from game.analysis.paths import Exploration, explore
from game.engine.bands import BANDS
from game.engine.catalog import Catalog
from game.engine.session import screen_words
from game.engine.step import verdict_for
from game.engine.variation import line_variant
from game.scenario.campaign import find_campaign_for
from game.scenario.loader import load_scenario
from game.scenario.model import Choice, Node, Policy, PolicyOverride, Scenario, Tone, Verdict
from game.scenario.overrides import with_policy
from game.scenario.problems import Position, ScenarioError
from game.scenario.validate import CAMPAIGN_FILE, yaml_files

MODELINE = "# yaml-language-server: $schema="
PRINCIPLE_ID = re.compile(r"G-[A-Z]+-\d+")
MAX_STATES = 200_000  # conversation states `expect` is checked in; past it, LN017 says so
# Warn when the longest reply is a good one at more than this share of a level's decision
# points: with three or four replies and one or two good ones, chance is about a third.
LONGEST_SHARE = 0.4
LONGEST_MIN_DECISIONS = 3  # fewer decisions than this say nothing about a habit
# Words on screen at one decision (the customer's line and every reply) that a channel can
# carry: on a live channel about a minute's reading at 150 words a minute while the customer
# waits; in writing, more.
READING_LIMITS = {"phone": 150, "in_person": 150, "chat": 180, "email": 320}
# A warm or grateful line fits only below this anger (the bottom of the Angry band).
WARM_BELOW = BANDS[2].low
MIN_BAD_ENDINGS = 2  # a level should be losable in at least two different ways


@dataclass(frozen=True, slots=True)
class LintWarning:
    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


def _judged(
    node_id: str, choice: Choice, exploration: Exploration | None, catalog: Catalog
) -> tuple[bool, bool]:
    """(right on every route, right on some route): as judged in play, else by technique kind."""
    seen = exploration.quality_of(node_id, choice.number) if exploration else None
    if seen is not None:
        return seen[0] > 0, seen[1] > 0
    helpful = all(catalog.techniques[t].helpful for t in choice.techniques)
    return helpful, helpful


@dataclass(frozen=True, slots=True)
class IntentCheck:
    """Every verdict each choice gets over every reachable conversation state
    (`explore_states`), with how many replies declared poor or bad came before it."""

    space: StateSpace
    node_index: Mapping[str, int]

    def found(self, node_id: str, number: int) -> tuple[tuple[int, int, tuple[int, ...]], ...]:
        key = (self.node_index[node_id], number)
        return next((found for k, found in self.space.verdicts if k == key), ())


_CHECKED: Kept[IntentCheck] = Kept(24)  # state searches made, by what decides them


def intent_check(
    scenario: Scenario, policy: Policy | None, catalog: Catalog, max_states: int = MAX_STATES
) -> IntentCheck:
    key = (scenario, scenario.policy.over(policy or Policy()), catalog.content_hash, max_states)
    return _CHECKED.get(
        key if catalog.content_hash else None,
        lambda: _intent_check(scenario, policy, catalog, max_states),
    )


def _intent_check(
    scenario: Scenario, policy: Policy | None, catalog: Catalog, max_states: int
) -> IntentCheck:
    compiled = compile_scenario(scenario, policy, catalog=catalog)
    declared_mistake = np.array(
        [
            choice.expect is not None and choice.expect.value in ("poor", "bad")
            for node in scenario.nodes
            for choice in node.choices
        ],
        dtype=bool,
    )
    space = explore_states(
        compiled, catalog=catalog, declared_mistake=declared_mistake, max_states=max_states
    )
    return IntentCheck(space, MappingProxyType(dict(compiled.node_index)))


def _check_expect(
    node_id: str,
    choice: Choice,
    intent: IntentCheck | None,
    warn: Callable[[Position, str, str], None],
    every_path: bool,
) -> int:
    """LN014: a reachable state in which the engine's verdict differs from the author's
    `expect`, on a path whose earlier replies were all ones the author meant as right (good
    or fair; for a choice only a declared mistake leads to, the fewest such). LN015: a
    choice that declares none. LN016 (with `every_path`): the verdict differs only after an
    earlier reply its author declared poor or bad, a moment the author did not write for.
    Reported once per choice and verdict, with a shortest path that shows it. Returns 1 if
    the choice has an LN016 difference (reported or not), else 0."""
    if choice.expect is None:
        warn(choice.pos, "LN015", f"choice {choice.number} of '{node_id}' declares no `expect`")
        return 0
    if intent is None:
        return 0
    found = intent.found(node_id, choice.number)
    if not found:
        return 0
    fewest = min(earlier for earlier, _, _ in found)
    meant: dict[Verdict, tuple[int, ...]] = {}
    later: dict[Verdict, tuple[int, ...]] = {}
    for earlier, quality2, path in found:
        verdict = verdict_for(quality2 / 2)
        if verdict is choice.expect:
            continue
        into = meant if earlier == fewest else later
        if verdict not in into or len(path) < len(into[verdict]):
            into[verdict] = path
    for verdict, path in meant.items():
        warn(
            choice.pos,
            "LN014",
            f"choice {choice.number} of '{node_id}' expects {choice.expect.value}, but is "
            f"judged {verdict} on the path {_path(path)}",
        )
    later = {v: p for v, p in later.items() if v not in meant}
    if every_path:
        for verdict, path in later.items():
            warn(
                choice.pos,
                "LN016",
                f"choice {choice.number} of '{node_id}' expects {choice.expect.value}, but "
                f"after an earlier reply declared poor or bad it is judged {verdict}, e.g. on "
                f"the path {_path(path)}",
            )
    return int(bool(later))


def _path(choices: tuple[int, ...]) -> str:
    return ",".join(str(n) for n in choices)


def _is_good(node_id: str, choice: Choice, exploration: Exploration | None) -> bool:
    """Judged good somewhere in play (else: declared good)."""
    seen = exploration.quality_of(node_id, choice.number) if exploration else None
    if seen is not None:
        return verdict_for(seen[1]) == "good"
    return choice.expect is not None and choice.expect.value == "good"


def _longest_shares(node: Node) -> dict[int, float]:
    """How often each reply is the longest on screen (by words), over every combination of
    wordings an attempt can show; a tie has no longest."""
    shares: dict[int, float] = {}
    wordings = [c.wordings or (c.say,) for c in node.choices]
    combos = list(itertools.product(*(range(len(w)) for w in wordings)))
    for combo in combos:
        words = [len(w[i].en.split()) for w, i in zip(wordings, combo, strict=True)]
        top = max(words)
        if words.count(top) == 1:
            number = node.choices[words.index(top)].number
            shares[number] = shares.get(number, 0.0) + 1 / len(combos)
    return shares


def _check_lines(
    scenario: Scenario, exploration: Exploration, warn: Callable[[Position, str, str], None]
) -> None:
    """LN018: a `tone: warm` line said at high anger; LN019: a `tone: confirms` line said
    before any recap or acknowledgement. Checked on every state play reaches the node in."""
    warned: set[tuple[str, int, str]] = set()
    for node_id, anger, flags, turns, facts in exploration.line_states:
        node = scenario.node(node_id)
        variant = line_variant(node, anger, flags, turns, facts)
        if variant is None or variant.tone is None:
            continue
        index = node.lines.index(variant) + 1
        if variant.tone is Tone.WARM and anger >= WARM_BELOW:
            code, why = "LN018", f"is warm, but can be said at anger {anger}"
            advice = f"give it `when: {{anger_below: {WARM_BELOW}}}` and a line for angrier moments"
        elif variant.tone is Tone.CONFIRMS and "not_acknowledged" in facts:
            code, why = "LN019", "confirms a recap, but can be said before any recap"
            advice = "give it `when: {fact: acknowledged}` and a line for when nothing was recapped"
        else:
            continue
        if (node_id, index, code) in warned:
            continue
        warned.add((node_id, index, code))
        warn(variant.pos, code, f"customer line {index} of '{node_id}' {why}: {advice}")


def lint_scenario(
    scenario: Scenario,
    source: str,
    exploration: Exploration | None = None,
    *,
    catalog: Catalog,
    intent: IntentCheck | None = None,
    every_path: bool = False,
    notes: list[str] | None = None,
) -> list[LintWarning]:
    """Every warning for one scenario. `intent` (see `intent_check`) checks `expect`; a
    note for `notes` says what was left out (states past the cap, LN016 without
    `every_path`): lint never leaves something out silently."""
    path = scenario.path
    found: list[LintWarning] = []
    context_only = 0

    def warn(pos: Position, code: str, message: str) -> None:
        found.append(LintWarning(path, pos.line, pos.col, code, message))

    if not source.lstrip("\ufeff").startswith(MODELINE):
        warn(
            Position(1, 1),
            "LN011",
            "first line should be `# yaml-language-server: $schema=schema.json`",
        )

    set_flags = {f: c.pos for n in scenario.nodes for c in n.choices for f in c.sets}
    for seeded, _ in scenario.seeded_flags:
        set_flags.setdefault(seeded, Position(1, 1))
    tested: dict[str, Position] = {}
    for node in scenario.nodes:
        for variant in node.lines:
            if variant.when is not None:
                for flag in (variant.when.flag, variant.when.not_flag):
                    if flag is not None:
                        tested.setdefault(flag, variant.pos)
    for node in scenario.nodes:
        for choice in node.choices:
            for branch in choice.branches:
                if branch.when is not None:
                    for flag in (branch.when.flag, branch.when.not_flag):
                        if flag is not None:
                            tested.setdefault(flag, branch.pos)
    for flag, pos in tested.items():
        if flag not in set_flags:
            warn(pos, "LN001", f"flag '{flag}' is tested but never set")
    for flag, pos in set_flags.items():
        if flag not in tested:
            warn(pos, "LN002", f"flag '{flag}' is set but never tested")

    decisions = [n for n in scenario.nodes if n.choices]
    longest_is_good = 0.0  # decisions at which the longest reply shown is a good one
    good_nodes: list[str] = []
    judged_decisions = 0
    limit = READING_LIMITS[scenario.channel.value]
    for node in decisions:
        if not 2 <= len(node.choices) <= 4:
            warn(
                node.pos,
                "LN003",
                f"node '{node.id}' offers {len(node.choices)} choices (2–4 teach best)",
            )
        judged = [_judged(node.id, c, exploration, catalog) for c in node.choices]
        if len(node.choices) >= 2 and (all(a for a, _ in judged) or not any(s for _, s in judged)):
            which = "right" if all(a for a, _ in judged) else "wrong"
            warn(
                node.pos,
                "LN004",
                f"every choice at node '{node.id}' is {which}: nothing to tell apart",
            )
        if len(node.choices) >= 2:
            judged_decisions += 1
            good_share = sum(
                share
                for number, share in _longest_shares(node).items()
                if _is_good(node.id, node.choices[number - 1], exploration)
            )
            longest_is_good += good_share
            if good_share >= 0.5:
                good_nodes.append(node.id)
        words = screen_words(scenario, node.id)
        if words > limit:
            warn(
                node.pos,
                "LN020",
                f"{words} words on screen at '{node.id}' (its line and every reply); a "
                f"{scenario.channel.value} decision carries at most {limit}: shorten the replies",
            )
        for choice in node.choices:
            context_only += _check_expect(node.id, choice, intent, warn, every_path)
            if choice.feedback is None:
                continue
            cited = PRINCIPLE_ID.findall(choice.feedback.en)
            if not cited:
                warn(choice.pos, "LN012", "`feedback` cites no guide principle (G-…)")
            for principle in cited:
                if principle not in catalog.principles:
                    warn(choice.pos, "LN013", f"`feedback` cites unknown principle {principle}")
    if (
        judged_decisions >= LONGEST_MIN_DECISIONS
        and longest_is_good / judged_decisions > LONGEST_SHARE
    ):
        warn(
            Position(1, 1),
            "LN009",
            f"the longest reply shown is a good one at {longest_is_good:.1f} of "
            f"{judged_decisions} decisions (more than {LONGEST_SHARE:.0%}; over the wordings "
            "an attempt can show): trainees can pass by length. Make a wrong reply the "
            "longest, or give it a longer wording, at some of: " + ", ".join(good_nodes),
        )
    if exploration is not None:
        _check_lines(scenario, exploration, warn)

    anger_branches = [
        (node, choice, i)
        for node in scenario.nodes
        for choice in node.choices
        for i, b in enumerate(choice.branches)
        if b.when is not None
        and (b.when.anger_at_least is not None or b.when.anger_below is not None)
    ]
    if exploration is not None:
        for node in scenario.nodes:
            for choice in node.choices:
                for i, branch in enumerate(choice.branches):
                    if (node.id, choice.number, i) not in exploration.taken_branches and len(
                        choice.branches
                    ) > 1:
                        warn(
                            branch.pos,
                            "LN006",
                            f"branch to '{branch.goto}' (choice {choice.number} of '{node.id}') is never taken",
                        )
        reached = exploration.paths.endings_reached()
        for node in scenario.nodes:
            if node.is_end and node.id not in reached:
                warn(node.pos, "LN007", f"ending '{node.id}' is never reached in play")
        # LN008 asks for consequences, not for a second happy ending: a mistake must be able
        # to lose the call, in more than one way. It used to ask for two good endings too,
        # which pushed authors into sales endings that made no sense for the story.
        bad = {e for e in exploration.paths.endings_reached("bad") if not e.startswith("(")}
        if len(bad) < MIN_BAD_ENDINGS:
            warn(
                Position(1, 1),
                "LN008",
                f"{len(bad)} bad ending(s) reachable; aim for at least {MIN_BAD_ENDINGS}: "
                "different mistakes, different consequences",
            )
        if not exploration.guide_following().endings_reached("good"):
            warn(
                Position(1, 1),
                "LN005",
                "no path that follows the guides throughout reaches a good ending",
            )
        taken_anger = [
            b for b in anger_branches if (b[0].id, b[1].number, b[2]) in exploration.taken_branches
        ]
        if not taken_anger:
            warn(
                Position(1, 1),
                "LN010",
                "no anger-dependent branch is ever taken: the meter never changes the story",
            )
    elif not anger_branches:
        warn(
            Position(1, 1), "LN010", "no branch depends on anger: the meter never changes the story"
        )
    if intent is not None and intent.space.capped:
        warn(
            Position(1, 1),
            "LN017",
            f"`expect` was checked in the first {intent.space.states} conversation states "
            "only: the scenario has more (loops that change the customer each time round)",
        )
    if notes is not None and context_only and not every_path:
        notes.append(
            f"{path}: {context_only} choice(s) are judged otherwise only after an earlier reply "
            "declared poor or bad; `lint --every-path` lists them (LN016)"
        )
    return sorted(found, key=lambda w: (w.line, w.col, w.code))


def lint_paths(
    paths: Iterable[Path],
    *,
    catalog: Catalog,
    policy: PolicyOverride | None = None,
    every_path: bool = False,
    notes: list[str] | None = None,
) -> tuple[list[LintWarning], list[str]]:
    """Lint every scenario file under `paths`, judged by `catalog`; `policy` (from
    `--policy`) overrides the campaign's and the scenario's own."""
    files, missing = yaml_files(list(paths))
    warnings: list[LintWarning] = []
    errors = [str(p) for p in missing]
    for file in files:
        if file.name == CAMPAIGN_FILE:
            continue
        try:
            scenario = load_scenario(file)
        except ScenarioError as error:
            errors.extend(str(p) for p in error.problems)
            continue
        campaign = find_campaign_for(file)
        base = campaign.policy if campaign else Policy()
        if policy is not None:
            scenario = with_policy(scenario, policy)
        source = file.read_text(encoding="utf-8")
        exploration = explore(scenario, policy=base, catalog=catalog)
        warnings.extend(
            lint_scenario(
                scenario,
                source,
                exploration,
                catalog=catalog,
                intent=intent_check(scenario, base, catalog),
                every_path=every_path,
                notes=notes,
            )
        )
    return warnings, errors


def lint_command(
    paths: list[Path],
    *,
    as_json: bool,
    catalog: Catalog,
    policy: PolicyOverride | None = None,
    every_path: bool = False,
) -> int:
    notes: list[str] = []
    warnings, errors = lint_paths(
        paths, catalog=catalog, policy=policy, every_path=every_path, notes=notes
    )
    if as_json:
        print(
            json.dumps(
                {"warnings": [asdict(w) for w in warnings], "errors": errors, "notes": notes},
                indent=2,
            )
        )
    else:
        for line in errors:
            print(line)
        for warning in warnings:
            print(warning)
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        print(f"{len(warnings)} warning(s), {len(errors)} error(s)", file=sys.stderr)
    if errors:
        return 2
    return 1 if warnings else 0
