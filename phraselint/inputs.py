"""Finding the files to lint and reading them: paths, folders, stdin, binary files, bad UTF-8."""

from __future__ import annotations

import codecs
import fnmatch
import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from phraselint import readers
from phraselint.errors import PhraselintError
from phraselint.text import Origin

STDIN = "-"
_SNIFF = 8192


@dataclass
class Source:
    """One input: its path as given (or found under a folder), and its decoded text.

    For writing it back unchanged but for fixes: whether it began with a UTF-8 BOM (not part
    of `text`), whether bad UTF-8 was replaced (it cannot be written back), and a digest of
    its bytes (to see whether the file changed since it was read).
    """

    path: str
    text: str
    bom: bool = False
    lossy: bool = False
    digest: str = ""
    #: The encoding its bytes were in: "utf-8", or a Unicode encoding named by its BOM
    #: ("utf-16", "utf-32"), which `fix` does not write back.
    encoding: str = "utf-8"
    #: For a part of a large file read on its own (see `windowed`), where `text` starts in the
    #: file; None for a whole file.
    origin: Origin | None = None

    def file_line(self, line: int) -> int:
        """The file's line number of line `line` of `text`."""
        return line + self.origin.line if self.origin else line


@dataclass(frozen=True)
class Input:
    """A file to lint. `explicit`: named on the command line, not found by walking a folder.
    `root`: the folder it was found under (a named file's own folder)."""

    path: str
    explicit: bool
    root: str = "."


def _excluded(path: str, patterns: list[str]) -> bool:
    posix = Path(path).as_posix()
    return any(fnmatch.fnmatch(posix, p) or fnmatch.fnmatch(Path(path).name, p)
               or fnmatch.fnmatch(posix, f"*/{p}") for p in patterns)


#: Hidden folders a walk still enters: GitHub keeps saved replies there (`.github/replies.yml`,
#: `SAVED_REPLIES.md`, `commands.json`).
VISIBLE_HIDDEN = frozenset([".github"])
#: A repository's own documents and manifests, by name without extension (case-insensitive):
#: never replies, so a walk skips them (named outright, they are linted).
PROJECT_FILES = frozenset("""readme changelog changes history news license licence copying notice authors
contributors contributing code_of_conduct security codeowners funding requirements constraints
package package-lock tsconfig jsconfig composer pyproject manifest robots cmakelists""".split())


def _walk(folder: str, patterns: list[str], note: Callable[[str], None]) -> Iterator[str]:
    wanted = readers.extensions()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if (not d.startswith(".") or d in VISIBLE_HIDDEN)
                         and not _excluded(os.path.join(root, d), patterns))
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.startswith(".") or _excluded(path, patterns) or _project_file(name):
                continue
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):
                    note(f"{path}: skipped, not a regular file")
                    continue
            except OSError:
                note(f"{path}: skipped, cannot be read (a broken link?)")
                continue
            if Path(name).suffix.lower() in wanted:
                yield path


def _project_file(name: str) -> bool:
    stem = name.split(".", 1)[0].lower()
    return stem in PROJECT_FILES or stem.startswith(("requirements", "license", "licence"))


def git_ignored(paths: list[str]) -> set[str]:
    """Those of `paths` that git ignores (.gitignore and friends); empty outside a git checkout."""
    if not paths:
        return set()
    # Bytes, as the file system gives them: a name that is not valid UTF-8 ("bad\udcff.txt" once
    # decoded with surrogateescape) goes to git and comes back unchanged.
    data = b"".join(os.fsencode(p) + b"\0" for p in paths)
    try:
        proc = subprocess.run(["git", "check-ignore", "--stdin", "-z"], input=data, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    if proc.returncode not in (0, 1):  # 128: not a git checkout
        return set()
    return {os.fsdecode(p) for p in proc.stdout.split(b"\0") if p}


def expand(paths: list[str], exclude: list[str], note: Callable[[str], None],
           error: Callable[[PhraselintError], None]) -> list[Input]:
    """Files to lint, in order: explicit files as given, folders walked recursively (minus
    hidden files, `exclude` globs and what git ignores)."""
    out: list[Input] = []
    seen: set[str] = set()
    for p in paths:
        key = p if p == STDIN else os.path.normpath(p)
        if key in seen:  # the same input twice ("a.txt ./a.txt", "- -"): lint it once
            continue
        seen.add(key)
        if p == STDIN:
            out.append(Input(p, True))
        elif os.path.isdir(p):
            found = list(_walk(p, exclude, note))
            if not git_ignored([p]):  # a folder named outright is linted even if git ignores it
                ignored = git_ignored(found)
                found = [f for f in found if f not in ignored]
            if not found:
                error(PhraselintError("no readable text files in this folder", p))
            out.extend(Input(f, False, p) for f in found)
        elif os.path.exists(p):
            if not _excluded(p, exclude):
                out.append(Input(p, True, os.path.dirname(p) or "."))
        else:
            error(PhraselintError("no such file or folder", p))
    return out


def _first_bad_line(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return 0


def read(path: str, note: Callable[[str], None]) -> Source | None:
    """The decoded text of a file, or None for a binary file (with a note). Bad UTF-8 is
    decoded with replacement characters and reported as a warning."""
    return decode(path, read_bytes(path), note)


def read_bytes(path: str) -> bytes:
    if path == STDIN:
        return read_stdin()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise PhraselintError("not a regular file (a device, pipe or socket)", path)
    except OSError as exc:
        raise PhraselintError(f"cannot read: {exc.strerror or exc}", path) from None
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise PhraselintError(f"cannot read: {exc.strerror or exc}", path) from None


#: A file of a format read reply by reply (a JSON export) is, from this size, never decoded
#: whole: see `windowed`.
WINDOWED_BYTES = 4_000_000
_UTF8_BOM = b"\xef\xbb\xbf"


def windowed(path: str, data: bytes) -> tuple[Source, str] | None:
    """For a large file of valid UTF-8: a `Source` without its text, and the bytes (after a
    byte-order mark) read as Latin-1, one character a byte, for a reader that decodes the file
    reply by reply. None for a small file, another encoding, bad UTF-8 or a binary file: it is
    read whole, with its notes."""
    if len(data) < WINDOWED_BYTES or any(data.startswith(mark) for mark, _ in _WIDE_BOMS) or b"\0" in data[:_SNIFF]:
        return None
    bom = data.startswith(_UTF8_BOM)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:  # checked in pieces: no decoded copy of the whole file
        for start in range(3 if bom else 0, len(data), 1 << 20):
            decoder.decode(data[start:start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return Source(path, "", bom, False, digest_of(data)), data[3 if bom else 0:].decode("latin-1")


#: Stdin is read whole, at most this much: a runaway pipe (`yes |`, `cat /dev/zero |`) is an
#: error naming it, not a MemoryError.
MAX_STDIN_BYTES = 128_000_000


def read_stdin() -> bytes:
    try:
        data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    except OSError as exc:
        raise PhraselintError(f"cannot read: {exc.strerror or exc}", STDIN) from None
    if len(data) > MAX_STDIN_BYTES:
        raise PhraselintError(f"larger than {MAX_STDIN_BYTES // 1_000_000} MB: save it to a file and check that", "stdin")
    return data


def decode(path: str, data: bytes, note: Callable[[str], None]) -> Source | None:
    """A file's bytes as text (see `read`). UTF-16 and UTF-32 with a BOM are decoded (their
    zero bytes are no sign of a binary file)."""
    for mark, encoding in _WIDE_BOMS:
        if data.startswith(mark):
            try:
                return Source(path, data[len(mark):].decode(encoding), False, False, digest_of(data), encoding[:6])
            except UnicodeDecodeError:
                note(f"{path}: skipped, not valid {encoding[:6].upper()} after its byte-order mark")
                return None
    if b"\0" in data[:_SNIFF]:
        note(f"{path}: skipped, binary file")
        return None
    digest = digest_of(data)
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        return Source(path, data.decode("utf-8"), bom, False, digest)
    except UnicodeDecodeError:
        line = _first_bad_line(data)
        note(f"{path}:{line}: warning: invalid UTF-8, decoded with replacement characters")
        return Source(path, data.decode("utf-8", errors="replace"), bom, True, digest)


#: Byte-order marks of the wide Unicode encodings, longest first (UTF-32-LE starts like UTF-16-LE).
_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
              (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def digest_of(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
