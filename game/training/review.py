"""One review of any recorded attempt, for the trainee's history and the supervisor's desk.

Reading the attempt and rebuilding it go through the one replay of a recorded call
(`game.records.replayed.replay_recorded`, over `game.engine.session.replay_conversation`);
this module adds what both hosts asked for on top: the attempt's level in the campaign,
and whether there is a debrief to show at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.catalog import Catalog
from game.engine.scoring import Debrief
from game.engine.state import Speaker
from game.records import replayed
from game.records.api import AttemptDetail, Store
from game.records.replayed import RecordedCall
from game.scenario.campaign import Campaign, Level


@dataclass(frozen=True, slots=True)
class AttemptReview:
    """A recorded attempt ready to show: its level and its rebuilt call.

    `level` is None when the attempt's level is no longer in the campaign (or no longer
    loads): the attempt is still in the records, but there is nothing to replay it against."""

    detail: AttemptDetail
    level: Level | None
    call: RecordedCall | None

    @property
    def report(self) -> Debrief | None:
        return None if self.call is None else self.call.report

    @property
    def note(self) -> str | None:
        """Why the review shows the stored score (another rule set, a changed level)."""
        return None if self.call is None else self.call.note

    @property
    def lines(self) -> tuple[tuple[Speaker, str], ...]:
        """(speaker, text) for every line of the call: "customer" or "agent"."""
        return () if self.call is None else spoken_lines(self.call)


def spoken_lines(call: RecordedCall) -> tuple[tuple[Speaker, str], ...]:
    """(speaker, text) for every line of a recorded call."""
    return tuple((line.speaker, line.text) for line in call.lines)


def review_attempt(
    store: Store, campaign: Campaign, catalog: Catalog, attempt_id: int, lang: str | None = None
) -> AttemptReview | None:
    """The attempt's review; None when there is nothing to review (no such attempt, or one
    that never finished: it has no debrief). In `lang` (a supervisor's), else the language
    it was played in."""
    detail = store.attempt_detail(attempt_id)
    if detail is None:
        return None
    level = campaign.level(detail.attempt.scenario_id)
    if level is None or level.scenario is None:
        return AttemptReview(detail, None, None)
    call = replayed.replay_recorded(detail, level.scenario, catalog, lang)
    if call.report is None:
        return None
    return AttemptReview(detail, level, call)
