"""Suggestions shaped to the text they replace: a capital at a sentence start, lower case inside."""

from __future__ import annotations

from phraselint.lexicon import LEXICON
from phraselint.rules import Suggestion

_VOWELS = "aeiou"


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


def ing_form(verb: str) -> str:
    """"refund" -> "refunding", "ship" -> "shipping", "handle" -> "handling"; an -ing verb stays."""
    if verb.endswith("ing"):
        return verb
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    # One syllable ending consonant-vowel-consonant doubles its consonant: ship, stop, plan.
    if (len(verb) <= 4 and len(verb) >= 3 and verb[-1] not in _VOWELS + "wxy" and verb[-2] in _VOWELS
            and verb[-3] not in _VOWELS):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def with_verb(suggestions: list[Suggestion], verb: str | None) -> list[Suggestion]:
    """Fill `{verb}` / `{verb_ing}` in suggestions with the verb the rule's frame read ("Instead
    of refunding, what I can do is …"); one whose verb is unknown, or reads badly there ("help",
    "do"), is left out."""
    if not any("{verb" in s.text for s in suggestions):
        return suggestions
    usable = verb and verb.isalpha() and verb not in LEXICON["verbs_not_for_suggestions"]
    out = []
    for s in suggestions:
        if "{verb" not in s.text:
            out.append(s)
        elif usable:
            text = s.text.replace("{verb_ing}", ing_form(verb)).replace("{verb}", verb)
            out.append(Suggestion(text, s.safety, s.kind))
    return out
