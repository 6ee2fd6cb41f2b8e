"""Suggestions shaped to the text they replace: a capital at a sentence start, lower case inside."""

from __future__ import annotations


def _keeps_capital(text: str) -> bool:
    """'I', "I'm", "I’ll" keep their capital anywhere."""
    return text == "I" or text.startswith(("I ", "I'", "I’"))


def shape(suggestion: str, matched: str, sentence_start: bool) -> str:
    if not suggestion:
        return suggestion
    title_case = matched[:1].isupper() and (len(matched) == 1 or not matched[1].isupper())
    if sentence_start or title_case:
        return suggestion[0].upper() + suggestion[1:]
    if _keeps_capital(suggestion):
        return suggestion
    # Leave acronyms and names alone: only lower-case a capital followed by a lower-case letter.
    if suggestion[:1].isupper() and (len(suggestion) == 1 or suggestion[1].islower() or suggestion[1] == " "):
        return suggestion[0].lower() + suggestion[1:]
    return suggestion
