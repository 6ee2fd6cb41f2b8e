"""`--format json`: exactly one JSON document on stdout."""

from __future__ import annotations

import json
from typing import TextIO

from phraselint.model import Report

VERSION = 1


def write(report: Report, out: TextIO) -> None:
    doc = {
        "version": VERSION,
        "results": [f.to_dict() for f in report.findings],
        "replies": [r.to_dict() for r in report.replies],
        "summary": report.summary(),
    }
    json.dump(doc, out, ensure_ascii=False, indent=2)
    out.write("\n")
