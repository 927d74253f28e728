"""`hold-the-line graph`: a scenario's shape as Mermaid or Graphviz dot, for authors."""

from __future__ import annotations

from game.engine.catalog import Catalog
from game.scenario.model import Branch, Choice, Node, Scenario

_RATING_COLOUR = {"good": "#2e7d32", "partial": "#f9a825", "bad": "#c62828"}


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _condition(branch: Branch) -> str:
    when = branch.when
    if when is None:
        return ""
    parts = []
    if when.anger_at_least is not None:
        parts.append(f"anger≥{when.anger_at_least}")
    if when.anger_below is not None:
        parts.append(f"anger<{when.anger_below}")
    if when.flag is not None:
        parts.append(when.flag)
    if when.not_flag is not None:
        parts.append(f"not {when.not_flag}")
    if when.turn_at_least is not None:
        parts.append(f"turn≥{when.turn_at_least}")
    return " & ".join(parts)


def _edge_label(choice: Choice, branch: Branch) -> str:
    label = f"{choice.number}: {'+'.join(choice.techniques)}"
    condition = _condition(branch)
    return f"{label} [{condition}]" if condition else label


def _ending_rating(node: Node, catalog: Catalog) -> str:
    assert node.ending is not None
    if node.ending.rating is not None:
        return node.ending.rating.value
    return catalog.endings[node.ending.kind.value].rating


def mermaid(scenario: Scenario, catalog: Catalog) -> str:
    def esc(text: str) -> str:
        return text.replace('"', "#quot;")

    lines = ["flowchart TD"]
    for node in scenario.nodes:
        text = esc(_short(node.customer.en))
        if node.is_end:
            assert node.ending is not None
            lines.append(f'    {node.id}(["{node.id} · {node.ending.kind.value}<br/>{text}"])')
            colour = _RATING_COLOUR[_ending_rating(node, catalog)]
            lines.append(f"    style {node.id} stroke:{colour},stroke-width:3px")
        else:
            lines.append(f'    {node.id}["{node.id}<br/>{text}"]')
    for node in scenario.nodes:
        for choice in node.choices:
            for branch in choice.branches:
                lines.append(
                    f'    {node.id} -- "{esc(_edge_label(choice, branch))}" --> {branch.goto}'
                )
    return "\n".join(lines) + "\n"


def dot(scenario: Scenario, catalog: Catalog) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"')

    lines = [
        f'digraph "{esc(scenario.id)}" {{',
        "  rankdir=TB;",
        '  node [shape=box, style=rounded, fontname="DejaVu Sans"];',
    ]
    for node in scenario.nodes:
        label = esc(node.id) + "\\n" + esc(_short(node.customer.en))  # a DOT line break
        if node.is_end:
            colour = _RATING_COLOUR[_ending_rating(node, catalog)]
            lines.append(
                f'  {node.id} [label="{label}", shape=oval, color="{colour}", penwidth=3];'
            )
        else:
            lines.append(f'  {node.id} [label="{label}"];')
    for node in scenario.nodes:
        for choice in node.choices:
            for branch in choice.branches:
                style = ", style=dashed" if branch.when is not None else ""
                label = esc(_edge_label(choice, branch))
                lines.append(f'  {node.id} -> {branch.goto} [label="{label}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"
