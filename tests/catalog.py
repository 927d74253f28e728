"""The catalog tests pass in: tests are a host, so they load it (once) and hand it down."""

from __future__ import annotations

from game.engine.catalog import load_catalog

CATALOG = load_catalog()
