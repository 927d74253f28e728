"""Trainee-facing wording: guide principles by name, never by code.

Scenario authors cite principles by code in their feedback ("… first (G-LISTEN-5)"). Codes
are for supervisors and reports; on a trainee's screen each code becomes the principle's
name, so the text reads as advice, not as a reference number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
