"""Markdown: the whole file is one reply; code, HTML and front matter are hidden from rules."""

from __future__ import annotations

import re

from phraselint.readers import ReadOptions
from phraselint.text import OffsetMap, ReplyText

NAME = "markdown"
#: Inline suppressions use this comment syntax (see phraselint/suppress.py).
DIRECTIVES = "html"
EXTENSIONS = (".md", ".markdown", ".mdx", ".mdown")

_MASKS = re.compile(
    r"\A---\n.*?\n---[ \t]*(?:\n|\Z)"  # YAML front matter
    r"|^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}(?P=fence)[ \t]*$|\Z)"  # fenced code
    r"|(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)"  # inline code span
    r"|<!--.*?(?:-->|\Z)"  # HTML comment
    r"|</?[A-Za-z][^<>\n]*>",  # HTML tag
    re.DOTALL | re.MULTILINE,
)


def code_masks(raw: str) -> list[tuple[int, int]]:
    return [m.span() for m in _MASKS.finditer(raw)]


# A hard line break: a backslash at the end of a line. Read as a space (same length, same offsets).
_HARD_BREAK = re.compile(r"\\(?=\r?\n)")


def read(raw: str, path: str, options: ReadOptions | None = None) -> list[ReplyText]:
    text = _HARD_BREAK.sub(" ", raw)
    return [ReplyText(text, OffsetMap.identity(len(raw)), masks=code_masks(raw))]
