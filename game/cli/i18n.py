"""`hold-the-line i18n update|check`: the PO files in line with the English, and what is
missing or stale per language (exit 1 when anything is)."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

from game.cli.errors import EXIT_OK, EXIT_PROBLEMS, UsageError
from game.cli.settings import settings

NAME = "i18n"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    i18n = sub.add_parser(NAME, help="translations: update the PO files, check what's missing")
    actions = i18n.add_subparsers(dest="i18n_action", required=True)
    update = actions.add_parser(
        "update", help="bring locale/<lang>/*.po and the templates in line with the English"
    )
    update.add_argument("--lang", action="append", help="only this language (repeatable)")
    check = actions.add_parser(
        "check", help="list, per language, each line missing or stale, as path:line"
    )
    check.add_argument("--lang", action="append", help="only this language (repeatable)")
    check.add_argument("--summary", action="store_true", help="counts only")


def _languages(chosen: Sequence[str] | None) -> tuple[str, ...]:
    from game.i18n.languages import TRANSLATED, language

    if not chosen:
        return TRANSLATED
    for code in chosen:
        try:
            known = language(code)
        except ValueError as error:
            raise UsageError(str(error)) from None
        if known.code not in TRANSLATED:
            raise UsageError(f"{code} is the language the game is written in; nothing to translate")
    return tuple(chosen)


def run(args: argparse.Namespace) -> int:
    from game.i18n.languages import language
    from game.i18n.po import TranslationGap
    from game.i18n.project import check_all, shipped_domains, update_all

    langs = _languages(args.lang)
    catalog, _ = settings(args)
    domains = shipped_domains(catalog)
    if args.i18n_action == "update":
        results = update_all(domains, langs)
        for lang in langs:
            added = sum(r.added for (code, _), r in results.items() if code == lang)
            stale = sum(r.stale for (code, _), r in results.items() if code == lang)
            print(f"{lang}: {added} new lines to translate, {stale} marked stale")
        return EXIT_OK
    findings = check_all(domains, langs)
    if not args.summary:
        for finding in findings:
            print(finding)
    total = sum(len(d.units) for d in domains)
    for lang in langs:
        counts = Counter(f.problem for f in findings if f.lang == lang)
        done = total - sum(counts.values())
        parts = (
            ", ".join(f"{counts[p]} {p.value}" for p in TranslationGap if counts[p]) or "complete"
        )
        print(f"{lang} ({language(lang).english}): {done}/{total} lines current; {parts}")
    return EXIT_PROBLEMS if findings else EXIT_OK
