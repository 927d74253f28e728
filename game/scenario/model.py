"""The scenario model: frozen values the loader builds and the engine plays."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from game.scenario.problems import Position

FORMAT_VERSION = 1
LANGUAGES = ("en", "fil", "fi", "tr", "vi")
BLOWUP_NODE = "blowup"


class Channel(StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    CHAT = "chat"
    EMAIL = "email"


class Persona(StrEnum):
    ANGRY = "angry"
    UNHAPPY = "unhappy"
    INDECISIVE = "indecisive"
    BULLY = "bully"
    RUDE = "rude"
    TALKATIVE = "talkative"


class EndingKind(StrEnum):
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    CUSTOMER_LEFT = "customer_left"
    CALL_ENDED = "call_ended"
    SECURITY = "security"


class Rating(StrEnum):
    GOOD = "good"
    PARTIAL = "partial"
    BAD = "bad"


class Verdict(StrEnum):
    """How well a turn followed the guides, as the debrief names it."""

    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    BAD = "bad"


class AbusivePolicy(StrEnum):
    WARN_THEN_END = "warn_then_end"
    TRANSFER = "transfer_to_escalations"


class SupervisorPolicy(StrEnum):
    HONOR = "honor"
    HELP_FIRST = "help_first"


class PartingPolicy(StrEnum):
    """Who may offer a chronic complainer a release (001 §5 leaves it to the company)."""

    APPROVED = "approved"  # the agent offers it, politely, at a `chronic_complainer` moment
    NEEDS_SUPERVISOR = "needs_supervisor"  # only the team lead offers it: bring them the case


class AtFaultApology(StrEnum):
    """Whether to apologise when the customer caused the problem (the guides disagree)."""

    APOLOGISE_FOR_MISUNDERSTANDING = "apologise_for_misunderstanding"  # 003 §4
    NO_APOLOGY_NEEDED = "no_apology_needed"  # 000 step 8: commit to helping instead


def nfc(text: str) -> str:
    """Text as the game keeps it: Unicode NFC. "ệ" typed as e and two combining marks and "ệ"
    as one letter are the same line to a player; every source normalises what it reads here
    (YAML in `game.scenario.source` and the catalog, PO files in `game.i18n.po`, records in
    their column type), so lookups, comparisons and the fonts' character maps see one form."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


@dataclass(frozen=True, slots=True)
class Text:
    """Text in English plus any translations; English is always there."""

    en: str
    translations: tuple[tuple[str, str], ...] = ()

    def get(self, lang: str = "en") -> str:
        for code, value in self.translations:
            if code == lang:
                return value
        return self.en

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True, slots=True)
class Policy:
    abusive_caller: AbusivePolicy = AbusivePolicy.WARN_THEN_END
    supervisor_request: SupervisorPolicy = SupervisorPolicy.HONOR
    parting_ways: PartingPolicy = PartingPolicy.APPROVED
    apology_when_customer_at_fault: AtFaultApology = AtFaultApology.APOLOGISE_FOR_MISUNDERSTANDING


_E = TypeVar("_E", bound=StrEnum)


def _pick(kind: type[_E], value: StrEnum | None) -> _E | None:
    return None if value is None else kind(value.value)


# Every company policy key and its values, in one place: the campaign file, a scenario's
# `policy:` block, a plan's `policy:` and `--policy KEY=VALUE` all read these.
POLICY_KINDS: dict[str, type[StrEnum]] = {
    "abusive_caller": AbusivePolicy,
    "supervisor_request": SupervisorPolicy,
    "parting_ways": PartingPolicy,
    "apology_when_customer_at_fault": AtFaultApology,
}


@dataclass(frozen=True, slots=True)
class PolicyOverride:
    abusive_caller: AbusivePolicy | None = None
    supervisor_request: SupervisorPolicy | None = None
    parting_ways: PartingPolicy | None = None
    apology_when_customer_at_fault: AtFaultApology | None = None

    def over(self, base: Policy) -> Policy:
        return Policy(
            abusive_caller=self.abusive_caller or base.abusive_caller,
            supervisor_request=self.supervisor_request or base.supervisor_request,
            parting_ways=self.parting_ways or base.parting_ways,
            apology_when_customer_at_fault=(
                self.apology_when_customer_at_fault or base.apology_when_customer_at_fault
            ),
        )

    @staticmethod
    def of(chosen: Mapping[str, StrEnum | None]) -> PolicyOverride:
        """An override from values keyed as in POLICY_KINDS (a missing key sets nothing)."""
        return PolicyOverride(
            abusive_caller=_pick(AbusivePolicy, chosen.get("abusive_caller")),
            supervisor_request=_pick(SupervisorPolicy, chosen.get("supervisor_request")),
            parting_ways=_pick(PartingPolicy, chosen.get("parting_ways")),
            apology_when_customer_at_fault=_pick(
                AtFaultApology, chosen.get("apology_when_customer_at_fault")
            ),
        )

    def under(self, top: PolicyOverride) -> PolicyOverride:
        """This override with `top` laid over it (what `top` sets wins)."""
        return PolicyOverride(
            abusive_caller=top.abusive_caller or self.abusive_caller,
            supervisor_request=top.supervisor_request or self.supervisor_request,
            parting_ways=top.parting_ways or self.parting_ways,
            apology_when_customer_at_fault=(
                top.apology_when_customer_at_fault or self.apology_when_customer_at_fault
            ),
        )


@dataclass(frozen=True, slots=True)
class Condition:
    """A `when:` test on the live state; every key given must hold."""

    anger_at_least: int | None = None
    anger_below: int | None = None
    flag: str | None = None
    not_flag: str | None = None
    turn_at_least: int | None = None
    # A conversation fact (session.FACT_LABELS: `acknowledged`, `still_venting`, ...); only
    # in a customer line's `when`, where the line is picked from what has happened.
    fact: str | None = None
    not_fact: str | None = None

    def holds(
        self, anger: float, flags: frozenset[str], turn: int, facts: frozenset[str] = frozenset()
    ) -> bool:
        if self.fact is not None and self.fact not in facts:
            return False
        if self.not_fact is not None and self.not_fact in facts:
            return False
        if self.anger_at_least is not None and anger < self.anger_at_least:
            return False
        if self.anger_below is not None and anger >= self.anger_below:
            return False
        if self.flag is not None and self.flag not in flags:
            return False
        if self.not_flag is not None and self.not_flag in flags:
            return False
        return self.turn_at_least is None or turn >= self.turn_at_least


@dataclass(frozen=True, slots=True)
class Branch:
    goto: str
    when: Condition | None
    pos: Position


class Tone(StrEnum):
    """What a customer line does, so lint can check it fits the moment."""

    WARM = "warm"  # grateful or friendly: wrong at high anger
    CONFIRMS = "confirms"  # "Yes. Exactly that.": only after a recap or acknowledgement


@dataclass(frozen=True, slots=True)
class LineVariant:
    """One wording of a customer's line and when it is the one said (None: the fallback)."""

    text: Text
    when: Condition | None
    tone: Tone | None
    pos: Position


@dataclass(frozen=True, slots=True)
class Choice:
    number: int  # 1-based, in authoring order
    say: Text  # the first wording
    techniques: tuple[str, ...]
    branches: tuple[Branch, ...]
    sets: tuple[str, ...]
    feedback: Text | None
    pos: Position
    expect: Verdict | None = None  # the verdict its author means; `lint` checks every path
    wordings: tuple[Text, ...] = ()  # every wording (the first is `say`); one per attempt

    def next_node(self, anger: float, flags: frozenset[str], turn: int) -> str:
        for branch in self.branches:
            if branch.when is None or branch.when.holds(anger, flags, turn):
                return branch.goto
        return self.branches[-1].goto  # unreachable for validated scenarios


@dataclass(frozen=True, slots=True)
class Ending:
    kind: EndingKind
    rating: Rating | None  # None: decided by the kind and the choice that led here


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    customer: Text
    tags: frozenset[str]
    choices: tuple[Choice, ...]
    ending: Ending | None
    pos: Position
    flare: int = 0  # anger the customer gains on reaching this moment, through no fault of yours
    # The customer's line as variants, first match wins, the last has no `when` and is
    # `customer`; empty when the node has one plain line.
    lines: tuple[LineVariant, ...] = ()

    @property
    def is_end(self) -> bool:
        return self.ending is not None


@dataclass(frozen=True, slots=True)
class Customer:
    name: Text
    persona: Persona
    anger: int  # the lowest starting anger (the only one without a range)
    vent: int  # the fewest turns of venting
    anger_max: int | None = None  # a range: each attempt starts between anger and anger_max
    vent_max: int | None = None
    # Anger stays at or above this while the grievance is unresolved (no Resolve move has
    # landed): 0 turns it off; None takes the catalog's default.
    unresolved_floor: int | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: Text
    summary: Text
    channel: Channel
    difficulty: int
    customer: Customer
    policy: PolicyOverride
    start: str
    nodes: tuple[Node, ...]
    path: str
    content_hash: str
    format: int = FORMAT_VERSION
    # Story flags set at the start of an attempt by its seed: (flag, percent chance).
    seeded_flags: tuple[tuple[str, int], ...] = ()
    index: MappingProxyType[str, Node] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if not self.index:
            object.__setattr__(self, "index", MappingProxyType({n.id: n for n in self.nodes}))

    def node(self, node_id: str) -> Node:
        return self.index[node_id]

    @property
    def has_blowup(self) -> bool:
        return BLOWUP_NODE in self.index
