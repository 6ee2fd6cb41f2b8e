"""Baselines: record today's findings, then report only new ones.

A finding is keyed by file, reply, rule and matched text (whitespace and case folded; none for
a reply-level finding), never by line or offset, so the baseline survives unrelated edits. Each key keeps a count: a second
occurrence of the same phrase in the same reply is new.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from phraselint.errors import PhraselintError, read_capped
from phraselint.model import Finding
from phraselint.writes import write_atomically

VERSION = 1


def key(finding: Finding) -> tuple[str, str, str, str]:
    # A reply-level finding is about its reply, not its words: the sentence it points at may
    # change while the reply still misses what it missed.
    match = "" if finding.scope == "reply" else " ".join(finding.match.split()).lower()
    return (Path(finding.path).as_posix(), finding.reply or "", finding.rule, match)


def write(path: str, findings: Iterable[Finding]) -> int:
    """Record `findings` in the baseline at `path`; how many there were."""
    counts = Counter(key(f) for f in findings)
    entries = [{"path": p, "reply": r or None, "rule": rule, "match": m, "count": n}
               for (p, r, rule, m), n in sorted(counts.items())]
    write_atomically(path, json.dumps({"version": VERSION, "findings": entries}, indent=2, ensure_ascii=False) + "\n")
    return counts.total()


#: A baseline of 50,000 replies' findings is a few tens of MB; anything past this is not one.
MAX_BASELINE_BYTES = 200_000_000


def load(path: str) -> Counter:
    if not Path(path).exists():
        raise PhraselintError("baseline file not found (create it with --write-baseline)", path)
    try:
        doc = json.loads(read_capped(path, MAX_BASELINE_BYTES, "the baseline").decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise PhraselintError(f"cannot read baseline: {exc}", path) from None
    except json.JSONDecodeError as exc:
        raise PhraselintError(f"invalid baseline JSON: {exc.msg}", path, exc.lineno) from None
    except (ValueError, RecursionError):  # a 5,000-digit number; arrays nested 100,000 deep
        raise PhraselintError("invalid baseline JSON: a number too long or nesting too deep", path) from None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("findings"), list):
        raise PhraselintError(f"not a phraselint baseline (expected version {VERSION})", path)
    counts: Counter = Counter()
    for i, e in enumerate(doc["findings"]):
        try:
            counts[(e["path"], e["reply"] or "", e["rule"], e["match"])] += int(e.get("count", 1))
        except (KeyError, TypeError, ValueError, OverflowError):
            raise PhraselintError(f"baseline entry {i + 1} is malformed", path) from None
    return counts


def new_findings(findings: Iterable[Finding], baseline: Counter) -> Iterator[Finding]:
    """The findings not covered by the baseline, in their original order."""
    left = Counter(baseline)
    for f in findings:
        k = key(f)
        if left[k] > 0:
            left[k] -= 1
        else:
            yield f
