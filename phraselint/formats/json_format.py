"""`--format json`: exactly one JSON document on stdout.

One result (and one reply score) per line: easy to read and to grep, and written by the C
encoder (an indented dump runs the pure-Python one, which costs more than linting a small
library).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from phraselint.model import Report

VERSION = 1
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _array(out: TextIO, key: str, items: Iterable[dict], last: bool = False) -> None:
    out.write(f'  "{key}": [')
    first = True
    for item in items:
        out.write("\n    " if first else ",\n    ")
        out.write(_ENCODE(item))
        first = False
    out.write("]" if first else "\n  ]")
    out.write("\n" if last else ",\n")


def write(report: Report, out: TextIO) -> None:
    out.write(f'{{\n  "version": {VERSION},\n')
    _array(out, "results", (f.to_dict() for f in report.findings))
    _array(out, "replies", (r.to_dict() for r in report.replies))
    out.write(f'  "summary": {_ENCODE(report.summary())}\n}}\n')
