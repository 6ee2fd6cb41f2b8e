"""Judgment: phraselint's phrase findings against blind coach labels, per family.

    python benchmarks/judgment.py [--labels tests/data/judgment/twcs_test_phrases.jsonl]
                                  [--replies ../shared/corpus/replies/twcs_dev] [--misses]

The labels file holds the marks two blind labellers agreed on (see tests/data/judgment/README.md),
one JSON object per line: `{"id", "family", "start", "end", "text", "disputed"}`, offsets into the
reply file's text. A reply with no agreed mark has a line with `"family": null` (it was labelled:
every finding in it is a false flag, unless a labeller's disputed mark covers it).

- recall: the agreed marks some phrase finding overlaps (and, stricter, one of the same family);
- false flags: the phrase findings that overlap no mark, agreed or disputed, of any family.

Prints a Markdown table. Nothing is asserted: the README states the numbers. `--misses` lists the
missed marks and false flags: reading them spends the test set (label a fresh one afterwards).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAMILIES = ("refusal", "burden", "apology", "condescension", "blame", "deflection", "jargon")


def load_labels(path: Path) -> tuple[dict[str, list[dict]], set[str]]:
    marks: dict[str, list[dict]] = defaultdict(list)
    ids: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            ids.add(row["id"])
            if row.get("family"):
                marks[row["id"]].append(row)
    return marks, ids


def findings(replies: Path, ids: list[str], shipped: bool = False) -> dict[str, list[dict]]:
    """Phrase findings per reply id: of the phrase rules alone, or (`shipped`) of the default run,
    where a refusal that an alternative answers is not reported."""
    files = [str(replies / f"{i}.txt") for i in ids]
    ignore = [] if shipped else ["--ignore", "coaching"]
    cmd = [sys.executable, "-m", "phraselint", "check", "--format", "json", *ignore, "--fail-on", "never", *files]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode != 0:
        sys.exit(f"judgment: phraselint exited {out.returncode}: {out.stderr.strip()[:500]}")
    by_id: dict[str, list[dict]] = defaultdict(list)
    for r in json.loads(out.stdout)["results"]:
        if r.get("scope", "phrase") == "phrase":
            by_id[_rid(r["path"], replies)].append(r)
    return by_id


def _rid(path: str, replies: Path) -> str:
    """A reply's id: its path below the replies folder, without ".txt" ("0001", "src/0001")."""
    return str(Path(path).resolve().relative_to(replies.resolve()).with_suffix(""))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=ROOT / "tests/data/judgment/twcs_test_phrases.jsonl")
    ap.add_argument("--replies", type=Path, default=ROOT.parent / "shared/corpus/replies/twcs_dev")
    ap.add_argument("--misses", action="store_true", help="list misses and false flags (spends the test set)")
    ap.add_argument("--as-shipped", action="store_true",
                    help="the default run, coaching on: refusals an alternative answers are not reported")
    args = ap.parse_args(argv)
    if not args.replies.is_dir():
        sys.exit(f"judgment: {args.replies}: no such folder (the shared corpus is not present)")
    marks, ids = load_labels(args.labels)
    found = findings(args.replies, sorted(ids), args.as_shipped)
    stats = {f: defaultdict(int) for f in (*FAMILIES, "all")}
    misses, false_flags = [], []
    for rid in sorted(ids):
        agreed = [m for m in marks[rid] if not m.get("disputed")]
        for m in agreed:
            span = (m["start"], m["end"])
            any_hit = any(_overlaps(span, (r["offset"], r["end_offset"])) for r in found[rid])
            same = any(_overlaps(span, (r["offset"], r["end_offset"])) and r["rule"].split(".")[0] == m["family"]
                       for r in found[rid])
            for key in (m["family"], "all"):
                stats[key]["marks"] += 1
                stats[key]["found"] += any_hit
                stats[key]["same_family"] += same
            if not any_hit:
                misses.append((rid, m["family"], m["text"]))
        for r in found[rid]:
            family = r["rule"].split(".")[0]
            covered = any(_overlaps((m["start"], m["end"]), (r["offset"], r["end_offset"])) for m in marks[rid])
            for key in ((family, "all") if family in FAMILIES else ("all",)):
                stats[key]["findings"] += 1
                stats[key]["false"] += not covered
            if not covered:
                false_flags.append((rid, r["rule"], r["match"]))
    print(f"Replies labelled: {len(ids)}; agreed marks: {stats['all']['marks']}; "
          f"phrase findings: {stats['all']['findings']}\n")
    print("| family | agreed marks | found (recall) | found by its family | findings | false flags (rate) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for key in (*FAMILIES, "all"):
        s = stats[key]
        if not s["marks"] and not s["findings"]:
            continue
        recall = f"{s['found']}/{s['marks']} ({s['found'] / s['marks']:.2f})" if s["marks"] else "–"
        same = f"{s['same_family']}/{s['marks']}" if s["marks"] else "–"
        rate = f"{s['false']}/{s['findings']} ({s['false'] / s['findings']:.2f})" if s["findings"] else "–"
        name = f"**{key}**" if key == "all" else key
        print(f"| {name} | {s['marks']} | {recall} | {same} | {s['findings']} | {rate} |")
    if args.misses:
        print("\nMissed marks:")
        for rid, family, text in misses:
            print(f"  {rid} {family}: {text}")
        print("\nFalse flags:")
        for rid, rule, match in false_flags:
            print(f"  {rid} {rule}: {match!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
