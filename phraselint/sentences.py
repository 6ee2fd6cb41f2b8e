"""Sentence boundaries of a lint view, for the reply-level checks.

The blank pipeline has no sentence boundaries. Running spaCy's `sentencizer` over every token
of every reply costs as much as tokenizing it again, so the same rule is applied to the text:
a sentence ends after a run of the sentencizer's punctuation (. ! ? … and the rest of its
default list) followed by white space, or at a paragraph break or list item (the view marks
both as a blank line). "Mr." and "e.g." do not end sentences (spaCy keeps them as one token,
so its sentencizer does not split there either). A trained pipeline's own boundaries (parser
or senter, with --model) are used when the Doc has them.
"""

from __future__ import annotations

import re

from phraselint.text import MARK

# spaCy's Sentencizer.default_punct_chars, minus the scripts English replies never use.
_PUNCT = "!.?‼‽⁇⁈⁉։؟۔।॥。！？．…"
_END = re.compile(rf"[{re.escape(_PUNCT)}]+[\"'’”)\]]*(?=\s|$)|\n\n")
_LIST_MARKER = re.compile(r"\s*(?:\d{1,2}|[a-zA-Z])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:mr|mrs|ms|mx|dr|st|jr|sr|prof|no|vs|etc|approx|dept|ext|e\.g|i\.e|a\.m|p\.m)|(?<![\w.])[a-z])\.$",
    re.IGNORECASE)


def spans(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of each sentence of `text`, white space trimmed, in order."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        if m.group() != "\n\n":
            stop = m.start() + len(m.group().rstrip("\"'’”)]"))  # "etc.)": the abbreviation ends at "."
            if text[stop - 1] == "." and _ABBREVIATION.search(text, max(0, stop - 8), stop):
                continue
            if _LIST_MARKER.fullmatch(text, start, m.start()):
                continue  # "1." or "a)" opening a list item is no sentence of its own
        _add(text, start, m.end(), out)
        start = m.end()
    _add(text, start, len(text), out)
    return out


def from_doc(doc) -> list[tuple[int, int]]:
    """A trained pipeline's sentences, as character spans of the Doc's text."""
    out: list[tuple[int, int]] = []
    for sent in doc.sents:
        _add(doc.text, sent.start_char, sent.end_char, out)
    return out


def _add(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Add `[start, end)` without the white space and masked regions (comments, markup) at
    either end: a finding anchored to the sentence points at its words."""
    while start < end and (text[start].isspace() or text[start] == MARK):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == MARK):
        end -= 1
    if end > start:
        out.append((start, end))
