"""The public Python API: one warm `Checker` for any number of drafts.

    from phraselint import Checker
    checker = Checker()                          # or Checker(config="phraselint.yaml", select=["refusal"])
    result = checker.check("We can't refund it.", incoming="My parcel never arrived!")
    result.findings   # Finding: .rule .severity .message .offset .end_offset .match .suggestions .fix .scope
    result.score      # 0-100, or None; result.checks: {rule_id: True/False/None}
    fixed = checker.fix(text)                    # fixed.text: the safe fixes applied; fixed.edits
    checker.explain("refusal.cant")

The command line, the language server and the MCP server all go through it. Names exported by
`phraselint` (`Checker`, `CheckResult`, `FixResult`, `Edit`, `Finding`, `ReplyScore`,
`PhraselintError`) are stable across minor versions.

Threads: a `Checker` may be shared; its calls run one at a time (spaCy's tokenizer and the
matchers are not safe to run concurrently). For parallel work use one process per core.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from phraselint import config as config_mod
from phraselint import inputs, readers
from phraselint.errors import PhraselintError, brief
from phraselint.lint import Linter, Settings
from phraselint.model import Finding, Report, ReplyScore

#: The name a text is given when the caller gives none (its findings' `path`).
TEXT_NAME = "-"


@dataclass(frozen=True)
class CheckResult:
    """The findings of one text, and the score of each reply in it (a draft is one reply; a
    library text in `format="json"` or `"yaml"` may hold many)."""

    findings: list[Finding]
    replies: list[ReplyScore] = field(default_factory=list)

    @property
    def score(self) -> int | None:
        """The reply's score (0-100); for several replies, the lowest; None without coaching."""
        return min((r.score for r in self.replies), default=None)

    @property
    def checks(self) -> dict[str, bool | None]:
        """Each reply-level check on the (first) reply: True holds, False fails, None does not apply."""
        return dict(self.replies[0].checks) if self.replies else {}

    def to_dict(self) -> dict:
        """The same shape as `phraselint check --format json`'s results and replies."""
        return {"results": [f.to_dict() for f in self.findings], "replies": [r.to_dict() for r in self.replies],
                "score": self.score, "checks": self.checks}


@dataclass(frozen=True)
class Edit:
    """One rewritten span of the original text: `text[offset:end_offset]` became `replacement`."""

    offset: int
    end_offset: int
    replacement: str

    def to_dict(self) -> dict:
        return {"offset": self.offset, "end_offset": self.end_offset, "replacement": self.replacement}


@dataclass(frozen=True)
class FixResult:
    """`text` with the fixes applied; `edits` in the original's offsets; the phrase findings
    left in the fixed text; how many fixes were applied."""

    text: str
    edits: list[Edit]
    findings: list[Finding]
    applied: int

    def to_dict(self) -> dict:
        return {"text": self.text, "edits": [e.to_dict() for e in self.edits],
                "remaining": [f.to_dict() for f in self.findings], "applied": self.applied}


class Checker:
    """The rules of one configuration and a warm spaCy pipeline, for many checks.

    `config`: a phraselint.yaml (or pyproject.toml) path; else, with `root`, the config found
    upward from `root` as the command line finds it from the current folder; else the defaults.
    `select`, `ignore`, `rules` (extra rule packs) and `model` are the command line's options.
    `coaching`: run the reply-level checks and score (on by default).
    Raises `PhraselintError` for a bad config, rule pack or model.
    """

    def __init__(self, config: str | Path | None = None, *, root: str | Path | None = None,
                 select: Sequence[str] | None = None, ignore: Sequence[str] = (),
                 rules: Sequence[str | Path] = (), model: str | None = None, coaching: bool = True,
                 note=None):
        loaded = config_mod.load(Path(config)) if config else \
            config_mod.resolve(None, Path(root)) if root else config_mod.Config()
        self.settings = Settings(config=loaded, select=list(select) if select is not None else None,
                                 ignore=list(ignore), rule_paths=[Path(p) for p in rules], model=model,
                                 read_options=readers.ReadOptions(placeholders=tuple(loaded.placeholders)))
        self._note = note or (lambda message: None)  # notes ("not scored") are not the caller's output
        self._linter = Linter(self.settings, self._note, coaching=coaching)
        self._linter.engine  # load spaCy now: the first check is as fast as the rest
        self._fixers: dict[bool, Linter] = {}
        self._lock = threading.RLock()

    # ------------------------------------------------------------ checking

    def check(self, text: str | bytes, incoming: str | bytes | None = None, *, format: str | None = None,
              name: str = TEXT_NAME) -> CheckResult:
        """Lint one text. `incoming`: the customer's message it answers, str or UTF-8 bytes (for the coaching
        checks). `format`: "plain" (default), "markdown", "html", "json", "yaml", "csv"; else
        from `name`'s extension. Raises `PhraselintError` for a text its format cannot read
        (`e.line` says where when known)."""
        source, reader = self._source(text, format, name)
        incoming = _message(incoming)
        with self._lock:
            replies = list(self._linter.replies(source, reader))
            if incoming is not None:
                for reply, _ in replies:
                    if reply.incoming is None:
                        reply.incoming = incoming
            scores: list[ReplyScore] = []
            stream = ((source, reply, i, sups) for i, (reply, sups) in enumerate(replies))
            findings = list(self._linter.findings(stream, anchored=False, scores=scores))
        return CheckResult(findings, scores)

    def check_paths(self, paths: Iterable[str | Path]) -> Report:
        """Lint files and folders as `phraselint check` does (its findings are a list)."""
        from phraselint.lint import check

        with self._lock:
            return check([str(p) for p in paths], self.settings, note=self._note, linter=self._linter)

    def fix(self, text: str | bytes, *, unsafe: bool = False, format: str | None = None,
            name: str = TEXT_NAME) -> FixResult:
        """`text` with its fixes applied: the safe ones, or with `unsafe` also the first
        suggestion of rules whose rewrites need review. Raises `PhraselintError` when fixing
        would change the text's structure (it is then left as it was)."""
        from phraselint.fixfile import fix_source

        source, reader = self._source(text, format, name)
        with self._lock:
            fixer = self._fixers.get(unsafe)
            if fixer is None:  # its own matchers (phrase rules only), on the same spaCy pipeline
                fixer = self._fixers[unsafe] = Linter(self.settings, self._note, unsafe=unsafe, coaching=False,
                                                      nlp=self._linter.engine.nlp)
            fixed = fix_source(fixer, source, reader)
        edits = [Edit(o0, o1, fixed.after[c0:c1]) for o0, o1, c0, c1 in fixed.log.spans]
        return FixResult(fixed.after, edits, fixed.remaining, fixed.applied)

    # ------------------------------------------------------------ rules

    def explain(self, rule_id: str) -> str:
        """A rule's documentation, as `phraselint rule ID` prints it. KeyError for an unknown id."""
        from phraselint.docs import rule_doc

        rule = next((r for r in self._linter.known if r.id == rule_id), None)
        if rule is None:
            raise KeyError(f"unknown rule '{brief(rule_id)}' (see `phraselint rules`)")
        return rule_doc(rule)

    @property
    def rules(self) -> list[str]:
        """The ids of the active rules."""
        return [r.id for r in self._linter.rules]

    # ------------------------------------------------------------ helpers

    def _source(self, text: str | bytes, format: str | None, name: str):
        if isinstance(text, bytes):
            source = inputs.decode(name, text, self._note)
            if source is None:
                raise PhraselintError("not text (a binary file)", name)
        elif isinstance(text, str):
            source = inputs.Source(name, _well_formed(text))
        else:
            raise TypeError(f"text must be str or bytes, not {type(text).__name__}")
        if format is not None and format not in readers.names():
            raise PhraselintError(f"unknown format '{format}' (one of {', '.join(readers.names())})", name)
        return source, readers.reader_for(name, format)


def _well_formed(text: str) -> str:
    """`text` with each lone surrogate (a bad decode upstream, which no UTF-8 output can
    encode) as U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "".join(c if not 0xD800 <= ord(c) <= 0xDFFF else "\ufffd" for c in text)


def _message(incoming: str | bytes | None) -> str | None:
    """The customer's message as text: bytes are read as UTF-8 (bad bytes as U+FFFD)."""
    if incoming is None or isinstance(incoming, str):
        return incoming if incoming is None else _well_formed(incoming)
    if isinstance(incoming, bytes):
        return incoming.decode("utf-8-sig", errors="replace")
    raise TypeError(f"incoming must be str, bytes or None, not {type(incoming).__name__}")
