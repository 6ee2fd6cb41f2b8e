"""Phrases matched in their short forms too: "'s" and "'d", which spaCy reads as themselves."""

from phraselint.contractions import contracted


def test_is_and_would_get_their_short_forms_once():
    assert contracted(["that is on us", "is down", "i would recommend", "do not"]) == [
        "that is on us", "is down", "i would recommend", "do not",
        "that's on us", "'s down", "i'd recommend"]


def test_a_phrase_listed_in_both_forms_is_kept_once():
    assert contracted(["it is policy", "it's policy", "it is policy"]) == ["it is policy", "it's policy"]


def test_each_word_is_contracted_on_its_own():
    assert contracted(["it is what it is"]) == ["it is what it is", "it's what it is", "it is what it's"]


def test_a_rule_phrase_matches_its_contraction(tmp_path):
    from phraselint import Checker

    checker = Checker(ignore=["coaching"])
    found = [(f.rule, f.match) for f in checker.check("Sorry, that's a matter for your bank.").findings]
    assert ("deflection.redirected", "'s a matter for your bank") in found
    assert not [f for f in checker.check("That is a lovely photo of your dog.").findings if f.rule.startswith("deflection")]
