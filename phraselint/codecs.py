"""How a reply's text is written back into its file: one `Codec` per place a reply can live.

A fix is planned on the reply's text ("I apologize for"). Before it reaches the raw file it is
encoded for the place the reply came from: a JSON string escapes quotes and backslashes, HTML
escapes `&` and `<`, a single-quoted YAML scalar doubles its quotes. `decode` goes the other way
for a raw fragment, and returns None when the fragment holds something that is not text (a tag,
a folded line break): a fix is only made where `decode(raw[span]) == text[span]`, so an edit can
never swallow markup or structure.

Readers set `ReplyText.codec`; text nested twice (HTML inside a JSON string) chains two codecs.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.entities import codepoint2name

Encode = Callable[[str], "str | None"]
Decode = Callable[[str], "str | None"]
#: (raw start, raw end, text) -> the raw edit that writes the text there, or None.
Place = Callable[[int, int, str], "tuple[int, int, str] | None"]


@dataclass(frozen=True)
class Codec:
    name: str
    encode: Encode
    decode: Decode
    #: Decides where and how a text is written, when that depends on its surroundings: a plain
    #: YAML scalar that would no longer read as the same string is rewritten whole, quoted.
    place: Place | None = None

    def rewrite(self, start: int, end: int, text: str) -> tuple[int, int, str] | None:
        """The raw edit that writes `text` over raw `[start, end)`, or None when it cannot be."""
        if self.place is not None:
            return self.place(start, end, text)
        encoded = self.encode(text)
        return None if encoded is None else (start, end, encoded)

    def inside(self, outer: Codec) -> Codec:
        """This codec's text, held inside `outer`'s (HTML inside a JSON string)."""
        if outer is IDENTITY:
            return self
        if self is IDENTITY:
            return outer

        def encode(text: str) -> str | None:
            inner = self.encode(text)
            return None if inner is None else outer.encode(inner)

        def decode(fragment: str) -> str | None:
            inner = outer.decode(fragment)
            return None if inner is None else self.decode(inner)

        def place(start: int, end: int, text: str) -> tuple[int, int, str] | None:
            inner = self.encode(text)
            return None if inner is None else outer.rewrite(start, end, inner)

        return Codec(f"{self.name} in {outer.name}", encode, decode, place)


def _same(text: str) -> str:
    return text


IDENTITY = Codec("text", _same, _same)


def _no_break(codec_decode: Decode) -> Decode:
    """A decode that refuses fragments holding a line break (folded or escaped in the source)."""

    def decode(fragment: str) -> str | None:
        return None if any(c in fragment for c in "\r\n\x85\u2028\u2029") else codec_decode(fragment)

    return decode


# ------------------------------------------------------------------ HTML


def html_codec(ascii_only: bool = False) -> Codec:
    """Text between HTML tags. `ascii_only`: the source writes every non-ASCII character as a
    reference, so a curly apostrophe is written `&rsquo;` too."""
    from phraselint.readers.html import decode_entities

    def encode(text: str) -> str:
        out = html.escape(text, quote=False)
        if ascii_only:
            out = "".join(c if c.isascii() else f"&{codepoint2name[ord(c)]};" if ord(c) in codepoint2name
                          else f"&#{ord(c)};" for c in out)
        return out

    def decode(fragment: str) -> str | None:
        if "<" in fragment or ">" in fragment:
            return None  # markup inside the span: never rewrite it
        return decode_entities(fragment)[0]

    return Codec("html", encode, _no_break(decode))


# ------------------------------------------------------------------ JSON


def json_codec(ascii_only: bool = False) -> Codec:
    """The contents of a JSON string (without its quotes)."""
    from phraselint.readers.jsonlib import decode_string

    def encode(text: str) -> str:
        return json.dumps(text, ensure_ascii=ascii_only)[1:-1]

    def decode(fragment: str) -> str | None:
        if fragment.endswith("\\") and not fragment.endswith("\\\\"):
            return None
        return decode_string(fragment, 0, len(fragment))[0]

    return Codec("json", encode, decode)


# ------------------------------------------------------------------ YAML

# Inside a plain scalar, ": " would start a mapping and " #" a comment.
_PLAIN_UNSAFE = re.compile(r":(?:\s|$)|(?:^|\s)#|[\r\n]")
_YAML_DQ_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\x85": "\\N", "\xa0": "\\_",
                    "\u2028": "\\L", "\u2029": "\\P"}


def _yaml_dq_encode(text: str) -> str:
    out = []
    for c in text:
        if c in _YAML_DQ_ESCAPES:
            out.append(_YAML_DQ_ESCAPES[c])
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\x{ord(c):02x}")
        else:
            out.append(c)
    return "".join(out)


def _yaml_dq_decode(fragment: str) -> str | None:
    import yaml

    if fragment.endswith("\\") and not fragment.endswith("\\\\"):
        return None
    try:
        value = yaml.safe_load(f'"{fragment}"')
    except yaml.YAMLError:
        return None
    return value if isinstance(value, str) else None


def yaml_codec(style: str | None, raw: str = "", span: tuple[int, int] | None = None) -> Codec:
    """The text of a YAML scalar in `style` (None: plain; "'", '"', "|" or ">"). For a plain
    scalar, `raw` and the scalar's `span` in it let a rewrite be checked in place: a one-line
    plain scalar that would no longer read as the same string (a leading quote or indicator,
    ": ", " #", "no" read as false) is rewritten whole as a double-quoted scalar."""
    if style == '"':
        return Codec("yaml double-quoted", _yaml_dq_encode, _no_break(_yaml_dq_decode))
    if style == "'":
        return Codec("yaml single-quoted", lambda t: t.replace("'", "''"),
                     _no_break(lambda f: None if "'" in f.replace("''", "") else f.replace("''", "'")))
    if style in ("|", ">"):
        return Codec("yaml block", _same, _no_break(_same))

    def plain_encode(text: str) -> str | None:
        return None if _PLAIN_UNSAFE.search(text) else text

    def place(start: int, end: int, text: str) -> tuple[int, int, str] | None:
        s0, e0 = span
        if not s0 <= start <= end <= e0 or any(c in text for c in "\r\n"):
            return None
        new = raw[s0:start] + text + raw[end:e0]
        if not any(c in raw[s0:e0] for c in "\r\n\x85\u2028\u2029"):
            if _reads_as_plain_string(new):
                return start, end, text
            return s0, e0, '"' + _yaml_dq_encode(new) + '"'
        # A multi-line plain scalar folds its lines: only an edit that cannot change how it
        # reads is written; anything else is left to a person.
        around = raw[max(s0, start - 2):start] + text + raw[end:min(e0, end + 2)]
        if _PLAIN_UNSAFE.search(around.strip("\r\n")) or (start == s0 and not _reads_as_plain_string(
                new.splitlines()[0] + " x")):
            return None
        return start, end, text

    return Codec("yaml plain", plain_encode, _no_break(_same), place if span else None)


def _reads_as_plain_string(text: str) -> bool:
    """Whether `text` as a one-line plain YAML scalar reads back as exactly this string."""
    import yaml

    if not text or text != text.strip():
        return False
    try:
        value = yaml.load(f"k: {text}\n", Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return False
    return isinstance(value, dict) and value.get("k") == text


# ------------------------------------------------------------------ CSV


def csv_codec(quoted: bool, delimiter: str = ",") -> Codec:
    """A CSV field's contents: a quoted field doubles its quotes; an unquoted one cannot take a
    quote, the delimiter or a line break."""
    if quoted:
        return Codec("csv quoted", lambda t: t.replace('"', '""'),
                     lambda f: None if '"' in f.replace('""', "") else f.replace('""', '"'))

    def encode(text: str) -> str | None:
        return None if any(c in text for c in f'"\r\n{delimiter}') else text

    return Codec("csv", encode, _same)
