"""The desk's level columns are headed by level names, not bare numbers."""

from __future__ import annotations

from game.ui.scenes.supervisor import Desk
from game.ui.scenes.supervisor_overview import OverviewScene
from tests.ui.conftest import MakeApp
from tests.ui.test_trainee_words import spy_text


def test_level_columns_show_names(make_app: MakeApp) -> None:
    pilot = make_app()
    app = pilot.app
    world = app.world()
    assert world.store is not None and world.campaign is not None
    world.store.add_trainee("Col Umn")
    seen = spy_text(app)
    app.push(OverviewScene(app, Desk(world.store, world.campaign, world.catalog)))
    pilot.frames(3)
    for level in world.campaign.levels:
        heads = [t for t in seen if t.startswith(f"{level.number} · ")]
        assert heads, f"no column head names level {level.number}"
        shown = heads[0].split(" · ", 1)[1].rstrip("…")
        assert len(shown) >= 6 and level.title.startswith(shown)
