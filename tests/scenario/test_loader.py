"""The loader: a valid file becomes a model; every kind of problem is located and coded."""

from __future__ import annotations

import os
import re
import time
import tracemalloc
from pathlib import Path

import pytest

from game.scenario.loader import load_scenario, parse_scenario
from game.scenario.model import Channel, EndingKind, Persona, Scenario
from game.scenario.problems import CODES, Problem, ScenarioError
from game.scenario.source import MAX_FILE_BYTES
from tests.conftest import SCENARIOS
from tests.scenario.base import BASE

LOCATED = re.compile(r"^.+:\d+:\d+: SC\d{3} .+")


def problems_of(text: str | bytes, path: str = "t.yaml") -> tuple[Problem, ...]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, path)
    for problem in caught.value.problems:
        assert LOCATED.match(str(problem)), str(problem)
        assert problem.path == path
    return caught.value.problems


def codes_of(text: str | bytes) -> set[str]:
    return {p.code for p in problems_of(text)}


def test_base_scenario_loads_into_the_model() -> None:
    scenario = parse_scenario(BASE.encode(), "t.yaml")
    assert isinstance(scenario, Scenario)
    assert scenario.channel is Channel.PHONE
    assert scenario.customer.persona is Persona.ANGRY
    assert scenario.customer.anger == 50
    assert scenario.node("done").ending is not None
    assert scenario.node("done").ending.kind is EndingKind.RESOLVED  # type: ignore[union-attr]
    first = scenario.node("opening").choices[1]
    assert [b.goto for b in first.branches] == ["gone", "calmer"]
    assert first.branches[0].when is not None
    assert first.branches[0].when.anger_at_least == 70
    assert len(scenario.content_hash) == 64


def test_the_first_level_loads() -> None:
    scenario = load_scenario(SCENARIOS / "late-delivery.yaml")
    assert len(scenario.nodes) >= 14


def test_model_is_immutable() -> None:
    scenario = parse_scenario(BASE.encode(), "t.yaml")
    with pytest.raises(AttributeError):
        scenario.id = "other"  # type: ignore[misc]


# (description, (fragment of BASE, replacement), expected code, where: the text the problem
# points at, searched from the change onwards; None means line 1)
CASES = [
    ("unknown node in next", ("next: done", "next: dnoe"), "SC001", "dnoe"),
    ("unknown start", ("start: opening", "start: openin"), "SC001", "openin"),
    ("unknown technique", ("technique: solve", "technique: solv"), "SC002", "solv"),
    ("unknown persona", ("persona: angry", "persona: angy"), "SC003", "angy"),
    ("unknown channel", ("channel: phone", "channel: fone"), "SC004", "fone"),
    ("unknown ending", ("end: resolved", "end: resolve"), "SC005", "resolve"),
    ("unknown key", ("difficulty: 1", "difficulty: 1\nmood: 3"), "SC006", "mood"),
    ("missing field", ("title: Tiny\n", ""), "SC007", None),
    ("wrong type", ("anger: 50", "anger: lots"), "SC008", "lots"),
    ("duplicate key", ("  gone:\n", "  done:\n"), "SC009", "done:"),
    (
        "neither choices nor end",
        (
            '  gone:\n    customer: "Bye."\n    end: customer_left\n',
            '  gone:\n    customer: "Bye."\n',
        ),
        "SC010",
        "gone:",
    ),
    (
        "unreachable node",
        ("  gone:\n", "  orphan:\n    customer: x\n    end: resolved\n  gone:\n"),
        "SC011",
        "orphan:",
    ),
    (
        "cycle with no way out",
        (
            "technique: negative_language\n        next: gone",
            "technique: negative_language\n        next: loop\n  loop:\n    customer: x\n"
            "    choices:\n      - say: y\n        technique: listen\n        next: loop",
        ),
        "SC012",
        "loop:",
    ),
    (
        "last branch has when",
        (
            "          - goto: calmer",
            "          - goto: calmer\n            when: {anger_below: 10}",
        ),
        "SC013",
        "{anger_below",
    ),
    (
        "earlier branch without when",
        (
            "          - when: {anger_at_least: 70}\n            goto: gone",
            "          - goto: gone",
        ),
        "SC013",
        "goto: gone",
    ),
    ("anger out of range", ("anger: 50", "anger: 150"), "SC014", "150"),
    (
        "flare out of range",
        ('    customer: "Fine. Fix it."', '    customer: "Fine. Fix it."\n    flare: 90'),
        "SC014",
        "90",
    ),
    ("missing English", ('customer: "Thanks."', 'customer: {fi: "Kiitos."}'), "SC015", "{fi"),
    ("YAML syntax", ("title: Tiny", "title: [Tiny"), "SC016", "summary"),
    ("python tag", ("title: Tiny", "title: !!python/object/apply:os.getcwd []"), "SC017", "!!"),
    ("format version", ("format: 1", "format: 2"), "SC020", "2"),
    ("bad scenario id", ("id: tiny-test", "id: Tiny_Test"), "SC021", "Tiny_Test"),
    ("bad node id", ("  gone:\n", "  Gone:\n"), "SC021", "Gone"),
    (
        "unknown policy",
        ("start: opening", "policy: {abusive_caller: hang_up}\nstart: opening"),
        "SC022",
        "hang_up",
    ),
    (
        "unknown condition",
        ("when: {anger_at_least: 70}", "when: {anger_atleast: 70}"),
        "SC023",
        "anger_atleast",
    ),
    (
        "unknown language",
        ('customer: "Thanks."', 'customer: {en: "Thanks.", xx: "?"}'),
        "SC024",
        "xx",
    ),
    (
        "empty choices",
        (
            '    choices:\n      - say: "Here\'s the fix."\n        technique: solve\n'
            '        next: done\n      - say: "No."\n        technique: negative_language\n'
            "        next: gone\n",
            "    choices: []\n",
        ),
        "SC025",
        "[]",
    ),
    (
        "unknown tag",
        (
            '    customer: "This is unacceptable!"',
            '    customer: "This is unacceptable!"\n    tags: [abusve]',
        ),
        "SC026",
        "abusve",
    ),
    (
        "unknown rating",
        ("    end: resolved", "    end: resolved\n    rating: great"),
        "SC028",
        "great",
    ),
    ("escaped control character", ('customer: "Bye."', 'customer: "By\\x1be."'), "SC029", "\\x1b"),
    ("text too long", ("title: Tiny", "title: " + "T" * 101), "SC030", "TTT"),
    (
        "unknown expect",
        ("        technique: listen", "        technique: listen\n        expect: great"),
        "SC031",
        "great",
    ),
    (
        "unknown tone",
        ('    customer: "Bye."', '    customer:\n      - {text: "Bye.", tone: cheery}'),
        "SC034",
        "cheery",
    ),
    (
        "unknown conversation fact",
        (
            '    customer: "Bye."',
            '    customer:\n      - {text: "Hm.", when: {fact: recapd}}\n      - {text: "Bye."}',
        ),
        "SC035",
        "recapd",
    ),
    (
        "rating on a decision point",
        (
            '    customer: "Fine. Fix it."',
            '    customer: "Fine. Fix it."\n    rating: good',
        ),
        "SC032",
        "rating: good",
    ),
    (
        "blowup that is no ending",
        (
            "  gone:\n",
            "  blowup:\n    customer: Argh!\n    choices:\n      - say: Sorry.\n"
            "        technique: apologize\n        next: gone\n  gone:\n",
        ),
        "SC033",
        "blowup",
    ),
]


@pytest.mark.parametrize(("what", "change", "code", "where"), CASES, ids=[c[0] for c in CASES])
def test_each_problem_is_reported_with_code_and_place(
    what: str, change: tuple[str, str], code: str, where: str | None
) -> None:
    old, new = change
    assert old in BASE, what
    text = BASE.replace(old, new, 1)
    found = problems_of(text)
    matching = [p for p in found if p.code == code]
    assert matching, f"{what}: expected {code}, got {[str(p) for p in found]}"
    if where is None:
        line, col = 1, 1
    else:
        offset = text.index(where, BASE.index(old))
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    assert any(p.line == line for p in matching), (line, [str(p) for p in matching])
    if code not in ("SC010", "SC011", "SC012", "SC009", "SC016", "SC013"):
        assert any((p.line, p.col) == (line, col) for p in matching), (
            line,
            col,
            [str(p) for p in matching],
        )


def test_every_documented_code_has_a_test() -> None:
    tested = {c[2] for c in CASES} | {"SC018", "SC019", "SC027"}  # the file-level ones below
    assert tested == set(CODES)


def test_codes_are_documented_for_authors() -> None:
    doc = (SCENARIOS.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    for code, meaning in CODES.items():
        assert f"| [{code}](codes.md#{code.lower()}) | {meaning} |" in doc


def test_british_spellings_of_technique_ids_are_the_same_technique() -> None:
    british = BASE.replace("technique: solve", "technique: [empathise, solve]")
    scenario = parse_scenario(british.replace("technique: listen", "technique: apologise").encode())
    assert scenario.node("opening").choices[0].techniques == ("apologize",)
    assert scenario.node("calmer").choices[0].techniques == ("empathize", "solve")
    twice = BASE.replace("technique: listen", "technique: [apologise, apologize]")
    assert any(p.code == "SC009" for p in problems_of(twice))


def test_a_typo_in_one_node_s_key_reports_only_the_typo() -> None:
    """`custmer:` in `done` is one problem: no "unknown node 'done'" for the links to it, no
    unreachable successors, no second line saying `customer` is missing."""
    found = problems_of(BASE.replace('    customer: "Thanks."', '    custmer: "Thanks."'))
    assert [(p.code, p.suggestion) for p in found] == [("SC006", "customer")]
    start, stop = BASE.index("  calmer:\n"), BASE.index("  done:\n")
    found = problems_of(BASE[:start] + "  calmer: 7\n" + BASE[stop:])  # not even a mapping
    assert [p.code for p in found] == ["SC008"]


def test_all_problems_are_reported_at_once() -> None:
    text = BASE.replace("channel: phone", "channel: fone").replace(
        "technique: solve", "technique: slove"
    )
    text = text.replace("anger: 50", "anger: -4")
    assert {"SC004", "SC002", "SC014"} <= codes_of(text)


def test_near_misses_get_a_suggestion() -> None:
    found = problems_of(BASE.replace("technique: solve", "technique: solv"))
    assert any(p.suggestion == "solve" and "did you mean 'solve'?" in str(p) for p in found)
    found = problems_of(BASE.replace("next: done", "next: dome"))
    assert any(p.suggestion == "done" for p in found)


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = BASE.replace("title: Tiny", f'title: !!python/object/apply:os.system ["touch {marker}"]')
    assert "SC017" in codes_of(text)
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly_with_bounded_memory() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    bomb = "\n".join(lines) + "\n"
    tracemalloc.start()
    started = time.perf_counter()
    found = problems_of(bomb)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert any(p.code == "SC018" for p in found)
    assert elapsed < 1.0
    assert peak < 100 * 1024 * 1024


def test_recursive_alias_is_refused() -> None:
    assert "SC018" in codes_of("a: &a [*a]\n")


def test_deep_nesting_is_refused() -> None:
    assert "SC018" in codes_of("x: " + "[" * 200 + "]" * 200 + "\n")


def test_file_size_is_capped(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(BASE.encode() + b"#" * MAX_FILE_BYTES)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(big)
    assert [p.code for p in caught.value.problems] == ["SC018"]


def test_non_utf8_is_located() -> None:
    data = BASE.replace("title: Tiny", "title: Tiny\xff").encode("latin-1")
    found = problems_of(data)
    assert [(p.code, p.line, p.col) for p in found] == [("SC019", 4, 12)]


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "nope.yaml")
    assert caught.value.problems[0].code == "SC027"


def test_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    assert caught.value.problems[0].code == "SC027"


@pytest.mark.parametrize(
    "text",
    ["", "---\n", "just text\n", "- a\n- b\n", "a: 1\n---\nb: 2\n", "\t\tx: [\n", "{}"],
    ids=["empty", "empty-doc", "scalar", "list", "two-docs", "tabs", "empty-map"],
)
def test_garbage_gives_located_problems(text: str) -> None:
    assert problems_of(text)


def test_translations_are_loaded_and_fall_back_to_english() -> None:
    text = BASE.replace('customer: "Thanks."', 'customer: {en: "Thanks.", fi: "Kiitos."}')
    scenario = parse_scenario(text.encode(), "t.yaml")
    assert scenario.node("done").customer.get("fi") == "Kiitos."
    assert scenario.node("done").customer.get("vi") == "Thanks."


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX file permissions")
def test_problems_sort_in_source_order() -> None:
    text = BASE.replace("technique: solve", "technique: solv").replace(
        "channel: phone", "channel: fone"
    )
    found = problems_of(text)
    assert [p.line for p in found] == sorted(p.line for p in found)
