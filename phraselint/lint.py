"""Running a check: settings -> rules -> files -> findings. The CLI and the tests call this."""

from __future__ import annotations

import dataclasses
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from phraselint import collector, inputs, parallel, readers, suppress
from phraselint.coaching import VOCABULARY
from phraselint.coaching.analyzer import Coach, CoachPolicy
from phraselint.config import Config
from phraselint.errors import NotAReplyLibrary, PhraselintError, brief, say, shown_path
from phraselint.fix import Anchor, fix_for
from phraselint.model import Finding, FindingStream, Report, ReplyScore
from phraselint.rules import Catalog, Rule, glossary_rule, load_catalog, names, select_rules
from phraselint.text import LONG_LINE, Directive, LineIndex, Origin, ReplyText, line_at


@dataclass
class Settings:
    config: Config = field(default_factory=Config)
    select: list[str] | None = None
    #: Selectors added to the config's (or the command line's) `select` (--extend-select).
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rule_paths: list[Path] = field(default_factory=list)
    model: str | None = None
    input_format: str | None = None
    read_options: readers.ReadOptions = field(default_factory=readers.ReadOptions)
    report_unused_suppressions: bool = False
    #: The customer's message the replies answer (--incoming), for the reply-level checks.
    incoming: str | None = None
    #: A reply scoring below this is a finding (coaching.score) at the `fail_on` level.
    min_score: int | None = None
    fail_on: str | None = None
    #: What the text read from stdin is called in findings and scores (--stdin-filename).
    stdin_name: str | None = None

    @property
    def floor(self) -> int | None:
        return self.min_score if self.min_score is not None else self.config.min_score

    @property
    def fail_level(self) -> str:
        return self.fail_on or self.config.fail_on or "warning"


#: A reply longer than this (a whole HTML page, a huge JSON string) is linted but not scored:
#: the plain reader cuts text this long into parts, and coaching a book is meaningless.
MAX_REPLY_CHARS = 200_000


def _stderr(message: str) -> None:
    say(message, note=True)


def known_catalog(settings: Settings) -> Catalog:
    """Every rule this run could use, before selection (packs plus the jargon glossary), and
    the packs' signals."""
    config = settings.config
    catalog = load_catalog(list(config.rules) + list(settings.rule_paths), vocabulary=VOCABULARY)
    if config.jargon:
        catalog.rules.append(glossary_rule(config.jargon, config.path or "config"))
    return catalog


def known_rules(settings: Settings) -> list[Rule]:
    return known_catalog(settings).rules


def active_rules(settings: Settings, rules: list[Rule] | None = None) -> list[Rule]:
    """The rules this run uses: the known rules, selected, with severity overrides applied."""
    config = settings.config
    rules = known_rules(settings) if rules is None else rules
    origin = config.path or "config"
    known = rules
    # As in ruff: a command-line --select replaces the config's `select`; ignores add up.
    select_rules(known, config.select, config.ignore, origin=origin)  # unknown selectors are errors
    select = settings.select if settings.select is not None else config.select
    if settings.extend_select:
        select = None if select is None else select + settings.extend_select
    rules = select_rules(known, select, list(config.ignore) + list(settings.ignore), known=known)
    select_rules(known, list(config.severity) or None, None, origin=origin, select_key="severity")  # unknown: an error
    out = []
    for rule in rules:
        override = _severity_for(rule, config.severity)
        out.append(rule.with_severity(override) if override else rule)
    return out


def _severity_for(rule: Rule, overrides: dict[str, str]) -> str | None:
    """The most specific override: a rule id beats a prefix, which beats the category."""
    best, best_len = None, -1
    for selector, severity in overrides.items():
        if names(selector, rule.id, rule.category):
            specificity = len(selector) + (1000 if selector == rule.id else 0)
            if specificity > best_len:
                best, best_len = severity, specificity
    return best


def _own_files(settings: Settings) -> set[Path]:
    """phraselint's own config file and rule packs, which a folder walk must not lint."""
    from phraselint.rules import pack_files

    own: set[Path] = set()
    packs = [*settings.config.rules, *settings.rule_paths]
    if settings.config.path:
        packs.append(Path(settings.config.path))
    for p in map(Path, packs):
        try:
            own.update(q.resolve() for q in (pack_files(p) if p.is_dir() else [p]))
        except (OSError, RuntimeError, PhraselintError):
            continue
    return own


def _is_own(path: str, own: set[Path]) -> bool:
    from phraselint.config import CONFIG_NAMES

    name = Path(path).name
    if name in CONFIG_NAMES[:2]:
        return True
    if not any(p.name == name for p in own) and not os.path.islink(path):
        return False  # neither named like one of ours nor a link to one: no need to resolve it
    try:
        return Path(path).resolve() in own
    except (OSError, RuntimeError):  # a symlink loop: not ours, and read() will say what it is
        return False


def _extra_masks(reply: ReplyText, patterns: list[re.Pattern]) -> ReplyText:
    if patterns:
        reply.masks = reply.masks + [m.span() for p in patterns for m in p.finditer(reply.text)]
    return reply


def _in_file(finding: Finding, origin: Origin) -> Finding:
    """A finding in a part of a file read on its own, moved to where that part sits in the
    file (a part is one line, or one JSON string of a long line)."""
    finding.offset += origin.offset
    finding.end_offset += origin.offset
    if finding.line == 1:
        finding.column += origin.column
        finding.source_cut += origin.column
    if finding.end_line == 1:
        finding.end_column += origin.column
    finding.line += origin.line
    finding.end_line += origin.line
    finding.source_more = finding.source_more or origin.open_end
    if finding.fix:
        finding.fix = {**finding.fix, "offset": finding.fix["offset"] + origin.offset,
                       "end_offset": finding.fix["end_offset"] + origin.offset}
    return finding


def _whole_reply(reply: ReplyText, raw: str) -> list[Directive]:
    """A library reply's `phraselint: disable=…` key, as a directive over the whole reply."""
    if not reply.disable:
        return []
    start, end = reply.to_raw.span(0, len(reply.text))
    line = line_at(raw, start)
    return [Directive(tuple(reply.disable), start, end, line, f"phraselint: disable={','.join(reply.disable)}")]


def inputs_of(paths: list[str], settings: Settings, note: Callable[[str], None],
              error: Callable[[PhraselintError], None]) -> list[inputs.Input]:
    """The files a run reads: `paths` expanded, minus phraselint's own config and rule packs
    found by walking a folder."""
    own = _own_files(settings)
    return [f for f in inputs.expand(paths, settings.config.exclude, note, error)
            if f.explicit or not _is_own(f.path, own)]


class Linter:
    """The rules of a run and the engine that applies them, for any number of texts.

    `unsafe`: findings' fixes may apply a `review` suggestion (`phraselint fix --unsafe`).
    `engine`: an engine built earlier for the same rules (tests share one).
    `nlp`: a spaCy pipeline loaded earlier, for this linter's own engine (`api.Checker`'s fixer).
    `coaching`: run the reply-level rules (`phraselint fix` does not: they have no fixes).
    """

    def __init__(self, settings: Settings, note: Callable[[str], None] = _stderr, unsafe: bool = False,
                 engine=None, coaching: bool = True, nlp=None):
        self.settings, self.note, self.unsafe = settings, note, unsafe
        self.catalog = known_catalog(settings)
        self.known = self.catalog.rules
        self.rules = [r for r in active_rules(settings, self.known) if coaching or r.check is None]
        self.reply_rules = [r for r in self.rules if r.check]
        self.phrase_rules = [r for r in self.rules if not r.check]
        # The reply-level checks read the categories their pack declares (`reads:`) through
        # those rules, reported or not, so that `--select coaching` scores as the full run does.
        active = {r.id for r in self.rules}
        reads = frozenset(self.catalog.reads)
        self.silent = [r for r in self.known if r.category in reads and r.id not in active
                       and not r.check] if self.reply_rules else []
        self._silent_ids = {r.id for r in self.silent}
        if settings.floor is not None and not any(r.check == "min_score" for r in self.reply_rules):
            note("--min-score has no effect: the coaching.score rule is not selected")
        # The checks that make the score: the active ones; with only coaching.score selected,
        # every known check (unreported), so that the minimum still has a score to hold.
        self.scored = self.reply_rules
        if self.reply_rules and not any(r.weight for r in self.reply_rules):
            self.scored = self.reply_rules + [r for r in self.known if r.check and r.weight and r.id not in active]
        self._unreported = {r.id for r in self.scored} - active
        known_severity = {r.id: r.severity for r in self.known}
        #: coaching.score reports at the --fail-on level, unless the config sets its severity.
        self._floor_severity = {r.id: r.severity for r in self.reply_rules
                                if r.check == "min_score" and r.severity != known_severity.get(r.id)}
        self.known_ids = {r.id for r in self.known} | {r.category for r in self.known}
        self.categories = {r.id: r.category for r in self.rules}
        self.extra = [re.compile(p) for p in settings.read_options.placeholders]
        self._engine, self._nlp = engine, nlp
        # The active alternative check says how an answered refusal is reported (a team's own
        # rule with `check: alternative` replaces the default's when that one is ignored).
        answered = next((r.options.get("answered", "suggestion") for r in self.rules + self.known
                         if r.check == "alternative"), "suggestion")
        self.coach = Coach(CoachPolicy(
            scored=self.scored, unreported=self._unreported, reads=reads, read_only=frozenset(self._silent_ids),
            answered=answered, floor=settings.floor,
            fail_level=settings.fail_level, floor_severity=self._floor_severity,
            phrase_rules=bool(self.phrase_rules), incoming=settings.incoming), note) if self.reply_rules else None

    @property
    def engine(self):
        from phraselint.engine import Engine

        if self._engine is None:
            observer = self.coach.observer(self.catalog.signals) if self.coach else None
            self._engine = Engine(self.rules + self.silent, self.settings.model, warn=self.note, observer=observer,
                                  nlp=self._nlp)
            collector.resume()
        elif self.coach is not None and self.coach.cues is None:
            self.coach.cues = self._engine.observer  # an engine built earlier for the same rules
        return self._engine

    def replies(self, source: inputs.Source, reader) -> Iterator[tuple[ReplyText, suppress.Suppressions]]:
        """The replies a reader finds in `source`, with the file's suppressions (filled as the
        replies are read). Reader errors propagate."""
        sups = suppress.Suppressions(suppress.parse(source.text, getattr(reader, "DIRECTIVES", None),
                                                    getattr(reader, "comments", None)))
        try:
            for reply in reader.read(source.text, source.path, self.settings.read_options):
                yield self._prepared(reply, source, sups), sups
        finally:  # a reader error part-way still leaves the notes on what was read
            self._note_unknown(source, sups)

    def parts(self, source: inputs.Source, latin: str, reader) -> Iterator[
            tuple[inputs.Source, ReplyText, suppress.Suppressions]]:
        """The replies of a large file read reply by reply (see `inputs.windowed`), each with a
        `Source` of its own part of the file and its own suppressions. Reader errors propagate."""
        directed: list[tuple[inputs.Source, suppress.Suppressions]] = []
        try:
            for window in reader.windows(latin, source.path, self.settings.read_options):
                part = dataclasses.replace(source, text=window.text, origin=window.origin)
                sups = suppress.Suppressions([])
                yield part, self._prepared(window.reply, part, sups), sups
                if sups.directives:
                    directed.append((part, sups))
        finally:  # once the file is read, as for a file read whole
            for part, sups in directed:
                self._note_unknown(part, sups)

    def _prepared(self, reply: ReplyText, source: inputs.Source, sups: suppress.Suppressions) -> ReplyText:
        if len(reply.text) > MAX_REPLY_CHARS:
            reply.whole = False  # a page, not a reply: its phrases are linted, it is not coached
        sups.directives.extend(reply.directives + _whole_reply(reply, source.text))
        return _extra_masks(reply, self.extra)

    def _note_unknown(self, source: inputs.Source, sups: suppress.Suppressions) -> None:
        for directive, name in suppress.unknown_rules(sups.directives, self.known_ids):
            where = f"{source.path}:{source.file_line(directive.line)}"
            self.note(f"{where}: warning: unknown rule '{brief(name)}' in suppression")

    def findings(self, stream: Iterable[tuple[inputs.Source, ReplyText, int, suppress.Suppressions]],
                 anchored: bool = True, scores: list[ReplyScore] | None = None,
                 lines: bool = True) -> Iterator[Finding]:
        """Findings for `(source, reply, index of the reply in its file, suppressions)` items,
        reply by reply, each reply's in text order.
        `anchored`: keep each finding's place in its reply, for fixing (it keeps the reply alive).
        `scores`: a list to which each reply's score is appended (with reply-level rules).
        `lines`: give each finding its source line, for the text format (fixing shows none)."""
        pending: deque[tuple] = deque()

        def tagged():
            for item in stream:
                pending.append(item)
                yield item[1]

        index, indexed = None, None  # the line index of the current source, built on its first finding
        shown = (None, 0, (0, 0))  # the last source line given to a finding: (source, line, its span)

        def place(source, start: int, end: int) -> tuple[int, int, int, int]:
            """Line and column of a raw span."""
            nonlocal index, indexed
            if indexed is not source:
                index, indexed = LineIndex(source.text), source
            line, col = index.position(start)
            end_line, end_col = index.position(end)
            return line, col, end_line, end_col

        def with_line(finding: Finding, source) -> Finding:
            """The finding, with the raw line it starts on (one string for findings on one line);
            of a long line, the part around the finding."""
            nonlocal shown
            if shown[0] is not source or shown[1] != finding.line:
                shown = (source, finding.line, index.line_span(source.text, finding.line))
            start, end = shown[2]
            if end - start > LONG_LINE:  # not a copy of a one-line export per finding
                cut = max(start, finding.offset - LONG_LINE // 2)
                stop = min(end, max(finding.end_offset, finding.offset) + LONG_LINE // 2)
                finding.source_cut, finding.source_more = cut - start, stop < end
                start, end = cut, stop
            finding.source_line = source.text[start:end]
            return finding

        for hits, reading in self.engine.analyse(tagged()):
            source, reply, number, sups = pending.popleft()
            review = self.coach.review(source, reply, sups, reading) if reading and self.coach else None
            severities = []
            found = []
            for hit in hits:
                if hit.rule.id in self._silent_ids:
                    continue  # read by the reply-level checks only
                start, end = reply.to_raw.span(hit.start, hit.end)
                if sups.silences(hit.rule.id, self.categories.get(hit.rule.id, ""), start, end):
                    continue
                if review is not None and not review.keeps(hit):
                    continue  # a "no" the reply answers with an alternative
                severity = review.severity(hit) if review is not None else hit.rule.severity
                severities.append(severity)
                line, col, end_line, end_col = place(source, start, end)
                anchor = Anchor(reply, number, hit.start, hit.end, hit.sentence_start, hit.suggestions)
                fixed = fix_for(anchor, source.text, self.unsafe)
                reason = review.reason(hit) if review is not None else ""
                message = f"{hit.rule.message} ({reason})" if reason else hit.rule.message
                found.append(Finding(
                    path=source.path, rule=hit.rule.id, severity=severity, message=message,
                    line=line, column=col, end_line=end_line, end_column=end_col, offset=start, end_offset=end,
                    match=source.text[start:end], suggestions=hit.texts, reply=reply.name,
                    fix=fixed[0] if fixed else None, anchor=anchor if anchored else None,
                    edit=fixed[1] if fixed and anchored else None,
                ))
            if review is not None:
                scored = len(scores) if scores is not None else 0
                found.extend(self.coach.findings(source, review, sups, severities, place, scores))
                if source.origin is not None and scores is not None:
                    for score in scores[scored:]:
                        score.line = source.file_line(score.line)
            found.sort(key=lambda f: f.sort_key)
            for finding in found:
                if lines:
                    finding = with_line(finding, source)
                yield _in_file(finding, source.origin) if source.origin is not None else finding

    def lint_source(self, source: inputs.Source, reader) -> tuple[list[ReplyText], list[Finding]]:
        """One text's replies and findings (reader errors propagate), for fixing: without
        source lines (on a long line, a window of it for each finding)."""
        replies = list(self.replies(source, reader))
        stream = ((source, reply, i, sups) for i, (reply, sups) in enumerate(replies))
        found = sorted(self.findings(stream, lines=False), key=lambda f: f.sort_key)
        return [r for r, _ in replies], found


def check(paths: list[str], settings: Settings, note: Callable[[str], None] = _stderr,
          progress: Callable[[int, int], None] | None = None, linter: Linter | None = None,
          stream: bool = False) -> Report:
    """Lint `paths`. `progress(done, total)` is called as each file is finished.

    Findings come file by file in path order, reply by reply in reading order, each reply's in
    text order. `stream`: they are a `FindingStream`, made as it is read, so memory stays flat
    however many replies there are (the report's errors and file count are complete once it
    has been read); otherwise a list."""
    report = Report()

    def error(exc: PhraselintError) -> None:
        report.errors.append(str(exc))
        say(str(exc))  # an error is said even under --quiet

    linter = linter or Linter(settings, note)
    report.rules = linter.rules
    # In path order, so that file-by-file findings come out sorted as a whole.
    files = sorted(inputs_of(paths, settings, note, error), key=lambda f: f.path)
    report.inputs = len(files)
    if files:
        linter.engine  # load spaCy before reading files: a bad --model fails first

    def lint(part: list[inputs.Input], into: Report) -> Iterator[Finding]:
        return _lint_files(part, settings, linter, into, error, note, progress)

    workers = parallel.workers(len(files)) if stream and progress is None else 1
    found = parallel.lint_sharded(files, workers, lint, report) if workers > 1 else lint(files, report)
    findings = _then_check_any_was_read(found, files, paths, report, error)
    report.findings = FindingStream(findings) if stream else list(findings)
    return report


def _then_check_any_was_read(findings: Iterator[Finding], files: list, paths: list[str], report: Report,
                             error: Callable[[PhraselintError], None]) -> Iterator[Finding]:
    yield from findings
    if files and not report.files and not report.errors:
        error(PhraselintError("no readable text in the given paths (every file was skipped)",
                              ", ".join(paths)))


def _lint_files(files: list[inputs.Input], settings: Settings, linter: Linter, report: Report,
                error: Callable[[PhraselintError], None], note: Callable[[str], None],
                progress: Callable[[int, int], None] | None) -> Iterator[Finding]:
    """The findings of `files`, reply by reply, filling `report` (files read, reply scores;
    errors through `error`); the unused-suppression notes once they are all read."""
    with_directives: list[tuple[inputs.Source, suppress.Suppressions]] = []  # each file's, or each part's
    done = 0

    def replies():
        nonlocal done
        for item in files:
            path = item.path
            reader = readers.reader_for(path, settings.input_format)
            latin = None
            try:
                data = inputs.read_bytes(path)
                whole = inputs.windowed(path, data) if hasattr(reader, "windows") else None
                source, latin = whole if whole else (inputs.decode(path, data, note), None)
                del data  # a large export is held once, as `latin`
            except PhraselintError as exc:
                error(exc)
                continue
            finally:
                done += 1
                if progress:
                    progress(done, len(files))
            if source is None:
                continue
            shown = settings.stdin_name if path == inputs.STDIN and settings.stdin_name else shown_path(path)
            if shown != source.path:
                source = dataclasses.replace(source, path=shown)
            report.files += 1
            parts = linter.parts(source, latin, reader) if latin is not None else \
                ((source, reply, sups) for reply, sups in linter.replies(source, reader))
            try:  # readers are generators: their errors surface while iterating
                for number, (part, reply, sups) in enumerate(parts):
                    if sups.directives and settings.report_unused_suppressions and \
                            (not with_directives or with_directives[-1][1] is not sups):
                        with_directives.append((part, sups))
                    yield part, reply, number, sups
            except NotAReplyLibrary as exc:
                if item.explicit:
                    error(exc)
                else:
                    report.files -= 1
                    note(f"{exc} (skipped)")
            except PhraselintError as exc:
                error(exc)

    yield from linter.findings(replies(), anchored=False, scores=report.replies)
    for source, sups in with_directives:
        for d in sups.unused():
            where = f"{source.path}:{source.file_line(d.line)}" if d.line else source.path
            note(f"{where}: unused suppression: {d.text}")
