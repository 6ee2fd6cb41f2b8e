"""The spaCy pipeline and the matching: phrases on normalized tokens, token patterns, regexes.

spaCy is imported here, lazily, so that `phraselint --help` and `phraselint rules` stay fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from phraselint import cache, context, suggest
from phraselint.contractions import contracted
from phraselint.errors import PhraselintError, say
from phraselint.primer import primed
from phraselint.probes import Probe, ProbeIndex, probe_of
from phraselint.regexes import compile_fast, folded_source, folds_safely, parsed
from phraselint.rules import Rule, Suggestion, is_builtin
from phraselint.text import MARK, ReplyText, build_view, pieces, runs_cut

#: spaCy refuses texts over 1,000,000 characters; longer views are linted in chunks this long.
CHUNK_CHARS = 100_000
#: Paragraphs are joined into pieces of about this many characters (see `_split`).
PARAGRAPH_CHARS = 1_000
#: A paragraph longer than this (a page flattened to one line, prose with no breaks) is cut at
#: sentence ends into pieces of about `SENTENCE_RUN_CHARS`: the tokenizer's cache, lost for the rest
#: of a Doc at its first contraction, comes back with each piece (2 MB of prose tokenizes in about
#: half the time in 2,000-character pieces as in 100,000-character ones).
LONG_PARAGRAPH_CHARS = 4_000
SENTENCE_RUN_CHARS = 2_000
#: A sentence end to cut a long paragraph after: . ! or ? (and a closing quote or bracket), space,
#: then a capital, a digit or an opening quote ("… Inc. we" and "e.g. the" are not cut).
_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*\s+(?=[A-Z0-9\"'‘“(])")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_ATTRS = {"norm": "NORM", "lower": "LOWER", "orth": "ORTH"}
# Plain words and single spaces: the tokenizer would return exactly these words (unless one is
# a special case such as "cannot"), so their Doc can be built without running it.
_PLAIN_PHRASE = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")
_APOSTROPHES = ("'", "’")
_WORD = re.compile(r"[A-Za-z]*")


def _cased_contractions(text: str) -> set[str]:
    """Words with an apostrophe next to an upper-case letter: "CAN'T", "'Bout", "YOU’LL"."""
    forms = set()
    for p in _apostrophes(text):
        if not ((p and text[p - 1].isupper()) or text[p + 1:p + 2].isupper()):
            continue
        left = p
        while left and text[left - 1].isascii() and text[left - 1].isalpha():
            left -= 1
        end = _WORD.match(text, p + 1).end()
        if end > p + 1:
            forms.add(text[left:end])
    return forms


def _apostrophes(text: str) -> Iterator[int]:
    """Where `text` has an apostrophe (' or ’), each kind in turn. Found with `str.find`: a regex
    scan for a character class tests every character, several times slower."""
    for quote in _APOSTROPHES:
        p = text.find(quote)
        while p >= 0:
            yield p
            p = text.find(quote, p + 1)


@dataclass
class Hit:
    """A finding before it is placed in a file: a rule and a span of the reply text."""

    rule: Rule
    start: int
    end: int
    #: The rule's suggestions, shaped to the match (capitals), with their safety and kind.
    suggestions: list[Suggestion]
    #: Whether the match opens its sentence.
    sentence_start: bool = False

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.suggestions]


def load_pipeline(model: str | None = None):
    """`spacy.blank("en")` plus a sentencizer, or an installed trained pipeline."""
    import spacy

    if model:
        try:
            nlp = spacy.load(model)
        except Exception as exc:  # spaCy raises many kinds for a name that is not a pipeline
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise PhraselintError(f"cannot load spaCy pipeline '{model}': {first}") from None
    else:
        nlp = spacy.blank("en")
    for word, norm in context.LEXICON["norm_exceptions"].items():
        for form in {word, word.capitalize(), word.upper()}:  # "Did you even try", "DID"
            nlp.vocab[form].norm_ = norm
    # No sentencizer in the pipeline: it would walk every token of every reply in Python. Rules
    # need sentence boundaries only around a match; context.Site finds them there, by the
    # sentencizer's own rule, or takes them from a trained pipeline's parser or senter.
    return nlp


class _PackRegex:
    """A pack regex of a rule, compiled at its first use (a short check runs a few of them), with
    its probe and the source of its case-sensitive twin for the lowered text (`folded_source`),
    which is used in its place where the lowering keeps every offset."""

    __slots__ = ("source", "rule", "probe", "folded_source", "_plain", "_folded")

    def __init__(self, source: str, rule: _CompiledRule, found: Probe | None, folded: str | None):
        self.source, self.rule, self.probe, self.folded_source = source, rule, found, folded
        self._plain: re.Pattern | None = None
        self._folded: re.Pattern | None = None

    def finditer(self, text: str, lowered: str, folds: bool) -> Iterator[re.Match]:
        if folds and self.folded_source is not None:
            if self._folded is None:
                try:
                    self._folded = compile_fast(self.folded_source)
                except re.error:  # two group names that lowering made one: the original, then
                    self.folded_source = None
                    return self.finditer(text, lowered, folds)
            return self._folded.finditer(lowered)
        if self._plain is None:
            self._plain = re.compile(self.source)
        return self._plain.finditer(text)


def _analysed(sources: list[str]) -> list[tuple[Probe | None, str | None]]:
    """Each regex source's probe and folded source, from the cache when it has them (reading 90
    patterns' parse trees is a twentieth of a cold check)."""
    def build() -> list[tuple[Probe | None, str | None]]:
        trees = [parsed(s) for s in sources]  # one parse each, for both (no compiling)
        return [(probe_of(t), folded_source(s, t)) if t is not None else (None, None) for s, t in zip(sources, trees)]

    return cache.cached("regexes", tuple(s.encode("utf-8", "surrogatepass") for s in sources), build,
                        valid=lambda value: isinstance(value, list) and len(value) == len(sources))


class _CompiledRule:
    def __init__(self, rule: Rule, normalize, phrase_key):
        self.rule = rule
        self.builtin = is_builtin(rule)
        self.checks = context.compile_context(rule.context, normalize)
        #: Text-wide tests a Doc must pass before the rule's regexes are run over it at all.
        self.gates = context.gates_of(rule.context)
        self.glossary = {phrase_key(term): alt for term, alt in rule.match.glossary.items()}


@dataclass
class Reading:
    """What a reply-level analyzer needs of a reply, in positions of its lint view (`view.to_reply`
    maps them back): its sentences, what the analyzer's observer collected from the reply's
    Docs, and every rule match, reported or not, as `(rule, start, end)`."""

    view: Any
    sentences: list[tuple[int, int]]
    observed: list
    matches: list[tuple[Rule, int, int]]


class Engine:
    def __init__(self, rules: list[Rule], model: str | None = None, warn=None, nlp=None,
                 observer: Callable[[Any, Callable], Any] | None = None):
        """`nlp` reuses a pipeline from `load_pipeline` (several engines, one spaCy load).
        `observer(nlp, make_doc)`: builds what a reply-level analyzer reads from each Doc the
        rules matched (an object with `collect(doc, base, text) -> list`); given, `analyse` also
        yields a `Reading` of each reply. Reply-level rules in `rules` are not matched here."""
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = nlp if nlp is not None else load_pipeline(model)
        self.observer = observer(self.nlp, self._phrase_doc) if observer is not None else None
        rules = [r for r in rules if r.check is None]
        # Only a trained pipeline's own components set sentence boundaries (asking a Doc whether
        # it has them walks every token).
        self._sets_sentences = any(p in self.nlp.pipe_names for p in ("parser", "senter", "sentencizer"))
        #: Whether the pipeline has components after its tokenizer (asking spaCy builds a list).
        self._has_components = bool(self.nlp.pipe_names)
        self._special_seen: set[str] = set()
        warn = warn or say
        pipes = set(self.nlp.pipe_names)
        self.rules = []
        for rule in rules:
            missing = [p for p in rule.requires if p not in pipes]
            if missing:
                warn(f"rule {rule.id} skipped: it needs a pipeline with {', '.join(missing)} (see --model)")
            else:
                self.rules.append(rule)
        vocab = self.nlp.vocab
        self._by_key: dict[int, _CompiledRule] = {}
        self._phrase_matchers: dict[str, Any] = {}
        self._matcher = Matcher(vocab, validate=True)
        #: Each pack regex, with its rule (`_PackRegex`).
        self._regexes: list[_PackRegex] = []
        pending: list[tuple[str, _CompiledRule]] = []
        make_doc = self._phrase_doc
        special = self.nlp.tokenizer.rules

        def normalize(phrase: str) -> tuple[str, ...]:
            words = phrase.split(" ")
            if _PLAIN_PHRASE.fullmatch(phrase) and not any(w.lower() in special for w in words):
                return tuple(vocab[w].norm_ for w in words)
            return tuple(t.norm_ for t in make_doc(phrase) if not t.is_space)

        for rule in self.rules:
            attr = _ATTRS[rule.match.attr]

            def phrase_key(phrase: str, attr=attr) -> tuple[str, ...]:
                return tuple(_attr_text(t, attr) for t in make_doc(phrase) if not t.is_space)

            compiled = _CompiledRule(rule, normalize, phrase_key)
            key = vocab.strings.add(rule.id)
            self._by_key[key] = compiled
            phrases = rule.match.all_phrases()
            if phrases:
                pm = self._phrase_matchers.get(attr)
                if pm is None:
                    pm = self._phrase_matchers[attr] = PhraseMatcher(vocab, attr=attr)
                pm.add(rule.id, [make_doc(p) for p in contracted(phrases)])
            if rule.match.patterns:
                try:
                    self._matcher.add(rule.id, rule.match.patterns)
                except (ValueError, KeyError, TypeError, re.error) as exc:
                    msg = " ".join(str(exc).split())[:300]
                    raise PhraselintError(f"rule {rule.id}: bad token pattern: {msg}", rule.source, rule.line) from None
            pending.extend((rx, compiled) for rx in rule.match.regex)
        analysed = _analysed([rx for rx, _ in pending])
        self._regexes = [_PackRegex(rx, compiled, *found) for (rx, compiled), found in zip(pending, analysed)]
        #: Which regexes a text may match, by their probes.
        self._probes = ProbeIndex([rx.probe for rx in self._regexes])

    # ------------------------------------------------------------ tokenizer support

    def _phrase_doc(self, phrase: str):
        """A Doc of a rule phrase, tokenized exactly as text would be, built fast when plain."""
        from spacy.tokens import Doc

        words = phrase.split(" ")
        special = self.nlp.tokenizer.rules
        if _PLAIN_PHRASE.fullmatch(phrase) and not any(w in special or w.lower() in special for w in words):
            return Doc(self.nlp.vocab, words=words)
        return self.nlp.make_doc(phrase)

    def _add_cased_contractions(self, text: str) -> None:
        """Split "CAN'T" like "can't": spaCy's special cases exist only in lower and title case."""
        tokenizer = self.nlp.tokenizer
        for form in _cased_contractions(text) - self._special_seen:
            self._special_seen.add(form)
            base = tokenizer.rules.get(form.lower())
            if not base or form in tokenizer.rules:
                continue
            pieces, i = [], 0
            for tok in base:
                n = len(tok[65])  # 65 is spacy.attrs.ORTH
                pieces.append({**tok, 65: form[i:i + n]})
                i += n
            if i != len(form):
                continue
            tokenizer.add_special_case(form, pieces)
            tokenizer.add_special_case(form + ".", pieces + [{65: "."}])
            primed(self.nlp).forget()  # adding a special case empties the tokenizer's cache

    # ------------------------------------------------------------ matching

    def lint(self, replies: Iterable[ReplyText], batch_size: int = 64) -> Iterator[list[Hit]]:
        """Hits for each reply, in order, as positions in the reply's text."""
        for hits, _ in self.analyse(replies, batch_size):
            yield hits

    def analyse(self, replies: Iterable[ReplyText], batch_size: int = 64) -> Iterator[tuple[list[Hit], Reading | None]]:
        """For each reply, in order: its hits, and (with signals) its `Reading`."""
        from phraselint import sentences

        def chunks():
            for reply in replies:
                view = build_view(reply)
                parts = _split(view.text)
                part = next(parts)
                for following in parts:  # one part ahead, to know which part is the last
                    self._add_cased_contractions(part[1])
                    yield part[1], (view, part[0], part[1], False, reply)
                    part = following
                self._add_cased_contractions(part[1])
                yield part[1], (view, part[0], part[1], True, reply)

        hits: list[tuple[_CompiledRule, int, int, Any]] = []
        observed: list = []
        parsed: list[tuple[int, int]] | None = None
        for doc, (view, base, text, last, reply) in self._docs(chunks(), batch_size):
            whole = reply.whole
            # A part of a page too long to be one reply is read on its own (`whole` False).
            hits.extend(self._doc_hits(doc, base, text, reply.text if whole else None))
            # A part of a text too long to be one reply is not coached: nothing to observe.
            if self.observer is not None and whole:
                observed.extend(self.observer.collect(doc, base, text))
                if self._sets_sentences and doc.has_annotation("SENT_START"):
                    parsed = (parsed or []) + [(base + s, base + e) for s, e in sentences.from_doc(doc)]
            if last:
                reading = None
                if self.observer is not None:
                    spans = parsed if parsed is not None else sentences.spans(view.text) if whole else []
                    reading = Reading(view, spans, observed, [(h[0].rule, h[1], h[2]) for h in hits])
                yield self._finish(hits, view), reading
                hits, observed, parsed = [], [], None

    def _docs(self, items: Iterator[tuple[str, Any]], batch_size: int) -> Iterator[tuple[Any, Any]]:
        """`(doc, context)` for each `(text, context)`, as `nlp.pipe(as_tuples=True)` makes them,
        tokenized by the pipeline's tokenizer, its cache kept full (`primer.primed`, looked up at
        each call: a tokenizer the caller swapped in is the one used). A pipeline without
        components (the blank default) is its tokenizer alone: calling that directly skips
        `pipe`'s batching machinery, a tenth of the time of tokenizing a reply."""
        tokenize = primed(self.nlp)
        docs = ((tokenize(text), context) for text, context in items)
        if self._has_components:
            return self.nlp.pipe(docs, as_tuples=True, batch_size=batch_size)
        return docs

    def _doc_hits(self, doc, base: int, text: str, reply_text: str | None = None):
        """`text`: the Doc's text (`doc.text` would rebuild it token by token); `reply_text`: the
        whole reply's, code and all (for conditions on the reply as a whole)."""
        candidates = []
        for pm in self._phrase_matchers.values():
            candidates.extend(pm(doc))
        if len(self._matcher):
            candidates.extend(self._matcher(doc))
        # Once per doc, not per match (it walks every token), and only when something will read it.
        parsed = bool(candidates or self._regexes) and doc.has_annotation("SENT_START")
        # Clauses read in this Doc, shared by the rules' frames (and its text, and the reply's).
        read: dict = {"_text": text, "_reply": reply_text}
        for key, start, end in candidates:
            compiled = self._by_key[key]
            site = context.Site(doc, start, end, parsed=parsed, clauses=read)
            if _holds(compiled.checks, site):
                widened = _unmasked(doc, text, *site.span(compiled.rule.match.extend), start, end)
                if widened is None:
                    continue
                span = doc[slice(*widened)]
                site.start = span.start
                yield compiled, base + span.start_char, base + span.end_char, _sentence_start(site), site.verb_word
        regexes = self._regexes
        gates: dict = {}  # each gate's answer for this text (rules share them)
        runs: dict[str, list] = {}  # each regex's matches in this text (two rules may share a regex)
        lowered = text.lower() if regexes else text
        folds = folds_safely(text, lowered)
        for i in self._probes.candidates(text, lowered) if regexes else ():
            rx = regexes[i]
            compiled = rx.rule
            if compiled.gates and not all(gates[g] if g in gates else gates.setdefault(g, g(text))
                                          for g in compiled.gates):
                continue  # the rule cannot hold anywhere in this text ("three acronyms or more")
            found = runs.get(rx.source)
            if found is None:
                found = runs[rx.source] = list(rx.finditer(text, lowered, folds))
            for m in found:
                if MARK in m.group() or m.end() == m.start():
                    continue
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is None:
                    continue
                site = context.Site(doc, span.start, span.end, parsed=parsed, clauses=read)
                if _holds(compiled.checks, site):
                    start, end = m.start(), m.end()
                    if compiled.rule.match.extend:  # widened to the subject or verb the context found
                        first, last = _unmasked(doc, text, *site.span(compiled.rule.match.extend), span.start, span.end)
                        start, end = min(start, doc[first].idx), max(end, doc[last - 1].idx + len(doc[last - 1]))
                        site.start = first
                    yield compiled, base + start, base + end, _sentence_start(site), site.verb_word

    def _finish(self, raw_hits, view) -> list[Hit]:
        # On the same span, a team's own rule (its pack, its config glossary) wins over a built-in one.
        raw_hits.sort(key=lambda h: (h[1], -h[2], h[0].builtin, h[0].rule.id))
        kept: list[tuple] = []
        for h in raw_hits:
            compiled, start, end = h[:3]
            if any(k[1] <= start and end <= k[2] and (k[0] is compiled or (k[1], k[2]) != (start, end))
                   for k in kept[-8:]):
                continue  # the same rule again, or a span inside a longer, more specific finding
            if any(k[0].rule.category == compiled.rule.category and start < k[2] for k in kept[-8:]):
                continue  # overlaps an earlier finding of the same rule or family: one problem, one finding
            kept.append(h)
        out = []
        for compiled, start, end, sentence_start, verb in kept:
            matched = view.text[start:end]
            shaped = [Suggestion(suggest.shape(s.text, matched, sentence_start), s.safety, s.kind)
                      if s.kind == "replace" else s for s in suggest.with_verb(compiled.rule.suggestions, verb)]
            if compiled.glossary:
                alt = compiled.glossary.get(_key_of(self.nlp, matched, compiled.rule.match.attr))
                if alt:  # a term's capitals are its own ("WidgetCare+"): only a sentence start capitalizes
                    shaped.insert(0, Suggestion(suggest.shape(alt, matched.lower(), sentence_start)))
            rs, re_ = view.to_reply.span(start, end)
            unique = list({s.text: s for s in reversed(shaped)}.values())[::-1]
            out.append(Hit(compiled.rule, rs, re_, unique, sentence_start))
        return out


def _attr_text(token, attr: str) -> str:
    return token.norm_ if attr == "NORM" else token.lower_ if attr == "LOWER" else token.text


def _key_of(nlp, text: str, attr: str) -> tuple[str, ...]:
    return tuple(_attr_text(t, _ATTRS[attr]) for t in nlp.make_doc(text) if not t.is_space)


def _unmasked(doc, text: str, first: int, last: int, start: int, end: int) -> tuple[int, int] | None:
    """Tokens `[first, last)` of a finding widened from its match `[start, end)`, narrowed to
    leave out masked text ("your request to install {{app}} has been declined" is reported from
    "has"); None when the match itself holds some. `text` is the Doc's text."""
    if MARK not in text[doc[first].idx:doc[last - 1].idx + len(doc[last - 1])]:
        return first, last  # the common case, read in one slice
    if any(MARK in doc[k].text for k in range(start, end)):
        return None
    for k in range(start - 1, first - 1, -1):
        if MARK in doc[k].text:
            first = k + 1
            break
    for k in range(end, last):
        if MARK in doc[k].text:
            last = k
            break
    return first, last


def _holds(checks: list[tuple[Callable, Any]], site: context.Site) -> bool:
    """Whether every check of a rule holds at `site`, the first failing one ending it (a loop:
    `all()` over a generator costs twice as much, for a dozen candidate matches a Doc)."""
    for check, option in checks:
        if not check(site, option):
            return False
    return True


def _sentence_start(site: context.Site) -> bool:
    """Whether the match opens its sentence (ignoring masked handles and greetings' punctuation)."""
    i = site.start - 1
    while i >= site.sent_start and (site.doc[i].is_space or MARK in site.doc[i].text):
        i -= 1
    return i < site.sent_start


def _split(text: str) -> Iterator[tuple[int, str]]:
    """The view in pieces for spaCy (`_paragraphs`), a long run without a space cut up
    (`runs_cut`: the tokenizer's time on one is quadratic)."""
    for base, part in _paragraphs(text):
        for start, end in runs_cut(part):
            yield base + start, part if end - start == len(part) else part[start:end]


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """Paragraphs, joined while short (spaCy's tokenizer stops caching for the rest of a Doc
    after its first contraction, so paragraph-sized Docs are about three times cheaper than one
    long one). A paragraph over CHUNK_CHARS (spaCy refuses a million) is cut at a sentence
    break, else a space, near the limit."""
    if len(text) <= PARAGRAPH_CHARS:
        yield 0, text
        return
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if m.end() - start >= PARAGRAPH_CHARS:
            yield from _pieces(text, start, m.end())
            start = m.end()
    if start < len(text):
        yield from _pieces(text, start, len(text))


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    if end - start > LONG_PARAGRAPH_CHARS:
        yield from _sentence_runs(text, start, end)
        return
    part = text[start:end]
    for s, e in pieces(part, CHUNK_CHARS, ("\n\n", ". ", " ")):
        yield start + s, part[s:e]


def _sentence_runs(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """`text[start:end]`, a long paragraph, in runs of whole sentences of about
    `SENTENCE_RUN_CHARS` each; a run with no sentence end in reach is cut as `_pieces` cuts."""
    while end - start > SENTENCE_RUN_CHARS:
        cut = None
        for m in _SENTENCE_END.finditer(text, start + SENTENCE_RUN_CHARS // 2, min(end, start + SENTENCE_RUN_CHARS * 2)):
            cut = m.end()
            if cut >= start + SENTENCE_RUN_CHARS:
                break
        if cut is None:  # no sentence end: the old cut, at most CHUNK_CHARS
            limit = min(end, start + CHUNK_CHARS)
            part = text[start:limit]
            s, e = next(pieces(part, CHUNK_CHARS, (". ", " ")))
            cut = start + e
        yield start, text[start:cut]
        start = cut
    if start < end:
        yield start, text[start:end]
