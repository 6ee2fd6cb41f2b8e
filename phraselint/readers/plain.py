"""Plain text: the whole file is one reply. A very large file is read in paragraph-aligned
parts, one at a time, so that memory stays flat however large the input grows."""

from __future__ import annotations

import bisect
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


def _outside_masks(raw: str, spans: Iterator[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The same pieces, with no cut inside a placeholder, URL or other masked span."""
    masks = merge_spans(inline_masks(raw))
    starts = [s for s, _ in masks]
    start = 0
    for _, end in spans:
        i = bisect.bisect_right(starts, end - 1) - 1
        if i >= 0 and masks[i][0] < end < masks[i][1]:
            end = masks[i][1]
        if end > start:
            yield start, end
            start = end
    if start < len(raw):
        yield start, len(raw)
