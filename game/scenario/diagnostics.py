"""Every diagnostic an author can meet, in one table: code, severity, message, documentation.

The loader's `SC` codes (`hold-the-line validate`: the file cannot be played), lint's `LN`
codes (`hold-the-line lint`: it plays, but may teach badly) and the plan runner's `PL` codes
(`hold-the-line plan`). `docs/codes.md` (a page per code) and the code list in
`docs/authoring.md` are generated from this table (`make docs`), and a test fails when a
code used in the game has no entry here or the documents are stale.

To add a code: append a `Diagnostic` below with the next free number of its family (never
renumber or reuse one: authors search for them and tests assert them), use the code where
the problem is found, and run `make docs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Severity(StrEnum):
    ERROR = "error"  # the file cannot be used until it is fixed
    WARNING = "warning"  # it can be played, but probably teaches less than it should


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    title: str  # a few words: the line in the code list
    message: str  # what the message says: `{…}` marks what varies, ` | ` separates wordings
    summary: str  # what it means and why it matters
    example: str  # YAML that gets it (the offending line marked `# ←`)
    fix: str  # what to do

    @property
    def family(self) -> str:
        return {"SC": "validate", "LN": "lint", "PL": "plan"}[self.code[:2]]

    @property
    def anchor(self) -> str:
        return self.code.lower()


E, W = Severity.ERROR, Severity.WARNING

DIAGNOSTICS: tuple[Diagnostic, ...] = (
    # ---- the loader: `hold-the-line validate` ---------------------------------------------
    Diagnostic(
        "SC001", E, "unknown node (in `start`, `next` or `goto`)",
        "unknown node '{id}' in {where}",
        "A link names a node that the file does not define under `nodes:`.",
        "start: openning   # ←\nnodes:\n  opening:\n    ...",
        "Correct the name (the message suggests the nearest node id), or add the node.",
    ),
    Diagnostic(
        "SC002", E, "unknown technique",
        "unknown technique '{id}'",
        "A choice's `technique` is not in the catalog (`docs/techniques.md` lists them all).",
        "technique: apologise_sincerely   # ←",
        "Use a catalog id. British spellings are accepted (`apologise` means `apologize`).",
    ),
    Diagnostic(
        "SC003", E, "unknown persona",
        "unknown persona '{value}'",
        "`customer.persona` is not one of the personas the mood model knows.",
        "customer:\n  persona: grumpy   # ←",
        "Use angry, unhappy, indecisive, bully, rude or talkative.",
    ),
    Diagnostic(
        "SC004", E, "unknown channel",
        "unknown channel '{value}'",
        "`channel` sets the dead-air rule, so it must be one the game knows.",
        "channel: telephone   # ←",
        "Use phone, in_person, chat or email.",
    ),
    Diagnostic(
        "SC005", E, "unknown ending",
        "unknown ending '{value}'",
        "An end node's `end:` is not one of the ending kinds.",
        "  done:\n    customer: Bye.\n    end: happy   # ←",
        "Use resolved, escalated, customer_left, call_ended or security; set `rating:` for "
        "how good it was.",
    ),
    Diagnostic(
        "SC006", E, "unknown key",
        "unknown key '{key}' in {where}",
        "A key the format does not have at this place: usually a typo. Only the typo is "
        "reported: the node it is in still counts (links to it are fine), the key it stands "
        "for is not reported missing too, and no node is called unreachable because of it.",
        "  opening:\n    custmer: Hello?   # ←",
        "Correct the spelling (the message suggests the nearest key) or remove the key.",
    ),
    Diagnostic(
        "SC007", E, "missing field",
        "{what} is missing `{key}`",
        "A required field is absent (not reported when a misspelt key stands in for it: "
        "that one is SC006).",
        "customer:\n  name: Mr. Smith\n  persona: angry   # ← no `anger:`",
        "Add the field; `hold-the-line new` writes a file with every required field.",
    ),
    Diagnostic(
        "SC008", E, "wrong type",
        "{what} must be {kind}, not {found}",
        "A value of the wrong kind: text where a number is needed, a mapping where a list "
        "is, or empty text.",
        "difficulty: easy   # ← a whole number 1..5",
        "Write the kind the message names.",
    ),
    Diagnostic(
        "SC009", E, "duplicate id or key",
        "duplicate key '{key}' (first at line {line})",
        "The same key twice in one mapping (YAML would silently keep the last), the same "
        "technique twice in a choice, or the same level twice in a campaign.",
        "  opening:\n    customer: Hi\n    customer: Hello   # ←",
        "Keep one; rename a node that was meant to be a second one.",
    ),
    Diagnostic(
        "SC010", E, "node has neither `choices` nor `end` (or has both)",
        "node '{id}' has neither `choices` nor `end`",
        "A node is either a decision point (`choices:`) or an ending (`end:`), never both "
        "or neither.",
        "  thanks:\n    customer: Thank you!   # ← no choices, no end",
        "Add `end: resolved` (or another ending), or the choices that follow.",
    ),
    Diagnostic(
        "SC011", E, "unreachable node",
        "node '{id}' can never be reached",
        "No path from `start` leads to this node, so no trainee will ever see it.",
        "start: opening\nnodes:\n  opening: ...\n  old_draft:   # ← nothing links here",
        "Link to it from a choice's `next`, or delete it.",
    ),
    Diagnostic(
        "SC012", E, "no ending can be reached from here (a cycle with no way out)",
        "no ending can be reached from node '{id}'",
        "Every choice from this node leads back into a loop that never reaches an ending.",
        "  loop_a:\n    choices:\n      - {say: ..., technique: listen, next: loop_b}   # ←",
        "Give at least one choice on the loop a way to an ending.",
    ),
    Diagnostic(
        "SC013", E, "conditional `next`: only the last branch may, and must, have no `when`",
        "the last branch must have no `when` (the fallback) | only the last branch may "
        "leave out `when`; later ones would never run",
        "Branches are tried in order and the first whose `when` holds wins; the last is "
        "the fallback, so it has no `when`, and no other may lack one.",
        "next:\n  - goto: calm   # ← no `when`, but not last\n  - when: {anger_at_least: 80}\n"
        "    goto: blows_up",
        "Put the branch without `when` last, and give every other branch a `when`.",
    ),
    Diagnostic(
        "SC014", E, "number out of range",
        "{what} is {value}; it must be {low}..{high}",
        "A number outside what the field allows (anger 0..100, difficulty 1..5, ...).",
        "customer:\n  anger: 140   # ←",
        "Use a number in the range the message gives.",
    ),
    Diagnostic(
        "SC015", E, "missing English text",
        "{what} has no English (`en`) text",
        "Text written per language must include English: it is what every other language "
        "falls back to.",
        "title: {fi: Myöhästynyt toimitus}   # ←",
        "Add `en:`.",
    ),
    Diagnostic(
        "SC016", E, "YAML syntax error",
        "{parser message}",
        "The file is not valid YAML (often a missing space after `:` or a bad indent).",
        "  opening:\n    customer:\"Hi\"   # ← no space after the colon",
        "Fix the syntax at the line and column given.",
    ),
    Diagnostic(
        "SC017", E, "YAML tag not allowed (only plain data; no `!!python/...` or custom tags)",
        "tag '{tag}' is not allowed; write plain data",
        "Tags can make a YAML reader build objects or run code; scenarios are plain data.",
        "title: !!python/object/apply:os.system [...]   # ←",
        "Remove the tag.",
    ),
    Diagnostic(
        "SC018", E, "file too large, nested too deeply, or aliases expand too far",
        "{which limit}",
        "A file over 1 MiB, nested more than 64 levels, or whose aliases expand past "
        "200,000 values: limits that keep a hostile file from freezing the game.",
        "a: &a [*a]   # ← an alias that refers to itself",
        "Split the level, or write the repeated part out instead of aliasing it.",
    ),
    Diagnostic(
        "SC019", E, "file is not valid UTF-8",
        "the file is not valid UTF-8 ({detail})",
        "Scenario files are UTF-8; another encoding garbles every accented letter.",
        "(a file saved as Latin-1 or UTF-16)",
        "Save the file as UTF-8 in your editor.",
    ),
    Diagnostic(
        "SC020", E, "unsupported format version",
        "format {n} is not supported (this game reads format 1)",
        "`format:` says which version of this format the file is written in.",
        "format: 2   # ←",
        "Write `format: 1`.",
    ),
    Diagnostic(
        "SC021", E, "bad id (ids are kebab-case for scenarios, snake_case for nodes and flags)",
        "{what} '{id}' must be {style}",
        "Ids are stable names that records and links use; they have one spelling style.",
        "id: Late_Delivery   # ← late-delivery\nnodes:\n  Opening:   # ← opening",
        "Scenario ids in kebab-case (`late-delivery`), node ids and flags in snake_case.",
    ),
    Diagnostic(
        "SC022", E, "unknown policy value",
        "unknown `{policy}` policy '{value}'",
        "A company policy value the engine does not know.",
        "policy:\n  abusive_caller: hang_up   # ←",
        "abusive_caller: warn_then_end | transfer_to_escalations; supervisor_request: "
        "honor | help_first; parting_ways: approved | needs_supervisor; "
        "apology_when_customer_at_fault: apologise_for_misunderstanding | no_apology_needed.",
    ),
    Diagnostic(
        "SC023", E, "unknown condition in `when`",
        "unknown condition '{key}' in `when`",
        "A `when` key that is not a condition. Near-opposites are suggested by meaning: "
        "`anger_above` suggests `anger_at_least`, never `anger_below`.",
        "when: {anger_above: 50}   # ← anger_at_least",
        "Use anger_at_least, anger_below, flag, not_flag or turn_at_least.",
    ),
    Diagnostic(
        "SC024", E, "unknown language code",
        "unknown language code '{code}'",
        "Text per language uses the game's language codes.",
        "say: {en: Hello, ph: Kumusta}   # ← fil",
        "Use en, fil, fi, tr or vi.",
    ),
    Diagnostic(
        "SC025", E, "empty list where at least one entry is needed",
        "{what} is empty | {what} has an empty `choices` list | `when` has no condition",
        "An empty `nodes`, `choices`, `technique`, `next`, `levels` or `when`.",
        "    choices: []   # ←",
        "Add at least one entry, or (for a node) make it an ending.",
    ),
    Diagnostic(
        "SC026", E, "unknown moment tag",
        "unknown moment tag '{tag}'",
        "`tags` says what is true at this moment; only the catalog's tags change how "
        "techniques land (see \"Moment tags\").",
        "    tags: [swearing]   # ← abusive",
        "Use a tag from the table in `docs/authoring.md`.",
    ),
    Diagnostic(
        "SC027", E, "file cannot be read",
        "{why}",
        "The file is missing, unreadable, not a regular file, or (from a campaign) outside "
        "the campaign's folder.",
        "levels:\n  - scenario: ../elsewhere/level.yaml   # ← outside the folder",
        "Check the path and permissions; move or copy the level into the campaign folder.",
    ),
    Diagnostic(
        "SC028", E, "unknown outcome rating",
        "unknown rating '{value}'",
        "An ending's `rating:` is good, partial or bad.",
        "    end: resolved\n    rating: great   # ←",
        "Use good, partial or bad.",
    ),
    Diagnostic(
        "SC029", E, "control character in the file (NUL, ESC, ...; raw or written as an escape)",
        "control character {name}",
        "Control characters crash text layout or act as terminal commands; tabs and line "
        "breaks are fine.",
        'customer: "Hello\\x1b[31m"   # ←',
        "Delete the character (your editor may show it as a box or ^[).",
    ),
    Diagnostic(
        "SC030", E, "text or id longer than its limit",
        "{what} is {length} characters long; the limit is {limit}",
        "Every field has a length limit (ids 64, title 100, lines 2,000, ...).",
        "title: The Very Long Title That Goes On ...   # ← over 100 characters",
        "Shorten it; see \"What the loader refuses, and the limits\".",
    ),
    Diagnostic(
        "SC031", E, "unknown `expect` verdict (good, fair, poor or bad)",
        "unknown `expect` verdict '{value}'",
        "`expect:` declares the verdict the author means for a choice.",
        "        expect: great   # ←",
        "Use good, fair, poor or bad.",
    ),
    Diagnostic(
        "SC032", E, "key that belongs only on an ending (`rating` on a decision point)",
        "`rating` only belongs on an ending (node '{id}')",
        "`rating:` rates an ending; on a node with `choices` it means nothing. (Until this "
        "code it was reported as SC006, unknown key, though the key is known.)",
        "  opening:\n    rating: good   # ←\n    choices: ...",
        "Move `rating:` to the end node it was meant for, or delete it.",
    ),
    Diagnostic(
        "SC033", E, "node `blowup` must be an ending",
        "node 'blowup' must be an ending (`end:`)",
        "`blowup` is where the call goes when anger reaches 100, so it must end the call. "
        "(Until this code it was reported as SC010, whose other meaning is a node with "
        "neither or both of `choices` and `end`.)",
        "  blowup:\n    customer: That's it!\n    choices: ...   # ←",
        "Give `blowup` an `end:` (usually customer_left) and no choices, or rename the node.",
    ),
    Diagnostic(
        "SC034", E, "unknown `tone` of a customer line (warm or confirms)",
        "unknown tone '{value}'",
        "A customer line variant's `tone:` tells lint what kind of line it is: `warm` for a "
        "grateful or friendly line, `confirms` for one that agrees with a recap.",
        "    customer:\n      - {text: \"Thanks.\", tone: cheery}   # ←",
        "Use warm or confirms, or leave `tone` out.",
    ),
    Diagnostic(
        "SC035", E, "unknown conversation fact in a customer line's `when`",
        "unknown conversation fact '{id}'",
        "A customer line's `when: {fact: …}` tests a conversation fact, as the debrief shows "
        "them: still_venting or vented, acknowledged or not_acknowledged, asked_for_fix, "
        "promise_standing, resolved or unresolved.",
        "      - {text: \"Yes. Exactly.\", when: {fact: recapd}}   # ←",
        "Use one of the facts listed (the message suggests the nearest).",
    ),
    # ---- lint: `hold-the-line lint` ---------------------------------------------------------
    Diagnostic(
        "LN001", W, "flag is tested in `when` but never set",
        "flag '{flag}' is tested but never set",
        "A branch tests a flag no choice sets, so the branch never behaves as written.",
        "next:\n  - when: {flag: got_order_number}   # ← nothing sets it\n    goto: a",
        "Add `set: [got_order_number]` to the choice that should set it, or fix the spelling.",
    ),
    Diagnostic(
        "LN002", W, "flag is set but never tested",
        "flag '{flag}' is set but never tested",
        "A flag nobody reads: dead weight, or a `when` that was forgotten.",
        "        set: [apologised]   # ← no `when` tests it",
        "Test it in a `when` where it matters, or remove the `set`.",
    ),
    Diagnostic(
        "LN003", W, "decision point with fewer than 2 or more than 4 choices",
        "node '{id}' offers {n} choices (2–4 teach best)",
        "One choice is no decision; five or more are slow to read on a live call.",
        "    choices:\n      - say: Okay.   # ← the only one",
        "Offer 2–4 replies: the right move and tempting wrong ones.",
    ),
    Diagnostic(
        "LN004", W, "every choice at this node uses the same verdict (nothing to learn)",
        "every choice at node '{id}' is {right/wrong}: nothing to tell apart",
        "If every reply is right (or every one wrong), the trainee learns nothing here.",
        "choices:\n  - {technique: listen, ...}\n  - {technique: empathize, ...}   # ← both good",
        "Make one option a tempting mistake (an excuse, a premature fix), or drop the node.",
    ),
    Diagnostic(
        "LN005", W, "no guide-following path reaches a good ending",
        "no path that follows the guides throughout reaches a good ending",
        "A trainee who does everything right must be able to win.",
        "(every good reply leads to a customer_left ending)",
        "Route the good replies to a resolved (or properly escalated) ending.",
    ),
    Diagnostic(
        "LN006", W, "a conditional branch can never be taken",
        "branch to '{id}' (choice {n} of '{node}') is never taken",
        "No play reaches this branch with its `when` true (the anger can't be that high "
        "there, the flag is never set on the way).",
        "- when: {anger_at_least: 95}   # ← anger never gets there at this point\n  goto: a",
        "Loosen the condition, or remove the branch.",
    ),
    Diagnostic(
        "LN007", W, "an ending can never be reached in play",
        "ending '{id}' is never reached in play",
        "An ending linked in the file that no sequence of replies actually reaches.",
        "(an ending only behind a branch that is never taken)",
        "Make a path lead to it, or remove it.",
    ),
    Diagnostic(
        "LN008", W, "fewer than two bad endings can be reached",
        "{n} bad ending(s) reachable; aim for at least 2: different mistakes, different "
        "consequences",
        "A level teaches by consequences: mistakes must be able to lose the call, and "
        "different mistakes should lose it differently (the customer hangs up; asks for a "
        "manager in anger). The rule asks nothing of good endings: one honest good outcome "
        "is enough (LN005 checks that the guides reach one), so never add a sales ending "
        "just to have a second. (It used to ask for two good endings as well; three shipped "
        "levels had a sales ending as their only second good one.)",
        "(every mistake leads to the same `customer_left` node)",
        "Give a second kind of mistake its own bad ending.",
    ),
    Diagnostic(
        "LN009", W, "the longest reply is a good one at more than 40 % of the decision points",
        "the longest reply shown is a good one at {n} of {m} decisions (more than 40%; over "
        "the wordings an attempt can show): trainees can pass by length. Make a wrong reply "
        "the longest, or give it a longer wording, at some of: {ids}",
        "With three or four replies and one or two good ones, chance is about a third: if the "
        "longest reply is a good one much more often, a trainee can pass by always picking "
        "the longest. Counted over every combination of wordings an attempt can show.",
        "(the good reply is the longest at most decisions)",
        "Shorten some good replies, lengthen a tempting wrong one, or give a wrong reply a "
        "longer second wording.",
    ),
    Diagnostic(
        "LN010", W, "the anger meter never changes which way the story goes",
        "no anger-dependent branch is ever taken: the meter never changes the story | no "
        "branch depends on anger: the meter never changes the story",
        "If anger never changes the path, the meter is decoration.",
        "(no `when: {anger_at_least: …}` anywhere, or none ever taken)",
        "Add a branch on `anger_at_least` (or `anger_below`) where a heated customer "
        "would react differently.",
    ),
    Diagnostic(
        "LN011", W, "missing `yaml-language-server` schema modeline",
        "first line should be `# yaml-language-server: $schema=schema.json`",
        "Without the modeline, editors don't validate or autocomplete the file.",
        "format: 1   # ← the first line",
        "Make the first line `# yaml-language-server: $schema=schema.json`.",
    ),
    Diagnostic(
        "LN012", W, "a choice's `feedback` cites no guide principle id",
        "`feedback` cites no guide principle (G-…)",
        "The debrief's feedback should say which guide principle the reply followed or "
        "broke, so the trainee can look it up.",
        'feedback: "Blaming the warehouse is passing the buck."   # ← no G-…',
        "Cite the principle: `... passing the buck (G-APOLOGY-1).`",
    ),
    Diagnostic(
        "LN013", W, "feedback cites an unknown guide principle id",
        "`feedback` cites unknown principle {id}",
        "The cited id is not one of the guide principles (`docs/techniques.md`).",
        'feedback: "... (G-APOLOGIZE-1)."   # ← G-APOLOGY-1',
        "Use an id that exists.",
    ),
    Diagnostic(
        "LN014", W, "a choice's `expect` differs from the engine's verdict",
        "choice {n} of '{id}' expects {expect}, but is judged {verdict} on the path {path}",
        "The engine judges the reply differently from what you declared, on the path shown "
        "(every earlier reply on it declared good or fair; for a choice only a mistake leads "
        "to, the fewest such). Differences only after a declared mistake are LN016.",
        "      - say: Our warehouse is short-staffed.\n        technique: excuse\n"
        "        expect: good   # ← judged bad",
        "Play the path (`hold-the-line text FILE --choices PATH`); fix the technique, the "
        "moment's tags, or the `expect`.",
    ),
    Diagnostic(
        "LN015", W, "a choice declares no `expect`",
        "choice {n} of '{id}' declares no `expect`",
        "Without `expect`, lint cannot check that the engine judges the reply as you mean.",
        "      - say: I'm listening.\n        technique: listen   # ← no expect",
        "Add `expect: good | fair | poor | bad`.",
    ),
    Diagnostic(
        "LN016", W, "judged otherwise than `expect` only after an earlier declared mistake",
        "choice {n} of '{id}' expects {expect}, but after an earlier reply declared poor or "
        "bad it is judged {verdict}, e.g. on the path {path}",
        "After a mistake the conversation is in a state the author may not have written for "
        "(the customer stopped venting, a promise is standing), and the engine follows the "
        "context. Listed only with `lint --every-path`; without it lint counts them in a note.",
        "(a premature fix declared bad, judged good three turns later on a path of mistakes)",
        "Usually nothing: the verdict follows the context. If the moment should read "
        "otherwise, add a branch for that path or change the moment's tags.",
    ),
    Diagnostic(
        "LN017", W, "`expect` checked in part only: more conversation states than lint explores",
        "`expect` was checked in the first {n} conversation states only: the scenario has "
        "more (loops that change the customer each time round)",
        "Lint explores every reachable conversation state once; a level whose loops change "
        "the customer each time round can have more states than it explores (200,000).",
        "(a loop that raises anger by a little every time round)",
        "Bound the loop (a `turn_at_least` branch out of it) so the states are finite.",
    ),
    Diagnostic(
        "LN018", W, "a warm or grateful customer line (`tone: warm`) can be said at high anger",
        "customer line {n} of '{id}' is warm, but can be said at anger {anger}: give it "
        "`when: {anger_below: {limit}}` and a line for angrier moments",
        "\"Thank you, you actually listened\" from a customer at anger 84 reads as sarcasm "
        "or as the story ignoring the meter.",
        "    customer:\n      - {text: \"Thank you, really.\", tone: warm}   # ← no `when`",
        "Give the warm line `when: {anger_below: 50}` and add a line for angrier moments.",
    ),
    Diagnostic(
        "LN019", W, "a confirming line (`tone: confirms`) can be said before any recap",
        "customer line {n} of '{id}' confirms a recap, but can be said before any recap: "
        "give it `when: {fact: acknowledged}` and a line for when nothing was recapped",
        "\"Yes. Exactly that.\" answers a recap; said when nothing was recapped it tells the "
        "trainee they did something they didn't.",
        "    customer:\n      - {text: \"Yes. Exactly.\", tone: confirms}   # ← no `when`",
        "Give it `when: {fact: acknowledged}` and a line for when nothing was recapped.",
    ),
    Diagnostic(
        "LN020", W, "more words on screen at a decision than the channel can carry",
        "{n} words on screen at '{id}' (its line and every reply); a {channel} decision "
        "carries at most {limit}: shorten the replies",
        "The customer's line and every reply (longest wordings) must be readable while the "
        "customer waits: 150 words on the phone and in person (about a minute at 150 words "
        "a minute), 180 in chat, 320 by e-mail.",
        "(four replies of sixty words each on the phone)",
        "Shorten the replies; say one thing per reply.",
    ),
    # ---- plans: `hold-the-line plan` --------------------------------------------------------
    Diagnostic(
        "PL001", E, "unknown key in a plan",
        "unknown {key|expectation} '{name}'",
        "A plan key or an expectation the plan runner does not know.",
        "expect:\n  passes: true   # ← passed",
        "Use the keys in \"Transcript plans\" (the message suggests the nearest).",
    ),
    Diagnostic(
        "PL002", E, "missing field in a plan",
        "missing `{key}`",
        "A plan needs `scenario`, `choices` and `expect`.",
        "scenario: late-delivery.yaml\nchoices: [1, 1]   # ← no expect",
        "Add the field.",
    ),
    Diagnostic(
        "PL003", E, "wrong type in a plan",
        "`{key}` must be {kind}",
        "A plan value of the wrong kind.",
        "choices: 1,1,1   # ← a list: [1, 1, 1]",
        "Write the kind the message names.",
    ),
    Diagnostic(
        "PL004", E, "the plan's scenario file cannot be found or loaded",
        "scenario {file} cannot be found or loaded",
        "The plan's `scenario` is looked for next to the plan, then in the campaign folder.",
        "scenario: late-delivry.yaml   # ←",
        "Fix the name, or pass `--scenario FILE`.",
    ),
    Diagnostic(
        "PL005", E, "the choices do not fit the scenario",
        "{why the choices do not fit}",
        "A choice number out of range, the call ending before the choices run out, or the "
        "choices running out before it ends.",
        "choices: [1, 7]   # ← the second node has 4 choices",
        "Replay with `hold-the-line text FILE --choices ...` to see where it goes.",
    ),
    Diagnostic(
        "PL010", E, "an expectation did not hold",
        "expected {expectation}, got {actual}",
        "The conversation the plan replays no longer ends as the plan says: the scenario or "
        "the catalog changed, or the plan is wrong.",
        "expect:\n  passed: true   # ← the call failed",
        "Decide which is right; fix the scenario or the plan.",
    ),
)  # fmt: skip

BY_CODE: MappingProxyType[str, Diagnostic] = MappingProxyType({d.code: d for d in DIAGNOSTICS})


def titles(prefix: str) -> dict[str, str]:
    """Code → title for one family (`SC`, `LN`, `PL`)."""
    return {d.code: d.title for d in DIAGNOSTICS if d.code.startswith(prefix)}
