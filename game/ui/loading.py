"""What the game loads behind the title screen: campaign, catalog, records, sound.

The title is drawn from pygame and the settings file alone; everything heavy (the engine,
SQLAlchemy, numpy, the scenario files) loads on a worker thread while the player
reads it. Nothing here touches pygame, so it is safe off the main thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.engine.catalog import Catalog
    from game.records.api import Store
    from game.scenario.campaign import Campaign
    from game.scenario.model import PolicyOverride
    from game.ui.synth import Wave


@dataclass(frozen=True, slots=True)
class World:
    campaign: Campaign | None
    campaign_problems: tuple[str, ...]  # the campaign file itself could not be read
    catalog: Catalog
    store: Store | None
    store_error: str | None
    waves: Mapping[str, Wave]
    # PostgreSQL refused the login the URL gave (none, or a wrong password): the sign-in
    # asks for one (game.ui.scenes.sign_in.LoginScene) instead of showing an error
    login_needed: bool = False


def load_world(
    campaign_path: Path,
    db: str | None,
    sample_rate: int | None,
    catalog: Catalog | None = None,
    policy: PolicyOverride | None = None,
) -> World:
    """Everything behind the title screen; `catalog` and `policy` come from `play --catalog`
    and `play --policy` (None: the bundled catalog, the campaign's own policy)."""
    from game.engine.catalog import load_catalog
    from game.engine.scoring import debrief  # noqa: F401  (warm the import for the first call)
    from game.i18n.localize import localized_campaign
    from game.scenario.campaign import load_campaign
    from game.scenario.problems import ScenarioError

    catalog = catalog or load_catalog()
    campaign: Campaign | None
    try:
        campaign = localized_campaign(load_campaign(campaign_path))  # every language's text
        if policy is not None:
            from game.scenario.overrides import with_campaign_policy

            campaign = with_campaign_policy(campaign, policy)
        problems: tuple[str, ...] = ()
    except ScenarioError as error:
        campaign, problems = None, tuple(str(p) for p in error.problems)
    except OSError as error:
        campaign, problems = None, (f"{campaign_path}: {error}",)

    store: Store | None = None
    store_error: str | None = None
    login_needed = False
    try:
        from game.records.store import open_store

        store = open_store(db)
        store.abandon_stale()
    except Exception as error:  # any driver or migration failure is shown, not raised
        from game.records.redact import public_message
        from game.records.store import is_postgresql_url, login_refused

        store, store_error = None, public_message(error)
        login_needed = is_postgresql_url(db) and login_refused(error)

    waves: Mapping[str, Wave] = {}
    if sample_rate:
        from game.ui.synth import synthesise

        waves = synthesise(sample_rate)
    return World(campaign, problems, catalog, store, store_error, waves, login_needed)
