"""Readers: one module per input format. Each turns a raw file's text into `ReplyText`s whose
offsets map back to the raw text. Modules are found by name; each declares `NAME`,
`EXTENSIONS` and `read(raw, path, options) -> Iterable[ReplyText]` (a generator, for large files).
A reader may also declare `windows(latin, path, options)`: a large file's replies, each with its
own part of the file, from the file's UTF-8 bytes read as Latin-1, so that the file is never
decoded whole (`jsonlib`; see `inputs.windowed`).
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType


@dataclass(frozen=True)
class ReadOptions:
    """What a run tells every reader: the CSV body column to use (`--column`), and extra
    placeholder patterns from the config (regexes)."""

    column: str | None = None
    placeholders: tuple[str, ...] = field(default_factory=tuple)

#: Every input format (as `--input-format` names it) and the module that reads it. Adding a
#: format means adding a module and one line here.
READERS = {
    "plain": "plain",
    "markdown": "markdown",
    "html": "html",
    "json": "jsonlib",
    "yaml": "yamllib",
    "csv": "csvlib",
}


@functools.cache
def _module(name: str) -> ModuleType:
    return importlib.import_module(f"phraselint.readers.{READERS[name]}")


def names() -> tuple[str, ...]:
    return tuple(READERS)


@functools.cache
def extensions() -> dict[str, str]:
    """File extension (lower case, with dot) -> format name."""
    return {ext: name for name in READERS for ext in _module(name).EXTENSIONS}


@functools.lru_cache(maxsize=256)  # a warm Checker asks for the same name at every check
def reader_for(path: str, forced: str | None = None) -> ModuleType:
    if forced:
        return _module(forced)
    return _module(extensions().get(Path(path).suffix.lower(), "plain"))
