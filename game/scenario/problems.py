"""Located problems with stable codes, shared by the loader, the checks and lint."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import NamedTuple

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
    "SC029": "control character in the file (NUL, ESC, ...; raw or written as an escape)",
    "SC030": "text or id longer than its limit",
    "SC031": "unknown `expect` verdict (good, fair, poor or bad)",
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


# Control characters an author's text could smuggle into a message (an unknown key written
# as "\x1b[2J" would otherwise clear the terminal that prints the problem; a newline could
# forge a line of output that looks like another problem, or like none).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """One line safe to print: control characters shown as escapes, never sent as themselves."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


class Position(NamedTuple):
    """1-based line and column in a source file.

    A named tuple, not a dataclass: every value read from a file gets one, and a tuple is
    made in half the time of a frozen dataclass.
    """

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


# How many candidate comparisons the did-you-mean search may make for one file. Each unknown
# name is compared with every known one, so a file of 2,000 nodes with 1,000 broken links
# asked for 2 million (6.7 s); past the budget, problems are still reported, without a guess.
SUGGESTION_BUDGET = 40_000
MAX_SUGGESTED_WORD = 100  # a longer word is no typo of an id


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The near-miss an author most likely meant, if any is close enough."""
    if len(word) > MAX_SUGGESTED_WORD:
        return None
    import difflib  # here: a file with no unknown name never needs it

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


class ProblemSink:
    """Collects problems for one file so every check can run before we report."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[Problem] = []
        self.places: set[tuple[int, int]] = set()
        self.suggestion_budget = SUGGESTION_BUDGET

    def add(self, pos: Position, code: str, message: str, suggestion: str | None = None) -> None:
        if suggestion is not None:
            suggestion = printable(suggestion)
        self.items.append(
            Problem(self.path, pos.line, pos.col, code, printable(message), suggestion)
        )
        self.places.add((pos.line, pos.col))

    def reported_at(self, pos: Position) -> bool:
        return (pos.line, pos.col) in self.places

    def unknown(
        self,
        pos: Position,
        code: str,
        what: str,
        word: str,
        known: Iterable[str],
        where: str = "",
    ) -> str | None:
        """Report an unknown name, with the near-miss the author most likely meant (returned)."""
        suffix = f" {where}" if where else ""
        candidates = known if isinstance(known, Collection) else tuple(known)
        suggestion = None
        if self.suggestion_budget >= len(candidates):
            self.suggestion_budget -= len(candidates)
            suggestion = closest(word, candidates)
        self.add(pos, code, f"unknown {what} '{word}'{suffix}", suggestion)
        return suggestion

    def raise_if_any(self) -> None:
        if self.items:
            raise ScenarioError(self.items)
