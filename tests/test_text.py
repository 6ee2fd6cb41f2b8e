from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phraselint.text import MARK, LineIndex, OffsetMap, ReplyText, build_view, inline_masks


def view_of(text: str):
    return build_view(ReplyText(text, OffsetMap.identity(len(text))))


def test_whitespace_collapses_and_maps_back():
    text = "you  have\r\n   to go"
    view = view_of(text)
    assert view.text == "you have to go"
    start = view.text.index("have")
    assert view.to_reply.span(start, start + len("have to")) == (5, 5 + len("have\r\n   to"))


def test_paragraph_break_and_list_item_become_sentence_breaks():
    assert view_of("one\n\n\ntwo").text == "one\n\ntwo"
    assert view_of("steps:\n- one\n- two").text == "steps:\n\n- one\n\n- two"
    assert view_of("a line\nwrapped").text == "a line wrapped"


def test_masks_become_one_marker():
    text = "Hi {{ name }}, see https://x.com/a. Mail a@b.co or @team."
    view = view_of(text)
    assert view.text == f"Hi {MARK}, see {MARK}. Mail {MARK} or {MARK}."
    url = view.text.index(MARK, 5)
    assert view.to_reply.span(url, url + 1) == (text.index("https"), text.index(". Mail"))


def test_placeholder_styles_are_masked():
    for ph in ["{{x}}", "{% if a %}", "%{a.b}", "${a}", "{name}", "<PLACEHOLDER>", "[NAME]", "%PATIENT_NAME%",
               "%ticket.id%", "*|FNAME|*", "$first_name", "<first name>", "[Customer Name]"]:
        text = f"Hi {ph} there"
        assert inline_masks(text) == [(3, 3 + len(ph))], ph


def test_look_alikes_of_placeholders_are_text():
    for text in ["Save 50% now and 20% later", "It costs $5", "See [the docs](#setup)", "a <= b", "[x]"]:
        assert inline_masks(text) == [], text


def test_short_quoted_text_is_masked():
    text = 'If the app says "not possible", tap “Try again”.'
    assert view_of(text).text == f"If the app says {MARK}, tap {MARK}."


def test_quoted_lines_are_masked():
    text = "Thanks!\n> you have to wait\nBye"
    assert view_of(text).text == f"Thanks! {MARK} Bye"


def test_line_index():
    idx = LineIndex("ab\ncd\n\nef")
    assert idx.position(0) == (1, 1)
    assert idx.position(4) == (2, 2)
    assert idx.position(7) == (4, 1)
    assert idx.line_text("ab\r\ncd", 1) == "ab"


_PIECES = st.sampled_from(list("ab .,\n\r\t{}@:/x>") + ["https://", "{{", "}}", "  ", "\n- "])


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_view_offsets_stay_in_order_and_in_range(text):
    view = view_of(text)
    last = 0
    for i in range(len(view.text)):
        start, end = view.to_reply.span(i, i + 1)
        assert 0 <= start <= end <= len(text)
        assert start >= last
        last = start
        if view.text[i] not in (" ", "\n", MARK):
            assert text[start:end] == view.text[i]


def test_then_composes_two_maps():
    raw = 'x"can\\u2019t &amp; go"'
    # inner: the JSON string's decoded text -> raw (the escape is one character for six)
    decoded = "can’t &amp; go"
    inner = OffsetMap([(0, 3, 2, 5), (3, 4, 5, 11), (4, 14, 11, 21)])
    # outer: HTML-decoded text -> the decoded string (the entity is one character for five)
    html = "can’t & go"
    outer = OffsetMap([(0, 6, 0, 6), (6, 7, 6, 11), (7, 10, 11, 14)])
    both = outer.then(inner)
    assert raw[slice(*both.span(0, 5))] == "can\\u2019t"
    assert raw[slice(*both.span(6, 7))] == "&amp;"
    assert raw[slice(*both.span(8, 10))] == "go"
    assert decoded[slice(*outer.span(6, 7))] == "&amp;" and html[6] == "&"


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_then_with_identity_is_the_same_map(text):
    view = view_of(text)
    both = view.to_reply.then(OffsetMap.identity(len(text)))
    for i in range(len(view.text)):
        assert both.span(i, i + 1) == view.to_reply.span(i, i + 1)


@pytest.mark.parametrize(("text", "view", "word", "raw"), [
    ("we **won't** refund", "we won't refund", "won't", "**won't**"),
    ("you _must_ bring it", "you must bring it", "must", "_must_"),
    ("set my_var and some_thing_else", "set my_var and some_thing_else", "my_var", "my_var"),
    ("2 * 3 * 4 items", "2 * 3 * 4 items", "items", "items"),
    ("* a list item", "* a list item", "list", "list"),
    # a Markdown link reads as its text, its target masked apart
    ("per our [contributing guide](https://x.io/c) first", "per our contributing guide \ue000 first", "guide",
     "guide"),
    ("per our [contributing guide](https://x.io/c) first", "per our contributing guide \ue000 first", "contributing",
     "[contributing"),
    ("see [`cfg`](https://x.io) now", "see [\ue000](\ue000) now", "now", "now"),  # code in a link: as written
    # escaped characters read as themselves; a URL's stay masked
    ("we can&#39;t refund, per our T&amp;Cs", "we can't refund, per our T&Cs", "can't", "can&#39;t"),
    ("see https://x.io/?a=1&amp;b=2 now", "see \ue000 now", "now", "now"),
])
def test_emphasis_markers_read_through_and_map_back(text, view, word, raw):
    built = build_view(ReplyText(text, OffsetMap.identity(len(text))))
    assert built.text == view
    at = built.text.find(word)
    start, end = built.to_reply.span(at, at + len(word))
    assert text[start:end] == raw
