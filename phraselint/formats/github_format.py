"""`--format github`: one GitHub Actions workflow command per finding, shown as an annotation.

    ::warning file=a.txt,line=3,col=1,endLine=3,endColumn=9,title=refusal.cant::message Try: …
"""

from __future__ import annotations

import os
from typing import TextIO

from phraselint.formats import printable
from phraselint.model import Finding, Report

COMMANDS = {"error": "error", "warning": "warning", "suggestion": "notice"}


def escape_data(text: str) -> str:
    """The escaping GitHub's runner undoes in a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """The escaping GitHub's runner undoes in a command's property values."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(f: Finding) -> str:
    if not f.suggestions:
        return f.message
    tries = " / ".join(s or f"(delete “{f.match}”)" for s in f.suggestions)
    return f"{f.message} Try: {tries}"


def command(f: Finding) -> str:
    props = {} if f.path == "-" else {"file": printable(f.path.replace(os.sep, "/"))}
    props |= {"line": f.line, "col": f.column, "endLine": f.end_line, "endColumn": f.end_column, "title": f.rule}
    shown = ",".join(f"{key}={escape_property(str(value))}" for key, value in props.items())
    return f"::{COMMANDS[f.severity]} {shown}::{escape_data(_inert(_message(f)))}"


def _inert(text: str) -> str:
    """Control characters filtered, except the line breaks the runner's escaping carries."""
    return "\n".join("\r".join(printable(p) for p in line.split("\r")) for line in text.split("\n"))


def write(report: Report, out: TextIO) -> None:
    for f in report.findings:
        out.write(command(f) + "\n")
