"""A reply's verdicts and score: run each active check, weigh the ones that apply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from phraselint.coaching.checks import CHECKS, Facts, Miss
from phraselint.rules import Rule


@dataclass
class Assessment:
    #: 0–100: the weighted share of the applicable checks that hold; None when none applies.
    score: int | None
    #: Rule id -> True (holds), False (fails) or None (does not apply), for each weighed check.
    checks: dict[str, bool | None] = field(default_factory=dict)
    #: The failed checks that report a finding, with where and what.
    misses: list[tuple[Rule, Miss]] = field(default_factory=list)
    #: No minimum applies to the reply: coaching.score is not selected, or suppressed for it.
    exempt: bool = False

    @property
    def missing(self) -> list[str]:
        return [rule_id for rule_id, ok in self.checks.items() if ok is False]


def assess(facts: Facts, rules: list[Rule], min_score: int | None = None,
           silenced: Callable[[Rule, tuple[int, int] | None], bool] = lambda rule, span: False) -> Assessment:
    """`rules`: the active reply-level rules. `min_score`: a score below it is a finding of the
    `min_score` check's rule (coaching.score). `silenced(rule, span)`: a suppression comment
    covers the check on this reply (span None: at its opening sentence); the check then counts
    as not applying."""
    out = Assessment(score=None)
    total = earned = 0
    floor_rule = None
    for rule in rules:
        if rule.check == "min_score":
            floor_rule = rule
            continue
        verdict = CHECKS[rule.check].run(facts, rule.options)
        if verdict is not None and silenced(rule, verdict.span if isinstance(verdict, Miss) else None):
            verdict = None  # suppressed for this reply: it does not count, holding or not
        out.checks[rule.id] = None if verdict is None else verdict is True
        if verdict is None:
            continue
        total += rule.weight
        if verdict is True:
            earned += rule.weight
        elif verdict.span is not None:
            out.misses.append((rule, verdict))
    out.score = round(100 * earned / total) if total else None
    out.exempt = floor_rule is None or silenced(floor_rule, facts.span(facts.opening))
    if floor_rule is not None and min_score is not None and out.score is not None and out.score < min_score \
            and not out.exempt:
        shown = ", ".join(rule_id.split(".")[-1] for rule_id in out.missing) or "nothing"
        out.misses.append((floor_rule, Miss(facts.span(facts.opening), f"score {out.score} < {min_score}; missing: {shown}",
                                            f"the minimum score is {min_score}")))
    return out
