"""The primed tokenizer gives spaCy's own tokens, however its cache was filled."""

import random

import pytest

spacy = pytest.importorskip("spacy")

from phraselint.primer import MAX_CHUNK, PrimedTokenizer, primed  # noqa: E402

PIECES = list("ab'’.,;:!?()[]\"-_/@#%&*+<>") + [
    " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2028", "\x1c", "é", "😀", "n't", "can't", "I'm", "DON'T",
    "Pls", "didn't", "http://x.co/a", "e.g.", "U.S.", "we", "refund", "sorry", "'bout", ":)", "{{name}}"]


def _tokens(doc):
    return [(t.text, t.whitespace_, t.norm_, t.lex.orth) for t in doc]


def _texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40))) for _ in range(n)]


def test_same_tokens_as_the_tokenizer_alone():
    texts = _texts(1, 1500) + ["We can't refund it, sorry. I'm on it: (don't worry).\n\nThanks!"]
    reference = spacy.blank("en").tokenizer
    expected = [_tokens(reference(t)) for t in texts]
    tokenizer = PrimedTokenizer(spacy.blank("en").tokenizer)
    for _ in range(2):  # the second time round, every chunk is primed
        assert [_tokens(tokenizer(t)) for t in texts] == expected


def test_forget_after_a_special_case():
    nlp = spacy.blank("en")
    tokenizer = primed(nlp)
    assert [t.text for t in tokenizer("WONT go")] == ["WONT", "go"]
    nlp.tokenizer.add_special_case("WONT", [{"ORTH": "WO"}, {"ORTH": "NT"}])
    tokenizer.forget()
    assert not tokenizer._seen
    assert [t.text for t in tokenizer("WONT go")] == ["WO", "NT", "go"]


def test_primes_no_more_than_its_limit():
    tokenizer = PrimedTokenizer(spacy.blank("en").tokenizer, limit=3)
    doc = tokenizer("one two three four five")
    assert len(doc) == 5
    assert len(tokenizer._seen) == 3
    tokenizer("six seven")
    assert len(tokenizer._seen) == 3


def test_the_limit_is_spacys_cache_size():
    tokenizer = spacy.blank("en").tokenizer
    assert PrimedTokenizer(tokenizer).limit == tokenizer.max_cache_size


def test_chunks_that_may_meet_a_special_case_are_not_primed():
    tokenizer = PrimedTokenizer(spacy.blank("en").tokenizer)
    for chunk in ("can't", "(e.g.", "Mr.,", ":)", "wed", "it’s"):
        assert tokenizer._may_be_special(chunk), chunk
    for chunk in ("refund,", "(order", "today."):
        assert not tokenizer._may_be_special(chunk), chunk


def test_one_primer_per_pipeline():
    nlp = spacy.blank("en")
    assert primed(nlp) is primed(nlp)
    assert primed(nlp) is not primed(spacy.blank("en"))


def test_long_chunks_are_neither_primed_nor_remembered():
    tokenizer = PrimedTokenizer(spacy.blank("en").tokenizer)
    blob = "x" * (MAX_CHUNK + 1)
    doc = tokenizer(f"see {blob} here")
    assert [t.text for t in doc] == ["see", blob, "here"]
    assert tokenizer._seen == {"see", "here"}


def test_an_engine_follows_a_swapped_tokenizer():
    from phraselint.engine import Engine

    nlp = spacy.blank("en")
    engine = Engine([], nlp=nlp)
    swapped = spacy.blank("en").tokenizer
    swapped.add_special_case("ACME", [{"ORTH": "AC"}, {"ORTH": "ME"}])
    nlp.tokenizer = swapped
    docs = [doc for doc, _ in engine._docs(iter([("ACME help", None)]), 8)]
    assert [t.text for t in docs[0]] == ["AC", "ME", "help"]
