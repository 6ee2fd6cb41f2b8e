"""When a match counts: named context conditions, evaluated over the tokens around a match.

Each condition is a small function of a `Site` (one candidate match in a spaCy Doc) and its
compiled option. The registry `CONDITIONS` is the single list of names: rule validation, the
docs in rules/README.md (checked by a test) and the engine all read it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

from phraselint import clauses
from phraselint.lazy import cached_property
from phraselint.lexicon import LEXICON
from phraselint.regexes import folds_safely
from phraselint.text import MARK

_SENTENCE_END_CHARS = ".!?…"
#: How far the search for a sentence boundary goes from a match, in tokens. A run of text with no
#: boundary for longer ("Sorry\nSorry\n…" × 30,000) is no sentence; without a bound, every match
#: in it would walk the whole run.
MAX_SENTENCE_TOKENS = 80



def _abbreviation(word: str) -> bool:
    """ "Mr.", "e.g.", "J.": a word whose dot ends no sentence."""
    stem = word[:-1].lower()
    return stem in LEXICON["abbreviations"] or (len(stem) == 1 and stem.isalpha())


class ConditionError(ValueError):
    def __init__(self, message: str, keys: tuple = ()):
        super().__init__(message)
        self.keys = keys


@dataclass
class Site:
    """One candidate match: tokens `[start, end)` of `doc`."""

    doc: Any
    start: int
    end: int
    subject: int | None = None
    followed: int = 0  # how many tokens `followed_by` matched after the match
    preceding: int = 0  # how many tokens `preceded_by` matched before it
    verb_start: int | None = None  # the main verb `frame` read ("have" in "… and have no say")
    verb_end: int | None = None  # just after the main verb `frame` read
    verb_word: str | None = None  # that verb, lower case, for suggestions built around it
    parsed: bool = False  # the pipeline set sentence boundaries (a trained parser or senter)
    #: Clauses already read in this Doc, by match span: several rules share an anchor ("not").
    clauses: dict | None = None

    def span(self, extend: tuple[str, ...] = ()) -> tuple[int, int]:
        """The finding's tokens: the match, widened to the subject `subject` found and to the
        words `followed_by` found when the rule's `match.extend` names them."""
        start = self.subject if "subject" in extend and self.subject is not None else self.start
        if "preceded_by" in extend:
            start = min(start, self.start - self.preceding)
        end = self.end + (self.followed if "followed_by" in extend else 0)
        if "verb" in extend and self.verb_end is not None:
            start, end = min(start, self.verb_start), max(end, self.verb_end)
        return start, end

    def __post_init__(self):
        # What the conditions ask of each token, worked out once a Doc (its Sites share `clauses`):
        # its NORM, whether it is a boundary, whether a sentence starts there.
        # And each token's sentence start and end, once a walk to them has found them.
        memo = self.clauses.get("_tokens") if self.clauses is not None else None
        if memo is None:
            n = len(self.doc)
            memo = ([None] * n, [None] * n, [None] * n, [None] * n, [None] * (n + 1))
            if self.clauses is not None:
                self.clauses["_tokens"] = memo
        self._norms, self._boundaries, self._starts, self._sent_starts, self._sent_ends = memo

    def norm(self, i: int) -> str:
        word = self._norms[i]
        if word is None:
            word = self._norms[i] = self.doc[i].norm_
        return word

    def is_boundary(self, i: int) -> bool:
        """Punctuation, a paragraph break or a masked region: nothing reads across these."""
        found = self._boundaries[i]
        if found is None:
            found = self._boundaries[i] = self._is_boundary(i)
        return found

    def _is_boundary(self, i: int) -> bool:
        tok = self.doc[i]
        if tok.is_punct or tok.is_space:
            return not self.inner_hyphen(i)
        text = tok.text  # a new string at each ask
        # An emoji ends a clause as a full stop does: "… just a latte 😭 sorry about that!"
        return MARK in text or text in ("\n\n", "-", "—", "–") or (
            not tok.is_alpha and unicodedata.category(text[0]) == "So")

    def inner_hyphen(self, i: int) -> bool:
        """Token `i` is a hyphen inside a word: "e-file", "check-in", "power-cycle"."""
        tok = self.doc[i]
        return not tok.whitespace_ and i > 0 and not self.doc[i - 1].whitespace_ and tok.text == "-"

    def starts_sentence(self, i: int) -> bool:
        """Sentence boundaries, found only around matches: a trained pipeline's own (parser or
        senter), else the sentencizer's rule: a token after . ! ? … or a paragraph break."""
        if not 0 <= i < len(self._starts):
            return self._starts_sentence(i)
        found = self._starts[i]
        if found is None:
            found = self._starts[i] = self._starts_sentence(i)
        return found

    def _starts_sentence(self, i: int) -> bool:
        if i == 0:
            return True
        if self.parsed:
            return bool(self.doc[i].is_sent_start)
        token = self.doc[i - 1]
        prev = token.text
        if prev == "\n\n":
            return True
        if prev[-1] not in _SENTENCE_END_CHARS:
            return False
        if prev.strip(_SENTENCE_END_CHARS) == "":
            return True
        # A word that keeps its dot ("2 Jan. Is there …", "Acme Inc. We …") ends a sentence as
        # the text's sentences do (sentences.py), unless it is an abbreviation or an initial.
        return prev[-1] == "." and bool(token.whitespace_) and not _abbreviation(prev)

    @cached_property
    def sent_start(self) -> int:
        """The first token of the match's sentence (at most MAX_SENTENCE_TOKENS back). A start
        found is the start of every token walked past: the Doc's other Sites look it up."""
        known = self._sent_starts
        first = self.start
        if 0 <= first < len(known) and known[first] is not None:
            return known[first]
        i, stop = first, max(0, first - MAX_SENTENCE_TOKENS)
        while i > stop and not self.starts_sentence(i):
            i -= 1
        if (i > stop or i == 0 or self.starts_sentence(i)) and first < len(known):
            known[i:first + 1] = [i] * (first + 1 - i)
        return i

    @cached_property
    def sent_end(self) -> int:
        """Just after the match's sentence (at most MAX_SENTENCE_TOKENS on), looked up as
        `sent_start` is."""
        known = self._sent_ends
        doc, last = self.doc, self.end
        if 0 <= last < len(known) and known[last] is not None:
            return known[last]
        i, stop = last, min(len(doc), last + MAX_SENTENCE_TOKENS)
        while i < stop and not self.starts_sentence(i):
            i += 1
        if (i < stop or i == len(doc)) and 0 <= last < len(known):
            known[last:i + 1] = [i] * (i + 1 - last)
        return i

    def clause_start(self, i: int) -> int:
        """The first token of the clause holding token `i` (after the last boundary before it)."""
        j = i - 1
        while j >= self.sent_start and not self.is_boundary(j):
            j -= 1
        return j + 1

    def phrase_at(self, i: int, phrase: tuple[str, ...]) -> bool:
        doc = self.doc
        if i < 0 or i + len(phrase) > len(doc):
            return False
        return all(self.norm(i + k) == w for k, w in enumerate(phrase))

    def any_after(self, phrases: Phrases, start: int | None = None) -> tuple[str, ...] | None:
        """The longest of `phrases` that starts at `start` (default: right after the match)."""
        i = self.end if start is None else start
        if i >= len(self.doc):
            return None
        for p in phrases.by_first.get(self.doc[i].norm_, ()):
            if self.phrase_at(i, p):
                return p
        return None

    def any_before(self, phrases: Phrases, end: int | None = None) -> tuple[str, ...] | None:
        """The longest of `phrases` that ends just before `end` (default: the match), in the sentence."""
        end = self.start if end is None else end
        if end < 1:
            return None
        # The sentence's start only once a phrase ends here: most words end none.
        for p in phrases.by_last.get(self.norm(end - 1), ()):
            if end - len(p) >= self.sent_start and self.phrase_at(end - len(p), p):
                return p
        return None

    def clause_ends_at(self, i: int) -> bool:
        return i >= len(self.doc) or self.is_boundary(i) or self.doc[i].norm_ in LEXICON["clause_joiners"]


# ---------------------------------------------------------------- the conditions

Normalize = Callable[[str], tuple]


class Phrases:
    """A word list, normalized and indexed by first and last word, longest phrases first."""

    def __init__(self, phrases):
        ordered = sorted({tuple(p) for p in phrases if p}, key=len, reverse=True)
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        self.by_last: dict[str, list[tuple[str, ...]]] = {}
        for p in ordered:
            self.by_first.setdefault(p[0], []).append(p)
            self.by_last.setdefault(p[-1], []).append(p)


#: Conditional openers as token tuples: "in case", "as long as", "if".
_CONDITIONALS = Phrases(tuple(c.split()) for c in LEXICON["conditionals"])


def _phrases(option: Any, normalize: Normalize) -> Phrases:
    return Phrases(normalize(p) for p in option)


def _followed_by(site: Site, phrases) -> bool:
    found = site.any_after(phrases)
    if found is None:
        return False
    site.followed = len(found)
    return True


_ADVERBS = frozenset("just also really actually definitely certainly probably maybe perhaps at least".split())


def _participle_follows(site: Site, _: Any) -> bool:
    """The next word, past adverbs ("really", "probably"), is a past participle: "-ed", or an
    irregular form (`irregular_verbs`, `participles` in lexicon.yaml): "should have *noticed*",
    "should've *read*" — not "should have a receipt"."""
    doc, k = site.doc, site.end
    while k < len(doc) and k - site.end < 3 and (doc[k].norm_ in _ADVERBS or doc[k].norm_.endswith("ly")):
        k += 1
    if k >= len(doc):
        return False
    word = doc[k].norm_
    if not (word in LEXICON["irregular_verbs"] or word in LEXICON["participles"]
            or (len(word) > 4 and word.endswith("ed") and word.isalpha())):
        return False
    site.followed = k + 1 - site.end
    return True


def _not_followed_by(site: Site, phrases) -> bool:
    return site.any_after(phrases) is None


def _preceded_by(site: Site, phrases) -> bool:
    found = site.any_before(phrases)
    if found is None:
        return False
    site.preceding = len(found)
    return True


#: At most this many words of a noun phrase stand between `opened_by`'s words and the match.
_OPENED_GAP = 3
#: Words that are no part of a noun phrase: the gap `opened_by` reads through stops at one.
_NOT_IN_A_NOUN_PHRASE = frozenset().union(
    LEXICON["pronouns"], LEXICON["prepositions"], LEXICON["negations"], LEXICON["clause_joiners"],
    LEXICON["subordinators"], (w for w in LEXICON["verb_group"] if " " not in w))


def _opened_by(site: Site, phrases) -> bool:
    """One of `phrases` opens the noun phrase the match ends: it comes just before the match, or
    before up to three words of that phrase: determiners, names and at most one lower-case
    modifier ("Per our *Returns* Policy", "due to *licensing* restrictions"; not "due to air
    traffic control restrictions", a cause). A pronoun, preposition, auxiliary or conjunction
    ends the phrase."""
    modifiers = 0
    for gap in range(_OPENED_GAP + 1):
        k = site.start - gap
        if gap:
            word = site.norm(k)
            if k < site.sent_start or site.is_boundary(k) or word in _NOT_IN_A_NOUN_PHRASE:
                return False
            if site.doc[k].is_lower and word not in LEXICON["subject_determiners"]:
                modifiers += 1
                if modifiers > 1:
                    return False
        found = site.any_before(phrases, end=k)
        if found is not None:
            site.preceding = gap + len(found)
            return True
    return False


def _not_preceded_by(site: Site, phrases) -> bool:
    """None of `phrases` just before the match, or before the words `preceded_by` found ("do
    as it says": `preceded_by` runs first, in registry order)."""
    return site.any_before(phrases, end=site.start - site.preceding) is None


def _frame(site: Site, frame: clauses.Frame) -> bool:
    """The clause around the match has this frame: who acts, polarity, modality, verb."""
    key = (site.start, site.end)
    clause = site.clauses.get(key) if site.clauses is not None else None
    if clause is None:
        clause = clauses.read(site, site.start, site.end)
        if site.clauses is not None:
            site.clauses[key] = clause
    length = frame.verb_length(site, clause)
    if not length:
        return False
    if clause.subject is not None and clause.subject < site.start:
        site.subject = clause.subject
    if clause.verb is not None:
        site.verb_start, site.verb_end = clause.verb, clause.verb + length
        token = site.doc[clause.verb]
        site.verb_word = token.lower_ if token.is_alpha else None
    return True


def _subject(site: Site, phrases) -> bool:
    i = site.start - 1
    gap = LEXICON["subject_gap"]
    while i >= site.sent_start and site.norm(i) in gap:
        i -= 1
    found = site.any_before(phrases, end=i + 1)
    if found is None:
        return False
    s = i + 1 - len(found)
    if site.norm(s) not in LEXICON["pronouns"]:
        while s > site.sent_start and site.norm(s - 1) in LEXICON["determiners"]:
            s -= 1  # "our team", "the store"
    site.subject = s
    return True


def _subject_not_preceded_by(site: Site, phrases) -> bool:
    s = site.subject if site.subject is not None else site.start
    return site.any_before(phrases, end=s) is None


def _fronted_end(site: Site, s: int) -> int:
    """Where the main clause starts when a fronted subordinate clause runs into it without a
    comma: "Once a package leaves our warehouse | it is …", "Before we can look at this | you
    must …". The subject pronoun `s` (or, without a subject read, the pronoun just before the
    match), or a noun subject right after the fronted clause's participle ("Once an account has
    been created | the ID can't …"), starts it when at least three words of the fronted clause
    stand between it and its opener; otherwise (-1) the clause starts where `clause_start` says."""
    p = s if site.norm(s) in LEXICON["pronouns"] else s - 1 if site.subject is None else -1
    if s >= 1 and site.norm(s) in LEXICON["subject_determiners"] and clauses.participle(site.norm(s - 1)):
        p = s  # a noun subject after the fronted clause's verb: "Once an account has been created | the ID …"
    elif p < 1 or site.norm(p) not in LEXICON["pronouns"] or not site.doc[p - 1].is_alpha:
        return -1
    first = site.clause_start(p)
    if site.norm(first) in LEXICON["clause_joiners"] and first + 1 < p and (
            site.norm(first + 1) in LEXICON["subordinators"] or site.norm(first + 1) in LEXICON["conditionals"]):
        first += 1  # ", so if you'd like a weekday you'll need to …"
    elif first > site.sent_start and site.norm(first) in LEXICON["subordinators"]:
        return -1  # trailing, not fronted: "…, because the harness can be stressed in ways you can't see"
    opener = site.norm(first)
    if (opener in LEXICON["subordinators"] or opener in LEXICON["conditionals"]) and (
            p - first > 3 or (p - first == 3 and _bare_clause(site, first + 1))):
        if site.norm(p - 1) in ("or", "and") and any(site.doc[k].text == "," for k in range(p + 1, site.sent_end)):
            return -1  # one more condition, the comma to come: "If it gets worse or you can't stand on it, …"
        return p
    return -1


#: Verbs whose object may be a clause that opens with a pronoun: "if you think | you'll …".
_CLAUSE_TAKERS = LEXICON["complement_takers"] | LEXICON["situation_openers"] | LEXICON["reporting_verbs"]


def _bare_clause(site: Site, k: int) -> bool:
    """Tokens `k`, `k + 1` are a pronoun and a verb that takes no clause: a whole fronted clause
    ("If you disagree | you will need to …"), not one whose object the next pronoun opens ("If
    you think | you'll need to cancel, …")."""
    verb = site.norm(k + 1)
    return site.norm(k) in LEXICON["pronouns"] and site.doc[k + 1].is_alpha and verb not in LEXICON["verb_group"] \
        and verb not in _CLAUSE_TAKERS


def _determiner_in(site: Site, start: int, end: int) -> bool:
    return any(site.norm(j) in LEXICON["subject_determiners"] for j in range(start, end))


def _a_name(site: Site, start: int, end: int) -> bool:
    """Tokens `[start, end)` are a determiner and a name ("the Scrap Metal Dealers Act 2013",
    "our Terms of Service"): capitals, numbers and small joining words, which no relative
    clause follows, so the subject after them opens the main clause."""
    if end - start < 2 or site.norm(start) not in LEXICON["subject_determiners"]:
        return False
    words = [site.doc[j].text for j in range(start + 1, end)]
    return words[0][:1].isupper() and all(w[:1].isupper() or w.isdigit() or w in ("of", "and", "&") for w in words)


def _prepositional(site: Site, j: int, s: int) -> bool:
    """The conditional before token `j` is a preposition, it opens no clause: before "that" or
    "this" with the subject `s` right after ("after that they can't be changed" says "then"),
    or "after", "before" or "until" before a bare noun ("immediately after payment and cannot
    be modified", "until Monday") or inside a participle phrase that follows the clause's
    subject noun ("cancellations *made less than 7 days before* the class aren't eligible")."""
    if j + 1 == s and site.norm(j) in ("that", "this"):
        return True
    if site.norm(j - 1) not in ("after", "before", "until"):
        return False
    word = site.norm(j)
    if site.doc[j].is_alpha and word not in LEXICON["pronouns"] and word not in LEXICON["subject_determiners"]:
        return True
    return clauses.described_noun(site, j) is not None


def _our_no_on_a_clause(site: Site, s: int) -> bool:
    """A "which" after a comma, about the whole clause before it, whose no is the agent side's:
    "the oil was the wrong grade, which isn't something we'd cover", "…, which isn't covered by
    our warranty" refuse as a main clause would (unlike "…, which is not included in your plan",
    which describes)."""
    if site.norm(s) != "which" or s == 0 or site.doc[s - 1].text != ",":
        return False
    for k in range(s + 1, min(site.sent_end, s + 10)):
        if site.is_boundary(k):
            return False
        if site.norm(k) in LEXICON["agent_pronouns"] or site.norm(k) in LEXICON["agent_possessives"]:
            return True
    return False


def _hypothetical(site: Site, s: int, first: int) -> bool:
    """The clause is what would happen to a thing in a case a fronted "if" sets (its verb group
    has "would"): "If it was left outside, that wouldn't be covered." Not what a person would do
    or need ("If you want a refund, you'd need to return it" still orders), nor a no in "won't"
    or "can't": "If you cancel now, we can't refund the deposit." """
    if first <= site.sent_start or site.norm(_first_word(site, site.sent_start)) != "if":
        return False
    if site.norm(s) in LEXICON["second_person"] or site.norm(s) in LEXICON["agent_pronouns"]:
        return False  # "If you want a refund, you'd need to return it": an order all the same
    return any(site.norm(k) in ("would", "'d") for k in range(s, min(site.end + 2, site.sent_end)))


def _first_word(site: Site, k: int) -> int:
    """Token `k`, or the first word after the spaces and punctuation there."""
    while k < len(site.doc) - 1 and (site.doc[k].is_space or site.doc[k].is_punct):
        k += 1
    return k


def _clause(site: Site, kind: str) -> bool:
    """'main': not in a conditional clause, a relative clause, or a clause about the customer's
    own situation. 'not_conditional': only not in a conditional clause."""
    s = site.subject if site.subject is not None else site.start
    first = max(site.clause_start(s), _fronted_end(site, s))
    if any(site.any_before(_CONDITIONALS, end=j) and not _prepositional(site, j, s)
           for j in range(first + 1, s + 1)):
        return False
    if kind == "main" and site.norm(s) in LEXICON["relative_pronouns"] and \
            any(site.norm(j) in LEXICON["negations"] for j in range(s, site.end)) and not _our_no_on_a_clause(site, s):
        return False  # "…, which is not included in your plan" describes; "…, which is non-refundable" says no
    if kind == "main" and _hypothetical(site, s, first):
        return False  # "If it was left outside, that wouldn't be covered": a case, not this customer's no
    if kind == "main" and first < s and site.norm(s - 1) in LEXICON["wh_words"] \
            and site.norm(s) not in LEXICON["agent_pronouns"] and not _consequence(site, s - 1):
        # "questions about why a service was not covered": an embedded question (but "read this
        # to understand why we can't act on it" still says what we won't do)
        return False
    if kind == "main" and site.norm(s) in LEXICON["second_person"]:
        # "since you can't log in", "I'm sorry you can't access it": the customer's situation.
        if any(site.norm(j) in LEXICON["subordinators"] and not _consequence(site, j) for j in range(first, s)):
            return False
        before = s - 2 if s - 1 >= first and site.norm(s - 1) == "that" else s - 1
        if before >= first and site.norm(before) in LEXICON["situation_openers"]:
            return False  # right before the subject: "sorry (that) you", not "To see what … you"
    if kind == "not_conditional":
        return True
    if site.phrase_at(first, ("to",)) or site.phrase_at(first, ("in", "order", "to")):
        return True  # a fronted purpose clause: "To get a refund you have to …"
    if first < s and site.norm(first) in LEXICON["fronted_adjuncts"] and (
            s <= first + 4 or (s <= first + 7 and not _determiner_in(site, first + 1, s))
            or (s <= first + 9 and _a_name(site, first + 1, s))):
        # a short fronted adjunct: "Without a reproduction we cannot …", "For safety and privacy
        # reasons we're unable to …" (a longer one, or one with a noun phrase that a relative
        # clause may follow, may hold one: "For help recovering an account you can't access, …")
        return True
    if site.norm(s) not in LEXICON["pronouns"] and (site.subject is None or site.norm(s) not in LEXICON["second_person"]):
        # No pronoun subject to place in a relative clause: none ("that is not possible"), or a
        # noun phrase ("the ability to post is unavailable", "our team doesn't handle …").
        return True
    prev = s - 1
    if prev < first:
        return True
    subject = site.doc[s].text
    if subject[:1].isupper() and subject != "I":
        return True  # "Hi there\nWe can't …": a capital subject starts a new sentence
    word = site.norm(prev)
    if word in LEXICON["clause_openers"] or word in LEXICON["subordinators"]:
        return True
    if word in LEXICON["complement_takers"]:
        # A complement clause without "that": "Please note we are unable to …"; not under a
        # negated one, a double negative: "doesn't mean we can't be there for you".
        return not any(site.norm(j) in LEXICON["negations"] for j in range(max(first, prev - 2), prev))
    if word == "that":  # "note that we …", "after that we …"; not a relative "the refund that we …"
        return prev - 1 >= first and (site.norm(prev - 1) in LEXICON["complement_takers"]
                                      or site.norm(prev - 1) in LEXICON["conditionals"])
    if _predicative_relative(site, prev):
        return True
    if prev == site.sent_start and (site.norm(prev) in LEXICON["vocatives"] or site.norm(prev) in LEXICON["greetings"]):
        return True  # "Mate we can't do a skin fade in 20 mins", "Hey we can't …": the person addressed
    # A capitalised word there is most likely a name in a greeting: "Hi Sam you'll need to".
    return site.doc[prev].text[:1].isupper() and prev > site.sent_start


def _predicative_relative(site: Site, k: int) -> bool:
    """Token `k` ends the complement of "that's", "it's" or "this is", and the relative clause
    after it says what the sentence says: "That's something you'll need to speak to the school
    about", "It's a form you must sign" (unlike "the account you can't access" inside a clause)."""
    j = k - 1 if site.norm(k - 1) in ("a", "an", "the") else k
    if j == k and site.norm(k) not in ("something", "one"):
        return False
    return j >= 2 and site.norm(j - 1) in LEXICON["copulas"] and site.norm(j - 2) in ("that", "this", "it") \
        and j - 2 >= site.sent_start


def _consequence(site: Site, j: int) -> bool:
    """The subordinator at token `j` opens a consequence asserted like a main clause: "…, which
    means you will need to …", "That's why you must …", "…, which is why you have to …"."""
    word = site.norm(j)
    if word == "which":
        return site.norm(j + 1) in ("means", "meant") or site.phrase_at(j + 1, ("is", "why"))
    return word == "why" and j >= 1 and site.norm(j - 1) in ("is", "'s")


def _not_negated(site: Site, _: Any) -> bool:
    first = max(site.clause_start(site.start), site.start - 3)
    return not any(site.norm(j) in LEXICON["negations"] for j in range(first, site.start))


def _not_near(site: Site, words: frozenset[str]) -> bool:
    """None of these words in the match's sentence or the one before it: the reason a sentence
    gives ("we're closing this as a duplicate", "this is fixed. So we're closing it")."""
    doc, start = site.doc, site.sent_start
    probe = Site(doc, max(0, start - 1), max(0, start - 1))
    first = probe.sent_start if start > 0 else start
    return not any(doc[j].norm_ in words for j in range(first, site.sent_end))


def _not_in_clause(site: Site, words: frozenset[str]) -> bool:
    """None of these words in the match's clause, which a subordinator ends too: "do not share
    your *card* details", not "do not reply to this, as this inbox is not for *card* issues"."""
    doc = site.doc
    k = site.end
    while k < len(doc) and not site.clause_ends_at(k) and doc[k].norm_ not in LEXICON["subordinators"]:
        k += 1
    return not any(doc[j].norm_ in words for j in range(site.clause_start(site.start), k))


def _sentence_has(site: Site, words: frozenset[str]) -> bool:
    """One of these words in the match's sentence: "… is excluded under Section 4(b)"."""
    doc = site.doc
    return any(doc[j].norm_ in words for j in range(site.sent_start, site.sent_end))


def _not_in_sentence(site: Site, words: frozenset[str]) -> bool:
    return not _sentence_has(site, words)


#: Marks that lead an agent's initials ("^JK", "-RB", "*SR"), and with them the sentence ends
#: that may stand before initials closing a reply ("… today. KB").
_INITIALS_MARKS = "^-~*=–—"
_SIGN_OFF_MARKS = ".!?" + _INITIALS_MARKS


def _not_sign_off(site: Site, _: Any) -> bool:
    """The match is not the agent's initials closing the reply ("… your connection. KB", "^JK",
    "*SR <link>", "- RB."), nor in the lines of name and title after its closing word ("Best,\n
    Kevin | Tier 1 Support"); initials led by a mark (^ * ~ = -) count wherever they stand when
    the mark touches them ("^JK"), and at a line's end when a space parts them ("- RB"; not
    "ERR 0x1F = BWF loop open")."""
    doc, end = site.doc, site.end
    if doc[site.start].text[:1] in _INITIALS_MARKS or doc[site.start].idx >= _text_facts(site).signature():
        return False
    k = end
    while k < len(doc) and (doc[k].text in (".", "!") or MARK in doc[k].text or (doc[k].is_space and "\n" not in doc[k].text)):
        k += 1
    line_end = k >= len(doc) or "\n" in doc[k].text
    while end < len(doc) and (doc[end].is_space or MARK in doc[end].text or doc[end].text in (".", "!")):
        end += 1
    prev = site.start - 1
    led = prev >= 0 and doc[prev].text[-1:] in _INITIALS_MARKS and (not doc[prev].whitespace_ or line_end)
    if end < len(doc) and not led:
        return True
    return not (prev < 0 or led or doc[prev].text[-1:] in _SIGN_OFF_MARKS or doc[prev].is_space
                or MARK in doc[prev].text)


_LITERAL_LEADS = frozenset(("ending", "ends", "starting", "starts", "beginning", "begins"))
_CLOCK = frozenset(("am", "pm", "a.m.", "p.m."))
_TIME = re.compile(r"\d{1,2}(?::\d\d)?(?:am|pm)?", re.IGNORECASE)
#: An acronym in a match: capitals and digits, or a capital, a small letter and capitals ("SoC").
_ACRONYM = re.compile(r"[A-Z0-9][A-Z0-9+&]*[A-Z0-9+]s?|[A-Z][a-z][A-Z]{1,2}s?")


def _code(word: str) -> bool:
    """A reference code: capitals and digits mixed ("WK88410273", "LK19"), no lower case."""
    return word.isalnum() and word.upper() == word and any(c.isdigit() for c in word) \
        and any(c.isalpha() for c in word)


class _TextFacts:
    """What the acronym condition reads of a whole Doc, built once per Doc (a long page may hold
    thousands of candidates): its text, its words' initials, and each acronym's first use."""

    def __init__(self, doc, text: str | None = None):
        self.text = doc.text if text is None else text
        self._initials: dict[bool | str | None, str] = {}
        self._first: dict[str, int] = {}
        self._signature: int | None = None

    def initials(self, capitalized: bool) -> str:
        """The first letters of the text's words (small words left out), lower case; with
        `capitalized`, a word without a capital counts as a gap."""
        found = self._initials.get(capitalized)
        if found is None:
            firsts = self._initials.get(None)
            if firsts is None:
                firsts = self._initials[None] = "".join(_INITIALS.findall(self.text))
            found = self._initials[capitalized] = firsts.translate(_GAPS if capitalized else _LOWER)
        return found

    def signature(self) -> int:
        """Where the signature starts in the Doc's text: the few words of name and title after a
        closing word ("Regards, Mailrelay Support", "Best, Kevin | Tier 1 Support") that end it
        (its lines arrive joined); past the end when there is none."""
        found = self._signature
        if found is None:
            text = self.text
            found = self._signature = len(text) + 1
            for closing in _CLOSING.finditer(text):
                rest = text[closing.end():]
                if len(rest.split()) <= _SIGNATURE_WORDS and not _SENTENCE_END.search(rest):
                    found = self._signature = closing.end()
                    break
        return found

    def first_use(self, acronym: str) -> int:
        """Where `acronym` first stands as a word of the text (a plural "s" or "'s" may follow),
        or -1. Found with `str.find`: a regex built for each acronym costs its compiling."""
        found = self._first.get(acronym)
        if found is None:
            text, n = self.text, len(acronym)
            found = text.find(acronym)
            while found >= 0 and not ((found == 0 or not _word_char(text[found - 1])) and _word_ends(text, found + n)):
                found = text.find(acronym, found + 1)
            self._first[acronym] = found
        return found

    def spelt_out(self, acronym: str) -> bool:
        """The text spells the acronym out: "DSAR (data subject access request)", or its words
        anywhere ("Data Subject Access Request (DSAR)", "sign our Contributor License
        Agreement. The CLA bot …"), small words aside; a two-letter acronym's words must be
        capitalized. A bracketed acronym alone explains nothing: "signed off (DCO)"."""
        letters = "".join(c.lower() for c in acronym if c.isalpha())
        at = self.text.find(acronym + " (")
        if at >= 0:
            inside = self.text[at + len(acronym) + 2:at + len(acronym) + 82].split(")")[0]
            if len(inside.split()) >= 2:
                return True
        if letters in self.initials(len(letters) < 3):
            return True
        if len(letters) < 3:
            return False
        # The small words may count too: "a certificate of insurance … the COI"
        every = self._initials.get("every")
        if every is None:
            every = self._initials["every"] = "".join(_EVERY_INITIAL.findall(self.text)).lower()
        return letters in every


#: A closing word at a sentence's start ("Best,", "Kind regards", "Thanks!"), and how many
#: words of name and title may follow it, with no sentence ending among them, as the signature.
_CLOSING = re.compile(r"(?i)(?:^|(?<=[.!?]\s))\s*(?:(?:(?:best|kind|warm) )?regards|(?:yours )?sincerely|yours truly"
                      r"|(?:best|best wishes|thanks|thank you|many thanks|cheers|all the best|take care|respectfully)"
                      r"(?=[,.!]))[ \t]*[,.!]?(?=\s)")
_SIGNATURE_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")

#: The first letter of each word but the small ones ("of", "the", …), as `findall` returns it.
_INITIALS = re.compile(r"(?<![\w&-])(?!(?i:a|an|and|for|of|on|the|to)\b)([A-Za-z])[\w-]*")
_EVERY_INITIAL = re.compile(r"(?<![\w&-])([A-Za-z])[\w-]*")
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_GAPS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz" + " " * 26)


def _word_char(c: str) -> bool:
    """What a regex's `\\w` matches."""
    return c.isalnum() or c == "_"


def _word_ends(text: str, i: int) -> bool:
    """A word ends at `i`, or after a plural "s" or "'s" there (as `(?:['’]?s)?(?!\\w)` reads)."""
    ends = [i]
    if text.startswith("s", i):
        ends.append(i + 1)
    elif text[i:i + 1] in ("'", "’") and text.startswith("s", i + 1):
        ends.append(i + 2)
    return any(e >= len(text) or not _word_char(text[e]) for e in ends)


def _text_facts(site: Site) -> _TextFacts:
    cache = site.clauses if site.clauses is not None else {}
    found = cache.get("_text_facts")
    if found is None:
        found = cache["_text_facts"] = _TextFacts(site.doc, cache.get("_text"))
    return found


def _unexplained_acronym(site: Site, _: Any) -> bool:
    """The match is an acronym the customer may not know: not an everyday one (`everyday_acronyms`
    in lexicon.yaml, with or without its digits: "PS4", "4AM"), not a placeholder ("XXX"), not
    a name after a greeting or a comma ("Hi, AJ!"), not a model after a product name ("iPhone
    SE", "5 SE"), not one word of a shouted run ("I STILL NEED HELP", "HI Amanda"), not spelt
    out in the same text ("… Request (DSAR)"), and its first use there: one finding an acronym."""
    doc = site.doc
    everyday = LEXICON["everyday_acronyms"]
    # The token may hold more ("ID.^AS"); a pair ("RPM/TPM") is judged by its first uncommon part.
    matched = doc[site.start].text if site.end - site.start == 1 else doc[site.start:site.end].text
    parts = [m.group().rstrip("s") for m in map(_ACRONYM.search, matched.split("/")) if m]
    bare = next((p for p in parts if p.upper() not in everyday and p.strip("0123456789") not in everyday), "")
    if not bare or set(bare) == {"X"}:
        return False
    if bare.lower() in LEXICON["greetings"] or doc.vocab[bare.lower()].is_stop:
        return False
    prev = site.start - 1
    while prev >= 0 and doc[prev].is_space:
        prev -= 1
    after = doc[site.end].text if site.end < len(doc) else "."
    if prev >= 0:
        before = doc[prev].text
        if (before == "," or doc[prev].norm_ in LEXICON["greetings"]) and after in ".!,?":
            return False
        if before.isdigit() or (before[:1].islower() and not before.islower()) or _code(before):
            return False  # after a number or a code: "LK19 XRT" (a registration), "Tier 2 NOC"
        if before.lower() in _CLOCK or _TIME.fullmatch(before):
            return False  # after a time, a time zone: "5pm CT", "14:00 AEDT"
        if doc[prev].norm_ in _LITERAL_LEADS or (doc[prev].norm_ in ("with", "in") and prev > 0
                                                  and doc[prev - 1].norm_ in _LITERAL_LEADS):
            return False  # letters quoted as letters: "the plate ending 7KX", "starts with MAN"
    if site.end < len(doc) and after.istitle() and after.isalpha():
        return False  # a name: "GTA Online", "BA Holidays"
    if site.end < len(doc) and doc[site.end].lower_ in LEXICON["kind_nouns"]:
        return False  # the kind of a thing the customer has: "your SPF record", "the BACS file"
    if after[:1] == "#" or matched.endswith("#") or after[:1].isdigit() or _code(after):
        return False  # a label for a number or a code: "SR# 1234", "HIST 214", "PCN WK88410273"
    if sum(c.isdigit() for c in bare) >= 3:
        return False  # a code, not a word: "SL482", "A320"
    if prev >= 1 and doc[prev].text == "(" and doc[prev - 1].text.istitle() and after == ")":
        return False  # part of a name: "Regulation (EC) 261/2004"
    if any(0 <= j < len(doc) and doc[j].text.isalpha() and doc[j].text.isupper() for j in (site.start - 1, site.end)):
        return False
    facts = _text_facts(site)
    first = facts.first_use(bare)
    return (first < 0 or first >= doc[site.start].idx) and not facts.spelt_out(bare)


#: How many distinct unexplained acronyms make a Doc dense with them (`among_acronyms`).
DENSE_ACRONYMS = 3


def _among_acronyms(site: Site, _: Any) -> bool:
    """The Doc (a paragraph, or a short reply) holds at least `DENSE_ACRONYMS` distinct acronyms
    that pass `unexplained_acronym`, in sentences without code (`_beside_code`): one unexplained
    acronym may be the customer's own field's word, a run of them says the reply was written for
    insiders."""
    cache = site.clauses if site.clauses is not None else {}
    count = cache.get("_acronyms")
    if count is None:
        rare = _rare_acronyms(cache.get("_text") or site.doc.text)
        found: set[str] = set()
        if len(rare) >= DENSE_ACRONYMS:  # else the common case: too few to read each one
            doc = site.doc
            for k, token in enumerate(doc):
                text = token.text
                text = text[:-1].rstrip("'’") if text.endswith("s") else text  # "SKUs", "CR's"
                if text in rare and text not in found:
                    at = Site(doc, k, k + 1, parsed=site.parsed, clauses=site.clauses)
                    if _unexplained_acronym(at, None) and not _beside_code(at):
                        found.add(text)
        count = cache["_acronyms"] = len(found)
    return count >= DENSE_ACRONYMS


#: Runs of capitals and digits in a text, for a cheap first count of its acronyms: a capital and
#: up to six more, or one or two digits, a capital and up to four more. It opens with a character
#: class, so the regex engine skips ahead to a capital or a digit (a choice of two branches would
#: have it try both at every character, twice the time).
_CAPITAL_RUN = re.compile(r"[A-Z0-9](?:(?<=[A-Z])[A-Z0-9+&]{1,6}|(?<=[0-9])[0-9]?[A-Z][A-Z0-9+&]{0,4})")


def _long_acronym(word: str) -> bool:
    """Six or seven characters, a digit and at least five capitals: "SMETS1", not "BA2490"."""
    return len(word) <= 7 and sum(c.isupper() for c in word) >= 5 and any(c.isdigit() for c in word)


def _dense_enough(text: str) -> bool:
    """Gate of `among_acronyms`: the text has enough acronym-shaped words for it to hold."""
    return len(_rare_acronyms(text)) >= DENSE_ACRONYMS


def _last_text(read: Callable[[str], Any]) -> Callable[[str], Any]:
    """`read`, remembering its answer for the last text it was given (by identity): readers of
    one text come one after the other (a gate, then its condition; every Doc of one reply), and a
    one-entry memory holds nothing once the text has gone (one tuple, swapped whole)."""
    last: list[tuple[str | None, Any]] = [(None, None)]

    def remembered(text: str) -> Any:
        seen, answer = last[0]
        if seen is text:
            return answer
        answer = read(text)
        last[0] = (text, answer)
        return answer

    remembered.__doc__ = read.__doc__
    remembered.__wrapped__ = read  # type: ignore[attr-defined]
    return remembered


@_last_text
def _rare_acronyms(text: str) -> frozenset[str]:
    """The distinct acronym-shaped words of `text` (two to five capitals, or a long one: see
    `_long_acronym`; a word of their own) that are not everyday ones: exact when there are
    `DENSE_ACRONYMS` or more (its readers count to that), and maybe none when there are fewer."""
    return frozenset(_read_rare_acronyms(text))


#: A cheaper first count: runs of capitals that open with a letter, unbounded. Each acronym that
#: `_read_rare_acronyms` can find is a whole run of its own (an acronym inside a longer run is
#: skipped there), so it is one of these runs too, or (opening with digits, "10WD") needs a digit
#: before a capital somewhere in the text.
_LETTER_RUN = re.compile(r"[A-Z][A-Z0-9+&]+")
_DIGIT_CAPITAL = re.compile(r"[0-9][A-Z]")


def _read_rare_acronyms(text: str) -> set[str]:
    everyday, found, n = LEXICON["everyday_acronyms"], set(), len(text)
    if len(set(_LETTER_RUN.findall(text)) - everyday) < DENSE_ACRONYMS and _DIGIT_CAPITAL.search(text) is None:
        return found  # fewer runs of capitals than it takes (and none that opens with a digit)
    if len(set(_CAPITAL_RUN.findall(text)) - everyday) < DENSE_ACRONYMS:
        return found  # fewer runs of capitals than it takes, read or not
    for m in _CAPITAL_RUN.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        if (len(word) > 5 and not _long_acronym(word)) or word in found or word in everyday \
                or word.strip("0123456789") in everyday or sum(c.isupper() for c in word) < 2:
            continue
        if (start and (text[start - 1].isalnum() or text[start - 1] in "_^-/@#")) or (
                end < n and text[end].isalpha() and text[end] != "s"):
            continue  # inside a word, a sign-off's initials ("^JR", "-SR"), a path or a handle
        found.add(word)
    return found


#: What marks a text written for developers: code, or a word of a code workflow
#: (`developer_words`; not an order number "#48213", nor a code such as a claim's "PR-1"). It opens with a character class, so that
#: the regex engine skips ahead to a candidate character; each word's first letter is checked
#: behind it.
def _developer_pattern(opening: str, flags: int = 0) -> re.Pattern:
    words = sorted((w.lower() for w in LEXICON["developer_words"]), key=len, reverse=True)
    return re.compile(opening + r"(?:(?<=`)|(?<![\w'’-].)(?:" + "|".join(
        f"(?<={re.escape(w[0])}){re.escape(w[1:])}" for w in words) + r")\b(?!-\d))", flags)


_DEVELOPER = _developer_pattern("[`a-z]", re.IGNORECASE)
#: The same for the lowered text (`regexes.folds_safely`), case-sensitive and opening with its
#: words' first letters: a third of the time.
_DEVELOPER_LOWERED = _developer_pattern(
    "[`" + re.escape("".join(sorted({w[0].lower() for w in LEXICON["developer_words"]}))) + "]")


#: The words of `_DEVELOPER` of four letters or more, lower case: a text holding none of them
#: (and no backtick) is read by `_SHORT_DEVELOPER` alone, which looks at c, p and n only.
_LONG_DEVELOPER = tuple(w for w in LEXICON["developer_words"] if len(w) >= 4)
_SHORT = sorted((w for w in LEXICON["developer_words"] if len(w) < 4), key=len, reverse=True)


def _either_case(word: str) -> str:
    """`word` as a pattern of either case, letter by letter ("pr" as "[pP][rR]"): cheaper than
    IGNORECASE, which the engine pays at every position it tries."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


_SHORT_DEVELOPER = re.compile(_either_case("".join(sorted({w[0] for w in _SHORT}))).replace("][", "")
                              + r"(?<![\w'’-].)(?:" + "|".join(
                                  f"(?<={_either_case(w[0])}){_either_case(w[1:])}" for w in _SHORT) + r")\b(?!-\d)")


@_last_text
def developer_text(text: str) -> bool:
    """Whether `text` (a reply's text, code and all) is written for developers (`_DEVELOPER`).
    A text with no backtick and none of its longer words as a substring is settled by the short
    words' pattern alone; else the whole pattern reads the lowered text."""
    if "`" in text:
        return True
    lower = text.lower()
    if not any(w in lower for w in _LONG_DEVELOPER):
        return _SHORT_DEVELOPER.search(text) is not None
    if folds_safely(text, lower):
        return _DEVELOPER_LOWERED.search(lower) is not None
    return _DEVELOPER.search(text) is not None


def _not_developer_text(site: Site, _: Any) -> bool:
    """The reply shows no sign of a developer audience: no code, no word of a code workflow
    (read once a Doc, from the reply's whole text when the engine gives it)."""
    cache = site.clauses if site.clauses is not None else {}
    found = cache.get("_developer")
    if found is None:
        found = cache["_developer"] = developer_text(cache.get("_reply") or cache.get("_text") or site.doc.text)
    return not found


def _beside_code(site: Site) -> bool:
    """The match's sentence holds masked text (code, a path, a URL): a developer's sentence,
    whose acronyms ("the PVC binds before the STS pod", next to `volumeBindingMode`) are the
    reader's own field's words."""
    doc = site.doc
    return MARK in doc[site.sent_start:site.sent_end].text


def _first_use(site: Site, _: Any) -> bool:
    """The match's words occur nowhere earlier in the Doc: a term is flagged once ("raised an
    RMA … the RMA number")."""
    doc = site.doc
    return _text_facts(site).first_use(doc[site.start:site.end].text) >= doc[site.start].idx


def _not_in_question(site: Site, _: Any) -> bool:
    end = site.sent_end
    i = end - 1
    while i >= site.end and site.doc[i].is_space:
        i -= 1
    return site.doc[i].text != "?"


def _not_by_others(site: Site, _: Any) -> bool:
    """No "by" after the match, in its clause, that names someone other than the agent side as
    the doer: "your return was rejected *by the IRS*" reports a third party's no."""
    k, stop = site.end, min(site.sent_end, site.end + 8)
    verbs = 0
    while k < stop and not site.is_boundary(k):
        word = site.norm(k)
        if word == "by" and k + 1 < len(site.doc):
            return not _other_party(site, k + 1)
        if clauses.participle(word):
            verbs += 1
            # A second participle, or one after the verb a frame read, opens a phrase of its own:
            # "not given for stoppages *caused* by …", "not payable for delays *caused* by …"
            if verbs > 1 or (site.verb_end is not None and k >= site.verb_end):
                return True
        k += 1
    return True


def _other_party(site: Site, k: int) -> bool:
    """The words from token `k` name a party other than the agent side: a name ("Apple", "the
    IRS") or a noun after the/your/their ("your bank"); not "us", "our team", a time ("the
    deadline") or the company's own tools ("the system")."""
    word = site.norm(k)
    if word in LEXICON["agent_pronouns"] or word in LEXICON["agent_possessives"] or word in ("us", "me"):
        return False
    if word in ("the", "your", "their", "its"):
        heads = [site.norm(j) for j in range(k + 1, min(k + 3, len(site.doc))) if site.doc[j].is_alpha]
        return bool(heads) and not any(h in LEXICON["agent_nouns"] or h in LEXICON["not_parties"] for h in heads)
    return site.doc[k].is_alpha and site.doc[k].text[:1].isupper()


def _bare_apology(site: Site, _: Any) -> bool:
    """No subject in the apology's clause: "Sorry for the trouble", not "I'm sorry you …"."""
    first = site.clause_start(site.start)
    subjects = LEXICON["apology_subjects"]
    return not any(site.norm(j) in subjects for j in range(first, site.start))


def _clause_ends_after(site: Site, phrases) -> bool:
    """The clause ends right after the match, or after one of the listed words ("to hear [that]."),
    or after a name it addresses ("…, sorry Pete.")."""
    if site.clause_ends_at(site.end) or site.clause_ends_at(_after_vocative(site, site.end)):
        return True
    found = site.any_after(phrases)
    return found is not None and site.clause_ends_at(site.end + len(found))


def _after_vocative(site: Site, k: int) -> int:
    """Where the clause goes on after a name of one or two capitalised words at token `k` ("sorry
    *Pete*.", "sorry *Mr Hill*,"); `k` when there is none."""
    j = k
    while j < min(k + 2, len(site.doc)) and site.doc[j].is_alpha and site.doc[j].text.istitle() \
            and site.doc[j].text != "I" and site.norm(j) not in LEXICON["pronouns"]:
        j += 1
    return j


def _clause_initial(site: Site, _: Any) -> bool:
    prev = site.start - 1
    if prev < site.sent_start or site.is_boundary(prev):
        return True
    return site.norm(prev) in LEXICON["clause_openers"]


def _after_boundary(site: Site, _: Any) -> bool:
    prev = site.start - 1
    return prev < site.sent_start or site.is_boundary(prev)


def _sentence_initial(site: Site, _: Any) -> bool:
    """The match opens its sentence, after a greeting, a name or a masked handle at most ("Hi Sam,
    I'm so sorry."): no clause of the sentence comes before it ("Two weeks is too long to wait,
    I'm sorry." names what it is sorry for)."""
    doc = site.doc
    before = [j for j in range(site.sent_start, site.start) if not (doc[j].is_space or doc[j].is_punct)]
    return len(before) <= 3 and all(
        MARK in doc[j].text or site.norm(j) in LEXICON["greetings"] or doc[j].text.istitle() for j in before) and \
        not any(site.norm(j) in LEXICON["pronouns"] for j in before)


def _alone_in_clause(site: Site, _: Any) -> bool:
    prev = site.start - 1
    starts = prev < site.sent_start or site.is_boundary(prev)
    return starts and site.clause_ends_at(site.end)


@dataclass(frozen=True)
class Condition:
    check: Callable[[Site, Any], bool]
    option: str  # "words" (phrases), "set" (single words), "flag" (true), "frame" (a mapping), or "choice:a|b"
    doc: str
    #: A cheap test of a Doc's whole text that must pass for the condition to hold anywhere in it:
    #: the engine runs a rule's regexes only over the texts that pass every gate of its conditions.
    gate: Callable[[str], bool] | None = None


CONDITIONS: dict[str, Condition] = {
    # A rule's conditions run in this order, the first that fails ending it. The next and the
    # previous words go first: a few token looks, and they read nothing another condition found
    # (but `not_preceded_by` reads what `preceded_by` and `opened_by` found).
    "followed_by": Condition(_followed_by, "words", "The next words are one of these."),
    "not_followed_by": Condition(_not_followed_by, "words", "The next words are none of these."),
    "preceded_by": Condition(_preceded_by, "words", "The words just before are one of these."),
    "opened_by": Condition(_opened_by, "words",
                           "One of these opens the noun phrase the match ends: just before it, or before up to "
                           "three words of the phrase: determiners, names, one lower-case modifier."),
    "not_preceded_by": Condition(_not_preceded_by, "words",
                                 "The words just before (before those `preceded_by` found) are none of these."),
    # `frame` and `subject` run before `clause`, which reads the subject they found.
    "frame": Condition(_frame, "frame",
                       "The clause around the match has this frame: `actor`, `polarity`, `modality`, `verbs`, "
                       "`not_verbs` (see Clause frames)."),
    "subject": Condition(_subject, "words",
                         "The match's subject is one of these words (adverbs and auxiliaries may stand between)."),
    "subject_not_preceded_by": Condition(_subject_not_preceded_by, "words",
                                         "The words just before the subject are none of these (\"as we don't allow\")."),
    "clause": Condition(_clause, "choice:main|not_conditional",
                        "`main`: not in an if/when clause, a relative clause (but a \", which\" clause about what "
                        "we do is a main one), the \"would\" of a fronted if, or a clause about the customer's "
                        "situation; `not_conditional`: not in an if/when clause."),
    "among_acronyms": Condition(_among_acronyms, "flag",
                                "The match's Doc holds three or more distinct acronyms that pass "
                                "`unexplained_acronym`.", gate=_dense_enough),
    "not_negated": Condition(_not_negated, "flag", "No not/never/no shortly before in the same clause."),
    "not_in_question": Condition(_not_in_question, "flag", "The sentence does not end with a question mark."),
    "first_use": Condition(_first_use, "flag", "The match's words occur nowhere earlier in the Doc (one finding a term)."),
    "not_by_others": Condition(_not_by_others, "flag",
                               "No \"by\" after the match in its clause naming someone else as the doer "
                               "(\"rejected by the IRS\")."),
    "unexplained_acronym": Condition(_unexplained_acronym, "flag",
                                     "The match is an acronym that is not everyday, not spelt out in the text, "
                                     "not a name and not shouting."),
    "not_sign_off": Condition(_not_sign_off, "flag",
                              "The match is not a sign-off closing the reply (an agent's initials: \"… today. KB\")."),
    "participle_follows": Condition(_participle_follows, "flag",
                                    "The next word, past adverbs, is a past participle (\"should have *noticed*\")."),
    "sentence_has": Condition(_sentence_has, "set",
                              "One of these words in the match's sentence (\"not\", \"excluded\": it says no)."),
    "not_in_clause": Condition(_not_in_clause, "set",
                               "None of these words in the match's clause (a subordinator ends it too)."),
    "not_in_sentence": Condition(_not_in_sentence, "set",
                                 "None of these words in the match's sentence (\"as *stated* on the checklist\")."),
    "not_near": Condition(_not_near, "set",
                          "None of these words in the match's sentence or the one before (\"as a duplicate\")."),
    "bare_apology": Condition(_bare_apology, "flag",
                              "No subject (I, we, am, are, …) before the match in its clause."),
    "clause_ends_after": Condition(_clause_ends_after, "words",
                                   "The clause ends right after the match, or after one of these words."),
    "clause_initial": Condition(_clause_initial, "flag", "The match opens its clause."),
    "after_boundary": Condition(_after_boundary, "flag",
                                "Nothing but punctuation, a masked region or the sentence start comes just before."),
    "alone_in_clause": Condition(_alone_in_clause, "flag", "The match is its clause on its own."),
    "sentence_initial": Condition(_sentence_initial, "flag",
                                  "The match opens its sentence (after a greeting, a name or a handle at most)."),
    # Last: it reads the reply's whole text, once a reply, where the others read a few words.
    "not_developer_text": Condition(_not_developer_text, "flag",
                                    "The reply shows no sign of a developer audience: no code, no word of a code "
                                    "workflow (`developer_words`)."),
}


def validate(ctx: Any) -> dict[str, Any]:
    from phraselint.errors import did_you_mean

    if not isinstance(ctx, dict):
        raise ConditionError("'context' must be a mapping of condition name to option")
    for name, option in ctx.items():
        cond = CONDITIONS.get(name)
        if cond is None:
            raise ConditionError(f"unknown context condition '{name}'{did_you_mean(str(name), CONDITIONS)}", (name,))
        booleans = isinstance(option, list) and any(isinstance(w, bool) for w in option)
        hint = " (YAML reads on, off, yes and no as true/false: quote them)" if booleans else ""
        if cond.option == "words":
            if not isinstance(option, list) or not all(isinstance(w, str) and w.strip() for w in option):
                raise ConditionError(f"'{name}' takes a list of words or phrases{hint}", (name,))
        elif cond.option == "set":
            if not isinstance(option, list) or not all(isinstance(w, str) and w.strip() and " " not in w.strip()
                                                       for w in option):
                raise ConditionError(f"'{name}' takes a list of single words{hint}", (name,))
        elif cond.option == "frame":
            try:
                clauses.validate(option)
            except ValueError as exc:
                raise ConditionError(str(exc), (name,)) from None
        elif cond.option == "flag":
            if option is not True:
                raise ConditionError(f"'{name}' takes the value true", (name,))
        else:
            choices = cond.option.split(":", 1)[1].split("|")
            if option not in choices:
                raise ConditionError(f"'{name}' must be one of: {', '.join(choices)}", (name,))
    return dict(ctx)


def gates_of(ctx: dict) -> list[Callable[[str], bool]]:
    """The text-wide gates (`Condition.gate`) of a rule's context, in registry order."""
    return [cond.gate for name, cond in CONDITIONS.items() if name in ctx and cond.gate is not None]


def compile_context(ctx: dict[str, Any], normalize: Normalize) -> list[tuple[Callable, Any]]:
    """The checks of one rule, in registry order, with their options normalized."""
    compiled = []
    for name, cond in CONDITIONS.items():
        if name in ctx:
            option = ctx[name]
            if cond.option == "words":
                option = _phrases(option, normalize)
            elif cond.option == "frame":
                option = clauses.Frame.compile(option)
            elif cond.option == "set":
                option = frozenset(w for word in option for w in normalize(word.strip()))
            compiled.append((cond.check, option))
    return compiled
