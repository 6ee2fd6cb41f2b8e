"""The public API: `from phraselint import Checker`, one warm checker for many texts."""

from __future__ import annotations

import json
import threading

import pytest
from click.testing import CliRunner

import phraselint
from phraselint import Checker, PhraselintError
from phraselint.cli import cli

DRAFT = "Hi Sam,\n\nWe can't refund this order. You have to call your bank.\n"


@pytest.fixture(scope="module")
def checker():
    return Checker()


def test_public_names_are_exported():
    for name in phraselint.__all__:
        assert getattr(phraselint, name) is not None
    with pytest.raises(AttributeError):
        phraselint.NoSuchThing  # noqa: B018


def test_check_gives_findings_with_exact_spans_and_a_score(checker):
    result = checker.check(DRAFT, incoming="My parcel never arrived and I want my money back!")
    phrases = {(f.rule, f.match) for f in result.findings if f.scope == "phrase"}
    assert ("refusal.cant", "We can't") in phrases
    assert ("burden.have_to", "You have to") in phrases
    for f in result.findings:
        assert DRAFT[f.offset:f.end_offset] == f.match
    assert isinstance(result.score, int) and 0 <= result.score <= 100
    assert result.checks["coaching.empathy"] is False  # a complaint, and no acknowledgement of it


def test_incoming_decides_whether_empathy_applies(checker):
    text = "Go to Settings > Billing and pick the plan you want.\n"
    thanks = checker.check(text, incoming="How do I change my plan?")
    upset = checker.check(text, incoming="I was charged twice and nobody answers, this is ridiculous!")
    assert thanks.checks["coaching.empathy"] is None
    assert upset.checks["coaching.empathy"] is False


def test_a_long_run_without_a_space_in_the_message_is_read_as_a_space(checker):
    # No word: a row of "=" is not tokenized (its time is its length squared), the rest is read.
    text = "Go to Settings > Billing and pick the plan you want.\n"
    upset = checker.check(text, incoming="=" * 50_000 + " I was charged twice, this is ridiculous!")
    assert upset.checks["coaching.empathy"] is False


@pytest.mark.parametrize("incoming", ["My parcel \ud800 never came, this is ridiculous!",
                                      b"My parcel \xff never came, this is ridiculous!"])
def test_a_malformed_or_bytes_message_is_read_not_a_crash(checker, incoming):
    result = checker.check("Go to Settings > Billing and pick the plan you want.\n", incoming=incoming)
    assert result.checks["coaching.empathy"] is False


def test_a_message_of_another_type_is_a_type_error(checker):
    with pytest.raises(TypeError, match="incoming must be"):
        checker.check("Thanks!", incoming=5)


def test_same_findings_as_the_cli(checker, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(DRAFT, encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", "draft.txt", "--format", "json"], catch_exceptions=False)
    cli_results = [(r["rule"], r["offset"], r["end_offset"], r["message"]) for r in json.loads(out.stdout)["results"]]
    api_results = [(f.rule, f.offset, f.end_offset, f.message) for f in checker.check(DRAFT, name="draft.txt").findings]
    assert api_results == cli_results


def test_fix_applies_safe_fixes_and_reports_edits_in_original_offsets(checker):
    text = "Sorry 'bout that! Please restart the app.\n"
    fixed = checker.fix(text)
    assert fixed.applied >= 1 and fixed.text != text
    assert "'bout" not in fixed.text
    rebuilt, pos = [], 0
    for edit in fixed.edits:  # the edits, applied to the original, give the fixed text
        rebuilt += [text[pos:edit.offset], edit.replacement]
        pos = edit.end_offset
    assert "".join(rebuilt) + text[pos:] == fixed.text
    assert checker.fix(fixed.text).applied == 0  # nothing left to fix safely


def test_explain_and_unknown_rule(checker):
    assert "refusal.cant" in checker.explain("refusal.cant")
    with pytest.raises(KeyError):
        checker.explain("no.such_rule")


def test_select_and_coaching_off():
    only = Checker(select=["burden"], coaching=False)
    result = only.check(DRAFT)
    assert {f.rule.split(".")[0] for f in result.findings} == {"burden"}
    assert result.score is None and result.checks == {}


def test_formats_and_malformed_text(checker):
    library = json.dumps([{"title": "refund", "body": "We can't refund it."},
                          {"title": "thanks", "body": "Thanks for writing in!"}])
    result = checker.check(library, format="json")
    assert len(result.replies) == 2
    assert [f.reply for f in result.findings if f.rule == "refusal.cant"] == ["refund"]
    with pytest.raises(PhraselintError) as err:
        checker.check('{"macros": [', format="json")
    assert "invalid JSON" in str(err.value)
    with pytest.raises(PhraselintError):
        checker.check("x", format="no-such-format")
    with pytest.raises(TypeError):
        checker.check(42)  # type: ignore[arg-type]


def test_odd_text_is_linted_not_fatal(checker):
    assert checker.check("").findings == []
    lone = checker.check("We can't \ud800 refund it.")  # a lone surrogate from a bad decode upstream
    assert any(f.rule == "refusal.cant" for f in lone.findings)
    raw = checker.check(b"We can\xe2\x80\x99t refund \xff it.")  # bytes, with a bad UTF-8 byte
    assert any(f.rule == "refusal.cant" for f in raw.findings)
    with pytest.raises(PhraselintError):
        checker.check(b"\x00\x01binary\x00")


def test_threads_share_one_checker(checker):
    texts = [DRAFT, "Thanks so much for your patience!\n", "You must log in first.\n"] * 10
    expected = [[(f.rule, f.offset) for f in checker.check(t).findings] for t in texts]
    got: dict[int, list] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            got[i] = [(f.rule, f.offset) for f in checker.check(texts[i]).findings]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [got[i] for i in range(len(texts))] == expected
