"""The language server (`phraselint lsp`), driven over stdio by pygls's own client: real server
processes, spawned as an editor spawns them. Most tests share one server; the workspace-config,
fault and disconnect tests start their own.

The client runs on an event loop in a background thread; every call waits at most TIMEOUT
seconds, so a hung server fails the test instead of hanging the run.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import re
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: Seconds any one wait may take (the first diagnostics include loading spaCy).
TIMEOUT = 60
SERVER = ("-m", "phraselint", "lsp")
REFUSAL = "We can't refund it."
FIXABLE = "Sorry 'bout that. Obviously the refund is late."
DRAFT = "Hi Sam,\n\nWe can't refund this order. You have to call your bank.\n"
COACHING = ["coaching.customer_named", "coaching.empathy", "coaching.ownership"]

#: A server whose checks fail on any text containing "BOOM": a bug inside a check, injected into
#: the real server process (the client and the protocol stay real).
FAULTY_SERVER = ("-c", """
import sys
import phraselint.api as api
real_check = api.Checker.check
def check(self, text, *args, **kwargs):
    if "BOOM" in text:
        raise RuntimeError("injected fault")
    return real_check(self, text, *args, **kwargs)
api.Checker.check = check
sys.argv = ["phraselint", "lsp"]
from phraselint.cli import main
main()
""")


# ------------------------------------------------------------------ the client harness

class Loop:
    """An asyncio loop in a daemon thread; `run(coro)` waits at most TIMEOUT for the result."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()

    def run(self, coro, timeout: float = TIMEOUT):
        return asyncio.run_coroutine_threadsafe(asyncio.wait_for(coro, timeout), self.loop).result(timeout + 5)


class Client:
    """A pygls LanguageClient talking to one server process, recording what the server sends."""

    def __init__(self, loop: Loop, cwd: Path, args=SERVER, encodings=None, folders=()):
        self.loop, self.cwd, self.args = loop, cwd, args
        self.encodings, self.folders = encodings, [Path(f) for f in folders]
        self.published: list[lsp.PublishDiagnosticsParams] = []
        self.shown: list[lsp.ShowMessageParams] = []
        self.logged: list[lsp.LogMessageParams] = []
        self.registered: list[lsp.RegistrationParams] = []
        self.stderr = bytearray()
        self.result = None

    async def start(self) -> Client:
        self.changed = asyncio.Event()
        self.lc = lc = LanguageClient("phraselint-tests", "1")
        lc.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)(lambda params: self._record(self.published, params))
        lc.feature(lsp.WINDOW_SHOW_MESSAGE)(lambda params: self._record(self.shown, params))
        lc.feature(lsp.WINDOW_LOG_MESSAGE)(lambda params: self._record(self.logged, params))
        lc.feature(lsp.CLIENT_REGISTER_CAPABILITY)(lambda params: self._record(self.registered, params))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        await lc.start_io(sys.executable, *self.args, cwd=str(self.cwd), env=env)
        self.drain = asyncio.ensure_future(self._drain_stderr())
        general = lsp.GeneralClientCapabilities(position_encodings=self.encodings) if self.encodings else None
        watching = lsp.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
        caps = lsp.ClientCapabilities(general=general, workspace=lsp.WorkspaceClientCapabilities(
            did_change_watched_files=watching))
        self.result = await lc.initialize_async(lsp.InitializeParams(
            capabilities=caps, process_id=os.getpid(),
            workspace_folders=[lsp.WorkspaceFolder(uri=f.as_uri(), name=f.name) for f in self.folders] or None))
        lc.initialized(lsp.InitializedParams())
        return self

    def _record(self, into: list, params) -> None:
        into.append(params)
        self.changed.set()

    async def _drain_stderr(self) -> None:
        """Read the server's stderr as it comes, so that a chatty server can never block on it."""
        while chunk := await self.lc._server.stderr.read(65536):
            self.stderr += chunk

    async def until(self, predicate):
        """Wait until `predicate()` holds (it is checked on each message from the server)."""
        while not (found := predicate()):
            self.changed.clear()
            await self.changed.wait()
        return found

    # -- documents ---------------------------------------------------------------------

    def open(self, uri: str, text: str, language_id: str = "plaintext", version: int = 1) -> list[lsp.Diagnostic]:
        async def go():
            self.lc.text_document_did_open(lsp.DidOpenTextDocumentParams(
                lsp.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)))
            return await self.until(lambda: self.diagnostics_for(uri, version))
        return list(self.loop.run(go()).diagnostics)

    def change(self, uri: str, text: str, version: int) -> list[lsp.Diagnostic]:
        async def go():
            self.lc.text_document_did_change(lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [lsp.TextDocumentContentChangeWholeDocument(text=text)]))
            return await self.until(lambda: self.diagnostics_for(uri, version))
        return list(self.loop.run(go()).diagnostics)

    def diagnostics_for(self, uri: str, version: int | None = None):
        """The latest diagnostics published for `uri` (for `version`, when given)."""
        for params in reversed(self.published):
            if params.uri == uri and (version is None or params.version == version):
                return params
        return None

    def notify(self, send) -> None:
        """Send a notification (`send` calls one of the client's notification methods)."""
        async def go():
            send()
        self.loop.run(go())

    def request(self, method: str, params):
        async def go():
            return await self.lc.protocol.send_request_async(method, params)
        return self.loop.run(go())

    def code_actions(self, uri: str, start: tuple[int, int], end: tuple[int, int], only=None) -> list:
        return list(self.request(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri), lsp.Range(lsp.Position(*start), lsp.Position(*end)),
            lsp.CodeActionContext(diagnostics=[], only=only))) or [])

    def hover(self, uri: str, line: int, character: int):
        return self.request(lsp.TEXT_DOCUMENT_HOVER, lsp.HoverParams(lsp.TextDocumentIdentifier(uri),
                                                                     lsp.Position(line, character)))

    def stop(self) -> int:
        """shutdown, exit, and the server's exit code."""
        async def go():
            await self.lc.shutdown_async(None)
            self.lc.exit(None)
            await self.lc.stop()
            await self.drain
            return self.lc._server.returncode
        return self.loop.run(go())


def span(d: lsp.Diagnostic) -> tuple[int, int, int, int]:
    return d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character


def codes(diagnostics) -> list[str]:
    return sorted(str(d.code) for d in diagnostics if d.code)


def by_code(diagnostics, code: str) -> list[lsp.Diagnostic]:
    return [d for d in diagnostics if d.code == code]


@functools.lru_cache(maxsize=4)
def line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer(r"\r\n|\r|\n", text))]


def offset_at(text: str, position: lsp.Position) -> int:
    """A UTF-16 LSP position in `text` (lines end at \\n, \\r\\n, \\r) as a str index."""
    start = line_starts(text)[position.line]
    units = text[start:start + position.character].encode("utf-16-le", "surrogatepass")[:2 * position.character]
    return start + len(units.decode("utf-16-le", "surrogatepass"))


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """What an editor does with a code action's edits (all made against the same text)."""
    spans = sorted(((offset_at(text, e.range.start), offset_at(text, e.range.end), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


@pytest.fixture(scope="module")
def loop():
    return Loop()


@pytest.fixture(scope="module")
def server(loop, tmp_path_factory):
    """The shared server: no config anywhere, a workspace folder of its own."""
    work = tmp_path_factory.mktemp("lsp-shared")
    client = loop.run(Client(loop, work, folders=[work]).start())
    client.work = work
    yield client
    if not client.lc.stopped:
        client.stop()


def uri_of(client: Client, name: str) -> str:
    return (client.work / name).as_uri()


# ------------------------------------------------------------------ tests

def test_initialize_announces_full_sync_quick_fixes_and_hover(server):
    caps = server.result.capabilities
    assert server.result.server_info.name == "phraselint"
    assert caps.text_document_sync.change == lsp.TextDocumentSyncKind.Full
    assert caps.position_encoding == lsp.PositionEncodingKind.Utf16
    assert {"quickfix", "source.fixAll", "source.fixAll.phraselint"} <= set(caps.code_action_provider.code_action_kinds)
    assert caps.hover_provider
    # the config files are watched through the client (which said it can register watchers)
    registered = server.loop.run(server.until(lambda: server.registered))
    (registration,) = registered[0].registrations
    assert registration.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES
    globs = [w["globPattern"] for w in registration.register_options["watchers"]]  # options arrive as JSON
    assert globs == ["**/phraselint.yaml", "**/.phraselint.yaml", "**/pyproject.toml"]


def test_diagnostics_exact_ranges_codes_and_severities(server):
    diagnostics = server.open(uri_of(server, "refusal.txt"), REFUSAL)
    assert codes(diagnostics) == sorted(["refusal.cant", *COACHING])
    (refusal,) = by_code(diagnostics, "refusal.cant")
    assert span(refusal) == (0, 0, 0, 8)
    assert refusal.severity == lsp.DiagnosticSeverity.Warning and refusal.source == "phraselint"
    assert refusal.message.startswith('A flat refusal ("we can\'t …")')
    (empathy,) = by_code(diagnostics, "coaching.empathy")  # reply-level: the sentence, as information
    assert span(empathy) == (0, 0, 0, 19) and empathy.severity == lsp.DiagnosticSeverity.Information
    assert "(applies: the reply says no)" in empathy.message


def test_positions_count_utf16_code_units_after_an_emoji(server):
    diagnostics = server.open(uri_of(server, "emoji.txt"), "😀😀 We can't refund it.")
    (refusal,) = by_code(diagnostics, "refusal.cant")
    assert span(refusal) == (0, 5, 0, 13)  # each emoji is two UTF-16 units


def test_a_change_is_checked_at_its_version(server):
    uri = uri_of(server, "typing.txt")
    assert "refusal.cant" in codes(server.open(uri, REFUSAL))
    assert "refusal.cant" not in codes(server.change(uri, "We can refund it.", 2))
    (refusal,) = by_code(server.change(uri, "Hi Sam, " + REFUSAL, 3), "refusal.cant")
    assert span(refusal) == (0, 8, 0, 16)


def test_a_burst_of_changes_is_checked_once_at_its_last_version(server):
    uri, busy = uri_of(server, "burst.txt"), uri_of(server, "busy.txt")
    server.open(uri, REFUSAL)

    async def burst():
        """Ten changes sent while the worker is busy with a big document: no timer, yet one check."""
        server.lc.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
            uri=busy, language_id="plaintext", version=1, text=(DRAFT + "\n") * 8000)))
        for version in range(2, 12):
            text = REFUSAL if version % 2 else "Hi Sam, " + REFUSAL
            server.lc.text_document_did_change(lsp.DidChangeTextDocumentParams(
                lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                [lsp.TextDocumentContentChangeWholeDocument(text=text)]))
        return await server.until(lambda: server.diagnostics_for(uri, 11))

    last = server.loop.run(burst())
    assert [span(d) for d in by_code(last.diagnostics, "refusal.cant")] == [(0, 0, 0, 8)]  # version 11's text
    assert [p.version for p in server.published if p.uri == uri] == [1, 11]
    assert server.diagnostics_for(busy, 1)  # the big one was published before


def test_closing_a_document_clears_its_diagnostics(server):
    uri = uri_of(server, "closing.txt")
    assert server.open(uri, REFUSAL)
    closing = lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri))
    server.notify(lambda: server.lc.text_document_did_close(closing))
    server.loop.run(server.until(lambda: server.published[-1].uri == uri and not server.published[-1].diagnostics))


def test_quick_fixes_replace_the_match_and_prefer_the_safe_fix(server):
    uri = uri_of(server, "fixable.txt")
    assert {"apology.flippant", "condescension.obviously"} <= set(codes(server.open(uri, FIXABLE)))
    actions = server.code_actions(uri, (0, 0), (0, 3), only=["quickfix"])
    (flippant,) = [a for a in actions if a.diagnostics and a.diagnostics[0].code == "apology.flippant"]
    assert flippant.title == "Replace with “I apologize for”" and flippant.is_preferred
    assert flippant.kind == lsp.CodeActionKind.QuickFix
    assert apply(FIXABLE, flippant.edit.changes[uri]) == "I apologize for that. Obviously the refund is late."
    (obviously,) = server.code_actions(uri, (0, 20), (0, 20), only=["quickfix"])
    assert obviously.title == "Delete “Obviously”" and obviously.is_preferred  # the safe fix recapitalises
    assert apply(FIXABLE, obviously.edit.changes[uri]) == "Sorry 'bout that. The refund is late."


def test_review_suggestions_are_offered_and_templates_are_not(server):
    uri = uri_of(server, "draft.txt")
    server.open(uri, DRAFT)
    actions = server.code_actions(uri, (2, 0), (2, 40), only=["quickfix"])
    titles = [a.title for a in actions]
    assert titles == ["Replace with “Could you please”", "Replace with “The quickest way is to”"]
    assert not any(a.is_preferred for a in actions)  # "you have to" has no safe fix
    assert apply(DRAFT, actions[0].edit.changes[uri]) == DRAFT.replace("You have to", "Could you please")
    # "We can't" only has sentence templates ("What I can do is …"): no quick fix, and no fix-all either
    assert server.code_actions(uri, (2, 0), (2, 3)) == []


def test_quick_fixes_keep_a_library_file_valid(server):
    library = '[{"title": "Bank", "body": "You have to call your bank."}]'
    uri = uri_of(server, "bank.json")
    server.open(uri, library, "json")
    first = server.code_actions(uri, (0, 30), (0, 30), only=["quickfix"])[0]
    assert json.loads(apply(library, first.edit.changes[uri]))[0]["body"] == "Could you please call your bank."
    # in YAML, "you're" could end a quoted scalar: that suggestion is not pasted in raw
    uri = uri_of(server, "late.yaml")
    server.open(uri, "- title: Late\n  body: Calm down, it will ship today.\n", "yaml")
    assert [a.title for a in server.code_actions(uri, (1, 8), (1, 8), only=["quickfix"])] == \
        ["Replace with “I see what you mean.”"]


def test_fix_all_applies_every_safe_fix(server):
    uri = uri_of(server, "fixall.txt")
    server.open(uri, FIXABLE)
    (source,) = server.code_actions(uri, (0, 0), (0, 0), only=["source.fixAll"])
    assert source.kind == "source.fixAll.phraselint" and source.title == "Fix all safe phraselint fixes"
    assert apply(FIXABLE, source.edit.changes[uri]) == "I apologize for that. The refund is late."
    lightbulb = server.code_actions(uri, (0, 0), (0, 0))  # no filter: fix-all shows as a quick fix
    (fix_all,) = [a for a in lightbulb if a.title == "Fix all safe phraselint fixes"]
    assert fix_all.kind == lsp.CodeActionKind.QuickFix
    assert apply(FIXABLE, fix_all.edit.changes[uri]) == "I apologize for that. The refund is late."


def test_hover_explains_the_rule_and_what_to_write(server):
    uri = uri_of(server, "hover.txt")
    text = REFUSAL + "\n\nThanks\n"
    server.open(uri, text)
    hover = server.hover(uri, 0, 4)
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    value = hover.contents.value
    assert value.startswith("**refusal.cant** (warning)")
    assert "**Why.**" in value and "trigger word" in value
    assert "- Instead of refunding, what I can do is …" in value
    assert (hover.range.start.character, hover.range.end.character) == (0, 8)
    assert server.hover(uri, 1, 0) is None  # the blank line: no finding


def test_suppression_comment_is_honoured(server):
    uri = uri_of(server, "suppressed.txt")
    diagnostics = server.open(uri, "phraselint-disable-next-line refusal.cant\n" + REFUSAL + "\n")
    assert "refusal.cant" not in codes(diagnostics)
    unsuppressed = server.open(uri_of(server, "unsuppressed.txt"), "Hello.\n" + REFUSAL + "\n")
    assert [span(d) for d in by_code(unsuppressed, "refusal.cant")] == [(1, 0, 1, 8)]


@pytest.mark.parametrize("name, language_id, text, expected", [
    ("reply.md", "markdown", "# Refunds\n\nHi Sam, `we can't` is the bot's line.\n\n> We can't refund it.\n\n"
                             "We can't refund it.\n", (6, 0, 6, 8)),
    ("reply.html", "html", "<p>Hi Sam,</p>\n<p>We can&#39;t refund it.</p>\n", (1, 3, 1, 15)),
    ("macros.json", "json", '[{"title": "Refund", "body": "We can\'t refund it."}]', (0, 30, 0, 38)),
    ("macros.yaml", "yaml", "- title: Refund\n  body: We can't refund it.\n", (1, 8, 1, 16)),
    ("macros.csv", "csv", "title,body\nRefund,We can't refund it.\n", (1, 7, 1, 15)),
    ("macros.json", "unknown-language", '[{"title": "Refund", "body": "We can\'t refund it."}]', (0, 30, 0, 38)),
])
def test_formats_by_language_id_or_extension(server, name, language_id, text, expected):
    uri = uri_of(server, f"{language_id}-{name}")
    assert [span(d) for d in by_code(server.open(uri, text, language_id), "refusal.cant")] == [expected]


def test_json_that_is_no_library_is_quiet_and_broken_json_is_one_warning(server):
    assert server.open(uri_of(server, "package.json"), '{"name": "pkg", "version": "1.0.0"}', "json") == []
    (broken,) = server.open(uri_of(server, "broken.json"), '[{"title": "Refund", "body": "We can', "json")
    assert broken.severity == lsp.DiagnosticSeverity.Warning and broken.message.startswith("invalid JSON")


def test_lone_surrogates_and_odd_characters(server):
    text = "a\ud800 \u2028 \x00 \u202e We can't refund it.\x0c\r\nHi\rSecond: we can't refund it, 😀 we can't. Sorry!"
    diagnostics = server.open(uri_of(server, "odd.txt"), text)
    # U+2028 and form feeds do not end an LSP line; \r\n and a bare \r do; a lone surrogate is one
    # unit, and the emoji (which ends a clause) two: the "no" after it starts at UTF-16 unit 31
    assert [span(d) for d in by_code(diagnostics, "refusal.cant")] == [(0, 9, 0, 17), (2, 8, 2, 16), (2, 31, 2, 39)]
    # a reply-level finding on the last sentence runs across the bare \r; the emoji counts two units
    assert span(by_code(diagnostics, "coaching.apology_form")[0]) == (1, 0, 2, 47)


def test_a_2_mb_document_is_checked_and_the_server_keeps_serving(server):
    big = " ".join(f"Hi Sam, we can't refund order {i}. Obviously you have to call your bank. "
                   "Thanks for waiting, I'll check back on Friday. 😀" for i in range(17_000))
    assert len(big) > 2_000_000 and "\n" not in big  # one line: positions far along it
    diagnostics = server.open(uri_of(server, "big.txt"), big)
    assert len(diagnostics) == 1001 and diagnostics[-1].message.endswith("more findings not shown")
    refusals = by_code(diagnostics, "refusal.cant")
    assert span(refusals[0]) == (0, 8, 0, 16) and len(refusals) > 100
    for d in refusals:  # after each emoji, one more UTF-16 unit than code points
        assert big[offset_at(big, d.range.start):offset_at(big, d.range.end)] == "we can't"
    assert "refusal.cant" in codes(server.open(uri_of(server, "after-big.txt"), REFUSAL))


def test_positions_round_trip_in_every_encoding():
    """The server's offset <-> position mapping, against Python's own encoders (in-process)."""
    from phraselint.servers import language_server as ls

    ls._import_pygls()
    alphabet = ["a", "é", "\u0800", "\U0001F600", "\ud800", "\n", "\r", "\r\n", "\u2028", "\x0c", "中"]
    width = {"utf-8": lambda s: len(s.encode("utf-8", "surrogatepass")),
             "utf-16": lambda s: len(s.encode("utf-16-le", "surrogatepass")) // 2, "utf-32": len}
    rng = random.Random(5)
    for encoding in lsp.PositionEncodingKind:  # as pygls hands it over: an enum member
        units = width[encoding.value]
        for _ in range(200):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(30)))
            lines = ls.Lines(text, encoding)
            for offset in range(len(text) + 1):
                position = lines.position(offset)
                line_start, line_end = lines.line_span(position.line)
                assert position.character == units(text[line_start:offset])
                if offset <= line_end:  # not inside a line break
                    assert lines.offset(position) == offset


def test_shutdown_then_exit_ends_the_shared_server_cleanly(server):
    assert server.stop() == 0
    assert server.lc.stopped
    assert b"Traceback" not in server.stderr and b"ERROR" not in server.stderr, server.stderr.decode(errors="replace")


# ------------------------------------------------------------------ servers of their own

def test_workspace_config_utf32_and_a_config_error_mid_session(loop, tmp_path):
    quiet, plain, elsewhere = tmp_path / "quiet", tmp_path / "plain", tmp_path / "elsewhere"
    for folder in (quiet, plain, elsewhere):
        folder.mkdir()
    config = quiet / "phraselint.yaml"
    config.write_text("ignore: [refusal]\n", encoding="utf-8")
    client = loop.run(Client(loop, elsewhere, encodings=[lsp.PositionEncodingKind.Utf32],
                             folders=[quiet, plain]).start())
    assert client.result.capabilities.position_encoding == lsp.PositionEncodingKind.Utf32
    text = "😀 We can't refund it. You have to call your bank."
    # one checker per config: the folder with phraselint.yaml ignores refusals, the other does not
    in_quiet = client.open((quiet / "a.txt").as_uri(), text)
    assert "refusal.cant" not in codes(in_quiet) and "burden.have_to" in codes(in_quiet)
    in_plain = client.open((plain / "a.txt").as_uri(), text)
    assert [span(d) for d in by_code(in_plain, "refusal.cant")] == [(0, 2, 0, 10)]  # code points

    # the config breaks: one message, the last good checker goes on serving
    config.write_text("ignore: [refusal]\nbogus-key: 1\n", encoding="utf-8")
    config_uri = config.as_uri()
    client.notify(lambda: client.lc.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
        [lsp.FileEvent(uri=config_uri, type=lsp.FileChangeType.Changed)])))
    loop.run(client.until(lambda: client.shown))
    (shown,) = client.shown
    assert shown.type == lsp.MessageType.Error and "phraselint.yaml" in shown.message and "bogus-key" in shown.message
    assert "\n" not in shown.message
    (problem,) = client.open(config_uri, config.read_text(encoding="utf-8"), "yaml")
    assert problem.severity == lsp.DiagnosticSeverity.Error and "bogus-key" in problem.message
    assert problem.range.start.line == 1
    assert "refusal.cant" not in codes(client.change((quiet / "a.txt").as_uri(), text + " ", 2))

    # fixed and saved: the new config applies, the config's diagnostic goes
    config.write_text("select: [refusal]\n", encoding="utf-8")
    client.published.clear()
    client.notify(lambda: client.lc.text_document_did_save(
        lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(config_uri))))
    after = loop.run(client.until(lambda: client.diagnostics_for((quiet / "a.txt").as_uri())))
    assert codes(after.diagnostics) == ["refusal.cant"]
    assert not loop.run(client.until(lambda: client.diagnostics_for(config_uri))).diagnostics
    assert len(client.shown) == 1
    assert client.stop() == 0
    assert b"Traceback" not in client.stderr


def test_an_exception_inside_a_check_is_logged_and_the_server_goes_on(loop, tmp_path):
    client = loop.run(Client(loop, tmp_path, args=FAULTY_SERVER, folders=[tmp_path]).start())
    uri = (tmp_path / "boom.txt").as_uri()
    (failed,) = client.open(uri, "BOOM. " + REFUSAL)  # nothing known about this version, and said so
    assert failed.severity == lsp.DiagnosticSeverity.Error and "could not check" in failed.message
    (logged,) = [m for m in client.logged if "injected fault" in m.message]
    assert logged.type == lsp.MessageType.Error and "RuntimeError" in logged.message
    assert "refusal.cant" in codes(client.change(uri, REFUSAL, 2))  # the same document, fixed
    assert "refusal.cant" in codes(client.open((tmp_path / "fine.txt").as_uri(), REFUSAL))
    assert client.stop() == 0
    assert b"checking " in client.stderr and b"injected fault" in client.stderr


def test_a_client_that_disconnects_mid_request(loop, tmp_path):
    client = loop.run(Client(loop, tmp_path, folders=[tmp_path]).start())
    uri = (tmp_path / "slow.txt").as_uri()

    async def disconnect():
        """Open a big document, ask for its code actions, and vanish before the answer."""
        client.lc.text_document_did_open(lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(
            uri=uri, language_id="plaintext", version=1, text=(REFUSAL + " ") * 50_000)))
        client.lc.text_document_code_action(lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri), lsp.Range(lsp.Position(0, 0), lsp.Position(0, 1)),
            lsp.CodeActionContext(diagnostics=[])))
        process = client.lc._server
        process.stdin.close()
        process._transport.get_pipe_transport(1).close()  # and stop reading its answers
        await client.drain
        return await process.wait()

    assert loop.run(disconnect()) == 0
    # it tried to answer, found no one, said so once and left: no traceback
    assert client.stderr.decode().splitlines() == ["phraselint-lsp WARNING phraselint.lsp: the client went away: "
                                                   "answers are dropped"]


@pytest.mark.parametrize("stream", [None, b"Content-Length: 99999999999\r\n\r\n{}"], ids=["endless line", "giant body"])
def test_input_that_is_no_message_closes_the_server(tmp_path, stream):
    """An endless header line (`/dev/zero` as stdin) or a body too big to be a message is
    reported on one line and ends the input: the server exits instead of filling its memory."""
    import subprocess

    if stream is None and not os.path.exists("/dev/zero"):
        pytest.skip("needs /dev/zero")
    source = tmp_path / "input"
    if stream is not None:
        source.write_bytes(stream)
    with open("/dev/zero" if stream is None else source, "rb") as stdin:
        server = subprocess.Popen([sys.executable, "-m", "phraselint", "lsp"], cwd=tmp_path, stdin=stdin,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert server.wait(timeout=TIMEOUT) == 0
        errors = server.stderr.read().decode()
        assert ("over 64 KB long: closing" if stream is None else "over 64 MB long: closing") in errors
        assert "Traceback" not in errors
    finally:
        server.kill()


def _framed(obj) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.parametrize("bad", [
    b"Content-Length: 5\r\n\r\nhello",  # no JSON
    _framed([1, 2, 3]),  # JSON, no message
    b"Content-Length: abc\r\n\r\n{}",  # no length
    b"Content-Length: 3\r\n\r\n" + json.dumps({"jsonrpc": "2.0", "id": 7, "method": "shutdown"}).encode(),  # too short
    _framed({"jsonrpc": "2.0", "id": 9}),  # neither a request nor an answer
    _framed({"jsonrpc": "2.0", "id": 10, "method": "textDocument/hover", "params": 5}),  # params of no shape
], ids=["not json", "a list", "no length", "short length", "no method", "bad params"])
def test_a_malformed_message_is_one_log_line_and_the_next_is_answered(tmp_path, bad):
    import subprocess

    hover = _framed({"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": (tmp_path / "r.txt").as_uri()}, "position": {"line": 0, "character": 0}}})
    start = _framed({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None,
                                                                                   "rootUri": None, "capabilities": {}}})
    source = tmp_path / "input"
    source.write_bytes(start + _framed({"jsonrpc": "2.0", "method": "initialized", "params": {}}) + bad + hover)
    with open(source, "rb") as stdin:
        server = subprocess.run([sys.executable, "-m", "phraselint", "lsp"], cwd=tmp_path, stdin=stdin,
                                capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=TIMEOUT)
    assert re.search(rb'"id":\s*99', server.stdout)  # the message after the bad one is answered
    assert b"Traceback" not in server.stderr and server.returncode == 0
