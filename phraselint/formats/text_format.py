"""`--format text`: findings for people, with rich. Colour only on a terminal; NO_COLOR is respected."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

from phraselint.formats import printable
from phraselint.model import Finding, Report

if TYPE_CHECKING:  # rich is imported when output is written, not when the module loads
    from rich.text import Text

_STYLE = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}
#: Long lines are cut to about this many characters around the flagged span.
WIDTH = 100


def excerpt(line: str, start: int, end: int, width: int = WIDTH, before: bool = False,
            after: bool = False) -> tuple[str, int, int]:
    """`line` cut to about `width` characters around `[start, end)`, and the span's new place.
    `before`, `after`: `line` is itself a part of a longer line (an ellipsis shows it)."""
    if len(line) <= width and not before and not after:
        return line.replace("\t", " "), start, end
    room = max(width - (end - start), 10)
    left = max(0, start - room // 2)
    right = min(len(line), max(end + room // 2, left + width))
    left = max(0, min(left, right - width))
    prefix = "…" if left > 0 or before else ""
    suffix = "…" if right < len(line) or after else ""
    shown = prefix + line[left:right].replace("\t", " ") + suffix
    return shown, start - left + len(prefix), end - left + len(prefix)


def _finding(console, finding: Finding, report: Report) -> None:
    from rich.text import Text

    head = Text()
    head.append(f"{printable(finding.path)}:{finding.line}:{finding.column}", style="bold")
    head.append("  ")
    head.append(finding.severity, style=_STYLE[finding.severity])
    head.append(f"  {finding.rule}", style="dim")
    if finding.fix:
        head.append(" [*]", style="bold green")
    if finding.reply:
        head.append(f"  [{printable(finding.reply)}]", style="dim")
    head.append(f"  {printable(finding.message)}")
    console.print(head)
    line, cut = finding.source_line, finding.source_cut
    end = min(finding.end_column - 1 - cut, len(line)) if finding.end_line == finding.line else len(line)
    # cut first: a line may be a whole JSON export
    shown, s, e = excerpt(line, finding.column - 1 - cut, end, before=cut > 0, after=finding.source_more)
    shown = printable(shown)
    source = Text("    ")
    source.append(shown[:s])
    source.append(shown[s:e], style="bold reverse " + _STYLE[finding.severity])
    source.append(shown[e:])
    console.print(source)
    for suggestion in finding.suggestions:
        rewrite = suggestion if suggestion else f"(delete “{finding.match}”)"
        console.print(Text("    → ", style="green") + Text(printable(rewrite), style="green"))


def score_style(score: int) -> str:
    return "bold green" if score >= 75 else "yellow" if score > 50 else "bold red"


def score_line(score) -> Text:
    """`path:line  [reply]  72/100  missing: empathy, follow_up` — one reply's score."""
    from rich.text import Text

    line = Text()
    line.append(f"{score.score:>3}/100", style=score_style(score.score))
    line.append(f"  {printable(score.path)}:{score.line}", style="bold")
    if score.reply:
        line.append(f"  [{printable(score.reply)}]", style="dim")
    missing = [rule_id.split(".", 1)[-1] for rule_id in score.missing]
    if missing:
        line.append(f"  missing: {', '.join(missing)}", style="dim")
    return line


_RANK = {"error": 0, "warning": 1, "suggestion": 2}


def _coaching_block(console, findings: list[Finding], score) -> None:
    """A reply's coaching, compact: its score and what is missing, each with why it applies."""
    from rich.text import Text

    first = findings[0]
    head = Text("    coaching")
    if score is not None:
        head.append(f"  {score.score:>3}/100", style=score_style(score.score))
    head.append(f"  {printable(first.path)}:{first.line}", style="dim")
    console.print(head)
    for finding in findings:
        line = Text("      · ")
        line.append(finding.rule.split(".", 1)[-1], style=_STYLE[finding.severity])
        line.append(f"  {printable(finding.message)}")
        if finding.reason:
            line.append(f"  (applies: {printable(finding.reason)})", style="dim")
        console.print(line)


def _by_reply(report: Report):
    """Findings grouped by reply in reading order: phrase findings, most severe first, then
    the reply's coaching findings. (Findings come in text order, so a reply's are together.)"""
    from itertools import groupby

    for key, group in groupby(report.findings, key=lambda f: (f.path, f.reply)):
        found = list(group)
        phrases = sorted((f for f in found if f.scope != "reply"), key=lambda f: (_RANK[f.severity], f.offset))
        yield key, phrases, [f for f in found if f.scope == "reply"]


def write(report: Report, out: TextIO) -> None:
    from rich.console import Console

    console = Console(file=out, highlight=False, soft_wrap=True,
                      no_color=bool(os.environ.get("NO_COLOR")) or None)
    scores: dict[tuple, object] = {}  # (path, reply) -> score, filled as a stream makes them
    taken = 0
    shown = set()
    for key, phrases, coaching in _by_reply(report):
        for finding in phrases:
            _finding(console, finding, report)
        if coaching:
            for score in report.replies[taken:]:
                scores.setdefault((score.path, score.reply), score)
            taken = len(report.replies)
            _coaching_block(console, coaching, scores.get(key))
            shown.add(key)
    rest = [score for score in report.replies if (score.path, score.reply) not in shown]
    if rest:
        console.print("Reply scores (0-100; `phraselint score` lists them worst first):", style="bold")
        for score in rest:
            console.print(score_line(score))
    from phraselint.errors import QUIET

    if QUIET[0]:
        return
    tally = report.tally()
    counts, n = tally.by_severity(), tally.total
    files = f"{report.files} file" + ("s" if report.files != 1 else "")
    if n:
        parts = ", ".join(f"{c} {s}{'s' if c != 1 else ''}" for s, c in counts.items() if c)
        console.print(f"Found {n} finding{'s' if n != 1 else ''} ({parts}) in {files}.", style="bold")
        fixable = tally.fixable.total()
        if fixable:
            console.print(f"[*] {fixable} fixable with `phraselint fix` (preview: `phraselint fix --diff`).",
                          style="green", markup=False)
    elif report.errors:
        console.print(f"No findings in {files}; {len(report.errors)} error{'s' if len(report.errors) != 1 else ''} "
                      "(see stderr).", style="bold red")
    else:
        console.print(f"No findings in {files}.", style="bold green")
