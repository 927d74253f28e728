"""Every context rule of DESIGN.md, played through the real runner on small scenarios."""

from __future__ import annotations

from game.scenario.model import (
    AbusivePolicy,
    AtFaultApology,
    PartingPolicy,
    Policy,
    Rating,
    SupervisorPolicy,
)
from tests.engine.helpers import effect, make, one_move, play

TWO_STEP = """\
opening:
  customer: "Listen to me!"
  tags: {tags1}
  choices:
    - say: "First."
      technique: {first}
      next: second
    - say: "Other."
      technique: listen
      next: second
second:
  customer: "And?"
  tags: {tags2}
  choices:
    - say: "Then."
      technique: {then}
      next: after
    - say: "Other."
      technique: listen
      next: after
after:
  customer: "Hm."
  end: resolved
"""


def two_step(first: str, then: str, tags1: str = "[]", tags2: str = "[]", **kw: object) -> object:
    return make(TWO_STEP.format(first=first, then=then, tags1=tags1, tags2=tags2), **kw)  # type: ignore[arg-type]


def test_solve_before_heard_backfires_and_after_is_the_biggest_calming_move() -> None:
    early = make(one_move("solve"), vent=1)
    _, turns = play(early, 1)
    case, anger, quality, principle = effect(turns[0], "solve")
    assert (case, principle) == ("early", "G-LISTEN-5") and anger > 0 and quality == -1

    ready = two_step("[listen, recap]", "solve", vent=1)
    _, turns = play(ready, 1, 1)  # type: ignore[arg-type]
    case, anger, quality, _ = effect(turns[1], "solve")
    assert case == "ready" and quality == 1
    others = [
        two_step("[listen, recap]", t, vent=1)
        for t in ("empathize", "apologize", "listen", "recap")
    ]
    calmer = [
        effect(play(s, 1, 1)[1][1], t)[1]
        for s, t in zip(others, ("empathize", "apologize", "listen", "recap"), strict=True)
    ]  # type: ignore[arg-type]
    assert anger < min(calmer), (anger, calmer)


def test_listening_helps_while_venting_then_starts_to_grate() -> None:
    scenario = two_step("listen", "listen", vent=1)
    _, turns = play(scenario, 1, 1)  # type: ignore[arg-type]
    assert effect(turns[0], "listen")[:3] == ("venting", -8, 1.0)  # angry persona ×1.2
    case, anger, quality, principle = effect(turns[1], "listen")
    assert case == "done" and anger > 0 and quality < 0 and principle == "G-RESOLVE-1"


def test_set_boundary_is_right_on_abuse_and_wrong_on_venting() -> None:
    _, turns = play(make(one_move("set_boundary", "[abusive]")), 1)
    assert effect(turns[0], "set_boundary")[0::2] == ("abusive", 1.0)
    _, turns = play(make(one_move("set_boundary"), vent=2), 1)
    case, anger, quality, _ = effect(turns[0], "set_boundary")
    assert case == "venting" and anger > 0 and quality == -1


def test_call_security_only_on_a_threat() -> None:
    _, turns = play(make(one_move("call_security", "[threat]")), 1)
    assert effect(turns[0], "call_security")[0] == "threat"
    _, turns = play(make(one_move("call_security")), 1)
    case, anger, _, _ = effect(turns[0], "call_security")
    assert case == "overreaction" and anger >= 20


def test_escalate_depends_on_the_moment_and_the_policy() -> None:
    requested = make(one_move("escalate", "[requests_supervisor]"))
    assert effect(play(requested, 1)[1][0], "escalate")[0] == "requested"
    help_first = Policy(supervisor_request=SupervisorPolicy.HELP_FIRST)
    assert effect(play(requested, 1, policy=help_first)[1][0], "escalate")[0] == "too_soon"
    tried = two_step("recap", "escalate", tags2="[requests_supervisor]")
    assert effect(play(tried, 1, 1, policy=help_first)[1][1], "escalate")[0] == "requested"  # type: ignore[arg-type]
    authority = make(one_move("escalate", "[beyond_authority]"))
    assert effect(play(authority, 1)[1][0], "escalate")[0] == "authority"
    buck = make(one_move("escalate"))
    _, turns = play(buck, 1)
    case, anger, quality, principle = effect(turns[0], "escalate")
    assert (case, principle) == ("buck", "G-ESCALATE-3") and anger > 0 and quality == -1


def test_escalate_is_right_when_anger_stays_high_after_two_honest_attempts() -> None:
    nodes = """\
    opening:
      customer: "No!"
      choices:
        - {say: "a", technique: recap, next: two}
    two:
      customer: "No!"
      choices:
        - {say: "b", technique: apologize, next: three}
    three:
      customer: "Still no!"
      choices:
        - {say: "c", technique: escalate, next: after}
    after:
      customer: "Hm."
      end: escalated
    """
    state, turns = play(make(nodes, anger=95, persona="bully"), 1, 1, 1)
    assert turns[2].anger_before >= 60
    assert effect(turns[2], "escalate")[0] == "stuck"
    assert state.outcome is not None and state.outcome.rating is Rating.GOOD


def test_hang_up_follows_the_policy_and_the_warning() -> None:
    nodes = """\
    opening:
      customer: "You useless ***!"
      tags: [abusive]
      choices:
        - {say: "warn", technique: set_boundary, next: still}
        - {say: "hang", technique: hang_up, next: ended}
    still:
      customer: "*** you!"
      tags: [abusive]
      choices:
        - {say: "end it", technique: hang_up, next: ended}
    ended:
      customer: "(click)"
      end: call_ended
    """
    scenario = make(nodes, persona="rude")
    state, turns = play(scenario, 1, 1)
    assert effect(turns[1], "hang_up")[0] == "allowed"
    assert state.outcome is not None and state.outcome.rating is Rating.GOOD
    state, turns = play(scenario, 2)
    assert effect(turns[0], "hang_up")[0] == "no_warning"
    assert state.outcome is not None and state.outcome.rating is Rating.BAD
    transfer = Policy(abusive_caller=AbusivePolicy.TRANSFER)
    state, turns = play(scenario, 1, 1, policy=transfer)
    assert effect(turns[1], "hang_up")[0] == "policy"
    assert state.outcome is not None and state.outcome.rating is Rating.BAD
    _, turns = play(make(one_move("hang_up")), 1)
    assert effect(turns[0], "hang_up")[0] == "not_abusive"


def test_upsell_only_when_the_customer_is_in_a_good_mood() -> None:
    assert effect(play(make(one_move("upsell"), anger=10), 1)[1][0], "upsell")[0] == "good_mood"
    case, anger, _, principle = effect(play(make(one_move("upsell"), anger=60), 1)[1][0], "upsell")
    assert (case, principle) == ("angry", "G-CLOSE-3") and anger > 0


def test_overpromise_calms_now_and_costs_more_at_the_end() -> None:
    state, turns = play(make(one_move("overpromise")), 1)
    assert turns[0].anger_after < turns[0].anger_before
    assert state.outcome is not None
    assert state.outcome.final_anger > turns[0].anger_before
    assert [e.source for e in state.outcome.effects] == ["debt"]
    assert state.outcome.rating is Rating.PARTIAL


def test_cave_in_on_a_refund_history_breaks_policy() -> None:
    case, anger, quality, principle = effect(
        play(make(one_move("cave_in", "[refund_history]")), 1)[1][0], "cave_in"
    )
    assert (case, principle, quality) == ("policy", "G-RESOLVE-9", -1.0) and anger < 0


def test_anger_relaxes_toward_the_floor_in_proportion_to_heard() -> None:
    _, turns = play(make(one_move("recap"), anger=80), 1)
    relax = [e for e in turns[0].effects if e.source == "relax"]
    assert relax and relax[0].anger < 0 and relax[0].principle == "G-LISTEN-3"
    _, turns = play(make(one_move("negative_language"), anger=80), 1)
    assert not [e for e in turns[0].effects if e.source == "relax"]  # nobody feels heard yet


def test_persona_multipliers_make_a_bully_shrug_off_empathy() -> None:
    bully = effect(play(make(one_move("empathize"), persona="bully"), 1)[1][0], "empathize")[1]
    unhappy = effect(play(make(one_move("empathize"), persona="unhappy"), 1)[1][0], "empathize")[1]
    assert bully > unhappy  # less negative: it calms the bully less


def test_a_turn_with_an_excuse_is_bad_even_with_an_apology() -> None:
    _, turns = play(make(one_move("[apologize, excuse]")), 1)
    assert turns[0].quality == -1


def test_repeated_kind_words_land_less_each_time() -> None:
    scenario = two_step("apologize", "apologize")
    _, turns = play(scenario, 1, 1)  # type: ignore[arg-type]
    assert effect(turns[1], "apologize")[1] > effect(turns[0], "apologize")[1]


def test_reasoning_with_a_threat_is_wrong_whatever_you_say() -> None:
    for technique in ("listen", "empathize", "apologize", "solve", "positive_language", "ask"):
        _, turns = play(make(one_move(technique, "[threat]"), vent=1), 1)
        case, _, quality, principle = effect(turns[0], technique)
        assert (
            (case, principle) == ("threat", "G-BOUNDARY-4") and quality is not None and quality < 0
        )
    case, _, quality, _ = effect(
        play(make(one_move("set_boundary", "[threat]")), 1)[1][0], "set_boundary"
    )
    assert case == "threat" and quality == 0.5


def test_open_questions_to_a_talkative_customer_are_poor() -> None:
    case, _, quality, principle = effect(
        play(make(one_move("ask"), persona="talkative", anger=10), 1)[1][0], "ask"
    )
    assert (case, principle, quality) == ("talkative", "G-BOUNDARY-2", -0.5)


def test_breaking_refund_policy_makes_the_ending_bad() -> None:
    state, _ = play(make(one_move("cave_in", "[refund_history]")), 1)
    assert state.policy_broken
    assert state.outcome is not None and state.outcome.rating is Rating.BAD


def test_an_honest_correction_walks_back_an_overpromise() -> None:
    scenario = two_step("overpromise", "walk_back")
    state, turns = play(scenario, 1, 1)  # type: ignore[arg-type]
    assert effect(turns[1], "walk_back")[0] == "correction"
    assert state.debt == 0 and state.outcome is not None
    assert not state.outcome.effects and state.outcome.rating is Rating.GOOD


def test_reaching_a_threat_moment_lifts_the_anger() -> None:
    nodes = """\
    opening:
      customer: "Fine."
      choices:
        - {say: "ok", technique: recap, next: threat}
        - {say: "no", technique: recap, next: threat}
    threat:
      customer: "Give me the money or else."
      tags: [threat]
      choices:
        - {say: "security", technique: call_security, next: secured}
        - {say: "talk", technique: empathize, next: secured}
    secured:
      customer: "(Security walks him out.)"
      end: security
    """
    scenario = make(nodes, anger=20)
    state, turns = play(scenario, 1, 1)
    assert turns[0].anger_after == 80 and turns[0].effects[-1].source == "threat"
    assert state.outcome is not None and state.outcome.rating is Rating.GOOD
    state, _ = play(scenario, 1, 2)
    assert state.outcome is not None and state.outcome.rating is Rating.BAD


def test_an_ending_move_paired_with_a_harmful_one_rates_by_the_whole_turn() -> None:
    nodes = """\
    opening:
      customer: "I want your supervisor."
      tags: [requests_supervisor]
      choices:
        - {say: "Fine, whatever, here's someone else to moan at.", technique: [escalate, condescend], next: up}
        - {say: "Of course.", technique: escalate, next: up}
    up:
      customer: "Hm."
      end: escalated
    """
    scenario = make(nodes)
    assert play(scenario, 1)[0].outcome.rating is Rating.BAD  # type: ignore[union-attr]
    assert play(scenario, 2)[0].outcome.rating is Rating.GOOD  # type: ignore[union-attr]


def test_parting_ways_follows_the_company_policy() -> None:
    """001 §5 leaves parting ways to the company: who may offer it is `parting_ways`."""
    chronic = make(one_move("part_ways", "[chronic_complainer]"))
    case, _, quality, principle = effect(play(chronic, 1)[1][0], "part_ways")
    assert (case, quality, principle) == ("approved", 1, "G-CLOSE-7")  # the default: approved
    team_lead = Policy(parting_ways=PartingPolicy.NEEDS_SUPERVISOR)
    case, anger, quality, _ = effect(play(chronic, 1, policy=team_lead)[1][0], "part_ways")
    assert case == "supervisor" and quality == -1 and anger > 0
    elsewhere = make(one_move("part_ways"))
    for policy in (Policy(), team_lead):
        assert effect(play(elsewhere, 1, policy=policy)[1][0], "part_ways")[0] == "unapproved"
    # Bringing the case to the team lead is right only when the policy leaves it to them.
    handed_up = make(one_move("escalate", "[chronic_complainer]"))
    case, _, quality, principle = effect(play(handed_up, 1, policy=team_lead)[1][0], "escalate")
    assert (case, quality, principle) == ("parting", 1, "G-CLOSE-7")
    assert effect(play(handed_up, 1)[1][0], "escalate")[0] == "buck"


def test_an_apology_when_the_customer_is_at_fault_follows_the_company_policy() -> None:
    """003 §4 apologises for the misunderstanding; 000 step 8 needs no apology."""
    at_fault = make(one_move("apologize", "[customer_at_fault]"))
    case, _, quality, principle = effect(play(at_fault, 1)[1][0], "apologize")
    assert (case, quality, principle) == ("at_fault", 1, "G-APOLOGY-3")
    no_need = Policy(apology_when_customer_at_fault=AtFaultApology.NO_APOLOGY_NEEDED)
    case, _, quality, principle = effect(play(at_fault, 1, policy=no_need)[1][0], "apologize")
    assert (case, quality, principle) == ("not_needed", 0.5, "G-APOLOGY-3")
    company_fault = make(one_move("apologize"))  # the company's own mistake: sorry either way
    assert effect(play(company_fault, 1, policy=no_need)[1][0], "apologize")[0] == "default"
