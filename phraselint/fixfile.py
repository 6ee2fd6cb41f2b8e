"""Fixing one file: apply fixes in passes until none is left, check that nothing but the edited
text changed, and write the result safely.

A pass applies every fix that does not overlap another (`fix.non_overlapping`), then re-reads
and re-lints the new text: a fix held back by an overlap, or one a deletion made possible, is
applied in the next pass. So one `phraselint fix` leaves nothing for a second to do.

After each pass the file is read again, and every reply must read exactly as its edits say it
should; a JSON or YAML library must also parse to the same structure, with only the edited
strings different. Otherwise the file is not written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from phraselint import inputs
from phraselint.errors import PhraselintError, printable, shown_path
from phraselint.fix import EditLog, apply, non_overlapping
from phraselint.model import Finding

#: Passes before giving up on fixes that keep producing new ones (a rule pack that rewrites in
#: circles). Real texts need two at most.
MAX_PASSES = 8
#: Files read and linted together in the first pass.
BATCH_FILES = 64


@dataclass
class FileFix:
    path: str
    before: str
    after: str
    applied: int = 0
    remaining: list[Finding] = field(default_factory=list)
    log: EditLog = field(default_factory=EditLog)

    @property
    def changed(self) -> bool:
        return self.after != self.before


def _expected(replies, chosen: list[Finding]) -> list[str]:
    """Each reply's text as it must read after `chosen` fixes."""
    texts = [r.text for r in replies]
    for f in sorted(chosen, key=lambda f: (f.anchor.index, f.edit.start), reverse=True):
        texts[f.anchor.index] = f.edit.apply(texts[f.anchor.index])
    return texts


def _written(chosen: list[Finding]) -> list[tuple[int, int]]:
    """Where the fixes of a pass put their replacements, in the text they made."""
    spans, shift = [], 0
    for f in sorted(chosen, key=lambda f: f.fix["offset"]):
        start = f.fix["offset"] + shift
        spans.append((start, start + len(f.fix["replacement"])))
        shift += len(f.fix["replacement"]) - (f.fix["end_offset"] - f.fix["offset"])
    return spans


def _strings_differing(a, b, budget: list[int]) -> int:
    """How many strings differ between two parsed documents; -1 when anything else does. A
    YAML string used again through an alias or a merge key (`<<: *base`) is one object in the
    parsed document, and counts once; so is a container, which an alias may even put inside
    itself (read with a stack of pairs, not recursion: no depth or cycle is too much)."""
    seen: set[int] = set()  # strings counted
    compared: set[tuple[int, int]] = set()  # containers whose pair is already on the stack
    count, stack = 0, [(a, b)]
    while stack:
        a, b = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            return -1
        if isinstance(a, str) and isinstance(b, str):
            if a != b and id(a) not in seen:
                seen.add(id(a))
                count += 1
            continue
        if type(a) is not type(b):
            return -1
        if isinstance(a, (dict, list)):
            pair = (id(a), id(b))
            if pair in compared:
                continue
            compared.add(pair)
            if isinstance(a, dict):
                if list(a) != list(b):
                    return -1
                stack.extend((a[k], b[k]) for k in a)
            else:
                if len(a) != len(b):
                    return -1
                stack.extend(zip(a, b))
        elif a != b:
            return -1
    return count


def _number(text: str) -> tuple[str, str]:
    return ("number", text)


def _parsed(text: str, reader_name: str):
    if reader_name == "json":  # numbers as their text: one over 4,300 digits is no error here
        return [json.loads(text, parse_int=_number, parse_float=_number)]
    import yaml

    from phraselint.yamlsrc import Loader

    return list(yaml.load_all(text, Loader=Loader))


def _same_structure(before: str, after: str, reader_name: str, edited: int, path: str) -> None:
    """A JSON or YAML library parses to the same structure after fixing; at most the edited
    replies' strings differ."""
    if reader_name not in ("json", "yaml"):
        return
    try:
        old, new = _parsed(before, reader_name), _parsed(after, reader_name)
    except Exception:  # noqa: BLE001 - any parse failure of the fixed text means: do not write
        raise PhraselintError(f"fixing would make the {reader_name.upper()} unreadable; not written", path) from None
    differing = _strings_differing(old, new, [1_000_000])
    if differing < 0 or differing > edited:
        raise PhraselintError(f"fixing would change the {reader_name.upper()} structure; not written", path)


def fix_source(linter, source: inputs.Source, reader, review=None,
               linted: tuple[list, list[Finding]] | None = None) -> FileFix:
    """Fix `source` in memory. Each pass applies every fix that does not overlap another; with
    `review` (interactive.Reviewer), `review.choose(findings, text)` picks them instead, and
    after the first pass it is asked only about findings where the last edits were made (one
    held back by an overlap, or one an edit created). `linted`: the source's replies and
    findings, when they were linted already."""
    if source.encoding != "utf-8":
        raise PhraselintError(f"not fixed: the file is {source.encoding.upper()}, and fixes are written as UTF-8 "
                              "only; convert it to UTF-8 first", source.path)
    if source.lossy:
        raise PhraselintError("not fixed: the file is not valid UTF-8, and writing it back would lose bytes",
                              source.path)
    text = source.text
    result = FileFix(source.path, text, text)
    replies, found = linted or linter.lint_source(source, reader)
    touched: list[tuple[int, int]] | None = None  # where the last pass wrote, in the current text
    for _ in range(MAX_PASSES):
        if review is None:
            fixable = [f for f in found if f.fix]
            taken_fixes = {id(x) for x in non_overlapping([f.fix for f in fixable])}
            chosen = [f for f in fixable if id(f.fix) in taken_fixes]
        else:
            asked = found if touched is None else [
                f for f in found if any(f.offset <= b and a <= f.end_offset for a, b in touched)]
            chosen = review.choose(asked, text) if asked else []
        if not chosen:
            break
        new = apply(text, [f.fix for f in chosen])
        expected = _expected(replies, chosen)
        try:
            replies, found = linter.lint_source(inputs.Source(source.path, new), reader)
        except PhraselintError:
            raise PhraselintError("fixing would make the file unreadable; not written", source.path) from None
        texts = [r.text for r in replies]
        if texts != expected and not (getattr(reader, "PARTS", False) and "".join(texts) == "".join(expected)):
            raise PhraselintError("fixing would change more than the fixed text; not written", source.path)
        result.log.record([f.fix for f in chosen])
        result.applied += len(chosen)
        text = new
        touched = _written(chosen)
        if review is not None and review.quit:
            break
    if not result.log.unchanged_outside(source.text, text):  # a safety net: never expected to fire
        raise PhraselintError("fixing would change text outside the fixed spans; not written", source.path)
    _same_structure(source.text, text, reader.NAME, result.applied, source.path)
    result.after, result.remaining = text, found
    return result


def inside(path: str, root: str) -> bool:
    """Whether `path`, with every symlink resolved, is inside `root` (resolved too)."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


# ------------------------------------------------------------------ many files


@dataclass
class FixReport:
    files: list[FileFix] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: Set by interactive review when the user quits: the files after it were not looked at.
    stopped: bool = False

    @property
    def applied(self) -> int:
        return sum(f.applied for f in self.files)

    @property
    def remaining(self) -> list[Finding]:
        return [x for f in self.files for x in f.remaining]

    def summary(self, dry_run: bool) -> str:
        changed = sum(1 for f in self.files if f.changed)
        verb = "Would fix" if dry_run else "Fixed"
        left = len(self.remaining)
        fixable = sum(1 for x in self.remaining if x.fix)
        tail = f"; {left} finding{'s' * (left != 1)} remaining" + (f" ({fixable} fixable)" if fixable else "")
        return (f"{verb} {self.applied} finding{'s' * (self.applied != 1)} in {changed} "
                f"file{'s' * (changed != 1)}{tail}.")


def unified_diff(fixed: FileFix) -> str:
    import difflib

    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith(("\n", "\r")):
            out[-1] += "\n\\ No newline at end of file\n"
        return out

    name = printable(shown_path(os.path.normpath(fixed.path))) if fixed.path != inputs.STDIN else "stdin"
    name = name.lstrip("/")
    return "".join(difflib.unified_diff(lines(fixed.before), lines(fixed.after), f"a/{name}", f"b/{name}"))


def fix_paths(paths: list[str], settings, note: Callable[[str], None], out, *, unsafe: bool = False,
              diff: bool = False, review=None, read_only_too: bool = False) -> FixReport:
    """Fix every input. Writes each changed file (or its diff, with `diff`) as soon as it is
    done, so an interrupted run keeps the files already fixed; stdin's fixed text goes to `out`.
    `review`: an interactive reviewer (see interactive.py) that chooses the fixes."""
    from phraselint import readers
    from phraselint.errors import NotAReplyLibrary
    from phraselint.lint import Linter, inputs_of

    report = FixReport()

    def error(exc: PhraselintError) -> None:
        report.errors.append(str(exc))
        note(str(exc))

    linter = Linter(settings, note, unsafe, coaching=False)
    files = _once_each(inputs_of(paths, settings, note, error), note)
    if files:
        linter.engine  # load spaCy first: a bad --model fails before any file is touched

    stdin: list[bytes] = []  # what stdin held: a filter gives back exactly that when it cannot fix

    def failed(item, source, exc: PhraselintError) -> None:
        if isinstance(exc, NotAReplyLibrary) and not item.explicit:
            note(f"{exc} (skipped)")
        else:
            error(exc)
        if item.path == inputs.STDIN and not diff and stdin:
            out.write_bytes(stdin[0])  # a filter never swallows or alters its input

    def prepared(item):
        """The file read, with its replies: (source, reader, replies with suppressions), or None."""
        source = None
        try:
            if item.path != inputs.STDIN and not diff and not inside(item.path, item.root):
                raise PhraselintError(f"not fixed: a symlink to a file outside {item.root}", item.path)
            if item.path == inputs.STDIN:
                stdin.append(inputs.read_stdin())
                source = inputs.decode(item.path, stdin[0], note)
            else:
                source = inputs.read(item.path, note)
            if source is None:
                if stdin and not diff:
                    out.write_bytes(stdin[0])
                return None
            reader = readers.reader_for(item.path, settings.input_format)
            return source, reader, list(linter.replies(source, reader))
        except PhraselintError as exc:
            failed(item, source, exc)
            return None

    for start in range(0, len(files), BATCH_FILES):
        batch = [(item, ready) for item in files[start:start + BATCH_FILES] if (ready := prepared(item))]
        # One pass of the engine over the whole batch (spaCy works best on many texts at once);
        # only the files with fixes are linted again, one by one.
        stream = ((source, reply, i, sups) for _, (source, _r, replies) in batch
                  for i, (reply, sups) in enumerate(replies))
        by_path: dict[str, list[Finding]] = {}
        for finding in linter.findings(stream):
            by_path.setdefault(finding.path, []).append(finding)
        for item, (source, reader, replies) in batch:
            if report.stopped:
                break
            found = sorted(by_path.get(source.path, []), key=lambda f: f.sort_key)
            try:
                fixed = fix_source(linter, source, reader, review, ([r for r, _ in replies], found))
            except PhraselintError as exc:
                failed(item, source, exc)
                continue
            report.files.append(fixed)
            if review is not None and review.quit:
                report.stopped = True
            _deliver(fixed, source, diff, out, report, error, read_only_too)
    return report


def _once_each(files: list, note: Callable[[str], None]) -> list:
    """The inputs, each file once: a symlink to a sibling (or a path given twice) names a file
    already being fixed, and fixing it again would find it changed on disk."""
    seen: dict[str, str] = {}
    out = []
    for item in files:
        if item.path == inputs.STDIN:
            out.append(item)
            continue
        real = os.path.realpath(item.path)
        if real in seen:
            note(f"{item.path}: skipped, the same file as {seen[real]}")
            continue
        seen[real] = item.path
        out.append(item)
    return out


def _deliver(fixed: FileFix, source: inputs.Source, diff: bool, out, report: FixReport, error,
             read_only_too: bool = False) -> None:
    """Write a fixed file (or its diff, or stdin's fixed text to `out`)."""
    from phraselint.writes import rewrite_file

    if diff:
        if fixed.changed:
            out.write(unified_diff(fixed))
    elif source.path == inputs.STDIN:
        out.write(("\ufeff" if source.bom else "") + fixed.after)
    elif fixed.changed:
        try:
            rewrite_file(source.path, fixed.after, source.bom, source.digest, inputs.digest_of, read_only_too)
        except PhraselintError as exc:
            report.files.pop()
            error(exc)
