"""Texts, the spans hidden from rules, and the maps from linted positions back to raw offsets.

A reader turns a raw file into `ReplyText`s. The engine then builds a `LintView` of each one:
masked regions (URLs, placeholders, code, quoted customer text) become a single marker
character, and runs of whitespace collapse, so that a phrase split by a line break still
matches. Every position in the view maps back to the reply text, and from there to the raw
file, through `OffsetMap`s.
"""

from __future__ import annotations

import bisect
import html
from array import array
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from phraselint.codecs import IDENTITY, Codec

#: Stands in for a masked region in the lint view. A private-use character: no rule phrase
#: contains it, and spaCy keeps it as (part of) a token of its own.
MARK = "\ue000"
#: spaCy's tokenizer splits a suffix off a run of characters without a space one character at a
#: time, searching all that is left each time, so a run costs its length squared (a row of 20,000
#: "=" took two minutes). No word is this long: a longer run goes to spaCy in pieces this long.
RUN_CHARS = 32
LONG_RUN = re.compile(r"\S{%d,}" % (RUN_CHARS + 1))


class OffsetMap:
    """A piecewise map from positions in a derived text back to positions in its source.

    Each segment maps `[dst_start, dst_end)` to `[src_start, src_end)`. Segments of equal
    length map linearly (copied text); others were replaced as a whole (a marker, collapsed
    whitespace, a decoded escape) and map to their whole source region.
    """

    __slots__ = ("_dst", "_flat")

    def __init__(self, segments: list[tuple[int, int, int, int]]):
        # Four machine ints a segment (a whole HTML page has hundreds of thousands of segments).
        flat = array("q")
        for segment in segments:
            flat.extend(segment)
        self._flat = flat
        self._dst = flat[0::4]

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls([(0, length, 0, length)])

    def _segment(self, pos: int) -> tuple[int, int, int, int]:
        k = 4 * max(bisect.bisect_right(self._dst, pos) - 1, 0)
        flat = self._flat
        return flat[k], flat[k + 1], flat[k + 2], flat[k + 3]

    def start(self, pos: int) -> int:
        """The source position where the derived character at `pos` begins."""
        d0, d1, s0, s1 = self._segment(pos)
        if d1 - d0 == s1 - s0:
            return s0 + (pos - d0)
        return s0 if pos < d1 else s1

    def end(self, pos: int) -> int:
        """The source position just after the derived character at `pos - 1`."""
        if pos <= 0:
            return self.start(0)
        d0, d1, s0, s1 = self._segment(pos - 1)
        if d1 - d0 == s1 - s0:
            return s0 + (pos - d0)
        return s1

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.start(start), max(self.end(end), self.start(start))

    @property
    def segments(self) -> list[tuple[int, int, int, int]]:
        flat = self._flat
        return [(flat[k], flat[k + 1], flat[k + 2], flat[k + 3]) for k in range(0, len(flat), 4)]

    def then(self, outer: OffsetMap) -> OffsetMap:
        """This map followed by `outer`: derived text -> this map's source -> `outer`'s source.

        For text derived twice: HTML inside a JSON string maps to the string's decoded text,
        which maps to the raw file.
        """
        out: list[tuple[int, int, int, int]] = []
        for d0, d1, s0, s1 in self.segments:
            if d1 - d0 != s1 - s0 or d0 == d1:
                out.append((d0, d1, outer.start(s0), outer.end(s1) if s1 > s0 else outer.start(s0)))
                continue
            pos = s0  # a copied run: split it where `outer`'s segments split
            while pos < s1:
                o0, o1, r0, r1 = outer._segment(pos)
                stop = min(s1, o1) if o1 > pos else s1
                if o1 - o0 == r1 - r0 and o1 > pos:
                    out.append((d0 + pos - s0, d0 + stop - s0, r0 + pos - o0, r0 + stop - o0))
                else:
                    out.append((d0 + pos - s0, d0 + stop - s0, outer.start(pos), outer.end(stop)))
                pos = stop
        return OffsetMap(out or [(0, 0, outer.start(0), outer.start(0))])


#: A raw line longer than this is shown (and read, in a large export) by its part around each
#: finding, not whole: a JSON export may be one line.
LONG_LINE = 2_000


class Origin(NamedTuple):
    """Where a part of a file read on its own starts in the whole file's text: the character
    `offset`, the number of lines before it, and its `column` on its first line (0-based);
    `open_end`: its last line goes on in the file past the part's end."""

    offset: int
    line: int
    column: int
    open_end: bool = False


@dataclass
class Directive:
    """An inline suppression: `rules` (empty: every rule) are off in raw offsets `[start, end)`.

    `line` and `text` locate the directive itself, for warnings and unused-suppression reports.
    """

    rules: tuple[str, ...]
    start: int
    end: int
    line: int
    text: str


@dataclass
class ReplyText:
    """One reply as a reader extracted it from a raw file.

    `text` is what the rules read; `to_raw` maps its positions to the raw file's decoded text.
    `masks` are `(start, end)` spans of `text` that rules must never see (code, quotes, markup).
    `disable` lists rule ids switched off for the whole reply (a library's `phraselint:` key);
    `directives` are the reply's inline suppressions, in raw offsets. `codec` writes text back
    into the raw file (JSON escapes, HTML entities; see codecs.py).
    """

    text: str
    to_raw: OffsetMap
    name: str | None = None
    masks: list[tuple[int, int]] = field(default_factory=list)
    disable: tuple[str, ...] = ()
    directives: list[Directive] = field(default_factory=list)
    codec: Codec = IDENTITY
    #: The customer's message this reply answers, when the library gives it (an `incoming` field).
    incoming: str | None = None
    #: False for one part of a text too long to read at once: it is linted, but not scored as a reply.
    whole: bool = True

    def all_masks(self) -> list[tuple[int, int]]:
        """`masks` plus the placeholders, URLs and quotes any text has (`inline_masks`), merged
        and sorted; worked out once (add to `masks` before the first call)."""
        cached = self.__dict__.get("_all_masks")
        if cached is None:
            cached = self.__dict__["_all_masks"] = merge_spans(self.masks + inline_masks(self.text))
        return cached


#: Template placeholders, the one definition: masked in every text, and read by the coaching
#: checks for a name placeholder ("Hi {{ticket.requester.first_name}},"). Bounded, so that a stray
#: "{{" neither hides a page nor costs O(n²). Every choice opens with a literal character, so
#: that the regex engine skips ahead to one of them (one choice opening with an optional "[%$]?"
#: makes it try every choice at every position: six times the time).
PLACEHOLDER = re.compile(
    r"\{\{.{0,200}?\}\}"                 # {{ticket.requester.name}}
    r"|\{%.{0,200}?%\}"                  # {% if x %}
    r"|\{[^{}\n]{1,80}\}"                # {name}
    r"|%\{[^{}\n]{1,80}\}|\$\{[^{}\n]{1,80}\}"  # %{name}, ${name}
    r"|\*\|[A-Z_]{2,30}\|\*"              # *|FNAME|*
    r"|%[A-Za-z_][\w.]{1,60}%"           # %CUSTOMER_NAME%, %ticket.id%
    r"|\$[A-Za-z_]{2,30}\b"               # $first_name, $HOME
    r"|<[A-Za-z][\w .-]{0,40}>"          # <PLACEHOLDER>, <first name>
    r"|\[[A-Z][\w .-]{0,40}\](?!\()",     # [NAME], [Customer Name]; not a Markdown link "[DCO](…)"
    re.DOTALL)

# Regions no rule may flag, whatever the format: (strings one of which every match contains,
# so a text without them is not scanned; the pattern).
_INLINE_MASKS = [
    (("{", "<", "[", "%", "$", "*|"), PLACEHOLDER),
    (("://",), re.compile(r"(?:https?|ftp)://[^\s<>\"'`]+")),  # URLs
    (("www.",), re.compile(r"www\.[^\s<>\"'`]+")),  # not inside a word: see inline_masks
    (('"',), re.compile(r'"[^"\n]{1,40}"')),  # short quoted text: a UI label or an error message
    (("“",), re.compile(r"“[^”\n]{1,40}”")),
    ((">",), re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)),  # quoted customer text in an e-mail reply
    (("`",), re.compile(r"`[^`\n]{1,200}`")),  # inline code, in any format
]
#: Sentence punctuation that may end a URL's match: left visible (cut with `str.rstrip`; a regex
#: search for a run at the end would try every position of the URL).
_URL_TAIL = ".,;:!?)]"
_AT = re.compile("@")
_AT_DOMAIN = re.compile(r"@[\w-]+(?:\.[\w-]+)*")
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")


def _at_masks(text: str) -> list[tuple[int, int]]:
    """E-mail addresses and @handles, found from each '@'."""
    spans = []
    for m in _AT.finditer(text):
        at = m.start()
        right = _AT_DOMAIN.match(text, at)
        if right is None:
            continue
        left = at
        while left > 0 and (text[left - 1] in _EMAIL_LOCAL or text[left - 1].isalnum()):
            left -= 1
        if left == at or "." in right.group():
            spans.append((left, right.end()))
    return spans


def inline_masks(text: str) -> list[tuple[int, int]]:
    spans = _at_masks(text) if "@" in text else []
    for triggers, pattern in _INLINE_MASKS:
        if not any(map(text.__contains__, triggers)):
            continue
        url = triggers[0] in ("://", "www.")
        for m in pattern.finditer(text):
            start, end = m.span()
            if triggers[0] == "www." and start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue  # "awww.": not at a word's start
            if url:  # a URL: leave sentence punctuation after it visible
                found = m.group()
                end -= len(found) - len(found.rstrip(_URL_TAIL))
            spans.append((start, end))
    return spans


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


# A whitespace run that changes length in the view, or a line break (\n, \r\n) before a list
# item. Written to start with one `\s`, so that the regex engine skips ahead to whitespace
# (a pattern that opens with a choice is tried at every position: twice the time).
_SPACE_RUN = re.compile(r"\s(?:(?P<item>(?:(?<=\r)\n|(?<=\n))[ \t]*(?=(?:[-*+•]|\d{1,2}[.)])[ \t]))|\s+)")
#: Read as a plain space in the view (one character for one, so offsets stay).
_SINGLE_SPACES = "\t\n\r\f\v\u00a0\u2028\u2029"


def _flatten_spaces(text: str) -> str:
    """`text` with each of `_SINGLE_SPACES` as " " (`str.replace` per character present: a
    `str.translate` table is looked up character by character, ten times slower)."""
    for c in _SINGLE_SPACES:
        if c in text:
            text = text.replace(c, " ")
    return text


@dataclass
class LintView:
    """The text the spaCy pipeline sees, and the map from it back to the reply text."""

    text: str
    to_reply: OffsetMap


# Emphasis markers around words ("we **won't**", "you _must_"): folded into the letter they
# touch, so that phrases read through them. An opening marker precedes a letter and follows no
# word character; a closing one follows a letter and precedes none. "_" inside a word
# (snake_case) and "*" between spaces are neither. Found from each marker, not by a scan with
# lookarounds at every position. Each choice opens with its literal character, so that the regex
# engine skips ahead to a marker ("\*{1,3}|_{1,3}" is tried at every position: five times the time).
_MARKERS = re.compile(r"\*\*{0,2}|__{0,2}")


# A Markdown inline link, "[text](target)": its text is prose, read without the brackets.
_LINK = re.compile(r"\[([^\[\]\n]{2,100})\]\([^()\s]{0,2000}\)")


def _links(text: str, masks: list[tuple[int, int]]) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """Each Markdown link's opening bracket folded into the first letter of its text and its
    "](target)" masked apart ("[our guide](…)" reads "our guide" and a marker), so that a phrase
    reads into the link and no span takes the target along; and the masks left outside the
    targets."""
    edits: list[tuple[int, int, str]] = []
    starts = [s for s, _ in masks]
    for m in _LINK.finditer(text):
        first, last = m.start(1), m.end(1) - 1
        if not (text[first].isalnum() and text[last].isalnum()):
            continue  # "[`code`](…)", "[**x**](…)": left as written
        i = bisect.bisect_right(starts, last) - 1
        if i >= 0 and masks[i][1] > m.start():
            continue  # a mask touches the brackets or the text
        edits += [(m.start(), first + 1, text[first]), (last + 1, m.end(), " " + MARK)]
    if edits:
        tails = edits[1::2]
        tail_starts = [t[0] for t in tails]

        def in_tail(start: int, end: int) -> bool:
            k = bisect.bisect_right(tail_starts, start) - 1
            return k >= 0 and end <= tails[k][1]

        masks = [(s, e) for s, e in masks if not in_tail(s, e)]
    return edits, masks


# The character references that escaped plain text carries (a tweet's "T&amp;Cs", "can&#39;t"):
# read as their characters, as a browser shows them (`html.unescape`, a no-break space as a space).
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#39|#x27);")


def _entities(text: str, masks: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Each escaped character outside the masks, read as itself."""
    starts = [s for s, _ in masks]
    edits = []
    for m in _ENTITY.finditer(text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and masks[i][1] > m.start():
            continue  # inside a URL or code: left as written
        edits.append((m.start(), m.end(), html.unescape(m.group()).replace("\xa0", " ")))
    return edits


def _with_emphasis(text: str, masks: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The masks (each becomes MARK), Markdown links read as their text (`_links`), escaped
    characters as themselves (`_entities`) and, outside them, each emphasis marker folded into
    the letter it touches ("_m" reads "m", "t**" reads "t"), so a span that ends on the word
    takes the marker along: "you _must_"."""
    links: list[tuple[int, int, str]] = []
    if "](" in text:
        links, masks = _links(text, masks)
    if "&" in text and ";" in text:  # (the links' edits lie outside the masks: sorted, none overlap)
        entities = _entities(text, sorted(masks + [e[:2] for e in links]) if links else masks)
        links = sorted(links + entities) if links else entities
    edits = [(start, end, MARK) for start, end in masks]
    if links:
        edits = sorted(edits + links)
    if "*" not in text and "_" not in text:
        return edits
    if links:
        masks = [e[:2] for e in edits]  # every region a marker may not touch, sorted
    starts = [s for s, _ in masks]
    last, n = 0, len(text)
    for m in _MARKERS.finditer(text):
        start, end = m.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < n else " "
        if before.isalnum() and not (after.isalnum() or after in "*_"):
            if start - 1 < last:
                continue
            span = (start - 1, end, before)  # closing: after its word
        elif after.isalnum() and not (before.isalnum() or before in "*_"):
            span = (start, end + 1, after)  # opening: before its word
        else:
            continue
        i = bisect.bisect_right(starts, span[1]) - 1
        if i >= 0 and masks[i][1] > span[0]:
            continue  # inside or touching a masked region
        edits.append(span)
        last = span[1]
    return sorted(edits)


def build_view(reply: ReplyText) -> LintView:
    text = reply.text
    flat = _flatten_spaces(text)
    masks = reply.all_masks()
    pieces: list[str] = []
    segments: list[tuple[int, int, int, int]] = []
    out = 0

    def copy(start: int, end: int) -> None:
        nonlocal out
        if end <= start:
            return
        pieces.append(flat[start:end])
        n = end - start
        if segments and segments[-1][1] - segments[-1][0] == segments[-1][3] - segments[-1][2] \
                and segments[-1][1] == out and segments[-1][3] == start:
            d0, _, s0, _ = segments[-1]
            segments[-1] = (d0, out + n, s0, end)
        else:
            segments.append((out, out + n, start, end))
        out += n

    def replace(start: int, end: int, new: str) -> None:
        nonlocal out
        pieces.append(new)
        segments.append((out, out + len(new), start, end))
        out += len(new)

    def copy_collapsing(start: int, end: int) -> None:
        pos = start
        for m in _SPACE_RUN.finditer(text, start, end):
            copy(pos, m.start())
            run = m.group()
            breaks = run.count("\n") + (run.count("\r") if "\n" not in run else 0)
            is_item_break = m.group("item") is not None
            replace(m.start(), m.end(), "\n\n" if breaks >= 2 or is_item_break else " ")
            pos = m.end()
        copy(pos, end)

    pos = 0
    for start, end, new in _with_emphasis(text, masks):
        copy_collapsing(pos, start)
        replace(start, end, new)
        pos = end
    copy_collapsing(pos, len(text))
    if not segments:
        segments.append((0, 0, 0, 0))
    return LintView("".join(pieces), OffsetMap(segments))


def pieces(text: str, size: int, separators: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    """`(start, end)` spans covering `text`, each at most `size` characters, cut just after the
    first of `separators` (in order of preference) found near the limit."""
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = limit
        for sep in separators:
            found = text.rfind(sep, start, limit)
            if found > start:
                cut = found + len(sep)
                break
        yield start, cut
        start = cut
    yield start, len(text)


# A Markdown hard line break: a backslash at the end of a line. Never prose in any format.
HARD_BREAK = re.compile(r"\\(?=\r?\n)")


def soften_hard_breaks(text: str) -> str:
    """`text` with each hard-break backslash read as a space (same length, same offsets)."""
    return HARD_BREAK.sub(" ", text) if "\\\n" in text or "\\\r" in text else text


_LINE_END = re.compile(r"\r\n|\r|\n")


def line_breaks(text: str, start: int = 0, end: int | None = None) -> int:
    """How many lines end in `text[start:end]`: at \n, \r\n or a lone \r (old Mac files), each once."""
    end = len(text) if end is None else end
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)


def line_at(text: str, offset: int) -> int:
    """The 1-based line of `text` that `offset` falls on (as `LineIndex` counts lines)."""
    return line_breaks(text, 0, offset) + 1


class LineIndex:
    """1-based line and column numbers (in characters) for offsets in a raw text."""

    def __init__(self, text: str):
        # A line ends at \n, \r\n or a bare \r (old Mac files): each counts once.
        self._starts = array("q", [0])  # 8 bytes a line, not an int object's 36: a file may be huge
        if "\r" in text:
            self._starts.extend(m.end() for m in _LINE_END.finditer(text))
            return
        # Only \n: found with `str.find`, three times faster than a regex that tests every character.
        append, p = self._starts.append, text.find("\n")
        while p >= 0:
            append(p + 1)
            p = text.find("\n", p + 1)

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1

    def line_span(self, text: str, line: int) -> tuple[int, int]:
        """Where line `line` starts and ends in `text` (its line break not included)."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else len(text)
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        return start, end

    def line_text(self, text: str, line: int) -> str:
        start, end = self.line_span(text, line)
        return text[start:end]


def runs_cut(text: str) -> Iterator[tuple[int, int]]:
    """`text` as `(start, end)` spans: the whole of it, or, around and within each run of more than
    `RUN_CHARS` characters without a space, pieces none of which holds such a run."""
    start = 0
    for m in LONG_RUN.finditer(text):
        if m.start() > start:
            yield start, m.start()
        for s in range(m.start(), m.end(), RUN_CHARS):
            yield s, min(s + RUN_CHARS, m.end())
        start = m.end()
    if start < len(text) or not start:
        yield start, len(text)
