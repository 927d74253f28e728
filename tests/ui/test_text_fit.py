"""Text stays inside its boxes at 100 % and 200 %, and nothing overlaps at 1280×720.

Every screen is visited at both sizes and audited: every button holds its wrapped label and
sits inside the window (or inside its scroll view's content), no two buttons overlap, the
call's panels neither overlap nor leave the window, and no pixel of text spills into the
gutters between them. Vietnamese and Turkish text, and words too long for a line, are in
the mix.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pygame
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.paths import assets_dir
from game.ui.scene import Scene
from game.ui.scenes.call import BOTTOM, LEFT_W, LEFT_X, RIGHT_X, TOP, CallScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.levels import LevelsScene
from game.ui.settings import PlayerSettings
from game.ui.transcript import Transcript
from game.ui.typography import HYPHEN, SOFT_HYPHEN, Typography
from game.ui.widgets import Button, Menu, ScrollView
from tests.ui.conftest import MakeApp
from tests.ui.plans import good_choices, playable

SCREEN = pygame.Rect(0, 0, 1280, 720)
LONG_NAME = "Maximiliano Alessandro Villanueva-Bartholomew de la Cruz"

MINI = """\
format: 1
id: mini-call
title: {en: "A Short Call", vi: "Một cuộc gọi ngắn về đơn hàng giao trễ hai ngày"}
summary: {en: "A short call.", tr: "Kısa bir görüşme: sipariş iki gün gecikti ve müşteri çok öfkeli."}
channel: phone
difficulty: 2
customer:
  name: {en: "Mr. Nguyễn Văn Thắng", vi: "Ông Nguyễn Văn Thắng"}
  persona: angry
  anger: 70
  vent: 1
start: opening
nodes:
  opening:
    customer:
      en: "Where is my order? Reference ORD-2026-11-0042-XYZ-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789."
      vi: "Đơn hàng của tôi đâu rồi? Tôi đã gọi ba lần trong tuần này và lần nào cũng nghe câu 'hàng đang trên đường giao'. Tôi cần nó trước thứ Bảy! Mã đơn: ORD-2026-11-0042-XYZ-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789."
    choices:
      - say: {en: "I'm listening.", vi: "Dạ, tôi đang nghe đây ạ. Anh cứ nói tiếp, tôi muốn hiểu hết chuyện gì đã xảy ra với đơn hàng của anh trong tuần này."}
        technique: listen
        next: done
      - say: {en: "Calm down.", vi: "Anh bình tĩnh lại đi, không có gì phải nổi nóng cả."}
        technique: dismiss
        next: done
      - say: {en: "Sorry.", vi: "Tôi rất xin lỗi anh vì sự chậm trễ này; đó là lỗi của chúng tôi, không phải của anh."}
        technique: apologize
        next: done
  done:
    customer: {en: "Fine.", vi: "Thôi được, cảm ơn."}
    end: resolved
"""


# ---- the wrapping itself -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fonts_at() -> dict[int, Typography]:
    pygame.font.init()
    return {scale: Typography(assets_dir() / "fonts", scale) for scale in (100, 200)}


@settings(max_examples=120, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(
            [
                *"abcdefghij ABC xyz ăâđêôơư ĂÂĐÊÔƠƯ şğüöçı ŞĞÜÖÇİ ạảấầẩẫậ äöå 0123456789 .,!?-—…",
                SOFT_HYPHEN,
            ]
        ),
        max_size=300,
    ),
    width=st.integers(min_value=40, max_value=900),
    scale=st.sampled_from((100, 200)),
    style=st.sampled_from(("body", "small", "h1", "caption", "quote")),
)
def test_wrapped_lines_fit_and_keep_every_character(
    fonts_at: dict[int, Typography], text: str, width: int, scale: int, style: str
) -> None:
    fonts = fonts_at[scale]
    lines = fonts.wrap(text, style, width)
    for line in lines:
        assert fonts.width(line, style) <= width or len(line) == 1, (line, width)
    drawn = "".join(line.removesuffix(HYPHEN) for line in lines)
    assert SOFT_HYPHEN not in drawn  # a soft hyphen is a hint, never drawn as itself
    assert "".join(drawn.split()) == "".join(text.replace(SOFT_HYPHEN, "").split())


@pytest.mark.parametrize("scale", [100, 200])
@pytest.mark.parametrize(
    "word",
    [
        "asiakaspalvelukeskuksen",  # Finnish: of the customer service centre
        "reklamaatiokäsittelyprosessissa",
        "müşterihizmetlerimizdenmisiniz",  # Turkish: agglutinated
        "nakikipag-usap",  # Filipino: a hyphen of its own
    ],
)
def test_long_compounds_break_between_syllables(
    fonts_at: dict[int, Typography], word: str, scale: int
) -> None:
    """A word wider than its line breaks where the language would hyphenate it (before a
    consonant that starts a syllable, or after its own hyphen), with a hyphen drawn; each
    piece fits and none is a lone letter."""
    fonts = fonts_at[scale]
    width = fonts.width(word, "body") // 3
    lines = fonts.wrap(word, "body", width)
    assert len(lines) >= 3
    assert "".join(line.removesuffix(HYPHEN) for line in lines) == word
    for line in lines:
        assert fonts.width(line, "body") <= width
    vowels = set("aeiouyäöüı")
    for line, after in itertools.pairwise(lines):
        piece = line.removesuffix(HYPHEN)
        assert len(piece) >= 2 and len(after) >= 2
        if line.endswith(HYPHEN):  # a syllable starts the next line: consonant, then vowel
            assert after[0] not in vowels and after[1] in vowels, (line, after)
        else:
            assert line.endswith("-"), (line, after)


def test_a_translator_s_soft_hyphens_choose_the_breaks(fonts_at: dict[int, Typography]) -> None:
    fonts = fonts_at[100]
    word = SOFT_HYPHEN.join(["yhteys", "tietojen", "päivitys", "lomake"])
    lines = fonts.wrap(word, "body", fonts.width("päivitys‐", "body") + 2)
    assert lines == ("yhteys" + HYPHEN, "tietojen" + HYPHEN, "päivitys" + HYPHEN, "lomake")
    assert fonts.wrap(word + " on", "body", 2000) == ("yhteystietojenpäivityslomake on",)


# ---- the screens ---------------------------------------------------------------------------


def menus_of(scene: Scene) -> list[Menu]:
    return [v for v in vars(scene).values() if isinstance(v, Menu)]


def views_of(scene: Scene) -> list[ScrollView]:
    views = [v for v in vars(scene).values() if isinstance(v, ScrollView)]
    views += [v.view for v in vars(scene).values() if isinstance(v, Transcript)]
    return [v for v in views if v.rect.width and v.rect.height]


def button_problems(scene: Scene, button: Button) -> list[str]:
    fonts = scene.app.fonts
    problems = []
    name = f"{type(scene).__name__}:{button.key}"
    text_w = button._text_width(fonts, button.rect.width)
    style = button._label_style()
    for line in fonts.wrap(button.label, style, text_w):
        if fonts.width(line, style) > text_w and len(line) > 1:
            problems.append(f"{name}: '{line}' is wider than its button")
    for word in button.label.split():
        if fonts.width(word, style) > text_w:
            problems.append(f"{name}: the word '{word}' has to be broken to fit")
    if button.rect.height < button.measure(fonts, button.rect.width):
        problems.append(f"{name}: {button.rect.height}px is too short for its label")
    if button.view is None:
        if not SCREEN.contains(button.rect):
            problems.append(f"{name}: {button.rect} leaves the window")
    elif button.rect.x < 0 or button.rect.right > button.view.rect.width:
        problems.append(f"{name}: wider than its scroll view")
    return problems


def audit(scene: Scene) -> list[str]:
    scene.app.draw(scene.app.screen)
    problems: list[str] = []
    buttons = [b for menu in menus_of(scene) for b in menu.buttons]
    for button in buttons:
        problems += button_problems(scene, button)
    fixed = [b for b in buttons if b.view is None]
    for a, b in itertools.combinations(fixed, 2):
        if a.rect.colliderect(b.rect):
            problems.append(f"{type(scene).__name__}: buttons {a.key} and {b.key} overlap")
    for view in views_of(scene):
        if not SCREEN.contains(view.rect):
            problems.append(f"{type(scene).__name__}: a scroll view {view.rect} leaves the window")
    if isinstance(scene, CallScene):
        problems += call_problems(scene)
    return problems


def call_problems(call: CallScene) -> list[str]:
    problems = []
    panels = {
        "customer card": call.customer_card,
        "meter": call.meter.rect,
        "conversation": call.transcript_panel,
        "replies": call.choice_panel,
    }
    for name, rect in panels.items():
        if rect.height and not SCREEN.contains(rect):
            problems.append(f"call: the {name} {rect} leaves the window")
    for (na, a), (nb, b) in itertools.combinations(panels.items(), 2):
        if a.height and b.height and a.colliderect(b):
            problems.append(f"call: the {na} and the {nb} overlap")
    width = call.transcript.view.rect.width
    for bubble in call.transcript.bubbles:
        if bubble.rect.x < 0 or bubble.rect.right > width:
            problems.append(f"call: a bubble is wider than the conversation: {bubble.text[:30]}")
    # gutters between and around the panels must show nothing but the page behind
    gutters = [
        pygame.Rect(LEFT_X + LEFT_W + 3, TOP, RIGHT_X - LEFT_X - LEFT_W - 6, BOTTOM - TOP),
        pygame.Rect(0, TOP, LEFT_X - 3, BOTTOM - TOP),
        pygame.Rect(1240 + 3, TOP, 1280 - 1240 - 3, BOTTOM - TOP),
        pygame.Rect(0, BOTTOM + 8, 1280, 720 - BOTTOM - 8),
    ]
    screen, page = call.app.screen, call.app.backdrop
    for gutter in gutters:
        drawn = pygame.image.tobytes(screen.subsurface(gutter), "RGB")
        blank = pygame.image.tobytes(page.subsurface(gutter), "RGB")
        if drawn != blank:
            problems.append(f"call: something was drawn into the gutter {gutter}")
    return problems


def write_mini_campaign(folder: Path) -> Path:
    (folder / "mini.yaml").write_text(MINI, encoding="utf-8")
    campaign = folder / "campaign.yaml"
    campaign.write_text(
        "format: 1\ntitle: Mini\nlevels:\n  - scenario: mini.yaml\n", encoding="utf-8"
    )
    return campaign


@pytest.mark.parametrize("scale", [100, 200])
def test_every_screen_fits(make_app: MakeApp, scale: int) -> None:
    pilot = make_app(PlayerSettings(text_scale=scale))
    app = pilot.app
    seen: dict[str, list[str]] = {}

    def check() -> None:
        top = pilot.top
        seen[type(top).__name__] = audit(top)

    check()  # title
    store = app.world().store
    assert store is not None
    store.add_trainee(LONG_NAME)
    pilot.create_trainee("Ana Reyes")
    levels = pilot.scene(LevelsScene)
    check()
    for index in range(len(levels.levels)):  # every level's detail card, broken ones included
        levels.select(index)
        problems = audit(levels)
        seen[f"LevelsScene[{index}]"] = problems
    levels.select(0)
    pilot.key(pygame.K_RETURN, frames=2)
    check()  # ringing
    level = playable()[0]
    choices = good_choices(level)
    pilot.answer()
    for number in choices[:3]:
        pilot.reply(number)
    pilot.wait_for_choices()
    seen["CallScene mid-call"] = audit(pilot.top)
    pilot.key(pygame.K_ESCAPE, frames=2)
    check()  # pause
    pilot.key(pygame.K_ESCAPE, frames=2)
    for number in choices[3:]:
        pilot.reply(number)
    shown = pilot.finish_call()
    seen["DebriefScene"] = audit(shown)
    shown.menu.focus("back")
    pilot.key(pygame.K_RETURN, frames=2)
    levels = pilot.scene(LevelsScene)
    levels.menu.focus("history")
    pilot.key(pygame.K_RETURN, frames=2)
    check()
    pilot.key(pygame.K_ESCAPE, frames=2)
    levels.menu.focus("settings")
    pilot.key(pygame.K_RETURN, frames=2)
    check()
    pilot.key(pygame.K_ESCAPE, frames=2)
    from game.ui.scenes.breather import BreatherScene

    app.push(BreatherScene(app, then=app.pop))
    pilot.frames(1)
    check()
    pilot.key(pygame.K_ESCAPE, frames=2)
    pilot.key(pygame.K_ESCAPE, frames=2)
    check()  # title again, now with a trainee
    problems = [p for found in seen.values() for p in found]
    assert len(seen) >= 10
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scale", [100, 200])
def test_vietnamese_and_long_words_fit_in_a_call(
    make_app: MakeApp, tmp_path: Path, scale: int
) -> None:
    campaign = write_mini_campaign(tmp_path)
    pilot = make_app(PlayerSettings(text_scale=scale, lang="vi"), campaign=campaign)
    assert pilot.app.lang == "vi"
    pilot.create_trainee("Linh")
    pilot.key(pygame.K_RETURN, frames=2)
    call = pilot.scene(CallScene)
    assert not audit(call)
    pilot.answer()
    prompt = pilot.wait_for_choices()
    assert "Đơn hàng" in call.transcript.bubbles[0].text
    assert any("Dạ, tôi đang nghe" in option.text for option in prompt.options)
    assert not audit(call), audit(call)
    pilot.reply(1)
    shown = pilot.finish_call()
    assert isinstance(shown, DebriefScene)
    assert not audit(shown)
