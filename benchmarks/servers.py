"""What benchmarks/lsp.py and benchmarks/mcp.py share: the texts, the spaCy start-up baseline,
the API's own times in the benchmark process, and percentiles. Standard library only."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import time
from pathlib import Path

from benchmarks.run import PY, make_draft, sentence_pool

BASELINE = [PY, "-c", "import spacy; spacy.blank('en')"]
STARTUP_TARGET, ROUND_TRIP_TARGET = 1.3, 10.0


def drafts(n: int) -> tuple[list[str], str]:
    """`n` drafts of ~120 words, fixed seed, and where their sentences came from."""
    pool, source = sentence_pool()
    rng = random.Random(20261206)
    return [make_draft(rng, pool) for _ in range(n)], source


def baseline_run() -> float:
    """Seconds for one fresh `import spacy; spacy.blank('en')` process, spawn to exit."""
    t0 = time.perf_counter()
    subprocess.run(BASELINE, check=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - t0


def api_times(texts: list[str]) -> list[float]:
    """Seconds per `Checker().check` in this process, after 20 untimed checks."""
    from phraselint import Checker

    checker = Checker()
    for text in texts[:20]:
        checker.check(text)
    times = []
    for text in texts:
        t0 = time.perf_counter()
        checker.check(text)
        times.append(time.perf_counter() - t0)
    return times


def summary(times: list[float]) -> dict:
    return {"median": statistics.median(times), "runs": [round(t, 4) for t in times]}


def percentiles(times: list[float]) -> dict:
    q = statistics.quantiles(times, n=100)
    return {"p50": q[49], "p95": q[94], "n": len(times)}


def table(rows: list[tuple[str, str, str, float, str]], server: str) -> str:
    """A Markdown table of (measure, server's number, baseline, ratio, target) rows."""
    lines = [f"| measure | {server} | baseline | ratio | target |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {r:.2f}× | {t} |" for a, b, c, r, t in rows]
    return "\n".join(lines)


def results_table(res: dict, server: str, first: str, first_label: str, trip_label: str) -> str:
    """The start-up and round-trip rows of a server's results. `first`: the key of the time to
    its first answer (`first_result_s`, …)."""
    s, rt, api = res["start_up"], res["round_trip"], res["api"]
    base = s["spacy_blank_s"]["median"]
    rows = [
        ("start-up: spawn → `initialize` result", f"{s['initialize_s']['median']:.2f} s",
         f"spaCy blank {base:.2f} s", s["initialize_s"]["median"] / base, f"≤ {STARTUP_TARGET}×"),
        (f"start-up: spawn → {first_label}", f"{s[first]['median']:.2f} s",
         f"spaCy blank {base:.2f} s", s[first]["median"] / base, f"≤ {STARTUP_TARGET}×"),
        (f"{trip_label} p50", f"{rt['p50'] * 1000:.2f} ms", f"API p50 {api['p50'] * 1000:.2f} ms",
         rt["p50"] / api["p50"], ""),
        (f"{trip_label} p95", f"{rt['p95'] * 1000:.2f} ms", f"API p95 {api['p95'] * 1000:.2f} ms",
         rt["p95"] / api["p95"], f"≤ {ROUND_TRIP_TARGET:g}×"),
    ]
    return table(rows, server)


def finish(res: dict, first: str, fingerprint: str, now: str, out: Path) -> None:
    """Ratios and targets into `res`, a warning when the code changed during the run (`now`:
    its fingerprint at the end), and `res` written to `out`."""
    base = res["start_up"]["spacy_blank_s"]["median"]
    res["ratios"] = {"initialize_vs_spacy": res["start_up"]["initialize_s"]["median"] / base,
                     f"{first}_vs_spacy": res["start_up"][first]["median"] / base,
                     "round_trip_p50_vs_api": res["round_trip"]["p50"] / res["api"]["p50"],
                     "round_trip_p95_vs_api": res["round_trip"]["p95"] / res["api"]["p95"]}
    res["targets"] = {"start_up_vs_spacy": STARTUP_TARGET, "round_trip_p95_vs_api": ROUND_TRIP_TARGET}
    if now != fingerprint:
        res["warning"] = "phraselint's code changed during the run: run it again"
    out.write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")


def report(res: dict, heading: str, server: str, first: str, first_label: str, trip_label: str, out: Path) -> None:
    """Print the run's heading, its results table and any warning, and say where `res` went."""
    print(heading + "\n")
    print(results_table(res, server, first, first_label, trip_label))
    if "warning" in res:
        print(f"\nWARNING: {res['warning']}")
    print(f"\nwritten to {out}")


def prepare(server: str, n_texts: int) -> tuple[Path, list[str], str, dict]:
    """A server benchmark's set-up: its working folder (no config in it: the defaults, as
    `Checker()` has them), compiled bytecode, `n_texts` drafts and the results' header."""
    from benchmarks.run import WORK, code_fingerprint, compile_phraselint, versions

    cwd = WORK / f"{server}-cwd"
    cwd.mkdir(parents=True, exist_ok=True)
    compile_phraselint()
    texts, source = drafts(n_texts)
    res = {"code": code_fingerprint(), "versions": versions(),
           "drafts": {"n": len(texts), "source": source,
                      "median_words": statistics.median(len(t.split()) for t in texts)},
           "load_average": os.getloadavg()}
    return cwd, texts, source, res
