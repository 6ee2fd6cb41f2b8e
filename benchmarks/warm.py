"""Warm check time per reply, in one process: phrase rules alone, with the coaching stage, and
spaCy's bare tokenizer on the same texts, as ratios of one run.

    python benchmarks/warm.py [--n 400] [--rounds 5]

Drafts of about 120 words are built as benchmarks/run.py builds them (corpus sentences, fixed
seed; its built-in sentences when there is no corpus). Each draft is checked through the internal `Linter` as the CLI
does (one reply per call); the median over rounds of each draft's time gives p50 and p95.
Nothing is asserted: the README states the numbers.
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


def per_draft(check, texts: list[str], rounds: int) -> list[float]:
    times = [[] for _ in texts]
    for _ in range(rounds):
        for i, text in enumerate(texts):
            t0 = time.perf_counter()
            check(text)
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    from phraselint import readers
    from phraselint.inputs import Source
    from phraselint.lint import Linter, Settings

    texts = drafts(args.n)
    reader = readers.reader_for("draft.txt")
    full = Linter(Settings())
    phrases = Linter(Settings(ignore=["coaching"]), engine=None)
    nlp = full.engine.nlp

    def run(linter):
        return lambda text: linter.lint_source(Source("draft.txt", text), reader)

    for check in (run(full), run(phrases), nlp.tokenizer):  # warm-up: caches, lazy imports
        for text in texts[:20]:
            check(text)
    results = {name: per_draft(check, texts, args.rounds) for name, check in
               (("tokenizer", nlp.tokenizer), ("phrase rules", run(phrases)), ("with coaching", run(full)))}
    print(f"{len(texts)} drafts of ~120 words, median of {args.rounds} rounds each\n")
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
