"""The reply-level checks, by name. A rule in a pack runs one with `check: NAME`.

Each check reads a reply's `Facts` and returns a verdict:
- `None`: it does not apply (no refusal, so no alternative is owed);
- `True`: it holds;
- a `Miss`: it fails; `span` is the sentence or region the finding points at (None: the check
  reports no finding of its own), `detail` says what exactly is missing or wrong.

`CHECKS` is the one registry: rule validation (names and options), the docs and the scorer
read it. This module imports no spaCy: `phraselint rules` validates packs without it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from phraselint.coaching.cues import GENERAL_OFFER_WORDS, Cue, in_condition
from phraselint.coaching.message import quote
from phraselint.context import developer_text
from phraselint.regexes import fold_case
from phraselint.greeting import greeting_words, names_customer
from phraselint.lazy import cached_property
from phraselint.text import MARK, PLACEHOLDER


@dataclass(frozen=True)
class Miss:
    span: tuple[int, int] | None
    detail: str = ""
    #: Why the check applies to this reply ("the customer's message reports a problem"), so a
    #: reader can disagree with the reason rather than with the whole finding.
    reason: str = ""
    #: A rewrite built from the reply itself, when there is one ("I apologize for the wait.").
    rewrite: str = ""


Verdict = bool | Miss | None


@dataclass
class Facts:
    """What the checks know about one reply. `text` is the reply's lint view (masked regions are
    one marker character, white space collapsed), and every position is in it; `reply_text` is
    the reply as written (placeholders and all)."""

    text: str
    sentences: list[tuple[int, int]]
    cues: list[Cue]
    #: Where the phrase rules the checks read found a refusal ("we can't …"), reported or not,
    #: minus those a suppression comment silenced.
    refusals: list[tuple[int, int]] = field(default_factory=list)
    #: Of those, the ones reported as phrase findings: they carry the "no alternative" reason.
    reported: list[tuple[int, int]] = field(default_factory=list)
    #: Spans a suppression comment silenced for the refusal rules: no cue there counts either.
    suppressed: list[tuple[int, int]] = field(default_factory=list)
    #: Severities of the reply's phrase findings (after suppressions), or None when no phrase rule runs.
    phrase_severities: list[str] | None = None
    #: Whether the customer's message (--incoming) shows a problem; None when there is none.
    incoming_problem: bool | None = None
    #: The words of the customer's message that show the problem ("never arrived").
    incoming_evidence: str = ""
    instruction_verbs: frozenset = frozenset()
    route_verbs: frozenset = frozenset()
    reply_text: str | None = None

    def __post_init__(self):
        if self.reply_text is None:
            self.reply_text = self.text
        # "🎶", "--", "***": no words, no sentence
        self.sentences = [(s, e) for s, e in self.sentences if _HAS_WORD.search(self.text, s, e)]
        if not self.sentences:
            self.sentences = [(0, len(self.text))]
        # "Hi Sam, …": the greeting is a sentence of its own, and whole-reply findings point at
        # the first sentence after it (the `opening`), where an acknowledgement would go.
        self.opening = 0
        first, end = self.sentences[0]
        greeting = _GREETING.match(self.text, first, end)
        if greeting and _HAS_WORD.search(self.text, greeting.end(), end):
            rest = greeting.end() + len(self.text[greeting.end():end]) - len(self.text[greeting.end():end].lstrip())
            self.sentences[0:1] = [(first, greeting.end()), (rest, end)]
            self.opening = 1
        elif greeting and len(self.sentences) > 1:
            self.opening = 1  # "Hi there," on a line of its own
        self._starts = [s for s, _ in self.sentences]
        self._by_signal: dict[str, list[Cue]] = {}
        for cue in self.cues:
            self._by_signal.setdefault(cue.signal, []).append(cue)

    def sentence_of(self, pos: int) -> int:
        return max(bisect.bisect_right(self._starts, pos) - 1, 0)

    def of(self, signal: str, kinds: tuple[str, ...] = ()) -> list[Cue]:
        found = self._by_signal.get(signal, [])
        return [c for c in found if c.kind in kinds] if kinds else list(found)

    def first(self, signal: str, kinds: tuple[str, ...] = ()) -> int | None:
        found = self.of(signal, kinds)
        return min(self.sentence_of(c.start) for c in found) if found else None

    @cached_property
    def instruction_sentences(self) -> list[int]:
        """Sentences that tell the customer what to do: an order ("Reinstall the app.") or an
        instruction phrase ("you need to …")."""
        out = {self.sentence_of(c.start) for c in self.of("instruction")}
        return sorted(out.union(self.order_sentences))

    @cached_property
    def order_sentences(self) -> set[int]:
        """Sentences that give an order: one of `instruction_verbs` opening it ("Reinstall the
        app.", "Please log in and …"), not a rule put on the customer ("you need to …")."""
        verbs = self.instruction_verbs
        out = {self.sentence_of(m.start()) for m in _PLEASE.finditer(self.text) if m.group(1).lower() in verbs}
        for i, (start, end) in enumerate(self.sentences):
            if i not in out and _first_word(self.text, start, end) in verbs:
                out.add(i)
        return out

    @cached_property
    def way_orders(self) -> set[int]:
        """`order_sentences` that send the customer somewhere new ("Pass `strict=False` and it
        will rebuild the table"), not back to what we wrote ("Please read the terms", "Please
        refer to your contract", "Check the description next time"); three words at least
        ("Call us." is curt, as `_a_route` reads it)."""
        verbs = self.instruction_verbs
        return {i for i in self.order_sentences if len(_WORD.findall(self.text, *self.sentences[i])) >= 3
                and not (_order_verbs(self.text, *self.sentences[i]) & verbs) <= _POINTER_VERBS}

    @cached_property
    def lowered(self) -> str:
        """`text` lowered, for the patterns read in it case-sensitively."""
        return self.text.lower()

    @cached_property
    def developer(self) -> bool:
        """Whether the reply is written for developers (code, a word of a code workflow)."""
        return developer_text(self.reply_text)

    @cached_property
    def problem(self) -> bool:
        """Whether the reply answers a problem: the customer's message shows one, or the reply
        refuses, apologizes, names a problem, uses trigger words, or tells the customer what to
        do (they wrote in because something did not work) without good news (`good_news`: "See
        you Thursday!", "Congratulations on your offer": a booking's or a question's answer)."""
        flagged = any(s in ("error", "warning") for s in self.phrase_severities or ())
        return bool(self.incoming_problem or self.refusals or flagged or self.of("problem") or self.of("apology")
                    or self.of("refusal") or (self.instruction_sentences and not self.of("good_news")))

    @cached_property
    def reply_evidence(self) -> str:
        """The words of the reply that name the customer's trouble ("damaged"), or ""."""
        found = self.of("trouble")
        return quote(self.text[found[0].start:found[0].end]) if found else ""

    @cached_property
    def reported_problem(self) -> bool:
        """Whether the customer reports a problem: their message shows one. Without their
        message, the reply is the only evidence: it names their trouble ("your parcel arrived
        damaged", "the outage") or answers a problem (`problem`)."""
        if self.incoming_problem is not None:
            return self.incoming_problem
        if self.reply_evidence:
            return True
        if self.answers_request and not self.of("apology"):
            return False  # "Thanks for your enquiry. … We are unable to release scores by email."
        return self.problem

    @cached_property
    def answers_request(self) -> bool:
        """Whether the reply opens by thanking for a request (`request`: "Thanks for the PR",
        "Thank you for your enquiry", "Great question!"), in its first two sentences."""
        return any(self.sentence_of(c.start) <= self.opening + 1 for c in self.of("request"))

    @cached_property
    def problem_reason(self) -> str:
        """Why the reply is taken to answer a problem, in a few words."""
        if self.incoming_problem:
            if self.incoming_evidence:
                return f'the customer\'s message reports a problem ("{self.incoming_evidence}")'
            return "the customer's message reports a problem"
        if self.incoming_problem is None and self.reply_evidence:
            return f'the reply names the customer\'s trouble ("{self.reply_evidence}")'
        if self.refusals or self.of("refusal"):
            return "the reply says no"
        if self.of("apology"):
            return "the reply apologizes"
        if self.of("problem"):
            return "the reply names a problem"
        if any(s in ("error", "warning") for s in self.phrase_severities or ()):
            return "the reply uses trigger words"
        return "the reply tells the customer what to do"

    @cached_property
    def open_problem(self) -> bool:
        """Whether a problem is open for the agent to act on: the customer's message shows one,
        or (without a message) the reply refuses, apologizes, names a problem or uses trigger
        words. Unlike `problem`, telling the customer what to do is no sign of one: a how-to
        answer to a question owes no ownership or follow-up."""
        flagged = any(s in ("error", "warning") for s in self.phrase_severities or ())
        said = bool(self.refusals or flagged or self.of("refusal"))
        if self.incoming_problem is not None:
            return self.incoming_problem or said
        return said or bool(self.of("problem") or self.of("apology"))

    def span(self, index: int) -> tuple[int, int]:
        return self.sentences[index]


_LEAD = re.compile(r"(?:\s|[-*•>#]|\d{1,2}[.)]|\b(?:please|kindly|just|simply|first|firstly|then|now|next|"
                   r"also|and|so|finally|lastly|step \d+|to start|secondly)\b|[,:;])*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_HAS_WORD = re.compile(r"\w")
_GREETING = re.compile(r"\W*(?:" + greeting_words(frozenset({"thanks", "thank you"})) + r")\b[^.!?\n]{0,60}?,",
                       re.IGNORECASE)
#: "Please <verb>". It opens with the letter, so that the regex engine skips ahead to a "p"; the
#: look-behind after it stands for the word boundary before it (a pattern that opens with "\b" is
#: tried at every position).
_PLEASE = re.compile(r"[Pp](?<!\w.)lease\s+([A-Za-z][a-z-]*)")


#: A request or a way back: "please DM us", "kindly share", a question, "be in touch".
_WAY_BACK = re.compile(r"\?|\b(?:please|pls|plz|kindly|dm|direct message|reach out|contact us|get in touch|"
                       r"(?:back )?in touch|let (?:us|me|you) know|update you|get back to you|keep you (?:posted|updated|informed)|"
                       # word will come: "you'll receive an email once it's done", "we'll text you", "it
                       # should be with you Thursday"
                       r"you(?:['’]ll| will) (?:receive|get|hear)|we(?:['’]ll| will) (?:e-?mail|text|call|ring|message|"
                       r"notify|contact|update) you|should (?:be with you|reach you|arrive|land)|"
                       # a next step of the customer's own: "we'd suggest checking …", "try refreshing the app"
                       r"(?:we|i)(?:['’]d| would) (?:suggest|recommend)|try \w+ing)\b", re.IGNORECASE)


#: Orders that point back at what was written: no way forward after a "no".
_POINTER_VERBS = frozenset(("read", "refer", "review", "see", "check", "note", "wait"))


def _order_verbs(text: str, start: int, end: int) -> set[str]:
    """The verbs that may make a sentence an order: its first word (past "please", "just", …)
    and each word after a "please" in it."""
    return {_first_word(text, start, end)} | {m.group(1).lower() for m in _PLEASE.finditer(text, start, end)}


def _first_word(text: str, start: int, end: int) -> str:
    """The first word of `text[start:end]` after list markers and "please", "just", "first", …"""
    m = _WORD.match(text, _LEAD.match(text, start, end).end(), end)
    return m.group().lower() if m else ""


# ---------------------------------------------------------------- the checks


def acknowledgements(f: Facts) -> list[Cue]:
    """Where the reply acknowledges the customer's feelings or situation: empathy, or its one
    apology when that names what went wrong ("I'm sorry you haven't received …", or a fragment
    naming the customer's own trouble, which `apology_form` asks to make a sentence: "Sorry for
    the delay to your flight today") or points back at it in a sentence ("I'm so sorry about
    this"). Apologies said three times or more are a reflex, not an acknowledgement. A fragment about
    our own doing ("Sorry for the late response") is none: counting every fragment raised
    precision on the written sets and cost the twcs test half recall (0.61 → 0.58); counting
    those that say "you" or "your" raises both sets' precision at the same recall."""
    apologies = f.of("apology")
    if len(apologies) == 1 and apologies[0].kind in ("full", "pointing", "fragment_named") \
            and not _OUR_SLOW_REPLY.match(f.lowered, apologies[0].start):
        return f.of("empathy") + apologies
    if len(apologies) <= 2:
        # "Sorry to hear you're still having trouble": sympathy, with no other apology or one more
        # ("Sorry to hear about the trouble. … We apologize for any inconvenience.")
        return f.of("empathy")
    # "I'm so sorry to hear this" among three apologies is part of the reflex.
    starts, reach = _reach(apologies)
    return [c for c in f.of("empathy") if not _overlapped(c, starts, reach)]


#: An apology for our own slow answer ("Our apologies for the delay in responding", "sorry for
#: the delay in getting back to you"): a courtesy about us, not the customer's situation (twcs
#: test half: coaches found empathy missing in 4 of 5 such replies).
_OUR_SLOW_REPLY = re.compile(
    r"[^.!?\n]{0,40}?\b(?:for|about) (?:the |our |my )?(?:(?:long |slight )?delay(?:ed)? (?:in|with) (?:responding|"
    r"replying|answering|getting back|our (?:response|reply))|(?:late|slow|delayed) (?:response|reply|answer))\b")


def _reach(cues: list[Cue]) -> tuple[list[int], list[int]]:
    """The cues' starts, sorted, and the furthest end among the cues up to each: one overlap
    test is then a bisection (a page may hold thousands of apologies)."""
    ordered = sorted(cues, key=lambda c: c.start)
    furthest, reach = -1, []
    for c in ordered:
        furthest = max(furthest, c.end)
        reach.append(furthest)
    return [c.start for c in ordered], reach


def _overlapped(cue: Cue, starts: list[int], reach: list[int]) -> bool:
    i = bisect.bisect_left(starts, cue.end)  # the cues that start before this one ends
    return i > 0 and reach[i - 1] > cue.start


def empathy(f: Facts, options: dict) -> Verdict:
    if acknowledgements(f):
        return True
    if not f.reported_problem:
        return None  # a question, a thank-you, a how-to: no feelings to acknowledge
    return Miss(f.span(f.opening), reason=f.problem_reason)


def feelings_first(f: Facts, options: dict) -> Verdict:
    found = acknowledgements(f)
    if not found:
        return None
    felt = min(f.sentence_of(c.start) for c in found)
    actions = f.instruction_sentences + [f.sentence_of(c.start) for c in f.of("agent")]
    if not actions:
        return None
    acted = min(actions)
    return True if felt <= acted else Miss(f.span(acted), f"the acknowledgement comes in sentence {felt + 1}",
                                           "the reply acknowledges feelings and gives a solution")


_APOLOGY_DETAIL = {
    "bare": "“{}” names nothing: say what went wrong, in a full sentence",
    "fragment": "“{}” is a fragment: apologize in a full sentence (“I apologize for …”, “I'm sorry …”)",
    "vague": "“{}” names nothing the customer would recognize",
    "pointing": "“{}” points back at the trouble without naming it: say what went wrong",
    "flippant": "“{}” sounds flippant",
    "slang": "“{}” makes light of the problem",
}
_APOLOGY_DETAIL["fragment_named"] = _APOLOGY_DETAIL["fragment"]


def apology_form(f: Facts, options: dict) -> Verdict:
    apologies = f.of("apology")
    if not apologies:
        return None
    most = options["max_apologies"]
    if len(apologies) > most:
        extra = apologies[most]
        return Miss(f.span(f.sentence_of(extra.start)), f"{len(apologies)} apologies; one is enough",
                    "the reply apologizes")
    for cue in apologies:
        if cue.kind != "full":
            start, end = f.span(f.sentence_of(cue.start))
            shown = " ".join(f.text[start:end].replace(MARK, "…").split())
            shown = shown if len(shown) <= 60 else shown[:57] + "…"
            return Miss((start, end), _APOLOGY_DETAIL[cue.kind].format(shown), "the reply apologizes",
                        _apology_rewrite(f.text, start, end))
    return True


_APOLOGY_OBJECT = re.compile(r"\b(?:sorry|apologies|apology)\s+(?:for|about)\s+(?!any\b)([^.!?,;:\n]{3,60}?)\s*[.!?,;:\n]",
                             re.IGNORECASE)


def _apology_rewrite(text: str, start: int, end: int) -> str:
    """ "Sorry for the wait!" -> "I apologize for the wait.": the reply's own words, when the
    apology names something; else nothing (the rule's instruction stands)."""
    m = _APOLOGY_OBJECT.search(text, start, end + 1)
    if not m or MARK in m.group(1) or m.group(1).lower().strip() in ("that", "this", "it", "the inconvenience"):
        return ""
    return f"I apologize for {m.group(1).strip()}."


#: The titles before a name. A text holding none of them is not searched for `_TITLE_NAME`: a
#: pattern that opens with "\b" is tried at every position, a substring test is far cheaper.
_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Sir", "Madam")
_TITLE_NAME = re.compile(r"\b(?:" + "|".join(_TITLES) + r")\.?\s+[A-Z][\w'’-]+")
_CUSTOMER_FIELD = re.compile(r"name|first|last|customer|requester|recipient|client|contact|member|guest|author|"
                             r"reporter|user", re.I)
_AGENT_FIELD = re.compile(r"agent|assignee|current_user|sender|staff|signature|company|brand|organi[sz]ation|"
                          r"team|support|product|project|repo|issue|link|url|store|shop|site", re.I)
#: A mention: "@dana_k" opening a tweet, "@octocat" in a GitHub reply, "@{{ author }}", a GitHub
#: automation's "@{issue-author}".
_MENTION = re.compile(r"(?<![\w.@])@(?:[A-Za-z0-9_][\w-]{1,38}\b(?!\.\w)|\{\{.{1,60}?\}\}|\{[^{}\n]{1,60}\}|<\w+>)")
_VOCATIVE = re.compile(r"(?<!\w)(\w+)?,[ \t]+([A-Z][a-z][\w'’-]*)[ \t]*[.!?,]")
_OPENING_NAME = re.compile(r"\W*([A-Z][a-z][\w'’-]*),[ \t]")
_GREETING_WORDS = frozenset("hi hello hey dear greetings morning afternoon evening thanks hiya howdy yes no ok okay "
                            "well so sure great firstly first".split())
_SIGN_OFF = frozenset("thanks thank regards best cheers sincerely wishes yours warmly".split())
_NOT_NAMES = frozenset("there all everyone everybody folks friend friends team both again so you customer "
                       "customers valued sir madam passenger member user client guest subscriber shopper "
                       "traveller traveler patron colleague partner support thanks please sorry however "
                       "unfortunately yes no okay ok great sure also then now".split())


def customer_named(f: Facts, options: dict) -> Verdict:
    text = f.reply_text  # placeholders are masked in the view
    if names_customer(text) and not _greets_nobody(text) and not _greets_the_agent(text):
        return True
    if _MENTION.search(text) or _titled_name(text):  # the cheaper search first
        return True
    opener = _OPENING_NAME.match(text)  # "Sam, your refund is on its way."
    if opener and opener.group(1).lower() not in _NOT_NAMES | _GREETING_WORDS:
        return True
    for m in PLACEHOLDER.finditer(text):
        inner = m.group()
        if _CUSTOMER_FIELD.search(inner) and not _AGENT_FIELD.search(inner):
            return True
    for m in _VOCATIVE.finditer(text):
        before, name = (m.group(1) or "").lower(), m.group(2)
        if before not in _SIGN_OFF and name.lower() not in _NOT_NAMES and not name.endswith("ly"):
            return True
    if f.of("good_news") and not f.reported_problem:
        return None  # "Yes, dogs are welcome. See you Saturday!": no difficult situation to name them in
    return Miss(f.span(0), reason="a reply addresses the customer by name")


def _titled_name(text: str) -> bool:
    """ "Ms Rivera", "Dr. Okafor": a title and a name."""
    return any(map(text.__contains__, _TITLES)) and _TITLE_NAME.search(text) is not None


def _greets_the_agent(text: str) -> bool:
    """ "Hi {{ agent.name }} here": the greeting's placeholder is the agent's, not the customer's."""
    m = PLACEHOLDER.search(text, 0, 80)
    return bool(m) and bool(_AGENT_FIELD.search(m.group()))


def _greets_nobody(text: str) -> bool:
    """ "Dear Customer", "Hi Valued Member": a greeting with a title, not a name."""
    head = re.match(r"\W*\w+[ \t,]+(\w+)", text)
    return bool(head) and head.group(1).lower() in _NOT_NAMES


#: "so that we can look into it", "so I can help": the agent's action, put as a purpose.
_PURPOSE = re.compile(
    # Opening on its first letters (the word boundary is the look-behind after them), so that in
    # its lowered twin the engine skips to an s, an f or a t.
    r"[sft](?<!\w.)(?:(?<=s)o(?: that)? (?:we|i|our team|my team) (?:can|could|may|might|will)\b"
    r"|(?:(?<=f)or|(?<=t)o get) (?:further|more|additional|better)? ?(?:assistance|help|support)\b"
    # "DM us … for us to assist", not a general offer ("we'd love to help", "here to help")
    r"|(?<=t)" + "".join(rf"(?<!{w} t)" for w in GENERAL_OFFER_WORDS)
    + r"o (?:further |better |properly )?(?:help|assist|look into|check|investigate)\b)", re.IGNORECASE)


#: The company acting, said of the customer's thing: "your ticket has been routed", "your bag is
#: being traced" (staff at work are agent cues, a fix that has landed the `owned` signal).
#: What the company does for the customer, in the passive. Not "applied", "processed" or
#: "charged": said of a fee, they are bad news ("the cost has been applied").
_SERVED_WORDS = (r"routed|forwarded|escalated|passed on|refunded|credited|re-?issued|issued|replaced|re-?sent|sent|"
                 r"fixed|resolved|re-?opened|restored|approved|returned|noted|shared|corrected|waived|unlocked|"
                 r"reinstated|made available")
_SERVED = f"(?:{_SERVED_WORDS})"
_DONE_FOR_YOU = re.compile(
    # Opening on its first letters, as `_PURPOSE` does (the look-behind is the word boundary).
    r"[yaw](?<!\w.)(?:"
    # "your ticket has been routed", "a refund for the missing items has already been issued",
    # "any remaining balance will be returned", "your feedback has been noted and shared"
    r"(?<=y)our (?:[\w-]+ ){0,2}(?:has|have) been (?:routed|forwarded|escalated|passed on|refunded|credited|re-?issued|"
    r"replaced|re-?sent|sent|fixed|resolved|processed|shipped|re-?opened|assigned|updated|restored|scheduled|booked|"
    r"approved|added|applied|logged|raised|reported)\b|"
    rf"(?:(?<=y)our|(?<=a)(?:ny|n)?) (?:[\w()'’-]+ ){{0,5}}?(?:has|have) (?:already |now |just )?been {_SERVED}\b|"
    rf"(?:(?<=y)our|(?<=a)(?:ny|n)?) (?:[\w()'’-]+ ){{0,5}}?(?:will|'ll|’ll) (?:now |then )?be {_SERVED}\b|"
    r"(?<=y)our (?:[\w-]+ ){0,2}(?:is|are) (?:now )?being (?:traced|reviewed|investigated|processed|looked into|handled|"
    r"worked on|fixed|prepared|replaced|refunded|shipped|tracked)\b|"
    # the customer moved on for them: "you've been transferred to the 20:15 sailing"
    r"(?<=y)ou(?:['’]ve| have) (?:now |already |just )?been (?:transferred|moved|rebooked|upgraded|refunded|credited|"
    r"reimbursed|booked|switched|reinstated|compensated|added)\b|"
    # the fault put right, whoever's the part: "the roller was replaced and the unit returned to service"
    r"(?<=w)(?:as|ere) (?:now |then |also )?(?:replaced|repaired|fixed|restored|reconnected|rectified)\b(?! by (?:you|your)\b))",
    re.IGNORECASE)


#: Service verbs: `_SERVED` and more that a passive of any subject carries ("added", "rebooked",
#: "couriered").
_SERVICE = (rf"(?:{_SERVED_WORDS}|passed to|confirmed|added|moved|rebooked|upgraded|extended|reset|paused|amended|"
            r"arranged|booked|released|requested|dispatched|shipped|posted|couriered|rescheduled|located|found|traced|"
            r"expedited|prioriti[sz]ed|logged|raised|reported|flagged|ended|sorted|repaired|reconnected|rectified|"
            r"cleared)")
#: Done for the customer, however the sentence puts it, read in the lowered text: a service verb
#: in the passive ("a hotel voucher has been added", "the ride's been ended", "everyone's been
#: moved onto the 11:15", "it'll be couriered tonight", "your rebooking is now confirmed"), found
#: from its auxiliary (its subject is read before it: `_done_anyhow`); the service back ("servers
#: are back up"); people at work on it ("engineers are on site", "the team's on it"); a fix on
#: its way. (Opening on the auxiliary, not on "the", it is tried at far fewer places.)
_SERVICE_DONE = re.compile(
    r"[hwia'’](?:(?<=['’])(?:(?:s|ve)(?: now| already| just| also)? been|ll(?: now| then)? be|(?:s|re)(?: now| all)?"
    r"(?: being)?)|(?<![\w'’].)(?:(?<=h)(?:as|ave)(?: now| already| just| also)? been|(?<=w)ill(?: now| then)? be"
    rf"|(?<=i)s(?: now| all)?(?: being| now)|(?<=a)re(?: now| all)?(?: being| now))) {_SERVICE}\b")
_BACK = r"(?: (?:now |all |fully )?back (?:up|online|to normal|in service|in stock|working)| on it)\b"
_ON_SITE = r"(?: are| is|['’]re|['’]s)? (?:now )?on (?:site|the way|their way)\b"
_BACK_OR_ON_IT = re.compile(
    rf"[iae'’tcsf](?:(?<=['’])(?:s|re){_BACK}|(?<![\w'’].)(?:(?<=i)s{_BACK}|(?<=a)re{_BACK}"
    rf"|(?<=e)ngineers?{_ON_SITE}|(?<=t)(?:echnicians?|eams?){_ON_SITE}|(?<=c)rews?{_ON_SITE}|(?<=s)taff{_ON_SITE}"
    r"|(?<=f)ix (?:(?:is|goes|is going|will go) (?:out|live)|is (?:rolling out|coming|on (?:its|the) way))\b))")
#: Who a service verb's subject may be: the customer's thing, "it", everyone.
_DONE_FOR = frozenset("your yours the this that a an any it everyone everything everybody".split())
#: The words and single spaces that end a text (a subject and up to five words after it).
_WORD_RUN = re.compile(r"[\w()'’-]+(?: [\w()'’-]+)*\Z")


def _lowered_twin(pattern: re.Pattern) -> re.Pattern:
    """A case-blind `pattern` as a case-sensitive one for the lowered text (`regexes.fold_case`):
    a third of the time. Read for a yes or no only, so no offset needs to match."""
    return fold_case(re.compile("(?i)" + pattern.pattern)) or pattern


#: What the customer gets, on its way in any words ("a full refund will be processed", "a credit
#: has been applied to your account", "quote to follow"): "processed" and "applied", bad news of
#: a fee ("the cost has been applied"), are good news of a refund or a credit.
_BENEFIT = r"(?:refund|credit|replacement|voucher|quote|compensation|reimbursement|goodwill (?:payment|gesture))s?"
_BENEFIT_COMING = re.compile(
    rf"\b{_BENEFIT}(?: (?:of|for) [^.!?\n]{{1,25}}?)?"
    r"(?: (?:will(?: now| then| also)? be|(?:has|have)(?: now| already| just| also)? been|(?:is|are)(?: now)? being)"
    r" (?:processed|applied|issued|sent|arranged|paid|made|raised)|['’]ll be (?:processed|applied|issued|sent|arranged|paid)"
    r"| (?:is|are) (?:now )?on (?:its|the|their) way| to follow)\b")


_PURPOSE_LOWERED = _lowered_twin(_PURPOSE)
_DONE_FOR_YOU_LOWERED = _lowered_twin(_DONE_FOR_YOU)


def _benefit_coming(lowered: str) -> bool:
    """`_BENEFIT_COMING`, in a sentence with no condition before it ("if approved, a refund will
    be issued" promises nothing yet)."""
    return any(not in_condition(lowered, m.start()) for m in _BENEFIT_COMING.finditer(lowered))


def _done_anyhow(lowered: str) -> bool:
    """`_SERVICE_DONE` with its subject one of `_DONE_FOR` at most five words before it, or
    `_BACK_OR_ON_IT`, in a sentence with no condition before it ("once the box has been
    dispatched", "Once the return has been inspected, a replacement will be dispatched").
    `lowered`: the reply's text, lowered."""
    for m in _SERVICE_DONE.finditer(lowered):
        # The subject and up to five words after it: "a hotel voucher | has been", "the ride|'s been"
        end = m.start() - 1 if m.start() and lowered[m.start() - 1] == " " else m.start()
        run = _WORD_RUN.search(lowered, max(0, end - 120), end)
        words = run.group().split(" ")[-6:] if run else []
        if any(w in _DONE_FOR for w in words) and not in_condition(lowered, m.start()):
            return True
    return any(not in_condition(lowered, m.start()) for m in _BACK_OR_ON_IT.finditer(lowered))


def ownership(f: Facts, options: dict) -> Verdict:
    """Owed when the customer reports a problem the company could act on. It holds when the
    reply says what the agent or the company will do or has done. Telling the customer what to
    do, or where to go, is not owning it ("Please DM us your order number", "Please call our
    Web Technical Support folks"): with the customer's message given, coaches on real replies
    called ownership missing in 36 of the 59 such replies that said nothing of the agent's own."""
    if f.of("agent") or f.of("owned") or _PURPOSE_LOWERED.search(f.lowered) \
            or _DONE_FOR_YOU_LOWERED.search(f.lowered) or _done_anyhow(f.lowered) \
            or _benefit_coming(f.lowered):  # cues first: free
        return True
    if f.incoming_problem is None:  # the reply alone: a how-to could be the agent's whole answer
        if not f.reported_problem or (f.developer and not f.of("problem")):
            # A maintainer's answer that names no problem of the project's (a usage question, a
            # feature declined, a misconfiguration): nothing to own. On the written sets the
            # coaches found ownership owed in 16 of 61 such replies.
            return None
        told = f.instruction_sentences
        return Miss(f.span(told[0] if told else f.opening), reason=f.problem_reason)
    if not (f.reported_problem or f.open_problem):
        return None  # a question answered, a thank-you: nothing to own
    return Miss(f.span(f.opening), reason=f.problem_reason)


_ACTIONS = ("offer", "future", "doing", "done")
#: What the agent side offers or will do: an alternative to a "no" ("I can offer store credit",
#: "we'll send a new appointment"); what it has done or is doing is no way forward for the
#: customer ("your account has been charged", "we're waiting on the update").
_OFFERS = ("offer", "future")


def _refusal_sentences(f: Facts) -> list[int]:
    cues = [c for c in f.of("refusal") if not any(s < c.end and c.start < e for s, e in f.suppressed)]
    return sorted({f.sentence_of(c.start) for c in cues} | {f.sentence_of(s) for s, _ in f.refusals})


def _offers(f: Facts) -> set[int]:
    """The sentences where the reply offers an alternative or says what the agent side offers or
    will do ("I can offer store credit", "we'll send a new appointment")."""
    return {f.sentence_of(c.start) for c in f.of("alternative") + f.of("agent", _OFFERS)}


def _a_way(f: Facts, i: int, offers: set[int]) -> bool:
    """Sentence `i` offers a way forward: an alternative, what the agent side offers or will do,
    or a route for the customer ("Please call 1-800-…", "You may submit an appeal via the
    form", "Redelivery can be booked online"). Said as a burden ("You'll need to call 0800 555
    0123 to get it unlocked") it is still the way forward; the burden is a phrase finding of its
    own. A rule to keep ("Parents must ensure they arrive on time", "You need to read the
    email") is none, and neither is a door left open ("Is there anything else I can help with?")."""
    return i in offers or i in f.way_orders or _a_route(f, i)


def answered(f: Facts) -> set[int]:
    """The sentences with a refusal that an alternative answers, in the same or the next
    sentence (or the one before: "What I can do is …. We can't …")."""
    offers = _offers(f) | {f.sentence_of(c.start) for c in f.of("agent", _ACTIONS) + f.of("follow_up")}
    last = len(f.sentences) - 1
    return {i for i in _refusal_sentences(f)
            if any(_a_way(f, j, offers) for j in (i - 1, i, i + 1) if 0 <= j <= last)}


#: Where a clause of a sentence ends, for `_a_route`: "Redelivery can be booked online; we are
#: unable to rearrange it by phone" holds a route and a "no".
_CLAUSE_CUT = re.compile(r"[;,:(]|\b(?:but|however|although)\b|\s[-–—]\s", re.IGNORECASE)
#: Words after which a route verb is a verb ("please *call* us", "you can *book* online", "to
#: *submit* a claim"), not a noun ("thanks for your call").
_VERB_LEADS = frozenset(("to", "can", "could", "may", "might", "will", "ll", "should", "must", "please", "kindly",
                         "just", "simply", "also", "then", "you", "or", "and", "first", "instead"))
_NEGATIVE = frozenset(("not", "t", "never", "cannot", "unable", "no", "nor"))


def _a_route(f: Facts, i: int) -> bool:
    """A clause of sentence `i` that shows the customer a route: a verb of getting in touch or
    getting it done (`route_verbs`: call, submit, appeal, book …) as an order, a modal or an
    infinitive ("you can book online", "sign up to …") or in the passive after "be" ("can be
    booked online"), with no negation in the clause; three words at least ("Call us." is
    curt)."""
    start, end = f.span(i)
    cuts = [start, *(m.end() for m in _CLAUSE_CUT.finditer(f.text, start, end)), end]
    for a, b in itertools.pairwise(cuts):
        words = [w.lower().strip("'’") for w in _WORD.findall(f.text, a, b)]
        if len(words) < 3 or not _NEGATIVE.isdisjoint(w.rsplit("'", 1)[-1].rsplit("’", 1)[-1] for w in words):
            continue
        for k, word in enumerate(words):
            verb = word in f.route_verbs and (k == 0 or words[k - 1] in _VERB_LEADS)
            # "booked" → book, "stored" → store, "submitted" → submit
            passive = k > 0 and words[k - 1] == "be" and word.endswith("ed") and not f.route_verbs.isdisjoint(
                (word[:-2], word[:-1], word[:-3]))
            if verb or passive:
                return True
    return False


def alternative(f: Facts, options: dict) -> Verdict:
    """Owed when the reply says no. It holds when the reply offers a way forward anywhere (what
    can be done instead, where to go next: "You may submit an appeal via the form in your
    dashboard"), as a coach reads the whole reply; a "no" it leaves alone is the finding."""
    refusals = _refusal_sentences(f)
    if not refusals:
        return None
    offers = _offers(f)
    if any(_a_way(f, i, offers) for i in range(len(f.sentences))):
        return True
    # A reported refusal finding already says there is no alternative: one finding per "no".
    carried = {f.sentence_of(s) for s, _ in f.reported}
    first = refusals[0]
    return Miss(None if first in carried else f.span(first), "no alternative in the reply", "the reply says no")


#: Handing the problem on, working on it or leaving it waiting: a promise to come back is then
#: owed ("I'll pass this on", "we're looking into it", "the outage is being worked on", "no ETA
#: yet").
_HANDED_ON = re.compile(r"\b(?:pass(?:ed|ing)? (?:this|it|that|your \w+)(?: \w+)? (?:on|along)|"
                        r"(?:been|be|were|was) passed (?:on |along )?to\b|forward(?:ed|ing)?\b|"
                        r"escalat\w*|look(?:ing)? into|investigat\w*|work(?:ing)? (?:on|to)|being (?:worked on|"
                        r"looked into|investigated|reviewed)|check(?:ing)? (?:with|on)|"
                        r"(?:shared|raised|reported|flagged) (?:this|it|that)(?: \w+)? (?:with|to)|"
                        # or left waiting: "No ETA on this one", "your ticket is in the queue", "a known issue"
                        r"no eta\b|in the queue\b|(?:a|the) known issue\b|once (?:the )?works? (?:are |is )?complete)",
                        re.IGNORECASE)


def follow_up(f: Facts, options: dict) -> Verdict:
    """Owed when the reply leaves the problem open: it hands it on or says it is being worked
    on. It holds when the reply gives the customer a next step or a way back (an invitation, a
    question, an instruction, an offer, a promise to update). A final answer, a thank-you or a
    plain "no" leaves nothing open: the check does not apply. Without the customer's message the
    reply is read the same way: a saved reply that answers, declines or closes owes none."""
    if f.of("follow_up") or f.of("alternative") or f.instruction_sentences or _WAY_BACK.search(f.text):
        return True
    # A hand-off leaves the matter open by itself ("Thanks for the feedback, we'll pass it on to
    # the store team"), with or without a problem named.
    handed = [i for i, (s, e) in enumerate(f.sentences) if _HANDED_ON.search(f.text, s, e)]
    if not handed:
        return True if f.open_problem and f.of("agent", ("future", "offer")) else None
    if not f.open_problem and f.of("agent", ("done",)):
        return None  # settled ("I've refunded you"), and a note passed on besides
    return Miss(f.span(handed[-1]), "no word on when the customer will hear back", "the reply hands the problem on")


_RANK = {"error": 0, "warning": 1, "suggestion": 2}


def wording(f: Facts, options: dict) -> Verdict:
    if f.phrase_severities is None:
        return None
    worst = options["min_severity"]
    flagged = [s for s in f.phrase_severities if _RANK[s] <= _RANK[worst]]
    return Miss(None, f"{len(flagged)} phrase finding(s)") if flagged else True


def min_score(f: Facts, options: dict) -> Verdict:
    return None  # the scorer decides, from the other checks (see assess.py)


@dataclass(frozen=True)
class Check:
    run: Callable[[Facts, dict], Verdict]
    #: Options a rule may set under `options:`, with their defaults and types.
    options: dict[str, Any] = field(default_factory=dict)


CHECKS: dict[str, Check] = {
    "empathy": Check(empathy),
    "feelings_first": Check(feelings_first),
    "apology_form": Check(apology_form, {"max_apologies": 1}),
    "customer_named": Check(customer_named),
    "ownership": Check(ownership),
    "alternative": Check(alternative, {"answered": "suggestion"}),
    "follow_up": Check(follow_up),
    "wording": Check(wording, {"min_severity": "warning"}),
    "min_score": Check(min_score),
}
