"""One translation unit: a line a reader reads, with the id its translations are found by."""

from __future__ import annotations

from dataclasses import dataclass

from game.i18n.translator import ui_key


@dataclass(frozen=True, slots=True)
class Unit:
    context: str  # the stable id: PO msgctxt
    source: str  # the English text: PO msgid
    path: str  # the file the English comes from (relative, with forward slashes)
    line: int  # its line there (0: unknown)
    notes: tuple[str, ...] = ()  # for the translator
    plural: str = ""  # the English plural (`{n} attempts`) of a line shown with a number
    # True for interface strings: gettext's own key, msgctxt (often empty) + the English;
    # False for content, whose msgctxt is a stable id that survives rewording
    by_english: bool = False

    @property
    def key(self) -> str:
        """What a PO entry is found by: the stable id, or msgctxt + English for the interface."""
        return ui_key(self.context, self.source) if self.by_english else self.context

    @property
    def msgid(self) -> str | tuple[str, str]:
        return (self.source, self.plural) if self.plural else self.source
