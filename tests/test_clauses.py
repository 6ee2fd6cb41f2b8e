"""The clause reader (phraselint/clauses.py) and the `frame` condition: who acts, polarity,
modality and verb, read from closed-class words on spacy.blank("en")."""

from __future__ import annotations

import pytest

from phraselint import clauses, context
from phraselint.errors import PhraselintError
from phraselint.rules import read_pack


def _read(nlp, text: str, anchor: str) -> clauses.Clause:
    doc = nlp(text)
    words = anchor.split()
    for i in range(len(doc)):
        if [t.text for t in doc[i:i + len(words)]] == words:
            site = context.Site(doc, i, i + len(words))
            return clauses.read(site, i, i + len(words))
    raise AssertionError(f"{anchor!r} not in {text!r}")


@pytest.mark.parametrize(("text", "anchor", "actor", "polarity", "modality", "verb"), [
    ("Our team doesn't handle billing disputes.", "n't", "agent", "negative", "habit", "handle"),
    ("We aren't going to reopen this ticket.", "n't", "agent", "negative", "intention", "reopen"),
    ("We won't be extending the offer.", "n't", "agent", "negative", "intention", "extending"),
    ("We are currently not accepting new integrations.", "not", "agent", "negative", "progressive", "accepting"),
    ("We no longer ship to Canada.", "no longer", "agent", "negative", "habit", "ship"),
    ("I'm unable to change the date.", "unable", "agent", "negative", "ability", "change"),
    ("Refunds are not something we provide.", "not", "thing", "negative", "state", "something"),
    ("That option isn't available on your plan.", "n't", "thing", "negative", "state", "available"),
    ("Sorry, that is not an option.", "not", "thing", "negative", "state", "option"),
    ("We don't see any charge on your account.", "n't", "agent", "negative", "habit", "see"),
    ("I haven't received your form yet.", "n't", "agent", "negative", "perfect", "received"),
    ("It may not be available right away.", "not", "thing", "negative", "possibility", "available"),
    ("\ue000 Hulu is only available in the U.S.", "only", "thing", "positive", "state", "available"),
    ("Customers must bring the receipt.", "must", "customer", "positive", "obligation", "bring"),
    ("You'll also need to verify it.", "need to", "customer", "positive", "obligation", "verify"),
    ("You don't have to do anything.", "have to", "customer", "negative", "obligation", "do"),
    ("Please do not email this address again.", "not", "none", "negative", "habit", "email"),
    ("Sorry, Amazon does not refund it.", "not", "other", "negative", "habit", "refund"),
    ("Your order can't be cancelled.", "n't", "thing", "negative", "ability", "cancelled"),
    ("Has the PDF been locked after signing", "locked", "none", "positive", "state", "locked"),
    ("Please provide all of the required information.", "required", "thing", "positive", "fragment", "information"),
    ("We closed this issue.", "closed", "agent", "positive", "fragment", "closed"),
    ("I was not able to find that.", "not", "agent", "negative", "past", "find"),
    ("You may need to use another address.", "need to", "customer", "positive", "possibility", "use"),
    ("We'll credit you, but can't pay for the class.", "n't", "agent", "negative", "ability", "pay"),
    ("You'll need a receipt for that.", "need", "customer", "positive", "obligation", "a"),
    ("We didn't run this analysis.", "n't", "agent", "negative", "past", "run"),
    ("Questions not covered in the terms are welcome.", "not", "thing", "negative", "fragment", "covered"),
])
def test_reads_the_clause(nlp, text, anchor, actor, polarity, modality, verb):
    clause = _read(nlp, text, anchor)
    assert (clause.actor, clause.polarity, clause.modality, clause.verb_norm) == (actor, polarity, modality, verb)


def test_subject_phrase_starts_at_its_determiner(nlp):
    doc = nlp("Sorry, our billing team does not handle disputes.")
    clause = _read(nlp, "Sorry, our billing team does not handle disputes.", "not")
    assert doc[clause.subject].text == "our"


def test_passive_voice(nlp):
    assert _read(nlp, "Any damage must be assessed in person.", "must").voice == "passive"
    assert _read(nlp, "You must bring the receipt.", "must").voice == "active"
    assert _read(nlp, "That must be so annoying.", "must").voice == "active"
    assert _read(nlp, "Exceptions are not made.", "not").voice == "passive"  # past the negator
    assert _read(nlp, "Your request has been declined.", "declined").voice == "passive"  # the match is the verb
    assert _read(nlp, "It has not been easy.", "not").voice == "active"


@pytest.mark.parametrize(("text", "actor"), [
    ("This ban is permanent and will not be reversed.", "thing"),
    ("Our team is small and can't review every PR.", "agent"),
    ("ESLint has frozen these options, and will not accept new ones.", "none"),  # a bare name may be anyone
])
def test_a_joined_verb_phrase_shares_a_noun_subject(nlp, text, actor):
    anchor = "n't" if "n't" in text else "not"
    assert _read(nlp, text, anchor).actor == actor


@pytest.mark.parametrize(("word", "base"), [
    ("extending", "extend"), ("shipped", "ship"), ("supported", "support"), ("sent", "send"),
    ("applies", "apply"), ("refunds", "refund"), ("handled", "handle"), ("given", "give"),
])
def test_verb_bases(word, base):
    assert base in clauses.verb_bases(word)


@pytest.mark.parametrize(("frame", "message"), [
    ({"actor": ["agents"]}, "unknown 'agents'"),
    ({"modality": "ability"}, "takes a list"),
    ({"polarity": "no"}, "must be one of"),
    ({"verb": ["offer"]}, "did you mean 'verbs'"),
    ({}, "takes a mapping"),
])
def test_bad_frames_are_errors_naming_the_line(tmp_path, frame, message):
    import json

    pack = tmp_path / "house.yaml"
    pack.write_text("rules:\n  - id: house.no\n    severity: warning\n    message: m\n    why: w\n"
                    f"    match: {{phrases: [not]}}\n    context:\n      frame: {json.dumps(frame)}\n")
    with pytest.raises(PhraselintError) as err:
        read_pack(pack)
    assert message in str(err.value) and "house.yaml" in str(err.value)


def test_a_team_writes_its_own_frame(tmp_path, nlp):
    """"We don't ship to P.O. boxes" is a refusal for one team: a frame in its own pack says so."""
    from phraselint.engine import Engine

    from .conftest import hits_of

    pack = tmp_path / "house.yaml"
    pack.write_text(
        "rules:\n  - id: house.no_po_boxes\n    severity: warning\n    message: m\n    why: w\n"
        "    match: {extend: [subject, verb], phrases: [not, never]}\n"
        "    context:\n      frame: {actor: [agent], polarity: negative, modality: [habit], verbs: [ship]}\n")
    engine = Engine(read_pack(pack).rules, nlp=nlp)
    assert hits_of(engine, "Sorry, we don't ship to P.O. boxes.") == [("house.no_po_boxes", "we don't ship")]
    assert hits_of(engine, "We don't see a charge.") == []
    assert hits_of(engine, "Why don't we ship it to your office?") == []  # inverted: no agent subject


def test_rule_docs_show_a_frame_key_by_key():
    from phraselint.docs import rule_doc
    from phraselint.rules import load_rules

    (rule,) = [r for r in load_rules() if r.id == "refusal.we_dont"]
    doc = rule_doc(rule)
    assert "  frame:\n    actor: agent\n    polarity: negative\n" in doc
    assert "{'" not in doc  # no Python repr
