"""Large JSON exports are read reply by reply (`inputs.windowed`, `jsonlib.windows`), never
decoded whole. Whatever the size, `check` must say exactly what it says of the same file read
whole: each case here is checked both ways (the size limit set to zero, then out of reach)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from phraselint import inputs
from phraselint.cli import cli
from phraselint.readers import jsonlib

from ..conftest import CORPUS

MACROS = [
    {"title": "Refund 😀 é", "actions": [
        {"field": "status", "value": "pending"},
        {"field": "comment_value", "value": "Hi 😀 we can't refund it.\nSorry 'bout that."}]},
    {"title": "Quote \"x\"", "actions": [{"field": "comment_value_html",
                                          "value": "<p>You have to &amp; you must re-enter it “now”. We won't.</p>"}]},
    {"title": "Off", "phraselint": "disable=refusal,nosuch.rule",
     "actions": [{"field": "comment_value", "value": "We can't do that \\u2019 here."}]},
    {"title": "Escaped", "actions": [{"field": "comment_value", "value": "Calm down.\t\u2028We can\u2019t help."}]},
]
IBM = [{"dialogHeader": {"company": "Acme"},
        "dialogContent": [{"customer": "x", "message": "my parcel is late!"},
                          {"agent": "Acme", "tweet_ID": "2", "message": "@sam Sorry 'bout that, you have to wait."}],
        "agentURL": {"tweet_ID": "1", "url_utterance": "@sam We can't refund it, calm down."}}] * 3


def _variants():
    doc = {"macros": MACROS * 3, "count": 12}
    yield "one-line", json.dumps(doc, ensure_ascii=False)
    yield "indented", json.dumps(doc, ensure_ascii=False, indent=2)
    yield "ascii-escaped", json.dumps(doc, ensure_ascii=True, indent="\t")
    yield "crlf", json.dumps(doc, ensure_ascii=False, indent=1).replace("\n", "\r\n")
    yield "bare-cr", json.dumps(doc, ensure_ascii=False, indent=1).replace("\n", "\r")
    yield "bom", "\ufeff" + json.dumps(doc, ensure_ascii=False, indent=1)
    yield "long-line", json.dumps({"macros": MACROS * 40}, ensure_ascii=False)  # over LONG_LINE: strings alone
    yield "ibm", json.dumps(IBM, ensure_ascii=False, indent=4)  # a dialog's reply comes after its turns
    yield "list", json.dumps([{"name": "A", "text": "We can't 😀 do it."}, {"name": "B", "text": "Calm down."}])


def _check(tmp_path, monkeypatch, limit, *args):
    monkeypatch.setattr(inputs, "WINDOWED_BYTES", limit)
    result = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name, raw", list(_variants()), ids=[n for n, _ in _variants()])
@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_read_in_parts_says_what_read_whole_says(tmp_path, monkeypatch, name, raw, fmt):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib.json").write_bytes(raw.encode("utf-8"))
    args = ("lib.json", "--format", fmt, "--report-unused-suppressions")
    whole = _check(tmp_path, monkeypatch, 10**12, *args)
    parts = _check(tmp_path, monkeypatch, 0, *args)
    assert whole[0] == 1 and whole[1]  # findings, so that the comparison means something
    if fmt == "text" and name == "long-line":  # a long line's excerpt starts at the string, not the line
        whole, parts = whole[0], parts[0]
    assert parts == whole


def test_parts_place_each_reply_where_the_whole_file_has_it():
    raw = json.dumps(IBM + IBM, ensure_ascii=False, indent=2).replace("\n", "\r\n")
    latin = raw.encode("utf-8").decode("latin-1")
    whole = list(jsonlib.read(raw, "x.json"))
    parts = list(jsonlib.windows(latin, "x.json"))
    assert [r.text for r in whole] == [w.reply.text for w in parts]
    for reply, window in zip(whole, parts):
        start = window.origin.offset + window.reply.to_raw.start(0)
        assert start == reply.to_raw.start(0)
        assert raw[window.origin.offset:window.origin.offset + len(window.text)] == window.text


@pytest.mark.parametrize("raw, message", [
    ('{"macros": [{"title": "a", "actions": [}]}', "invalid JSON"),
    ('{"macros": [{"title": "a", "phraselint": 5, "actions": [{"field": "comment_value", "value": "x"}]}]}',
     "phraselint"),
    ('{"settings": {"colour": "red"}}', "not a reply library"),
])
def test_a_bad_export_read_in_parts_fails_as_read_whole(tmp_path, monkeypatch, raw, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib.json").write_text(raw, encoding="utf-8")
    whole = _check(tmp_path, monkeypatch, 10**12, "lib.json")
    parts = _check(tmp_path, monkeypatch, 0, "lib.json")
    assert parts == whole
    assert whole[0] == 2 and message in whole[2]


def test_bad_utf8_or_a_wide_encoding_is_read_whole():
    data = json.dumps({"macros": MACROS}).encode("utf-8")
    assert inputs.windowed("x.json", data) is None  # small
    big = data + b" " * inputs.WINDOWED_BYTES
    assert inputs.windowed("x.json", big) is not None
    assert inputs.windowed("x.json", big[:20] + b"\xff" + big[20:]) is None  # bad UTF-8: read whole, with its warning
    assert inputs.windowed("x.json", b"\xff\xfe" + big.decode().encode("utf-16-le")) is None


@pytest.mark.skipif(not (CORPUS / "raw").is_dir(), reason="the shared corpus is not here")
@pytest.mark.parametrize("path", sorted((CORPUS / "raw").rglob("*.json")) if (CORPUS / "raw").is_dir() else [],
                         ids=lambda p: p.name)
def test_corpus_exports_read_in_parts_as_read_whole(tmp_path, monkeypatch, path):
    whole = _check(tmp_path, monkeypatch, 10**12, str(path), "--format", "json")
    parts = _check(tmp_path, monkeypatch, 0, str(path), "--format", "json")
    assert parts == whole


def _macro(title: str, body: str, **extra) -> dict:
    return {"title": title, **extra, "actions": [{"field": "comment_value", "value": body}]}


@pytest.mark.parametrize("name, raw", [
    # a second byte-order mark after the one the file reader takes off
    ("two-boms", "\ufeff\ufeff" + json.dumps({"macros": [_macro("a", "Calm down.")]})),
    # an unknown rule in one reply's key, then a bad key: the same notes, then the same error
    ("unknown-then-bad", json.dumps({"macros": [_macro("a", "We can't.", phraselint="disable=nosuch"),
                                                _macro("b", "Calm down.", phraselint=5)]}, indent=1)),
    # an unknown rule, a reply too long to coach, another unknown rule: the notes in one order
    ("unknown-then-long", json.dumps({"macros": [_macro("a", "We can't.", phraselint="disable=nosuch"),
                                                 _macro("b", "Calm down. " * 20_000),
                                                 _macro("c", "We can't.", phraselint="disable=other")]}, indent=1)),
    # a line of 1,000 characters and 2,800 bytes: whole, in both readings
    ("wide-line", json.dumps({"macros": [_macro("a", "日本語" * 300 + " We can't refund this. Calm down.")]},
                             ensure_ascii=False, indent=1)),
    # a syntax error in a file of lone carriage returns: the same line
    ("bare-cr-broken", json.dumps({"macros": [_macro("a", "Calm down.")]}, indent=1).replace("\n", "\r")[:-2]),
])
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_edge_cases_read_in_parts_as_read_whole(tmp_path, monkeypatch, name, raw, fmt):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lib.json").write_bytes(raw.encode("utf-8"))
    args = ("lib.json", "--format", fmt)
    whole = _check(tmp_path, monkeypatch, 10**12, *args)
    parts = _check(tmp_path, monkeypatch, 0, *args)
    if fmt == "text" and name == "unknown-then-long":  # a line over 2,000 characters: its excerpt may differ
        whole, parts = (whole[0], whole[2]), (parts[0], parts[2])
    assert parts == whole
    if name == "bare-cr-broken":
        assert whole[0] == 2 and "lib.json:" in whole[2] and "lib.json:1:" not in whole[2]
