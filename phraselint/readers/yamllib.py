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
   subject. Other items are skipped. A single such mapping with a name is one reply, and so is one
   without a name that has only body, incoming and `phraselint` keys (a draft: `text: ...`
   and `incoming: ...`).
3. Anything else (settings, a plain list): `NotAReplyLibrary`. An empty document has no replies.
   In a stream of several documents (`---`), each document is read this way; the stream is
   `NotAReplyLibrary` only when every document is.

A body that looks like HTML (osTicket) is read as HTML, any other as Markdown (code masked, hard
breaks read as line breaks); see `markdown.library_body`.

An item (a template's mapping) may carry the customer's message the reply answers in a string
`incoming`, `customer_message` or `in_reply_to` (the first that is a non-blank string). It becomes
`ReplyText.incoming`, for the reply-level checks; it is never linted or reported.

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

from phraselint.yamlsrc import Loader

from phraselint.errors import NotAReplyLibrary, PhraselintError, brief
from phraselint.readers import ReadOptions
from phraselint.codecs import Codec, yaml_codec
from phraselint.readers.markdown import body_codec, library_body, strip_text
from phraselint.readers.yamlscalar import BREAK, scalar_text
from phraselint.suppress import reply_disable
from phraselint.text import OffsetMap, ReplyText, line_at

NAME = "yaml"
#: Inline suppressions use this comment syntax (see phraselint/suppress.py).
DIRECTIVES = "line"
EXTENSIONS = (".yaml", ".yml")

BODY_KEYS = ("body", "text", "response", "content", "comment", "message")
NAME_KEYS = ("title", "name", "subject")
#: Keys of a reply holding the customer's message it answers (never linted).
INCOMING_KEYS = ("incoming", "customer_message", "in_reply_to")

_Loader = Loader  # its marks carry `.index` too
_STR = "tag:yaml.org,2002:str"
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
        line = line_at(raw, max(exc.position, 0))
        raise PhraselintError(f"YAML error: unacceptable character #x{exc.character:04x}", path, line) from None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise PhraselintError(f"YAML error: {(str(exc) or type(exc).__name__).splitlines()[0]}", path) from None


class _DuplicateKey(Exception):
    """A key this reader reads, written twice in one mapping (`key`: the second's node)."""

    def __init__(self, key: yaml.Node):
        super().__init__(key.value)
        self.key = key


def _get(node: yaml.MappingNode, keys: tuple[str, ...]) -> Pair | None:
    """The `(key node, value node)` of `node` whose key is one of `keys` (any case, the first of
    `keys` found). One of `keys` written twice is `_DuplicateKey`: YAML forbids it, and a
    platform reading the file would keep the other one."""
    found: dict[str, Pair] = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and isinstance(key.value, str):
            lowered = key.value.lower()
            if lowered in found and lowered in keys:
                raise _DuplicateKey(key)
            found.setdefault(lowered, (key, value))
    return next((found[k] for k in keys if k in found), None)


def _key_text(key: yaml.Node) -> str:
    """A key for a message: a scalar's text, cut when long; a list or a mapping named, never
    printed (through aliases it may be billions of nodes)."""
    if isinstance(key, yaml.ScalarNode):
        return brief(str(key.value))
    return "(a list)" if isinstance(key, yaml.SequenceNode) else "(a mapping)"


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


def _only_draft_keys(node: yaml.MappingNode) -> bool:
    """A mapping of nothing but body, incoming and `phraselint` keys: a draft, not a settings file."""
    allowed = {*BODY_KEYS, *INCOMING_KEYS, "phraselint"}
    return all(isinstance(k, yaml.ScalarNode) and k.value in allowed for k, _ in node.value)


def _incoming(node: yaml.MappingNode) -> str | None:
    """The customer's message a reply answers: the first non-blank string under an incoming key."""
    values = (_string(_get(node, (key,))) for key in INCOMING_KEYS)
    return next((v.value for v in values if v is not None and v.value.strip()), None)


def _plain(node: yaml.Node, budget: list[int] | None = None) -> object:
    """A node as plain Python values (strings, lists, dicts), for the `phraselint` key. Aliases
    could make it recursive or exponential: past a few hundred nodes it is refused."""
    budget = [500] if budget is None else budget
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError("the phraselint key is too large (or refers to itself)")
    if isinstance(node, yaml.MappingNode):
        return {str(getattr(k, "value", k)): _plain(v, budget) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, budget) for v in node.value]
    return str(node.value)


def _disable_key(node: yaml.MappingNode, path: str) -> tuple[str, ...]:
    pair = _get(node, ("phraselint",))
    if pair is None:
        return ()
    try:
        return reply_disable(_plain(pair[1]))
    except ValueError as exc:
        raise PhraselintError(str(exc), path, pair[1].start_mark.line + 1) from None


def _disable_comment(lines: list[str], line: int) -> tuple[str, ...]:
    """Rule ids from `# phraselint: disable=…` comment lines right above 0-based `line`."""
    ids: tuple[str, ...] = ()
    i = min(line, len(lines)) - 1
    if i >= 0 and lines[i].strip() == "-":  # an item whose mapping starts on the line after its dash
        i -= 1
    while i >= 0 and lines[i].lstrip().startswith("#"):
        if m := _DISABLE_COMMENT.match(lines[i]):
            ids = reply_disable("disable=" + m.group(1)) + ids
        i -= 1
    return ids


def _body(raw: str, node: yaml.ScalarNode, base: int) -> tuple[str, OffsetMap, list[tuple[int, int]], Codec]:
    """A body scalar's reply text (read as HTML or Markdown), its map to `raw`, its masks, and
    how text is written back into it."""
    decoded, to_raw = scalar_text(raw, node, base)
    text, to_decoded, masks = library_body(decoded)
    span = (node.start_mark.index + base, node.end_mark.index + base)
    return text, to_decoded.then(to_raw), masks, body_codec(decoded).inside(yaml_codec(node.style, raw, span))


def _template(raw: str, path: str, root: yaml.MappingNode, body: Pair, base: int, lines: list[str]) -> ReplyText:
    text, to_raw, masks, codec = _body(raw, body[1], base)
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
    return ReplyText(text, to_raw, name=Path(path).stem, masks=masks, disable=disable, codec=codec,
                     incoming=_incoming(root))


def read(raw: str, path: str, options: ReadOptions | None = None) -> Iterator[ReplyText]:
    documents, base = _compose(raw, path)
    documents = [d for d in documents if not (isinstance(d, yaml.ScalarNode) and d.tag.endswith(":null"))]
    lines = BREAK.split(raw)  # YAML's lines: any of its line breaks ends one
    refused = []
    for root in documents:  # a stream of several documents: the replies of each
        try:
            yield from _document(raw, path, root, base, lines)
        except NotAReplyLibrary as exc:
            refused.append(exc)
        except _DuplicateKey as exc:
            raise PhraselintError(f"duplicate key '{exc.key.value}'", path, exc.key.start_mark.line + 1) from None
    if refused and len(refused) == len(documents):
        raise refused[0]


def _document(raw: str, path: str, root: yaml.Node, base: int, lines: list[str]) -> Iterator[ReplyText]:
    if isinstance(root, yaml.MappingNode) and _string(body := _get(root, ("body",))):
        yield _template(raw, path, root, body, base, lines)
        return
    items = _items(root)
    if items is None and isinstance(root, yaml.MappingNode) and (_string(_get(root, NAME_KEYS)) or (
            _string(_get(root, BODY_KEYS)) and _only_draft_keys(root))):
        items = [root]  # a single reply (one without a name: a draft, which holds no list)
    found = items == []  # an empty list: a library with no replies yet
    seen: set[int] = set()  # an aliased reply (`- *refund`) is the same node: lint it once
    for item in items or ():
        body = _string(_get(item, BODY_KEYS)) if isinstance(item, yaml.MappingNode) else None
        if body is None or id(body) in seen:
            found = found or body is not None
            continue
        seen.add(id(body))
        found = True
        text, to_raw, masks, codec = _body(raw, body, base)
        if text:
            name = _string(_get(item, NAME_KEYS))
            disable = _disable_key(item, path) + _disable_comment(lines, item.start_mark.line)
            yield ReplyText(text, to_raw, name=name.value if name else None, masks=masks, disable=disable,
                            codec=codec, incoming=_incoming(item))
    if not found:
        kind = {yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}.get(type(root), "a single value")
        if isinstance(root, yaml.MappingNode):
            kind += f" with keys {', '.join(_key_text(k) for k, _ in root.value[:8])}" if root.value else " (empty)"
        raise NotAReplyLibrary(
            f"not a reply library: found {kind}; expected a list of replies (each with one of "
            f"{', '.join(BODY_KEYS)}; named by {', '.join(NAME_KEYS)}), a mapping holding such a list, "
            "or a template mapping with subject and body", path, root.start_mark.line + 1)
