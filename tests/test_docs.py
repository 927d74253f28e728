"""Generated documents stay current with the data they describe."""

from __future__ import annotations

from game.analysis.catalog_doc import techniques_markdown
from game.engine.catalog import load_catalog
from tests.conftest import ROOT


def test_technique_reference_is_current() -> None:
    text = (ROOT / "docs" / "techniques.md").read_text(encoding="utf-8")
    assert text == techniques_markdown(load_catalog()), "regenerate with: make docs"
