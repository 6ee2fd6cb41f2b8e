"""The one result model every output format reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from phraselint.rules import SEVERITIES


@dataclass(slots=True)  # no instance dict: a run over 50,000 replies holds many
class Finding:
    path: str
    rule: str
    severity: str
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int
    match: str
    suggestions: list[str]
    fix: dict | None = None
    scope: str = "phrase"
    reply: str | None = None
    #: A reply-level finding: why its check applies to this reply ("the reply says no").
    reason: str | None = None
    #: Where the finding sits in its reply (`fix.Anchor`), and the reply-text edit its fix makes:
    #: for `phraselint fix`, never written out.
    anchor: Any = field(default=None, repr=False, compare=False)
    edit: Any = field(default=None, repr=False, compare=False)
    #: The raw line the finding starts on, for formats that show it. Of a long line (a JSON
    #: export may be one line), only the part around the finding: `source_cut` characters are
    #: cut from its left, and `source_more` says whether more of it follows.
    source_line: str = field(default="", repr=False, compare=False)
    source_cut: int = field(default=0, repr=False, compare=False)
    source_more: bool = field(default=False, repr=False, compare=False)

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _INTERNAL}

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.offset, self.end_offset, self.rule)


_INTERNAL = frozenset({"anchor", "edit", "source_line", "source_cut", "source_more"})


@dataclass(slots=True)
class ReplyScore:
    """One reply's score (0–100) and the verdict of each reply-level check on it: True
    (holds), False (fails) or None (does not apply)."""

    path: str
    reply: str | None
    score: int
    checks: dict[str, bool | None]
    #: The line of the raw file where the reply starts.
    line: int = 1
    #: --min-score does not apply to this reply: coaching.score is not selected, or suppressed for it.
    exempt: bool = False

    def to_dict(self) -> dict:
        return {"path": self.path, "reply": self.reply, "line": self.line, "score": self.score,
                "checks": dict(self.checks)}

    def below(self, floor: int | None) -> bool:
        """Whether the reply fails a minimum score."""
        return floor is not None and not self.exempt and self.score < floor

    @property
    def missing(self) -> list[str]:
        return [rule_id for rule_id, ok in self.checks.items() if ok is False]


@dataclass
class Tally:
    """Counts of findings, kept as they pass, so that a summary needs no list of them."""

    total: int = 0
    severities: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    fixable: Counter = field(default_factory=Counter)
    #: Each rule's message, as its first finding said it.
    messages: dict[str, str] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        self.total += 1
        self.severities[finding.severity] += 1
        self.rules[finding.rule] += 1
        if finding.fix:
            self.fixable[finding.rule] += 1
        self.messages.setdefault(finding.rule, finding.message)

    def by_severity(self) -> dict[str, int]:
        return {s: self.severities[s] for s in SEVERITIES}


class FindingStream:
    """Findings made while they are read, each counted as it passes: a run over 50,000 replies
    hands them to its output file by file and never holds them all. It can be read once."""

    def __init__(self, findings: Iterable[Finding]):
        self._findings: Iterable[Finding] | None = findings
        self.tally = Tally()

    def __iter__(self) -> Iterator[Finding]:
        if self._findings is None:
            raise RuntimeError("a finding stream can be read once")
        findings, self._findings = self._findings, None
        for finding in findings:
            self.tally.add(finding)
            yield finding


@dataclass
class Report:
    #: A list, or a `FindingStream` (read once; count it through `tally()` after reading it).
    findings: list[Finding] | FindingStream = field(default_factory=list)
    files: int = 0
    errors: list[str] = field(default_factory=list)
    #: The active rules (formats that describe rules, such as SARIF, read them).
    rules: list = field(default_factory=list)
    #: How many inputs were found (files named or walked), before reading them.
    inputs: int = 0
    #: Each reply's score, in reading order (when reply-level rules run).
    replies: list[ReplyScore] = field(default_factory=list)

    def tally(self) -> Tally:
        """The findings' counts (of a stream: those read so far)."""
        if isinstance(self.findings, FindingStream):
            return self.findings.tally
        tally = Tally()
        for f in self.findings:
            tally.add(f)
        return tally

    def by_severity(self) -> dict[str, int]:
        return self.tally().by_severity()

    def summary(self) -> dict:
        tally = self.tally()
        return {"files": self.files, "findings": tally.total, "by_severity": tally.by_severity()}


#: --fail-on levels, most to least strict; a finding fails the run at its level or above.
FAIL_ON = ("suggestion", "warning", "error", "never")


def at_least(severity: str, level: str) -> bool:
    """Whether a finding's severity is `level` or more severe."""
    return SEVERITIES.index(severity) <= SEVERITIES.index(level)


def fails(report: Report, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = SEVERITIES.index(fail_on)
    return any(n and SEVERITIES.index(s) <= threshold for s, n in report.by_severity().items())
