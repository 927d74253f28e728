"""The supervisor's desk, behind the title's "Supervisor's desk" entry (see `game.ui.hooks`).

The first scene is always the passphrase gate: it sets the passphrase on first use and asks
for it every other time; only then are the desk's scenes (overview, trainee, attempt) built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.ui.app import App
    from game.ui.scene import Scene


def desk_scene(app: App) -> Scene:
    from game.ui.scenes.supervisor_gate import PassphraseScene

    return PassphraseScene(app)
