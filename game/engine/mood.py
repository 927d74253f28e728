"""The mood model: how a customer's anger, sense of being heard and trust respond to a turn.

Everything here works on arrays with one row per customer, so the session runner (one row)
and the Monte Carlo analysis (thousands of rows) share one implementation and can never
drift apart. The context rules decide *which case* of a technique applies (is the customer
still venting? is this moment abusive? ...); the numbers for each case come from
`techniques.yaml` via the catalog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from game.engine.catalog import CASE_FIELDS, Catalog

Bools = NDArray[np.bool_]
Ints = NDArray[np.int64]
Floats = NDArray[np.float64]

_ANGER, _HEARD, _TRUST, _VENT, _DEBT, _QUALITY = (CASE_FIELDS.index(f) for f in CASE_FIELDS)


@dataclass(frozen=True, slots=True)
class Mood:
    """The customer's inner state, one row per customer."""

    anger: Ints
    heard: Floats
    trust: Floats
    vent: Ints
    debt: Ints
    helped: Ints  # turns with an honest de-escalation attempt
    boundary: Bools  # a boundary was set on an abusive moment
    uses: Ints  # (rows, techniques): how often each technique was used
    acknowledged: Bools  # the problem has been recapped or the feeling acknowledged

    @property
    def rows(self) -> int:
        return int(self.anger.shape[0])


@dataclass(frozen=True, slots=True)
class Context:
    """What is true of the moment and the company, one row per customer."""

    persona: Ints
    transfer_policy: Bools  # abusive callers go to escalations; hanging up is never allowed
    help_first: Bools  # supervisor requests need one honest attempt to help first
    tags: Bools  # (rows, tags)
    # The company's word where the guides disagree (model.Policy): the agent may offer a
    # chronic complainer a release; apologise for the misunderstanding when they are at fault.
    parting_approved: Bools
    apologise_at_fault: Bools


@dataclass(frozen=True, slots=True)
class Judgement:
    """How each chosen technique landed, before it is applied."""

    chosen: Bools  # (rows, techniques)
    case: Ints  # (rows, techniques) case index, meaningful where chosen
    anger: Ints  # (rows, techniques) rounded anger change, zero where not chosen
    quality: Floats  # (rows, techniques), NaN where not chosen
    heard: Floats
    trust: Floats
    vent: Ints
    debt: Ints
    breaks_policy: Bools
    sets_boundary: Bools
    deescalated: Bools
    acknowledges: Bools  # a recap or an acknowledgement of the feeling landed
    harmful: Bools  # some part of the turn broke a guide


@dataclass(frozen=True, slots=True)
class Applied:
    mood: Mood
    relax: Ints  # the easing toward the persona floor that came with feeling heard
    blown: Bools  # anger reached 100 this turn


def initial_mood(
    catalog: Catalog, rows: int, anger: int, vent: int, trust: float | None = None
) -> Mood:
    return Mood(
        anger=np.full(rows, anger, dtype=np.int64),
        heard=np.zeros(rows),
        trust=np.full(rows, catalog.params.trust_start if trust is None else trust),
        vent=np.full(rows, vent, dtype=np.int64),
        debt=np.zeros(rows, dtype=np.int64),
        helped=np.zeros(rows, dtype=np.int64),
        boundary=np.zeros(rows, dtype=bool),
        uses=np.zeros((rows, len(catalog.technique_order)), dtype=np.int64),
        acknowledged=np.zeros(rows, dtype=bool),
    )


class _Facts:
    """Named boolean facts about each row; the vocabulary the context rules are written in.

    A fix is judged by what happened in the conversation, facts the trainee can check in the
    debrief: have they finished venting (every turn wears the venting down; listening wears
    it faster), has the problem been recapped or the feeling acknowledged, and has the
    customer asked for a solution (a moment tagged `asks_for_fix`).
    """

    def __init__(self, catalog: Catalog, mood: Mood, ctx: Context) -> None:
        self._catalog = catalog
        self._mood = mood
        self._ctx = ctx

    # Each fact is worked out when a rule first asks for it: a turn of the runner judges one
    # or two techniques, whose rules ask for a few facts of the fifteen.
    @cached_property
    def venting(self) -> Bools:
        return (self._mood.vent > 0) | self.tag("venting_again")

    @property
    def acknowledged(self) -> Bools:
        return self._mood.acknowledged

    @cached_property
    def asked(self) -> Bools:
        return self.tag("asks_for_fix")

    @property
    def boundary(self) -> Bools:
        return self._mood.boundary

    @cached_property
    def talkative(self) -> Bools:
        talkative: Bools = self._ctx.persona == self._catalog.personas["talkative"].index
        return talkative

    @property
    def transfer_policy(self) -> Bools:
        return self._ctx.transfer_policy

    @property
    def help_first(self) -> Bools:
        return self._ctx.help_first

    @property
    def parting_approved(self) -> Bools:
        return self._ctx.parting_approved

    @property
    def apologise_at_fault(self) -> Bools:
        return self._ctx.apologise_at_fault

    @cached_property
    def not_helped_yet(self) -> Bools:
        not_yet: Bools = self._mood.helped == 0
        return not_yet

    @cached_property
    def stuck(self) -> Bools:
        params = self._catalog.params
        return (self._mood.anger >= params.escalate_stuck_anger) & (
            self._mood.helped >= params.escalate_stuck_attempts
        )

    @cached_property
    def good_mood(self) -> Bools:
        return self._mood.anger < self._catalog.params.upsell_below

    @cached_property
    def furious(self) -> Bools:
        return self._mood.anger >= self._catalog.params.hollow_thanks_at

    @cached_property
    def owes(self) -> Bools:
        """An earlier promise that can't be kept is still standing."""
        return self._mood.debt > 0

    @cached_property
    def threat(self) -> Bools:
        return self.tag("threat")

    def tag(self, name: str) -> Bools:
        return self._ctx.tags[:, self._catalog.tag_order.index(name)]


Rule = Callable[[_Facts], list[tuple[Bools, str, str]]]

# Why a condition picked its case, in words a trainee can check (the `why` of a verdict).
THREAT = "the moment had turned threatening"
VENTING = "they were still venting"
VENTED = "they had finished venting"
REPEATED = "they had already been through it once (a `repeated` moment)"
AT_FAULT = "the trouble was the customer's own doing (a `customer_at_fault` moment)"
AT_FAULT_SORRY = AT_FAULT + ", and company policy apologises for the misunderstanding"
AT_FAULT_NO_SORRY = AT_FAULT + ", and company policy needs no apology for it"
PARTING_AGENT = "a chronic complainer, and company policy lets the agent offer to part ways"
PARTING_SUPERVISOR = "a chronic complainer, and company policy leaves parting ways to the team lead"
ASKED = "they had asked what you would do about it (an `asks_for_fix` moment)"
UNACKNOWLEDGED = "nobody had recapped the problem or acknowledged the feeling yet"
ACKNOWLEDGED = "the problem had been recapped or the feeling acknowledged"
ABUSIVE = "the moment was abusive"
LOOKUP = "they were waiting on a lookup"
NO_LOOKUP = "no lookup was going on"
DEFAULT = "none of its special conditions held, so its default case applies"

# Each rule lists (condition, case, why) in priority order; a row matching none gets the
# technique's `default` case (or its first). Techniques with a single case need no rule.
RULES: dict[str, Rule] = {
    # Reasoning with someone who threatens you is wrong whatever you say (G-BOUNDARY-4).
    "listen": lambda f: [
        (f.threat, "threat", THREAT),
        (f.venting, "venting", VENTING),
        (~f.venting, "done", VENTED),
    ],
    "recap": lambda f: [(f.threat, "threat", THREAT), (f.tag("repeated"), "repeated", REPEATED)],
    "empathize": lambda f: [
        (f.threat, "threat", THREAT),
        (f.tag("repeated"), "repeated", REPEATED),
        (f.tag("customer_at_fault"), "at_fault", AT_FAULT),
    ],
    # Apologising when the customer is at fault is company policy (the guides disagree).
    "apologize": lambda f: [
        (f.threat, "threat", THREAT),
        (f.tag("customer_at_fault") & f.apologise_at_fault, "at_fault", AT_FAULT_SORRY),
        (f.tag("customer_at_fault") & ~f.apologise_at_fault, "not_needed", AT_FAULT_NO_SORRY),
    ],
    "ask": lambda f: [
        (f.threat, "threat", THREAT),
        (f.venting, "venting", VENTING),
        (f.talkative, "talkative", "a talkative customer takes every question as an opening"),
    ],
    # A fix lands when they asked for one, or once they have vented and been understood;
    # a premature one names the step that was missing.
    "solve": lambda f: [
        (f.threat, "threat", THREAT),
        (f.asked, "ready", ASKED),
        (f.venting, "early", VENTING),
        (~f.acknowledged, "unacknowledged", UNACKNOWLEDGED),
        (f.acknowledged, "ready", ACKNOWLEDGED),
    ],
    "offer_alternative": lambda f: [
        (f.threat, "threat", THREAT),
        (f.asked, "ready", ASKED),
        (f.venting, "early", VENTING),
        (~f.acknowledged, "unacknowledged", UNACKNOWLEDGED),
        (f.acknowledged, "ready", ACKNOWLEDGED),
    ],
    "positive_language": lambda f: [(f.threat, "threat", THREAT)],
    "realistic_promise": lambda f: [(f.threat, "threat", THREAT)],
    # Only the walk-back of a standing promise clears it (G-RESOLVE-3).
    "walk_back": lambda f: [
        (f.owes, "correction", "a promise that can't be kept was standing"),
        (~f.owes, "nothing_owed", "no promise was standing to walk back"),
    ],
    "use_name": lambda f: [(f.threat, "threat", THREAT)],
    "follow_up": lambda f: [(f.threat, "threat", THREAT)],
    "set_boundary": lambda f: [
        (f.threat, "threat", THREAT),
        (f.tag("abusive"), "abusive", ABUSIVE),
        (f.venting, "venting", VENTING + ", which is not abuse"),
        (~f.venting, "unneeded", "nothing abusive had been said"),
    ],
    "escalate": lambda f: [
        (
            f.tag("abusive") & f.transfer_policy & ~f.boundary,
            "unwarned",
            "the policy transfers abusive callers, but only after a boundary was set",
        ),
        (
            f.tag("requests_supervisor") & f.help_first & f.not_helped_yet,
            "too_soon",
            "they asked for a supervisor, and the policy wants one honest attempt to help first",
        ),
        (f.tag("requests_supervisor"), "requested", "they asked for a supervisor"),
        (f.tag("refund_history"), "policy", "the refund history puts it beyond policy"),
        (f.tag("beyond_authority"), "authority", "it was beyond your authority"),
        (f.tag("chronic_complainer") & ~f.parting_approved, "parting", PARTING_SUPERVISOR),
        (f.stuck, "stuck", "anger stayed high after honest attempts to help"),
        (~f.stuck, "buck", "nothing called for it: no request, no policy, not stuck"),
    ],
    "call_security": lambda f: [
        (f.threat, "threat", THREAT),
        (~f.threat, "overreaction", "nothing threatening had happened"),
    ],
    "thank": lambda f: [(f.furious, "hollow", "they were furious")],
    "keep_informed": lambda f: [
        (f.tag("lookup"), "lookup", LOOKUP),
        (~f.tag("lookup"), "default", NO_LOOKUP),
    ],
    "redirect": lambda f: [
        (f.talkative, "talkative", "a talkative customer needs steering back"),
        (f.venting, "venting", VENTING),
        (~f.venting, "default", VENTED),
    ],
    "upsell": lambda f: [
        (f.good_mood, "good_mood", "they were calm enough to hear an offer"),
        (~f.good_mood, "angry", "they were too angry for an offer"),
    ],
    "interrupt": lambda f: [(f.venting, "venting", VENTING), (~f.venting, "default", VENTED)],
    "blame_customer": lambda f: [(f.tag("customer_at_fault"), "at_fault", AT_FAULT)],
    "refuse_supervisor": lambda f: [
        (f.tag("requests_supervisor"), "requested", "they asked for a supervisor")
    ],
    "cave_in": lambda f: [
        (f.tag("refund_history"), "policy", "the refund history puts it beyond policy")
    ],
    "hang_up": lambda f: [
        (f.transfer_policy, "policy", "the policy is to transfer abusive callers, never hang up"),
        (~f.tag("abusive"), "not_abusive", "the moment was not abusive"),
        (~f.boundary, "no_warning", "no boundary had been set first"),
        (f.boundary, "allowed", "a boundary was set and they kept on"),
    ],
    "dead_air": lambda f: [
        (f.tag("lookup"), "lookup", LOOKUP),
        (~f.tag("lookup"), "default", NO_LOOKUP),
    ],
    "retaliate": lambda f: [(f.tag("abusive"), "abusive", ABUSIVE)],
    # Parting ways with a chronic complainer is a company decision (G-CLOSE-7).
    # Who may offer the release is the `parting_ways` policy.
    "part_ways": lambda f: [
        (f.tag("chronic_complainer") & f.parting_approved, "approved", PARTING_AGENT),
        (f.tag("chronic_complainer"), "supervisor", PARTING_SUPERVISOR),
        (~f.tag("chronic_complainer"), "unapproved", "nothing made this a case for parting ways"),
    ],
    "transfer": lambda f: [
        (
            f.tag("abusive") & f.transfer_policy & ~f.boundary,
            "unwarned",
            "the policy transfers abusive callers, but only after a boundary was set",
        ),
        (f.venting & ~f.tag("abusive"), "venting", VENTING),
    ],
}


def decided_by(catalog: Catalog, mood: Mood, ctx: Context, technique_id: str) -> str:
    """Why the technique got the case it got in row 0: the condition that picked it, in words."""
    rule = RULES.get(technique_id)
    if rule is None:
        return DEFAULT
    decision = _first_that_holds(rule, _Facts(catalog, mood, ctx))
    return DEFAULT if decision is None else decision[1]


def _first_that_holds(rule: Rule, facts: _Facts) -> tuple[str, str] | None:
    """(case, why) of the rule's first condition that holds in row 0, or None."""
    for condition, name, why in rule(facts):
        if bool(condition[0]):
            return name, why
    return None


def select_cases(catalog: Catalog, mood: Mood, ctx: Context, active: Bools | None = None) -> Ints:
    """The case index of every technique for every row, under the current context.

    Only the techniques flagged in `active` (default: all) are worked out; the rest keep
    their default case, which is all the runner needs for the one or two it plays.
    """
    facts = _Facts(catalog, mood, ctx)
    rows = mood.rows
    cases = np.zeros((rows, len(catalog.technique_order)), dtype=np.int64)
    worked_out = (
        RULES
        if active is None
        else [catalog.technique_order[i] for i in np.flatnonzero(active).tolist()]
    )
    for tid in worked_out:
        rule = RULES.get(tid)
        if rule is None:
            continue
        technique = catalog.techniques[tid]
        if rows == 1:  # the session runner's turn: the first condition that holds, as `why`
            decision = _first_that_holds(rule, facts)
            cases[0, technique.index] = (
                technique.default_case if decision is None else technique.case_index(decision[0])
            )
            continue
        column = np.full(rows, technique.default_case, dtype=np.int64)
        settled = np.zeros(rows, dtype=bool)
        for condition, name, _ in rule(facts):
            take = condition & ~settled
            column[take] = technique.case_index(name)
            settled |= take
        cases[:, technique.index] = column
    return cases


def judge(catalog: Catalog, mood: Mood, ctx: Context, chosen: Bools) -> Judgement:
    """How the chosen techniques land on each customer, given who they are and the moment.

    Worked out only where a technique was chosen (a row chooses one to three of some sixty),
    with the same arithmetic element by element as over the whole table."""
    params = catalog.params
    rows, width = chosen.shape
    cases = select_cases(catalog, mood, ctx, np.asarray(chosen.any(axis=0)))
    row, tech = np.nonzero(chosen)  # row by row, techniques in catalog order
    case = cases[row, tech]
    entry = catalog.case_table[tech, case]  # (chosen, fields)

    raw = entry[:, _ANGER] * catalog.persona_multipliers[ctx.persona[row], tech]
    calming = raw < 0
    trust_factor = params.trust_scaled_base + params.trust_scaled_span * mood.trust[row]
    raw = np.where(calming & catalog.trust_scaled[tech], raw * trust_factor, raw)
    fatigue = 1.0 / (1.0 + params.diminish * mood.uses[row, tech])
    raw = np.where(calming & catalog.diminishes[tech], raw * fatigue, raw)
    anger = np.zeros((rows, width), dtype=np.int64)
    anger[row, tech] = np.rint(raw).astype(np.int64)

    scored = entry[:, _QUALITY]
    quality = np.full((rows, width), np.nan)
    quality[row, tech] = scored
    per_row = np.bincount(row, minlength=rows)
    several = np.flatnonzero(per_row > 2)  # summed as the whole row is, for identical floats

    def total(field: int) -> Floats:
        result: Floats = np.bincount(row, weights=entry[:, field], minlength=rows).astype(
            np.float64
        )
        if several.size:
            table = catalog.case_table[np.arange(width)[None, :], cases[several], field]
            result[several] = np.where(chosen[several], table, 0.0).sum(axis=1)
        return result

    def any_of(flags: Bools) -> Bools:
        found = np.zeros(rows, dtype=bool)
        found[row[flags]] = True
        return found

    boundary_index = catalog.techniques["set_boundary"].index
    abusive_case = catalog.techniques["set_boundary"].case_index("abusive")
    sets_boundary = chosen[:, boundary_index] & (cases[:, boundary_index] == abusive_case)
    landed = scored > 0
    return Judgement(
        chosen=chosen,
        case=cases,
        anger=anger,
        quality=quality,
        heard=total(_HEARD),
        trust=total(_TRUST),
        vent=np.rint(total(_VENT)).astype(np.int64),
        debt=np.rint(total(_DEBT)).astype(np.int64),
        breaks_policy=any_of(catalog.breaks_policy[tech, case]),
        sets_boundary=sets_boundary,
        deescalated=any_of(landed & catalog.deescalates[tech]),
        acknowledges=any_of(landed & catalog.acknowledges[tech]),
        harmful=any_of(scored < 0),
    )


def apply(catalog: Catalog, mood: Mood, ctx: Context, judgement: Judgement) -> Applied:
    """The customer after the turn; customers who feel heard ease off toward their floor,
    but never on a turn that broke a guide. Venting wears off by at least one every turn
    that broke no guide (an agent who cuts in or argues leaves them with more to say)."""
    raw = mood.anger + judgement.anger.sum(axis=1)
    blown = raw >= 100
    anger = np.minimum(np.maximum(raw, 0), 100)  # integers: as np.clip, without its wrapper
    heard = np.clip(mood.heard + judgement.heard, 0.0, 1.0)
    floor = catalog.persona_floors[ctx.persona]
    relax = -np.rint(catalog.params.relax_rate * heard * np.maximum(0, anger - floor))
    relax = np.where(blown | judgement.harmful, 0, relax).astype(np.int64)
    after = Mood(
        anger=(anger + relax).astype(np.int64),
        heard=heard,
        trust=np.clip(mood.trust + judgement.trust, 0.0, 1.0),
        vent=np.maximum(
            0, mood.vent + np.minimum(judgement.vent, np.where(judgement.harmful, 0, -1))
        ),
        debt=np.maximum(0, mood.debt + judgement.debt),
        helped=mood.helped + judgement.deescalated.astype(np.int64),
        boundary=mood.boundary | judgement.sets_boundary,
        uses=mood.uses + judgement.chosen.astype(np.int64),
        acknowledged=mood.acknowledged | judgement.acknowledges,
    )
    return Applied(after, relax, blown)


def dead_air_anger(
    seconds: float, allowance: float, rate: float, cap: float = float("inf")
) -> float:
    """Anger added by silence: nothing within the allowance, then a steady climb to `cap`."""
    return min(cap, max(0.0, seconds - allowance) * rate)
