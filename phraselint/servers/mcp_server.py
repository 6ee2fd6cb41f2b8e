"""The MCP server (`phraselint mcp`): phraselint's checks as tools for AI agents, on stdio.

Built on the official MCP SDK's `MCPServer`. Four tools, each with typed arguments and a typed
result (pydantic models, so `tools/list` publishes an `inputSchema` and an `outputSchema`):
`check_reply`, `fix_reply`, `explain_rule` and `check_library`. Everything goes through one warm
`api.Checker`.

Start-up: importing the SDK (~0.6 s) and building the Checker (spaCy, ~1 s) are both CPU-bound
Python work, and threads share one GIL: run side by side in one process they finish no sooner
than one after the other. So the Checker is built in a child process forked before the SDK is
imported (`servers.forked`, on Linux): it builds on the other core while this process imports
the SDK and answers `initialize` and `tools/list` at once; tool calls wait for the child's
Checker and then make one round trip to it each. Where there is no fork, the SDK comes first
and the Checker is built in a background thread as the transport comes up (the server's
lifespan). `benchmarks/mcp.py` measures both start-up times.

Output: stdout is the transport, so nothing else may write there. While serving, the SDK points
file descriptor 1 at stderr (a stray print cannot corrupt the wire); the Checker starts inside
that (the forked child points its own at stderr as it starts), and its notes, like this module's
logs, go to stderr through `logging`.

Errors are tool results (`isError: true`, one line), never crashes: phraselint's own errors
(a bad path, a file that is no reply library, an unknown rule), arguments the schema refuses,
and unexpected exceptions (logged to stderr with a traceback; the server keeps serving).
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import re
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp_types import ToolAnnotations
from pydantic import BaseModel, Field, ValidationError

import phraselint
from phraselint import collector
from phraselint.errors import PhraselintError, brief, did_you_mean
from phraselint.servers import checker_recipe, forked, log_to_stderr

if TYPE_CHECKING:  # imported by the checker thread: initialize does not wait for it
    from phraselint.api import Checker

log = logging.getLogger("phraselint.mcp")

#: A text the reply tools take, in characters: a reply, not a book (files go to check_library).
MAX_TEXT = 200_000
#: check_library's output caps, so that one call cannot flood an agent's context.
MAX_FINDINGS, MAX_SCORES, MAX_ERRORS, MAX_MATCH = 100, 50, 20, 200
#: A protocol message (one line of JSON) from the client, in bytes: a longer line (`/dev/zero` as
#: stdin, a client gone wrong) closes the server instead of filling its memory.
MAX_MESSAGE = 64 << 20
#: A folder check_library walks holds at most this many files (a guard against "/" or "~").
MAX_FILES = 10_000

INSTRUCTIONS = """\
phraselint checks customer-service replies for wording that makes an upset customer angrier
(flat refusals, orders, blame, condescension, flippant apologies, jargon) and coaches the reply
as a whole (empathy, a proper apology, ownership, an alternative to a no, a follow-up, a 0-100
score). Call check_reply on a draft before sending it; fix_reply applies the safe rewrites;
explain_rule documents a finding's rule; check_library lints saved replies on disk."""

Severity = Literal["error", "warning", "suggestion"]


# ------------------------------------------------------------------ result models

class Edit(BaseModel):
    """One rewritten span: `text[offset:end_offset]` becomes `replacement`."""

    offset: int = Field(description="Start of the span, in characters of the text checked.")
    end_offset: int = Field(description="End of the span (exclusive).")
    replacement: str


class Finding(BaseModel):
    """One thing to change in a reply."""

    rule: str = Field(description="The rule's id, e.g. refusal.cant; explain_rule documents it.")
    severity: Severity
    message: str = Field(description="What is wrong, for a person.")
    offset: int = Field(description="Start of the flagged words, in characters (code points) of the text.")
    end_offset: int = Field(description="End of the flagged words (exclusive).")
    match: str = Field(description="The flagged words.")
    suggestions: list[str] = Field(description="Rewrites or advice, best first; '' means delete the words.")
    fix: Edit | None = Field(description="The safe fix fix_reply would apply, or null when it needs a person.")
    scope: str = Field(description="'phrase' (a wording rule) or 'reply' (a check on the reply as a whole).")
    reason: str | None = Field(description="For a reply-level check: why it applies to this reply.")


class CheckReplyResult(BaseModel):
    findings: list[Finding] = Field(description="In text order.")
    score: int | None = Field(description="The reply's coaching score, 0-100 (higher is better); null when "
                                          "the reply-level checks are off.")
    checks: dict[str, bool | None] = Field(description="Each reply-level check: true holds, false fails "
                                                       "(a finding says why), null does not apply.")


class FixReplyResult(BaseModel):
    text: str = Field(description="The reply with the fixes applied (unchanged when there was nothing to fix).")
    edits: list[Edit] = Field(description="What changed, in the offsets of the text given.")
    applied: int = Field(description="How many fixes were applied.")
    remaining: list[Finding] = Field(description="Wording findings left in the fixed text (its offsets): "
                                                 "these need a person's judgement.")


class LibraryFinding(Finding):
    path: str = Field(description="The file.")
    line: int = Field(description="1-based line in the file.")
    column: int = Field(description="1-based column in the file.")
    reply: str | None = Field(description="The reply's name inside a library file (a macro's title), if any.")


class ReplyScore(BaseModel):
    path: str
    reply: str | None = Field(description="The reply's name inside a library file, if any.")
    line: int = Field(description="The line where the reply starts.")
    score: int = Field(description="0-100, higher is better.")
    missing: list[str] = Field(description="The reply-level checks it fails.")


class Summary(BaseModel):
    files: int = Field(description="Files read.")
    findings: int = Field(description="All findings, including those left out of `findings`.")
    by_severity: dict[str, int]


class CheckLibraryResult(BaseModel):
    summary: Summary
    findings: list[LibraryFinding] = Field(description=f"At most {MAX_FINDINGS}: errors first, then warnings, "
                                                       "then suggestions, each in file order.")
    findings_omitted: int = Field(description="How many findings were left out of `findings`.")
    scores: list[ReplyScore] = Field(description=f"The lowest-scoring replies first, at most {MAX_SCORES}.")
    scores_omitted: int
    errors: list[str] = Field(description="Files that could not be read, one line each ('path:line: message').")
    errors_omitted: int


# ------------------------------------------------------------------ the warm checker

class WarmChecker:
    """The server's one `Checker`, built in a background thread; `get()` waits for it."""

    def __init__(self, build: Callable[[], Checker]):
        self._build = build
        self._future: concurrent.futures.Future[Checker] = concurrent.futures.Future()
        self._once = threading.Lock()
        self._started = False

    def start(self) -> None:
        """Start building (once). Daemon: a half-built checker never holds up the exit."""
        with self._once:
            if not self._started:
                self._started = True
                threading.Thread(target=self._run, name="phraselint-checker", daemon=True).start()

    def _run(self) -> None:
        try:
            self._future.set_result(self._build())
            log.debug("checker ready")
        except BaseException as exc:  # noqa: BLE001 (each tool call reports it)
            if not isinstance(exc, PhraselintError):
                log.exception("the checker could not be built")
            else:
                log.error("%s", exc)
            self._future.set_exception(exc)
        finally:
            collector.resume()  # built or not, the server lives on: collect again (collector.py)

    def get(self) -> Checker:
        """The Checker, once built; a ToolError saying why when it could not be."""
        self.start()
        try:
            return self._future.result()
        except PhraselintError as exc:
            raise ToolError(f"phraselint could not start: {_one_line(str(exc))}") from None
        except Exception as exc:
            raise ToolError(f"phraselint could not start: {type(exc).__name__}: {_one_line(str(exc))}") from None


# ------------------------------------------------------------------ the server

class _Server(MCPServer):
    """`MCPServer`, with arguments the input schema refuses reported on one line per field
    (pydantic's own message spans several lines and links to its docs)."""

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(exc, UnexpectedToolError) or not isinstance(cause, ValidationError):
                raise
            fields = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                               for e in cause.errors())
            raise ToolError(f"Error executing tool {name}: invalid arguments: {fields}") from cause


def build_server(warm: WarmChecker) -> MCPServer:
    """The MCP server with its four tools, on `warm`'s Checker (built when the server starts)."""

    @asynccontextmanager
    async def lifespan(_server: MCPServer) -> AsyncIterator[dict]:
        warm.start()  # the transport owns stdout by now; initialize does not wait for this
        yield {}

    server = _Server("phraselint", version=phraselint.__version__, instructions=" ".join(INSTRUCTIONS.split()),
                     lifespan=lifespan)

    def check_reply(
        text: Annotated[str, Field(description="The reply draft, as plain text.", max_length=MAX_TEXT)],
        incoming: Annotated[str | None, Field(description="The customer's message it answers, if known: "
                                              "a complaint makes the empathy check apply.",
                                              max_length=MAX_TEXT)] = None,
    ) -> CheckReplyResult:
        """Check a customer-service reply draft before it is sent. Returns the wording findings
        (flat refusals like "we can't", orders like "you have to", blame, condescension, flippant
        apologies, jargon), each with exact character offsets, the flagged words and suggested
        rewrites; the reply-level coaching checks (empathy, apology, customer named, ownership,
        alternative, follow-up); and a 0-100 score. Rewrite the flagged words using the
        suggestions, then check again."""
        with _tool_errors("check_reply"):
            result = warm.get().check(text, incoming)
            return CheckReplyResult(findings=[_finding(f) for f in result.findings],
                                    score=result.score, checks=result.checks)

    def fix_reply(
        text: Annotated[str, Field(description="The reply draft, as plain text.", max_length=MAX_TEXT)],
        unsafe: Annotated[bool, Field(description="Also apply the first suggestion of rules whose rewrites "
                                                  "need review (e.g. 'you have to' -> 'could you please').")] = False,
    ) -> FixReplyResult:
        """Apply phraselint's safe rewrites to a reply draft (e.g. "Sorry 'bout that" -> "I
        apologize for that", dropping "Obviously") and return the new text, the edits made, and
        the wording findings that remain for a person to rewrite. Nothing is written to disk."""
        with _tool_errors("fix_reply"):
            fixed = warm.get().fix(text, unsafe=unsafe)
            return FixReplyResult(text=fixed.text, edits=[Edit(**e.to_dict()) for e in fixed.edits],
                                  applied=fixed.applied, remaining=[_finding(f) for f in fixed.findings])

    def explain_rule(
        id: Annotated[str, Field(description="A rule id from a finding's `rule`, e.g. refusal.cant.",
                                 max_length=200)],
    ) -> str:
        """A phraselint rule's documentation: what it flags and why, examples it flags and
        leaves alone, and what to write instead."""
        with _tool_errors("explain_rule"):
            checker = warm.get()
            try:
                return checker.explain(id)
            except KeyError:
                raise ToolError(f"unknown rule '{id}'{did_you_mean(id, checker.rules)}") from None

    def check_library(
        path: Annotated[str, Field(description="A file or folder on the server's machine: absolute, or "
                                               "relative to the folder the server runs in.",
                                   min_length=1, max_length=4096)],
    ) -> CheckLibraryResult:
        """Lint saved replies on disk, as `phraselint check PATH` does: a text, Markdown or HTML
        file, a reply library (Zendesk macros, Help Scout saved replies, Freshdesk canned
        responses as JSON, YAML or CSV), or a folder of them (walked recursively; hidden and
        git-ignored files are skipped). Returns a summary, the findings (capped: the most severe
        first, with how many were left out), the lowest reply scores, and the files that could
        not be read."""
        with _tool_errors("check_library"):
            target = _library_path(path)
            return _library_result(warm.get().check_paths([str(target)]), target.is_dir())

    read_only = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
    for fn, title in ((check_reply, "Check a reply"), (fix_reply, "Fix a reply"),
                      (explain_rule, "Explain a rule"), (check_library, "Check saved replies")):
        # the docstring as one paragraph: its indentation is no use to an agent
        server.add_tool(fn, title=title, description=" ".join(fn.__doc__.split()), annotations=read_only)
    return server


def serve(config: str | None = None, rules=(), select: list[str] | None = None, ignore=(),
          process: forked.CheckerProcess | None = None) -> None:
    """Run the MCP server on stdio until the client closes it. Without `config`, the config
    found upward from the current folder (as `phraselint check` finds it). `process`: the
    Checker's child process, forked before the SDK was imported (`servers.serve`); without it
    the Checker is built here, in a thread."""
    log_to_stderr("mcp")
    recipe = checker_recipe(config, rules, select, ignore, log=log)

    def build():
        if process is not None:
            try:
                return process.wait()
            except PhraselintError:
                raise
            except Exception as exc:  # the child died (OOM killer, kill -9): build it here
                log.warning("%s: building the checker in this process", exc)
        return recipe()
    _filter_stdin(_no_lone_surrogates)
    build_server(WarmChecker(build)).run("stdio")


#: A JSON escape that is no text: a lone UTF-16 surrogate (`\ud800` without its pair). The SDK
#: refuses the whole message for it, and never answers the request; as U+FFFD it is checked.
_ESCAPES = re.compile(rb"(\\\\)|(\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})|(\\u[dD][89a-fA-F][0-9a-fA-F]{2})")


def _no_lone_surrogates(line: bytes) -> bytes:
    if b"\\u" not in line:
        return line
    return _ESCAPES.sub(lambda m: rb"\ufffd" if m.group(3) else m.group(0), line)


def _filter_stdin(transform: Callable[[bytes], bytes]) -> None:
    """Pass each line the client sends through `transform` before the SDK reads it: fd 0 becomes
    a pipe, fed by a daemon thread from the real stdin (end of input passes through)."""
    source = os.dup(0)
    read_end, write_end = os.pipe()
    os.dup2(read_end, 0)
    os.close(read_end)

    def pump() -> None:
        with os.fdopen(source, "rb") as client, os.fdopen(write_end, "wb", buffering=0) as sdk:
            try:
                for line in iter(lambda: client.readline(MAX_MESSAGE + 1), b""):
                    if len(line) > MAX_MESSAGE:  # no newline in reach: an endless stream, not a message
                        log.error("a message from the client is over %d MB long: closing", MAX_MESSAGE >> 20)
                        return  # the SDK reads the end of its input and the server exits
                    sdk.write(transform(line))
            except OSError:  # the SDK stopped reading: nothing more to pass on
                pass

    threading.Thread(target=pump, name="phraselint-stdin", daemon=True).start()


# ------------------------------------------------------------------ helpers

@contextmanager
def _tool_errors(tool: str) -> Iterator[None]:
    """phraselint's errors as tool errors; anything unexpected logged with its traceback and
    reported as a one-line tool error, so that the server keeps serving."""
    try:
        yield
    except ToolError:
        raise
    except PhraselintError as exc:
        log.info("%s: %s", tool, exc)
        raise ToolError(_one_line(str(exc))) from None
    except Exception as exc:
        log.exception("%s: unexpected error", tool)
        raise ToolError(f"internal error: {type(exc).__name__}: {_one_line(str(exc))} "
                        "(the server logged a traceback on stderr)") from None


def _one_line(message: str, limit: int = 500) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit - 1] + "…"


def _finding(f) -> Finding:
    return Finding(rule=f.rule, severity=f.severity, message=f.message, offset=f.offset, end_offset=f.end_offset,
                   match=f.match, suggestions=list(f.suggestions), fix=Edit(**f.fix) if f.fix else None,
                   scope=f.scope, reason=f.reason)


def _library_path(path: str) -> Path:
    """The path to lint: `~` expanded, relative to the working folder. A missing path, stdin,
    or a folder too large to walk is a ToolError."""
    if path.strip() == "-":
        raise ToolError("'-' (stdin) is not available here: name a file or folder")
    shown = brief(path)
    try:
        target = Path(path).expanduser()
        found = target.exists()
    except RuntimeError:  # "~nosuchuser/…": no home folder to expand to
        raise ToolError(f"{shown}: no such user's home folder") from None
    except (OSError, ValueError) as exc:  # a name too long, a NUL character
        raise ToolError(f"{shown}: {getattr(exc, 'strerror', None) or 'not a usable path'}") from None
    if not found:
        raise ToolError(f"{shown}: no such file or folder (relative paths start at {os.getcwd()})")
    if target.is_dir() and _more_files_than(target, MAX_FILES):
        raise ToolError(f"{shown}: more than {MAX_FILES:,} files: name a smaller folder, or run "
                        "`phraselint check` on it")
    return target


def _more_files_than(folder: Path, limit: int) -> bool:
    """Whether `folder` holds more than `limit` files outside hidden folders (a quick bound,
    before phraselint's own walk)."""
    count = 0
    for _, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") or d == ".github"]
        count += len(files)
        if count > limit:
            return True
    return False


def _library_result(report, is_dir: bool) -> CheckLibraryResult:
    """A report as a capped result. Nothing readable at all (or a named file that failed) is a
    ToolError naming the first error."""
    failed_whole = report.errors and (not is_dir or report.files <= len(report.errors))
    if failed_whole:
        more = f" (and {len(report.errors) - 1} more errors)" if len(report.errors) > 1 else ""
        raise ToolError(_one_line(report.errors[0]) + more)
    order = {s: i for i, s in enumerate(("error", "warning", "suggestion"))}
    findings = sorted(report.findings, key=lambda f: order.get(f.severity, len(order)))  # stable: file order
    scores = sorted(report.replies, key=lambda r: r.score)
    summary = report.summary()
    return CheckLibraryResult(
        summary=Summary(**summary),
        findings=[_library_finding(f) for f in findings[:MAX_FINDINGS]],
        findings_omitted=max(0, len(findings) - MAX_FINDINGS),
        scores=[ReplyScore(path=r.path, reply=r.reply, line=r.line, score=r.score, missing=r.missing)
                for r in scores[:MAX_SCORES]],
        scores_omitted=max(0, len(scores) - MAX_SCORES),
        errors=[_one_line(e) for e in report.errors[:MAX_ERRORS]],
        errors_omitted=max(0, len(report.errors) - MAX_ERRORS))


def _library_finding(f) -> LibraryFinding:
    """A file's finding, its `match` cut to MAX_MATCH characters (a reply-level finding's match
    can be a whole reply)."""
    base = _finding(f).model_dump()
    if len(base["match"]) > MAX_MATCH:
        base["match"] = base["match"][:MAX_MATCH - 1] + "…"
    return LibraryFinding(**base, path=f.path, line=f.line, column=f.column, reply=f.reply)
