"""The one error type the CLI turns into a one-line message and exit code 2, and the one filter
for text that reaches a terminal."""

from __future__ import annotations

import re
import sys


class PhraselintError(Exception):
    """A usage, config, rule-file or input error, reported as `location: message`."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            path = brief(str(self.path))
            where = f"{path}:{self.line}: " if self.line else f"{path}: "
        return f"{where}{self.message}"


def brief_value(value: object) -> str:
    """A value from a config or a pack for a one-line message: a string as it is (cut when
    long), anything else a short repr made without expanding it (a YAML alias bomb is billions of
    items; a 5,000-digit number has no repr)."""
    import reprlib

    if isinstance(value, str):
        return brief(value)
    shorter = reprlib.Repr()
    shorter.maxlevel, shorter.maxlist, shorter.maxdict, shorter.maxtuple = 2, 4, 4, 4
    shorter.maxstring = shorter.maxother = 40
    try:
        return shorter.repr(value)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__}"


#: A file name in an error message is cut to about this many characters (its start and end).
BRIEF_CHARS = 200


def brief(name: str) -> str:
    """`name` for a one-line message: a name too long for any file system (a mistake, or an
    attack) is cut in its middle."""
    if len(name) <= BRIEF_CHARS:
        return name
    return f"{name[:BRIEF_CHARS // 2]}…{name[-BRIEF_CHARS // 4:]} ({len(name):,} characters)"


class NotAReplyLibrary(PhraselintError):
    """A structured file (JSON, YAML, CSV) whose structure is not a reply library."""


def did_you_mean(word: str, choices) -> str:
    """A ' (did you mean X?)' hint for near-misses, or ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# Control characters (escape sequences included) and bidirectional overrides from a linted file
# or a config must never reach a terminal or split a one-line record. Tabs are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with each control character (newlines and ESC included) shown as U+FFFD: the one
    filter every message passes before a terminal or a line-based format."""
    return _CONTROL.sub("\ufffd", text)


#: The same, keeping line breaks and tabs (a CR only before a line feed): for whole texts.
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def printable_text(text: str) -> str:
    """`text`, lines and all, with every other control character shown as U+FFFD: a fixed text
    or a diff printed on a terminal."""
    return _CONTROL_IN_TEXT.sub("\ufffd", text)


def shown_path(path: str) -> str:
    """`path` as reports show it: a byte of a file name that is not UTF-8 (held by Python as a
    lone surrogate, which no UTF-8 output can encode) as a `\\xff` escape."""
    if path.isascii():
        return path
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


#: `--quiet`: notes (skipped files, warnings) are not said; errors still are.
QUIET = [False]


def say(message: str, note: bool = False) -> None:
    """One line to stderr, `phraselint: …`, filtered. A `note` is left out under --quiet."""
    if note and QUIET[0]:
        return
    print(f"phraselint: {printable(message)}", file=sys.stderr)


def read_capped(path: str, limit: int, what: str) -> bytes:
    """A whole file read into memory, at most `limit` bytes: a device or a runaway file
    ("/dev/zero") is an error naming it, not a MemoryError. `-` reads stdin."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(limit + 1)
    except OSError as exc:
        raise PhraselintError(f"cannot read {what}: {exc.strerror or exc}", path) from None
    if len(data) > limit:
        raise PhraselintError(f"{what} is larger than {limit // 1_000_000} MB", "stdin" if path == "-" else path)
    return data
