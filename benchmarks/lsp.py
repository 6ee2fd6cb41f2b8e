"""The language server's speed: `python benchmarks/lsp.py [--servers 5] [--changes 200]`.

Standard library and pygls's own client (with phraselint's API for the in-process comparison).
Measures, in one run:

1. start-up, over `--servers` fresh `phraselint lsp` processes (median, after one untimed
   warm-up): spawn to the `initialize` result, and spawn to the first `publishDiagnostics` of a
   small document opened right after `initialized`; beside it, `python -c "import spacy;
   spacy.blank('en')"` spawn to exit, runs interleaved with the servers';
2. the diagnostics round trip of a one-character change: `didChange` (full text, as the server
   asks) to the `publishDiagnostics` of that version, p50/p95 over `--changes` changes spread
   over ~120-word drafts (built as benchmarks/run.py builds them), one warm server, one change
   at a time;
3. the API's own p50/p95 (`Checker().check`, coaching on) on the same texts in this process.

Prints a Markdown table with the ratios and targets (start-up <= 1.3x the spaCy baseline;
round trip p95 <= 10x the API's p95) and writes benchmarks/.work/lsp.json. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import string
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import WORK, code_fingerprint, phraselint_cmd  # noqa: E402
from benchmarks.servers import api_times, baseline_run, finish, percentiles, prepare, report, summary  # noqa: E402

CHANGES_PER_DRAFT = 10
TIMEOUT = 120




def one_char_change(rng: random.Random, text: str) -> str:
    """A keystroke: a letter typed, or one deleted, somewhere in the text."""
    at = rng.randrange(len(text))
    return text[:at] + rng.choice(string.ascii_lowercase) + text[at:] if rng.random() < 0.5 else \
        text[:at] + text[at + 1:]


class Session:
    """A pygls client on a fresh `phraselint lsp` in `cwd` (this checkout's code first on its
    path); each publishDiagnostics resolves the waiter for its (uri, version), with its time."""

    def __init__(self, cwd: Path):
        self.cwd = cwd
        self.waiters: dict[tuple[str, int], asyncio.Future] = {}

    async def start(self):
        from lsprotocol import types as lsp
        from pygls.lsp.client import LanguageClient

        self.lsp, self.client = lsp, LanguageClient("phraselint-benchmark", "1")
        self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(lambda params: self._published(params))
        self.stderr = open(WORK / "lsp-server-stderr.txt", "ab")  # noqa: SIM115 (closed in stop())
        await self.client.start_io(*phraselint_cmd(), "lsp", cwd=str(self.cwd),
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        self.drain = asyncio.ensure_future(self._drain())
        return self

    async def _drain(self) -> None:
        """Copy the server's stderr to .work/lsp-server-stderr.txt (a full pipe would block it)."""
        while chunk := await self.client._server.stderr.read(65536):
            self.stderr.write(chunk)

    def _published(self, params) -> None:
        waiter = self.waiters.pop((params.uri, params.version), None)
        if waiter is not None and not waiter.done():
            waiter.set_result(time.perf_counter())

    async def initialize(self) -> None:
        lsp = self.lsp
        await self.client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(), process_id=os.getpid(),
            workspace_folders=[lsp.WorkspaceFolder(uri=self.cwd.as_uri(), name=self.cwd.name)]))
        self.client.initialized(lsp.InitializedParams())

    def _expect(self, uri: str, version: int) -> asyncio.Future:
        self.waiters[(uri, version)] = waiter = asyncio.get_running_loop().create_future()
        return waiter

    async def open(self, uri: str, text: str) -> float:
        """didOpen; the time its diagnostics arrive."""
        waiter = self._expect(uri, 1)
        self.client.text_document_did_open(self.lsp.DidOpenTextDocumentParams(
            self.lsp.TextDocumentItem(uri=uri, language_id="plaintext", version=1, text=text)))
        return await asyncio.wait_for(waiter, TIMEOUT)

    async def change(self, uri: str, text: str, version: int) -> float:
        """didChange; seconds until the diagnostics of that version arrive."""
        lsp, waiter = self.lsp, self._expect(uri, version)
        t0 = time.perf_counter()
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [lsp.TextDocumentContentChangeWholeDocument(text=text)]))
        return await asyncio.wait_for(waiter, TIMEOUT) - t0

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(self.lsp.DidCloseTextDocumentParams(self.lsp.TextDocumentIdentifier(uri)))

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)
        await self.drain
        self.stderr.close()


async def one_start(cwd: Path, draft: str) -> tuple[float, float]:
    """One fresh server: seconds from spawn to the initialize result, and to first diagnostics."""
    t0 = time.perf_counter()
    session = await Session(cwd).start()
    await session.initialize()
    initialized = time.perf_counter() - t0
    first = await session.open((cwd / "first.txt").as_uri(), draft) - t0
    await session.stop()
    return initialized, first




def start_up(cwd: Path, draft: str, runs: int) -> dict:
    """Interleaved fresh servers and baseline processes, after one untimed warm-up of each."""
    asyncio.run(one_start(cwd, draft))
    baseline_run()
    inits, firsts, base = [], [], []
    for i in range(runs):
        for step in (("server", "baseline") if i % 2 == 0 else ("baseline", "server")):
            if step == "server":
                initialized, first = asyncio.run(one_start(cwd, draft))
                inits.append(initialized)
                firsts.append(first)
            else:
                base.append(baseline_run())
    return {"initialize_s": summary(inits), "first_diagnostics_s": summary(firsts), "spacy_blank_s": summary(base)}


def round_trips(cwd: Path, texts: list[str], changes: int) -> tuple[list[float], list[str]]:
    """Seconds per one-character change, one warm server, one change at a time (the next is
    sent when the last one's diagnostics came), after 20 untimed changes; and every text sent."""
    rng = random.Random(7)

    async def main() -> tuple[list[float], list[str]]:
        session = await Session(cwd).start()
        await session.initialize()
        times, sent = [], []
        for i, draft in enumerate(texts):
            uri, text = (cwd / f"draft-{i}.txt").as_uri(), draft
            await session.open(uri, text)
            for version in range(2, 2 + CHANGES_PER_DRAFT):
                text = one_char_change(rng, text)
                seconds = await session.change(uri, text, version)
                if i >= 2:  # the first two drafts' changes warm up
                    times.append(seconds)
                    sent.append(text)
            session.close(uri)
            if len(times) >= changes:
                break
        await session.stop()
        return times, sent

    return asyncio.run(main())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--servers", type=int, default=5, help="fresh servers for the start-up medians")
    ap.add_argument("--changes", type=int, default=200, help="one-character changes for the round-trip percentiles")
    args = ap.parse_args()

    cwd, texts, source, res = prepare("lsp", 2 + -(-args.changes // CHANGES_PER_DRAFT))
    fingerprint = res["code"]
    res["start_up"] = start_up(cwd, texts[0], args.servers)
    times, sent = round_trips(cwd, texts, args.changes)
    res["round_trip"] = percentiles(times)
    res["api"] = percentiles(api_times(sent))
    finish(res, "first_diagnostics_s", fingerprint, code_fingerprint(), WORK / "lsp.json")
    report(res, f"phraselint lsp, code {fingerprint}; {len(times)} one-character changes on ~120-word drafts "
                f"({source}); start-up: median of {args.servers} fresh servers; "
                f"load average {res['load_average'][0]:.2f}",
           "phraselint lsp", "first_diagnostics_s", "first diagnostics", "one-character change → diagnostics",
           WORK / "lsp.json")

if __name__ == "__main__":
    main()
