"""Build a validated `Scenario` from a parsed YAML tree, reporting every problem with its location (SC codes) rather than stopping at the first: the keys each part may have, their ranges, the node graph's checks."""

from __future__ import annotations

from collections import deque

from game.scenario.model import (
    BLOWUP_NODE,
    FORMAT_VERSION,
    AbusivePolicy,
    Branch,
    Channel,
    Choice,
    Condition,
    Customer,
    Ending,
    EndingKind,
    LineVariant,
    Node,
    Persona,
    PolicyOverride,
    Rating,
    Scenario,
    SupervisorPolicy,
    Text,
    Tone,
    Verdict,
)
from game.scenario.problems import Position, ProblemSink
from game.scenario.reader import (
    KEBAB_ID,
    MAX_ID,
    MAX_NAME,
    MAX_SUMMARY,
    MAX_TITLE,
    SNAKE_ID,
    Reader,
)
from game.scenario.source import YMap, YNode, YScalar, YSeq
from game.scenario.vocabulary import vocabulary

SCENARIO_KEYS_REQUIRED = (
    "format", "id", "title", "summary", "channel", "difficulty", "customer", "start", "nodes",
)  # fmt: skip
SCENARIO_KEYS_OPTIONAL = ("policy", "seeded_flags")
CUSTOMER_KEYS_REQUIRED = ("name", "persona", "anger")
CUSTOMER_KEYS_OPTIONAL = ("vent", "unresolved_floor")
LINE_KEYS = ("text", "when", "tone")
# Conversation facts a customer line's `when` can test (session.FACT_LABELS).
LINE_FACTS = (
    "still_venting", "vented", "acknowledged", "not_acknowledged", "asked_for_fix",
    "promise_standing", "resolved", "unresolved",
)  # fmt: skip
MAX_WORDINGS = 3
MAX_SEEDED_FLAGS = 4
POLICY_KEYS = ("abusive_caller", "supervisor_request")
NODE_KEYS = ("customer", "tags", "choices", "end", "rating", "flare")
MAX_FLARE = 60
CHOICE_KEYS_REQUIRED = ("say", "technique", "next")
CHOICE_KEYS_OPTIONAL = ("set", "feedback", "expect")
CONDITION_KEYS = ("anger_at_least", "anger_below", "flag", "not_flag", "turn_at_least")
MAX_VENT = 10
MAX_TURN_CONDITION = 100


class ScenarioBuilder:
    def __init__(self, path: str, sink: ProblemSink) -> None:
        self.path = path
        self.sink = sink
        self.read = Reader(sink)
        names = vocabulary()  # ids only: checking a file needs no numpy tables
        self.techniques = names.techniques
        self.tags = names.tags
        self.technique_aliases = names.technique_aliases
        # Branch targets to check once every node id is known.
        self.targets: list[tuple[str, Position, str]] = []
        # Every node id declared under `nodes`, built or not: a typo inside one node must
        # not turn every link to it into an "unknown node" (or its successors unreachable).
        self.declared: set[str] = set()
        # False once a node's links may be missing (a misspelt `choices:` or `next:`, a
        # choice that could not be read): the graph checks would then report its successors
        # as unreachable, errors that are only echoes of the one typo.
        self.links_complete = True

    def build(self, root: YNode, content_hash: str) -> Scenario | None:
        top = self.read.mapping(
            root,
            "the scenario",
            required=SCENARIO_KEYS_REQUIRED,
            optional=SCENARIO_KEYS_OPTIONAL,
            at=Position(1, 1),
        )
        if top is None:
            return None
        fmt_node = top.get("format")
        fmt = self.read.integer(fmt_node, "`format`", 0, 1_000_000)
        if fmt is not None and fmt != FORMAT_VERSION and fmt_node is not None:
            self.sink.add(
                fmt_node.pos, "SC020", f"format {fmt} is not supported (this game reads format 1)"
            )
            return None
        scenario_id = self.read.ident(top.get("id"), "scenario id", KEBAB_ID, "kebab-case")
        title = self.read.text(top.get("title"), "`title`", MAX_TITLE)
        summary = self.read.text(top.get("summary"), "`summary`", MAX_SUMMARY)
        channel = self.read.enum(top.get("channel"), Channel, "SC004", "channel")
        difficulty = self.read.integer(top.get("difficulty"), "`difficulty`", 1, 5)
        customer = self._customer(top.get("customer"))
        policy = self._policy(top.get("policy"))
        start_node = top.get("start")
        start = self.read.string(start_node, "`start`", MAX_ID)
        nodes = self._nodes(top.get("nodes"))
        if start is not None and start_node is not None:
            self.targets.append((start, start_node.pos, "`start`"))
        known = self.declared
        for target, pos, what in self.targets:
            if target not in known:
                self.sink.unknown(pos, "SC001", "node", target, sorted(known), f"in {what}")
        # The graph checks need every node: with one missing their answers would be guesses.
        if start is not None and start in known and self.links_complete:
            self._check_graph(start, nodes)
        if (
            scenario_id is None
            or title is None
            or summary is None
            or channel is None
            or difficulty is None
            or customer is None
            or start is None
            or self.sink.items
        ):
            return None
        return Scenario(
            id=scenario_id,
            title=title,
            summary=summary,
            channel=channel,
            difficulty=difficulty,
            customer=customer,
            policy=policy,
            start=start,
            nodes=tuple(nodes),
            path=self.path,
            content_hash=content_hash,
            seeded_flags=self._seeded_flags(top.get("seeded_flags")),
        )

    def _seeded_flags(self, node: YNode | None) -> tuple[tuple[str, int], ...]:
        """`seeded_flags: {parcel_found: 50}`: story flags each attempt sets by its seed, with
        the percent chance of each (1..99)."""
        if node is None:
            return ()
        if not isinstance(node, YMap):
            self.read.mapping(node, "`seeded_flags`")  # reports the wrong type
            return ()
        data = node
        found: list[tuple[str, int]] = []
        for flag, key_pos, value in data.items:
            if not SNAKE_ID.fullmatch(flag):
                self.sink.add(key_pos, "SC021", f"flag '{flag}' must be snake_case")
                continue
            percent = self.read.integer(value, f"the chance of '{flag}' (percent)", 1, 99)
            if percent is not None:
                found.append((flag, percent))
        if len(found) > MAX_SEEDED_FLAGS:
            self.sink.add(
                data.pos,
                "SC014",
                f"{len(found)} seeded flags; at most {MAX_SEEDED_FLAGS} (each doubles what "
                "analysis explores)",
            )
        return tuple(found)

    def _range(self, node: YNode | None, what: str, low: int, high: int) -> tuple[int, int] | None:
        """A number, or `[lowest, highest]`: each attempt picks one in the range by its seed."""
        if isinstance(node, YSeq):
            items = node.items
            if len(items) != 2:
                self.sink.add(node.pos, "SC008", f"{what} range must be [lowest, highest]")
                return None
            first = self.read.integer(items[0], what, low, high)
            last = self.read.integer(items[1], what, low, high)
            if first is None or last is None:
                return None
            if last < first:
                self.sink.add(node.pos, "SC014", f"{what} range [{first}, {last}] runs backwards")
                return None
            return first, last
        value = self.read.integer(node, what, low, high)
        return None if value is None else (value, value)

    def _customer(self, node: YNode | None) -> Customer | None:
        data = self.read.mapping(
            node, "`customer`", required=CUSTOMER_KEYS_REQUIRED, optional=CUSTOMER_KEYS_OPTIONAL
        )
        if data is None:
            return None
        name = self.read.text(data.get("name"), "customer `name`", MAX_NAME)
        persona = self.read.enum(data.get("persona"), Persona, "SC003", "persona")
        anger = self._range(data.get("anger"), "customer `anger`", 0, 100)
        vent_node = data.get("vent")
        vent = (0, 0) if vent_node is None else self._range(vent_node, "`vent`", 0, MAX_VENT)
        floor_node = data.get("unresolved_floor")
        floor = (
            None
            if floor_node is None
            else self.read.integer(floor_node, "`unresolved_floor`", 0, 100)
        )
        if name is None or persona is None or anger is None or vent is None:
            return None
        return Customer(
            name=name,
            persona=persona,
            anger=anger[0],
            vent=vent[0],
            anger_max=anger[1] if anger[1] != anger[0] else None,
            vent_max=vent[1] if vent[1] != vent[0] else None,
            unresolved_floor=floor,
        )

    def _policy(self, node: YNode | None) -> PolicyOverride:
        data = self.read.mapping(node, "`policy`", optional=POLICY_KEYS)
        if data is None:
            return PolicyOverride()
        return PolicyOverride(
            abusive_caller=self.read.enum(
                data.get("abusive_caller"), AbusivePolicy, "SC022", "`abusive_caller` policy"
            ),
            supervisor_request=self.read.enum(
                data.get("supervisor_request"),
                SupervisorPolicy,
                "SC022",
                "`supervisor_request` policy",
            ),
        )

    def _nodes(self, node: YNode | None) -> list[Node]:
        if node is None:
            return []
        if not isinstance(node, YMap):
            self.read.mapping(node, "`nodes`")
            return []
        if not node.items:
            self.sink.add(node.pos, "SC025", "`nodes` is empty")
        built: list[Node] = []
        for node_id, key_pos, value in node.items:
            if len(node_id) > MAX_ID:
                self.read.too_long(key_pos, "a node id", len(node_id), MAX_ID)
                continue
            if not SNAKE_ID.fullmatch(node_id):
                self.sink.add(key_pos, "SC021", f"node id '{node_id}' must be snake_case")
                continue
            self.declared.add(node_id)
            item = self._node(node_id, key_pos, value)
            if item is not None:
                built.append(item)
        return built

    def _node(self, node_id: str, key_pos: Position, value: YNode) -> Node | None:
        what = f"node '{node_id}'"
        before = len(self.sink.items)
        data = self.read.mapping(value, what, required=("customer",), optional=NODE_KEYS[1:])
        if data is None or len(self.sink.items) > before:  # not a mapping, or unknown keys
            self.links_complete = False
        if data is None:
            return None
        customer, lines = self._lines(data.get("customer"), what)
        tags = self._tags(data.get("tags"))
        end_node = data.get("end")
        ending: Ending | None = None
        if end_node is not None:
            kind = self.read.enum(end_node, EndingKind, "SC005", "ending")
            rating_node = data.get("rating")
            rating = (
                None
                if rating_node is None
                else self.read.enum(rating_node, Rating, "SC028", "rating")
            )
            if kind is not None:
                ending = Ending(kind, rating)
        elif data.get("rating") is not None:
            self.sink.add(
                data.key_pos("rating"), "SC032", f"`rating` only belongs on an ending ({what})"
            )
        choices_node = data.get("choices")
        has_choices = "choices" in data.keys
        if has_choices == ("end" in data.keys):
            which = "both `choices` and `end`" if has_choices else "neither `choices` nor `end`"
            self.sink.add(key_pos, "SC010", f"{what} has {which}")
            self.links_complete = False
        choices: list[Choice] = []
        if has_choices:
            items = self.read.sequence(choices_node, f"`choices` of {what}")
            if not items and choices_node is not None and isinstance(choices_node, YMap | YScalar):
                pass  # type already reported
            elif not items and choices_node is not None:
                self.sink.add(choices_node.pos, "SC025", f"{what} has an empty `choices` list")
            for number, item in enumerate(items, start=1):
                choice = self._choice(item, number, what)
                if choice is not None:
                    choices.append(choice)
                else:
                    self.links_complete = False
        flare_node = data.get("flare")
        flare = 0 if flare_node is None else self.read.integer(flare_node, "`flare`", 1, MAX_FLARE)
        # A node whose own parts are broken (already reported) is kept, with stand-ins, so
        # that the graph checks still see it and where it leads.
        return Node(
            node_id, customer or Text(""), tags, tuple(choices), ending, key_pos, flare or 0, lines
        )

    def _lines(self, node: YNode | None, what: str) -> tuple[Text | None, tuple[LineVariant, ...]]:
        """A node's customer line: one text, or a list of variants picked by the moment
        (`{text, when, tone}`; the last has no `when` and is the fallback)."""
        if not isinstance(node, YSeq):
            return self.read.text(node, f"`customer` line of {what}"), ()
        if not node.items:
            self.sink.add(node.pos, "SC025", f"the `customer` lines of {what} are empty")
            return None, ()
        variants: list[LineVariant] = []
        for index, item in enumerate(node.items):
            label = f"`customer` line {index + 1} of {what}"
            data = self.read.mapping(item, label, required=("text",), optional=LINE_KEYS[1:])
            if data is None:
                continue
            text = self.read.text(data.get("text"), label)
            when_node = data.get("when")
            when = None if when_node is None else self._condition(when_node, facts=True)
            tone_node = data.get("tone")
            tone = None if tone_node is None else self.read.enum(tone_node, Tone, "SC034", "tone")
            last = index == len(node.items) - 1
            if last and when_node is not None:
                self.sink.add(
                    when_node.pos,
                    "SC013",
                    "the last customer line must have no `when` (the fallback)",
                )
            elif not last and when_node is None:
                self.sink.add(
                    item.pos,
                    "SC013",
                    "only the last customer line may leave out `when`; later ones would never be said",
                )
            if text is not None:
                variants.append(LineVariant(text, when, tone, item.pos))
        if len(variants) != len(node.items):
            return None, ()
        return variants[-1].text, tuple(variants)

    def _tags(self, node: YNode | None) -> frozenset[str]:
        tags: set[str] = set()
        for item in self.read.sequence(node, "`tags`", allow_scalar=True):
            tag = self.read.string(item, "a tag")
            if tag is None:
                continue
            if tag not in self.tags:
                self.sink.unknown(item.pos, "SC026", "moment tag", tag, self.tags)
                continue
            tags.add(tag)
        return frozenset(tags)

    def _choice(self, node: YNode, number: int, where: str) -> Choice | None:
        what = f"choice {number} of {where}"
        data = self.read.mapping(
            node, what, required=CHOICE_KEYS_REQUIRED, optional=CHOICE_KEYS_OPTIONAL
        )
        if data is None:
            return None
        say_node = data.get("say")
        wordings = self._wordings(say_node, what)
        techniques = self._techniques(data.get("technique"), what)
        branches = self._branches(data.get("next"), what)
        sets: list[str] = []
        for item in self.read.sequence(data.get("set"), "`set`", allow_scalar=True):
            flag = self.read.ident(item, "flag", SNAKE_ID, "snake_case")
            if flag is not None:
                sets.append(flag)
        feedback_node = data.get("feedback")
        feedback = None if feedback_node is None else self.read.text(feedback_node, "`feedback`")
        expect_node = data.get("expect")
        expect = (
            None
            if expect_node is None
            else self.read.enum(expect_node, Verdict, "SC031", "`expect` verdict")
        )
        if not branches or len(branches) < _count(data.get("next")):
            self.links_complete = False  # a link that could not be read
        if not branches:
            return None
        # Keep a choice whose other parts are broken (already reported) so that the graph
        # checks still see where it leads, and don't report its targets as unreachable.
        say = wordings[0] if wordings else Text("")
        return Choice(
            number, say, techniques, branches, tuple(sets), feedback, node.pos, expect, wordings
        )

    def _wordings(self, node: YNode | None, what: str) -> tuple[Text, ...]:
        """`say`: one text, or a list of two or three wordings of the same reply (each attempt
        shows one, picked by its seed)."""
        if not isinstance(node, YSeq):
            say = self.read.text(node, f"`say` of {what}")
            return () if say is None else (say,)
        if not 1 <= len(node.items) <= MAX_WORDINGS:
            self.sink.add(
                node.pos,
                "SC014",
                f"`say` of {what} has {len(node.items)} wordings; give 1 to {MAX_WORDINGS}",
            )
        found = [
            self.read.text(item, f"wording {i + 1} of {what}") for i, item in enumerate(node.items)
        ]
        return tuple(t for t in found if t is not None)

    def _techniques(self, node: YNode | None, what: str) -> tuple[str, ...]:
        items = self.read.sequence(node, f"`technique` of {what}", allow_scalar=True)
        if node is not None and not items and not self._reported_at(node.pos):
            self.sink.add(node.pos, "SC025", f"`technique` of {what} is empty")
        found: list[str] = []
        for item in items:
            tid = self.read.string(item, "technique")
            if tid is None:
                continue
            tid = self.technique_aliases.get(tid, tid)  # `apologise` is `apologize`
            if tid not in self.techniques:
                self.sink.unknown(item.pos, "SC002", "technique", tid, self.techniques)
                continue
            if tid in found:
                self.sink.add(item.pos, "SC009", f"technique '{tid}' is listed twice")
                continue
            found.append(tid)
        return tuple(found)

    def _branches(self, node: YNode | None, what: str) -> tuple[Branch, ...]:
        if node is None:
            return ()
        if isinstance(node, YScalar):
            target = self.read.string(node, f"`next` of {what}")
            if target is None:
                return ()
            self.targets.append((target, node.pos, f"`next` of {what}"))
            return (Branch(target, None, node.pos),)
        items = self.read.sequence(node, f"`next` of {what}")
        if not items:
            if not self._reported_at(node.pos):
                self.sink.add(node.pos, "SC025", f"`next` of {what} is empty")
            return ()
        branches: list[Branch] = []
        for index, item in enumerate(items):
            data = self.read.mapping(
                item, f"branch {index + 1} of {what}", required=("goto",), optional=("when",)
            )
            if data is None:
                continue
            goto_node = data.get("goto")
            target = self.read.string(goto_node, "`goto`")
            when_node = data.get("when")
            when = None if when_node is None else self._condition(when_node)
            last = index == len(items) - 1
            if last and when_node is not None:
                self.sink.add(
                    when_node.pos, "SC013", "the last branch must have no `when` (the fallback)"
                )
            elif not last and when_node is None:
                self.sink.add(
                    item.pos,
                    "SC013",
                    "only the last branch may leave out `when`; later ones would never run",
                )
            if target is None or goto_node is None:
                continue
            self.targets.append((target, goto_node.pos, f"`goto` of {what}"))
            branches.append(Branch(target, when, item.pos))
        return tuple(branches)

    def _condition(self, node: YNode, *, facts: bool = False) -> Condition | None:
        keys = CONDITION_KEYS + (("fact", "not_fact") if facts else ())
        data = self.read.mapping(
            node, "`when`", optional=keys, unknown_code="SC023", unknown_what="condition"
        )
        if data is None:
            return None
        if not data.items:
            self.sink.add(data.pos, "SC025", "`when` has no condition")

        def flag(key: str) -> str | None:
            return self.read.ident(data.get(key), f"`{key}`", SNAKE_ID, "snake_case")

        return Condition(
            anger_at_least=self.read.integer(
                data.get("anger_at_least"), "`anger_at_least`", 0, 100
            ),
            anger_below=self.read.integer(data.get("anger_below"), "`anger_below`", 0, 100),
            flag=flag("flag"),
            not_flag=flag("not_flag"),
            turn_at_least=self.read.integer(
                data.get("turn_at_least"), "`turn_at_least`", 1, MAX_TURN_CONDITION
            ),
            fact=self._fact(data.get("fact")),
            not_fact=self._fact(data.get("not_fact")),
        )

    def _fact(self, node: YNode | None) -> str | None:
        name = self.read.string(node, "a conversation fact")
        if name is None or node is None:
            return None
        if name not in LINE_FACTS:
            self.sink.unknown(node.pos, "SC035", "conversation fact", name, LINE_FACTS)
            return None
        return name

    def _reported_at(self, pos: Position) -> bool:
        return self.sink.reported_at(pos)

    def _check_graph(self, start: str, nodes: list[Node]) -> None:
        index = {node.id: node for node in nodes}
        successors = {
            node.id: [b.goto for c in node.choices for b in c.branches if b.goto in index]
            for node in nodes
        }
        roots = [start] + ([BLOWUP_NODE] if BLOWUP_NODE in index else [])
        reachable = _reach(roots, successors)
        for node in nodes:
            if node.id not in reachable:
                self.sink.add(node.pos, "SC011", f"node '{node.id}' can never be reached")
        if BLOWUP_NODE in index and not index[BLOWUP_NODE].is_end:
            self.sink.add(
                index[BLOWUP_NODE].pos, "SC033", "node 'blowup' must be an ending (`end:`)"
            )
        predecessors: dict[str, list[str]] = {node.id: [] for node in nodes}
        for source, targets in successors.items():
            for target in targets:
                predecessors[target].append(source)
        can_end = _reach([node.id for node in nodes if node.is_end], predecessors)
        for node in nodes:
            if node.id in reachable and node.id not in can_end and not node.is_end and node.choices:
                self.sink.add(node.pos, "SC012", f"no ending can be reached from node '{node.id}'")


def _count(node: YNode | None) -> int:
    """How many links a `next` holds as written (1 for a plain node id)."""
    if node is None:
        return 0
    return len(node.items) if isinstance(node, YSeq) else 1


def _reach(roots: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(roots)
    queue = deque(roots)
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen
