"""Clause frames: who acts in a clause, with what polarity and modality, and on which verb.

A rule's `frame` condition (rules/README.md) reads the clause around a match through closed-class
words alone (pronouns, auxiliaries, modals, negators), so it works on `spacy.blank("en")`:

    Unfortunately, | our team | does n't | handle | billing disputes
                     actor      group      verb
                     (agent)    (negative, habit)

The reader walks left from the match over the verb group to the subject, and right from it to
the main verb (or, after a copula, the predicate). It costs a few dozen token looks per match.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from phraselint.lexicon import LEXICON
from phraselint.text import MARK

ACTORS = ("agent", "customer", "thing", "other", "none")
POLARITIES = ("negative", "positive")
#: In the order `_modality` tries them: "won't be able to" reads as ability, not intention, and
#: "you may need to" as possibility, not obligation.
MODALITIES = ("fragment", "possibility", "obligation", "ability", "permission", "intention", "perfect", "progressive",
              "state", "past", "habit")
VOICES = ("active", "passive")
OWNERS = ("agent", "customer")
FRAME_KEYS = {"actor": "list", "polarity": "one", "modality": "list", "voice": "one", "verbs": "words",
              "not_verbs": "words", "objects": "words", "owner": "one"}
_MAX_OBJECT = 6  # tokens after the verb in which `objects` looks for what it is done to
#: Prepositions that end the object's noun phrase ("of" and "out" may sit inside one: "an out
#: of office option").
_OBJECT_ENDS = LEXICON["prepositions"] - {"of", "out"}

_GROUP = LEXICON["verb_group"]
_CUSTOMER_WORKS = LEXICON["customer_works"]
_TO_TAKERS = LEXICON["to_takers"]
_NEGATORS = LEXICON["negations"] | {"unable"}
_ARTICLES = frozenset(("a", "an", "the", "any", "some"))
_IRREGULAR = LEXICON["irregular_verbs"]
_PARTICIPLES = LEXICON["participles"]
#: Words that make a verb group finite: without one, "the required information", "concerns not
#: covered" are fragments ("never" and "no longer" stand alone: "we never ship").
_FINITE = (LEXICON["copulas"] | LEXICON["modal_ability"] - {"able", "unable"} | LEXICON["modal_intention"]
           | LEXICON["modal_possibility"] | LEXICON["perfect_auxiliaries"]
           | {"do", "does", "did", "must", "should", "need", "needs", "got", "gotta", "never", "longer"})
_MAX_SUBJECT = 4  # tokens a subject noun phrase may span: "our billing support team"
#: Tokens a verb group may span on either side of the match: "will also not be able to". The
#: walks stop at punctuation, so no sentence boundary search is needed.
_MAX_GROUP = 10
#: Tokens back from a joining "and"/"but" to the subject it shares, and the personal pronouns
#: that can be that subject.
_MAX_SHARED = 16
#: Words after which a clause's subject starts.
_OPENS_CLAUSE = LEXICON["clause_openers"] | LEXICON["subordinators"] | LEXICON["conditionals"] | LEXICON["clause_joiners"]
#: Prepositions between a subject's head noun and an amount: "the fee *of* £85", "orders *over* $50".
_AMOUNT_PREPOSITIONS = frozenset(("of", "over", "under", "above", "below", "for"))
_PERSONAL = {w: actor for actor in ("agent", "customer", "other") for w in LEXICON[f"{actor}_pronouns"]}


@dataclass
class Clause:
    actor: str
    subject: int | None  # first token of the subject, None when there is none
    polarity: str
    modality: str
    verb: int | None  # the main verb or the predicate head, None at a boundary
    verb_norm: str = ""
    voice: str = "active"  # passive: a copula, then a participle ("must be assessed")
    #: The verb's base forms alone, then with the next one and two words ("price match", "have
    #: the rights"): read once, for every rule whose frame asks about this clause's verb.
    _verb_keys: tuple[frozenset[str], ...] | None = field(default=None, repr=False, compare=False)

    def verb_keys(self, doc) -> tuple[frozenset[str], ...]:
        if self._verb_keys is None:
            bases = verb_bases(self.verb_norm)
            following = [doc[k].norm_ for k in range(self.verb + 1, min(len(doc), self.verb + 3))]
            self._verb_keys = (bases,) + tuple(
                frozenset(f"{b} {' '.join(following[:n])}" for b in bases) if len(following) >= n else frozenset()
                for n in (1, 2))
        return self._verb_keys


@functools.lru_cache(maxsize=4096)
def verb_bases(norm: str) -> frozenset[str]:
    """The base forms a verb token may be an inflection of: "extending" -> extend, "shipped" ->
    ship, "sent" -> send, "supported" -> support. Over-generates on purpose: it is matched
    against a rule's list of base forms, never used to build text."""
    forms = {norm}
    if norm in _IRREGULAR:
        forms.add(_IRREGULAR[norm])
    for suffix in ("ing", "ed", "es", "s", "d"):
        if len(norm) > len(suffix) + 2 and norm.endswith(suffix):
            stem = norm[: -len(suffix)]
            forms.update((stem, stem + "e"))
            if len(stem) > 2 and stem[-1] == stem[-2]:
                forms.add(stem[:-1])  # shipped -> ship
            if stem.endswith("i"):
                forms.add(stem[:-1] + "y")  # applied -> apply
    return frozenset(forms)


def _actor_of_noun(site, i: int, numbered: bool = False) -> tuple[str, int]:
    """The actor of a subject noun phrase ending at token `i`, and where the phrase starts.
    `numbered`: a number follows it, so a capital is a product's or a version's ("Python 3.7")."""
    head = site.norm(i)
    j = i
    while j > 0 and i - j < _MAX_SUBJECT and not site.is_boundary(j - 1):
        prev = site.norm(j - 1)
        if prev in LEXICON["subject_determiners"]:
            j -= 1
            break
        if prev in _GROUP or prev in LEXICON["clause_openers"] or prev in LEXICON["subordinators"] \
                or prev in LEXICON["conditionals"] or prev in LEXICON["pronouns"] \
                or not (site.doc[j - 1].is_alpha or _compound_end(site, j)):
            break
        j -= 1
    determiner = site.norm(j)
    if head in LEXICON["agent_nouns"] and determiner not in ("your", "a", "an", "any", "some"):
        return "agent", j
    if head in LEXICON["department_names"] and j < i and site.doc[i].text[:1].isupper() \
            and site.doc[i - 1].text[:1].isupper():
        return "agent", j  # "Patient Financial Services", "Customer Relations"
    if head in LEXICON["customer_nouns"]:
        return "customer", j
    if j == i and not numbered and site.doc[i].text[:1].isupper() and i > 0 and not _opens(site, i):
        return "other", j  # a name inside a sentence: "Sorry, Amazon can't"
    return "thing", j


def _opens(site, i: int) -> bool:
    """Whether token `i` opens its sentence, or follows a masked handle or a line break: its
    capital is the sentence's ("@123 Hulu is …")."""
    prev = site.doc[i - 1]
    return prev.is_space or MARK in prev.text or site.starts_sentence(i)


def _subject(site, end: int) -> tuple[str, int | None]:
    """The actor whose subject ends just before token `end`; "none" in an inverted question
    ("Has the PDF been locked …", "Can we not …"). A verb phrase joined by "and"/"but" takes
    the subject of the clause it is joined to: "We'll credit you, but can't pay for the class"."""
    actor, start = _subject_phrase(site, end)
    if start is not None and start > 0:
        head = described_noun(site, start)
        if head is not None:
            # "cancellations made … before the class | aren't …", "bookings received without the
            # required form | are not held": the noun the participle phrase describes is the subject
            actor, start = _actor_of_noun(site, head)
    if actor == "none" and end > 0 and site.norm(end - 1) in ("and", "but"):
        return _shared_subject(site, end - 1), None
    if start is not None and start > 0 and not site.is_boundary(start - 1):
        before = site.norm(start - 1)
        if before in _FINITE and (start == 1 or site.is_boundary(start - 2) or site.starts_sentence(start - 1)):
            return "none", None
    return actor, start


_PARTICLES = frozenset(("away", "down", "off", "out", "up", "back"))
#: Prepositions (besides `prepositions`) a participle phrase may hold before its subject's verb.
_PHRASE_PREPOSITIONS = frozenset(("after", "before", "until", "without", "within"))


def described_noun(site, k: int) -> int | None:
    """The noun a past participle phrase describes, when that phrase, holding a preposition, runs
    up to token `k` from the clause's start: "*cancellations* made less than 7 days before | the
    class", "*bookings* received without | the form"; None otherwise."""
    preposition = False
    for j in range(k - 1, max(-1, k - _MAX_SUBJECT - 5), -1):
        if site.is_boundary(j):
            return None
        word = site.norm(j)
        if word in _PHRASE_PREPOSITIONS or word in LEXICON["prepositions"]:
            preposition = True
        noun = j - 1
        if preposition and participle(word) and noun >= 0 and not site.is_boundary(noun) and site.doc[noun].is_alpha \
                and site.norm(noun) not in _GROUP and site.norm(noun) not in LEXICON["pronouns"] \
                and site.norm(noun) not in LEXICON["subject_determiners"] and not participle(site.norm(noun)):
            return noun
    return None


def _shared_subject(site, conjunction: int) -> str:
    """The actor of the first personal pronoun of the clause a joining "and"/"but" continues
    (the subject comes first: "We'll credit you, but …" is "we"), within the sentence and a few
    tokens; "none" when there is none."""
    found = "none"
    start = max(0, conjunction - _MAX_SHARED + 1)
    for k in range(conjunction - 1, start - 1, -1):
        tok = site.doc[k]
        if tok.text in ".!?" or tok.text == "\n\n" or MARK in tok.text:
            start = k + 1
            break
        word = site.norm(k)
        if word in _PERSONAL:
            found = _PERSONAL[word]
        if word == "that" and (k == 0 or site.doc[k - 1].text in ".!?" or site.doc[k - 1].text == "\n\n"
                               or MARK in site.doc[k - 1].text):
            start = k
            break  # the sentence's own subject: "That's set by the bank and isn't something we …"
        if (word in LEXICON["subordinators"] and not _as_preposition(site, k)) or word in LEXICON["conditionals"] \
                or word == "that":
            start = k + 1
            break  # the clause it continues starts here: "… notifying you that we've reviewed it and have …"
    if found == "none" and start < conjunction and site.norm(start) in LEXICON["thing_pronouns"]:
        return "thing"  # "It's out of scope and is not something we support"
    if found == "none":
        found = _noun_subject(site, start, conjunction)
    if found == "none":
        found = _determiner_subject(site, start, conjunction)
    return found


def _determiner_subject(site, start: int, end: int) -> str:
    """The actor of a noun phrase that opens with a determiner at token `start` and runs into a
    lexical verb (no auxiliary): "*The loss* falls within … and is not covered", "*Our team*
    reviewed it and can't …". Its head is the last word before the first that may be a verb
    (-s, -ed), an auxiliary or a preposition, within four words; "none" without a determiner."""
    if start + 1 >= end or not site.doc[start + 1].is_alpha:
        return "none"
    if site.norm(start) not in LEXICON["subject_determiners"]:
        # A bare plural noun opening the clause before a lexical verb: "*Subscriptions* renew
        # each cycle and are non-refundable once it has begun".
        word = site.norm(start)
        if site.doc[start].is_alpha and len(word) > 3 and word.endswith("s") and not word.endswith("ss") \
                and word not in LEXICON["not_plural_nouns"] and site.norm(start + 1) not in _GROUP:
            return _actor_of_noun(site, start)[0]
        return "none"
    head = start + 1
    for k in range(start + 2, min(end, start + 5)):
        word = site.norm(k)
        if not site.doc[k].is_alpha or word.endswith(("s", "ed")) or word in _GROUP or word in LEXICON["prepositions"]:
            break
        head = k
    return _actor_of_noun(site, head)[0]


def _as_preposition(site, k: int) -> bool:
    """ "as" at token `k` before a bare noun ("we act *as* agent for the organiser"), not opening
    a clause ("*as* we said", "*as* the order shipped")."""
    if site.norm(k) != "as" or k + 1 >= len(site.doc):
        return False
    nxt = site.norm(k + 1)
    return nxt not in LEXICON["pronouns"] and nxt not in LEXICON["subject_determiners"]


def _noun_subject(site, start: int, end: int) -> str:
    """The actor of a noun-phrase subject that opens tokens `start`..`end`, read up to the
    clause's first auxiliary or copula: "This ban is permanent and …" is a thing. Only a phrase
    that opens with a determiner: a bare name may be anyone ("ESLint has …").
    "none" when the clause has no auxiliary within a subject's reach."""
    for k in range(start + 1, min(end, start + _MAX_SUBJECT + 1)):
        if site.norm(k) in _FINITE:
            actor, begins = _subject_phrase(site, k)
            # A determiner, the agent side ("Support agents have …") or a common noun phrase of
            # two words or more ("Filter media is …"), not a name: "ESLint has …".
            opens = site.norm(start) in LEXICON["subject_determiners"] or actor == "agent" \
                or (k - start >= 2 and all(site.doc[j].is_lower and site.doc[j].is_alpha for j in range(start + 1, k)))
            return actor if begins == start and opens else "none"
    return "none"


def _subject_phrase(site, end: int) -> tuple[str, int | None]:
    i = end - 1
    if i >= 0 and site.doc[i].text.strip(MARK) == "":
        # A masked region: the subject itself, a thing, when it opens the clause ("so `glob` never
        # matches …", "\"It doesn't work\" isn't something we can debug"), else part of a noun phrase ("your request to install {{app}} has been …").
        if i == 0 or site.is_boundary(i - 1) or not site.doc[i - 1].is_alpha or site.norm(i - 1) in _OPENS_CLAUSE:
            return "thing", i
        i -= 1
    if i < 0 or site.is_boundary(i):
        return "none", None
    numbered = _numbered(site, i)
    if numbered:
        i -= 1  # the noun its number names: "Python 3.7 is not supported", "order 1234 can't be …"
    else:
        i = _before_amount(site, i)
    word = site.norm(i)
    if word in _SERIAL_VERBS and (i == 0 or site.is_boundary(i - 1) or site.starts_sentence(i)):
        return "none", None  # an order of two verbs: "Go file it upstream", "come see us"
    for actor in ("agent", "customer", "thing", "other"):
        if word in LEXICON[f"{actor}_pronouns"]:
            return actor, i
    if not site.doc[i].is_alpha or word in LEXICON["clause_openers"] or word in LEXICON["subordinators"] \
            or word in LEXICON["conditionals"]:
        return "none", None
    if word in LEXICON["prepositions"] and not _compound_end(site, i):
        # a relative clause's end: "the page you're looking at"; not a compound ("within 7 days
        # of check-in")
        return "other", None
    if len(word) > 4 and word.endswith("ed"):
        pronoun = _pronoun_before(site, i)
        if pronoun is not None:
            # a relative clause's end: "the rate you booked | does not allow …" is the rate's
            # clause; not a noun's participle ("tickets without an ID attached")
            head = pronoun - 1
            if head < 0 or site.is_boundary(head) or not site.doc[head].is_alpha or site.norm(head) in _GROUP \
                    or site.norm(head) in LEXICON["pronouns"]:
                return "other", None
            return _actor_of_noun(site, head)
    return _actor_of_noun(site, i, numbered)


#: Verbs that open an order with another bare verb after them: "go file it", "come see us".
_SERIAL_VERBS = frozenset(("go", "come"))


def _before_amount(site, i: int) -> int:
    """The head noun before an amount that ends a subject at token `i` ("The callout fee *of £85*
    is non-refundable", "Orders *over $50* are not …"); `i` when no amount ends there."""
    k = i
    while k >= 0 and not site.is_boundary(k) and (site.doc[k].like_num or site.doc[k].is_currency):
        k -= 1
    if k == i or k < 1 or site.norm(k) not in _AMOUNT_PREPOSITIONS:
        return i
    head = k - 1
    return head if site.doc[head].is_alpha and site.norm(head) not in _GROUP else i


def _compound_end(site, i: int) -> bool:
    """Token `i` ends a hyphenated word: "check-in", "log-in"."""
    return i >= 2 and site.inner_hyphen(i - 1)


def _pronoun_before(site, i: int) -> int | None:
    """Where a subject pronoun stands, an auxiliary or adverbs aside, before the participle at
    token `i`: a relative clause's own subject ("the issue you opened", "the item we've sent")."""
    k = i - 1
    while k >= 0 and (site.norm(k) in _GROUP or _adverb(site.norm(k))):
        k -= 1
    return k if k >= 0 and site.norm(k) in LEXICON["pronouns"] else None


def _numbered(site, i: int) -> bool:
    """Token `i` is a number ("3.7", "1234") that follows a word: a version, a model or a
    reference ("Windows 7", "order 1234")."""
    return site.doc[i].text[:1].isdigit() and i > 0 and site.doc[i - 1].is_alpha \
        and not site.is_boundary(i - 1) and site.norm(i - 1) not in _GROUP


def _adverb(word: str) -> bool:
    """An -ly adverb inside a verb group: "is temporarily unavailable", "don't clearly understand"."""
    return word.endswith("ly") and len(word) > 4 and word not in LEXICON["ly_verbs"]


def _word(site, k: int) -> str:
    """A token's NORM, except "did", which NORM makes "do" (the past is no habit), and the "got"
    of "gotta", which obliges even without "have" ("you gotta restart it"; "our rider got to
    reception" arrived)."""
    lower = site.doc[k].lower_
    if lower == "did":
        return "did"
    if lower == "got" and k + 1 < len(site.doc) and site.doc[k + 1].lower_ == "ta":
        return "gotta"
    return site.norm(k)


def read(site, start: int, end: int) -> Clause:
    """The clause around tokens `[start, end)` of `site.doc` (a context.Site)."""
    doc = site.doc
    group = [_word(site, k) for k in range(start, end)]
    i = start
    lo = max(0, start - _MAX_GROUP)
    while i > lo:
        word = site.norm(i - 1)
        if site.is_boundary(i - 1):
            if not (word == "," and i - 3 >= lo and site.norm(i - 3) == "," and (
                    _adverb(site.norm(i - 2)) or site.norm(i - 2) in _GROUP)):
                break
            i -= 3  # a parenthetical adverb: "we must, unfortunately, retire …"
            continue
        if word == "to" and i - 2 >= lo and site.norm(i - 2) in _TO_TAKERS:
            i -= 2  # "have to close": the infinitive's verb group
            group[:0] = [_word(site, i), "to"]
        elif word in _GROUP or _adverb(word):
            i -= 1
            group.insert(0, _word(site, i))
        else:
            break
    actor, subject = _subject(site, i)
    if i > 0 and site.norm(i - 1) in ("and", "but") and not set(group) & _FINITE:
        copula = _shared_copula(site, i - 1)
        if copula:  # "This is industry policy and | not something we can override": "is" holds
            group.insert(0, copula)
    last = site.norm(end - 1)
    if last not in _GROUP and last not in _NEGATORS and last != "to":
        # The match ends on its own verb or predicate: "we are closing", "is suspended". With no
        # auxiliary before it, it is a bare verb ("we closed") or a modifier ("the required
        # information"): a fragment.
        verb = end - 1
        polarity = _polarity(site, subject, group)
        before = group[: len(group) - (end - start)]
        left = set(before)
        # A phrasal verb's particle ends it: "turned *away*", "turned *down*"; the participle reads the voice.
        head = site.norm(end - 2) if last in _PARTICLES and end - 2 >= start else last
        return Clause(actor, subject, polarity, _modality(group, last) if left & _FINITE else "fragment", verb, last,
                      _voice(before, head))
    k, stop = end, min(len(doc), end + _MAX_GROUP)
    copula = any(w in LEXICON["copulas"] for w in group)
    while k < stop:
        word = site.norm(k)
        if site.is_boundary(k):
            if not (word == "," and k + 2 < stop and site.norm(k + 2) == "," and (
                    _adverb(site.norm(k + 1)) or site.norm(k + 1) in _GROUP)):
                break
            k += 3  # a parenthetical adverb: "we must, unfortunately, retire …"
            continue
        if word == "to" and group and group[-1] in _TO_TAKERS:
            group.append(word)
        elif word in _ARTICLES and copula:
            group.append(word)  # "is not an option": the predicate is the noun
        elif _adverb(word) and group[-1] != "to":
            group.append(word)  # an adverb: "we don't clearly understand"
        elif word in _GROUP and _auxiliary_after(site, k, word):
            group.append(word)
            copula = copula or word in LEXICON["copulas"]
        else:
            break
        k += 1
    verb = k if k < stop and not site.is_boundary(k) else None
    verb_norm = site.norm(verb) if verb is not None else ""
    polarity = _polarity(site, subject, group)
    if last == "no" and verb is not None:
        have = _have_before(site, end - 1, i)
        if have is not None:  # "the office has no discretion", "we have no way to": "have" is the verb
            past = site.doc[have].lower_ == "had"
            return Clause(actor, subject, polarity, "past" if past else "habit", have, "have")
    return Clause(actor, subject, polarity, _modality(group, verb_norm), verb, verb_norm, _voice(group, verb_norm))


def _shared_copula(site, conjunction: int) -> str | None:
    """The copula of the clause a joining "and"/"but" at token `conjunction` continues, when the
    predicate after it stands without one ("This is industry policy and not something we …"):
    the nearest verb-group word before it, within the clause, if that is a copula."""
    for k in range(conjunction - 1, max(-1, conjunction - _MAX_SHARED), -1):
        if site.is_boundary(k):
            return None
        word = site.norm(k)
        if word in _GROUP:
            return word if word in LEXICON["copulas"] else None
    return None


def _have_before(site, no: int, first: int) -> int | None:
    """The "have" that "no" at token `no` is the object of ("has absolutely no say"), when only
    adverbs stand between them."""
    k = no - 1
    while k >= first and _adverb(site.norm(k)):
        k -= 1
    return k if k >= first and site.norm(k) in ("have", "has", "had") else None


def _voice(group: list[str], verb: str) -> str:
    """Passive when the last auxiliary (negators and adverbs aside) is a copula and the verb a
    participle: "must be assessed", "are not issued", "has been declined"; or "need" with a
    gerund, its passive sense: "the machine needs collecting" (it needs to be collected)."""
    auxiliaries = [w for w in group if w not in _NEGATORS and not _adverb(w)]
    if auxiliaries and auxiliaries[-1] in LEXICON["copulas"] and participle(verb):
        return "passive"
    return "passive" if auxiliaries and auxiliaries[-1] in ("need", "needs") and _gerund(verb) else "active"


def _gerund(word: str) -> bool:
    """An -ing form long enough to be a verb's ("collecting", not "king" or "thing")."""
    return len(word) > 5 and word.endswith("ing") and word not in LEXICON["not_progressive"]


def _polarity(site, subject: int | None, group: list[str]) -> str:
    negative_subject = subject is not None and site.norm(subject) in LEXICON["negative_subjects"]
    return "negative" if negative_subject or any(w in _NEGATORS for w in group) else "positive"


def participle(word: str) -> bool:
    """A past participle: "-ed", "-en", or an irregular form ("sent", "reset", "read")."""
    return (len(word) > 3 and (word.endswith(("ed", "en")) or word in _IRREGULAR)) or word in _PARTICIPLES


def _auxiliary_after(site, k: int, word: str) -> bool:
    """Whether a verb-group word after the match is an auxiliary. After "not", do-forms are main
    verbs ("we don't do refunds"), and so are "have" unless "to" or "been" follows and "need"
    unless "to" follows (or, after a modal, a participle: "must have spent")."""
    if word in ("do", "does", "did"):
        return False
    nxt = site.norm(k + 1) if k + 1 < len(site.doc) else ""
    if word in ("have", "has", "had"):
        # "have to close", "have been", and a perfect after a modal: "must have spent"
        return nxt in ("to", "been") or (site.norm(k - 1) in _MODALS_BEFORE_PERFECT and participle(nxt))
    if word in ("need", "needs"):
        return nxt == "to"  # "we no longer need the photos": the verb
    return True


_MODALS_BEFORE_PERFECT = frozenset(("must", "should", "could", "would", "might", "may"))


def _past_form(verb: str) -> bool:
    """A simple past: "-ed" ("received"), or an irregular form (`irregular_verbs`: "got", "sent")."""
    return (verb.endswith("ed") and len(verb) > 4) or verb in _IRREGULAR


def _modality(group: list[str], verb: str) -> str:
    words = set(group)
    if not words & _FINITE:
        return "fragment"
    has_to = any((w in ("have", "has", "had", "need", "needs", "gotta") or (w == "got" and words & {"have", "has"}))
                 and n == "to" for w, n in zip(group, group[1:]))
    if words & LEXICON["modal_possibility"]:
        return "possibility"  # hedged: "you may need to", "it might not be available"
    if "must" in words and any(w == "must" and n in ("have", "'ve", "’ve") for w, n in zip(group, group[1:])) \
            and not has_to:
        return "possibility"  # an inference, no order: "you must have spent a whole weekend on it"
    # "you'll need a receipt"; "it needs collecting" (a gerund: needs to be collected)
    needs = bool({"need", "needs"} & words) and (verb in LEXICON["subject_determiners"] or _gerund(verb))
    if has_to or needs or words & LEXICON["modal_obligation"]:
        return "obligation"
    if words & LEXICON["modal_ability"]:
        return "past" if words & {"was", "were"} else "ability"  # "I was not able to find it"
    if words & LEXICON["modal_permission"]:
        return "permission"
    if words & LEXICON["modal_intention"]:
        return "intention"
    if words & LEXICON["perfect_auxiliaries"] and verb not in ("to",):
        return "perfect"
    if words & LEXICON["copulas"]:
        return "progressive" if verb.endswith("ing") and verb not in LEXICON["not_progressive"] else "state"
    if "did" in words or ("never" in words and not words & {"do", "does"} and (_past_form(verb) or "got" in words)):
        return "past"  # "I never got round to it", "we never received the form": a fact
    if words & {"do", "does", "never", "longer"}:
        return "habit"  # "we don't offer", "we never share", "we no longer ship"
    return "fragment"  # no finite verb: "concerns not covered in the terms"



def _owned_by(site, subject: int | None, owner: str) -> bool:
    """The subject is `owner`'s thing: opened by one of its possessives ("your PR", "our team"),
    or, for the customer, a subject with no possessive whose noun is something customers send in
    (`customer_works`: "bug reports must use the template")."""
    if subject is None:
        return False
    first = site.norm(subject)
    if first in LEXICON[f"{owner}_possessives"]:
        return True
    if owner != "customer" or first in LEXICON["agent_possessives"]:
        return False
    for k in range(subject, min(subject + _MAX_SUBJECT, len(site.doc))):
        word = site.norm(k)
        if word in _CUSTOMER_WORKS:
            return True
        if word in _GROUP or site.is_boundary(k):
            return False
    return False

# ---------------------------------------------------------------- the frame condition


def validate(option: Any) -> dict[str, Any]:
    """A frame option, checked: raises ValueError naming the bad key."""
    from phraselint.errors import did_you_mean

    if not isinstance(option, dict) or not option:
        raise ValueError("'frame' takes a mapping: actor, polarity, modality, verbs, not_verbs")
    for key, value in option.items():
        kind = FRAME_KEYS.get(key)
        if kind is None:
            raise ValueError(f"unknown frame key '{key}'{did_you_mean(str(key), FRAME_KEYS)}")
        choices = {"actor": ACTORS, "modality": MODALITIES, "polarity": POLARITIES, "voice": VOICES,
                   "owner": OWNERS}.get(key)
        if kind == "one":
            if value not in choices:
                raise ValueError(f"frame '{key}' must be one of: {', '.join(choices)}")
            continue
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError(f"frame '{key}' takes a list of {'words' if kind == 'words' else 'names'}")
        for v in value if choices else ():
            if v not in choices:
                raise ValueError(f"frame '{key}': unknown '{v}'{did_you_mean(v, choices)}; one of {', '.join(choices)}")
    return option


@dataclass(frozen=True)
class Frame:
    actors: frozenset[str]
    polarity: str | None
    voice: str | None
    modalities: frozenset[str]
    verbs: frozenset[str] | None  # base forms; None: any verb
    not_verbs: frozenset[str]
    objects: frozenset[str] | None = None  # what the verb is done to; None: anything
    owner: str | None = None  # whose thing the subject is: "your PR" (customer), "our team" (agent)

    @classmethod
    def compile(cls, option: dict[str, Any]) -> Frame:
        def words(key):
            return frozenset(" ".join(w.lower().split()) for w in option[key]) if key in option else None

        return cls(frozenset(option.get("actor", ACTORS)), option.get("polarity"), option.get("voice"),
                   frozenset(option.get("modality", MODALITIES)), words("verbs"), words("not_verbs") or frozenset(),
                   words("objects"), option.get("owner"))

    @staticmethod
    def _verb_in(site, clause: Clause, words: frozenset[str]) -> int:
        """How many tokens of the verb one of `words` covers: 0 (none), 1, or 2-3 for an entry
        of several words ("price match", "something we", "have the rights")."""
        if clause.verb is None:
            return 0
        keys = clause.verb_keys(site.doc)
        for n in (2, 1):  # "have the rights", then "price match"
            if not keys[n].isdisjoint(words):
                return n + 1
        return 1 if not keys[0].isdisjoint(words) else 0

    def verb_length(self, site, clause: Clause) -> int:
        """0 when the clause does not have this frame; else how many tokens its verb spans."""
        if clause.actor not in self.actors or clause.modality not in self.modalities:
            return 0
        if (self.polarity and clause.polarity != self.polarity) or (self.voice and clause.voice != self.voice):
            return 0
        if self.owner and not _owned_by(site, clause.subject, self.owner):
            return 0
        length = 1
        if self.verbs is not None:
            length = self._verb_in(site, clause, self.verbs)
            if not length:
                return 0
        if self.not_verbs and self._verb_in(site, clause, self.not_verbs):
            return 0
        if self.objects is not None and not self._object_in(site, clause.verb + length):
            return 0
        return length

    def _object_in(self, site, start: int) -> bool:
        """One of `objects` within a few tokens after the verb, in its clause: "we don't have
        the streaming *rights*", "we don't have an out of office *option*"."""
        doc = site.doc
        for k in range(start, min(len(doc), start + _MAX_OBJECT)):
            word = doc[k].norm_
            if word in self.objects:
                return True
            if site.is_boundary(k) or word in _OBJECT_ENDS:
                return False  # the object ended: "an official timeline | for the feature"
        return False
