"""Text-aware rewriting: capitals, apostrophe style, clean deletions, a/an, masks."""

from __future__ import annotations

import pytest

from phraselint.rewrite import Edit, plan, styled, wants_an


def rewrite(text: str, target: str, suggestion: str, sentence_start: bool = False, masks=()) -> str | None:
    start = text.index(target)
    edit = plan(text, start, start + len(target), suggestion, sentence_start, list(masks))
    return None if edit is None else edit.apply(text)


# (text, matched, suggestion, sentence_start, expected)
CASES = [
    # deletions take their comma and one space, and pass the capital on
    ("Obviously, you need to restart.", "Obviously", "", True, "You need to restart."),
    ("As I said, the fee is waived.", "As I said", "To recap,", True, "To recap, the fee is waived."),
    ("Obviously the update is needed.", "Obviously", "", True, "The update is needed."),
    ("Done. Just restart the app.", "Just", "", True, "Done. Restart the app."),
    ("You simply click the link.", "simply", "", False, "You click the link."),
    ("This is, obviously, wrong.", "obviously", "", False, "This is wrong."),
    ("It is broken, obviously.", "obviously", "", False, "It is broken."),
    ("Sorry about that, clearly, it's broken.", "clearly", "", False, "Sorry about that, it's broken."),
    ("Hi Sam, just restart the app.", "just", "", False, "Hi Sam, restart the app."),
    ("and obviously, you can try again", "obviously", "", False, "and you can try again"),
    ("Line one.\nObviously, the fix is live.", "Obviously", "", True, "Line one.\nThe fix is live."),
    # articles agree with the word that now follows them
    ("It's an obviously simple fix.", "obviously", "", False, "It's a simple fix."),
    ("It's a really easy step.", "really easy", "optional", False, "It's an optional step."),
    ("Send us an RMA form.", "RMA", "return", False, "Send us a return form."),
    ("An obviously small change.", "obviously", "", False, "A small change."),
    # replacements follow the text's apostrophe style and its capitals
    ("Sorry ’bout that, we’re on it.", "Sorry ’bout", "I'm sorry for", True, "I’m sorry for that, we’re on it."),
    ("Sorry 'bout that.", "Sorry 'bout", "I'm sorry for", True, "I'm sorry for that."),
    ("SORRY BOUT THAT!", "SORRY BOUT", "I apologize for", True, "I APOLOGIZE FOR THAT!"),
    # from an adversarial review: lists, brands, emphasis, brackets, dashes, conjunctions
    ("- Just restart the app.", "Just", "", False, "- Restart the app."),
    ("1. Obviously, it works.", "Obviously", "", False, "1. It works."),
    ("(Just restart.)", "Just", "", False, "(Restart.)"),
    ("Obviously, iOS 17 users need to update.", "Obviously", "", True, "iOS 17 users need to update."),
    ("It is *obviously* broken.", "obviously", "", False, "It is broken."),
    ("**Obviously**, restart it.", "Obviously", "", False, "Restart it."),
    ("It works (obviously) now.", "obviously", "", False, "It works now."),
    ("The update — as you know — is needed.", "as you know", "", False, "The update is needed."),
    ("We checked and, needless to say, they're sorry.", "needless to say", "", False,
     "We checked and they're sorry."),
    ("Plan A obviously offers more.", "obviously", "", False, "Plan A offers more."),
    ("It's an obviously URL-based fix.", "obviously", "", False, "It's a URL-based fix."),
    ("IT'S AN OBVIOUSLY SIMPLE FIX.", "OBVIOUSLY", "", False, "IT'S A SIMPLE FIX."),
    # a request ends with a question mark
    ("You have to restart {{app}}. Thanks.", "You have to", "Could you please", True,
     "Could you please restart {{app}}? Thanks."),
    ("You have to send e.g. a screenshot.", "You have to", "Could you please", True,
     "Could you please send e.g. a screenshot."),
    ("Then you have to restart.", "you have to", "could you please", False, "Then could you please restart."),
]


@pytest.mark.parametrize("text, target, suggestion, sentence_start, expected", CASES)
def test_rewrite_reads_as_a_careful_person_would_write_it(text, target, suggestion, sentence_start, expected):
    assert rewrite(text, target, suggestion, sentence_start) == expected


@pytest.mark.parametrize("text, target", [
    ("Obviously.", "Obviously"),  # nothing would be left of the sentence
    ("Obviously!\nThanks", "Obviously"),
])
def test_a_deletion_that_would_empty_a_sentence_is_refused(text, target):
    assert rewrite(text, target, "", True) is None


def test_edits_never_touch_a_masked_region():
    text = "Obviously, {{name}} is set."
    masks = [(11, 19)]
    assert rewrite(text, "Obviously", "", True, masks) == "{{name}} is set."  # no capital forced into it
    assert plan(text, 11, 19, "x", False, masks) is None


def test_a_rewrite_equal_to_the_text_is_no_edit():
    assert rewrite("I apologize for it.", "I apologize for", "I apologize for", True) is None


@pytest.mark.parametrize("word, an", [
    ("apple", True), ("hour", True), ("honest", True), ("FAQ", True), ("SLA", True), ("8", True),
    ("user", False), ("unique", False), ("one", False), ("European", False), ("banana", False),
    ("URL", False), ("CSV", False), ("11", True), ("1", False),
])
def test_article_choice(word, an):
    assert wants_an(word) is an


def test_styled_quotes_follow_the_text():
    assert styled('click "Reset"', "He said “hi”.", "x") == "click “Reset”"
    assert styled('click "Reset"', 'He said "hi".', "x") == 'click "Reset"'


def test_edit_apply():
    assert Edit(1, 3, "XY").apply("abcd") == "aXYd"


def test_a_rewrite_does_not_repeat_the_words_beside_it():
    text = "Your WidgetCare+ plan covers this."
    start = text.index("WidgetCare+")
    edit = plan(text, start, start + len("WidgetCare+"), "your support plan", False, [])
    assert edit.apply(text) == "Your support plan covers this."
    # a one-word suggestion is never emptied, and words that differ stay
    edit = plan("the plan plan", 4, 8, "plan", False, [])
    assert edit is None or edit.apply("the plan plan") == "the plan plan"
    text = "Call your WidgetCare+ team."
    start = text.index("WidgetCare+")
    assert plan(text, start, start + 11, "support plan", False, []).apply(text) == "Call your support plan team."


def test_glossary_unsafe_fix_reads_as_a_sentence(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from phraselint.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "phraselint.yaml").write_text("jargon:\n  WidgetCare+: your support plan\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("Your WidgetCare+ plan covers this. WidgetCare+ is great.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["fix", "--unsafe", "r.txt"], catch_exceptions=False)
    assert result.exit_code in (0, 1)
    assert (tmp_path / "r.txt").read_text(encoding="utf-8") == \
        "Your support plan covers this. Your support plan is great.\n"
