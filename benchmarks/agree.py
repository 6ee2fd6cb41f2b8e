"""Merge two blind labellers' files into the labels both agree on.

    python benchmarks/agree.py A.jsonl B.jsonl --replies DIR --out-phrases P.jsonl --out-checks C.jsonl

Each input holds one JSON object per reply, as tests/data/judgment/LABELLING.md asks:
`{"id", "marks": [{"family", "mark": "context with [span]", "alt"}], "checks": {...}}`.

- Two marks agree when their spans overlap in the same reply; the agreed span is their
  intersection, and the family is the first labeller's (both are kept when they differ).
  A mark only one labeller made is kept as `"disputed": true`: the judgment script counts a
  finding on it neither right nor wrong.
- A check verdict agrees when both labellers gave the same one; otherwise it is `null`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

_BRACKET = re.compile(r"\[([^\[\]]+)\]")


def locate(text: str, mark: str) -> list[tuple[int, int]] | None:
    """Offsets of each bracketed span of `mark` ("context with [span]", or "[RMA] window from
    [POD]": two spans, two marks) in `text`."""
    found = list(_BRACKET.finditer(mark))
    if not found:
        return None
    plain = _BRACKET.sub(lambda m: m.group(1), mark)
    at = text.find(plain)
    if at < 0:  # context mis-copied: fall back to each bracketed span alone
        spans = [(i, i + len(m.group(1))) for m in found if (i := text.find(m.group(1))) >= 0]
        return spans or None
    spans, shift = [], 0
    for m in found:
        start = at + m.start() - shift
        spans.append((start, start + len(m.group(1))))
        shift += 2  # the two brackets dropped before the next span
    return spans


def read(path: Path) -> dict[str, dict]:
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("first", type=Path)
    ap.add_argument("second", type=Path)
    ap.add_argument("--replies", type=Path, required=True)
    ap.add_argument("--out-phrases", type=Path, required=True)
    ap.add_argument("--out-checks", type=Path, required=True)
    args = ap.parse_args(argv)
    a, b = read(args.first), read(args.second)
    if set(a) != set(b):
        sys.exit(f"agree: the two files label different replies ({len(set(a) ^ set(b))} differ)")
    phrases, checks, unplaced = [], [], 0
    for rid in sorted(a):
        text = (args.replies / f"{rid}.txt").read_text(encoding="utf-8")

        def spans(row):
            out = []
            for m in row.get("marks", []):
                found = locate(text, m["mark"])
                if found is None:
                    nonlocal unplaced
                    unplaced += 1
                    continue
                out.extend((span, m) for span in found)
            return out

        left, right = spans(a[rid]), spans(b[rid])
        used = set()
        rows = []
        for (s1, m1) in left:
            partner = next((j for j, (s2, _) in enumerate(right) if j not in used and s1[0] < s2[1] and s2[0] < s1[1]),
                           None)
            if partner is None:
                rows.append({"span": s1, "family": m1["family"], "disputed": True, "alt": m1.get("alt")})
                continue
            used.add(partner)
            s2, m2 = right[partner]
            span = (max(s1[0], s2[0]), min(s1[1], s2[1]))
            families = sorted({m1["family"], m2["family"]})
            row = {"span": span, "family": m1["family"], "disputed": False, "alt": m1.get("alt")}
            if len(families) > 1:
                row["families"] = families
            if m1.get("alt") != m2.get("alt"):
                row["alt"] = None
            rows.append(row)
        for j, (s2, m2) in enumerate(right):
            if j not in used:
                rows.append({"span": s2, "family": m2["family"], "disputed": True, "alt": m2.get("alt")})
        if not rows:
            phrases.append({"id": rid, "family": None})
        for r in sorted(rows, key=lambda r: r["span"]):
            start, end = r.pop("span")
            phrases.append({"id": rid, **r, "start": start, "end": end, "text": text[start:end]})
        ca, cb = a[rid].get("checks", {}), b[rid].get("checks", {})
        checks.append({"id": rid, "checks": {k: (ca[k] if ca.get(k) == cb.get(k) else None) for k in sorted(ca)}})
    args.out_phrases.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in phrases), encoding="utf-8")
    args.out_checks.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in checks), encoding="utf-8")
    agreed = sum(1 for p in phrases if p.get("family") and not p["disputed"])
    disputed = sum(1 for p in phrases if p.get("family") and p["disputed"])
    print(f"{len(a)} replies: {agreed} agreed marks, {disputed} disputed, {unplaced} not found in their reply")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
