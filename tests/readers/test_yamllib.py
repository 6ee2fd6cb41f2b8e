from __future__ import annotations

import csv
from collections import Counter

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phraselint.errors import NotAReplyLibrary, PhraselintError
from phraselint.readers import yamllib, yamlscalar
from phraselint.text import OffsetMap, ReplyText

from ..conftest import CORPUS


def assert_maps_to_raw(raw: str, reply: ReplyText) -> None:
    """The map covers the text in order; every copied character is the raw character it maps to.

    A segment whose two sides have equal length is a copy for `OffsetMap`; the only replaced pieces
    that can have the length of their source are a line break folded into a space ("\\n" -> " "),
    so a whitespace character may stand for another one there."""
    text, segs = reply.text, reply.to_raw.segments
    assert segs[0][0] == 0 and segs[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(segs, segs[1:]))
    for d0, d1, s0, s1 in segs:
        assert 0 <= s0 <= s1 <= len(raw)
        if d1 - d0 == s1 - s0:
            for i in range(d0, d1):
                t, r = text[i], raw[reply.to_raw.start(i)]
                assert t == r or (t.isspace() and r.isspace()), (i, t, r)
    assert all(0 <= a <= b <= len(text) for a, b in reply.masks)


def lint(engine, raw: str, replies: list[ReplyText]) -> list[tuple[str | None, str, str]]:
    """(reply name, rule id, raw slice) of every finding."""
    out = []
    for reply, hits in zip(replies, engine.lint(replies)):
        assert_maps_to_raw(raw, reply)
        for h in hits:
            start, end = reply.to_raw.span(h.start, h.end)
            out.append((reply.name, h.rule.id, raw[start:end]))
    return out


def read(raw: str, path: str = "replies.yml", **kw) -> list[ReplyText]:
    return list(yamllib.read(raw, path, **kw))


# ------------------------------------------------------------------ structures, end to end

SAVED = """\
replies:
  - name: Refund refused
    body: |
      Thanks for writing in.

      We can't refund this order.
  - name: Folded
    body: >
      Sorry, we
      are unable to
      help here.
  # phraselint: disable=refusal.cant
  - name: Quoted
    body: 'Thanks! We can''t
      refund that, and it''s not our fault.'
  - name: Escaped
    phraselint: {disable: [blame.not_our_fault]}
    body: "We can\\u0027t do it.\\nIt is not our fault.\\tYou must \\
      restart."
  - name: No body here
    notes: ignored
"""


def test_saved_replies_map_findings_to_raw(engine):
    replies = read(SAVED)
    assert [r.name for r in replies] == ["Refund refused", "Folded", "Quoted", "Escaped"]
    assert replies[2].disable == ("refusal.cant",)
    assert replies[3].disable == ("blame.not_our_fault",)
    found = lint(engine, SAVED, replies)
    assert ("Refund refused", "refusal.cant", "We can't") in found
    assert ("Folded", "refusal.cant", "we\n      are unable to") in found  # across a folded break
    assert ("Quoted", "refusal.cant", "We can''t") in found  # the raw escape
    assert ("Quoted", "blame.not_our_fault", "not our fault") in found
    assert ("Escaped", "refusal.cant", "We can\\u0027t") in found
    assert ("Escaped", "burden.have_to", "You must") in found


def test_texts_equal_what_yaml_loads():
    data = yaml.safe_load(SAVED)["replies"]
    for reply, item in zip(read(SAVED), data):
        assert reply.text == item["body"].strip()


def test_disable_as_a_string_and_comment_above_a_dash_line():
    raw = ('- title: A\n  phraselint: "disable=refusal.cant, blame"\n  response: We can\'t.\n'
           '# phraselint: disable=apology\n-\n  title: B\n  response: Sorry for that.\n')
    a, b = read(raw)
    assert a.disable == ("refusal.cant", "blame") and b.disable == ("apology",)


def test_bad_phraselint_key_is_an_error_with_its_line():
    with pytest.raises(PhraselintError) as exc:
        read("replies:\n  - name: x\n    phraselint: [1, 2]\n    body: hi\n")
    assert exc.value.line == 3 and "disable" in exc.value.message


def test_osticket_canned_responses_html_bodies(engine):
    raw = ("---\n- isenabled: 1\n  title: Refund\n  response: |\n    Hi %{ticket.name.first},\n    <br>\n"
           "    <p>We can&#39;t refund\n    this order. You <b>must</b> wait.</p>\n  notes: |\n\n")
    (reply,) = read(raw, "premade.yaml")
    assert reply.name == "Refund" and "<br>" not in reply.text and "We can't refund" in reply.text
    found = lint(engine, raw, [reply])
    assert ("Refund", "refusal.cant", "We can&#39;t") in found
    assert ("Refund", "burden.have_to", "You <b>must") in found  # through the inline tag


def test_template_with_subject_is_one_reply_named_by_the_stem(engine):
    raw = ("notes: |\n    Staff reply.\nsubject: |\n    Sorry for the delay [#%{ticket.number}]\n"
           "body: |\n    <h3>Dear %{recipient.name.first},</h3>\n    <p>We can't reopen it.</p>\n")
    (reply,) = read(raw, "templates/email/ticket.reply.yaml")
    assert reply.name == "ticket.reply"
    assert reply.text.startswith("Subject: Sorry for the delay [#%{ticket.number}]\n\nDear ")
    found = lint(engine, raw, [reply])
    assert ("ticket.reply", "apology.sorry_for", "Sorry for") in found
    assert ("ticket.reply", "refusal.cant", "We can't") in found
    label = reply.to_raw.span(0, len("Subject:"))
    assert raw[label[0]:label[1]] == "subject"


def test_template_disable_by_key_and_comment_above_body():
    raw = "phraselint: disable=blame\nsubject: Hi\n# phraselint: disable=apology, refusal.cant\nbody: <p>x</p>\n"
    (reply,) = read(raw, "t.yaml")
    assert reply.disable == ("blame", "apology", "refusal.cant")


def test_generic_list_under_any_key_with_other_field_names(engine):
    raw = "version: 2\ntemplates:\n  - subject: Late\n    message: Please be patient.\n  - {title: T, text: ''}\n"
    (reply,) = read(raw)  # the empty text is skipped
    assert reply.name == "Late"
    assert lint(engine, raw, [reply]) == [("Late", "deflection.wait_patiently", "Please be patient")]


def test_single_reply_mapping_and_subject_after_body(engine):
    (reply,) = read("title: Late\ntext: Please be patient.\n")
    assert reply.name == "Late" and reply.text == "Please be patient."
    raw = "body: <p>We can't.</p>\nsubject: Sorry for that\n"
    (reply,) = read(raw, "x/note.yaml")
    assert reply.text == "Subject: Sorry for that\n\nWe can't." and reply.name == "note"
    assert sorted(lint(engine, raw, [reply])) == [("note", "apology.sorry_for", "Sorry for"),
                                                 ("note", "refusal.cant", "We can't")]


def test_markdown_in_bodies_code_masked_hard_breaks_dropped(engine):
    raw = "replies:\n  - name: x\n    body: |\n      Run `you must restart` now.\\\n      Thanks!\n"
    (reply,) = read(raw)
    assert reply.text == "Run `you must restart` now.\nThanks!"
    assert lint(engine, raw, [reply]) == []


@pytest.mark.parametrize("raw, what", [
    ("debug: true\nport: 8080\n", "debug, port"),
    ("- one\n- two\n", "a list"),
    ("just text\n", "a single value"),
    ("replies:\n  - name: a\n    body: [1, 2]\n", "replies"),
])
def test_not_a_reply_library(raw, what):
    with pytest.raises(NotAReplyLibrary) as exc:
        read(raw, "settings.yml")
    assert what in exc.value.message and exc.value.path == "settings.yml" and exc.value.line == 1


def test_empty_documents_have_no_replies():
    assert read("") == [] and read("# only a comment\n") == [] and read("---\n...\n") == []
    assert read("replies: []\n") == []


def test_several_documents():
    raw = "kind: Config\n---\n- title: A\n  text: Hi.\n---\n- title: B\n  text: Bye.\n"
    assert [r.name for r in read(raw)] == ["A", "B"]
    with pytest.raises(NotAReplyLibrary) as exc:
        read("kind: Config\n---\nkind: Service\n")
    assert exc.value.line == 1


def test_syntax_error_has_its_line():
    with pytest.raises(PhraselintError) as exc:
        read("replies:\n  - name: a\n    body: [unclosed\n  - name: b\n")
    assert not isinstance(exc.value, NotAReplyLibrary)
    assert exc.value.line and exc.value.line >= 3 and "YAML syntax error" in exc.value.message


def test_cr_line_breaks_and_comments():
    raw = "replies:\r- name: a\r  body: hi\r# phraselint: disable=blame\r- name: b\r  body: yo\r\r\r- name: c\r  body: z\r"
    replies = read(raw)
    assert [(r.name, r.text, r.disable) for r in replies] == [("a", "hi", ()), ("b", "yo", ("blame",)), ("c", "z", ())]


def test_crlf_and_bom():
    raw = "\ufeffreplies:\r\n  - name: a\r\n    body: |\r\n      one\r\n      two\r\n"
    (reply,) = read(raw)
    assert reply.text == "one\ntwo"
    assert_maps_to_raw(raw, reply)


# ------------------------------------------------------------------ scalar decoding

SCALARS = [
    "a: hello\n  world\n\n  again  \n  x\n",
    "a: 'it''s\n   a   test  \n\n\n   ok'\n",
    'a: "tab\\there\\n\\u00e9\\x41 \\"q\\" \\\\ end\\\n    cont  \\\n\n    next"\n',
    "a: |\n  line1\n    indented\n\n  line3\n\n\nb: 1\n",
    "a: |-\n  x\n  y\n\n",
    "a: |+\n  x\n  y\n\n\nb: 2\n",
    "a: >\n  folded\n  text\n\n  para\n    more\n  back\n  \n  end\n",
    "a: >-\n  x\n  y\n",
    "- |2\n    two extra\n   one\n",
    "- k: |2\n      two extra\n     one\n",
    "a: |\n\n  \n  leading blanks\n",
    "a: &anc |\n  anchored\n  text\nb: *anc\n",
    "a: !!str &x 'q'\n",
    'a: "\n  first break"\n',
    "a: |\r\n  crlf\r\n  lines\r\n",
    'a: "\\U0001F600 \\N \\_ \\L"\n',
    "k: [a b, \"c\n d\", e]\n",
    "--- |1\n  two\n",
    "a: |  # comment\n  x\n",
    "a: >\n  a\n  \tb\n",
]


def _scalars(node):
    if isinstance(node, yaml.ScalarNode):
        yield node
    for child in node.value if isinstance(node.value, list) else ():
        for sub in child if isinstance(child, tuple) else (child,):
            yield from _scalars(sub)


@pytest.mark.parametrize("raw", SCALARS)
def test_scalar_decoder_matches_the_parser(raw):
    for node in _scalars(yaml.compose(raw, Loader=yamllib._Loader)):
        decoded = yamlscalar.decode_scalar(raw, node)
        assert decoded is not None, node.value  # decoded, not the line-by-line fallback
        text, to_raw = decoded
        assert_maps_to_raw(raw, ReplyText(text, to_raw))


def test_values_equal_safe_load_for_every_style():
    value = "Line one 'quoted' \"double\" \\ back\n\n  indented\ttab\nlast é 👋"
    for style in (None, '"', "'", "|", ">"):
        raw = yaml.dump({"body": value}, default_style=style, width=30, allow_unicode=True)
        node = yaml.compose(raw, Loader=yamllib._Loader).value[0][1]
        text, to_raw = yamlscalar.scalar_text(raw, node)
        assert text == yaml.safe_load(raw)["body"] == value
        assert yamlscalar.decode_scalar(raw, node) is not None
        assert_maps_to_raw(raw, ReplyText(text, to_raw))


def test_fallback_maps_line_by_line():
    raw = "a: |\n  one\n  two\n"
    node = yaml.compose(raw).value[0][1]
    node.value = "one\nTWO\n"  # pretend the decoder disagrees
    text, to_raw = yamlscalar.scalar_text(raw, node)
    assert text == "one\nTWO\n" and raw[to_raw.start(0):to_raw.end(3)] == "one"


_CHARS = st.sampled_from(list("ab c'\"\\\n\t #:-|>é\u2028\r")) | st.characters(blacklist_categories=("Cs",))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=_CHARS, max_size=60), st.sampled_from([None, '"', "'", "|", ">"]),
       st.sampled_from([20, 80]))
def test_emitted_scalars_decode_exactly(value, style, width):
    raw = yaml.dump({"replies": [{"name": "x", "body": value}]}, default_style=style, width=width,
                    allow_unicode=True)
    node = yaml.compose(raw, Loader=yamllib._Loader).value[0][1].value[0].value[1][1]
    if node.value != value:  # the emitter could not write it in this style
        return
    decoded = yamlscalar.decode_scalar(raw, node)
    assert decoded is not None and decoded[0] == value
    assert_maps_to_raw(raw, ReplyText(*decoded))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list("ab:- \n'\"|>#[]{}&*!,\\\t")) | st.characters(), max_size=80))
def test_random_text_gives_replies_or_reader_errors(raw):
    try:
        for reply in yamllib.read(raw, "fuzz.yml"):
            assert_maps_to_raw(raw, reply)
    except PhraselintError:  # NotAReplyLibrary is one too
        pass


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list("ab:- \n'\"|>#\\\t\u2028")), max_size=60),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_bodies_in_a_library(body, newline):
    raw = ("replies:\n  - name: n\n    body: " + body + "\n  # phraselint: disable=x\n  - name: m\n"
           "    body: |\n      We can't.\n").replace("\n", newline)
    try:
        replies = read(raw)
    except PhraselintError:
        return
    for reply in replies:
        assert_maps_to_raw(raw, reply)


# ------------------------------------------------------------------ the corpus

MANIFEST = CORPUS / "manifest.tsv"
corpus = pytest.mark.skipif(not MANIFEST.exists(), reason="no shared corpus")


def _manifest(source: str) -> dict[str, list[dict]]:
    with open(MANIFEST, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["source"] == source]
    by_path: dict[str, list[dict]] = {}
    for row in rows:
        by_path.setdefault(row["path"], []).append(row)
    return by_path


def _triggers(engine, texts: list[str]) -> Counter:
    replies = [ReplyText(t, OffsetMap.identity(len(t))) for t in texts]
    return Counter((h.rule.id, t[h.start:h.end]) for t, hits in zip(texts, engine.lint(replies)) for h in hits)


@corpus
def test_corpus_typescript_eslint_replies(engine):
    from phraselint.readers.markdown import markdown_text

    (path, rows), = _manifest("typescript_eslint").items()
    raw = (CORPUS / "raw" / "typescript_eslint" / path).read_text(encoding="utf-8")
    replies = read(raw, path)
    assert [r.name for r in replies] == [row["item"] for row in rows]
    for reply, row in zip(replies, rows):
        assert_maps_to_raw(raw, reply)
        # The extraction kept the Markdown source; the reader reads hard breaks ("\" at the end
        # of a line) as line breaks, so compare with the extraction read the same way.
        expected = markdown_text((CORPUS / row["file"]).read_text(encoding="utf-8"))[0]
        assert reply.text.strip() == expected.strip()


@corpus
def test_corpus_osticket_premade_and_templates(engine):
    rows = _manifest("osticket")
    assert rows
    for path, items in rows.items():
        raw = (CORPUS / "raw" / "osticket" / path).read_text(encoding="utf-8")
        replies = read(raw, path)
        assert len(replies) == len(items), path
        for reply, row in zip(replies, items):
            assert_maps_to_raw(raw, reply)
            expected = (CORPUS / row["file"]).read_text(encoding="utf-8")
            # The extraction rendered the HTML its own way (line breaks, "----" for <hr>), the
            # HTML reader another: what must match is the words, and the findings on them.
            words = [w for w in expected.split() if w != "----"]
            assert reply.text.split() == words, path
            assert _triggers(engine, [reply.text]) == _triggers(engine, [expected]), path
        if path.endswith("premade.yaml"):
            assert [r.name for r in replies] == [row["item"] for row in items]
        else:
            assert replies[0].name == path.rsplit("/", 1)[1].removesuffix(".yaml")


# ------------------------------------------------------------------ the customer's message


def test_incoming_message_rides_along_and_is_never_linted(engine):
    raw = ("replies:\n"
           "  - name: A\n    body: You have to restart.\n    incoming: You must hurry, we can't wait!\n"
           "  - name: B\n    body: Hello.\n    Customer_Message: |\n      Where is it?\n"
           "  - name: C\n    body: Hi.\n    incoming: [1]\n    in_reply_to: 'Late!'\n"
           "  - name: D\n    body: Hey.\n    incoming: ''\n"
           "  - name: E\n    body: Yo.\n")
    replies = read(raw)
    assert [(r.name, r.incoming) for r in replies] == [
        ("A", "You must hurry, we can't wait!"), ("B", "Where is it?\n"), ("C", "Late!"), ("D", None), ("E", None)]
    assert lint(engine, raw, replies) == [("A", "burden.have_to", "You have to")]
    (template,) = read("subject: Re\nbody: Hi.\nincoming: It broke.\n", "ticket.reply.yaml")
    assert (template.name, template.incoming) == ("ticket.reply", "It broke.")


def test_single_unnamed_mapping_is_one_reply():
    raw = "text: |\n  Your tracking number is 123.\nincoming: my order never arrived\n"
    (reply,) = read(raw)
    assert (reply.name, reply.text, reply.incoming) == (None, "Your tracking number is 123.", "my order never arrived")
    assert_maps_to_raw(raw, reply)
    for raw in ["text: hi\ntags: [a]\n", "incoming: only the customer\n", "message: [1, 2]\n"]:
        with pytest.raises(NotAReplyLibrary):
            read(raw)
