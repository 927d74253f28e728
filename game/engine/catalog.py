"""The guides and the technique catalog, loaded from package data into immutable values.

Numbers live in `techniques.yaml` so trainers can tune the model without touching code;
this module turns them into frozen dataclasses and the numpy tables the mood model uses.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray

from game.scenario.model import nfc

try:
    _SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _SafeLoader = yaml.SafeLoader

# Case fields that change the customer's state, in the column order of Catalog.case_table.
CASE_FIELDS = ("anger", "heard", "trust", "vent", "debt", "quality")


@dataclass(frozen=True, slots=True)
class Principle:
    id: str
    section: str
    title: str
    rule: str
    taught_by_game: bool


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    anger: float
    heard: float
    trust: float
    vent: float
    debt: float
    quality: float
    principle: str
    also: tuple[str, ...]
    short: str
    reason: str
    breaks_policy: bool

    @property
    def cited(self) -> tuple[str, ...]:
        return (self.principle, *self.also)


@dataclass(frozen=True, slots=True)
class Technique:
    id: str
    index: int
    label: str
    helpful: bool
    competency: str
    step: str
    principles: tuple[str, ...]  # everything its cases cite, in order
    cases: tuple[Case, ...]
    deescalates: bool
    diminishes: bool
    trust_scaled: bool
    acknowledges: bool  # landing it (quality > 0) recaps the problem or acknowledges the feeling

    def case_index(self, name: str) -> int:
        for index, case in enumerate(self.cases):
            if case.name == name:
                return index
        raise KeyError(f"technique {self.id} has no case {name!r}")

    @property
    def default_case(self) -> int:
        """The case that applies when no context rule picks another."""
        names = [case.name for case in self.cases]
        return names.index("default") if "default" in names else 0


@dataclass(frozen=True, slots=True)
class PersonaEntry:
    """What the catalog says of a persona (`scenario.model.Persona` names which one)."""

    id: str
    index: int
    label: str
    floor: float
    handling: str


@dataclass(frozen=True, slots=True)
class DeadAirRule:
    grace: float  # seconds past the reading time before silence costs
    rate: float  # anger per second of silence past that
    nudge_after: float  # "are you still there?" this long after the reading time
    cap: float  # the most anger silence adds at one decision
    give_up: float  # seconds of silence past the allowance after which the customer leaves


@dataclass(frozen=True, slots=True)
class ChannelEntry:
    """What the catalog says of a channel (`scenario.model.Channel` names which one)."""

    id: str
    label: str
    dead_air: DeadAirRule | None


@dataclass(frozen=True, slots=True)
class EndingEntry:
    """What the catalog says of an ending (`scenario.model.EndingKind` names which one)."""

    id: str
    label: str
    rating: str


@dataclass(frozen=True, slots=True)
class ModelParams:
    relax_rate: float
    trust_start: float
    trust_scaled_base: float
    trust_scaled_span: float
    diminish: float
    escalate_stuck_anger: float
    escalate_stuck_attempts: int
    upsell_below: float
    hollow_thanks_at: float
    debt_rating: str
    threat_floor: int
    unresolved_floor: int  # anger talk alone can't bring a customer below while unresolved
    reading_wpm: float  # words per minute a second-language reader gets to read the screen


@dataclass(frozen=True, slots=True)
class Catalog:
    principles: MappingProxyType[str, Principle]
    sections: MappingProxyType[str, str]
    techniques: MappingProxyType[str, Technique]
    technique_order: tuple[str, ...]
    personas: MappingProxyType[str, PersonaEntry]
    channels: MappingProxyType[str, ChannelEntry]
    endings: MappingProxyType[str, EndingEntry]
    tags: MappingProxyType[str, str]
    tag_order: tuple[str, ...]
    competencies: MappingProxyType[str, str]
    steps: MappingProxyType[str, str]
    params: ModelParams
    # numpy tables: (techniques, max cases, len(CASE_FIELDS)), (personas, techniques), (personas,)
    case_table: NDArray[np.float64]
    persona_multipliers: NDArray[np.float64]
    persona_floors: NDArray[np.float64]
    acknowledges: NDArray[np.bool_]
    diminishes: NDArray[np.bool_]
    trust_scaled: NDArray[np.bool_]
    deescalates: NDArray[np.bool_]
    breaks_policy: NDArray[np.bool_]  # (techniques, max cases)
    content_hash: str = ""  # sha256 of guides.yaml and techniques.yaml: what scored an attempt
    # The engine's own words (built-in customer lines, side effects' reasons, facts, band
    # names) in the reader's language, by stable id (`builtin:(blowup)`); empty: English.
    # Filled by game.i18n.runtime.localized_catalog, read through `said`.
    words: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def said(self, word_id: str, english: str) -> str:
        """One of the engine's own lines in the reader's language, else its English."""
        return self.words.get(word_id) or english

    def technique(self, technique_id: str) -> Technique:
        return self.techniques[technique_id]

    def principle(self, principle_id: str) -> Principle:
        return self.principles[principle_id]


def _text(name: str) -> str:
    """A bundled YAML file's text, in NFC (see `nfc`): every catalog string is read here."""
    return nfc(resources.files("game.engine").joinpath(name).read_text(encoding="utf-8"))


def _case(name: str, raw: dict[str, Any]) -> Case:
    return Case(
        name=name,
        anger=float(raw.get("anger", 0)),
        heard=float(raw.get("heard", 0)),
        trust=float(raw.get("trust", 0)),
        vent=float(raw.get("vent", 0)),
        debt=float(raw.get("debt", 0)),
        quality=float(raw["quality"]),
        principle=str(raw["principle"]),
        also=tuple(str(p) for p in raw.get("also", ())),
        short=str(raw["short"]),
        reason=str(raw["reason"]),
        breaks_policy=bool(raw.get("breaks_policy", False)),
    )


def bundled_texts() -> tuple[str, str]:
    """The text of this installation's guides.yaml and techniques.yaml."""
    return _text("guides.yaml"), _text("techniques.yaml")


@functools.cache
def load_catalog() -> Catalog:
    """The one catalog of this installation; cached because it never changes at run time.

    The catalog is passed in, not fetched: call this only at a composition root (game/cli.py,
    which also reads `--catalog FILE` through `game.scenario.catalog_file`; the window's
    `load_world`; benchmarks and tests) and hand the value down as a `catalog: Catalog`
    parameter. tests/test_catalog_passed_in.py holds the core to that.
    """
    guides, techniques = bundled_texts()
    return build_catalog(
        yaml.load(guides, Loader=_SafeLoader),
        yaml.load(techniques, Loader=_SafeLoader),
        hashlib.sha256((guides + "\0" + techniques).encode("utf-8")).hexdigest(),
    )


def build_catalog(guides: Any, data: Any, content_hash: str) -> Catalog:
    """The catalog from the plain data of guides.yaml and techniques.yaml."""
    principles = {
        p["id"]: Principle(
            id=p["id"],
            section=p["section"],
            title=p["title"],
            rule=p["rule"],
            taught_by_game=p.get("taught_by") == "game",
        )
        for p in guides["principles"]
    }
    sections = {s["id"]: s["title"] for s in guides["sections"]}

    techniques: dict[str, Technique] = {}
    for index, (tid, raw) in enumerate(data["techniques"].items()):
        cases = tuple(_case(name, case) for name, case in raw["cases"].items())
        techniques[tid] = Technique(
            id=tid,
            index=index,
            label=raw["label"],
            helpful=raw["kind"] == "helpful",
            competency=raw["competency"],
            step=raw["step"],
            principles=tuple(dict.fromkeys(p for c in cases for p in c.cited)),
            cases=cases,
            deescalates=bool(raw.get("deescalates", False)),
            diminishes=bool(raw.get("diminishes", False)),
            trust_scaled=bool(raw.get("trust_scaled", False)),
            acknowledges=bool(raw.get("acknowledges", False)),
        )
    order = tuple(techniques)

    personas = {
        pid: PersonaEntry(
            pid,
            index,
            raw["label"],
            float(raw["floor"]),
            raw["handling"],
        )
        for index, (pid, raw) in enumerate(data["personas"].items())
    }
    channels = {
        cid: ChannelEntry(
            cid,
            raw["label"],
            None if raw["dead_air"] is None else DeadAirRule(**raw["dead_air"]),
        )
        for cid, raw in data["channels"].items()
    }
    endings = {
        eid: EndingEntry(eid, raw["label"], raw["rating"]) for eid, raw in data["endings"].items()
    }

    max_cases = max(len(t.cases) for t in techniques.values())
    case_table = np.zeros((len(order), max_cases, len(CASE_FIELDS)))
    breaks = np.zeros((len(order), max_cases), dtype=bool)
    for t in techniques.values():
        for c_index, case in enumerate(t.cases):
            case_table[t.index, c_index] = [getattr(case, f) for f in CASE_FIELDS]
            breaks[t.index, c_index] = case.breaks_policy

    multipliers = np.ones((len(personas), len(order)))
    for pid, row in data["persona_multipliers"].items():
        for tid, value in row.items():
            multipliers[personas[pid].index, techniques[tid].index] = float(value)

    params = data["model"]
    tables = [
        case_table,
        multipliers,
        np.array([p.floor for p in personas.values()]),
        np.array([techniques[t].diminishes for t in order]),
        np.array([techniques[t].trust_scaled for t in order]),
        np.array([techniques[t].deescalates for t in order]),
        breaks,
        np.array([techniques[t].acknowledges for t in order]),
    ]
    for table in tables:
        table.setflags(write=False)  # shared by every session: nobody may change them
    return Catalog(
        principles=MappingProxyType(principles),
        sections=MappingProxyType(sections),
        techniques=MappingProxyType(techniques),
        technique_order=order,
        personas=MappingProxyType(personas),
        channels=MappingProxyType(channels),
        endings=MappingProxyType(endings),
        tags=MappingProxyType(dict(data["tags"])),
        tag_order=tuple(data["tags"]),
        competencies=MappingProxyType(dict(data["competencies"])),
        steps=MappingProxyType(dict(data["steps"])),
        params=ModelParams(**params),
        case_table=tables[0],
        persona_multipliers=tables[1],
        persona_floors=tables[2],
        diminishes=tables[3],
        trust_scaled=tables[4],
        deescalates=tables[5],
        breaks_policy=tables[6],
        acknowledges=tables[7],
        content_hash=content_hash,
    )
