from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phraselint.errors import NotAReplyLibrary, PhraselintError
from phraselint.readers import ReadOptions, csvlib
from phraselint.text import ReplyText

from .test_yamllib import assert_maps_to_raw, lint


def read(raw: str, column: str | None = None) -> list[ReplyText]:
    return list(csvlib.read(raw, "replies.csv", ReadOptions(column=column)))


LIBRARY = (
    'Title,Body,Notes\r\n'
    'Refund,"He said ""no"". We can\'t refund this,\r\nsorry.",x\r\n'
    'Empty,,\r\n'
    '"Multi\nline","Please\n""wait"" and\r\n\r\nbe patient.",\r\n'
    'Unquoted,You must restart the app,n\n'
)


def test_rows_are_replies_mapped_to_raw(engine):
    replies = read(LIBRARY)
    assert [r.name for r in replies] == ["Refund", "Multi\nline", "Unquoted"]
    assert replies[0].text == "He said \"no\". We can't refund this,\r\nsorry."
    found = lint(engine, LIBRARY, replies)
    assert ("Refund", "refusal.cant", "We can't") in found
    assert ("Multi\nline", "deflection.wait_patiently", "be patient") in found
    assert ("Unquoted", "burden.have_to", "You must") in found


def test_escaped_quote_maps_to_both_quotes():
    (reply, *_) = read(LIBRARY)
    i = reply.text.index('"no"')
    start, end = reply.to_raw.span(i, i + 4)
    assert LIBRARY[start:end] == '""no""'


def test_column_option_by_name_and_number(engine):
    raw = "id;Reply Text;Subject\n1;We are unable to help.;Help\n"
    for column in ("reply text", "2"):
        (reply,) = read(raw, column)
        assert reply.name == "Help"  # semicolons: the header line has no comma
        assert lint(engine, raw, [reply]) == [("Help", "refusal.cant", "We are unable to")]



def test_incoming_column_rides_along_and_is_never_linted(engine):
    raw = 'title,body,incoming\nA,You have to restart.,"We can\'t wait, you must hurry!"\nB,Hello.,\nC,Hi.\n'
    replies = read(raw)
    assert [(r.name, r.incoming) for r in replies] == [("A", "We can't wait, you must hurry!"), ("B", None),
                                                        ("C", None)]
    assert lint(engine, raw, replies) == [("A", "burden.have_to", "You have to")]
    (reply,) = read("Customer_Message;Response\nWhere is it?;It ships today.\n")
    assert (reply.text, reply.incoming) == ("It ships today.", "Where is it?")
    assert [r.incoming for r in read("body,notes\nHi.,x\n")] == [None]
    (reply,) = read("incoming,body\nmine,reply\n", column="incoming")  # the body column is never incoming
    assert (reply.text, reply.incoming) == ("mine", None)


def test_unknown_column_option():
    with pytest.raises(NotAReplyLibrary) as exc:
        read("body\nhi\n", column="answer")
    assert "answer" in exc.value.message and "'body'" in exc.value.message


def test_no_body_column_names_what_was_looked_for_and_found():
    with pytest.raises(NotAReplyLibrary) as exc:
        read("id,label,when\n1,a,b\n")
    err = exc.value
    assert err.path == "replies.csv" and err.line == 1
    assert all(k in err.message for k in ("body", "text", "response", "content", "message", "comment"))
    assert "'id', 'label', 'when'" in err.message and "--column" in err.message


def test_unbalanced_quotes_give_the_opening_line():
    with pytest.raises(PhraselintError) as exc:
        read('body\n"fine"\n"open\nstill open\n')
    assert not isinstance(exc.value, NotAReplyLibrary)
    assert exc.value.line == 3 and "quote" in exc.value.message


def test_disable_column_bom_and_html_body(engine):
    raw = '\ufeffBODY,phraselint\n"<p>We can&#39;t refund it.</p>",disable=blame\n'
    (reply,) = read(raw)
    assert reply.disable == ("blame",) and reply.text == "We can't refund it."
    assert lint(engine, raw, [reply]) == [(None, "refusal.cant", "We can&#39;t")]


def test_text_after_a_closing_quote_and_quotes_in_unquoted_fields_are_kept():
    raw = 'body\n"ab"cd\nsay "hi"\n"x"y"z\n'
    assert [r.text for r in read(raw)] == ["abcd", 'say "hi"', 'xy"z']
    assert [r.text for r in read(raw)] == [row[0] for row in csv.reader(io.StringIO(raw))][1:]


def test_empty_file_has_no_replies():
    assert read("") == [] and read("body\n") == []


_FIELD = st.text(alphabet=st.sampled_from(list('ab ,"\n\r;é')) | st.characters(blacklist_categories=("Cs",)),
                 max_size=30)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(_FIELD, min_size=2, max_size=2), max_size=5),
       st.sampled_from([("\r\n", csv.QUOTE_MINIMAL), ("\n", csv.QUOTE_ALL)]))
def test_fields_round_trip_from_the_csv_writer(rows, style):
    # (The writer leaves a lone "\r" unquoted when the line terminator is "\n": not valid CSV.)
    buf = io.StringIO()
    csv.writer(buf, lineterminator=style[0], quoting=style[1]).writerows([["name", "body"], *rows])
    raw = buf.getvalue()
    records = list(csvlib.records(raw, "x.csv"))
    parsed = [[csvlib.field_text(raw, f) for f in fields] for _, fields in records]
    assert [[t for t, _ in row] for row in parsed] == list(csv.reader(io.StringIO(raw, newline="")))
    for row in parsed:
        for text, to_raw in row:
            if text:
                assert_maps_to_raw(raw, ReplyText(text, to_raw))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list('ab,;"\r\n \t<>`\\')) | st.characters(), max_size=120))
def test_random_text_gives_replies_or_reader_errors(raw):
    try:
        for reply in csvlib.read("body,title\n" + raw, "fuzz.csv"):
            assert_maps_to_raw("body,title\n" + raw, reply)
        for reply in csvlib.read(raw, "fuzz.csv"):
            assert_maps_to_raw(raw, reply)
    except PhraselintError:  # NotAReplyLibrary is one too
        pass
