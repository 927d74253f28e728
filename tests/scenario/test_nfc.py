"""Text is NFC from the moment it is read: a line typed with combining marks is the same line.

One place per source: scenario, campaign and `--catalog` YAML in `game.scenario.source`, the
bundled catalog in `game.engine.catalog`, PO files in `game.i18n.po` (tests/i18n/test_po.py),
records in their column type (`NfcText`, tests/records/test_nfc_records.py).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from game.engine.catalog import bundled_texts
from game.i18n.units import walk_texts
from game.scenario.catalog_file import catalog_from_file
from game.scenario.loader import load_scenario
from game.scenario.model import nfc
from tests.scenario.base import BASE

TITLE = "Chuyện giao hàng trễ"  # Vietnamese: letters with two marks each (ệ, ễ)
LINE = "Tôi đã chờ hai mươi phút! İptal edin, ŞİMDİ."


def _decomposed(text: str) -> str:
    out = unicodedata.normalize("NFD", text)
    assert out != text  # the test means something only if the bytes differ
    return out


def test_a_scenario_written_with_combining_marks_loads_in_nfc(tmp_path: Path) -> None:
    source = BASE.replace("title: Tiny", f"title: {_decomposed(TITLE)}").replace(
        '"This is unacceptable!"', f'"{_decomposed(LINE)}"'
    )
    path = tmp_path / "tiny.yaml"
    path.write_text(source, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.title.en == TITLE
    assert scenario.node("opening").customer.en == LINE
    texts = [text.en for _, text, _ in walk_texts(scenario)]
    assert texts and all(unicodedata.is_normalized("NFC", t) for t in texts)


def test_a_catalog_file_written_with_combining_marks_loads_in_nfc(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text(f"personas:\n  angry:\n    label: {_decomposed('Öfkeli')}\n", "utf-8")
    assert catalog_from_file(path).personas["angry"].label == "Öfkeli"


def test_the_bundled_catalog_is_read_in_nfc() -> None:
    for text in bundled_texts():
        assert unicodedata.is_normalized("NFC", text)


@given(st.text(max_size=40))
def test_nfc_is_the_normal_form(text: str) -> None:
    assert nfc(text) == unicodedata.normalize("NFC", text)
    assert nfc(nfc(text)) == nfc(text)
