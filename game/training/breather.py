"""The breather rule: after a hard call the game offers a pause before the next one.

G-CLOSE-4: a hard call leaves the agent shaken; taking a moment before the next customer is
part of the job, not a failure. A call is hard when it ended badly or with the customer
still this angry.
"""

from __future__ import annotations

from game.engine.scoring import Debrief
from game.scenario.model import Rating

HARD_ANGER = 50  # a call that ends with the customer this angry (or badly) was a hard one


def is_hard(report: Debrief) -> bool:
    """After a hard call the game offers a breather before the next one (G-CLOSE-4)."""
    return report.rating is Rating.BAD or report.final_anger >= HARD_ANGER
