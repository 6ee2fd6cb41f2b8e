from __future__ import annotations

import csv
import html as stdhtml
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phraselint.errors import NotAReplyLibrary, PhraselintError
from phraselint.readers import jsonlib
from phraselint.readers.jsonlib import decode_string, parse
from phraselint.text import LineIndex, ReplyText

from ..conftest import CORPUS


def read(raw: str) -> list[ReplyText]:
    return list(jsonlib.read(raw, "lib.json"))


def findings(engine, raw: str) -> list[tuple[str | None, str, str, int, int]]:
    """(reply name, rule id, raw slice, line, column) of each finding in a JSON library."""
    replies = read(raw)
    index = LineIndex(raw)
    out = []
    for reply, hits in zip(replies, engine.lint(replies)):
        assert_maps_back(raw, reply)
        for hit in hits:
            start, end = reply.to_raw.span(hit.start, hit.end)
            out.append((reply.name, hit.rule.id, raw[start:end], *index.position(start)))
    return out


def _json_unescape(src: str) -> str:
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in json.loads(f'"{src}"'))


def assert_maps_back(raw: str, reply: ReplyText) -> None:
    """Copied characters sit at their own raw offsets; every replaced piece maps to exactly the
    escape (or, in an HTML body, the entity, tag or whitespace, escaped or not) it stands for."""
    text, to_raw = reply.text, reply.to_raw
    segments = to_raw.segments
    assert segments[0][0] == 0 and segments[-1][1] == len(text)
    for before, after in zip(segments, segments[1:]):
        assert before[1] == after[0] and before[3] <= after[2]
    for d0, d1, s0, s1 in segments:
        piece, src = text[d0:d1], raw[s0:s1]
        if d1 - d0 == s1 - s0:  # copied (in HTML, a lone line break may read as a space)
            assert all(t == r or (t == " " and r.isspace()) for t, r in zip(piece, src)), (piece, src)
            continue
        decoded = _json_unescape(src)
        if decoded == piece or (decoded.isspace() and piece == " "):
            continue
        if decoded.startswith("&"):
            assert stdhtml.unescape(decoded).replace("\xa0", " ") == piece, (piece, src)
        else:
            assert decoded.startswith("<") and piece in ("\n", "\n\n"), (piece, src)


# ------------------------------------------------------------------ strings and escapes


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.booleans())
def test_decode_string_maps_every_character_to_its_escape(s, ascii_only):
    raw = json.dumps(s, ensure_ascii=ascii_only)
    text, to_raw = decode_string(raw, 1, len(raw) - 1)
    assert text == s
    for i, char in enumerate(text):
        assert json.loads(f'"{raw[slice(*to_raw.span(i, i + 1))]}"') == char


def test_surrogate_pairs_and_lone_surrogates():
    raw = r'"ok \ud83d\ude00 \ud800 x"'
    text, to_raw = decode_string(raw, 1, len(raw) - 1)
    assert text == "ok \U0001F600 \ufffd x"
    assert raw[slice(*to_raw.span(3, 4))] == r"\ud83d\ude00"


def test_escapes_map_to_exact_raw_offsets(engine):
    raw = (
        '[\n'
        '  {"name": "Refund", "text": "Hi,\\n\\nSorry, we can\\u2019t refund \\"that\\" order."},\n'
        '  {"name": "Wait", "text": "Hi.\\nUnfortunately you have\\nto restart \\/ retry."}\n'
        ']\n'
    )
    first, second = read(raw)
    assert first.text == 'Hi,\n\nSorry, we can’t refund "that" order.'
    assert second.text == "Hi.\nUnfortunately you have\nto restart / retry."
    hits = findings(engine, raw)
    assert ("Refund", "refusal.cant", r"we can\u2019t", 2, raw.splitlines()[1].index("we can") + 1) in hits
    assert ("Wait", "burden.have_to", r"you have\nto", 3, raw.splitlines()[2].index("you have") + 1) in hits
    i = first.text.index('"')
    assert raw[slice(*first.to_raw.span(i, i + 1))] == '\\"'


def test_parse_agrees_with_json_and_keeps_string_positions():
    raw = '{"a": [1, -2.5e3, true, false, null, "x\\ty"], "b": {"c": ""}, "a2": "\\u00e9"}'
    tree = parse(raw, "x.json")
    doc = tree.root
    assert doc == json.loads(raw)
    start, end = tree.span(doc["a"][-1])
    assert raw[start:end] == "x\\ty"
    assert raw[doc["b"].start] == "{"


# ------------------------------------------------------------------ shapes

ZENDESK = """{
  "macros": [
    {
      "id": 1, "title": "Refund denied",
      "actions": [
        {"field": "status", "value": "solved"},
        {"field": "comment_value_html",
         "value": "<p>Hi {{ticket.requester.first_name}},</p><p>We can&#39;t refund this order.</p>"},
        {"field": "comment_value", "value": ["channel:all", "You have to restart it."]}
      ]
    },
    {"title": "No comment", "actions": [{"field": "priority", "value": "low"}]}
  ]
}
"""


def test_zendesk_macros_with_html_comment(engine):
    replies = read(ZENDESK)
    assert [(r.name, r.text) for r in replies] == [
        ("Refund denied", "Hi {{ticket.requester.first_name}},\n\nWe can't refund this order."),
        ("Refund denied", "You have to restart it."),
    ]
    hits = findings(engine, ZENDESK)
    lines = ZENDESK.splitlines()
    assert ("Refund denied", "refusal.cant", "We can&#39;t", 8, lines[7].index("We can") + 1) in hits
    assert ("Refund denied", "burden.have_to", "You have to", 9, lines[8].index("You have") + 1) in hits


def test_zendesk_single_macro_bare_list_and_escaped_html(engine):
    macro = {"title": "T", "actions": [{"field": "comment_value_html",
                                        "value": "<p>Hello</p><p>We can't help.</p>"}]}
    raw = json.dumps({"macro": macro}).replace("<", "\\u003c").replace("'", "\\u0027")
    (reply,) = read(raw)
    assert reply.text == "Hello\n\nWe can't help."
    assert [h[1:3] for h in findings(engine, raw)] == [("refusal.cant", "We can\\u0027t")]
    i = reply.text.index("\n")  # the paragraph break maps to the escaped "</p>"
    assert raw[slice(*reply.to_raw.span(i, i + 1))] == "\\u003c/p>"
    assert [r.text for r in read(json.dumps([macro, macro]))] == [reply.text] * 2


def test_help_scout_saved_replies(engine):
    raw = json.dumps([
        {"id": 7, "name": "Shipping", "text": "<p>Obviously you need to wait.</p><p>Thanks &amp; bye</p>"},
        {"id": 8, "name": "Plain", "text": "Dear <NAME>, you have to restart.\n\nThanks"},
    ], indent=2)
    first, second = read(raw)
    assert (first.name, first.text) == ("Shipping", "Obviously you need to wait.\n\nThanks & bye")
    assert (second.name, second.text) == ("Plain", "Dear <NAME>, you have to restart.\n\nThanks")
    rules = {(name, rule) for name, rule, *_ in findings(engine, raw)}
    assert {("Shipping", "condescension.obviously"), ("Plain", "burden.have_to")} <= rules


def test_freshdesk_canned_responses(engine):
    raw = json.dumps({"canned_responses": [
        {"id": 1, "title": "Refunds", "content": "We can't refund.",
         "content_html": "<div>We can&rsquo;t refund.</div>"},
        {"id": 2, "title": "Plain only", "content": "You have to wait."},
    ]})
    assert [(r.name, r.text) for r in read(raw)] == [("Refunds", "We can’t refund."),
                                                      ("Plain only", "You have to wait.")]
    assert [h[:3] for h in findings(engine, raw)][0] == ("Refunds", "refusal.cant", "We can&rsquo;t")


def test_generic_lists_and_vscode_commands():
    raw = json.dumps({"version": 2, "replies": [
        {"subject": "A", "body": "Body A"}, {"title": "B", "message": "Body B"}, {"note": "no body"}]})
    assert [(r.name, r.text) for r in read(raw)] == [("A", "Body A"), ("B", "Body B")]
    raw = json.dumps([
        {"type": "comment", "name": "question", "action": "updateLabels", "addLabel": "*question"},
        {"type": "label", "name": "*question", "action": "close", "comment": "Ask on [SO](https://x.y)."},
    ])
    assert [(r.name, r.text) for r in read(raw)] == [("*question", "Ask on [SO](https://x.y).")]
    assert [r.text for r in read(json.dumps({"title": "One", "body": "Single"}))] == ["Single"]



# ------------------------------------------------------------------ the customer's message


def test_incoming_message_rides_along_and_is_never_linted(engine):
    raw = json.dumps({"replies": [
        {"name": "A", "text": "You have to restart.", "incoming": "We can't wait, you must hurry!"},
        {"name": "B", "text": "Hello.", "customer_message": "Where is it?"},
        {"name": "C", "text": "Hi.", "incoming": 3, "in_reply_to": "My order \u2019s late"},
        {"name": "D", "text": "Hey.", "incoming": "  "},
        {"name": "E", "text": "Yo."},
    ]}, indent=1)
    assert [(r.name, r.incoming) for r in read(raw)] == [
        ("A", "We can't wait, you must hurry!"), ("B", "Where is it?"), ("C", "My order \u2019s late"),
        ("D", None), ("E", None)]
    assert [(name, rule, match) for name, rule, match, *_ in findings(engine, raw)] == [
        ("A", "burden.have_to", "You have to")]  # offsets as before; the incoming text is not linted


def test_single_unnamed_object_is_one_reply():
    raw = '{"incoming": "my order never arrived", "text": "Your tracking number is\\n123."}'
    (reply,) = read(raw)
    assert (reply.name, reply.text, reply.incoming) == (None, "Your tracking number is\n123.", "my order never arrived")
    assert_maps_back(raw, reply)
    (reply,) = read(json.dumps({"body": "<p>Hi &amp; bye</p>"}))
    assert (reply.text, reply.incoming) == ("Hi & bye", None)
    # a named object is read as before; an object holding a list, or with no body, is still no library
    assert [(r.name, r.incoming) for r in read(json.dumps({"title": "T", "body": "B", "incoming": "I"}))] == [
        ("T", "I")]
    # a settings file with a "message" is no draft: a draft has only body, incoming and phraselint keys
    for raw in ['{"text": "hi", "tags": ["a"]}', '{"incoming": "only the customer"}', '{"text": 3}',
                '{"message": "Build passed", "level": "info"}']:
        with pytest.raises(NotAReplyLibrary):
            read(raw)


def _coach_stdin(doc: dict) -> dict:
    from click.testing import CliRunner

    from phraselint.cli import cli

    result = CliRunner().invoke(cli, ["check", "--format", "json", "--input-format", "json", "-"],
                                input=json.dumps(doc), catch_exceptions=False)
    assert "Traceback" not in result.output
    return json.loads(result.stdout)


def test_incoming_field_drives_the_empathy_check_end_to_end():
    reply = "Your tracking number is 123. Thanks."
    upset = _coach_stdin({"text": reply, "incoming": "Hi, my order never arrived and I'm furious."})
    assert upset["replies"][0]["checks"]["coaching.empathy"] is False
    empathy = [r for r in upset["results"] if r["rule"] == "coaching.empathy"]
    assert len(empathy) == 1 and empathy[0]["scope"] == "reply"
    assert "furious" not in json.dumps(upset)  # the customer's message is never reported
    calm = _coach_stdin({"text": reply, "incoming": "What are your opening hours?"})
    assert calm["replies"][0]["checks"]["coaching.empathy"] is None
    assert not [r for r in calm["results"] if r["rule"] == "coaching.empathy"]


def test_ibm_twitter_dialogs(engine):
    raw = json.dumps([{
        "agentURL": {"tweet_ID": "2", "url": "https://x.y/a",
                     "url_utterance": "@cust Settings &gt; Privacy &amp; you have to reset: https://x.y/a"},
        "dialogContent": [
            {"client": "cust", "message": "@Brand you can't refuse this!", "tweet_ID": "0"},
            {"agent": "Brand", "message": "@cust Sorry, we can't help with that.", "tweet_ID": "1"},
        ],
        "dialogHeader": {"company": "Brand", "messageCount": "3"},
    }, {
        "agentURL": {"tweet_ID": "2", "url_utterance": "@cust a repeated tweet"},
        "dialogContent": [], "dialogHeader": {"company": "Brand"},
    }], indent=4)
    replies = read(raw)
    assert [(r.name, r.text) for r in replies] == [
        ("Brand tweet 1", "@cust Sorry, we can't help with that."),
        ("Brand tweet 2", "@cust Settings > Privacy & you have to reset: https://x.y/a"),
    ]
    hits = [h[1:3] for h in findings(engine, raw)]
    assert ("refusal.cant", "we can't") in hits and ("burden.have_to", "you have to") in hits
    assert not any("refuse" in s for _, s in hits)  # the customer's message is never linted
    i = replies[1].text.index(">")
    assert raw[slice(*replies[1].to_raw.span(i, i + 1))] == "&gt;"


# ------------------------------------------------------------------ disable key and errors


def test_per_reply_disable_key_in_both_forms():
    raw = json.dumps([
        {"name": "a", "text": "x", "phraselint": {"disable": ["refusal.cant", "burden"]}},
        {"name": "b", "text": "x", "phraselint": "disable=refusal.cant, apology.sorry_alone"},
        {"name": "c", "text": "x"},
    ])
    assert [r.disable for r in read(raw)] == [("refusal.cant", "burden"),
                                             ("refusal.cant", "apology.sorry_alone"), ()]
    macro = {"title": "m", "phraselint": "disable=burden",
             "actions": [{"field": "comment_value", "value": "x", "phraselint": {"disable": "refusal"}}]}
    assert read(json.dumps({"macro": macro}))[0].disable == ("burden", "refusal")


@pytest.mark.parametrize("spec, message", [
    ({"disabled": ["x"]}, "unknown key 'disabled' in the phraselint key (did you mean 'disable'?)"),
    ("enable=x", "phraselint key: expected"),
    ({"disable": [1]}, "phraselint key: expected"),
])
def test_bad_disable_key_is_an_error_on_its_line(spec, message):
    raw = '[\n  {"name": "a", "text": "x"},\n  ' + json.dumps({"name": "b", "text": "x", "phraselint": spec}) + "\n]"
    with pytest.raises(PhraselintError) as exc:
        read(raw)
    assert exc.value.line == 3 and exc.value.message.startswith(message)


def test_broken_json_reports_json_message_and_line():
    raw = '{\n  "macros": [\n    {"title": "a"}\n    {"title": "b"}\n  ]\n}\n'
    with pytest.raises(PhraselintError) as exc:
        read(raw)
    assert not isinstance(exc.value, NotAReplyLibrary)
    assert exc.value.message == "invalid JSON: Expecting ',' delimiter"
    assert (exc.value.line, exc.value.path) == (4, "lib.json")
    for raw, line in [('[1, 2', 1), ('\n\n{"a": NaN}', 3), ('{"a": "tab\there"}', 1), ('', 1), ("[" * 5000, 1)]:
        with pytest.raises(PhraselintError) as exc:
            read(raw)
        assert exc.value.line == line and not isinstance(exc.value, NotAReplyLibrary), raw[:20]


@pytest.mark.parametrize("raw", ['{"name": "my-package", "version": "1.0"}', "42", '"text"', "[]", "[1, 2]",
                                 '{"macros": 3}', '[{"title": "no body"}]'])
def test_valid_json_that_is_not_a_library(raw):
    with pytest.raises(NotAReplyLibrary) as exc:
        read(raw)
    assert exc.value.line == 1 and exc.value.message.startswith("not a reply library: expected")


# ------------------------------------------------------------------ fuzzing

_KEYS = st.sampled_from([
    "title", "name", "subject", "body", "text", "content", "content_html", "comment", "message",
    "macros", "macro", "actions", "field", "value", "agentURL", "url_utterance", "dialogContent",
    "agent", "tweet_ID", "dialogHeader", "company", "phraselint", "disable", "x"])
_LEAVES = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
           | st.text(max_size=15) | st.sampled_from(["comment_value", "comment_value_html", "disable=a.b",
                                                    "<p>We can&#39;t</p>\n\t<br>x", "a\\b \"q\" \U0001F600"]))
_DOCS = st.recursive(_LEAVES, lambda c: st.lists(c, max_size=4) | st.dictionaries(_KEYS, c, max_size=5),
                     max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_DOCS, st.booleans(), st.sampled_from([None, 1, "\t"]))
def test_any_json_gives_replies_or_not_a_library(doc, ascii_only, indent):
    raw = json.dumps(doc, ensure_ascii=ascii_only, indent=indent)
    assert parse(raw, "x.json").root == doc
    try:
        replies = read(raw)
    except PhraselintError as exc:  # NotAReplyLibrary, or a malformed "phraselint" key
        assert isinstance(exc, NotAReplyLibrary) or "phraselint" in exc.message
        return
    for reply in replies:
        assert_maps_back(raw, reply)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('{}[]:,"\\ u0a1ntrefls-.e+\n\ufeff')), max_size=40) | st.text(max_size=30))
def test_any_text_gives_replies_or_a_phraselint_error(raw):
    try:
        for reply in read(raw):
            assert_maps_back(raw, reply)
    except PhraselintError as exc:
        assert exc.line is not None and exc.line >= 1


# ------------------------------------------------------------------ the shared corpus


def _manifest(source: str) -> list[dict[str, str]]:
    with open(CORPUS / "manifest.tsv", encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f, delimiter="\t") if row["source"] == source]


def _corpus_rows(source: str) -> list[dict[str, str]]:
    if not (CORPUS / "manifest.tsv").exists():
        pytest.skip("no shared corpus")
    return _manifest(source)


def test_corpus_vscode_commands_json():
    rows = _corpus_rows("vscode_remote_release")
    raw = (CORPUS / "raw" / "vscode_remote_release" / ".github" / "commands.json").read_text(encoding="utf-8")
    replies = read(raw)
    for reply in replies:
        assert_maps_back(raw, reply)
    # The corpus keeps one file per distinct reply text: "extC++" and "extCpp" share a comment,
    # and only the first (by file order) is listed. Compare with the reader's replies deduplicated
    # by text the same way.
    got: dict[str, str | None] = {}
    for reply in replies:
        got.setdefault(reply.text.strip(), reply.name)
    expected = [(row["item"], (CORPUS / row["file"]).read_text(encoding="utf-8").strip()) for row in rows]
    assert [(name, text) for text, name in got.items()] == expected


@pytest.mark.parametrize("name", ["dev.json", "test.json"])
def test_corpus_ibm_twitter_dialogs(name):
    rows = [row for row in _corpus_rows("ibm_twitter_cdp") if row["path"] == name]
    path = CORPUS / "raw" / "ibm_twitter_cdp" / name
    if not rows or not path.exists():
        pytest.skip(f"{name} is not in the corpus")
    raw = path.read_text(encoding="utf-8")
    replies = read(raw)
    for reply in replies:
        assert_maps_back(raw, reply)
    # The corpus files keep Twitter's own escaping (`&amp;`, `&gt;`), which the reader decodes,
    # so the expected texts are unescaped the same way before comparing.
    expected = [(row["item"], stdhtml.unescape((CORPUS / row["file"]).read_text(encoding="utf-8")).strip())
                for row in rows]
    assert [(r.name, r.text.strip()) for r in replies] == expected
