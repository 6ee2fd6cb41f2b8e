"""The customer's message (`--incoming`, an `incoming` field): does it report a problem, and
which words say so.

A coach applies empathy when the customer is upset or reports that something went wrong, not
when they ask a neutral question, say thanks, or report that it is fixed. The message is read
for:

- **complaints**: the pack's `complaint` and `emotion` signals ("never arrived", "charged
  twice", "ridiculous"), unless negated just before ("no problem", "not an issue");
- **failures**: a negated verb of something that should work or happen for the customer ("it
  doesn't load", "I haven't received", "nobody has replied", "it won't let me"): a negator, then
  within a few words one of the pack's `failure_verbs` (any inflection);
- **resolution and thanks**: the `resolved` signal ("it's working now", "all sorted") with no
  failure and no feeling word left: the problem is over. A thanks for something done ("thanks
  for your help", "thank you so much for …") closes the complaints before it and those in its
  own sentence ("thanks for helping when I had an issue"), not one after a turn or a later
  sentence ("Thanks for the reply, but it's still slow"); a sign-off "…, thanks" closes none.

A question ("can I still pre-order?", "why was there an update?"), praise and thanks show none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phraselint.clauses import verb_bases
from phraselint.text import LONG_RUN

#: Signals read from the customer's message only (never from the reply).
MESSAGE_SIGNALS = ("complaint", "emotion", "resolved", "thanks")
MESSAGE_WORD_SIGNALS = ("failure_verbs",)
_MESSAGE_CHARS = 100_000  # a message is read up to this length
_NEGATORS = frozenset(["not", "never", "cannot", "unable", "nobody", "nothing", "none", "n't", "n’t", "nt"])
#: Words that may stand between a negator and its verb: "hasn't even been delivered",
#: "still not able to log in", "can't seem to get".
_BETWEEN = frozenset("be been being even yet still ever able to really actually properly correctly seem seems "
                     "been got get a an the any my it them me us usually always anything of".split())
_MAX_BETWEEN = 4
_QUOTE_CHARS = 40  # the evidence quoted in a reason
#: After "thanks", words that make it thanks for something done ("thanks for sorting it").
_THANKS_FOR = frozenset(["for", "so", "a", "again"])
#: A complaint word right after one of these is none: "no problem", "not an issue", "without delay".
NEGATED_BY = frozenset(["no", "not", "never", "without", "nothing"])


@dataclass(frozen=True)
class MessageReading:
    """What the message shows: whether it reports a problem, and the words that show it."""

    problem: bool
    evidence: str = ""


class MessageReader:
    def __init__(self, nlp, signals: dict[str, list[str]]):
        from spacy.matcher import PhraseMatcher

        self._nlp = nlp
        self.failure_verbs = frozenset(w.lower() for w in signals.get("failure_verbs", ()))
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        for name in MESSAGE_SIGNALS:
            phrases = signals.get(name, ())
            if phrases:
                self.matcher.add(name, [nlp.make_doc(p) for p in phrases])
        self._names = {nlp.vocab.strings[name]: name for name in MESSAGE_SIGNALS}
        self._cache: dict[str, MessageReading] = {}

    def read(self, message: str) -> MessageReading:
        found = self._cache.get(message)
        if found is None:
            if len(self._cache) > 64:
                self._cache.clear()
            found = self._cache[message] = self._read(message)
        return found

    def _read(self, message: str) -> MessageReading:
        if not message.strip():
            return MessageReading(False)
        # A long run without a space (a row of "=", a data blob) is no word, and costs the
        # tokenizer its length squared: it is read as a space. A letter drawn out for feeling
        # is read once ("sllllooooow", "sooo slow").
        doc = self._nlp.make_doc(_DRAWN_OUT.sub(r"\1", LONG_RUN.sub(" ", message[:_MESSAGE_CHARS])))
        complaints, feelings, resolved, thanked = [], [], False, None
        for key, start, end in self.matcher(doc):
            name = self._names[key]
            if name == "resolved":
                resolved = True
            elif name == "thanks":
                if end < len(doc) and doc[end].norm_ in _THANKS_FOR and thanked is None:
                    thanked = start  # thanks for something done; not a sign-off: "…, thanks"
            elif not (start and doc[start - 1].norm_ in NEGATED_BY):
                (feelings if name == "emotion" else complaints).append((start, end))
        failure = self._failure(doc)
        if failure is not None:
            return MessageReading(True, quote(doc[failure[0]:failure[1]].text))
        # Thanks close what came before them ("it was late, but thanks for sorting it") and what
        # they thank for ("thanks for helping when I had an issue"), not a complaint after them
        # ("Thanks for the reply, but it's still broken"; "Thanks. It still crashes.").
        open_complaints = [c for c in complaints if not resolved and (thanked is None or _after(doc, thanked, c[0]))]
        if feelings or open_complaints:
            start, end = min(feelings or open_complaints)
            return MessageReading(True, quote(doc[start:end].text))
        return MessageReading(False)

    def _failure(self, doc) -> tuple[int, int] | None:
        """The first negated failure verb: "doesn't [load]", "haven't [received]"."""
        for i, tok in enumerate(doc):
            if tok.norm_ not in _NEGATORS and tok.lower_ not in _NEGATORS:
                continue
            k, seen = i + 1, 0
            while k < len(doc) and seen <= _MAX_BETWEEN and not doc[k].is_punct:
                word = doc[k].lower_
                if verb_bases(word) & self.failure_verbs:
                    first = i - 1 if i and doc[i - 1].norm_ not in ("i", "we", "you") and doc[i - 1].is_alpha else i
                    return first, k + 1
                if word not in _BETWEEN:
                    break
                k, seen = k + 1, seen + 1
        return None


#: A letter written three times or more in a row: no English word has one.
_DRAWN_OUT = re.compile(r"([A-Za-z])\1{2,}")
#: Words that turn from thanks to a complaint: "Thanks for the reply, *but* it's still broken".
_TURNS = frozenset(["but", "however", "though", "still", "yet", "except"])


def _after(doc, thanks: int, complaint: int) -> bool:
    """A complaint at token `complaint` still stands after the thanks at token `thanks`: it
    comes later, in a later sentence or after a turn ("but", "still")."""
    return complaint > thanks and any(doc[k].text in ".!?" or doc[k].norm_ in _TURNS for k in range(thanks, complaint))


def quote(text: str) -> str:
    """The evidence as a reason may quote it: one line, printable, short."""
    clean = " ".join("".join(c for c in text if c.isprintable()).split())
    return clean if len(clean) <= _QUOTE_CHARS else clean[:_QUOTE_CHARS - 1] + "…"
