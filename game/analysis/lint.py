"""`hold-the-line lint`: warnings about a scenario's pedagogy and shape.

Validation says whether a file can be played; lint says whether it teaches well: dead
flags, nodes where every option is equally right or wrong, endings nobody can reach,
anger branches that never fire, the right answer always being the longest.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from game.analysis.paths import Exploration, explore
from game.engine.catalog import load_catalog
from game.scenario.campaign import find_campaign_for
from game.scenario.loader import load_scenario
from game.scenario.model import Choice, Policy, Scenario
from game.scenario.problems import Position, ScenarioError
from game.scenario.validate import CAMPAIGN_FILE, yaml_files

MODELINE = "# yaml-language-server: $schema="
PRINCIPLE_ID = re.compile(r"G-[A-Z]+-\d+")
LONGEST_SHARE = 0.8
MIN_BAD_ENDINGS = 2  # warn when the best option is the longest at this share of decisions


@dataclass(frozen=True, slots=True)
class LintWarning:
    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


def _judged(node_id: str, choice: Choice, exploration: Exploration | None) -> tuple[bool, bool]:
    """(right on every route, right on some route): as judged in play, else by technique kind."""
    seen = exploration.quality_of(node_id, choice.number) if exploration else None
    if seen is not None:
        return seen[0] > 0, seen[1] > 0
    catalog = load_catalog()
    helpful = all(catalog.techniques[t].helpful for t in choice.techniques)
    return helpful, helpful


def _check_expect(
    node_id: str,
    choice: Choice,
    exploration: Exploration | None,
    warn: Callable[[Position, str, str], None],
) -> None:
    """LN014: a path on which the engine's verdict differs from the author's `expect`;
    LN015: a choice that declares none. Checked on every path that reaches the choice with
    the fewest earlier mistakes: none, unless only a mistake leads there (after a further
    mistake it is another moment than the one authored)."""
    if choice.expect is None:
        warn(choice.pos, "LN015", f"choice {choice.number} of '{node_id}' declares no `expect`")
        return
    if exploration is None:
        return
    for verdict, path in exploration.verdicts_of(node_id, choice.number).items():
        if verdict != choice.expect.value:
            warn(
                choice.pos,
                "LN014",
                f"choice {choice.number} of '{node_id}' expects {choice.expect.value}, but is "
                f"judged {verdict} on the path {','.join(str(n) for n in path)}",
            )


def lint_scenario(
    scenario: Scenario, source: str, exploration: Exploration | None = None
) -> list[LintWarning]:
    catalog = load_catalog()
    path = scenario.path
    found: list[LintWarning] = []

    def warn(pos: Position, code: str, message: str) -> None:
        found.append(LintWarning(path, pos.line, pos.col, code, message))

    if not source.lstrip("\ufeff").startswith(MODELINE):
        warn(
            Position(1, 1),
            "LN011",
            "first line should be `# yaml-language-server: $schema=schema.json`",
        )

    set_flags = {f: c.pos for n in scenario.nodes for c in n.choices for f in c.sets}
    tested: dict[str, Position] = {}
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
    longest_is_best = 0
    judged_decisions = 0
    for node in decisions:
        if not 2 <= len(node.choices) <= 4:
            warn(
                node.pos,
                "LN003",
                f"node '{node.id}' offers {len(node.choices)} choices (2–4 teach best)",
            )
        judged = [_judged(node.id, c, exploration) for c in node.choices]
        if len(node.choices) >= 2 and (all(a for a, _ in judged) or not any(s for _, s in judged)):
            which = "right" if all(a for a, _ in judged) else "wrong"
            warn(
                node.pos,
                "LN004",
                f"every choice at node '{node.id}' is {which}: nothing to tell apart",
            )
        helpful = [c for c, (_, some) in zip(node.choices, judged, strict=True) if some]
        if len(node.choices) >= 3 and len(helpful) == 1:
            judged_decisions += 1
            longest = max(node.choices, key=lambda c: len(c.say.en))
            longest_is_best += longest is helpful[0]
        for choice in node.choices:
            _check_expect(node.id, choice, exploration, warn)
            if choice.feedback is None:
                continue
            cited = PRINCIPLE_ID.findall(choice.feedback.en)
            if not cited:
                warn(choice.pos, "LN012", "`feedback` cites no guide principle (G-…)")
            for principle in cited:
                if principle not in catalog.principles:
                    warn(choice.pos, "LN013", f"`feedback` cites unknown principle {principle}")
    if judged_decisions >= 4 and longest_is_best / judged_decisions >= LONGEST_SHARE:
        warn(
            Position(1, 1),
            "LN009",
            f"the one helpful option is also the longest at {longest_is_best} of "
            f"{judged_decisions} decisions: trainees can guess by length",
        )

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
        reached = {p.ending for p in exploration.paths}
        for node in scenario.nodes:
            if node.is_end and node.id not in reached:
                warn(node.pos, "LN007", f"ending '{node.id}' is never reached in play")
        # LN008 asks for consequences, not for a second happy ending: a mistake must be able
        # to lose the call, in more than one way. It used to ask for two good endings too,
        # which pushed authors into sales endings that made no sense for the story.
        bad = {
            p.ending
            for p in exploration.paths
            if p.rating == "bad" and not p.ending.startswith("(")
        }
        if len(bad) < MIN_BAD_ENDINGS:
            warn(
                Position(1, 1),
                "LN008",
                f"{len(bad)} bad ending(s) reachable; aim for at least {MIN_BAD_ENDINGS}: "
                "different mistakes, different consequences",
            )
        if not any(p.rating == "good" and p.mean_quality >= 0.999 for p in exploration.paths):
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
    return sorted(found, key=lambda w: (w.line, w.col, w.code))


def lint_paths(paths: Iterable[Path]) -> tuple[list[LintWarning], list[str]]:
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
        policy = campaign.policy if campaign else Policy()
        source = file.read_text(encoding="utf-8")
        warnings.extend(lint_scenario(scenario, source, explore(scenario, policy=policy)))
    return warnings, errors


def lint_command(paths: list[Path], *, as_json: bool) -> int:
    warnings, errors = lint_paths(paths)
    if as_json:
        print(json.dumps({"warnings": [asdict(w) for w in warnings], "errors": errors}, indent=2))
    else:
        for line in errors:
            print(line)
        for warning in warnings:
            print(warning)
        print(f"{len(warnings)} warning(s), {len(errors)} error(s)", file=sys.stderr)
    if errors:
        return 2
    return 1 if warnings else 0
