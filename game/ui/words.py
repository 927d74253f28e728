"""Trainee-facing wording: guide principles by name, never by code.

Scenario authors cite principles by code in their feedback ("… first (G-LISTEN-5)"). Codes
are for supervisors and reports; on a trainee's screen each code becomes the principle's
name, so the text reads as advice, not as a reference number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from game.i18n.translator import ENGLISH, Translator

CODE = re.compile(r"\bG-[A-Z]+-\d+\b")
CITATION = re.compile(r"\s*\((\s*G-[A-Z]+-\d+\s*(?:,\s*G-[A-Z]+-\d+\s*)*)\)")


class Named(Protocol):
    @property
    def title(self) -> str: ...


def name_principles(text: str, principles: Mapping[str, Named], tr: Translator = ENGLISH) -> str:
    """The text with every principle code replaced by the principle's name, in quotes."""

    def title(code: str) -> str:
        principle = principles.get(code)
        return f"“{principle.title}”" if principle is not None else tr._("a guide principle")

    def citation(match: re.Match[str]) -> str:
        codes = [c.strip() for c in match.group(1).split(",")]
        return " (" + ", ".join(title(c) for c in codes) + ")"

    text = CITATION.sub(citation, text)
    return CODE.sub(lambda m: title(m.group(0)), text)


class Due(Protocol):
    def days_left(self, now: datetime) -> int: ...


def due_words(drill: Due, now: datetime, tr: Translator = ENGLISH) -> str:
    """When a drill level is due, in the reader's language: "due now", "due tomorrow"…"""
    days = drill.days_left(now)
    if days == 0:
        return tr._("due now")
    if days == 1:
        return tr._("due tomorrow")
    return tr._n("due in {n} day", "due in {n} days", days)
