"""CSV reply libraries (`.csv`): one reply per row, each field mapped to its exact raw offsets.

- The first row is the header. The reply body is the column named by `--column` (a header name,
  any case, or a 1-based column number), else the first of body, text, response, content,
  comment, message (any case). The reply's name comes from a title, name or subject column.
- Rows whose body is empty (or missing) are skipped. A body that looks like HTML is read as HTML,
  any other as Markdown (see `markdown.library_body`).
- A `phraselint` column switches rules off for its row: `disable=refusal.cant,blame`.
- An `incoming` (else `customer_message`) column gives the customer's message each row answers
  (`ReplyText.incoming`, for the reply-level checks; never linted or reported). Blank: none.
- Fields follow RFC 4180: a quoted field may hold the delimiter, line breaks (LF or CRLF, kept as
  they are) and `""` for a quote; a quote inside an unquoted field is an ordinary character, and
  characters after a closing quote are kept (as Python's csv module does). The delimiter is a comma,
  or a semicolon or tab when the header line has no comma but has one of those.
- A quoted field left open is a `PhraselintError` at the line where it opens; a file with no body
  column is `NotAReplyLibrary` (line 1), naming the columns looked for and found.
The scanner is our own rather than the csv module's, because rules report raw offsets: every
character of a field is either copied from the raw file or is a `""` mapped to its two quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from phraselint.errors import NotAReplyLibrary, PhraselintError
from phraselint.readers import ReadOptions
from phraselint.codecs import csv_codec
from phraselint.readers.markdown import body_codec, library_body
from phraselint.readers.yamllib import BODY_KEYS, NAME_KEYS
from phraselint.suppress import reply_disable
from phraselint.text import LineIndex, OffsetMap, ReplyText, line_at

NAME = "csv"
EXTENSIONS = (".csv",)

#: Columns holding the customer's message a row's reply answers (never linted).
INCOMING_KEYS = ("incoming", "customer_message")

Field = tuple[int, int, int]  # raw start, raw end, its closing quote (-1: not quoted)
_STOPS = {d: re.compile(f"[{re.escape(d)}\r\n]") for d in ",;\t"}


def _delimiter(raw: str) -> str:
    first = raw.split("\n", 1)[0]
    if "," in first:
        return ","
    return max(";\t", key=first.count) if (";" in first or "\t" in first) else ","


def records(raw: str, path: str, delimiter: str = ",") -> Iterator[tuple[int, list[Field]]]:
    """`(raw offset, fields)` of each record. A quoted field's span includes its quotes."""
    stop = _STOPS[delimiter]
    n, pos = len(raw), 1 if raw.startswith("\ufeff") else 0
    while pos < n:
        start, fields = pos, []
        while True:
            if raw.startswith('"', pos):
                q = pos
                pos += 1
                while True:
                    close = raw.find('"', pos)
                    if close < 0:
                        line = LineIndex(raw).position(q)[0]
                        raise PhraselintError("unbalanced quotes: a quoted field is never closed", path, line)
                    if raw.startswith('""', close):
                        pos = close + 2
                        continue
                    pos = close + 1
                    break
                m = stop.search(raw, pos)
                close, pos = pos - 1, m.start() if m else n
                fields.append((q, pos, close))
            else:
                m = stop.search(raw, pos)
                end = m.start() if m else n
                fields.append((pos, end, -1))
                pos = end
            if pos < n and raw[pos] == delimiter:
                pos += 1
                continue
            pos += 2 if raw.startswith("\r\n", pos) else 1
            break
        yield start, fields


def field_text(raw: str, field: Field) -> tuple[str, OffsetMap]:
    """A field's value and its map to `raw`: `""` in a quoted field reads as one quote."""
    start, end, close = field
    if close < 0:
        return raw[start:end], OffsetMap([(0, end - start, start, end)])
    pieces, segs, out, pos = [], [], 0, start + 1
    for m in re.finditer('""', raw[start + 1:close]):
        a = start + 1 + m.start()
        if a > pos:
            segs.append((out, out + a - pos, pos, a))
            pieces.append(raw[pos:a])
            out += a - pos
        segs.append((out, out + 1, a, a + 2))
        pieces.append('"')
        out, pos = out + 1, a + 2
    for a, b in ((pos, close), (close + 1, end)):
        if b > a:
            segs.append((out, out + b - a, a, b))
            pieces.append(raw[a:b])
            out += b - a
    return "".join(pieces), OffsetMap(segs or [(0, 0, start, start)])


def _column(header: list[str], options: ReadOptions | None, path: str) -> int:
    names = [h.strip().lower() for h in header]
    found = ", ".join(repr(h.strip()) for h in header) or "none"
    wanted = options.column if options and options.column else None
    if wanted:
        key = wanted.strip().lower()
        if key in names:
            return names.index(key)
        if key.isascii() and key.isdigit() and 1 <= int(key) <= len(names):
            return int(key) - 1
        raise NotAReplyLibrary(f"no column '{wanted}' (from --column) in the header; found columns: {found}", path, 1)
    for key in BODY_KEYS:
        if key in names:
            return names.index(key)
    raise NotAReplyLibrary(
        f"not a reply library: no reply body column; looked for {', '.join(BODY_KEYS)} and found "
        f"columns: {found}. Name the body column with --column NAME", path, 1)


def read(raw: str, path: str, options: ReadOptions | None = None) -> Iterator[ReplyText]:
    delimiter = _delimiter(raw)
    rows = records(raw, path, delimiter)
    first = next(rows, None)
    if first is None:
        return
    header = [field_text(raw, f)[0] for f in first[1]]
    body_at = _column(header, options, path)
    names = [h.strip().lower() for h in header]
    name_at = next((names.index(k) for k in NAME_KEYS if k in names and names.index(k) != body_at), None)
    disable_at = names.index("phraselint") if "phraselint" in names else None
    incoming_at = next((names.index(k) for k in INCOMING_KEYS if k in names and names.index(k) != body_at), None)
    for _, fields in rows:
        if body_at >= len(fields):
            continue
        value, to_raw = field_text(raw, fields[body_at])
        text, to_value, masks = library_body(value)
        if not text:
            continue
        name = None
        if name_at is not None and name_at < len(fields):
            name = field_text(raw, fields[name_at])[0].strip() or None
        disable: tuple[str, ...] = ()
        if disable_at is not None and disable_at < len(fields):
            cell = field_text(raw, fields[disable_at])[0].strip()
            try:
                disable = reply_disable(cell) if cell else ()
            except ValueError as exc:
                raise PhraselintError(str(exc), path, line_at(raw, fields[disable_at][0])) from None
        incoming = None
        if incoming_at is not None and incoming_at < len(fields):
            incoming = field_text(raw, fields[incoming_at])[0]
        codec = body_codec(value).inside(csv_codec(fields[body_at][2] >= 0, delimiter))
        yield ReplyText(text, to_value.then(to_raw), name=name, masks=masks, disable=disable, codec=codec,
                        incoming=incoming if incoming and incoming.strip() else None)
