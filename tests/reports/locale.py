"""A locale folder with some real translations of The Late Delivery, for export tests.

Not every language has every line: a language map must carry exactly the languages whose
translation of that string exists (and is current), English always.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

from game.i18n.interface import interface_units
from game.i18n.po import po_path
from game.i18n.project import Domain, scenario_domain, update_all
from game.i18n.runtime import UI_DOMAIN
from game.records.xapi import CAMPAIGN_DESCRIPTION, VERB_CONTEXT
from game.scenario.loader import load_scenario
from tests.conftest import SCENARIOS

LATE = SCENARIOS / "late-delivery.yaml"

TRANSLATED: dict[str, dict[str, str]] = {
    "vi": {
        "late-delivery:title": "Giao hàng trễ",
        "late-delivery:summary": (
            "Ông Smith có một tiệm bánh nhỏ. Chiếc máy trộn công nghiệp ông đặt lẽ ra phải tới"
            " từ hai hôm trước; thứ Bảy này ông phải làm bánh cưới cho 200 khách, và đây là lần"
            " thứ ba trong tuần ông gọi."
        ),
        "late-delivery:nodes[opening].choices[1].say": "Dạ, em đang nghe. Anh cứ nói tiếp ạ.",
    },
    "tr": {
        "late-delivery:title": "Geciken Teslimat",
        "late-delivery:nodes[opening].choices[1].say": "Hı hı, dinliyorum. Lütfen devam edin.",
    },
    "fi": {"late-delivery:title": "Myöhässä oleva toimitus"},
    # fil: nothing translated yet
}
STALE = ("tr", "late-delivery:summary", "Bir fırın işleten Bay Smith…")  # fuzzy: not shown
# interface strings: (msgctxt, English) -> translation
INTERFACE: dict[str, dict[tuple[str, str], str]] = {
    "vi": {
        (VERB_CONTEXT, "selected"): "đã chọn",
        (VERB_CONTEXT, "initialized"): "đã bắt đầu",
        ("", CAMPAIGN_DESCRIPTION): "Các màn luyện tập nhập môn của Hold the Line, theo thứ tự.",
    },
    "fi": {(VERB_CONTEXT, "selected"): "valitsi"},
}


def translated_locale(root: Path) -> Path:
    """`root` made a locale folder: PO files for The Late Delivery in every language, with
    the lines of `TRANSLATED` filled in (and one stale line), as a translator leaves them."""
    level = scenario_domain(load_scenario(LATE), LATE)
    interface = Domain(UI_DOMAIN, interface_units())
    update_all([level, interface], root=root)
    for lang in ("vi", "tr", "fi", "fil"):
        path = po_path(root, lang, level.name)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            context = str(message.context or "")
            if context in TRANSLATED.get(lang, {}):
                message.string = TRANSLATED[lang][context]
            if (lang, context) == STALE[:2]:
                message.string = STALE[2]
                message.flags.add("fuzzy")
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100)
        path = po_path(root, lang, interface.name)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for message in catalog:
            key = (str(message.context or ""), str(message.id))
            if key in INTERFACE.get(lang, {}):
                message.string = INTERFACE[lang][key]
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100)
    return root
