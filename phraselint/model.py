"""The one result model every output format reads."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from phraselint.rules import SEVERITIES


@dataclass
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

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _INTERNAL}

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.offset, self.end_offset, self.rule)


_INTERNAL = frozenset({"anchor", "edit"})


@dataclass
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
class Report:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    errors: list[str] = field(default_factory=list)
    #: The raw lines that hold findings, by (path, line), for formats that show the source.
    source_lines: dict[tuple[str, int], str] = field(default_factory=dict)
    #: The active rules (formats that describe rules, such as SARIF, read them).
    rules: list = field(default_factory=list)
    #: How many inputs were found (files named or walked), before reading them.
    inputs: int = 0
    #: Each reply's score, in reading order (when reply-level rules run).
    replies: list[ReplyScore] = field(default_factory=list)

    def by_severity(self) -> dict[str, int]:
        counts = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def summary(self) -> dict:
        return {"files": self.files, "findings": len(self.findings), "by_severity": self.by_severity()}


#: --fail-on levels, most to least strict; a finding fails the run at its level or above.
FAIL_ON = ("suggestion", "warning", "error", "never")


def at_least(severity: str, level: str) -> bool:
    """Whether a finding's severity is `level` or more severe."""
    return SEVERITIES.index(severity) <= SEVERITIES.index(level)


def fails(report: Report, fail_on: str) -> bool:
    if fail_on == "never":
        return False
    threshold = SEVERITIES.index(fail_on)
    return any(SEVERITIES.index(f.severity) <= threshold for f in report.findings)
