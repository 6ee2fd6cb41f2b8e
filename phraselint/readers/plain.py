"""Plain text: the whole file is one reply."""

from __future__ import annotations

from phraselint.text import OffsetMap, ReplyText

NAME = "plain"
EXTENSIONS = (".txt", ".text")


def read(raw: str, path: str) -> list[ReplyText]:
    return [ReplyText(raw, OffsetMap.identity(len(raw)))]
