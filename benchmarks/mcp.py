"""The MCP server's speed: `python benchmarks/mcp.py [--servers 5] [--calls 200]`.

Standard library and the MCP SDK's own client (with phraselint's API for the in-process
comparison). Measures, in one run:

1. start-up, over `--servers` fresh `phraselint mcp` processes (median, after one untimed
   warm-up): spawn to the `initialize` result, and spawn to the first `check_reply` result (the
   client lists the tools before that call, as it validates the result against the tool's
   output schema); beside it, `python -c "import spacy; spacy.blank('en')"` spawn to exit,
   runs interleaved with the servers';
2. `check_reply` round trip over stdio, p50/p95 over `--calls` calls on ~120-word drafts (built
   as benchmarks/run.py builds them), one warm server;
3. the API's own p50/p95 on the same drafts in this process (`Checker().check`, coaching on).

Prints a Markdown table with the ratios and targets (start-up <= 1.3x the spaCy baseline;
round trip p95 <= 10x the API's p95) and writes benchmarks/.work/mcp.json. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is named mcp.py: with its folder on the path, `import mcp` would find it, not the SDK.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from benchmarks.run import PY, WORK, code_fingerprint, compile_phraselint, make_draft, phraselint_cmd, \
    sentence_pool, versions  # noqa: E402

BASELINE = [PY, "-c", "import spacy; spacy.blank('en')"]
STARTUP_TARGET, ROUND_TRIP_TARGET = 1.3, 10.0


def drafts(n: int) -> tuple[list[str], str]:
    """`n` drafts of ~120 words, fixed seed, and where their sentences came from."""
    pool, source = sentence_pool()
    rng = random.Random(20261206)
    return [make_draft(rng, pool) for _ in range(n)], source


@asynccontextmanager
async def serving(cwd: Path):
    """An MCP SDK client connected to a fresh `phraselint mcp` in `cwd` (this checkout's code
    first on its path); the server's stderr goes to .work/mcp-server-stderr.txt."""
    from mcp import Client, StdioServerParameters
    from mcp.client.stdio import stdio_client

    command = phraselint_cmd()
    params = StdioServerParameters(command=command[0], args=[*command[1:], "mcp"], cwd=str(cwd),
                                   env={"PYTHONPATH": str(ROOT)})
    with open(WORK / "mcp-server-stderr.txt", "a", encoding="utf-8") as errlog:
        async with Client(stdio_client(params, errlog=errlog), mode="legacy", read_timeout_seconds=120) as c:
            yield c


async def one_start(cwd: Path, draft: str) -> tuple[float, float]:
    """One fresh server: seconds from spawn to the initialize result, and to the first result."""
    t0 = time.perf_counter()
    async with serving(cwd) as c:
        initialized = time.perf_counter() - t0
        result = await c.call_tool("check_reply", {"text": draft})
        first = time.perf_counter() - t0
        if result.is_error:
            raise SystemExit(f"check_reply failed: {result.content[0].text}")
    return initialized, first


def baseline_run() -> float:
    """Seconds for one fresh `import spacy; spacy.blank('en')` process, spawn to exit."""
    t0 = time.perf_counter()
    subprocess.run(BASELINE, check=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - t0


def start_up(cwd: Path, draft: str, runs: int) -> dict:
    """Interleaved fresh servers and baseline processes, after one untimed warm-up of each."""
    import anyio

    anyio.run(one_start, cwd, draft)
    baseline_run()
    inits, firsts, base = [], [], []
    for i in range(runs):
        for step in (("server", "baseline") if i % 2 == 0 else ("baseline", "server")):
            if step == "server":
                initialized, first = anyio.run(one_start, cwd, draft)
                inits.append(initialized)
                firsts.append(first)
            else:
                base.append(baseline_run())
    return {"initialize_s": summary(inits), "first_result_s": summary(firsts), "spacy_blank_s": summary(base)}


def round_trips(cwd: Path, texts: list[str]) -> list[float]:
    """Seconds per `check_reply` call, one warm server, after 20 untimed calls."""
    import anyio

    async def main() -> list[float]:
        async with serving(cwd) as c:
            for text in texts[:20]:
                await c.call_tool("check_reply", {"text": text})
            times = []
            for text in texts:
                t0 = time.perf_counter()
                result = await c.call_tool("check_reply", {"text": text})
                times.append(time.perf_counter() - t0)
                if result.is_error:
                    raise SystemExit(f"check_reply failed: {result.content[0].text}")
            return times

    return anyio.run(main)


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


def table(res: dict) -> str:
    s, rt, api = res["start_up"], res["round_trip"], res["api"]
    base = s["spacy_blank_s"]["median"]
    rows = [
        ("start-up: spawn → `initialize` result", f"{s['initialize_s']['median']:.2f} s",
         f"spaCy blank {base:.2f} s", s["initialize_s"]["median"] / base, f"≤ {STARTUP_TARGET}×"),
        ("start-up: spawn → first `check_reply` result", f"{s['first_result_s']['median']:.2f} s",
         f"spaCy blank {base:.2f} s", s["first_result_s"]["median"] / base, f"≤ {STARTUP_TARGET}×"),
        ("`check_reply` round trip p50", f"{rt['p50'] * 1000:.2f} ms", f"API p50 {api['p50'] * 1000:.2f} ms",
         rt["p50"] / api["p50"], ""),
        ("`check_reply` round trip p95", f"{rt['p95'] * 1000:.2f} ms", f"API p95 {api['p95'] * 1000:.2f} ms",
         rt["p95"] / api["p95"], f"≤ {ROUND_TRIP_TARGET:g}×"),
    ]
    lines = ["| measure | phraselint mcp | baseline | ratio | target |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {r:.2f}× | {t} |" for a, b, c, r, t in rows]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--servers", type=int, default=5, help="fresh servers for the start-up medians")
    ap.add_argument("--calls", type=int, default=200, help="check_reply calls for the round-trip percentiles")
    args = ap.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    cwd = WORK / "mcp-cwd"  # no phraselint.yaml here: the defaults, as Checker() has them
    cwd.mkdir(exist_ok=True)
    compile_phraselint()
    texts, source = drafts(args.calls)
    fingerprint = code_fingerprint()
    res = {"code": fingerprint, "versions": versions(), "drafts": {"n": len(texts), "source": source,
           "median_words": statistics.median(len(t.split()) for t in texts)},
           "load_average": os.getloadavg()}
    res["start_up"] = start_up(cwd, texts[0], args.servers)
    res["round_trip"] = percentiles(round_trips(cwd, texts))
    res["api"] = percentiles(api_times(texts))
    base = res["start_up"]["spacy_blank_s"]["median"]
    res["ratios"] = {"initialize_vs_spacy": res["start_up"]["initialize_s"]["median"] / base,
                     "first_result_vs_spacy": res["start_up"]["first_result_s"]["median"] / base,
                     "round_trip_p50_vs_api": res["round_trip"]["p50"] / res["api"]["p50"],
                     "round_trip_p95_vs_api": res["round_trip"]["p95"] / res["api"]["p95"]}
    res["targets"] = {"start_up_vs_spacy": STARTUP_TARGET, "round_trip_p95_vs_api": ROUND_TRIP_TARGET}
    if code_fingerprint() != fingerprint:
        res["warning"] = "phraselint's code changed during the run: run it again"

    (WORK / "mcp.json").write_text(json.dumps(res, indent=2, default=str), encoding="utf-8")
    print(f"phraselint mcp, code {fingerprint}; {len(texts)} drafts of ~120 words ({source}); "
          f"start-up: median of {args.servers} fresh servers; load average {res['load_average'][0]:.2f}\n")
    print(table(res))
    if "warning" in res:
        print(f"\nWARNING: {res['warning']}")
    print(f"\nwritten to {WORK / 'mcp.json'}")


if __name__ == "__main__":
    main()
