"""`--format line`: `path:line:col: severity rule: message`, one finding a line, for editors and grep.

A finding inside a named reply shows the name in brackets after the rule:
`lib.yaml:12:5: warning refusal.cant [refund-denied]: …`. No summary line.
"""

from __future__ import annotations

from typing import TextIO

from phraselint.formats import printable
from phraselint.model import Finding, Report


def line(f: Finding) -> str:
    reply = f" [{printable(f.reply)}]" if f.reply else ""
    return f"{printable(f.path)}:{f.line}:{f.column}: {f.severity} {f.rule}{reply}: {printable(f.message)}"


def write(report: Report, out: TextIO) -> None:
    for f in report.findings:
        out.write(line(f) + "\n")
