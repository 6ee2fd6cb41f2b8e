"""Coaching: phraselint's reply-level verdicts against blind coach verdicts, per check.

    python benchmarks/coaching.py [--labels tests/data/judgment/twcs_test_checks.jsonl]
                                  [--replies ../shared/corpus/replies/twcs_dev]
                                  [--incoming ../shared/corpus/incoming/twcs_dev] [--misses]

The labels file holds the verdicts two blind labellers agreed on, one JSON object per line:
`{"id", "checks": {"empathy": "holds" | "missing" | "na" | null, ...}}` (null: they disagreed;
such a verdict counts neither way). Each reply goes to phraselint with its customer's message as
`incoming`, in one JSON library, and its verdicts are read from the JSON `replies[].checks`
(True: holds, False: missing, None: does not apply).

- precision: of phraselint's "missing" verdicts on agreed replies, the share the coaches also
  call missing;
- recall: of the coaches' "missing" verdicts, the share phraselint calls missing.

Prints a Markdown table; nothing is asserted. `--misses` lists the disagreements: reading them
spends the label set.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ("empathy", "feelings_first", "apology_form", "customer_named", "ownership", "alternative", "follow_up")


def verdicts(labels: list[dict], replies: Path, incoming: Path) -> dict[str, dict[str, bool | None]]:
    """phraselint's verdicts per reply id, with each reply's incoming message."""
    library = []
    for row in labels:
        item = {"name": row["id"], "text": (replies / f"{row['id']}.txt").read_text(encoding="utf-8")}
        message = incoming / f"{row['id']}.txt"
        if message.is_file():
            item["incoming"] = message.read_text(encoding="utf-8")
        library.append(item)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "library.json"
        path.write_text(json.dumps(library), encoding="utf-8")
        out = subprocess.run([sys.executable, "-m", "phraselint", "check", str(path), "--format", "json",
                              "--fail-on", "never"], capture_output=True, text=True, cwd=ROOT, check=True)
    got = {}
    for reply in json.loads(out.stdout)["replies"]:
        got[reply["reply"]] = {rule.split(".", 1)[1]: ok for rule, ok in reply["checks"].items()}
    return got


def incoming_for(replies: Path, given: str | None) -> Path:
    """The folder of the customers' messages: `given`, else the corpus's `incoming/<name>` for
    `replies/<name>`. A written set has none: its replies must not borrow another set's messages
    by id (before this default, every written set was read with the twcs messages of the same
    file names)."""
    if given is not None:
        return Path(given)
    if replies.parent.name == "replies":
        return replies.parent.parent / "incoming" / replies.name
    return replies / "no-incoming-messages"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", default=str(ROOT / "tests/data/judgment/twcs_test_checks.jsonl"))
    ap.add_argument("--replies", default=str(ROOT.parent / "shared/corpus/replies/twcs_dev"))
    ap.add_argument("--incoming", default=None,
                    help="the customers' messages, one file per reply id (default: the corpus's incoming folder "
                         "of the same name as --replies, when it has one; else none)")
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args()
    labels = [json.loads(line) for line in Path(args.labels).read_text(encoding="utf-8").splitlines() if line.strip()]
    got = verdicts(labels, Path(args.replies), incoming_for(Path(args.replies), args.incoming))
    print(f"Replies: {len(labels)}\n")
    print("| check | coaches: missing / holds / n.a. | phraselint says missing | precision | recall |")
    print("| --- | --- | --- | --- | --- |")
    wrong = []
    for check in CHECKS:
        counts = {"missing": 0, "holds": 0, "na": 0}
        said = agreed = found = 0
        for row in labels:
            truth = row["checks"].get(check)
            if truth is None:
                continue
            counts[truth] += 1
            mine = got.get(row["id"], {}).get(check)
            if mine is False:
                said += 1
                agreed += truth == "missing"
            found += truth == "missing" and mine is False
            if (mine is False) != (truth == "missing"):
                wrong.append((check, row["id"], truth, mine))
        precision = f"{agreed}/{said} ({agreed / said:.2f})" if said else "–"
        recall = f"{found}/{counts['missing']} ({found / counts['missing']:.2f})" if counts["missing"] else "–"
        print(f"| {check} | {counts['missing']} / {counts['holds']} / {counts['na']} | {said} | {precision} | {recall} |")
    if args.misses:
        print("\nDisagreements (check, id, coaches, phraselint):")
        for check, rid, truth, mine in wrong:
            print(f"  {check} {rid}: coaches {truth}, phraselint {mine}")


if __name__ == "__main__":
    main()
