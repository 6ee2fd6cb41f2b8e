"""Markdown: a single reply, or a collection of saved replies.

A single-reply file is one reply: code (spans and fences), HTML tags and comments and YAML front
matter are hidden from rules, and a hard line break (a backslash at the end of a line) reads as a
space. In `.mdx` files `import`/`export` lines are hidden too.

A collection is a file with two or more `##` headings (an `.mdx` file: one or more), such as a
SAVED_REPLIES.md. Headings inside fences, HTML comments and front matter do not count.
- The intro before the first `##` heading is not a reply, nor is a `#` heading's section (a group
  title such as "# Issues").
- Every other heading (`##` and deeper, e.g. the `####` alternatives of prometheus' saved replies)
  starts a reply named by its text, running to the next heading. Empty sections are skipped.
- A section whose body is template fences is a template section: a fence whose info string is empty,
  `md`, `markdown`, `text` or `txt`, when these fences hold at least as much (in non-space
  characters) as the section's prose outside fences (a short intro such as "> When a PR is
  invalid.", a footnote).
  Then each such fence's CONTENT is a reply (a section may hold several, all with the heading's
  name); code spans and nested fences inside it are still hidden. Otherwise the section's prose,
  code and all, is the reply (its code hidden as in a single-reply file).
In collections, a hard line break's backslash is dropped from the text: the backslash and its line
break map to the text's line break as one replaced segment, so every copied character stays exact.

`markdown_text` and `library_body` read a reply body held in another format (a YAML or CSV field).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple

from phraselint.codecs import IDENTITY, Codec
from phraselint.readers import ReadOptions
from phraselint.text import soften_hard_breaks, OffsetMap, ReplyText, merge_spans

NAME = "markdown"
#: Inline suppressions use this comment syntax (see phraselint/suppress.py).
DIRECTIVES = "html"
EXTENSIONS = (".md", ".markdown", ".mdx", ".mdown")

_MASKS = re.compile(
    r"\A---\n.*?\n---[ \t]*(?:\n|\Z)"  # YAML front matter
    r"|^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}(?P=fence)[`~]*[ \t\r]*$|\Z)"  # fenced code
    # inline code span: opened by a whole run of backticks (tried at the run's start only: inside
    # a run of 40,000 the regex backed off tick by tick at every position, quadratic)
    r"|(?<!`)(?P<ticks>`+)(?!`).{1,1000}?(?<!`)(?P=ticks)(?!`)"
    r"|<!--.*?(?:-->|\Z)"  # HTML comment
    r"|</?[A-Za-z][^<>\n]*>",  # HTML tag
    re.DOTALL | re.MULTILINE,
)


def comments(raw: str) -> list[tuple[int, int]]:
    """The HTML comments of `raw`, read as the masks are (one inside a fence or a code span is
    code), outside indented code: the only places a suppression directive counts."""
    if "<!--" not in raw:
        return []
    found = [m.span() for m in _MASKS.finditer(raw) if raw.startswith("<!--", m.start())]
    if found and ("\n    " in raw or "\n\t" in raw):
        code = _indented_code(raw)
        found = [c for c in found if not any(a <= c[0] < b for a, b in code)]
    return found


def code_masks(raw: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _MASKS.finditer(raw)]
    return spans + _indented_code(raw) if "\n    " in raw or "\n\t" in raw else spans


_LIST_ITEM = re.compile(r"[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def _indented_code(raw: str) -> list[tuple[int, int]]:
    """Indented code blocks: lines indented by 4 spaces or a tab after a blank line, outside a
    list (where indentation continues an item)."""
    spans: list[tuple[int, int]] = []
    blank_before, in_list, pos = True, False, 0
    for line in raw.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        end = pos + len(body)
        if not body.strip():
            blank_before = True
        elif body.startswith(("    ", "\t")) and not in_list and (blank_before or (spans and spans[-1][1] == pos - 1)):
            if spans and raw[spans[-1][1]:pos].strip() == "":
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((pos + len(body) - len(body.lstrip()), end))
            blank_before = False
        else:
            if _LIST_ITEM.match(body):
                in_list = True
            elif not body.startswith((" ", "\t")):
                in_list = False
            blank_before = False
        pos += len(line)
    return spans


# A hard line break: a backslash at the end of a line. Read as a space (same length, same offsets).
# The same, not itself escaped ("\\" at the end of a line is a literal backslash).
_HARD_BREAK_EOL = re.compile(r"(?<!\\)\\(?=\r?\n)")
_MDX_ESM = re.compile(r"^(?:import|export)[ \t][^\n]*", re.MULTILINE)


def _all_masks(source: str, mdx: bool) -> list[tuple[int, int]]:
    masks = code_masks(source)
    if mdx and ("import" in source or "export" in source):
        masks += [m.span() for m in _MDX_ESM.finditer(source)]
    return masks


def markdown_text(source: str, mdx: bool = False) -> tuple[str, OffsetMap, list[tuple[int, int]]]:
    """Markdown `source` as a person reads it: the text, its map to `source`, and its masks.

    Hard-break backslashes outside code are dropped: the text keeps the line break, and that line
    break maps to the backslash and the break together. Everything else is copied."""
    masks = merge_spans(_all_masks(source, mdx))
    starts = [m[0] for m in masks]
    segments: list[tuple[int, int, int, int]] = []
    pieces: list[str] = []
    dropped: list[int] = []  # source positions of the dropped backslashes
    pos = out = 0
    for m in _HARD_BREAK_EOL.finditer(source):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and masks[i][1] > m.start():
            continue  # in code: a literal backslash
        brk = "\r\n" if source.startswith("\r\n", m.end()) else "\n"
        if m.start() > pos:
            segments.append((out, out + m.start() - pos, pos, m.start()))
            pieces.append(source[pos:m.start()])
            out += m.start() - pos
        segments.append((out, out + len(brk), m.start(), m.end() + len(brk)))
        pieces.append(brk)
        out += len(brk)
        pos = m.end() + len(brk)
        dropped.append(m.start())
    if pos < len(source) or not segments:
        segments.append((out, out + len(source) - pos, pos, len(source)))
        pieces.append(source[pos:])

    def shift(p: int) -> int:
        return p - bisect.bisect_left(dropped, p)

    return "".join(pieces), OffsetMap(segments), [(shift(a), shift(b)) for a, b in masks]


def strip_text(text: str, to_source: OffsetMap, masks: list[tuple[int, int]] = ()):
    """`text` without the whitespace around it, with its map and masks."""
    a, b = len(text) - len(text.lstrip()), len(text.rstrip())
    if b <= a:
        at = to_source.start(0)
        return "", OffsetMap([(0, 0, at, at)]), []
    return (text[a:b], OffsetMap([(0, b - a, a, b)]).then(to_source),
            [(max(m0, a) - a, min(m1, b) - a) for m0, m1 in masks if m1 > a and m0 < b])


def body_codec(source: str) -> Codec:
    """How text is written back into a library body: HTML-escaped when the body is HTML."""
    from phraselint.codecs import html_codec
    from phraselint.readers.html import looks_like_html

    return html_codec(source.isascii()) if looks_like_html(source) else IDENTITY


def library_body(source: str) -> tuple[str, OffsetMap, list[tuple[int, int]]]:
    """A reply body held in a library (a YAML or CSV field), read as HTML when it looks like HTML
    (osTicket's templates), else as Markdown (GitHub saved replies): its text with the whitespace
    around it trimmed, the text's map to `source`, and its masks."""
    from phraselint.readers.html import html_to_text, looks_like_html

    return strip_text(*(html_to_text(source) if looks_like_html(source) else markdown_text(source)))


# ------------------------------------------------------------------ collections


class Fence(NamedTuple):
    start: int  # the opening fence line
    content_start: int
    content_end: int  # the closing fence line (or the end of the file)
    end: int
    info: str  # the info string's first word, in lower case
    indent: int  # the opening fence's indentation, removed from content lines


class Heading(NamedTuple):
    level: int
    start: int  # the heading line
    end: int  # just after its line break
    title: str


_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})([^\n]*)$", re.MULTILINE)
# The line, then its text read in `_heading_text` (a lazy text before optional closing hashes
# and spaces could be split many ways: quadratic on a line of spaces).
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]([^\n]*)|\r)?$", re.MULTILINE)
_TEMPLATE_INFO = frozenset({"", "md", "markdown", "text", "txt"})
_NON_SPACE = re.compile(r"\S")


def fences(raw: str) -> list[Fence]:
    """The fenced code blocks of `raw`, CommonMark style: a closing fence is the same character,
    at least as long, with nothing after it; an unclosed fence runs to the end of the file."""
    out: list[Fence] = []
    pos = 0
    while (m := _FENCE_OPEN.search(raw, pos)) is not None:
        indent, fence, info = m.groups()
        if fence[0] == "`" and "`" in info:
            pos = m.end() + 1
            continue
        content_start = min(m.end() + 1, len(raw))
        close = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t\r]*$", re.MULTILINE)
        c = close.search(raw, content_start)
        content_end, end = (c.start(), c.end()) if c else (len(raw), len(raw))
        words = info.split()
        out.append(Fence(m.start(), content_start, content_end, end, words[0].lower() if words else "", len(indent)))
        pos = end + 1
    return out


def headings(raw: str, blocks: list[Fence]) -> list[Heading]:
    """ATX headings outside fences, front matter and HTML comments."""
    hidden = [(f.start, f.end) for f in blocks]
    hidden += [s for s in code_masks(raw) if raw.startswith(("---", "<!--"), s[0])]
    hidden = merge_spans(hidden)
    starts = [h[0] for h in hidden]
    out = []
    for m in _HEADING.finditer(raw):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and hidden[i][1] > m.start():
            continue
        end = min(m.end() + 1, len(raw))
        out.append(Heading(len(m.group(1)), m.start(), end, _heading_text(m.group(2) or "")))
    return out


def _heading_text(rest: str) -> str:
    """A heading's text: without the closing hashes CommonMark allows ("## Refund ##")."""
    text = rest.rstrip(" \t\r")
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare
    return text.strip()


_LINE_INDENT = re.compile(r"\n( *)")


def _dedent(raw: str, start: int, end: int, indent: int) -> tuple[str, OffsetMap]:
    """`raw[start:end]` with up to `indent` spaces removed after each line break, and its map to
    `raw`: each line break with the indentation removed after it maps to the text's line break."""
    pieces: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    out = 0
    pos = start
    for m in _LINE_INDENT.finditer(raw, start, end):
        nl, skip = m.start(), min(indent, len(m.group(1)))
        if nl > pos:
            segments.append((out, out + nl - pos, pos, nl))
            pieces.append(raw[pos:nl])
            out += nl - pos
        segments.append((out, out + 1, nl, nl + 1 + skip))
        pieces.append("\n")
        out += 1
        pos = nl + 1 + skip
    segments.append((out, out + end - pos, pos, end))
    pieces.append(raw[pos:end])
    return "".join(pieces), OffsetMap(segments)


def _reply(raw: str, start: int, end: int, name: str, mdx: bool, indent: int = 0) -> ReplyText | None:
    """The reply in `raw[start:end]` (whitespace around it trimmed), or None when it is empty."""
    first = _NON_SPACE.search(raw, start, end)
    if first is None:
        return None
    start = first.start()
    while raw[end - 1].isspace():
        end -= 1
    if indent:
        source, outer = _dedent(raw, start, end, indent)
    else:
        source, outer = raw[start:end], OffsetMap([(0, end - start, start, end)])
    text, to_source, masks = markdown_text(source, mdx)
    return ReplyText(text, to_source.then(outer), name=name, masks=masks)


def _non_space(raw: str, start: int, end: int) -> int:
    return len(_NON_SPACE.findall(raw, start, end))


def _section(raw: str, heading: Heading, end: int, blocks: list[Fence], mdx: bool) -> Iterator[ReplyText]:
    start = heading.end
    inside = [f for f in blocks if start <= f.start < end]
    templates = [f for f in inside if f.info in _TEMPLATE_INFO]
    if templates:
        fenced = sum(_non_space(raw, f.content_start, f.content_end) for f in templates)
        prose = _non_space(raw, start, end) - sum(_non_space(raw, f.start, min(f.end, end)) for f in inside)
        if prose <= fenced:
            for f in templates:
                reply = _reply(raw, f.content_start, min(f.content_end, end), heading.title, mdx, f.indent)
                if reply is not None:
                    yield reply
            return
    reply = _reply(raw, start, end, heading.title, mdx)
    if reply is not None:
        yield reply


def sections(raw: str, blocks: list[Fence], mdx: bool = False) -> list[tuple[Heading, int]] | None:
    """The reply sections `(heading, end)` of a saved-reply collection, or None for a single reply."""
    heads = headings(raw, blocks)
    level2 = [h for h in heads if h.level == 2]
    if len(level2) < (1 if mdx else 2):
        return None
    first = heads.index(level2[0])
    bounds = [h.start for h in heads[first + 1:]] + [len(raw)]
    return [(h, end) for h, end in zip(heads[first:], bounds) if h.level >= 2]


def read(raw: str, path: str, options: ReadOptions | None = None) -> Iterator[ReplyText]:
    mdx = path.lower().endswith(".mdx")
    blocks = fences(raw) if "##" in raw else []
    found = sections(raw, blocks, mdx) if "##" in raw else None
    if found is None:
        text = soften_hard_breaks(raw)
        yield ReplyText(text, OffsetMap.identity(len(raw)), masks=_all_masks(raw, mdx))
        return
    for heading, end in found:
        yield from _section(raw, heading, end, blocks, mdx)
