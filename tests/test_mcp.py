"""The MCP server (`phraselint mcp`), driven by the MCP SDK's own stdio client: a real server
process, spawned as an agent's client spawns it, shared by the module's tests.

Every request has a timeout (TIMEOUT), so a hung server fails the test instead of hanging it.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

pytest.importorskip("mcp")

from mcp import Client, StdioServerParameters  # noqa: E402
from mcp.client.stdio import stdio_client  # noqa: E402

import phraselint  # noqa: E402
from phraselint import Checker  # noqa: E402
from phraselint.servers import mcp_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: Seconds any one request may take, start-up (spaCy) included.
TIMEOUT = 60
TOOLS = {"check_reply", "fix_reply", "explain_rule", "check_library"}
REFUSAL = "We can't refund it."
DRAFT = "Hi Sam,\n\nWe can't refund this order. You have to call your bank.\n"
COMPLAINT = "I'm furious, my parcel never arrived and I want my money back!"

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def anyio_backend():
    return "asyncio"


def connect(cwd: Path, errlog, *args: str) -> Client:
    """A client for `python -m phraselint mcp ARGS` run in `cwd` (the source under test first
    on its path), its stderr to the file `errlog`."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "phraselint", "mcp", *args],
                                   cwd=str(cwd), env={"PYTHONPATH": str(ROOT)})
    return Client(stdio_client(params, errlog=errlog), mode="legacy", read_timeout_seconds=TIMEOUT)


@asynccontextmanager
async def serving(cwd: Path, *args: str):
    """A client connected to `phraselint mcp ARGS` in `cwd`, the server's stderr in
    `cwd/server-stderr.log`. A server that does not start fails the test with its stderr."""
    log = cwd / "server-stderr.log"
    with open(log, "w", encoding="utf-8") as errlog:
        started = False
        try:
            async with connect(cwd, errlog, *args) as client:
                started = True
                yield client
        except Exception as exc:
            if started:
                raise
            pytest.fail(f"phraselint mcp did not start ({exc!r}); its stderr:\n{log.read_text()}")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """The server's working folder: no config in it (defaults, as `Checker()`)."""
    return tmp_path_factory.mktemp("mcp-server")


@pytest.fixture(scope="module")
async def client(anyio_backend, workdir):
    async with serving(workdir) as c:
        yield c


@pytest.fixture(scope="module")
def api():
    return Checker()


async def call(client, tool: str, arguments: dict) -> dict:
    """A successful call's structured result (its text content is the same JSON)."""
    result = await client.call_tool(tool, arguments)
    text = result.content[0].text if result.content else ""
    assert not result.is_error, text
    assert json.loads(text) == result.structured_content or tool == "explain_rule"
    return result.structured_content


async def error_of(client, tool: str, arguments: dict) -> str:
    """A failed call's one-line message."""
    result = await client.call_tool(tool, arguments)
    assert result.is_error, result.structured_content
    (content,) = result.content
    assert "\n" not in content.text
    return content.text


def api_findings(findings) -> list[dict]:
    """The API's findings in the MCP tools' shape."""
    keys = ("rule", "severity", "message", "offset", "end_offset", "match", "suggestions", "fix", "scope", "reason")
    return [{k: f.to_dict()[k] for k in keys} for f in findings]


# ------------------------------------------------------------------ handshake and listing

async def test_initialize_names_the_server_and_its_tools(client):
    init = client.session.initialize_result
    assert init.server_info.name == "phraselint"
    assert init.server_info.version == phraselint.__version__
    assert init.capabilities.tools is not None
    assert "check_reply" in init.instructions


async def test_lists_four_tools_with_input_and_output_schemas(client):
    tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert len(tool.description) > 80 and "\n" not in tool.description, tool.name  # for an agent
        assert tool.input_schema["type"] == "object" and tool.input_schema["properties"]
        assert tool.output_schema["type"] == "object" and tool.output_schema["properties"]
        assert tool.annotations.read_only_hint is True
    assert tools["check_reply"].input_schema["required"] == ["text"]
    assert set(tools["check_reply"].input_schema["properties"]) == {"text", "incoming"}
    assert set(tools["check_reply"].output_schema["properties"]) == {"findings", "score", "checks"}
    assert set(tools["fix_reply"].output_schema["properties"]) == {"text", "edits", "applied", "remaining"}
    assert tools["explain_rule"].input_schema["required"] == ["id"]
    assert tools["check_library"].input_schema["required"] == ["path"]
    assert {"summary", "findings", "findings_omitted", "scores", "errors"} <= \
        set(tools["check_library"].output_schema["properties"])


# ------------------------------------------------------------------ the tools

async def test_check_reply_finds_a_flat_refusal(client):
    result = await call(client, "check_reply", {"text": REFUSAL})
    first = result["findings"][0]
    assert (first["rule"], first["offset"], first["end_offset"], first["match"]) == ("refusal.cant", 0, 8, "We can't")
    assert first["severity"] == "warning" and first["scope"] == "phrase" and first["fix"] is None
    assert "What I can do is …" in first["suggestions"]
    assert isinstance(result["score"], int) and 0 <= result["score"] <= 100
    assert result["checks"]["coaching.alternative"] is False


@pytest.mark.parametrize("incoming", [None, COMPLAINT])
async def test_check_reply_gives_what_the_api_gives(client, api, incoming):
    for text in (REFUSAL, DRAFT, "Sorry 'bout that! Obviously, you need to restart.", "Hi Sam, I've reset it.", ""):
        arguments = {"text": text} if incoming is None else {"text": text, "incoming": incoming}
        result = await call(client, "check_reply", arguments)
        expected = api.check(text, incoming)
        assert result["findings"] == api_findings(expected.findings)
        assert (result["score"], result["checks"]) == (expected.score, expected.checks)


async def test_check_reply_passes_the_customers_message_on(client):
    text = "Hi Sam, your tracking number is 48213."
    alone = await call(client, "check_reply", {"text": text})
    answering = await call(client, "check_reply", {"text": text, "incoming": COMPLAINT})
    assert alone["checks"] != answering["checks"]


async def test_fix_reply_applies_the_safe_fix(client):
    result = await call(client, "fix_reply", {"text": "Sorry 'bout that!"})
    assert result == {"text": "I apologize for that!", "applied": 1, "remaining": [],
                      "edits": [{"offset": 0, "end_offset": 11, "replacement": "I apologize for"}]}


async def test_fix_reply_leaves_review_rewrites_unless_unsafe(client):
    text = "You have to restart the app."
    safe = await call(client, "fix_reply", {"text": text})
    assert (safe["text"], safe["applied"], safe["edits"]) == (text, 0, [])
    assert [(f["rule"], f["match"]) for f in safe["remaining"]] == [("burden.have_to", "You have to")]
    unsafe = await call(client, "fix_reply", {"text": text, "unsafe": True})
    assert unsafe["text"] == "Could you please restart the app?" and unsafe["applied"] == 1


async def test_explain_rule_gives_the_rules_documentation(client, api):
    result = await client.call_tool("explain_rule", {"id": "refusal.cant"})
    assert not result.is_error
    text = result.content[0].text
    assert text.startswith("refusal.cant") and "flat refusal" in text
    assert text == api.explain("refusal.cant") == result.structured_content["result"]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """A folder of saved replies: a macro library, a draft, a JSON file that is no library
    (skipped, with a note), and a broken one in a subfolder."""
    folder = tmp_path_factory.mktemp("library")
    (folder / "macros.json").write_text('[{"name": "Refund", "text": "We can\'t refund."},\n'
                                        ' {"name": "Sorry", "text": "Sorry \'bout that, Sam."}]')
    (folder / "draft.txt").write_text("You have to call your bank.\n")
    (folder / "numbers.json").write_text("[1, 2, 3]")
    (folder / "sub").mkdir()
    (folder / "sub" / "broken.json").write_text('{"macros": ')
    return folder


async def test_check_library_lints_a_folder(client, api, library, workdir):
    result = await call(client, "check_library", {"path": str(library)})
    report = api.check_paths([library])
    assert result["summary"] == report.summary()
    assert result["summary"]["files"] == 3 and result["summary"]["by_severity"]["error"] == 1
    found = [(f["path"], f["rule"], f["offset"], f["reply"]) for f in result["findings"]]
    assert sorted(found) == sorted((f.path, f.rule, f.offset, f.reply) for f in report.findings)
    first = result["findings"][0]  # the most severe first
    assert (first["rule"], first["reply"], first["match"], first["line"]) == \
        ("apology.flippant", "Sorry", "Sorry 'bout", 2)
    assert [f["severity"] for f in result["findings"]] == \
        sorted((f["severity"] for f in result["findings"]), key=("error", "warning", "suggestion").index)
    scores = [s["score"] for s in result["scores"]]
    assert scores == sorted(scores) and len(scores) == 3
    assert result["findings_omitted"] == result["scores_omitted"] == result["errors_omitted"] == 0
    assert result["errors"] == [f"{library / 'sub' / 'broken.json'}:1: invalid JSON: Expecting value"]
    # notes go to stderr, never to stdout (the transport, which the calls above read fine)
    assert "numbers.json:1: not a reply library" in (workdir / "server-stderr.log").read_text()


async def test_check_library_caps_its_output(client, tmp_path):
    for i in range(60):  # 60 drafts of 4 findings each (a burden, three reply checks): more than either cap
        (tmp_path / f"draft{i:02}.txt").write_text("You have to call your bank.\n")
    result = await call(client, "check_library", {"path": str(tmp_path)})
    assert result["summary"]["findings"] == 240
    assert len(result["findings"]) == mcp_server.MAX_FINDINGS
    assert result["findings_omitted"] == 240 - mcp_server.MAX_FINDINGS
    assert [f["rule"] for f in result["findings"][:60]] == ["burden.have_to"] * 60  # warnings first
    assert len(result["scores"]) == mcp_server.MAX_SCORES and result["scores_omitted"] == 60 - mcp_server.MAX_SCORES


async def test_check_library_reads_a_relative_path_from_the_servers_folder(client, workdir):
    (workdir / "reply.txt").write_text(REFUSAL + "\n")
    result = await call(client, "check_library", {"path": "reply.txt"})
    assert result["findings"][0]["rule"] == "refusal.cant" and result["findings"][0]["path"] == "reply.txt"


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize(("tool", "arguments", "message"), [
    ("check_reply", {}, "invalid arguments: text: Field required"),
    ("check_reply", {"text": 5}, "invalid arguments: text: Input should be a valid string"),
    ("check_reply", {"text": ["We can't"]}, "invalid arguments: text: Input should be a valid string"),
    ("check_reply", {"text": "x", "incoming": 3}, "invalid arguments: incoming"),
    ("check_reply", {"text": "x" * (mcp_server.MAX_TEXT + 1)}, "text: String should have at most 200000 characters"),
    ("fix_reply", {"text": "x", "unsafe": "perhaps"}, "invalid arguments: unsafe: Input should be a valid boolean"),
    ("explain_rule", {"id": "refusal.cnt"}, "unknown rule 'refusal.cnt' (did you mean 'refusal.cant'?)"),
    ("explain_rule", {"id": "no.such.rule"}, "unknown rule 'no.such.rule'"),
    ("check_library", {"path": "/no/such/folder"}, "/no/such/folder: no such file or folder"),
    ("check_library", {"path": "-"}, "'-' (stdin) is not available here"),
    ("check_library", {"path": "~nosuchuser9/x"}, "~nosuchuser9/x: no such user's home folder"),
    ("check_library", {"path": "a" * 4000}, "(4,000 characters): File name too long"),
    ("check_library", {"path": ""}, "invalid arguments: path: String should have at least 1 character"),
    ("check_library", {"path": "LIB/sub/broken.json"}, "broken.json:1: invalid JSON: Expecting value"),
    ("check_library", {"path": "LIB/numbers.json"}, "numbers.json:1: not a reply library"),
    ("no_such_tool", {}, "Unknown tool: no_such_tool"),
])
async def test_a_bad_call_is_a_tool_error_and_the_server_keeps_serving(client, library, tool, arguments, message):
    arguments = {k: v.replace("LIB", str(library)) if isinstance(v, str) else v for k, v in arguments.items()}
    assert message in await error_of(client, tool, arguments)
    after = await call(client, "check_reply", {"text": REFUSAL})
    assert after["findings"][0]["rule"] == "refusal.cant"


async def test_the_config_comes_from_the_servers_folder_and_the_command_line(anyio_backend, tmp_path):
    (tmp_path / "phraselint.yaml").write_text("ignore: [burden]\n")
    async with serving(tmp_path, "--select", "refusal,burden") as client:
        result = await call(client, "check_reply", {"text": DRAFT})
    # --select leaves coaching out; the config's ignore leaves burden.have_to out
    assert [f["rule"] for f in result["findings"]] == ["refusal.cant"]


async def test_a_bad_config_is_each_tools_error(anyio_backend, tmp_path):
    (tmp_path / "broken.yaml").write_text("selekt: [refusal]\n")
    async with serving(tmp_path, "--config", "broken.yaml") as client:
        assert {t.name for t in (await client.list_tools()).tools} == TOOLS  # serving all the same
        message = await error_of(client, "check_reply", {"text": REFUSAL})
    assert "phraselint could not start: " in message
    assert message.endswith("broken.yaml:1: unknown config key 'selekt' (did you mean 'select'?)")


class Exploding(Checker):
    """A real Checker whose check fails as a bug would."""

    def check(self, *args, **kwargs):
        raise RuntimeError("boom")


async def test_an_unexpected_exception_is_a_tool_error_and_logged(anyio_backend, caplog):
    server = mcp_server.build_server(mcp_server.WarmChecker(Exploding))  # in-process: the real SDK server
    async with Client(server, read_timeout_seconds=TIMEOUT) as client:
        message = await error_of(client, "check_reply", {"text": REFUSAL})
        assert "internal error: RuntimeError: boom" in message
        explained = await client.call_tool("explain_rule", {"id": "refusal.cant"})
        assert not explained.is_error  # still serving
    (record,) = [r for r in caplog.records if r.name == "phraselint.mcp" and r.exc_info]
    assert "check_reply" in record.getMessage()


def test_odd_text_and_a_client_that_leaves_mid_request(tmp_path):
    """Raw protocol lines, as a careless client sends them: a lone surrogate is checked, not
    fatal; then the client closes stdin while a call is in flight, and the server exits at once,
    quietly (no traceback, no hang)."""
    import subprocess

    server = subprocess.Popen([sys.executable, "-m", "phraselint", "mcp"], cwd=tmp_path, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**__import__("os").environ,
                                                                                    "PYTHONPATH": str(ROOT)})

    def send(message: dict) -> None:
        server.stdin.write((json.dumps(message) + "\n").encode())
        server.stdin.flush()

    def call(n: int, text: str) -> dict:
        return {"jsonrpc": "2.0", "id": n, "method": "tools/call",
                "params": {"name": "check_reply", "arguments": {"text": text}}}

    try:
        send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "careless", "version": "1"}}})
        assert json.loads(server.stdout.readline())["id"] == 1
        send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        send(call(2, "We can't \ud800 refund it."))
        answer = json.loads(server.stdout.readline())
        assert answer["id"] == 2 and not answer["result"].get("isError")
        assert [f["rule"] for f in answer["result"]["structuredContent"]["findings"]
                if f["scope"] == "phrase"] == ["refusal.cant"]
        send(call(3, "We can't refund it. " * 5000))
        server.stdin.close()  # gone, mid-request
        assert server.wait(timeout=TIMEOUT) == 0
        assert b"Traceback" not in server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_an_endless_line_closes_the_server(tmp_path):
    """stdin that never ends a line (`/dev/zero`, a client gone wrong) is no message: the server
    says so on one line and exits, instead of reading until memory runs out."""
    import subprocess

    with open("/dev/zero", "rb") as zeros:
        server = subprocess.Popen([sys.executable, "-m", "phraselint", "mcp"], cwd=tmp_path, stdin=zeros,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert server.wait(timeout=TIMEOUT) in (0, 1)
        errors = server.stderr.read().decode()
        assert "over 64 MB long: closing" in errors and "Traceback" not in errors
    finally:
        server.kill()
