"""Located problems with stable codes, shared by the loader, the checks and lint."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

# Stable codes: authors search for them, tests assert them. Never renumber.
CODES: dict[str, str] = {
    "SC001": "unknown node (in `start`, `next` or `goto`)",
    "SC002": "unknown technique",
    "SC003": "unknown persona",
    "SC004": "unknown channel",
    "SC005": "unknown ending",
    "SC006": "unknown key",
    "SC007": "missing field",
    "SC008": "wrong type",
    "SC009": "duplicate id or key",
    "SC010": "node has neither `choices` nor `end` (or has both)",
    "SC011": "unreachable node",
    "SC012": "no ending can be reached from here (a cycle with no way out)",
    "SC013": "conditional `next`: only the last branch may, and must, have no `when`",
    "SC014": "number out of range",
    "SC015": "missing English text",
    "SC016": "YAML syntax error",
    "SC017": "YAML tag not allowed (only plain data; no `!!python/...` or custom tags)",
    "SC018": "file too large, nested too deeply, or aliases expand too far",
    "SC019": "file is not valid UTF-8",
    "SC020": "unsupported format version",
    "SC021": "bad id (ids are kebab-case for scenarios, snake_case for nodes and flags)",
    "SC022": "unknown policy value",
    "SC023": "unknown condition in `when`",
    "SC024": "unknown language code",
    "SC025": "empty list where at least one entry is needed",
    "SC026": "unknown moment tag",
    "SC027": "file cannot be read",
    "SC028": "unknown outcome rating",
    "SC029": "unknown `expect` verdict (good, fair, poor or bad)",
}

LINT_CODES: dict[str, str] = {
    "LN001": "flag is tested in `when` but never set",
    "LN002": "flag is set but never tested",
    "LN003": "decision point with fewer than 2 or more than 4 choices",
    "LN004": "every choice at this node uses the same verdict (nothing to learn)",
    "LN005": "no guide-following path reaches a good ending",
    "LN006": "a conditional branch can never be taken",
    "LN007": "an ending can never be reached in play",
    "LN008": "scenario has fewer than two good or two bad endings",
    "LN009": "the right option is always the longest one at this node",
    "LN010": "the anger meter never changes which way the story goes",
    "LN011": "missing `yaml-language-server` schema modeline",
    "LN012": "a choice's `feedback` cites no guide principle id",
    "LN013": "feedback cites an unknown guide principle id",
}


@dataclass(frozen=True, slots=True)
class Position:
    """1-based line and column in a source file."""

    line: int
    col: int


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    col: int
    code: str
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"
        if self.suggestion is not None:
            text += f" (did you mean '{self.suggestion}'?)"
        return text


class ScenarioError(Exception):
    """Everything wrong with one file, all at once, in source order."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(
            sorted(problems, key=lambda p: (p.path, p.line, p.col, p.code))
        )
        super().__init__("\n".join(str(p) for p in self.problems))


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The near-miss an author most likely meant, if any is close enough."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


class ProblemSink:
    """Collects problems for one file so every check can run before we report."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Problem] = []

    def add(self, pos: Position, code: str, message: str, suggestion: str | None = None) -> None:
        self.items.append(Problem(self.path, pos.line, pos.col, code, message, suggestion))

    def unknown(
        self,
        pos: Position,
        code: str,
        what: str,
        word: str,
        known: Iterable[str],
        where: str = "",
    ) -> None:
        suffix = f" {where}" if where else ""
        self.add(pos, code, f"unknown {what} '{word}'{suffix}", closest(word, known))

    def raise_if_any(self) -> None:
        if self.items:
            raise ScenarioError(self.items)
