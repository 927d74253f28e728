"""The onboarding campaign: levels in order, each with a pass score and its scenario.

A level whose scenario fails to load keeps its problems instead of a scenario, so the
rest of the campaign still plays. Levels live in the campaign's folder: a level whose file
resolves (through `..`, an absolute path or a symbolic link) anywhere else is never read, so a
campaign cannot put another file's contents (say, a link to /etc/shadow) on a level card.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.scenario.loader import load_scenario
from game.scenario.model import FORMAT_VERSION, POLICY_KINDS, Policy, PolicyOverride, Scenario
from game.scenario.problems import Position, Problem, ProblemSink, ScenarioError
from game.scenario.reader import MAX_TITLE, Reader
from game.scenario.source import decode, inside, parse_text, read_bytes

DEFAULT_PASS = 70


@dataclass(frozen=True, slots=True)
class Level:
    number: int
    file: Path
    pass_score: int
    scenario: Scenario | None
    problems: tuple[Problem, ...]

    @property
    def playable(self) -> bool:
        return self.scenario is not None

    @property
    def title(self) -> str:
        if self.scenario is not None:
            return self.scenario.title.en
        return self.file.stem.replace("-", " ").capitalize()

    @property
    def key(self) -> str:
        """The id records use: the scenario id, or the file stem when it failed to load."""
        return self.scenario.id if self.scenario is not None else self.file.stem


@dataclass(frozen=True, slots=True)
class Campaign:
    path: Path
    title: str
    policy: Policy
    levels: tuple[Level, ...]

    def level(self, key: str) -> Level | None:
        return next((lvl for lvl in self.levels if lvl.key == key), None)

    def policy_for(self, scenario: Scenario) -> Policy:
        return scenario.policy.over(self.policy)


def load_campaign(path: str | Path) -> Campaign:
    """Load the campaign file; raises ScenarioError only for problems in the campaign file."""
    path = Path(path)
    sink = ProblemSink(str(path))
    data = read_bytes(path, sink)
    text = None if data is None else decode(data, sink)
    root = None if text is None else parse_text(text, sink)
    read = Reader(sink)
    top = read.mapping(
        root, "the campaign", required=("format", "title", "levels"), optional=("policy",),
        at=Position(1, 1),
    )  # fmt: skip
    if top is None:
        sink.raise_if_any()
        raise ScenarioError([Problem(str(path), 1, 1, "SC007", "the campaign is empty")])
    fmt = read.integer(top.get("format"), "`format`", 0, 1_000_000)
    fmt_node = top.get("format")
    if fmt is not None and fmt != FORMAT_VERSION and fmt_node is not None:
        sink.add(fmt_node.pos, "SC020", f"format {fmt} is not supported (this game reads format 1)")
    title = read.string(top.get("title"), "`title`", MAX_TITLE) or "Onboarding"
    policy = Policy()
    policy_node = read.mapping(top.get("policy"), "`policy`", optional=tuple(POLICY_KINDS))
    if policy_node is not None:
        chosen = {
            key: read.enum(policy_node.get(key), kind, "SC022", f"`{key}` policy")
            for key, kind in POLICY_KINDS.items()
        }
        policy = PolicyOverride.of(chosen).over(policy)
    entries: list[tuple[Path, int, Position]] = []
    levels_node = top.get("levels")
    items = read.sequence(levels_node, "`levels`")
    if levels_node is not None and not items and not sink.items:
        sink.add(levels_node.pos, "SC025", "`levels` is empty")
    for item in items:
        entry = read.mapping(item, "a level", required=("scenario",), optional=("pass",))
        if entry is None:
            continue
        file = read.string(entry.get("scenario"), "`scenario`")
        pass_node = entry.get("pass")
        pass_score = (
            DEFAULT_PASS if pass_node is None else read.integer(pass_node, "`pass`", 0, 100)
        )
        if file is None or pass_score is None:
            continue
        file_node = entry.get("scenario")
        where = item.pos if file_node is None else file_node.pos
        entries.append((path.parent / file, pass_score, where))
    sink.raise_if_any()

    levels: list[Level] = []
    seen: dict[str, int] = {}
    for number, (level_file, level_pass, pos) in enumerate(entries, start=1):
        scenario: Scenario | None = None
        problems: tuple[Problem, ...] = ()
        confined = inside(path.parent, level_file)
        if not confined:
            problems = (Problem(str(path), pos.line, pos.col, "SC027", _outside(confined)),)
        else:
            try:
                scenario = load_scenario(level_file)
            except ScenarioError as error:
                problems = error.problems
        if scenario is not None and scenario.id in seen:
            message = f"scenario id '{scenario.id}' is already level {seen[scenario.id]}"
            problems = (Problem(str(path), pos.line, pos.col, "SC009", message),)
            scenario = None
        elif scenario is not None:
            seen[scenario.id] = number
        levels.append(Level(number, level_file, level_pass, scenario, problems))
    return Campaign(path, title, policy, tuple(levels))


def _outside(confined: bool | None) -> str:
    if confined is None:
        return "this level's file cannot be resolved (a loop of links); it was not read"
    return (
        "this level's file is outside the campaign's folder once links are resolved, so it"
        " was not read; levels must live in the campaign file's folder: move or copy it there"
    )


def find_campaign_for(scenario_path: Path) -> Campaign | None:
    """The campaign next to a scenario file, if there is one that lists it."""
    candidate = scenario_path.parent / "campaign.yaml"
    if not candidate.is_file():
        return None
    try:
        campaign = load_campaign(candidate)
    except ScenarioError:
        return None
    resolved = scenario_path.resolve()
    if any(level.file.resolve() == resolved for level in campaign.levels):
        return campaign
    return None


def play_settings_for(scenario_path: Path, scenario: Scenario) -> tuple[Policy, int]:
    """The company policy and pass score a scenario file is played under outside the game.

    The campaign beside the file decides both when it lists the file; otherwise the default
    policy and pass score apply. One rule for `text`, `plan` and anything else that plays a
    file by path.
    """
    campaign = find_campaign_for(scenario_path)
    if campaign is None:
        return Policy(), DEFAULT_PASS
    level = campaign.level(scenario.id)
    return campaign.policy, level.pass_score if level is not None else DEFAULT_PASS
