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
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file is named mcp.py: with its folder on the path, `import mcp` would find it, not the SDK.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from benchmarks.run import WORK, code_fingerprint, phraselint_cmd  # noqa: E402
from benchmarks.servers import api_times, baseline_run, finish, percentiles, prepare, report, summary  # noqa: E402





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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--servers", type=int, default=5, help="fresh servers for the start-up medians")
    ap.add_argument("--calls", type=int, default=200, help="check_reply calls for the round-trip percentiles")
    args = ap.parse_args()

    cwd, texts, source, res = prepare("mcp", args.calls)
    fingerprint = res["code"]
    res["start_up"] = start_up(cwd, texts[0], args.servers)
    res["round_trip"] = percentiles(round_trips(cwd, texts))
    res["api"] = percentiles(api_times(texts))
    finish(res, "first_result_s", fingerprint, code_fingerprint(), WORK / "mcp.json")
    report(res, f"phraselint mcp, code {fingerprint}; {len(texts)} drafts of ~120 words ({source}); "
                f"start-up: median of {args.servers} fresh servers; load average {res['load_average'][0]:.2f}",
           "phraselint mcp", "first_result_s", "first `check_reply` result", "`check_reply` round trip",
           WORK / "mcp.json")

if __name__ == "__main__":
    main()
