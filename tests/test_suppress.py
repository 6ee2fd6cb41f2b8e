"""Inline suppressions silence exactly the rules and lines they name; baselines; .gitignore."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from phraselint.cli import cli
from phraselint.suppress import parse

from .conftest import PHRASES_ONLY


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args):
        result = CliRunner().invoke(cli, ["check", *args, "--format", "json", *PHRASES_ONLY], catch_exceptions=False)
        doc = json.loads(result.stdout) if result.stdout.strip() else {"results": []}
        return result, [(r["line"], r["rule"]) for r in doc["results"]]

    return invoke


def test_plain_text_next_line(run, tmp_path):
    (tmp_path / "a.txt").write_text(
        "We can't refund.\nphraselint-disable-next-line refusal.cant\nWe can't refund. You must pay.\nWe can't.\n")
    _, found = run("a.txt")
    assert found == [(1, "refusal.cant"), (3, "burden.have_to"), (4, "refusal.cant")]


def test_markdown_disable_enable_by_category_and_all(run, tmp_path):
    (tmp_path / "a.md").write_text(
        "We can't refund.\n<!-- phraselint-disable refusal -->\nWe can't refund. You must pay.\n"
        "<!-- phraselint-enable -->\nWe can't.\n<!-- phraselint-disable-next-line -->\nYou must pay. We can't.\n")
    _, found = run("a.md")
    assert found == [(1, "refusal.cant"), (3, "burden.have_to"), (5, "refusal.cant")]


def test_unknown_rule_in_directive_is_a_warning(run, tmp_path):
    (tmp_path / "a.txt").write_text("phraselint-disable-next-line refusal.cnat\nWe can't refund.\n")
    result, found = run("a.txt")
    assert found == [(2, "refusal.cant")]
    assert "a.txt:1: warning: unknown rule 'refusal.cnat' in suppression" in result.stderr


def test_report_unused_suppressions(run, tmp_path):
    (tmp_path / "a.md").write_text("<!-- phraselint-disable-next-line burden -->\nWe can't refund.\n"
                                   "<!-- phraselint-disable-next-line refusal -->\nWe can't refund.\n")
    result, found = run("a.md", "--report-unused-suppressions")
    assert found == [(2, "refusal.cant")]
    assert "a.md:1: unused suppression: <!-- phraselint-disable-next-line burden -->" in result.stderr
    assert "a.md:3" not in result.stderr


def test_parse_ranges():
    raw = "x\n<!-- phraselint-disable a.b, c -->\ny\n<!-- phraselint-enable c -->\nz"
    (d,) = parse(raw, "html")
    assert d.rules == ("a.b", "c") and raw[d.start:d.end] == "\ny\n" and d.line == 2


def test_baseline_reports_only_new_findings(run, tmp_path):
    (tmp_path / "a.txt").write_text("We can't refund.\n")
    result, _ = run("a.txt", "--baseline", "base.json", "--write-baseline")
    assert result.exit_code == 0 and "wrote 1 finding" in result.stderr
    (tmp_path / "a.txt").write_text("Hello!\n\nWe can't   refund.\nYou must pay.\n")  # moved, re-spaced, plus a new one
    result, found = run("a.txt", "--baseline", "base.json")
    assert found == [(4, "burden.have_to")]
    assert result.exit_code == 1


def test_missing_baseline_is_an_error(run, tmp_path):
    (tmp_path / "a.txt").write_text("We can't refund.\n")
    result, _ = run("a.txt", "--baseline", "nope.json")
    assert result.exit_code == 2 and "nope.json: baseline file not found" in result.stderr


def test_gitignore_is_honoured_in_folders(run, tmp_path):
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".gitignore").write_text("drafts/\n")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.txt").write_text("We can't refund.\n")
    (tmp_path / "b.txt").write_text("You must pay.\n")
    _, found = run(".")
    assert found == [(1, "burden.have_to")]
    _, found = run("drafts")  # named outright: the user means it
    assert found == [(1, "refusal.cant")]


def test_output_file(run, tmp_path):
    (tmp_path / "a.txt").write_text("We can't refund.\n")
    result = CliRunner().invoke(cli, ["check", "a.txt", "--format", "json", "-o", "out.json", *PHRASES_ONLY])
    assert result.stdout == ""
    assert json.loads((tmp_path / "out.json").read_text())["summary"]["findings"] == 1


def test_config_placeholders(run, tmp_path):
    (tmp_path / "phraselint.yaml").write_text(r"placeholders: ['\[\[[^]]+\]\]']" + "\n")
    (tmp_path / "a.txt").write_text("Hi [[you must pay]], thanks.\n")
    _, found = run("a.txt")
    assert found == []
    (tmp_path / "phraselint.yaml").write_text("select: [burden]\n")
    _, found = run("a.txt")
    assert found == [(1, "burden.have_to")]  # the same text without the extra pattern


@pytest.mark.parametrize(("name", "content"), [
    ("a.md", "Use `<!-- phraselint-disable -->` to silence a file.\n\nWe can't refund it.\n"),
    ("a.md", "```html\n<!-- phraselint-disable -->\n```\n\nWe can't refund it.\n"),
    ("a.md", "Code:\n\n    <!-- phraselint-disable -->\n\nWe can't refund it.\n"),
    ("a.html", "<textarea><!-- phraselint-disable --></textarea>\n<p>We can't refund it.</p>\n"),
    ("a.html", "<script>var s = '<!-- phraselint-disable -->';</script>\n<p>We can't refund it.</p>\n"),
])
def test_a_directive_written_as_text_or_code_silences_nothing(run, tmp_path, name, content):
    # Only a real comment is a directive: in a code span, a fence or a textarea it is text.
    (tmp_path / name).write_text(content, encoding="utf-8")
    _, found = run(name)
    assert (content.count("\n"), "refusal.cant") in found


@pytest.mark.parametrize(("name", "directive"), [("a.txt", "phraselint-disable"), ("a.md", "<!-- phraselint-disable")])
def test_a_directive_trailed_by_thousands_of_spaces_is_read_in_linear_time(run, tmp_path, name, directive):
    # The rule list and the spaces around it could be split many ways: cubic time (minutes).
    (tmp_path / name).write_text("We can't refund it.\n" + directive + " " * 5_000 + "!\n", encoding="utf-8")
    _, found = run(name)
    assert (1, "refusal.cant") in found


def test_many_directives_never_reenabled_silence_in_time_linear_in_the_findings(tmp_path, monkeypatch):
    # Each "disable" runs to the end of the file: one lookup per finding, not one per directive.
    from phraselint.suppress import Suppressions
    from phraselint.text import Directive

    n = 3_000
    directives = [Directive(("refusal",) if i % 2 else ("house.none",), i * 100, 10**9, i + 1, "") for i in range(n)]
    sups = Suppressions(directives)
    assert not sups.silences("apology.sorry_alone", "apology", 50, 60)
    assert sups.silences("refusal.cant", "refusal", 150, 160)
    assert sups.silences("refusal.cant", "refusal", n * 100, n * 100 + 5)
    assert {d.rules for d in sups.unused()} == {("house.none",)}  # every refusal directive silenced one


def test_a_disable_string_with_a_long_run_of_spaces_is_read_in_linear_time():
    from phraselint.suppress import reply_disable

    assert reply_disable("disable=a" + " " * 40_000 + "b") == ("a", "b")
    assert reply_disable("  disable: refusal.cant, apology ") == ("refusal.cant", "apology")
