"""`--policy KEY=VALUE`: play, lint or analyse a scenario under another company policy.

The policy given on the command line wins over the campaign's and over the scenario's own
`policy:` block, so a trainer sees what the level teaches under the other rule without
editing either file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum

from game.scenario.campaign import Campaign
from game.scenario.model import POLICY_KINDS, PolicyOverride, Scenario
from game.scenario.problems import ProblemSink, closest
from game.scenario.reader import Reader
from game.scenario.source import YNode

POLICY_KEYS: dict[str, type[StrEnum]] = POLICY_KINDS


class PolicyOptionError(ValueError):
    """A `--policy` item that names no policy or no value of one; the message says which."""


def parse_policy(items: Sequence[str]) -> PolicyOverride | None:
    """`["abusive_caller=transfer", …]` as a PolicyOverride (None when there are none)."""
    if not items:
        return None
    chosen: dict[str, StrEnum] = {}
    for item in items:
        key, equals, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not equals or not key or not value:
            raise PolicyOptionError(
                f"--policy {item!r}: write KEY=VALUE, e.g. abusive_caller=transfer"
            )
        kind = POLICY_KEYS.get(key)
        if kind is None:
            hint = closest(key, POLICY_KEYS)
            raise PolicyOptionError(
                f"--policy {item!r}: unknown policy '{key}'"
                + (f" (did you mean '{hint}'?)" if hint else "")
                + f"; policies: {', '.join(POLICY_KEYS)}"
            )
        values = [member.value for member in kind]
        if value not in values:
            hint = closest(value, values)
            raise PolicyOptionError(
                f"--policy {item!r}: unknown value '{value}' for {key}"
                + (f" (did you mean '{hint}'?)" if hint else "")
                + f"; values: {', '.join(values)}"
            )
        if key in chosen and chosen[key].value != value:
            raise PolicyOptionError(f"--policy gives {key} twice, with different values")
        chosen[key] = kind(value)
    return PolicyOverride.of(chosen)


def read_policy_block(
    node: YNode, sink: ProblemSink, *, unknown_code: str = "SC006"
) -> PolicyOverride | None:
    """A `policy:` mapping in a file (a plan's), every problem located: an unknown key with
    `unknown_code` and a did-you-mean, an unknown value as SC022."""
    read = Reader(sink)
    data = read.mapping(
        node, "`policy`", optional=tuple(POLICY_KINDS), unknown_code=unknown_code,
        unknown_what="policy",
    )  # fmt: skip
    if data is None:
        return None
    return PolicyOverride.of(
        {
            key: read.enum(data.get(key), kind, "SC022", f"`{key}` policy")
            for key, kind in POLICY_KINDS.items()
        }
    )


def with_campaign_policy(campaign: Campaign, override: PolicyOverride) -> Campaign:
    """Every level of the campaign under `override` (the window's `play --policy`)."""
    levels = tuple(
        replace(level, scenario=with_policy(level.scenario, override))
        if level.scenario is not None
        else level
        for level in campaign.levels
    )
    return replace(campaign, levels=levels)


def with_policy(scenario: Scenario, override: PolicyOverride) -> Scenario:
    """The scenario with `override` laid over its own policy block (the override wins)."""
    return replace(scenario, policy=scenario.policy.under(override))
