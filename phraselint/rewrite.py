"""Rewrites that read as if a careful person typed them, planned on a reply's text.

`plan(...)` turns "replace text[start:end] with this suggestion" into the edit to make:
- the suggestion follows the text's apostrophe and quote style (' or ’, " or “ ”) and its
  shouting (a match in capitals is replaced in capitals);
- a deleted word takes its comma and one space with it, and the next word gets the capital
  when the deleted word opened the sentence ("Obviously, you" -> "You"); a deletion that would
  leave a sentence empty is refused;
- an "a"/"an" before the edit agrees with the word that now follows it;
- an edit that would touch a masked region (placeholder, URL, code, quoted text) is refused.

Capitals at a sentence start are shaped earlier, by `suggest.shape`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace `[start, end)` of a text with `text`."""

    start: int
    end: int
    text: str

    def apply(self, source: str) -> str:
        return source[:self.start] + self.text + source[self.end:]


_SENTENCE_END = ".!?"
_ARTICLE_BEFORE = re.compile(r"(?:^|(?<=[\s(\"“]))([Aa][Nn]?)([ \t]+)$")
_WORD = re.compile(r"[\w’'-]+")
_WORD_BEFORE = re.compile(r"(\w+)\W*$")
#: How far back a rewrite looks for the word or line start before a match: bounded, so a long
#: paragraph full of fixes costs linear time, not quadratic.
_LOOK_BACK = 200
# Words spelled with a vowel that start with a consonant sound, and the reverse.
_VOWEL_LETTER_CONSONANT_SOUND = ("uni", "use", "usu", "usa", "ure", "uri", "uti", "ufo", "eu", "ewe",
                                 "one", "once", "ouija")
_SILENT_H = ("hour", "honest", "honor", "honour", "heir")
_VOWEL_SOUND_LETTERS = "AEFHILMNORSX"  # acronyms read letter by letter: an FAQ, an SLA


def wants_an(word: str) -> bool | None:
    """Whether `word` takes "an" (None when it is not a word an article can agree with)."""
    if not word:
        return None
    if word.isdigit():
        return word.startswith("8") or word in ("11", "18") or len(word) in (5, 6) and word[:2] in ("11", "18")
    if not word[0].isalpha():
        return None
    head = word.split("-")[0]
    if len(head) > 1 and head.isupper() and head.isalpha():  # an acronym, read letter by letter
        return head[0] in _VOWEL_SOUND_LETTERS
    lower = word.lower()
    if lower.startswith(_SILENT_H):
        return True
    if lower[0] in "aeiou":
        return not lower.startswith(_VOWEL_LETTER_CONSONANT_SOUND)
    return False


def apostrophe_style(text: str, matched: str) -> str:
    """The apostrophe the text uses: the match's own, else the more common one in the text."""
    for c in matched:
        if c in "'’":
            return c
    return "’" if text.count("’") > text.count("'") else "'"


def styled(suggestion: str, text: str, matched: str) -> str:
    """`suggestion` in the text's apostrophe and quote style, in capitals when the match shouts
    (words in capitals: "SORRY BOUT", not an acronym)."""
    if "'" in suggestion and apostrophe_style(text, matched) == "’":
        suggestion = suggestion.replace("'", "’")
    if '"' in suggestion and "“" in text:
        parts = suggestion.split('"')
        suggestion = "".join(p + ("“" if i % 2 == 0 else "”") for i, p in enumerate(parts[:-1])) + parts[-1]
    letters = [c for c in matched if c.isalpha()]
    shouting = len(matched.split()) > 1 and all(c.isupper() for c in letters)  # not an acronym ("RMA")
    if shouting:
        suggestion = suggestion.upper()
    return suggestion


def _overlaps(start: int, end: int, masks: list[tuple[int, int]]) -> bool:
    """Whether `[start, end)` (or the character at an empty span) touches a mask. `masks`:
    merged and sorted (`ReplyText.all_masks`)."""
    i = bisect.bisect_left(masks, (max(end, start + 1), -1)) - 1  # the last mask starting before the end
    return i >= 0 and start < masks[i][1]


_SUBJECTS = frozenset("i i'm i've i'll i'd it it's we we're we've we'll you you're you've you'll they they're "
                      "he she there there's".split())


def _starts_clause(text: str, pos: int) -> bool:
    """Whether a subject pronoun follows `pos`: a new clause begins there."""
    word = _WORD.match(text, pos + len(text[pos:]) - len(text[pos:].lstrip()))
    return bool(word) and word.group().lower().replace("’", "'") in _SUBJECTS


_BREAKS = "\r\n\x85\u2028\u2029"


def _blank(c: str) -> bool:
    """Space within a line (a tab, a no-break space), not a line break."""
    return c.isspace() and c not in _BREAKS


_CONJUNCTIONS = frozenset("and but so or yet because then".split())
_DASHES = "-–—"


def _opens_line(text: str, start: int) -> bool:
    """Whether only markup and punctuation (a list marker, an opening bracket or quote, an
    emoji, a colon) stand between the line's start, or a sentence's end, and `start`."""
    i = start
    while i > 0 and text[i - 1] not in _BREAKS and not text[i - 1].isalnum() and text[i - 1] not in ",;":
        if text[i - 1] in _SENTENCE_END + ":" and i < start:
            return True
        i -= 1
    return i == 0 or text[i - 1] in _BREAKS or (text[i - 1].isdigit() and _LIST_NUMBER.match(text, _line_start(text, i)))


_LIST_NUMBER = re.compile(r"[ \t]*\d{1,3}[.)][ \t]")


def _line_start(text: str, pos: int) -> int:
    """Where the line holding `pos` starts, looked for within `_LOOK_BACK` characters (a list
    number sits at most a few characters into its line; a longer line is no list item)."""
    floor = max(pos - _LOOK_BACK, 0)
    found = max(text.rfind(c, floor, pos) for c in "\n\r")
    return found + 1 if found >= 0 else floor


def _unwrap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span over emphasis or brackets that hold nothing else: "*obviously*", "(obviously)"."""
    while start > 0 and end < len(text) and text[start - 1] in "*_~" and text[end] == text[start - 1]:
        start, end = start - 1, end + 1
    if start > 0 and end < len(text) and text[start - 1] + text[end] in ("()", "[]"):
        start, end = start - 1, end + 1
    return start, end


def _mixed_case(word: str) -> bool:
    """iOS, iPhone, eBay: a brand whose capitals are not at the start."""
    return any(c.isupper() for c in word[1:]) and not word.isupper()


def _deletion(text: str, start: int, end: int, sentence_start: bool,
              masks: list[tuple[int, int]]) -> Edit | None:
    """Remove `text[start:end]` with the comma and space that belong to it."""
    start, end = _unwrap(text, start, end)
    i = start
    while i > 0 and _blank(text[i - 1]):
        i -= 1
    pre_comma = i > 0 and text[i - 1] == ","
    j = end
    post_comma = j < len(text) and text[j] == ","
    after = j + 1 if post_comma else j
    k = after  # the next word
    while k < len(text) and _blank(text[k]):
        k += 1
    line_ends = k >= len(text) or text[k] in _BREAKS
    capital = next((c for c in text[start:end] if c.isalpha()), "").isupper()
    at_start = sentence_start or i == 0 or text[i - 1] in _BREAKS + _SENTENCE_END or (
        capital and _opens_line(text, start))
    if at_start:
        if line_ends or text[k] in _SENTENCE_END + ",;:)" + _DASHES:
            return None  # nothing would be left of the sentence
        nxt = _WORD.match(text, k)
        # The next word takes the capital the deleted one had ("Obviously, you" -> "You"),
        # unless it is a brand spelled in mixed case (iOS).
        if nxt and text[k].islower() and capital and not _mixed_case(nxt.group()) \
                and not _overlaps(k, k + 1, masks):
            return Edit(start, k + 1, text[k].upper())
        return Edit(start, k, "")
    dash_before = i > 1 and text[i - 1] in _DASHES and _blank(text[i - 2])
    if dash_before and text[k:k + 1] in tuple(_DASHES) and _blank(text[k + 1:k + 2] or "x"):
        return Edit(i - 2, k + 1, "")  # "the update — as you know — is" -> "the update is"
    if text[k:k + 1] in tuple(_SENTENCE_END) and not post_comma and text[i - 1] in _BREAKS + _SENTENCE_END:
        return None
    before = _WORD_BEFORE.search(text, max(i - 1 - _LOOK_BACK, 0), max(i - 1, 0))  # a window: linear overall
    if pre_comma and post_comma and before and before.group(1).lower() in _CONJUNCTIONS:
        return Edit(i - 1, after, "")  # "and, needless to say, they" -> "and they"
    if pre_comma and post_comma and not line_ends and _starts_clause(text, after):
        # "that, clearly, it's broken" -> "that, it's broken": the commas also part two clauses
        return Edit(start, k, "")
    if pre_comma and (post_comma or line_ends or text[k] in _SENTENCE_END + ";:)"):
        # "is, obviously, wrong" -> "is wrong" and ", obviously." -> "."
        return Edit(i - 1, after, "")
    if line_ends or text[k] in _SENTENCE_END + ",;:)":
        # "it works obviously." -> "it works."; nothing left dangling before a line break
        return Edit(i, after, "")
    return Edit(start, k, "")  # "you simply click" -> "you click"; "and obviously, you" -> "and you"


def _agree_article(text: str, edit: Edit) -> Edit:
    """Extend `edit` to fix an "a"/"an" just before it that no longer agrees."""
    m = _ARTICLE_BEFORE.search(text, max(0, edit.start - 8), edit.start)
    if not m:
        return edit
    article = m.group(1)
    word = _WORD.match((edit.text + text[edit.end:edit.end + 40]).lstrip())
    if not word:
        return edit
    if article[0].isupper() and not word.group().isupper() and not _opens_line(text, m.start(1)) and not (
            m.start(1) >= 2 and text[m.start(1) - 2] in _SENTENCE_END):
        return edit  # "Plan A obviously offers": a capital A inside a sentence is no article
    following = word.group()
    if article == "AN" or (following.isupper() and len(following.split("-")[0]) > 5):
        following = following.lower()  # shouting, not an acronym: "AN SIMPLE FIX"
    an = wants_an(following)
    if an is None or an == (len(article) == 2):
        return edit
    fixed = "an" if an else "a"
    if article.isupper() and (len(article) == 2 or following.islower() and word.group().isupper()):
        fixed = fixed.upper()
    elif article[0].isupper():
        fixed = fixed.capitalize()
    return Edit(m.start(1), edit.end, fixed + m.group(2) + edit.text)


def plan(text: str, start: int, end: int, suggestion: str, sentence_start: bool,
         masks: list[tuple[int, int]]) -> Edit | None:
    """The edit that puts `suggestion` in place of `text[start:end]`, or None when it cannot be
    made cleanly."""
    if _overlaps(start, end, masks):
        return None
    matched = text[start:end]
    suggestion = _without_echo(text, start, end, styled(suggestion, text, matched))
    if suggestion:
        if suggestion[-1] in ",;:" and text[end:end + 1] == suggestion[-1]:
            end += 1  # "As I said," -> "To recap,": the text's own comma is the suggestion's
        edit = Edit(start, end, suggestion)
    else:
        edit = _deletion(text, start, end, sentence_start, masks)
        if edit is None:
            return None
    edit = _agree_article(text, edit)
    if _overlaps(edit.start, edit.end, masks) or text[edit.start:edit.end] == edit.text:
        return None
    return _as_question(text, edit, masks) if sentence_start else edit


_LAST_WORD = re.compile(r"([\w'’]+)[ \t]+$")
_NEXT_WORD = re.compile(r"[ \t]+([\w'’]+)")


def _without_echo(text: str, start: int, end: int, suggestion: str) -> str:
    """The suggestion without a first or last word the text already has beside the match:
    "Your WidgetCare+ plan" becomes "Your support plan", not "Your your support plan plan". A
    one-word suggestion is kept whole."""
    words = suggestion.split(" ")
    before = _LAST_WORD.search(text, max(0, start - 40), start)
    if len(words) > 1 and before and before.end() == start and before.group(1).lower() == words[0].lower():
        words = words[1:]
    after = _NEXT_WORD.match(text, end)
    if len(words) > 1 and after and after.group(1).lower() == words[-1].lower():
        words = words[:-1]
    return " ".join(words)


_ASKS = ("could you", "would you", "can you", "could we", "would it")
_SENTENCE_STOP = re.compile(r"[.!?\r\n]")


def _as_question(text: str, edit: Edit, masks: list[tuple[int, int]]) -> Edit:
    """A rewrite that opens a sentence with a request ("Could you please …") ends it with "?"
    instead of "." (the words between are kept as they are)."""
    if not edit.text.lower().startswith(_ASKS):
        return edit
    stop = _SENTENCE_STOP.search(text, edit.end)
    if stop is None or stop.group() != "." or not text[stop.end():stop.end() + 1].isspace() \
            and stop.end() < len(text) or _overlaps(stop.start(), stop.end(), masks):
        return edit  # no plain full stop ends the sentence ("e.g.", "!", a line break)
    return Edit(edit.start, stop.end(), edit.text + text[edit.end:stop.start()] + "?")
