"""Coaching as one analyzer of the per-reply pipeline: it reads what the engine matched and
observed in a reply, runs the active checks, and yields the reply-level findings and the score.

The engine knows nothing of it: `observer` is what the engine calls on each Doc (the cue finder),
and the analyzer reads the engine's `Reading` of each reply. The coaching pack declares which
phrase-rule categories it reads (`reads: [refusal]`); nothing here names a category.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from phraselint.coaching import checks
from phraselint.coaching.assess import assess
from phraselint.coaching.checks import Facts
from phraselint.coaching.cues import CueFinder
from phraselint.coaching.message import MessageReading
from phraselint.model import Finding, ReplyScore
from phraselint.rules import Rule


@dataclass
class CoachPolicy:
    """What the run decided about the reply-level rules (see `ruleset.RuleSet`)."""

    #: The checks that make the score, and those of them not reported (scored only).
    scored: list[Rule]
    unreported: set[str]
    #: Categories of phrase rules whose matches the checks read (the packs' `reads:`), and the
    #: rules of those read only (not selected: never reported).
    reads: frozenset[str]
    read_only: frozenset[str] = frozenset()
    #: The severity of a refusal finding that an alternative answers, or "off" (not reported):
    #: the alternative check's `answered` option.
    answered: str = "suggestion"
    #: A reply scoring below this is a finding of the min_score check's rule.
    floor: int | None = None
    #: The --fail-on level: the min_score finding's severity, unless the config sets one.
    fail_level: str = "error"
    floor_severity: dict[str, str] = field(default_factory=dict)
    #: Whether phrase rules run (the wording check reads their severities).
    phrase_rules: bool = True
    #: The customer's message for every reply (--incoming), when a reply has none of its own.
    incoming: str | None = None


@dataclass
class Review:
    """One reply as the coaching stage sees it before the phrase findings are reported: its
    facts, and the reply-text spans of the sentences whose refusal an alternative answers."""

    reply: object
    facts: Facts
    answered: list[tuple[int, int]]
    reads: frozenset[str]
    answered_severity: str
    facts_view_to_reply: Callable = None

    def keeps(self, hit) -> bool:
        """Whether a phrase finding is reported: a refusal that an alternative answers in the
        same or the next sentence is not when the alternative check's `answered` is "off"."""
        return self.answered_severity != "off" or not self._read(hit) or not self._answered(hit)

    def severity(self, hit) -> str:
        """A refusal an alternative answers is reported at the `answered` severity (a
        suggestion, by default): the "no" is softened, not gone."""
        return self.answered_severity if self._read(hit) and self._answered(hit) else hit.rule.severity

    def reason(self, hit) -> str:
        """What a kept finding adds to its message: whether its refusal has an alternative."""
        if not self._read(hit):
            return ""
        if self._answered(hit):
            return "an alternative follows: lead with it"
        return "no alternative in this or the next sentence"

    def _read(self, hit) -> bool:
        return hit.rule.category in self.reads

    def _answered(self, hit) -> bool:
        return any(s < hit.end and hit.start < e for s, e in self.answered)


class Coach:
    def __init__(self, policy: CoachPolicy, note: Callable[[str], None]):
        self.policy, self.note = policy, note
        self.cues: CueFinder | None = None
        self._parts_noted: set[str] = set()
        #: Each pattern of check verdicts seen, shared by the scores that have it (read-only).
        self._verdicts: dict[tuple, dict] = {}

    def observer(self, signals: dict[str, list[str]]) -> Callable:
        """The engine's observer factory: the cue finder, compiled for the engine's pipeline."""

        def build(nlp, make_doc):
            self.cues = CueFinder(nlp, signals, make_doc=make_doc)
            return self.cues

        return build

    def review(self, source, reply, sups, reading) -> Review | None:
        """The facts of one reply, before its phrase findings are reported; None when the reply
        is not coached (empty, or read in parts)."""
        if not reply.text.strip():
            return None
        if not reply.whole:
            if source.path not in self._parts_noted:
                self._parts_noted.add(source.path)
                self.note(f"{source.path}: too long to be one reply: its phrases are linted, it is not scored")
            return None
        policy = self.policy
        incoming = reply.incoming if reply.incoming is not None else policy.incoming
        view = reading.view
        refusals, reported, suppressed = [], [], []
        for rule, start, end in reading.matches:
            if rule.category not in policy.reads:
                continue
            raw_start, raw_end = reply.to_raw.span(*view.to_reply.span(start, end))
            if sups.silences(rule.id, rule.category, raw_start, raw_end):
                suppressed.append((start, end))  # silenced on purpose: no coaching about this "no"
                continue
            refusals.append((start, end))
            if rule.id not in policy.read_only:
                reported.append((start, end))
        message = self._message(incoming)
        facts = Facts(view.text, reading.sentences, reading.observed, refusals=refusals, reported=reported,
                      suppressed=suppressed, incoming_problem=message and message.problem,
                      incoming_evidence=message.evidence if message else "",
                      instruction_verbs=self.cues.words["instruction_verbs"],
                      route_verbs=self.cues.words["route_verbs"], reply_text=reply.text)
        answered = [view.to_reply.span(*facts.span(i)) for i in checks.answered(facts)] if refusals else []
        return Review(reply, facts, answered, policy.reads, policy.answered, view.to_reply.span)

    def findings(self, source, review: Review, sups, severities: list[str], place,
                 scores: list[ReplyScore] | None) -> Iterator[Finding]:
        """The reply-level findings of one reply, and (appended to `scores`) its score.
        `severities`: of the reply's reported phrase findings. `place(source, start, end)`:
        line and column of a raw span."""
        policy, reply, facts = self.policy, review.reply, review.facts
        facts.phrase_severities = severities if policy.phrase_rules else None
        view_to_reply = review.facts_view_to_reply
        whole = reply.to_raw.span(0, len(reply.text))

        def raw(span: tuple[int, int]) -> tuple[int, int]:
            return reply.to_raw.span(*view_to_reply(*span))

        def silenced(rule: Rule, span: tuple[int, int] | None) -> bool:
            # A check that reports nothing of its own (wording) is silenced where a finding
            # about the whole reply would be: its opening sentence.
            if not sups.directives:
                return False
            start, end = raw(span or facts.span(facts.opening))
            return sups.silences(rule.id, rule.category, start, end)

        result = assess(facts, policy.scored, policy.floor, silenced)
        for rule_id in policy.unreported:
            result.checks.pop(rule_id, None)
        if scores is not None and result.score is not None:
            # Replies share one dict per pattern of verdicts (a few dozen in a library): a run
            # keeps every reply's score, and 200,000 dicts of their own would take 70 MB.
            checks = self._verdicts.setdefault(tuple(result.checks.items()), result.checks)
            scores.append(ReplyScore(source.path, reply.name, result.score, checks,
                                     place(source, *whole)[0], result.exempt))
        for rule, miss in result.misses:
            if rule.id in policy.unreported:
                continue
            start, end = raw(miss.span)
            line, col, end_line, end_col = place(source, start, end)
            severity = rule.severity
            if rule.check == "min_score" and policy.fail_level != "never":
                severity = policy.floor_severity.get(rule.id, policy.fail_level)
            message = f"{rule.message[:-1] if rule.message.endswith('.') else rule.message}: {miss.detail}." \
                if miss.detail else rule.message
            yield Finding(
                path=source.path, rule=rule.id, severity=severity, message=message,
                line=line, column=col, end_line=end_line, end_column=end_col, offset=start, end_offset=end,
                match=source.text[start:end], reply=reply.name,
                suggestions=[miss.rewrite] if miss.rewrite else [s.text for s in rule.suggestions],
                scope="reply", reason=miss.reason or None,
            )

    def _message(self, incoming: str | None) -> MessageReading | None:
        if incoming is None:
            return None
        return self.cues.messages().read(incoming)
