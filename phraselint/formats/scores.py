"""`phraselint score`: every reply's score, worst first — a support lead's view of a library.

Not one of the `check` formats: it prints the replies, not the findings. `text` is one line per
reply and a summary; `json` is `{"replies": [...], "summary": {...}}` on stdout.
"""

from __future__ import annotations

import json
import os
import statistics
from typing import TextIO

from phraselint.model import Report, ReplyScore

FORMATS = ("text", "json")


def worst_first(report: Report) -> list[ReplyScore]:
    return sorted(report.replies, key=lambda r: (r.score, r.path, r.line))


def summary(report: Report, floor: int | None) -> dict:
    scores = [r.score for r in report.replies]
    median = statistics.median(scores) if scores else None
    out = {"files": report.files, "replies": len(scores),
           "mean": round(statistics.fmean(scores), 1) if scores else None,
           "median": int(median) if median is not None and median == int(median) else median}
    if floor is not None:
        out["min_score"] = floor
        out["below"] = sum(1 for r in report.replies if r.below(floor))
    return out


def write(report: Report, out: TextIO, fmt: str, floor: int | None = None) -> None:
    if fmt == "json":
        doc = {"replies": [r.to_dict() for r in worst_first(report)], "summary": summary(report, floor)}
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    from rich.console import Console

    from phraselint.formats.text_format import score_line

    console = Console(file=out, highlight=False, soft_wrap=True,
                      no_color=bool(os.environ.get("NO_COLOR")) or None)
    for score in worst_first(report):
        console.print(score_line(score))
    s = summary(report, floor)
    if not s["replies"]:
        console.print(f"No replies scored in {report.files} file{'s' if report.files != 1 else ''}.", style="bold")
        return
    text = f"{s['replies']} repl{'ies' if s['replies'] != 1 else 'y'}: mean {s['mean']}, median {s['median']}"
    if floor is not None:
        text += f"; {s['below']} below {floor}"
    console.print(text + ".", style="bold")
