"""The `Translator` value: placeholders, contexts, plural forms, and English for anything
missing or broken."""

from __future__ import annotations

from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.i18n.translator import N_, Translator, ui_key


def _tr(lang: str, plural: str, **ui: tuple[str, ...]) -> Translator:
    table = {ui_key("", key): forms for key, forms in ui.items()}
    return Translator(lang, MappingProxyType(table), plural_expression=plural)


def test_english_is_the_default_and_fills_placeholders() -> None:
    tr = Translator()
    assert tr._("Settings") == "Settings"
    assert tr._("Moving on by itself in {left} s", left=3) == "Moving on by itself in 3 s"
    assert tr._n("{n} attempt", "{n} attempts", 1) == "1 attempt"
    assert tr._n("{n} attempt", "{n} attempts", 0) == "0 attempts"
    assert tr._p("button", "Back") == "Back"
    assert tr._("100% {done}") == "100% {done}"  # no values: nothing is formatted
    assert N_("Volume") == "Volume"


def test_a_translation_is_chosen_by_context_and_reorders_placeholders() -> None:
    tr = Translator(
        "tr",
        MappingProxyType({
            ui_key("", "Back"): ("Geri",),
            ui_key("button", "Back"): ("Geri dön",),
            ui_key("", "{name} scored {score}"): ("{score} puan: {name}",),
        }),
    )  # fmt: skip
    assert tr._("Back") == "Geri" and tr._p("button", "Back") == "Geri dön"
    assert tr._p("menu", "Back") == "Back"  # another context is another line: English
    assert tr._("{name} scored {score}", name="Ayşe", score=80) == "80 puan: Ayşe"


def test_plural_forms_follow_the_language_rule() -> None:
    fi = _tr("fi", "(n != 1)", **{"{n} attempt": ("{n} yritys", "{n} yritystä")})
    assert fi._n("{n} attempt", "{n} attempts", 1) == "1 yritys"
    assert fi._n("{n} attempt", "{n} attempts", 5) == "5 yritystä"
    vi = _tr("vi", "0", **{"{n} attempt": ("{n} lượt",)})
    assert [vi._n("{n} attempt", "{n} attempts", n) for n in (1, 2)] == ["1 lượt", "2 lượt"]
    fil = Translator(
        "fil",
        MappingProxyType({ui_key("", "{n} attempt"): ("{n} na attempt", "{n} na mga attempt")}),
        plural_expression="n != 1 && n != 2 && n != 3 && (n % 10 == 4 || n % 10 == 6 || n % 10 == 9)",
    )
    assert fil._n("{n} attempt", "{n} attempts", 2) == "2 na attempt"
    assert fil._n("{n} attempt", "{n} attempts", 4) == "4 na mga attempt"


@pytest.mark.parametrize("broken", ["{nme} gitti", "{0} gitti", "{name", ""])
def test_a_broken_or_empty_translation_shows_the_english(broken: str) -> None:
    tr = Translator("tr", MappingProxyType({ui_key("", "{name} left"): (broken,)}))
    assert tr._("{name} left", name="Ayşe") == "Ayşe left"


def test_catalog_text_falls_back_to_english() -> None:
    tr = Translator("fi", catalog=MappingProxyType({"competency:empathy": "Empatia"}))
    assert tr.text("competency:empathy", "Empathy") == "Empatia"
    assert tr.text("competency:listening", "Listening") == "Listening"


@given(st.text(max_size=40), st.integers(min_value=0, max_value=10**6))
def test_any_english_with_a_number_comes_back_filled(text: str, n: int) -> None:
    safe = text.replace("{", "{{").replace("}", "}}")
    assert Translator()._n(safe + "{n}", safe + "{n}s", n) == text + str(n) + (
        "" if n == 1 else "s"
    )
