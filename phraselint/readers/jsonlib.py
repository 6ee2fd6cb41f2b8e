"""JSON help-desk exports: replies picked out by the document's shape, each at exact raw offsets.

A small strict scanner keeps, for every string, where its contents sit in the raw text; escapes
(`\\n`, `\\"`, `\\u2019`, surrogate pairs) are decoded here, each mapping to its raw span. Broken
JSON is reported with json's own message and line ("invalid JSON: Expecting ',' delimiter").

Shapes, tried in this order; the first that matches wins:

1. IBM Twitter customer-care dialogs: a list of conversations with `agentURL.url_utterance` (the
   agent's reply) and `dialogContent` turns. Agent turns (`"agent": ...`) and the `agentURL`
   reply are linted, each once per tweet id, named "<dialogHeader.company> tweet <tweet_ID>";
   customers' messages never are. Tweets escape &, < and >, so character references are decoded.
2. Zendesk macros: `{"macros": [...]}`, `{"macro": {...}}` or a list of macro objects, each with a
   `title` and `actions`; every action whose `field` is `comment_value` (plain text) or
   `comment_value_html` (HTML) is a reply named by the title. Its `value` is a string or a list
   whose last element is the string (`["channel:all", "text"]`).
3. Help Scout saved replies: objects with `name` and `text`.
4. Freshdesk canned responses: objects with `title` and `content_html` (HTML) or `content`.
5. Generic: objects with a `title`, `name` or `subject` and a `body`, `text`, `response`,
   `content`, `comment` or `message` (this covers VS Code's `.github/commands.json`: objects
   without a comment string are not replies).
6. A single unnamed reply (a draft): a top-level object with a `body`, `text`, `response`,
   `content`, `comment` or `message` string and no other keys but the incoming ones below
   and `phraselint`. A bot can pipe
   `{"text": "...", "incoming": "..."}` to `phraselint check --input-format json -`.

Shapes 3-5 are found as a list at the top level, a single reply object, or a list held under any
key of the top-level object (`{"canned_responses": [...]}`). Bodies of shapes 3-6 are read as
HTML when they look like HTML (see `html.looks_like_html`). Anything else that parses raises
NotAReplyLibrary.

A reply object may carry the customer's message it answers in a string `incoming`,
`customer_message` or `in_reply_to` (the first that is a non-blank string). It becomes
`ReplyText.incoming`, for the reply-level checks; it is never linted or reported.

A reply object (for Zendesk, the macro or its action; for IBM dialogs, the conversation) may
switch rules off for the whole reply with a `phraselint` key, in either form:

    "phraselint": {"disable": ["refusal.cant", "burden"]}
    "phraselint": "disable=refusal.cant,burden"
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from array import array
from collections.abc import Iterator
from typing import Any, NamedTuple

from phraselint.codecs import html_codec, json_codec
from phraselint.errors import NotAReplyLibrary, PhraselintError
from phraselint.readers import ReadOptions
from phraselint.readers.html import MapBuilder, decode_entities, html_to_text, looks_like_html
from phraselint.suppress import reply_disable
from phraselint.text import LONG_LINE, OffsetMap, Origin, ReplyText, line_at, line_breaks

NAME = "json"
EXTENSIONS = (".json",)

#: Deeper documents are refused (the scanner recurses once per level).
MAX_DEPTH = 200

#: Keys of a reply object holding the customer's message it answers (never linted).
INCOMING_KEYS = ("incoming", "customer_message", "in_reply_to")


class JStr(str):
    """A string value read from the raw text. Where its contents (between the quotes) sit is
    kept by its `Tree`, not on the string: an instance dict per string would cost five times
    the export's own size."""

    __slots__ = ()


class JObj(dict):
    """An object that knows the raw offset of its "{"."""

    __slots__ = ("start",)


#: A string's place in a `Tree.spans` value: start << _SHIFT | end (one int, not a tuple).
_SHIFT = 40


class Tree(NamedTuple):
    """A parsed document: its root value, and the raw span of each `JStr` in it, by id (valid
    while the tree is alive)."""

    root: Any
    spans: dict[int, int]

    def span(self, s: JStr) -> tuple[int, int]:
        packed = self.spans[id(s)]
        return packed >> _SHIFT, packed & ((1 << _SHIFT) - 1)


class Body(NamedTuple):
    """In a pruned document, a reply body's string: where its contents (between the quotes)
    sit in the raw text. Its text is decoded only when the reply is read."""

    start: int
    end: int


class Items:
    """In a pruned document, a list at the top (the document itself, or a value of the top
    object: `{"macros": [...]}`) whose elements are read one at a time, each time it is
    iterated, and not kept: a 50,000-macro export is never held as a tree. Every element was
    checked when the document was scanned."""

    __slots__ = ("_scanner", "_starts", "_depth")

    def __init__(self, scanner: _Scanner, starts: array, depth: int):
        self._scanner, self._starts, self._depth = scanner, starts, depth

    def __iter__(self) -> Iterator[Any]:
        for pos in self._starts:
            yield self._scanner.value(pos, self._depth, False)[0]


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, Items))


class _Bad(Exception):
    """Malformed JSON: (message, raw offset)."""


# ------------------------------------------------------------------ scanning

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"((?:[^"\\\x00-\x1f]++|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*+)"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_LITERALS = (("true", True), ("false", False), ("null", None))
_ESCAPE = re.compile(r"\\(?:u(?P<hi>[dD][89abAB][0-9a-fA-F]{2})\\u(?P<lo>[dD][c-fC-F][0-9a-fA-F]{2})"
                     r"|u(?P<u>[0-9a-fA-F]{4})|(?P<c>.))", re.DOTALL)
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def decode_string(raw: str, start: int, end: int) -> tuple[str, OffsetMap]:
    """The decoded contents of the JSON string at `raw[start:end]`, mapped to raw offsets. A lone
    surrogate escape becomes U+FFFD."""
    out = MapBuilder(raw)
    pos = start
    for m in _ESCAPE.finditer(raw, start, end):
        out.copy(pos, m.start())
        if m["hi"]:
            char = chr(0x10000 + ((int(m["hi"], 16) - 0xD800) << 10) + int(m["lo"], 16) - 0xDC00)
        elif m["u"]:
            code = int(m["u"], 16)
            char = "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)
        else:
            char = _SIMPLE[m["c"]]
        out.replace(m.start(), m.end(), char)
        pos = m.end()
    out.copy(pos, end)
    return out.finish(start)


#: What the shapes below read of an object inside the document; `_Scanner(prune=True)` keeps
#: nothing else of one (the top-level object is kept whole, for `_single`).
_SHAPE_KEYS = frozenset({
    "agentURL", "dialogHeader", "company", "dialogContent", "agent", "tweet_ID", "message", "url_utterance",
    "macros", "macro", "actions", "title", "field", "value", "name", "subject",
    "text", "content_html", "content", "body", "response", "comment", "phraselint", *INCOMING_KEYS})
#: Keys whose string is a reply body: the shapes ask only whether it is a string, so a pruned
#: tree keeps its place and not its text.
_BODY_KEYS = frozenset({"message", "url_utterance", "value", "text", "content_html", "content", "body",
                        "response", "comment"})


class _Scanner:
    """`prune`: keep only what the reply shapes read (a 50,000-macro export's tree would take
    several times the file's size); a `phraselint` key's value is always kept whole."""

    def __init__(self, raw: str, prune: bool = False, latin: bool = False):
        self.raw = raw
        self.prune = prune
        #: `raw` is UTF-8 bytes read as Latin-1 (see `windows`): strings are decoded from it.
        self.latin = latin
        self.spans: dict[int, int] = {}
        #: The deepest list read as `Items`: the document's own (depth 0) or its top object's (1).
        self.top = 0

    def items(self, pos: int, depth: int) -> tuple[Items, int]:
        """The list at `pos` as `Items`: each element checked and its place noted, none kept."""
        raw, starts = self.raw, array("q")
        pos = _WS.match(raw, pos + 1).end()
        if raw.startswith("]", pos):
            return Items(self, starts, depth + 1), pos + 1
        while True:
            starts.append(pos)
            _, pos = self.value(pos, depth + 1, False, "skip")
            pos = _WS.match(raw, pos).end()
            if raw.startswith("]", pos):
                return Items(self, starts, depth + 1), pos + 1
            if not raw.startswith(",", pos):
                raise _Bad("invalid JSON: Expecting ',' delimiter", pos)
            pos = _WS.match(raw, pos + 1).end()

    def document(self) -> Any:
        raw = self.raw
        start = _WS.match(raw, _bom_length(raw, self.latin)).end()
        self.top = 1 if raw.startswith("{", start) else 0
        value, pos = self.value(start, 0, not self.prune)
        pos = _WS.match(raw, pos).end()
        if pos != len(raw):
            raise _Bad("invalid JSON: Extra data", pos)
        return value

    def string(self, pos: int, kind: str = "value") -> tuple[str | None, int]:
        """The string at `pos`: for a "value", a `JStr` with its span; a "key" (shared, as
        json's are); a "name", a `JStr` without a span (a pruned tree's non-body string); a
        "body", its `Body`; to "skip", None."""
        m = _STRING.match(self.raw, pos)
        if m is None:
            raise _Bad("invalid JSON: Invalid string", pos)
        if kind == "skip":
            return None, m.end()
        start, end = m.span(1)
        if kind == "body":
            return Body(start, end), m.end()
        text = m.group(1)
        if self.latin:
            text = utf8(text)
        if "\\" in text:
            text = decode_string(text, 0, len(text))[0]
        if kind == "key":
            return sys.intern(text), m.end()
        s = JStr(text)
        if kind == "value" and not self.prune:  # a pruned tree's bodies are `Body`s
            self.spans[id(s)] = start << _SHIFT | end
        return s, m.end()

    def value(self, pos: int, depth: int, whole: bool, kind: str = "value") -> tuple[Any, int]:
        """The value at `pos`. `whole`: keep every key of its objects; `kind`: of a string (see
        `string`), or "skip" to check it and keep nothing."""
        raw = self.raw
        c = raw[pos:pos + 1]
        if c == '"':
            return self.string(pos, kind)
        if c not in ("{", "["):
            for word, value in _LITERALS:
                if raw.startswith(word, pos):
                    return value, pos + len(word)
            m = _NUMBER.match(raw, pos)
            if m is None:
                raise _Bad("invalid JSON: Expecting value", pos)
            text = m.group()
            if kind == "skip":
                return None, m.end()
            return (int(text) if text.lstrip("-").isdigit() and len(text) < 4000 else float(text)), m.end()
        if depth >= MAX_DEPTH:
            raise _Bad(f"cannot read JSON nested deeper than {MAX_DEPTH} levels", pos)
        skip = kind == "skip"
        if c == "[" and self.prune and not skip and depth <= self.top:
            return self.items(pos, depth)
        inner = kind if kind in ("skip", "body") else "value"  # a body list: Zendesk's ["channel:all", "text"]
        close = "}" if c == "{" else "]"
        container: Any = None if skip else JObj() if c == "{" else []
        if c == "{" and not skip:
            container.start = pos
        pos = _WS.match(raw, pos + 1).end()
        if raw.startswith(close, pos):
            return container, pos + 1
        while True:
            if c == "{":
                if not raw.startswith('"', pos):
                    raise _Bad("invalid JSON: Expecting property name enclosed in double quotes", pos)
                key, pos = self.string(pos, "skip" if skip else "key")
                pos = _WS.match(raw, pos).end()
                if not raw.startswith(":", pos):
                    raise _Bad("invalid JSON: Expecting ':' delimiter", pos)
                pos = _WS.match(raw, pos + 1).end()
                if skip or whole:
                    item, pos = self.value(pos, depth + 1, whole, inner)
                elif depth == 0 or key in _SHAPE_KEYS:
                    kind = "body" if key in _BODY_KEYS else "name"
                    item, pos = self.value(pos, depth + 1, key == "phraselint", kind)
                else:  # checked, not kept
                    key, (_, pos) = None, self.value(pos, depth + 1, whole, "skip")
                if key is not None:
                    container[key] = item
            else:
                item, pos = self.value(pos, depth + 1, whole, inner)
                if not skip:
                    container.append(item)
            pos = _WS.match(raw, pos).end()
            if raw.startswith(close, pos):
                return container, pos + 1
            if not raw.startswith(",", pos):
                raise _Bad("invalid JSON: Expecting ',' delimiter", pos)
            pos = _WS.match(raw, pos + 1).end()


def _line(raw: str, pos: int) -> int:
    return line_at(raw, pos)


def parse(raw: str, path: str, prune: bool = False, latin: bool = False) -> Tree:
    """The document (dicts as `JObj`, lists, `JStr` strings, numbers, booleans and None) and
    where its strings sit. `prune`: only what the reply shapes read (see `_SHAPE_KEYS`).
    `latin`: `raw` is UTF-8 read as Latin-1 (positions are then byte offsets)."""
    scanner = _Scanner(raw, prune, latin)
    try:
        return Tree(scanner.document(), scanner.spans)
    except _Bad as bad:
        if len(raw) <= _JSON_MESSAGE_CHARS:
            try:  # json's own message, when it refuses the text too (not for a large file: it
                # would build the whole document just to say where it breaks)
                json.loads(raw[_bom_length(raw, latin):])
            except json.JSONDecodeError as exc:
                offset = exc.pos + _bom_length(raw, latin)
                raise PhraselintError(f"invalid JSON: {exc.msg}", path, _line(raw, offset)) from None
            except (RecursionError, ValueError):
                pass
        message, pos = bad.args
        raise PhraselintError(message, path, _line(raw, pos)) from None


#: Up to this size, a broken document is also given to `json` for its message.
_JSON_MESSAGE_CHARS = 1_000_000


def _bom_length(raw: str, latin: bool) -> int:
    """The byte-order mark left at the start of `raw` (after the one the file reader took off):
    one character, or three in a Latin-1 view of UTF-8."""
    if raw.startswith("\ufeff"):
        return 1
    return 3 if latin and raw.startswith("\xef\xbb\xbf") else 0


# ------------------------------------------------------------------ shapes


class Found(NamedTuple):
    """A reply in the document: its name, its body, how to read it, and the objects that may
    carry its `phraselint` key. `kind` is "plain", "html", "auto" (HTML if it looks like it) or
    "entities" (character references only)."""

    name: str | None
    value: Body
    kind: str
    owners: tuple[dict, ...]


def _str(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else None


# Each shape says whether the document has its shape: None when not, else its replies, found
# one list element at a time as they are read (a pruned document's lists are `Items`).


def _twitter(doc: Any) -> Iterator[Found] | None:
    if not _is_list(doc) or not any(isinstance(c, dict) and "agentURL" in c for c in doc):
        return None
    return _twitter_replies(doc)


def _twitter_replies(doc: Any) -> Iterator[Found]:
    seen = set()
    for conv in doc:
        if not isinstance(conv, dict):
            continue
        header = conv.get("dialogHeader")
        company = _str(header.get("company")) if isinstance(header, dict) else None
        turns = conv.get("dialogContent")
        turns = [t for t in turns if isinstance(t, dict) and "agent" in t] if isinstance(turns, list) else []
        agent_url = conv.get("agentURL")
        if isinstance(agent_url, dict):
            turns.append({"agent": company, "tweet_ID": agent_url.get("tweet_ID"),
                          "message": agent_url.get("url_utterance")})
        for turn in turns:
            # Named by the conversation's brand, as the corpus manifest does (an agent of another
            # brand may step in: "AmazonHelp" in an "AppleSupport" dialog is still "AppleSupport").
            who, tweet, message = company or _str(turn.get("agent")), _str(turn.get("tweet_ID")), turn.get("message")
            if isinstance(message, Body) and (tweet is None or tweet not in seen):
                seen.add(tweet)
                name = f"{who or 'agent'} tweet {tweet}" if tweet else who
                yield Found(name, message, "entities", (conv,))


def _zendesk(doc: Any) -> Iterator[Found] | None:
    if isinstance(doc, dict) and _is_list(doc.get("macros")):
        macros = doc["macros"]
    elif isinstance(doc, dict) and isinstance(doc.get("macro"), dict):
        macros = [doc["macro"]]
    elif _is_list(doc) and any(isinstance(m, dict) and isinstance(m.get("actions"), list)
                               and isinstance(m.get("title"), str) for m in doc):
        macros = doc
    else:
        return None
    return _zendesk_replies(macros)


def _zendesk_replies(macros: Any) -> Iterator[Found]:
    for macro in macros:
        actions = macro.get("actions") if isinstance(macro, dict) else None
        if isinstance(actions, dict):
            actions = [actions]  # one action given as an object, not a list of one
        for action in actions if isinstance(actions, list) else []:
            field = action.get("field") if isinstance(action, dict) else None
            if field not in ("comment_value", "comment_value_html"):
                continue
            value = action.get("value")
            if isinstance(value, list) and value:
                value = value[-1]
            if isinstance(value, Body):
                kind = "html" if field == "comment_value_html" else "plain"
                yield Found(_str(macro.get("title")), value, kind, (macro, action))


#: (name keys, body keys -> how to read them) of Help Scout, Freshdesk and generic replies.
_TABLES = (
    (("name",), {"text": "auto"}),
    (("title",), {"content_html": "html", "content": "auto"}),
    (("title", "name", "subject"), dict.fromkeys("body text response content comment message".split(), "auto")),
)


def _first(obj: dict, keys, kind: type) -> tuple[str, Any] | None:
    return next(((k, obj[k]) for k in keys if isinstance(obj.get(k), kind)), None)


def _table(doc: Any, names: tuple[str, ...], bodies: dict[str, str]) -> Iterator[Found] | None:
    def is_reply(obj: Any) -> bool:
        return isinstance(obj, dict) and _first(obj, names, str) is not None and _first(obj, bodies, Body) is not None

    if is_reply(doc):
        groups = [[doc]]
    elif _is_list(doc):
        groups = [doc] if any(is_reply(o) for o in doc) else []
    elif isinstance(doc, dict):
        groups = [v for v in doc.values() if _is_list(v) and any(is_reply(o) for o in v)]
    else:
        groups = []
    return _table_replies(groups, names, bodies) if groups else None


def _table_replies(groups: list, names: tuple[str, ...], bodies: dict[str, str]) -> Iterator[Found]:
    for obj in (o for group in groups for o in group if isinstance(o, dict)):
        body, name = _first(obj, bodies, Body), _first(obj, names, str)
        if body is not None:
            yield Found(name and name[1], body[1], bodies[body[0]], (obj,))


def _single(doc: Any) -> Iterator[Found] | None:
    """A lone unnamed reply object (a draft): a top-level object with a body string and nothing
    but body, incoming and `phraselint` keys (so a settings file with a `message` is no reply)."""
    bodies = _TABLES[-1][1]
    if not isinstance(doc, dict) or any(k not in bodies and k not in INCOMING_KEYS and k != "phraselint"
                                        for k in doc):
        return None
    body = _first(doc, bodies, Body)
    return iter([Found(None, body[1], bodies[body[0]], (doc,))]) if body else None


def find_replies(doc: Any) -> Iterator[Found] | None:
    """The replies of a pruned document by the first shape it matches, or None for no shape."""
    shapes = [_twitter, _zendesk] + [lambda d, t=table: _table(d, *t) for table in _TABLES] + [_single]
    return next((found for shape in shapes if (found := shape(doc)) is not None), None)


# ------------------------------------------------------------------ replies

_NOT_A_LIBRARY = (
    "not a reply library: expected Zendesk macros, Help Scout saved replies, Freshdesk canned responses, "
    "objects with a title/name/subject and a body/text/content/comment/message, or IBM customer-care "
    "dialogs (see phraselint docs)")


def disabled(owner: dict, raw: str, path: str) -> tuple[str, ...]:
    """The rule ids an object's `phraselint` key switches off."""
    spec = owner.get("phraselint")
    if spec is None:
        return ()
    try:
        return reply_disable(spec)
    except ValueError as exc:
        raise PhraselintError(str(exc), path, _line(raw, getattr(owner, "start", 0))) from None


def incoming(owners: tuple[dict, ...]) -> str | None:
    """The customer's message a reply answers: the first non-blank string under an incoming key
    of its objects."""
    return next((str(o[k]) for o in owners for k in INCOMING_KEYS
                 if isinstance(o.get(k), str) and o[k].strip()), None)


class Located(NamedTuple):
    """A reply found in the document, with all it needs of the parsed tree, so that the tree can
    be freed before the replies are linted."""

    name: str | None
    span: tuple[int, int]
    kind: str
    disable: tuple[str, ...]
    incoming: str | None


def locate(raw: str, path: str, found: Found) -> Located:
    disable = tuple(dict.fromkeys(r for owner in found.owners for r in disabled(owner, raw, path)))
    return Located(found.name, tuple(found.value), found.kind, disable, incoming(found.owners))


def reply_text(raw: str, reply: Located) -> ReplyText:
    """The reply `reply` of `raw`, decoded, with its map back to raw offsets."""
    text, to_raw = decode_string(raw, *reply.span)
    source = raw[reply.span[0]:reply.span[1]]
    codec = json_codec(source.isascii() and "\\u" in source)
    masks: list[tuple[int, int]] = []
    if reply.kind == "html" or (reply.kind == "auto" and looks_like_html(text)):
        codec = html_codec(text.isascii()).inside(codec)
        text, inner, masks = html_to_text(text)
        to_raw = inner.then(to_raw)
    elif reply.kind == "entities" and "&" in text:
        codec = html_codec(text.isascii()).inside(codec)
        text, inner = decode_entities(text)
        to_raw = inner.then(to_raw)
    return ReplyText(text, to_raw, name=reply.name, masks=masks, disable=reply.disable, codec=codec,
                     incoming=reply.incoming)


def _located(raw: str, path: str, latin: bool = False) -> Iterator[Located]:
    """The document's replies, one at a time: the whole document is checked first (a broken
    one fails before any reply is read), then its top lists are read element by element."""
    found = find_replies(parse(raw, path, prune=True, latin=latin).root)
    if found is None:
        raise NotAReplyLibrary(_NOT_A_LIBRARY, path, 1)
    for f in found:
        yield locate(raw, path, f)


def read(raw: str, path: str, options: ReadOptions | None = None) -> Iterator[ReplyText]:
    # No tree of the document is held: each reply is found, read and let go in turn.
    for reply in _located(raw, path):
        yield reply_text(raw, reply)


# ------------------------------------------------------------------ large exports


def utf8(latin: str) -> str:
    """Text from UTF-8 bytes read as Latin-1 (one character a byte)."""
    return latin if latin.isascii() else latin.encode("latin-1").decode("utf-8", "replace")


class Window(NamedTuple):
    """One reply of a large export, read on its own: the raw contents of its string (`text`),
    where they start in the file's decoded text, and the reply read from them."""

    text: str
    origin: Origin
    reply: ReplyText


def windows(latin: str, path: str, options: ReadOptions | None = None) -> Iterator[Window]:
    """The replies of a JSON document given as its UTF-8 bytes (valid, without a byte-order
    mark) read as Latin-1, each in a `Window`: the file is never decoded whole. A text with
    characters beyond the Basic Multilingual Plane takes four bytes a character as a Python
    string, so a 28 MB export with emoji would be a 107 MB string; here it is held as its bytes."""
    where = _Where(latin)
    for reply in _located(latin, path, latin=True):
        start, end = reply.span
        first, last = _line_around(latin, start, end)
        origin = where.advance(first)
        text = utf8(latin[first:last])
        where.skip(last, len(text))
        if last < len(latin) and latin[last] not in "\r\n":
            origin = origin._replace(open_end=True)
        lead = len(utf8(latin[first:start]))
        span = (lead, lead + len(utf8(latin[start:end])))
        yield Window(text, origin, reply_text(text, reply._replace(span=span)))


def _line_around(latin: str, start: int, end: int) -> tuple[int, int]:
    """The line holding the string `[start, end)` (a JSON string has no line break), or, on a
    line longer than `LONG_LINE` characters, the string alone (a JSON export may be one line).
    Offsets are bytes; a character takes at most four."""
    reach = 4 * LONG_LINE
    low, high = max(0, start - reach), min(len(latin), end + reach)
    first = max(latin.rfind("\n", low, start), latin.rfind("\r", low, start)) + 1
    if first == 0 and low > 0:
        return start, end  # no line start within reach
    ends = [i for i in (latin.find("\n", end, high), latin.find("\r", end, high)) if i >= 0]
    if not ends and high < len(latin):
        return start, end  # no line end within reach
    last = min(ends) if ends else len(latin)
    if last - first > LONG_LINE and len(utf8(latin[first:last])) > LONG_LINE:
        return start, end
    return first, last


class _Where:
    """Walks a Latin-1 view of UTF-8 bytes forward, counting characters and lines, to say where
    a byte offset falls in the decoded text (each stretch is decoded once). Replies mostly come
    in file order; for one that comes earlier (an IBM dialog's reply is listed after its turns),
    the walk restarts from the last place noted before it."""

    def __init__(self, latin: str):
        self.latin = latin
        self.pos = self.offset = self.line = self.line_start = 0
        self._noted = [array("q") for _ in range(4)]  # pos, offset, line, line_start: ascending pos

    def advance(self, pos: int) -> Origin:
        if pos < self.pos:
            i = bisect.bisect_right(self._noted[0], pos) - 1
            self.pos, self.offset, self.line, self.line_start = (a[i] for a in self._noted) if i >= 0 else (0,) * 4
        part = self.latin[self.pos:pos]
        breaks = line_breaks(part)
        if breaks:  # a line starts after the last break (\n, \r\n or a lone \r, as `LineIndex` reads them)
            last = max(part.rfind("\n"), part.rfind("\r")) + 1
            self.line += breaks
            self.line_start = self.offset + len(utf8(part[:last]))
        self.offset += len(utf8(part))
        self.pos = pos
        if not self._noted[0] or pos > self._noted[0][-1]:
            for a, value in zip(self._noted, (pos, self.offset, self.line, self.line_start)):
                a.append(value)
        return Origin(self.offset, self.line, self.offset - self.line_start)

    def skip(self, pos: int, chars: int) -> None:
        """Past a stretch already decoded (a string: no line break in it)."""
        self.pos, self.offset = pos, self.offset + chars
