"""YAML reply libraries (`.yaml`, `.yml`): each reply body is linted at its exact raw offsets.

Structures, tried in this order:
1. A template: a mapping with a string `body` (osTicket's e-mail and page templates). One reply,
   named by the file's stem ("ticket.reply"). A string `subject` is linted with the body, as the
   e-mail shows it: the reply reads "Subject: <subject>" + a blank line + the body; "Subject: "
   maps to the `subject` key, the blank line to the raw between the two values.
2. A list of mappings, or a mapping holding one (under `replies`, else under the first key whose
   list has an item with a body): saved replies (`replies: [{name, body}]`), osTicket canned
   responses (`[{title, response}]`) and the like. Each item with a string body (the first of
   body, text, response, content, comment, message) is a reply, named by its title, name or
   subject. Other items are skipped. A single such mapping with a name is one reply.
3. Anything else (settings, a plain list): `NotAReplyLibrary`. An empty document has no replies.
   In a stream of several documents (`---`), each document is read this way; the stream is
   `NotAReplyLibrary` only when every document is.

A body that looks like HTML (osTicket) is read as HTML, any other as Markdown (code masked, hard
breaks read as line breaks); see `markdown.library_body`.

Rules are switched off for one reply (`ReplyText.disable`) by a key on its item (on the template's
mapping) in either form:
    phraselint: {disable: [refusal.cant, blame]}
    phraselint: "disable=refusal.cant,blame"
or by a comment line right above the item (above the template's `body` key):
    # phraselint: disable=refusal.cant
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from phraselint.errors import NotAReplyLibrary, PhraselintError
from phraselint.readers import ReadOptions
from phraselint.readers.markdown import library_body, strip_text
from phraselint.text import OffsetMap, ReplyText

NAME = "yaml"
#: Inline suppressions use this comment syntax (see phraselint/suppress.py).
DIRECTIVES = "line"
EXTENSIONS = (".yaml", ".yml")

BODY_KEYS = ("body", "text", "response", "content", "comment", "message")
NAME_KEYS = ("title", "name", "subject")

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # its marks carry `.index` too
_STR = "tag:yaml.org,2002:str"
_DISABLE = re.compile(r"\s*disable\s*[=:]\s*(.*?)\s*", re.DOTALL)
_DISABLE_COMMENT = re.compile(r"[ \t]*#[ \t]*phraselint:[ \t]*disable[ \t]*=[ \t]*([^\n#]*)")
Pair = tuple[yaml.Node, yaml.Node]


def _compose(raw: str, path: str) -> tuple[list[yaml.Node], int]:
    """The documents' node trees, and the offset of their marks in `raw` (libyaml skips a BOM)."""
    base = 1 if raw.startswith("\ufeff") else 0
    try:
        return list(yaml.compose_all(raw[base:], Loader=_Loader)), base
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise PhraselintError(f"YAML syntax error: {problem}", path, mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:
        line = raw.count("\n", 0, max(exc.position, 0)) + 1
        raise PhraselintError(f"YAML error: unacceptable character #x{exc.character:04x}", path, line) from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise PhraselintError(f"YAML error: {(str(exc) or type(exc).__name__).splitlines()[0]}", path) from None


def _get(node: yaml.MappingNode, keys: tuple[str, ...]) -> Pair | None:
    """The first `(key node, value node)` of `node` whose key is one of `keys` (any case)."""
    found: dict[str, Pair] = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and isinstance(key.value, str):
            found.setdefault(key.value.lower(), (key, value))
    return next((found[k] for k in keys if k in found), None)


def _string(pair: Pair | None) -> yaml.ScalarNode | None:
    """The value node of `pair` when it is a string scalar."""
    ok = pair is not None and isinstance(pair[1], yaml.ScalarNode) and pair[1].tag == _STR
    return pair[1] if ok else None


def _items(root: yaml.Node) -> list[yaml.Node] | None:
    """The reply items: the root list, or the list under `replies` or the first key holding one."""
    if isinstance(root, yaml.SequenceNode):
        return root.value
    if not isinstance(root, yaml.MappingNode):
        return None
    pair = _get(root, ("replies",))
    if pair and isinstance(pair[1], yaml.SequenceNode):
        return pair[1].value
    for _, value in root.value:
        if isinstance(value, yaml.SequenceNode) and any(
                isinstance(item, yaml.MappingNode) and _string(_get(item, BODY_KEYS)) for item in value.value):
            return value.value
    return None


def disable_ids(value: str) -> tuple[str, ...] | None:
    """The rule ids of a `disable=rule,other` string, or None when it is not one."""
    m = _DISABLE.fullmatch(value)
    return tuple(r for r in re.split(r"[\s,]+", m.group(1)) if r) if m else None


def _disable_key(node: yaml.MappingNode, path: str) -> tuple[str, ...]:
    pair = _get(node, ("phraselint",))
    if pair is None:
        return ()
    value, ids = pair[1], None
    if isinstance(value, yaml.ScalarNode):
        ids = disable_ids(str(value.value))
    elif isinstance(value, yaml.MappingNode) and (listed := _get(value, ("disable",))):
        if isinstance(listed[1], yaml.ScalarNode):
            ids = disable_ids("disable=" + str(listed[1].value))
        elif isinstance(listed[1], yaml.SequenceNode) and all(isinstance(v, yaml.ScalarNode) for v in listed[1].value):
            ids = tuple(str(v.value) for v in listed[1].value)
    if ids is None:
        raise PhraselintError('phraselint key: expected {disable: [rule, ...]} or "disable=rule,..."',
                              path, value.start_mark.line + 1)
    return ids


def _disable_comment(lines: list[str], line: int) -> tuple[str, ...]:
    """Rule ids from `# phraselint: disable=…` comment lines right above 0-based `line`."""
    ids: tuple[str, ...] = ()
    i = min(line, len(lines)) - 1
    if i >= 0 and lines[i].strip() == "-":  # an item whose mapping starts on the line after its dash
        i -= 1
    while i >= 0 and lines[i].lstrip().startswith("#"):
        if m := _DISABLE_COMMENT.match(lines[i]):
            ids = disable_ids("disable=" + m.group(1)) + ids
        i -= 1
    return ids


# ------------------------------------------------------------------ scalars: text and raw offsets
# A scalar's text is decoded from its raw source by the rules PyYAML follows, as copied runs and
# replaced pieces (a folded line break with the indentation after it, an escape, ''). It is checked
# against the parser's value; if they ever differ (an exotic scalar), the value is mapped line by
# line onto the raw instead.

_BREAKS = "\r\n\x85\u2028\u2029"
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
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
    m = _BREAK.match(raw, i)
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
    first = _BREAK.search(raw, i, e)
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


def _body(raw: str, node: yaml.ScalarNode, base: int) -> tuple[str, OffsetMap, list[tuple[int, int]]]:
    """A body scalar's reply text (read as HTML or Markdown), its map to `raw`, and its masks."""
    decoded, to_raw = scalar_text(raw, node, base)
    text, to_decoded, masks = library_body(decoded)
    return text, to_decoded.then(to_raw), masks


def _template(raw: str, path: str, root: yaml.MappingNode, body: Pair, base: int, lines: list[str]) -> ReplyText:
    text, to_raw, masks = _body(raw, body[1], base)
    disable = _disable_key(root, path) + _disable_comment(lines, body[0].start_mark.line)
    pair = _get(root, ("subject",))
    subject, prefix = _string(pair), "Subject: "
    s_text, s_map, _ = strip_text(*scalar_text(raw, subject, base)) if subject else ("", None, [])
    if s_text:
        s_end, b_start = s_map.end(len(s_text)), to_raw.start(0)
        head = len(prefix) + len(s_text) + 2
        segs = [(0, len(prefix), pair[0].start_mark.index + base, pair[0].end_mark.index + base)]
        segs += [(d0 + len(prefix), d1 + len(prefix), s0, s1) for d0, d1, s0, s1 in s_map.segments if d1 > d0]
        segs.append((head - 2, head, min(s_end, b_start), b_start))  # the blank line: what lies between
        segs += [(d0 + head, d1 + head, s0, s1) for d0, d1, s0, s1 in to_raw.segments if d1 > d0]
        text, to_raw = f"{prefix}{s_text}\n\n{text}", OffsetMap(segs)
        masks = [(a + head, b + head) for a, b in masks]
    return ReplyText(text, to_raw, name=Path(path).stem, masks=masks, disable=disable)


def read(raw: str, path: str, options: ReadOptions | None = None) -> Iterator[ReplyText]:
    documents, base = _compose(raw, path)
    documents = [d for d in documents if not (isinstance(d, yaml.ScalarNode) and d.tag.endswith(":null"))]
    lines = _BREAK.split(raw)  # YAML's lines: any of its line breaks ends one
    refused = []
    for root in documents:  # a stream of several documents: the replies of each
        try:
            yield from _document(raw, path, root, base, lines)
        except NotAReplyLibrary as exc:
            refused.append(exc)
    if refused and len(refused) == len(documents):
        raise refused[0]


def _document(raw: str, path: str, root: yaml.Node, base: int, lines: list[str]) -> Iterator[ReplyText]:
    if isinstance(root, yaml.MappingNode) and _string(body := _get(root, ("body",))):
        yield _template(raw, path, root, body, base, lines)
        return
    items = _items(root)
    if items is None and isinstance(root, yaml.MappingNode) and _string(_get(root, NAME_KEYS)):
        items = [root]  # a single reply
    found = items == []  # an empty list: a library with no replies yet
    for item in items or ():
        body = _string(_get(item, BODY_KEYS)) if isinstance(item, yaml.MappingNode) else None
        if body is None:
            continue
        found = True
        text, to_raw, masks = _body(raw, body, base)
        if text:
            name = _string(_get(item, NAME_KEYS))
            disable = _disable_key(item, path) + _disable_comment(lines, item.start_mark.line)
            yield ReplyText(text, to_raw, name=name.value if name else None, masks=masks, disable=disable)
    if not found:
        kind = {yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}.get(type(root), "a single value")
        if isinstance(root, yaml.MappingNode):
            kind += f" with keys {', '.join(str(k.value) for k, _ in root.value[:8])}" if root.value else " (empty)"
        raise NotAReplyLibrary(
            f"not a reply library: found {kind}; expected a list of replies (each with one of "
            f"{', '.join(BODY_KEYS)}; named by {', '.join(NAME_KEYS)}), a mapping holding such a list, "
            "or a template mapping with subject and body", path, root.start_mark.line + 1)
