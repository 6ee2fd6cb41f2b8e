"""Regex probes: the literals every match of a pack's regex holds, so a text without them skips it;
the scan that finds many literals at once; the index that names the regexes a text may match."""

from __future__ import annotations

import random
import re

import pytest

from phraselint.probes import LiteralScan, Probe, ProbeIndex, probe


@pytest.mark.parametrize("pattern, expected", [
    # single literals first, the longer (rarer) one first: the cheapest test, likeliest to fail
    (r"\bis the (?:\w+'s )?responsibility\b", Probe((("responsibility",), ("is the ",)), False)),
    (r"(?i)\btoo (?:\w+ ){1,2}to (?:ship|merge)\b", Probe((("too ",), ("to ",), ("ship", "merge")), True)),
    (r"(?i)as the (?:Dialog|page) (?:warned|warns)\b", Probe((("as the ",), (" warn",), ("dialog", "page")), True)),
    (r"[A-Z][A-Z0-9]{1,4}\b", None),       # no literal at all
    (r"\b(?:read|check) the docs", Probe(((" the docs",), ("read", "check")), False)),
    (r"(?:go|read) it", Probe(((" it",),), False)),  # "go" is too short to look for: no need of the choice
    (r"(?:read)?\bto", None),                # an optional group holds nothing every match must
    (r"(?:abc)+x", Probe((("abc",),), False)),   # a required repeat holds its body's literals
    (r"x(?i:abc)", None),                  # a group with its own case rule is not read
    # a lookaround or \b consumes nothing: the literal run goes on across it ("no ")
    (r"(?i)n(?<![\w'’].)o (?:refund|credit)\b", Probe((("no ",), ("refund", "credit")), True)),
    # a literal that holds another of its choice is no test of its own ("mention" covers "mentioned")
    (r"(?:mentioned|mention|mentions) it", Probe((("mention",), (" it",)), False)),
])
def test_probe_finds_the_literals_every_match_holds(pattern, expected):
    assert probe(re.compile(pattern)) == expected


SEEDS = {  # each pattern, with texts it matches
    r"\bis the (?:\w+'s )?responsibility\b": "Damage in transit is the carrier's responsibility now",
    r"(?i)\btoo (?:\w+ ){1,2}to (?:ship|merge)\b": "It is too specialised to ship",
    r"(?i)\b(?:(?:please|go) )?(?:read|check) (?:the|our) (?:[\w-]+ ){0,2}(?:docs|documentation|faq|guide)\b":
        "Please read the setup docs first",
    r"(?i)as the (?:dialog|page) (?:warned|warns)\b": "You lost it, as the dialog warned",
    r"(?i)n(?<![\w'’].)o (?:refund|credit) (?:is|will be) (?:due|given)\b": "Sorry, no refund is due for this",
}
WORDS = ["is", "the", "THE", "our", "to", "TOO", "SHIP", "merge", "go", "Check", "faq", "guide", "page", "warns", "x",
         "no", "NO", "credit", "given", "uno"]


@pytest.mark.parametrize("pattern", list(SEEDS))
def test_a_text_the_probe_turns_away_never_matches(pattern):
    """The pattern's own text, mutated at random (words swapped, dropped, recased): whenever the
    pattern matches, the probe admits the text."""
    compiled, rng = re.compile(pattern), random.Random(pattern)
    needs = probe(compiled)
    seed = SEEDS[pattern].split()
    matched = missed = 0
    for _ in range(3000):
        words = list(seed)
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(len(words))
            words[i] = rng.choice([rng.choice(WORDS), words[i].upper(), ""])
        text = " ".join(w for w in words if w)
        if compiled.search(text):
            matched += 1
            assert needs.admits(text.lower() if needs.blind else text), text
        else:
            missed += 1
    assert matched and missed  # the texts fell on both sides of the pattern


def test_a_text_without_a_need_is_turned_away():
    needs = probe(re.compile(r"(?i)\b(?:read|check) the docs"))
    assert needs.admits("please read the docs".lower())
    assert not needs.admits("please see the docs".lower())


def test_the_literal_scan_finds_exactly_the_literals_a_text_holds():
    """One pass finds what a substring test of each literal finds: overlapping literals, one
    inside another ("mention", "mentioned", "men"), at the text's ends and in a row."""
    literals = ["mention", "mentioned", "men", "ent", "the", "there", "here", " the ", "you ", "our", "ou",
                "t&c", "a.b", "(x)", "zz", "has been", " not ", "a  b", " ", "x\ty", "in the end"]
    scan, rng = LiteralScan(literals), random.Random(7)
    pieces = literals + ["a", "b", " ", "x", "tion", "ed", "e", "h", "r", "\n", "not", "in", "end"]
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert scan.found(text) == {lit for lit in literals if lit in text}, text


def test_the_literal_scan_forgets_its_chunks_when_it_has_seen_too_many(monkeypatch):
    monkeypatch.setattr(LiteralScan, "MAX_CHUNKS", 10)
    scan = LiteralScan(["men", " not "])
    for k in range(100):
        text = f"w{k} men{k} not x"
        assert scan.found(text) == {"men", " not "}
        assert len(scan._chunks) <= 10 + len(text.split())


def test_a_probe_reads_the_scan_as_it_reads_the_text():
    needs = probe(re.compile(r"(?i)\b(?:read|check) the docs"))
    scan = LiteralScan(lit for need in needs.needs for lit in need)
    for text in ("please read the docs", "please see the docs", "check the docs, and read them", ""):
        assert needs.admits_found(scan.found(text)) == needs.admits(text)
    assert LiteralScan([]).found("anything") == frozenset()


@pytest.fixture(scope="module")
def pack_regexes():
    from phraselint.rules import load_rules

    out = [(rule, re.compile(rx)) for rule in load_rules() for rx in rule.match.regex]
    assert len(out) > 50
    return out


def test_the_probe_index_names_exactly_the_patterns_whose_probes_pass(pack_regexes):
    """`ProbeIndex.candidates` gives what testing each probe on its own gives, on the rules'
    examples and on them cut and joined at random."""
    probes = [probe(rx) for _, rx in pack_regexes]
    index = ProbeIndex(probes)
    texts = [e.text for rule, _ in pack_regexes for e in rule.flag_examples + rule.pass_examples]
    rng = random.Random(5)
    texts += [" ".join(rng.sample(texts, 3))[rng.randrange(40):] for _ in range(300)] + ["", "NO"]
    some = 0
    for text in texts:
        expected = [i for i, p in enumerate(probes)
                    if p is None or p.admits(text.lower() if p.blind else text)]
        assert index.candidates(text) == expected, text
        some += len(expected) < len(probes)
    assert some > len(texts) // 2  # the probes turned patterns away


def test_a_probe_of_the_parse_tree_is_the_probe_of_the_compiled_pattern(pack_regexes):
    from phraselint.probes import probe_of
    from phraselint.regexes import parsed

    for _, rx in pack_regexes:
        assert probe_of(parsed(rx.pattern)) == probe(rx), rx.pattern
