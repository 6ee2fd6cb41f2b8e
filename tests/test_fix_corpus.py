"""Fixing every real reply in ../shared/corpus (skipped when absent): a copy is fixed with the
command, then re-checked. No fixable finding is left, a second run changes nothing, and no
text outside the fixed spans changed."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from phraselint import fixfile, readers
from phraselint.cli import cli
from phraselint.inputs import Source

from .conftest import CORPUS

REPLIES = CORPUS / "replies"
pytestmark = pytest.mark.skipif(not REPLIES.is_dir(), reason="shared corpus not present")


@pytest.fixture(scope="module")
def fixed_copy(tmp_path_factory):
    copy = tmp_path_factory.mktemp("corpus") / "replies"
    shutil.copytree(REPLIES, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    result = CliRunner().invoke(cli, ["fix", str(copy), "--fail-on", "never", "--include-read-only"],
                                catch_exceptions=False)
    return copy, before, result


def test_fixing_the_corpus_leaves_no_fixable_finding(fixed_copy):
    copy, before, result = fixed_copy
    assert result.exit_code == 0, result.stderr
    changed = [p for p, data in before.items() if p.read_bytes() != data]
    assert changed, "the corpus has safe fixes to apply"
    check = CliRunner().invoke(cli, ["check", str(copy), "--format", "json", "--fail-on", "never"],
                               catch_exceptions=False)
    assert [r for r in json.loads(check.stdout)["results"] if r["fix"]] == []
    again = CliRunner().invoke(cli, ["fix", str(copy), "--fail-on", "never", "--include-read-only"],
                               catch_exceptions=False)
    assert "Fixed 0 findings in 0 files" in again.stderr


def test_corpus_fixes_change_nothing_outside_their_spans(linter):
    fixed_any = 0
    for path in sorted(p for p in REPLIES.rglob("*") if p.is_file() and p.suffix != ".tsv"):
        text = path.read_text(encoding="utf-8", errors="strict")
        reader = readers.reader_for(str(path))
        result = fixfile.fix_source(linter, Source(str(path), text), reader)
        assert result.log.unchanged_outside(text, result.after), path
        for o0, o1, c0, c1 in result.log.spans:  # every edit is small: a phrase and its punctuation
            assert o1 - o0 <= 80 and c1 - c0 <= 80, (path, text[o0:o1], result.after[c0:c1])
        fixed_any += result.applied
    assert fixed_any > 0


def test_no_applied_fix_is_flagged_afterwards(coach_linter):
    """Every safe fix on the corpus, re-checked with every rule (coaching included): no phrase
    finding inside the text a fix wrote, and no reply-level finding on it that the reply did not
    have before (the fix "I apologize for that" is the apology form the guidance asks for)."""
    fixed = 0
    for path in sorted(p for p in REPLIES.rglob("*") if p.is_file() and p.suffix != ".tsv"):
        text = path.read_text(encoding="utf-8", errors="strict")
        reader = readers.reader_for(str(path))
        result = fixfile.fix_source(coach_linter, Source(str(path), text), reader)
        if not result.applied:
            continue
        fixed += result.applied
        _, before = coach_linter.lint_source(Source(str(path), text), reader)
        _, after = coach_linter.lint_source(Source(str(path), result.after), reader)
        had = {f.rule for f in before if f.scope == "reply"}
        for _, _, c0, c1 in result.log.spans:
            flagged = [f.rule for f in after if c0 <= f.offset < c1 and f.scope == "phrase"]
            flagged += [f.rule for f in after if f.scope == "reply" and f.offset < c1 and c0 < f.end_offset
                        and f.rule not in had]  # a check the fixed words now fail
            assert not flagged, (path, result.after[c0:c1], flagged)
    assert fixed > 0


@pytest.fixture(scope="module")
def coach_linter():
    from phraselint.lint import Linter, Settings

    return Linter(Settings())
