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

from phraselint.lexicon import LEXICON
from phraselint.text import MARK

# spaCy's Sentencizer.default_punct_chars, minus the scripts English replies never use.
_PUNCT = "!.?‼‽⁇⁈⁉։؟۔।॥。！？．…"
_CLOSERS = r"\"'’”)\]"
# Checked just after a ".", so the regex engine tries them only at dots.
_NOT_AFTER = "".join(rf"(?<!\b{re.escape(a)}\.)" for a in sorted(LEXICON["abbreviations"])) \
    + r"(?<![^\w.][a-z]\.)(?<!^[a-z]\.)"
# A run of sentence punctuation (one that starts with "." only after a word that is no
# abbreviation), closing quotes and brackets, then white space or the end; or a paragraph break.
# It opens with one character class, so that the regex engine skips ahead to punctuation or a
# line break (a pattern that opens with a choice is tried at every position: twice the time).
_END = re.compile(rf"[{re.escape(_PUNCT)}\n](?:(?<=\n)\n|(?:(?<=\.){_NOT_AFTER}|(?<![.\n]))"
                  rf"[{re.escape(_PUNCT)}]*[{_CLOSERS}]*(?=\s|$))", re.IGNORECASE)
_LIST_MARKER = re.compile(r"\s*(?:\d{1,2}|[a-zA-Z])")


def spans(text: str) -> list[tuple[int, int]]:
    """`(start, end)` of each sentence of `text`, white space trimmed, in order."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        if m.start() - start <= 3 and m.group() != "\n\n" and _LIST_MARKER.fullmatch(text, start, m.start()):
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


_TRIM = " \t\n\r\f\v\u00a0" + MARK


def _add(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Add `[start, end)` without the white space and masked regions (comments, markup) at
    either end: a finding anchored to the sentence points at its words."""
    piece = text[start:end]
    stripped = piece.strip(_TRIM)
    if stripped:
        start += len(piece) - len(piece.lstrip(_TRIM))
        out.append((start, start + len(stripped)))
