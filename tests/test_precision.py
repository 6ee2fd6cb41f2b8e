"""The default pack as a whole: what must be flagged, and the look-alikes that must never be."""

from __future__ import annotations

import pytest

from .conftest import hits_of

NEVER_FLAGGED = [
    "I can't wait to help you with this!",
    "We can't thank you enough for your patience.",
    "You can't miss it, it's right by the entrance.",
    "If you can't make calls, let's start with the steps below.",
    "Please tell us about the account you can't access.",
    "Sorry to hear you cannot access the DLC. Is your console online?",
    "You don't have to do anything else.",
    "I have to say, this is a great idea.",
    "Here are the options you have to contact us.",
    "I need to know your order number to look into this.",
    "We'll need to check with the warehouse and get back to you.",
    "You should have received a notification by e-mail.",
    "I'm sorry you haven't received that information as promised, Mr Smith.",
    "We're sorry to hear you're having trouble connecting.",
    "Details: https://example.com/you-have-to-cant-sorry-for-the-trouble",
    "Write to cant-refund@example.com for help.",
    "Thanks @youhavetowait for the report!",
    "Hi {{ customer.you_must }}, thanks for writing in.",
    "Hi %{recipient.sorry_for}, thanks for writing in.",
    "Hi ${you_have_to}, thanks for writing in.",
    "Hi {you_must}, thanks for writing in.",
    "Hi <YOU MUST>, thanks for writing in.",
    "Run `you have to restart` in the console.",
    "> We can't refund this, you have to wait!\nThanks for forwarding this; I'll look into it.",
    "I can understand that you're frustrated, and I'll report this to my manager.",
    "Just checking in to see if the new card arrived.",
    "Whatever time works best for you is fine with us.",
    "Our policy team can take another look at the appeal.",
    "In case you can't find the email, I've resent it.",
    'If the app says "not possible", please send me a screenshot.',
]

FLAGGED = [
    ("We can't refund this order.", "refusal.cant"),
    ("Unfortunately we are unable to change the date.", "refusal.cant"),
    ("You have to restart the router first.", "burden.have_to"),
    ("You'll need to fill in the form again.", "burden.have_to"),
    ("You must provide a receipt.", "burden.have_to"),
    ("Sorry 'bout that, give me the details and I'll sort this out for you.", "apology.flippant"),
    ("Sorry for the trouble!", "apology.sorry_for"),
    ("Sorry to hear that.", "apology.sorry_to_hear"),
    ("Obviously, the update has to be installed first.", "condescension.obviously"),
    ("As I said, the refund takes five days.", "condescension.as_i_said"),
    ("Please calm down so I can help.", "condescension.calm_down"),
    ("Just restart the app.", "condescension.minimizing"),
    ("You should have read the terms.", "blame.should_have"),
    ("You failed to include the order number.", "blame.failed_to"),
    ("That's not our fault.", "blame.not_our_fault"),
    ("It is your responsibility to keep the receipt.", "blame.not_our_fault"),
    ("That's not my department.", "deflection.not_my_department"),
    ("It's company policy.", "deflection.policy"),
    ("Please wait patiently for a reply.", "deflection.wait_patiently"),
    ("I've escalated this to tier 2.", "jargon.support"),
    ("There's nothing we can do.", "refusal.nothing_we_can_do"),
    ("That is not possible.", "refusal.not_possible"),
    ("We don't do refunds on sale items.", "refusal.we_dont"),
]


@pytest.mark.parametrize("text", NEVER_FLAGGED)
def test_never_flagged(engine, text):
    assert hits_of(engine, text) == []


@pytest.mark.parametrize(("text", "rule_id"), FLAGGED)
def test_flagged(engine, text, rule_id):
    assert rule_id in {rid for rid, _ in hits_of(engine, text)}


@pytest.mark.parametrize("text", [
    "We CAN'T refund this order.",
    "We can’t refund this order.",
    "We cant refund this order.",
    "We cannot refund this order.",
    "We can not refund this order.",
    "We can\nnot refund this order.",
    "We can   not refund this order.",
])
def test_one_phrase_matches_every_spelling(engine, text):
    assert "refusal.cant" in {rid for rid, _ in hits_of(engine, text)}


def test_line_break_inside_phrase_reports_the_raw_span(engine):
    text = "Hi Sam,\nyou have\n  to log in again."
    assert ("burden.have_to", "you have\n  to") in hits_of(engine, text)


def test_suggestion_keeps_the_capital_at_a_sentence_start(engine):
    from .conftest import reply

    (hits,) = list(engine.lint([reply("Sorry for the wait. Hi there, sorry for this!")]))
    assert [h.texts[0] for h in hits] == ["I apologize for", "I apologize for"]
    (hits,) = list(engine.lint([reply("Thanks. You have to log in. Then you have to wait.")]))
    first = [h.texts[0] for h in hits if h.rule.id == "burden.have_to"]
    assert first == ["Could you please"]
    (hits,) = list(engine.lint([reply("Then you will need to log in.")]))
    assert hits[0].texts[0] == "could you please"
