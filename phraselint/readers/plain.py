"""Plain text: the whole file is one reply. A very large file is read in paragraph-aligned
parts, one at a time, so that memory stays flat however large the input grows."""

from __future__ import annotations

from collections.abc import Iterator

from phraselint.readers import ReadOptions
from phraselint.text import OffsetMap, ReplyText

NAME = "plain"
#: Inline suppressions use this comment syntax (see phraselint/suppress.py).
DIRECTIVES = "line"
EXTENSIONS = (".txt", ".text")

#: Texts longer than this are linted in parts that end at a paragraph (or line) break.
PART_CHARS = 200_000


def parts(raw: str, size: int = PART_CHARS) -> Iterator[tuple[int, int]]:
    """`(start, end)` spans that cover `raw`, each at most about `size` characters."""
    start = 0
    while len(raw) - start > size:
        limit = start + size
        cut = raw.rfind("\n\n", start, limit)
        if cut <= start:
            cut = raw.rfind("\n", start, limit)
        cut = limit if cut <= start else cut + 1
        yield start, cut
        start = cut
    yield start, len(raw)


def read(raw: str, path: str, options: ReadOptions | None = None) -> Iterator[ReplyText]:
    if len(raw) <= PART_CHARS:
        yield ReplyText(raw, OffsetMap.identity(len(raw)))
        return
    for start, end in parts(raw, PART_CHARS):
        yield ReplyText(raw[start:end], OffsetMap([(0, end - start, start, end)]))
