"""A case-blind pack regex's case-sensitive twin, run on the lowered text: the same matches."""

from __future__ import annotations

import random
import re

import pytest

from phraselint.regexes import fold_case, folds_safely


@pytest.fixture(scope="module")
def pack_regexes():
    from phraselint.rules import load_rules

    out = [(rule, re.compile(rx)) for rule in load_rules() for rx in rule.match.regex]
    assert len(out) > 50
    return out


@pytest.mark.parametrize("pattern", [
    r"\bwe can't\b",               # case-sensitive already
    r"(?i)x(?-i:[A-Z]+)",          # a group with its own case rule
    r"(?i)[A-z]+",                 # a range mixing the cases and "[\]^_`"
    r"(?i)[À-ÿ]",                  # not ASCII
    r"(?i)\N{LATIN CAPITAL LETTER A}",
])
def test_a_pattern_that_may_not_fold_is_not_folded(pattern):
    assert fold_case(re.compile(pattern)) is None


def test_a_folded_pattern_lowers_its_letters_but_not_its_escapes():
    folded = fold_case(re.compile(r"(?ix)\bWe [A-Z]\S+ \W (?P<Who>You)(?P=Who)"))
    assert folded.pattern == r"(?x)\bwe [a-z]\S+ \W (?P<who>you)(?P=who)"
    assert not folded.flags & re.IGNORECASE


def _recased(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    for i in range(len(words)):
        words[i] = rng.choice([words[i], words[i].upper(), words[i].capitalize(), words[i].lower()])
    return " ".join(words)


def test_every_folded_pack_regex_finds_what_its_original_finds(pack_regexes):
    """Each built-in regex with a folded twin, on its rule's examples recased at random: the
    twin on the lowered text finds the same spans, whenever `folds_safely` says it may be used."""
    rng, compared, folded_count = random.Random(11), 0, 0
    for rule, rx in pack_regexes:
        folded = fold_case(rx)
        if folded is None:
            continue
        folded_count += 1
        for example in rule.flag_examples + rule.pass_examples:
            for _ in range(4):
                text = _recased(rng, example.text)
                lowered = text.lower()
                if folds_safely(text, lowered):
                    compared += 1
                    assert [m.span() for m in folded.finditer(lowered)] == [m.span() for m in rx.finditer(text)], (rule.id, text)
    assert folded_count > 50 and compared > 1000


@pytest.mark.parametrize("text", ["İ can't", "thıs", "ſorry", "ſ"])
def test_a_text_whose_lowering_moves_or_blurs_letters_is_not_folded(text):
    assert not folds_safely(text, text.lower())


def test_the_developer_test_reads_the_lowered_text_as_the_case_blind_pattern_reads_the_text():
    """`context.developer_text` on the lowered text (case-sensitive) says what the case-blind
    `_DEVELOPER` says of the text, on words recased and glued at random."""
    from phraselint import context

    words = ["Please", "REPORT", "the", "Commit", "repo", "reporter", "re-commit", "PR", "prs", "npm", "CI", "city",
             "Pull", "Request", "stack", "TRACE", "upstream", "GitHub", "İstanbul", "ſorry", "’", "-", ",", "`x`"]
    rng = random.Random(3)
    for _ in range(3000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        assert context.developer_text.__wrapped__(text) == bool(
            "`" in text or context._DEVELOPER.search(text)), text


def test_a_pattern_opening_on_a_word_boundary_is_compiled_to_skip_ahead_with_the_same_matches(pack_regexes):
    """`compile_fast` on every folded built-in regex and a few of its own: the same spans as
    `re.compile` on the lowered rule examples, glued together, and on edge texts."""
    from phraselint.regexes import compile_fast, folded_source

    extra = [r"\b(?:take|raise|bring) it up\b", r"\bcan't\b", r"\b(?:you|we)(?:'ll| will) need\b", r"\bx"]
    sources = [s for _, rx in pack_regexes if (s := folded_source(rx.pattern))] + extra
    texts = [e.text.lower() for rule, _ in pack_regexes for e in rule.flag_examples + rule.pass_examples]
    texts += [" ".join(texts[i:i + 4]) for i in range(0, len(texts), 4)]
    texts += ["take it up", "retake it up", "_take it up", "'take it up", "x", "ax", "we'll need", "we will need"]
    rewritten = 0
    for source in sources:
        fast, plain = compile_fast(source), re.compile(source)
        rewritten += fast.pattern is None  # compiled from its rewritten tree
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], (source, text)
    assert rewritten > 20
