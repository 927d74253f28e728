"""The shipped translation domains: which units each PO file holds, and where it lives.

Domains: `catalog` (principles, techniques, labels, built-in customer lines), `ui` (the
interface strings marked in the code and templates) and `scenarios/<id>` (one per level).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from game.engine.catalog import Catalog
from game.i18n.interface import interface_units, template_units
from game.i18n.languages import TRANSLATED
from game.i18n.memo import IdentityMemo
from game.i18n.po import (
    Finding,
    UpdateResult,
    check,
    po_path,
    snapshot,
    snapshot_table,
    update,
    write_template,
)
from game.i18n.runtime import CATALOG_DOMAIN, UI_DOMAIN
from game.i18n.units import Unit, catalog_units, scenario_units
from game.paths import PROJECT_ROOT, locale_dir, scenarios_dir
from game.scenario.loader import load_scenario
from game.scenario.model import Scenario


@dataclass(frozen=True, slots=True)
class Domain:
    name: str  # the PO file's name under locale/<lang>/, without .po
    units: tuple[Unit, ...]


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


# A scenario's or a catalog's units, by the value's identity (both are immutable; the
# scenario loader hands out one value per file content, the catalog is loaded once).
_SCENARIO_DOMAINS: IdentityMemo[str, Domain] = IdentityMemo(64)
_CATALOG_UNITS: IdentityMemo[str, tuple[Unit, ...]] = IdentityMemo(4)


def scenario_domain(scenario: Scenario, path: Path) -> Domain:
    shown = _shown(path)
    return _SCENARIO_DOMAINS.get(
        scenario,
        shown,
        lambda: Domain(f"scenarios/{scenario.id}", scenario_units(scenario, shown)),
    )


def shipped_scenarios(folder: Path | None = None) -> Iterator[tuple[Path, Scenario]]:
    for path in sorted((folder or scenarios_dir()).glob("*.yaml")):
        if path.name == "campaign.yaml":
            continue
        yield path, load_scenario(path)


def shipped_domains(
    catalog: Catalog, folder: Path | None = None, *, extract: bool = True, root: Path | None = None
) -> tuple[Domain, ...]:
    """Every domain the shipped game has: the catalog, the interface, then each level in
    file order. The interface strings are extracted from the code (`extract`), or, where
    a running game only needs to measure a language, read from the checked-in template."""
    ui = (
        interface_units()
        if extract
        else template_units((root or locale_dir()) / "templates" / "ui.pot")
    )
    units = _CATALOG_UNITS.get(catalog, "", lambda: catalog_units(catalog))
    domains = [Domain(CATALOG_DOMAIN, units), Domain(UI_DOMAIN, ui)]
    domains += [scenario_domain(s, p) for p, s in shipped_scenarios(folder)]
    return tuple(domains)


def update_all(
    domains: Sequence[Domain], langs: Sequence[str] = TRANSLATED, root: Path | None = None
) -> dict[tuple[str, str], UpdateResult]:
    """Templates (`locale/templates/…pot`) and every language's PO files, brought up to date."""
    base = root or locale_dir()
    results = {}
    for domain in domains:
        write_template(base / "templates" / f"{domain.name}.pot", domain.units, domain.name)
        for lang in langs:
            path = po_path(base, lang, domain.name)
            results[lang, domain.name] = update(path, domain.units, lang, domain.name)
    return results


def check_all(
    domains: Sequence[Domain], langs: Sequence[str] = TRANSLATED, root: Path | None = None
) -> list[Finding]:
    base = root or locale_dir()
    findings: list[Finding] = []
    for lang in langs:
        for domain in domains:
            path = po_path(base, lang, domain.name)
            findings += check(path, domain.units, lang, _shown(path))
    return findings


def tables_for(domain: str, langs: Sequence[str] = TRANSLATED, root: Path | None = None
               ) -> dict[str, Mapping[str, str]]:  # fmt: skip
    """Language -> stable id -> current translation, for one domain (made once per content
    of each file)."""
    base = root or locale_dir()
    found = {}
    for lang in langs:
        read = snapshot(po_path(base, lang, domain), lang)
        if read is not None:
            found[lang] = snapshot_table(read, lang)
    return found
