from __future__ import annotations

import html as stdhtml

from hypothesis import given, settings
from hypothesis import strategies as st

from phraselint.readers import html as reader
from phraselint.readers.html import comments, decode_entities, html_to_text, looks_like_html
from phraselint.text import LineIndex, OffsetMap


def read_one(raw: str):
    (reply,) = list(reader.read(raw, "t.html"))
    return reply


def findings(engine, raw: str) -> list[tuple[str, str, int, int]]:
    """(rule id, raw slice, line, column) of each finding when `raw` is read as HTML."""
    replies = list(reader.read(raw, "t.html"))
    index = LineIndex(raw)
    out = []
    for reply, hits in zip(replies, engine.lint(replies)):
        for hit in hits:
            start, end = reply.to_raw.span(hit.start, hit.end)
            out.append((hit.rule.id, raw[start:end], *index.position(start)))
    return out


def assert_maps_back(source: str, text: str, to_source: OffsetMap) -> None:
    """Copied characters sit at their own raw offsets; every replaced piece maps to exactly the
    entity, tag or whitespace run it stands for; segments cover the text in raw order."""
    segments = to_source.segments
    assert segments[0][0] == 0 and segments[-1][1] == len(text)
    for before, after in zip(segments, segments[1:]):
        assert before[1] == after[0] and before[3] <= after[2]
    for i, char in enumerate(text):
        d0, d1, s0, s1 = next(s for s in segments if s[0] <= i < s[1])
        if d1 - d0 == s1 - s0:  # copied (or a lone line break read as a space)
            raw_char = source[to_source.start(i)]
            assert raw_char == char or (char == " " and raw_char.isspace()), (i, char, raw_char)
    for d0, d1, s0, s1 in segments:
        piece, src = text[d0:d1], source[s0:s1]
        if d1 - d0 == s1 - s0:
            continue
        if src.startswith("&"):
            assert stdhtml.unescape(src).replace("\xa0", " ") == piece, src
        elif src.startswith("<"):
            assert piece in ("\n", "\n\n") and src.endswith(">") or s1 == len(source), src
        else:
            assert src.isspace() and piece == " ", src


# ------------------------------------------------------------------ entities


def test_entities_decode_each_to_its_raw_span():
    raw = "We can&#39;t &amp; won&rsquo;t, it&#x27;s&nbsp;fine &copy2020 AT&T a&b"
    text, to_raw, _ = html_to_text(raw)
    assert text == "We can't & won’t, it's fine ©2020 AT&T a&b"
    expected = {
        text.index("'"): "&#39;",
        text.index("&"): "&amp;",
        text.index("’"): "&rsquo;",
        text.index("it's") + 2: "&#x27;",
        text.index("s fine") + 1: "&nbsp;",
        text.index("©"): "&copy",  # a legacy reference without ";", as browsers read it
    }
    for i, entity in expected.items():
        assert raw[slice(*to_raw.span(i, i + 1))] == entity
    assert raw[slice(*to_raw.span(text.index("AT&T"), text.index("AT&T") + 4))] == "AT&T"
    assert_maps_back(raw, text, to_raw)


def test_finding_with_entity_reports_the_raw_entity(engine):
    raw = "<p>Thanks for writing.</p>\n<p>Unfortunately we can&#39;t refund this order.</p>\n"
    assert ("refusal.cant", "we can&#39;t", 2, 18) in findings(engine, raw)
    raw = "<p>Sorry, we can&rsquo;t do that.</p>"
    assert ("refusal.cant", "we can&rsquo;t", 1, 11) in findings(engine, raw)


def test_decode_entities_only_touches_references():
    raw = "Settings &gt; General &amp; <b>more</b>\n\nbye"
    text, to_raw = decode_entities(raw)
    assert text == "Settings > General & <b>more</b>\n\nbye"
    i = text.index(">")
    assert raw[slice(*to_raw.span(i, i + 1))] == "&gt;"
    assert_maps_back(raw, text, to_raw)


# ------------------------------------------------------------------ blocks, breaks, whitespace


def test_block_tags_separate_sentences(engine):
    raw = "<p>Thanks</p><p>We can't refund this.</p>"
    assert read_one(raw).text == "Thanks\n\nWe can't refund this."
    assert findings(engine, raw) == [("refusal.cant", "We can't", 1, 17)]
    for tags in ["<div>{}</div>", "<li>{}</li>", "<td>{}</td>", "<h2>{}</h2>", "{}<hr>"]:
        assert read_one(tags.format("Thanks") + "We can't refund this.").text.startswith("Thanks\n\n")


def test_inline_tags_add_nothing():
    assert read_one("Hi<b>there</b>, <a href='x'>click <em>here</em></a>.").text == "Hithere, click here."
    # No paragraph break: rendering glues these words together, and so does the reader.
    assert read_one("<b>Thanks</b><span>We</span>").text == "ThanksWe"


def test_br_is_a_line_break():
    raw = "Hi Sam,<br>we can't help<br/>with that.<br><br>Bye"
    reply = read_one(raw)
    assert reply.text == "Hi Sam,\nwe can't help\nwith that.\n\nBye"
    i = reply.text.index("\n")
    assert raw[slice(*reply.to_raw.span(i, i + 1))] == "<br>"
    assert_maps_back(raw, reply.text, reply.to_raw)


def test_a_line_break_inside_a_paragraph_is_not_a_sentence_break(engine):
    raw = "<p>Sorry, you have\n\n    to wait for the refund.</p>"
    assert read_one(raw).text == "Sorry, you have to wait for the refund."
    hits = findings(engine, raw)
    assert any(slice_ == "you have\n\n    to wait" for _, slice_, _, _ in hits), hits


def test_finding_on_line_three_of_a_template(engine):
    raw = (
        "<html><body>\n"
        "  <p>Hi %{recipient.name},</p>\n"
        '  <p>Thanks for <a href="%{recipient.ticket_link}">your ticket</a>. We can&#39;t\n'
        "  refund it.</p>\n"
        "</body></html>\n"
    )
    reply = read_one(raw)
    assert "%{recipient.ticket_link}" not in reply.text
    assert "Hi %{recipient.name}," in reply.text  # placeholders in text stay (the engine masks them)
    assert findings(engine, raw) == [("refusal.cant", "We can&#39;t", 3, 69)]


# ------------------------------------------------------------------ what is not linted


def test_script_style_and_comments_are_not_linted(engine):
    raw = (
        "<style>p:before { content: \"we can't help\" }</style>\n"
        "<script>if (a < b) alert(\"we can't help\");</script>\n"
        "<!-- we can't help: phraselint-disable refusal -->\n"
        "<p>All done.</p><SCRIPT type=x>we can't</SCRIPT >"
    )
    reply = read_one(raw)
    assert reply.text == "All done."
    assert findings(engine, raw) == []


def test_comments_are_listed_with_raw_offsets():
    raw = "<p>a</p><!-- phraselint-disable refusal.cant --><script><!-- not one --></script><!---->x<!-- open"
    found = comments(raw)
    assert [body for _, _, body in found] == [" phraselint-disable refusal.cant ", "", " open"]
    start, end, _ = found[0]
    assert raw[start:end] == "<!-- phraselint-disable refusal.cant -->"
    assert found[-1][1] == len(raw)


def test_code_is_masked(engine):
    raw = "<p>Run <code>we-can't --help</code> then:</p><pre>we can't\nhelp</pre><p>Done.</p>"
    reply = read_one(raw)
    assert [reply.text[s:e] for s, e in reply.masks] == ["we-can't --help", "we can't help"]
    assert findings(engine, raw) == []


# ------------------------------------------------------------------ malformed markup


def test_malformed_markup_still_lints(engine):
    assert read_one("<p>We can't <b>help").text == "We can't help"
    assert findings(engine, "<p>We can't <b>help") == [("refusal.cant", "We can't", 1, 4)]
    assert read_one("<div").text == ""
    assert read_one("a < b and 3<4, </ x> &").text == "a < b and 3<4, </ x> &"
    assert findings(engine, "If a < b, we can't help.") == [("refusal.cant", "we can't", 1, 11)]
    assert read_one("<p title=Don't>We can't</p>").text == "We can't"
    assert read_one('<a href="x>y">link</a> <img alt="unclosed>ok').text == "link ok"
    assert read_one("<!DOCTYPE html><?xml x?>Hi<![CDATA[x]]>").text == "Hi"


def test_upper_case_placeholders_are_text_not_tags():
    assert read_one("Dear <NAME>, <P>hello</P>").text == "Dear <NAME>, \n\nhello"


def test_looks_like_html():
    for s in ["<p>Hi", "a<br>b", "<div class='x'>", "<a href=x>", "x</span>", "a &amp; b", "it&#39;s"]:
        assert looks_like_html(s), s
    for s in ["Dear <NAME>,", "a < b", "AT&T", "3<4 and 5>4", "&nosuchentity;", "x"]:
        assert not looks_like_html(s), s


# ------------------------------------------------------------------ fuzzing

_PIECES = st.sampled_from([
    "we", " can't", " help", ".", "\n", "\n\n", "  ", "\r\n", "<", ">", "&", ";", "'", '"', "=", "/",
    "<p>", "</p>", "<br>", "<br/>", "<b>", "</b>", "<div class=\"a>b\">", "<a href='%{x}'>", "</a>",
    "<!--", "-->", "<script>", "</script>", "<style>", "<code>", "</code>", "<pre>", "</pre>",
    "&amp;", "&#39;", "&#x2019;", "&rsquo;", "&nbsp;", "&copy", "&#0;", "&#99999999;", "&#xD800;",
    "<!DOCTYPE html>", "<NAME>", "<td>", "<li>", "é", "\u00a0", "<", "<x", "</",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join) | st.text(max_size=60))
def test_any_text_reads_and_maps_back(raw):
    text, to_raw, masks = html_to_text(raw)
    assert_maps_back(raw, text, to_raw)
    assert all(0 <= s < e <= len(text) for s, e in masks)
    reply = read_one(raw)
    assert reply.text == text and reply.name is None
    for start, end, _ in comments(raw):
        assert raw.startswith("<!--", start) and end <= len(raw)
    looks_like_html(raw)
    d_text, d_map = decode_entities(raw)
    assert_maps_back(raw, d_text, d_map)
