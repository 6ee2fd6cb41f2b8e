"""Warm check time per reply, in one process: phrase rules alone, with the coaching stage,
through the public API (`phraselint.Checker`, coaching on), and spaCy's bare tokenizer on the
same texts (a stock `spacy.blank("en")` one, and beside it the engine's own, its cache primed),
as ratios of one run.

    python benchmarks/warm.py [--n 400] [--rounds 5] [--texts replies|drafts]

Texts of about 120 words: `replies` (the default) are real corpus replies, each run on with the
replies after it in the same source until it has 120 words; `drafts` are built as
benchmarks/run.py builds them (corpus sentences, fixed seed). Without a corpus, both fall back
to run.py's built-in sentences. Each text is checked as one reply per call; the median over
rounds of each text's time gives p50 and p95. Nothing is asserted: the README states the numbers.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def drafts(n: int) -> list[str]:
    """~120-word drafts of corpus sentences, as benchmarks/run.py builds them."""
    from benchmarks.run import make_draft, sentence_pool

    pool, _ = sentence_pool()
    rng = random.Random(20261206)
    return [make_draft(rng, pool) for _ in range(n)]


def real_replies(n: int, words: int = 120) -> list[str]:
    """Real corpus replies of about `words` words: each reply, run on with the replies after it
    in the same source folder (in path order) until it is long enough."""
    from benchmarks.run import CORPUS

    if not CORPUS.is_dir():
        return drafts(n)
    texts: list[str] = []
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        replies = [p.read_text(encoding="utf-8", errors="replace").strip() for p in sorted(folder.glob("*.txt"))]
        i = 0
        while i < len(replies):
            parts, count = [], 0
            while i < len(replies) and count < words:
                parts.append(replies[i])
                count += len(replies[i].split())
                i += 1
            if count >= words * 0.8:
                texts.append("\n\n".join(parts) + "\n")
    random.Random(20261206).shuffle(texts)
    return texts[:n]


def per_draft(checks: dict, texts: list[str], rounds: int) -> dict[str, list[float]]:
    """Each check's median time per text. The checks take turns on each text (in a rotating
    order), so that a machine that slows down mid-run slows every one of them alike: the
    ratios compare times taken moments apart. (Run one check over all the texts before the
    next, and the ratios move by ±15% with the machine; the tokenizer is also about 20% faster
    then, its own code and tables hot in the CPU's caches, as they are not inside a check.)"""
    names = list(checks)
    times = {name: [[] for _ in texts] for name in names}
    for r in range(rounds):
        for i, text in enumerate(texts):
            k = (r + i) % len(names)
            for name in names[k:] + names[:k]:
                check = checks[name]
                t0 = time.perf_counter()
                check(text)
                times[name][i].append(time.perf_counter() - t0)
    return {name: [statistics.median(t) for t in per_text] for name, per_text in times.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--texts", choices=("replies", "drafts"), default="replies")
    args = ap.parse_args()

    from phraselint import Checker, readers
    from phraselint.inputs import Source
    from phraselint.lint import Linter, Settings

    texts = real_replies(args.n) if args.texts == "replies" else drafts(args.n)
    checker = Checker()
    reader = readers.reader_for("draft.txt")
    full = Linter(Settings())
    phrases = Linter(Settings(ignore=["coaching"]), engine=None)
    import spacy

    from phraselint.primer import primed

    # The baseline: a stock tokenizer of its own. The engines' own keeps its cache full
    # (`phraselint.primer`), which spaCy's does not: it is shown beside it.
    bare = spacy.blank("en").tokenizer
    own = primed(full.engine.nlp)

    def run(linter):
        return lambda text: linter.lint_source(Source("draft.txt", text), reader)

    for check in (run(full), run(phrases), bare, own, checker.check):  # warm-up: caches, lazy imports
        for text in texts[:20]:
            check(text)
    results = per_draft({"tokenizer": bare, "tokenizer, primed": own, "phrase rules": run(phrases), "with coaching": run(full),
                         "API: Checker.check": checker.check}, texts, args.rounds)
    kind = "real replies run on to" if args.texts == "replies" else "drafts of"
    words = statistics.median(len(t.split()) for t in texts)
    print(f"{len(texts)} {kind} ~120 words (median {words:.0f}), median of {args.rounds} rounds each\n")
    print("| | p50 (ms) | p95 (ms) | p50 / tokenizer | p95 / tokenizer |")
    print("| --- | --- | --- | --- | --- |")
    base = {q: statistics.quantiles(results["tokenizer"], n=100)[q - 1] for q in (50, 95)}
    for name, times in results.items():
        q = {k: statistics.quantiles(times, n=100)[k - 1] for k in (50, 95)}
        print(f"| {name} | {q[50] * 1000:.2f} | {q[95] * 1000:.2f} | {q[50] / base[50]:.2f} | {q[95] / base[95]:.2f} |")
    p50 = {name: statistics.median(times) for name, times in results.items()}
    print(f"\ncoaching stage adds {100 * (p50['with coaching'] / p50['phrase rules'] - 1):.0f}% to the p50 check time")


if __name__ == "__main__":
    main()
