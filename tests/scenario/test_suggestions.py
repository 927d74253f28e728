"""Did-you-mean by meaning: a near-opposite is never suggested for a name that says which way
it compares, and a misspelling still gets the nearest name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game.scenario.loader import CONDITION_KEYS, parse_scenario
from game.scenario.problems import DIRECTION_WORDS, ScenarioError, closest, direction
from tests.scenario.base import BASE

UP = sorted(w for w, way in DIRECTION_WORDS.items() if way == "up")
DOWN = sorted(w for w, way in DIRECTION_WORDS.items() if way == "down")


def _suggestion_for_condition(key: str) -> str | None:
    text = BASE.replace("{anger_at_least: 70}", f"{{{key}: 70}}")
    try:
        parse_scenario(text.encode(), "t.yaml")
    except ScenarioError as error:
        (problem,) = [p for p in error.problems if p.code == "SC023"]
        return problem.suggestion
    raise AssertionError("an unknown condition loaded")


def test_anger_above_suggests_anger_at_least_not_its_opposite() -> None:
    assert _suggestion_for_condition("anger_above") == "anger_at_least"
    assert _suggestion_for_condition("anger_over") == "anger_at_least"
    assert _suggestion_for_condition("anger_under") == "anger_below"
    assert _suggestion_for_condition("anger_at_most") == "anger_below"
    assert _suggestion_for_condition("turn_above") == "turn_at_least"
    assert _suggestion_for_condition("anger_belw") == "anger_below"  # a plain typo still
    assert _suggestion_for_condition("flg") == "flag"


@given(
    st.sampled_from(["anger", "turn"]),
    st.sampled_from(["", "is_", "at_"]),
    st.sampled_from(UP + DOWN),
    st.sampled_from(["", "_than", "_of"]),
)
def test_a_direction_word_is_never_answered_with_the_opposite(
    subject: str, prefix: str, word: str, suffix: str
) -> None:
    name = f"{subject}_{prefix}{word}{suffix}"
    suggestion = closest(name, CONDITION_KEYS)
    way = direction(name)
    if suggestion is not None and way is not None:
        assert direction(suggestion) in (None, way), (name, suggestion)
    if way == "up" and subject == "anger":
        assert suggestion == "anger_at_least", name


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=30))
def test_any_unknown_condition_is_reported_with_at_most_one_known_suggestion(key: str) -> None:
    if key in CONDITION_KEYS or not key[0].isalpha():
        return
    suggestion = closest(key, CONDITION_KEYS)
    assert suggestion is None or suggestion in CONDITION_KEYS
