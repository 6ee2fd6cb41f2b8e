"""HTML e-mail templates: the whole file is one reply, read as a mail client would show it.

- Tags are dropped. Block-level tags (p, div, li, td, h1-h6, table, hr, blockquote, ...) become a
  paragraph break ("\\n\\n") and `<br>` a line break, so text in separate blocks never runs
  together into one sentence. Inline tags (a, b, span, em, font, ...) add nothing, as in rendering:
  "Hi<b>there</b>" reads "Hithere". Inserted breaks map to the raw span of their tag.
- Character references (`&amp;` `&rsquo;` `&#39;` `&#x27;`) are decoded, each mapping to its raw
  span, so `can&#39;t` reads "can't" and a finding reports the raw `can&#39;t`. `&nbsp;` is a space.
- `<script>`, `<style>`, `<textarea>` and `<title>` contents and comments are dropped
  (`comments()` lists the comments: the only places a directive counts). `<code>`, `<pre>`,
  `<kbd>`, `<samp>` and `<blockquote>` (quoted customer text) contents stay in the text but are
  masked.
- A whitespace run with a line break reads as one space, as HTML renders it: a wrapped line or a
  blank line inside a paragraph never ends a sentence.
- Malformed markup never raises: a "<" that does not start a tag ("a < b") is text, a tag left
  open at the end of the file ("<div") is dropped, an unclosed element just ends with the file.
  `<NAME>`-style upper-case placeholders that are not HTML elements stay text (the engine masks them).

Other readers use `html_to_text` (bodies that are HTML), `decode_entities`, `looks_like_html` and
`MapBuilder` (a derived text and its `OffsetMap`, built piece by piece).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.entities import html5

from phraselint.readers import ReadOptions
from phraselint.text import OffsetMap, ReplyText

NAME = "html"
#: Inline suppressions use this comment syntax (see phraselint/suppress.py).
DIRECTIVES = "html"
EXTENSIONS = (".html", ".htm")

#: Tags that end a block of text: each becomes a paragraph break (`br` becomes a line break).
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li main menu "
    "nav ol option p pre section summary table tbody td tfoot th thead title tr ul".split())
#: Other HTML elements (they add nothing to the text). Used to tell tags from `<NAME>` placeholders.
_INLINE_TAGS = frozenset(
    "a abbr area audio b base bdi bdo big button canvas cite code col colgroup data del dfn em embed "
    "font i iframe img input ins kbd label link map mark meta noscript object picture q s samp "
    "script select small source span strike strong style sub sup svg template textarea time tt u "
    "var video wbr".split())
_KNOWN = BLOCK_TAGS | _INLINE_TAGS | {"br"}
_RAW_TEXT = {"script": re.compile(r"</script[\s/>]", re.I), "style": re.compile(r"</style[\s/>]", re.I),
             "textarea": re.compile(r"</textarea[\s/>]", re.I), "title": re.compile(r"</title[\s/>]", re.I)}
#: Contents masked from rules: code, and quoted text (a `<blockquote>` quotes the customer).
_CODE_TAGS = frozenset({"code", "pre", "kbd", "samp", "blockquote"})

_SPECIAL = re.compile(r"[<&]")
_AMP = re.compile("&")
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
# The rest of a tag: attributes up to ">". A quote opens a value only right after "=", so "Don't"
# in an unquoted value does not swallow the file; a value left unclosed is read as plain characters.
_TAG_REST = re.compile(r"""(?:[^>"'=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|[="'])*+>""")
_PLACEHOLDER = re.compile(r"<[A-Z][A-Z0-9_ .-]*>")
_NUMERIC = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
_NAMED = re.compile(r"&([A-Za-z][A-Za-z0-9]{0,31})(;?)")
_WRAP = re.compile(r"[^\S\r\n]*[\r\n]\s*")  # a whitespace run containing a line break
_HINT = re.compile(
    r"<(?P<tag>[A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>|</[A-Za-z][A-Za-z0-9]*\s*>"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|(?P<entity>[A-Za-z][A-Za-z0-9]{1,31}));")


class MapBuilder:
    """A text derived from `source`, built from copied runs and replaced pieces, with its map."""

    def __init__(self, source: str):
        self.source = source
        self.length = 0
        self._pieces: list[str] = []
        self._segments: list[tuple[int, int, int, int]] = []

    def copy(self, start: int, end: int) -> None:
        if end <= start:
            return
        n = end - start
        self._pieces.append(self.source[start:end])
        last = self._segments[-1] if self._segments else None
        if last and last[1] - last[0] == last[3] - last[2] and last[1] == self.length and last[3] == start:
            self._segments[-1] = (last[0], self.length + n, last[2], end)
        else:
            self._segments.append((self.length, self.length + n, start, end))
        self.length += n

    def replace(self, start: int, end: int, new: str) -> None:
        self._pieces.append(new)
        self._segments.append((self.length, self.length + len(new), start, end))
        self.length += len(new)

    def finish(self, empty_at: int = 0) -> tuple[str, OffsetMap]:
        """The text and its map (an empty text maps to position `empty_at`)."""
        return "".join(self._pieces), OffsetMap(self._segments or [(0, 0, empty_at, empty_at)])


# ------------------------------------------------------------------ tokens

Token = tuple[str, int, int, str | None]


def _entity(source: str, i: int) -> Token | None:
    """The character reference at `i`, decoded as a browser does in text, or None."""
    m = _NUMERIC.match(source, i)
    if m:  # html.unescape knows the browser's quirks; a number past U+10FFFF is U+FFFD anyway
        digits = (m.group(1) or m.group(2)).lstrip("0") or "0"
        ref = f"&#x{digits};" if m.group(1) else f"&#{digits};"
        return "entity", i, m.end(), "\ufffd" if len(digits) > 8 else html.unescape(ref).replace("\xa0", " ")
    m = _NAMED.match(source, i)
    if m is None:
        return None
    name = m.group(1)
    if m.group(2) and name + ";" in html5:
        return "entity", i, m.end(), html5[name + ";"].replace("\xa0", " ")
    for n in range(len(name), 1, -1):  # legacy references without ";": the longest known prefix
        if name[:n] in html5:
            return "entity", i, i + 1 + n, html5[name[:n]].replace("\xa0", " ")
    return None


def _markup(source: str, i: int) -> Token | None:
    """The comment, tag or declaration at `i` (a "<"), or None when the "<" is text."""
    end_of_file = len(source)
    if source.startswith("<!--", i):
        body = i + 4
        if source.startswith(">", body) or source.startswith("->", body):  # <!--> and <!--->
            close = source.index(">", body) + 1
            return "comment", i, close, ""
        close = source.find("-->", body)
        if close < 0:
            return "comment", i, end_of_file, source[body:]
        return "comment", i, close + 3, source[body:close]
    if source.startswith(("<!", "<?"), i):  # doctype, CDATA, processing instruction
        close = source.find(">", i)
        return "skip", i, end_of_file if close < 0 else close + 1, None
    m = _TAG.match(source, i)
    if m is None:
        return None
    closing, name = m.group(1), m.group(2).lower()
    if not closing and name not in _KNOWN and _PLACEHOLDER.match(source, i):
        return None
    rest = _TAG_REST.match(source, m.end())
    return ("end" if closing else "start"), i, rest.end() if rest else end_of_file, name


def _tokens(source: str) -> Iterator[Token]:
    """`(kind, start, end, detail)` for the pieces of `source`, in order: "text", "entity" (detail:
    the decoded text), "start"/"end" (a tag; detail: its name in lower case), "comment" (detail:
    its body) and "skip" (declarations, script and style contents)."""
    pos = text_start = 0
    while (m := _SPECIAL.search(source, pos)) is not None:
        i = m.start()
        token = _entity(source, i) if source[i] == "&" else _markup(source, i)
        if token is None:
            pos = i + 1
            continue
        if text_start < i:
            yield "text", text_start, i, None
        yield token
        pos = text_start = token[2]
        if token[0] == "start" and token[3] in _RAW_TEXT:
            close = _RAW_TEXT[token[3]].search(source, pos)
            end = close.start() if close else len(source)
            if pos < end:
                yield "skip", pos, end, None
            pos = text_start = end
    if text_start < len(source):
        yield "text", text_start, len(source), None


# ------------------------------------------------------------------ public helpers


def html_to_text(source: str) -> tuple[str, OffsetMap, list[tuple[int, int]]]:
    """The text of an HTML document or fragment, its map to `source`, and masks in the text."""
    out = MapBuilder(source)
    masks: list[tuple[int, int]] = []
    blank = True  # nothing but whitespace since the start or the last paragraph break
    pending: tuple[int, int] | None = None  # a block tag's break, written before the next text
    code_depth = code_start = 0

    def flush() -> None:
        nonlocal pending
        if pending:
            out.replace(*pending, "\n\n")
            pending = None

    for kind, start, end, detail in _tokens(source):
        if kind in ("text", "entity"):
            if blank and (detail if kind == "entity" else source[start:end]).isspace():
                continue  # whitespace between blocks
            flush()
            blank = False
            if kind == "entity":
                out.replace(start, end, detail)
                continue
            pos = start
            for m in _WRAP.finditer(source, start, end):
                out.copy(pos, m.start())
                out.replace(m.start(), m.end(), " ")
                pos = m.end()
            out.copy(pos, end)
        elif kind in ("start", "end"):
            if kind == "end" and detail in _CODE_TAGS and code_depth:
                code_depth -= 1
                if not code_depth:
                    masks.append((code_start, out.length))
            if detail == "br":
                flush()
                out.replace(start, end, "\n")
            elif detail in BLOCK_TAGS and not blank:
                pending, blank = (start, end), True
            if kind == "start" and detail in _CODE_TAGS and not source.startswith("/>", end - 2):
                if not code_depth:
                    flush()
                    code_start = out.length
                code_depth += 1
    if code_depth:
        masks.append((code_start, out.length))
    text, to_source = out.finish()
    return text, to_source, [m for m in masks if m[1] > m[0]]


def decode_entities(source: str) -> tuple[str, OffsetMap]:
    """`source` with only its character references decoded (for text that escapes &, < and >,
    such as tweets), and the map back to `source`."""
    out = MapBuilder(source)
    pos = 0
    for m in _AMP.finditer(source):
        token = _entity(source, m.start())
        if token is None:
            continue
        out.copy(pos, token[1])
        out.replace(token[1], token[2], token[3])
        pos = token[2]
    out.copy(pos, len(source))
    return out.finish()


def looks_like_html(s: str) -> bool:
    """Whether `s` holds an HTML element tag (`<p>`, `<br/>`, `<a href=...>`), an end tag or a
    character reference. `<NAME>`-style placeholders and "a < b" do not count."""
    for m in _HINT.finditer(s):
        tag, entity = m.group("tag"), m.group("entity")
        if tag is not None and tag.lower() not in _KNOWN:
            continue
        if entity is not None and entity + ";" not in html5:
            continue
        return True
    return False


def comments(source: str) -> list[tuple[int, int, str]]:
    """`(raw start, raw end, body)` of each comment, as the reader sees them (not inside scripts)."""
    return [(start, end, body) for kind, start, end, body in _tokens(source) if kind == "comment"]


def read(raw: str, path: str, options: ReadOptions | None = None) -> Iterator[ReplyText]:
    from phraselint.codecs import html_codec

    text, to_raw, masks = html_to_text(raw)
    yield ReplyText(text, to_raw, masks=masks, codec=html_codec(raw.isascii()))
