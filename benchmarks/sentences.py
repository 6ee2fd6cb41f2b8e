"""Triggers and look-alikes: the phrase rules over sentences a helper wrote blind to them.

    python benchmarks/sentences.py [--labels tests/data/judgment/written_sentences.jsonl] [-v]

Each line is `{"text", "family", "flag", "span"}`: a sentence a coach would flag (with the exact
words that carry the problem) or a look-alike one would not. Prints how many triggers some
phrase finding overlaps and how many look-alikes get any phrase finding; `-v` lists the misses.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", type=Path, default=ROOT / "tests/data/judgment/written_sentences.jsonl")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    from phraselint.engine import Engine
    from phraselint.rules import load_rules
    from phraselint.text import OffsetMap, ReplyText

    engine = Engine([r for r in load_rules() if not r.check])
    rows = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = triggers = flagged = lookalikes = 0
    for row in rows:
        text = row["text"]
        (hits,) = list(engine.lint([ReplyText(text, OffsetMap.identity(len(text)))]))
        if row["flag"]:
            at = text.find(row["span"])
            ok = any(h.start < at + len(row["span"]) and at < h.end for h in hits)
            triggers += 1
            found += ok
            if not ok and args.verbose:
                print(f"missed  {row['family']}: {text}")
        else:
            lookalikes += 1
            flagged += bool(hits)
            if hits and args.verbose:
                print(f"flagged {row['family']}: {text} -> {[h.rule.id for h in hits]}")
    print(f"triggers found: {found}/{triggers}; look-alikes flagged: {flagged}/{lookalikes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
