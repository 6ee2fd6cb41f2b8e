"""YAML scalars decoded to text, with an OffsetMap from the text to the raw source.

A scalar's text is decoded from its raw source by the rules PyYAML follows, as copied runs and
replaced pieces (a folded line break with the indentation after it, an escape, ''). It is checked
against the parser's value; if they ever differ (an exotic scalar), the value is mapped line by
line onto the raw instead.
"""

from __future__ import annotations

import re

import yaml

from phraselint.text import OffsetMap

_BREAKS = "\r\n\x85\u2028\u2029"
#: Any YAML line break.
BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LINE = re.compile("[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029])?")
_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
            "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
            "L": "\u2028", "P": "\u2029"}
_CODES = {"x": 2, "u": 4, "U": 8}
_PROPERTY = re.compile(r"\S+\s*(?:#[^\n]*\s*)*")  # an anchor or a tag, and what follows it


class _Out:
    def __init__(self, raw: str):
        self.raw, self.pieces, self.segs, self.n = raw, [], [], 0

    def put(self, text: str, a: int, b: int) -> None:
        """`text` for `raw[a:b]`: copied when equal, else one replaced segment; nothing dropped."""
        if not text:
            return
        last = self.segs[-1] if self.segs else (0, -1, 0, 0)
        if text == self.raw[a:b] and last[1] == self.n and last[3] == a and last[1] - last[0] == last[3] - last[2]:
            self.segs[-1] = (last[0], self.n + len(text), last[2], b)
        else:
            self.segs.append((self.n, self.n + len(text), a, b))
        self.pieces.append(text)
        self.n += len(text)

    def copy(self, a: int, b: int) -> None:
        self.put(self.raw[a:b], a, b)


def _brk(raw: str, i: int) -> tuple[int, str]:
    """The line break at `i`: its end and its value (CRLF, CR and NEL read as LF)."""
    m = BREAK.match(raw, i)
    return m.end(), ("\n" if m.group() in ("\r\n", "\r", "\n", "\x85") else m.group())


def _blank_lines(raw: str, j: int, e: int) -> tuple[int, str]:
    """After a line break: skip blank lines and the next line's indentation. Their breaks."""
    extra = ""
    while True:
        k = j
        while k < e and raw[k] in " \t":
            k += 1
        if k >= e or raw[k] not in _BREAKS:
            return k, extra
        j, value = _brk(raw, k)
        extra += value


def _flow(out: _Out, raw: str, s: int, e: int, style: str | None) -> None:
    """A plain, single- or double-quoted scalar: line breaks fold, escapes decode."""
    if style:
        s, e = s + 1, e - 1
    stop = " \t" + _BREAKS + {'"': "\\", "'": "'"}.get(style or "", "")
    i = s
    while i < e:
        c = raw[i]
        if c in " \t" or c in _BREAKS:
            j = i
            while j < e and raw[j] in " \t":
                j += 1
            if j < e and raw[j] in _BREAKS:  # trailing spaces, break, blank lines, indentation
                k, first = _brk(raw, j)
                k, extra = _blank_lines(raw, k, e)
                out.put((first if first != "\n" else "" if extra else " ") + extra, i, k)
                j = k
            else:
                out.copy(i, j)
        elif c in stop:  # '' in single quotes, a backslash in double quotes
            code = raw[i + 1]
            j = i + 2
            if style == "'" or code in _ESCAPES:
                out.put("'" if style == "'" else _ESCAPES[code], i, j)
            elif code in _CODES:
                j += _CODES[code]
                out.put(chr(int(raw[i + 2:j], 16)), i, j)
            else:  # an escaped line break: it and the next line's indentation vanish
                j, extra = _blank_lines(raw, _brk(raw, i + 1)[0], e)
                out.put(extra, i, j)
        else:
            j = i + 1
            while j < e and raw[j] not in stop:
                j += 1
            out.copy(i, j)
        i = j


def _block(out: _Out, raw: str, s: int, e: int) -> None:
    """A literal (|) or folded (>) block scalar: lines copied, the break and indentation between
    them replaced; chomping (- +) and an indentation indicator in the header."""
    folded, chomp, inc, i = raw[s] == ">", "", 0, s + 1
    while raw[i] in "+-123456789":
        chomp, inc = (raw[i], inc) if raw[i] in "+-" else (chomp, int(raw[i]))
        i += 1
    first = BREAK.search(raw, i, e)
    start = first.end() if first else e
    lines = []  # (start, end, line break value) of each line
    for m in _LINE.finditer(raw, start, e):
        if m.group():
            end = m.start() + len(m.group().rstrip(_BREAKS))
            lines.append((m.start(), end, _brk(raw, end)[1] if end < m.end() else ""))
    if inc:  # relative to the parent's indentation: the column of its key, or of its dash
        line_start = raw.rfind("\n", 0, s) + 1
        lead = re.match(r" *(?:- +)*", raw[line_start:s]).end()
        dash = raw.rfind("-", line_start, line_start + lead)
        parent = lead if line_start + lead < s else max(dash - line_start, 0)
        indent = inc + (0 if raw.startswith("---", line_start) else parent)
    else:  # the first non-blank line's (or a longer leading blank line's)
        indent = 1
        for a, b, _ in lines:
            spaces = len(raw[a:b]) - len(raw[a:b].lstrip(" "))
            indent = max(indent, spaces)
            if a + spaces < b:
                break
    prev, blanks = None, ""
    for a, b, value in lines:
        if b - a <= indent and raw[a:b].strip(" ") == "":
            blanks += value
            continue
        c = a + indent
        if prev is None:
            out.put(blanks, start, c)
        elif folded and prev[1] == "\n" and prev[2] and raw[c] not in " \t":
            out.put(blanks or " ", prev[0], c)
        else:
            out.put(prev[1] + blanks, prev[0], c)
        out.copy(c, b)
        prev, blanks = (b, value, raw[c] not in " \t"), ""
    keep = blanks if chomp == "+" else ""
    if prev is None:
        out.put(keep, start, e)
    elif chomp != "-":  # clip: the last line break; keep: and the blank lines after it
        end = e if keep else _brk(raw, prev[0])[0] if prev[1] else prev[0]
        out.put(prev[1] + keep, prev[0], end)


def _by_lines(raw: str, s: int, e: int, value: str) -> OffsetMap:
    """Fallback: each line of `value` found in order in `raw[s:e]` is copied, the rest replaced."""
    segs, t, r = [], 0, s
    for m in re.finditer(r"[^\n]+", value):
        core = m.group().strip()
        at = raw.find(core, r, e) if core else -1
        if at >= 0:
            c0 = m.start() + m.group().index(core)
            segs += [(t, c0, r, at)] if c0 > t else []
            segs.append((c0, c0 + len(core), at, at + len(core)))
            t, r = c0 + len(core), at + len(core)
    if t < len(value) or not segs:
        segs.append((t, len(value), r, e))
    return OffsetMap(segs)


def decode_scalar(raw: str, node: yaml.ScalarNode, base: int = 0) -> tuple[str, OffsetMap] | None:
    """A scalar's text decoded from its raw source, and its map to `raw`; None when the decoded
    text differs from the parser's value (a case these rules do not cover)."""
    s, e = node.start_mark.index + base, node.end_mark.index + base
    while raw[s:s + 1] in ("&", "!"):  # an anchor or a tag before the value
        s = _PROPERTY.match(raw, s).end()
    out = _Out(raw)
    try:
        if node.style in ("|", ">"):
            _block(out, raw, s, e)
        else:
            _flow(out, raw, s, e, node.style or None)
    except (IndexError, ValueError, AttributeError):
        return None
    text = "".join(out.pieces)
    return (text, OffsetMap(out.segs or [(0, 0, s, s)])) if text == node.value else None


def scalar_text(raw: str, node: yaml.ScalarNode, base: int = 0) -> tuple[str, OffsetMap]:
    """A scalar's value and its map to `raw` (decoded, else found line by line)."""
    s, e = node.start_mark.index + base, node.end_mark.index + base
    return decode_scalar(raw, node, base) or (node.value, _by_lines(raw, s, e, node.value))


# ------------------------------------------------------------------ replies
