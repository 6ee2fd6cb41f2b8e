"""One engine: the same text gives the same findings through the command line (JSON), the
Python API, the language server and the MCP server. Compared on a sample of the shared corpus's
real replies (and a text with characters outside the BMP, where LSP positions count UTF-16)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest.importorskip("mcp")

import anyio  # noqa: E402

from phraselint import Checker  # noqa: E402
from tests.test_lsp import Client, Loop, offset_at  # noqa: E402
from tests.test_mcp import serving  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "replies"
SAMPLE = 40
EXTRA = "Hi 👋 Sam,\n\nWe can’t refund it 😞, you have to call the bank. Sorry 'bout that!\n"
LSP_SEVERITY = {1: "error", 2: "warning", 3: "suggestion", 4: "suggestion"}


def sample() -> dict[str, str]:
    """Every n-th corpus reply (sorted, so the same sample each run), plus EXTRA."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not here")
    paths = sorted(CORPUS.rglob("*.txt"))
    step = max(1, len(paths) // SAMPLE)
    texts = {f"r{i:03d}.txt": p.read_text(encoding="utf-8") for i, p in enumerate(paths[::step][:SAMPLE])}
    texts["extra.txt"] = EXTRA
    return texts


def via_cli(folder: Path) -> dict[str, set]:
    out = subprocess.run([sys.executable, "-m", "phraselint", "check", ".", "--format", "json"], cwd=folder,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode in (0, 1), out.stderr
    found: dict[str, set] = {}
    for r in json.loads(out.stdout)["results"]:
        found.setdefault(Path(r["path"]).name, set()).add((r["rule"], r["offset"], r["end_offset"], r["severity"], r["message"]))
    return found


def via_mcp(folder: Path, texts: dict[str, str]) -> dict[str, set]:
    async def main():
        found = {}
        async with serving(folder) as client:
            for name, text in texts.items():
                result = await client.call_tool("check_reply", {"text": text})
                assert not result.is_error, result.content
                found[name] = {(f["rule"], f["offset"], f["end_offset"], f["severity"], f["message"])
                               for f in result.structured_content["findings"]}
        return found

    return anyio.run(main)


def via_lsp(folder: Path, texts: dict[str, str]) -> dict[str, set]:
    loop = Loop()
    client = loop.run(Client(loop, folder, folders=[folder]).start())
    try:
        found = {}
        for name, text in texts.items():
            diagnostics = client.open((folder / name).as_uri(), text)
            found[name] = {(d.code, offset_at(text, d.range.start), offset_at(text, d.range.end),
                            LSP_SEVERITY[d.severity]) for d in diagnostics}
        return found
    finally:
        client.stop()


def test_cli_api_lsp_and_mcp_give_the_same_findings(tmp_path):
    texts = sample()
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    checker = Checker()
    api = {name: {(f.rule, f.offset, f.end_offset, f.severity, f.message) for f in checker.check(text, name=name).findings}
           for name, text in texts.items()}
    assert sum(map(len, api.values())) > SAMPLE // 2  # the sample has findings to compare
    cli = via_cli(tmp_path)
    mcp = via_mcp(tmp_path, texts)
    lsp = via_lsp(tmp_path, texts)
    for name in texts:
        assert cli.get(name, set()) == api[name], name
        assert mcp[name] == api[name], name
        assert lsp[name] == {f[:4] for f in api[name]}, name  # the LSP message may add the reason
