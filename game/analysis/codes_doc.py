"""`docs/codes.md` and the code list in `docs/authoring.md`, generated from the one table of
diagnostics (`game.scenario.diagnostics`); `make docs` writes them, a test keeps them current."""

from __future__ import annotations

from pathlib import Path

from game.scenario.diagnostics import DIAGNOSTICS, Diagnostic

BEGIN = "<!-- codes: generated from game/scenario/diagnostics.py by `make docs` -->"
END = "<!-- /codes -->"
FAMILIES = (
    ("SC", "`hold-the-line validate`: the file cannot be played until it is fixed"),
    ("LN", "`hold-the-line lint`: it plays, but may teach less than it should"),
    ("PL", "`hold-the-line plan`: transcript plans"),
)


def _page(d: Diagnostic) -> str:
    example = "\n".join(["```yaml", d.example, "```"])
    return "\n".join(
        [
            f'<a id="{d.anchor}"></a>',
            "",
            f"### {d.code}: {d.title}",
            "",
            f"*{d.severity.value}, from `hold-the-line {d.family}`.* Message: `{d.message}`",
            "",
            d.summary,
            "",
            "Example:",
            "",
            example,
            "",
            f"**Fix:** {d.fix}",
            "",
        ]
    )


def codes_markdown() -> str:
    """A page per code: what it means, an example that gets it, the fix."""
    parts = [
        "# Diagnostic codes",
        "",
        "<!-- Generated from game/scenario/diagnostics.py by `make docs`; do not edit. -->",
        "",
        "Every problem `validate`, `lint` and `plan` report is printed as",
        "`path:line:col: CODE message`. Each code has a section here: what it means, a",
        "snippet that gets it (the line marked `# ←`), and the fix. The list by code is in",
        "[authoring.md](authoring.md#error-codes).",
        "",
    ]
    for prefix, heading in FAMILIES:
        parts += [f"## {prefix} codes: {heading}", ""]
        parts += [_page(d) for d in DIAGNOSTICS if d.code.startswith(prefix)]
    return "\n".join(parts).rstrip() + "\n"


def code_table() -> str:
    """The list of codes for `docs/authoring.md`, each linking to its page."""
    rows = [BEGIN, ""]
    for prefix, heading in FAMILIES:
        rows += [f"{heading}:", "", "| code | problem |", "|---|---|"]
        rows += [
            f"| [{d.code}](codes.md#{d.anchor}) | {d.title} |"
            for d in DIAGNOSTICS
            if d.code.startswith(prefix)
        ]
        rows.append("")
    rows.append(END)
    return "\n".join(rows)


def with_code_table(authoring: str) -> str:
    """`docs/authoring.md` with its generated code list brought up to date."""
    start, stop = authoring.index(BEGIN), authoring.index(END) + len(END)
    return authoring[:start] + code_table() + authoring[stop:]


def write_docs(docs: Path) -> None:
    (docs / "codes.md").write_text(codes_markdown(), encoding="utf-8")
    authoring = docs / "authoring.md"
    authoring.write_text(with_code_table(authoring.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":  # `make docs`
    write_docs(Path("docs"))
