"""Plain text: the whole file is one reply. A very large file is read in paragraph-aligned
parts, one at a time, so that memory stays flat however large the input grows."""

from __future__ import annotations

from collections.abc import Iterator

from phraselint.readers import ReadOptions
from phraselint.text import OffsetMap, ReplyText, inline_masks, merge_spans, pieces, soften_hard_breaks

NAME = "plain"
#: Inline suppressions use this comment syntax (see phraselint/suppress.py).
DIRECTIVES = "line"
EXTENSIONS = (".txt", ".text")

#: Texts longer than this are linted in parts that end at a paragraph (or line) break.
PART_CHARS = 200_000
#: The replies are consecutive parts of one text: a fix may move where the parts are cut.
PARTS = True


def read(raw: str, path: str, options: ReadOptions | None = None) -> Iterator[ReplyText]:
    if len(raw) <= PART_CHARS:
        yield ReplyText(soften_hard_breaks(raw), OffsetMap.identity(len(raw)), masks=_directive_lines(raw))
        return
    for start, end in _outside_masks(raw, pieces(raw, PART_CHARS, ("\n\n", "\n", " "))):
        part = raw[start:end]
        yield ReplyText(soften_hard_breaks(part), OffsetMap([(0, end - start, start, end)]),
                        masks=_directive_lines(part), whole=False)


def _directive_lines(text: str) -> list[tuple[int, int]]:
    """Suppression directive lines ("phraselint-disable-next-line …") are no part of the reply."""
    from phraselint.suppress import directive_spans

    return directive_spans(text, DIRECTIVES)


#: How far around a cut to look for a mask it would split (every mask pattern but a URL, which
#: holds no space, and a quoted line, which ends at a line break, is bounded well within this).
_MASK_REACH = 1_000


def _outside_masks(raw: str, spans: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The same pieces, with no cut inside a placeholder, URL or other masked span. Masks are
    found around each cut only, in whole lines: not over the whole text, which may be huge."""
    start = 0
    for _, end in spans:
        lo = raw.rfind("\n", 0, max(end - _MASK_REACH, 0)) + 1
        hi = raw.find("\n", end + _MASK_REACH)
        hi = len(raw) if hi < 0 else hi
        for m0, m1 in merge_spans(inline_masks(raw[lo:hi])):
            if lo + m0 < end < lo + m1:
                end = lo + m1
                break
        if end > start:
            yield start, end
            start = end
    if start < len(raw):
        yield start, len(raw)
