"""The language server (`phraselint lsp`, pygls 2): phraselint's findings in the editor as you type.

- Diagnostics on open, change and save, for plain text, Markdown, HTML and the reply-library
  formats (JSON, YAML, CSV): the format comes from the document's languageId, else its extension.
- Quick fixes (each suggestion; the safe fix is the preferred one), "Fix all safe phraselint
  fixes" (`source.fixAll.phraselint`), and a hover with the rule's why and what to write instead.
- Config: `--config`, else each workspace folder's phraselint.yaml as `phraselint check` finds it
  from there; one `Checker` per config file. A broken config is reported and the last good (or
  the default) checker goes on serving; inline suppressions work as on the command line.

Speed: spaCy and the first `Checker` load in a child process forked before pygls is even
imported (`servers.forked`, on Linux; elsewhere on a worker thread), so `initialize` is answered
early, the two imports run on two cores, and diagnostics wait for the
checker. Checks run on that one worker thread, in order. There is no debounce timer: a change
queues a check of the document unless one is already queued, and a check reads the latest text
when it starts, so a burst of changes is checked once, at its last version, with no added delay.

Positions: findings carry code-point offsets; LSP positions count UTF-16 code units unless the
client offers UTF-32 or UTF-8 (pygls negotiates), and lines end only at \\n, \\r\\n and \\r.
Only stderr is written to: stdout is the protocol stream.
"""

from __future__ import annotations

import asyncio
import bisect
import functools
import logging
import os
import queue
import re
import sys
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from phraselint import collector
from phraselint.servers import forked
from phraselint.errors import NotAReplyLibrary, PhraselintError

log = logging.getLogger("phraselint.lsp")

#: lsprotocol.types and pygls's LanguageServer, imported by `_import_pygls()` once spaCy is loading.
lsp = None
LanguageServer = None

SOURCE = "phraselint"
FIX_ALL_KIND = "source.fixAll.phraselint"
FIX_ALL_TITLE = "Fix all safe phraselint fixes"
#: Config files (as `phraselint check` discovers them): a change to one reloads the checkers.
CONFIG_NAMES = ("phraselint.yaml", ".phraselint.yaml", "pyproject.toml")
#: A document's languageId -> phraselint format; other ids fall back to the file extension.
LANGUAGE_FORMATS = {"plaintext": "plain", "text": "plain", "markdown": "markdown", "mdx": "markdown",
                    "html": "html", "json": "json", "jsonc": "json", "yaml": "yaml", "csv": "csv"}
#: Characters a suggestion cannot hold to be pasted raw into a file of that format (the safe fix
#: is written in the file's own syntax by phraselint; other suggestions are plain text).
UNSAFE_IN = {"json": '"\\', "html": "<>&", "csv": '",', "yaml": "'\"\\:#"}
#: At most this many diagnostics per document (a 2 MB file can hold tens of thousands).
MAX_DIAGNOSTICS = 1000
_EOL = re.compile(r"\r\n|\r|\n")
#: Per position encoding, the characters that take more than one code unit: one pattern per extra
#: unit (UTF-8: 2 bytes from U+0080, 3 from U+0800, surrogates included, 4 beyond the BMP).
_WIDE = {"utf-32": (), "utf-16": ("[\U00010000-\U0010ffff]",),
         "utf-8": ("[^\x00-\x7f]", "[^\x00-\u07ff]", "[\U00010000-\U0010ffff]")}


# ------------------------------------------------------------------ positions

class Lines:
    """A text's line starts, for code-point offset <-> LSP position in the client's units."""

    def __init__(self, text: str, encoding: str = "utf-16"):
        self.text = text
        self.encoding = str(getattr(encoding, "value", encoding))  # "utf-16", from an enum or a str
        self.starts = [0, *(m.end() for m in _EOL.finditer(text))]
        # where the characters wider than one unit are: a position is then a few bisections,
        # not an encoding of the line up to it (a 2 MB one-line document has 1,000 diagnostics)
        self._wide = [[m.start() for m in re.finditer(p, text)] for p in _WIDE.get(self.encoding, _WIDE["utf-16"])]

    def units(self, s: str) -> int:
        """The length of `s` in the negotiated code units (a lone surrogate is one UTF-16 unit)."""
        if self.encoding == "utf-32":
            return len(s)
        if self.encoding == "utf-8":
            return len(s.encode("utf-8", "surrogatepass"))
        return len(s.encode("utf-16-le", "surrogatepass")) // 2

    def _units_between(self, start: int, end: int) -> int:
        return end - start + sum(bisect.bisect_left(w, end) - bisect.bisect_left(w, start) for w in self._wide)

    def line_span(self, line: int) -> tuple[int, int]:
        """Start and end offsets of a line, without its line break."""
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return start, start + len(self.text[start:end].rstrip("\r\n"))

    def position(self, offset: int):
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return lsp.Position(line=line, character=self._units_between(self.starts[line], offset))

    def range(self, offset: int, end_offset: int):
        return lsp.Range(start=self.position(offset), end=self.position(end_offset))

    def offset(self, position) -> int:
        """The offset of a client position; past a line's end means its end."""
        if position.line >= len(self.starts):
            return len(self.text)
        start, end = self.line_span(position.line)
        line = self.text[start:end]
        if self.units(line) == len(line):  # one unit per code point on this line
            return start + min(position.character, len(line))
        units = 0
        for i, char in enumerate(line):
            if units >= position.character:
                return start + i
            units += self.units(char)
        return end


# ------------------------------------------------------------------ the worker thread

class Worker:
    """One daemon thread running jobs in order (a Checker runs one call at a time anyway).
    A daemon, so that exiting never waits for a long check of a huge document."""

    def __init__(self):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._run, name="phraselint-checks", daemon=True).start()

    def submit(self, fn, *args, **kwargs) -> Future:
        future: Future = Future()
        self._jobs.put((future, functools.partial(fn, *args, **kwargs)))
        return future

    def _run(self) -> None:
        while True:
            future, job = self._jobs.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job())
                except BaseException as exc:  # noqa: BLE001 (the future carries it to the loop)
                    future.set_exception(exc)


# ------------------------------------------------------------------ checkers

class Checkers:
    """One `Checker` per config file: the `--config` one, else the file discovered from a
    document's workspace folder (None: no config, the defaults). Used on the worker thread only.

    A config that fails to load is reported through `notify` (once per load), and its folder
    gets the last good checker of that config, else the defaults."""

    def __init__(self, config=None, rules=(), select=None, ignore=()):
        self.explicit = str(Path(config).resolve()) if config else None
        self.options = {"rules": list(rules), "select": select, "ignore": list(ignore or ())}
        #: (key, a `forked.CheckerProcess` building that config's checker): its first build.
        self._first: tuple | None = None
        self.by_key: dict[str | None, object] = {}
        self.errors: dict[str | None, PhraselintError] = {}
        self.unreported: list[PhraselintError] = []
        self.notify = self.unreported.append  # the session replaces it once the event loop runs
        self._keys: dict[str, str | None] = {}
        self._stale: dict[str | None, object] = {}

    def key(self, folder: str | None) -> str | None:
        """The config file that applies to `folder` (cached until the next reload)."""
        if self.explicit:
            return self.explicit
        folder = folder or os.getcwd()
        if folder not in self._keys:
            from phraselint.config import discover

            found = discover(Path(folder))
            self._keys[folder] = str(found.resolve()) if found else None
        return self._keys[folder]

    def get(self, folder: str | None):
        """The checker for documents in `folder`."""
        return self.get_key(self.key(folder))

    def get_key(self, key: str | None):
        if key not in self.by_key:
            self.by_key[key] = self._build(key)
        return self.by_key[key]

    def fork_first(self) -> None:
        """Build the current folder's checker in a child process, forked now (`forked`), on the
        other core while this process imports pygls; its first `get` waits for it."""
        key = self.key(None)
        process = forked.start(functools.partial(_new_checker, key, self.options))
        self._first = (key, process) if process is not None else None

    def reload(self) -> None:
        """Config files changed: forget what was discovered and built; rebuild on next use."""
        self._keys.clear()
        self._stale.update(self.by_key)
        self.by_key.clear()
        self.errors.clear()

    def _build(self, key: str | None):
        from phraselint.api import Checker

        first, self._first = self._first, None
        try:
            if first is not None and first[0] == key:
                checker = first[1].wait()  # built in the child, forked before pygls was imported
            else:
                checker = _new_checker(key, self.options)
        except PhraselintError as exc:
            self.errors[key] = exc
            log.warning("%s", exc)
            self.notify(exc)
            checker = self._stale.get(key) or (Checker() if key is None else self.get_key(None))
        finally:
            collector.resume()  # built or not, the server lives on: collect again (collector.py)
        self._stale.pop(key, None)
        return checker


def _new_checker(key: str | None, options: dict):
    from phraselint.api import Checker  # spaCy: on the worker thread, or in the forked child

    return Checker(key, **options)


# ------------------------------------------------------------------ documents

@dataclass
class Analysis:
    """One checked version of a document: its findings (by offset) and their diagnostics."""

    version: int
    lines: Lines
    checker: object
    format: str
    findings: list
    diagnostics: list


@dataclass
class Doc:
    uri: str
    path: str | None
    language_id: str
    #: (version, text), replaced whole, so that the worker reads a consistent pair.
    state: tuple[int, str]
    folder: str | None
    queued: bool = False
    analysis: Analysis | None = None

    @property
    def is_config(self) -> bool:
        return self.path is not None and os.path.basename(self.path) in CONFIG_NAMES


def path_of(uri: str) -> str | None:
    """The file path of a file: URI (percent-decoded), else None."""
    parts = urlparse(uri)
    if parts.scheme != "file":
        return None
    path = unquote(parts.path)
    if os.name == "nt" and re.match(r"/[A-Za-z]:", path):
        path = path[1:]
    return os.path.normpath(path)


def format_for(language_id: str | None, uri: str) -> str:
    fmt = LANGUAGE_FORMATS.get((language_id or "").lower())
    if fmt is None:
        from phraselint import readers

        fmt = readers.extensions().get(os.path.splitext(urlparse(uri).path)[1].lower(), "plain")
    return fmt


# ------------------------------------------------------------------ findings -> LSP

def diagnostic(finding, lines: Lines):
    severity = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning}
    message = finding.message + (f" (applies: {finding.reason})" if finding.reason else "")
    return lsp.Diagnostic(range=lines.range(finding.offset, finding.end_offset), message=message,
                          severity=severity.get(finding.severity, lsp.DiagnosticSeverity.Information),
                          code=finding.rule, source=SOURCE)


def problem_diagnostic(exc: PhraselintError, lines: Lines, severity):
    """A file phraselint cannot read, or a config it cannot load: one diagnostic on its line."""
    line = min(max((exc.line or 1) - 1, 0), len(lines.starts) - 1)
    start, end = lines.line_span(line)
    return lsp.Diagnostic(range=lines.range(start, end), message=exc.message, severity=severity, source=SOURCE)


def _edit_action(title, uri, edits, kind, diag=None, preferred=False):
    return lsp.CodeAction(title=title, kind=kind, diagnostics=[diag] if diag else None,
                          edit=lsp.WorkspaceEdit(changes={uri: edits}), is_preferred=preferred or None)


def _title(match: str, suggestion: str) -> str:
    return f"Delete “{match}”" if suggestion == "" else f"Replace with “{suggestion}”"


def quick_fixes(finding, uri: str, lines: Lines, fmt: str = "plain") -> list:
    """The safe fix (preferred), then each other suggestion as a replacement of the match.
    Suggestions with "…" are sentence templates to adapt, not drop-in text: they are left to the
    hover, since inserting one would put an ellipsis into the customer's reply. In a JSON, YAML,
    CSV or HTML file, a suggestion is offered only where pasting it raw keeps the syntax."""
    diag, actions, covered = diagnostic(finding, lines), [], None
    if finding.fix:
        fix = finding.fix
        if len(finding.suggestions) == 1 or fix["replacement"] in finding.suggestions:
            covered = finding.suggestions[0] if len(finding.suggestions) == 1 else fix["replacement"]
        title = _title(finding.match, covered) if covered is not None else \
            f"Fix: “{lines.text[fix['offset']:fix['end_offset']]}” → “{fix['replacement']}”"
        edit = lsp.TextEdit(range=lines.range(fix["offset"], fix["end_offset"]), new_text=fix["replacement"])
        actions.append(_edit_action(title, uri, [edit], lsp.CodeActionKind.QuickFix, diag, preferred=True))
    raw = lines.text[finding.offset:finding.end_offset] == finding.match  # no escapes in the span
    for suggestion in finding.suggestions:
        if "…" in suggestion or suggestion == covered or not raw or set(suggestion) & set(UNSAFE_IN.get(fmt, "")):
            continue
        start, end = finding.offset, finding.end_offset
        if suggestion == "" and lines.text[end:end + 1] == " ":  # a deleted word takes one space along
            end += 1
        edit = lsp.TextEdit(range=lines.range(start, end), new_text=suggestion)
        actions.append(_edit_action(_title(finding.match, suggestion), uri, [edit], lsp.CodeActionKind.QuickFix, diag))
    return actions


def _wants(only, kind: str) -> bool:
    """Whether a codeAction request's `only` filter admits `kind` (a prefix admits sub-kinds)."""
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|~])", r"\\\1", text)


def _sections(doc: str) -> dict[str, list[str]]:
    """`phraselint rule ID`'s text by section ("Why", "Instead", …): indented lines under a title."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in doc.splitlines():
        if line.startswith(" ") and line.strip():
            sections.setdefault(current, []).append(line.strip())
        elif line.strip():
            current = line.strip()
    return sections


def hover_markdown(finding, explain: str | None) -> str:
    """The finding's message, the rule's why, and what to write instead (the finding's own,
    adapted suggestions, else the rule's)."""
    sections = _sections(explain or "")
    parts = [f"**{finding.rule}** ({finding.severity}) · phraselint", _md(finding.message)]
    if finding.reason:
        parts.append(f"*Applies:* {_md(finding.reason)}")
    if why := " ".join(sections.get("Why", [])):
        parts.append(f"**Why.** {_md(why)}")
    instead = [f"delete “{finding.match}”" if s == "" else s for s in finding.suggestions] or \
        [re.sub(r"\s+\[[^\]]*\]$", "", s.removeprefix("→ ")) for s in sections.get("Instead", [])]
    if instead:
        parts.append("**Instead:**\n" + "\n".join(f"- {_md(s)}" for s in instead))
    return "\n\n".join(parts)


# ------------------------------------------------------------------ the session

class Session:
    """The server's state and its LSP handlers. Handlers run on the event loop; checks run on
    the worker, and their results come back to the loop to be published."""

    def __init__(self, ls, checkers: Checkers, worker: Worker):
        self.ls, self.checkers, self.worker = ls, checkers, worker
        self.docs: dict[str, Doc] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.shut_down = False

    def register(self) -> None:
        kinds = [lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll, FIX_ALL_KIND]
        features = {
            lsp.INITIALIZE: (self.initialize, None), lsp.INITIALIZED: (self.initialized, None),
            lsp.SHUTDOWN: (self.shutdown, None),
            lsp.TEXT_DOCUMENT_DID_OPEN: (self.did_open, None), lsp.TEXT_DOCUMENT_DID_CHANGE: (self.did_change, None),
            lsp.TEXT_DOCUMENT_DID_SAVE: (self.did_save, None), lsp.TEXT_DOCUMENT_DID_CLOSE: (self.did_close, None),
            lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES: (self.watched_files_changed, None),
            lsp.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS: (self.folders_changed, None),
            lsp.TEXT_DOCUMENT_CODE_ACTION: (self.code_action, lsp.CodeActionOptions(code_action_kinds=kinds)),
            lsp.TEXT_DOCUMENT_HOVER: (self.hover, None),
        }
        for name, (method, options) in features.items():
            self.ls.feature(name, options)(_plain(method))

    # -------------------------------------------------------------- lifecycle

    def initialize(self, params) -> None:
        self.loop = asyncio.get_running_loop()
        self.checkers.notify = lambda exc: _call_soon(self.loop, self._show_problem, exc)
        while self.checkers.unreported:
            self._show_problem(self.checkers.unreported.pop(0))
        for folder in self._folders():  # load each folder's config while the client starts up
            self.worker.submit(self.checkers.get, folder)

    def initialized(self, params) -> None:
        """Ask the client to watch the config files, when it can (the reply is not needed)."""
        caps = self.ls.client_capabilities.workspace
        watch = caps and caps.did_change_watched_files
        if watch and watch.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
            options = lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
            registration = lsp.Registration(id="phraselint-config", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                            register_options=options)
            self.ls.client_register_capability(lsp.RegistrationParams(registrations=[registration]))

    def shutdown(self, params) -> None:
        self.shut_down = True

    def _show_problem(self, exc: PhraselintError) -> None:
        message = f"phraselint: {exc} (using the last good or the default config)"
        self.ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=message))

    # -------------------------------------------------------------- documents

    def did_open(self, params) -> None:
        item = params.text_document
        path = path_of(item.uri)
        self.docs[item.uri] = Doc(item.uri, path, item.language_id, (item.version, item.text), self._folder_for(path))
        self._schedule(item.uri)

    def did_change(self, params) -> None:
        doc = self.docs.get(params.text_document.uri)
        if doc is None:
            return
        text = doc.state[1]
        for change in params.content_changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):  # we ask for full text; just in case
                lines = Lines(text, self.ls.workspace.position_encoding)
                text = text[:lines.offset(change.range.start)] + change.text + text[lines.offset(change.range.end):]
            else:
                text = change.text
        doc.state = (params.text_document.version, text)
        self._schedule(doc.uri)

    def did_save(self, params) -> None:
        doc = self.docs.get(params.text_document.uri)
        if doc is not None and doc.is_config:
            self._reload()
        elif doc is not None:
            self._schedule(doc.uri)

    def did_close(self, params) -> None:
        if self.docs.pop(params.text_document.uri, None) is not None:
            self.ls.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    def watched_files_changed(self, params) -> None:
        if any(os.path.basename(urlparse(c.uri).path) in CONFIG_NAMES for c in params.changes):
            self._reload()

    def folders_changed(self, params) -> None:
        for doc in self.docs.values():
            doc.folder = self._folder_for(doc.path)
        self._reload()

    def _reload(self) -> None:
        self.worker.submit(self.checkers.reload)  # queued before the checks below
        for uri in list(self.docs):
            self._schedule(uri)

    def _folders(self) -> list[str]:
        """The workspace folders' paths; else the root's, for a client without folders."""
        workspace = self.ls.workspace
        uris = [f.uri for f in workspace.folders.values()] or [workspace.root_uri or ""]
        return [path for path in map(path_of, uris) if path]

    def _folder_for(self, path: str | None) -> str | None:
        """The innermost workspace folder holding `path`; else the file's own folder."""
        inside = [f for f in self._folders() if path and _within(path, f)]
        return max(inside, key=len) if inside else (os.path.dirname(path) if path else None)

    # -------------------------------------------------------------- checking

    def _schedule(self, uri: str) -> None:
        """Check the document's latest version as soon as the worker is free. A change that
        arrives while a check is still queued joins it: no timer, no added delay."""
        doc = self.docs.get(uri)
        if doc is None or doc.queued or self.shut_down:
            return
        doc.queued = True
        loop = asyncio.get_running_loop()
        future = self.worker.submit(self._analyze, doc, scheduled=True)
        future.add_done_callback(lambda f: _call_soon(loop, self._publish, doc, f))

    def _analyze(self, doc: Doc, scheduled: bool = False) -> Analysis:
        """Check one version of a document (on the worker thread)."""
        if scheduled:
            doc.queued = False  # changes from now on queue another check
        version, text = doc.state
        lines = Lines(text, self.ls.workspace.position_encoding)
        fmt = format_for(doc.language_id, doc.uri)
        checker = self.checkers.get(os.path.dirname(doc.path) if doc.is_config else doc.folder)
        findings, diagnostics = [], []
        if doc.is_config:  # not replies: its own load errors, if any
            here = os.path.realpath(doc.path)
            diagnostics = [problem_diagnostic(e, lines, lsp.DiagnosticSeverity.Error) for key, e in
                           self.checkers.errors.items() if here in (key, e.path and os.path.realpath(e.path))]
        else:
            try:
                result = checker.check(text, format=fmt, name=doc.path or doc.uri)
                findings = sorted(result.findings, key=lambda f: (f.offset, f.end_offset, f.rule))
            except NotAReplyLibrary:
                pass  # JSON, YAML or CSV that holds no replies (package.json): nothing to say
            except PhraselintError as exc:  # a library phraselint cannot read (half-typed JSON)
                diagnostics.append(problem_diagnostic(exc, lines, lsp.DiagnosticSeverity.Warning))
        diagnostics += [diagnostic(f, lines) for f in findings[:MAX_DIAGNOSTICS]]
        if len(findings) > MAX_DIAGNOSTICS:
            diagnostics.append(lsp.Diagnostic(range=lines.range(0, 0), source=SOURCE,
                                              severity=lsp.DiagnosticSeverity.Information,
                                              message=f"{len(findings) - MAX_DIAGNOSTICS} more findings not shown"))
        return Analysis(version, lines, checker, fmt, findings, diagnostics)

    def _publish(self, doc: Doc, future: Future) -> None:
        if self.docs.get(doc.uri) is not doc:
            return  # closed meanwhile
        try:
            analysis = future.result()
        except Exception as exc:  # a bug in a check: log it, replace the stale squiggles with one
            # that says so (an empty list would show the text as clean), go on
            log.error("checking %s failed", doc.uri, exc_info=exc)
            message = f"phraselint: checking {doc.uri} failed: {type(exc).__name__}: {exc}"
            self.ls.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error, message=message))
            failed = lsp.Diagnostic(range=Lines("").range(0, 0), source=SOURCE, severity=lsp.DiagnosticSeverity.Error,
                                    message=f"phraselint could not check this text ({type(exc).__name__}); "
                                            "its findings are unknown: see the language server's log")
            analysis = Analysis(doc.state[0], Lines(""), None, "plain", [], [failed])
        doc.analysis = analysis
        self.ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(
            uri=doc.uri, version=analysis.version, diagnostics=analysis.diagnostics))

    async def _current(self, uri: str) -> Analysis | None:
        """The analysis of the document's current version, checking it first if need be."""
        doc = self.docs.get(uri)
        if doc is None:
            return None
        analysis = doc.analysis
        if analysis is None or analysis.checker is None or analysis.lines.text is not doc.state[1]:
            analysis = await asyncio.wrap_future(self.worker.submit(self._analyze, doc))
        return analysis if analysis.lines.text is doc.state[1] else None

    # -------------------------------------------------------------- requests

    async def code_action(self, params):
        uri, only = params.text_document.uri, params.context.only
        analysis = await self._current(uri)
        if analysis is None:
            return None
        lines = analysis.lines
        start, end = lines.offset(params.range.start), lines.offset(params.range.end)
        actions = []
        if _wants(only, lsp.CodeActionKind.QuickFix):
            for f in analysis.findings:
                if f.scope == "phrase" and f.offset <= end and f.end_offset >= start:
                    actions += quick_fixes(f, uri, lines, analysis.format)
        # In the lightbulb (no filter) fix-all is a quick fix; asked for source actions, the source one.
        kind = lsp.CodeActionKind.QuickFix if only is None else FIX_ALL_KIND if _wants(only, FIX_ALL_KIND) else None
        if kind and any(f.fix for f in analysis.findings):
            if edits := await self._fix_all_edits(analysis):
                actions.append(_edit_action(FIX_ALL_TITLE, uri, edits, kind))
        return actions

    async def _fix_all_edits(self, analysis: Analysis) -> list:
        try:
            fixed = await asyncio.wrap_future(self.worker.submit(
                analysis.checker.fix, analysis.lines.text, format=analysis.format))
        except PhraselintError as exc:  # fixing would change the library's structure
            log.info("no fix-all: %s", exc)
            return []
        lines = analysis.lines
        return [lsp.TextEdit(range=lines.range(e.offset, e.end_offset), new_text=e.replacement) for e in fixed.edits]

    async def hover(self, params):
        analysis = await self._current(params.text_document.uri)
        if analysis is None or analysis.checker is None:
            return None
        at = analysis.lines.offset(params.position)
        hits = [f for f in analysis.findings if f.offset <= at < max(f.end_offset, f.offset + 1)]
        if not hits:
            return None
        hits.sort(key=lambda f: f.scope != "phrase")  # the phrase first, then the reply's checks
        # On the worker: a forked checker's explain waits for the check in flight, not the event loop.
        texts = [hover_markdown(f, await asyncio.wrap_future(self.worker.submit(self._explain, analysis.checker, f.rule)))
                 for f in hits]
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(texts)),
                         range=analysis.lines.range(hits[0].offset, hits[0].end_offset))

    @staticmethod
    def _explain(checker, rule_id: str) -> str | None:
        try:
            return checker.explain(rule_id)
        except KeyError:
            return None


def _within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([folder, path]) == folder
    except ValueError:  # another drive, or a relative path
        return False


def _call_soon(loop: asyncio.AbstractEventLoop, fn, *args) -> None:
    """Hand a result from the worker to the event loop, unless the loop has closed (exiting)."""
    try:
        loop.call_soon_threadsafe(fn, *args)
    except RuntimeError:
        pass


def _plain(method):
    """pygls marks its handlers with attributes, which a bound method cannot hold: wrap it."""
    if asyncio.iscoroutinefunction(method):
        async def handler(params):
            return await method(params)
    else:
        def handler(params):
            return method(params)
    return handler


# ------------------------------------------------------------------ entry point

class Transport:
    """The protocol's stdout. When the client has gone (a broken pipe), writes are dropped:
    the server then ends quietly when its stdin closes, instead of logging tracebacks."""

    def __init__(self, stream):
        self.stream, self.lost = stream, False

    def write(self, data: bytes) -> None:
        if self.lost:
            return
        try:
            self.stream.write(data)
            self.stream.flush()
        except (BrokenPipeError, ConnectionResetError, ValueError):  # ValueError: stdout closed
            self.lost = True
            log.warning("the client went away: answers are dropped")
            try:  # what is left in the buffer goes nowhere, not into an error at exit
                os.dup2(os.open(os.devnull, os.O_WRONLY), self.stream.fileno())
            except (OSError, ValueError):
                pass

    def flush(self) -> None:
        """Each write flushes already."""

    def close(self) -> None:
        try:
            self.stream.close()
        except (OSError, ValueError):
            pass


#: A header line and a message body from the client, in bytes: beyond them (`/dev/zero` as stdin,
#: "Content-Length: 10000000000000") the input is read as ended, and the server exits.
MAX_HEADER, MAX_MESSAGE = 64 << 10, 64 << 20


class BoundedInput:
    """The client's stream as pygls reads it (`readline` for headers, `read(n)` for a body), each
    read bounded: an endless line or a giant body is no message, and reading it would fill the
    memory. Either is reported on stderr and ends the input."""

    def __init__(self, raw):
        self._raw = raw

    def readline(self) -> bytes:
        line = self._raw.readline(MAX_HEADER + 1)
        if len(line) > MAX_HEADER:
            log.error("a header line from the client is over %d KB long: closing", MAX_HEADER >> 10)
            return b""
        # A body shorter than its Content-Length said leaves its end on the next header line:
        # read from the header it runs into, so the next message is not lost too.
        found = line.find(b"Content-Length:", 1)
        if found > 0 and not line.startswith(b"Content-"):
            log.error("a message from the client did not match its Content-Length: skipped")
            return line[found:]
        return line

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0 or n > MAX_MESSAGE:
            log.error("a message from the client is over %d MB long: closing", MAX_MESSAGE >> 20)
            return b""
        return self._raw.read(n)


def _one_line(record: logging.LogRecord) -> bool:
    """A log record as one line: an exception pygls logs (a malformed message from the client)
    is named, not printed as a traceback (PHRASELINT_LSP_LOG=debug keeps those)."""
    message = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        message = f"{message}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    elif "\n" in message:  # a traceback written into the message: its first line and its last
        lines = [x for x in message.splitlines() if x.strip()]
        message = f"{lines[0]}: {lines[-1].strip()}" if len(lines) > 1 else lines[0] if lines else ""
    record.msg, record.args, record.exc_info, record.exc_text = message, None, None, None
    return True


def _import_pygls():
    """Import pygls and lsprotocol (half a second: lsprotocol.types is large) into this module."""
    global lsp, LanguageServer
    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer


def serve(config=None, rules=(), select=None, ignore=()) -> None:
    """Run the language server on stdin/stdout until the client exits or goes away."""
    from phraselint import __version__

    transport = Transport(sys.stdout.buffer)
    sys.stdout = sys.stderr  # a stray print() must never corrupt the protocol stream
    level = os.environ.get("PHRASELINT_LSP_LOG", "").upper()  # debug: every message, documents included
    logging.basicConfig(stream=sys.stderr, level=level if level in ("DEBUG", "INFO", "ERROR") else "WARNING",
                        format="phraselint-lsp %(levelname)s %(name)s: %(message)s")
    if level != "DEBUG":
        for handler in logging.getLogger().handlers:
            handler.addFilter(_one_line)
    checkers = Checkers(config, rules, select, ignore)
    # The first checker loads now, while pygls imports: in a child process on the other core
    # (`forked`; forked before this process starts any thread), else on the worker thread (the
    # two then take turns on one GIL).
    checkers.fork_first()
    worker = Worker()
    worker.submit(checkers.get, None)
    _import_pygls()
    ls = LanguageServer("phraselint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
    Session(ls, checkers, worker).register()
    ls.start_io(BoundedInput(sys.stdin.buffer), transport)
    log.info("exiting")
