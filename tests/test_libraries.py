"""Library files end to end through the CLI: replies named, raw positions, malformed input."""

from __future__ import annotations

import json

from click.testing import CliRunner

from phraselint.cli import cli

from .conftest import PHRASES_ONLY


def check(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", *args, "--format", "json", *PHRASES_ONLY], catch_exceptions=False)
    return result, json.loads(result.stdout)


def test_malformed_inputs_are_one_line_errors_and_the_rest_is_linted(tmp_path, monkeypatch):
    (tmp_path / "broken.json").write_text('{"macros": [\n  {"title": "x",\n  "actions": [}\n]}')
    (tmp_path / "settings.yaml").write_text("retries: 3\ncolour: blue\n")
    (tmp_path / "rows.csv").write_text("id,notes\n1,we can't refund\n")
    (tmp_path / "unclosed.html").write_text("<html><body><p>Hi Sam,<p>We can&#39;t refund <b>this order.\n")
    (tmp_path / "ok.txt").write_text("You must pay first.\n")
    result, doc = check(tmp_path, monkeypatch, "broken.json", "settings.yaml", "rows.csv", "unclosed.html", "ok.txt")
    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3  # files are read in path order
    assert errors[0].startswith("phraselint: broken.json:3: invalid JSON")
    assert errors[1].startswith("phraselint: rows.csv:1:") and "--column" in errors[1]
    assert errors[2].startswith("phraselint: settings.yaml:1: not a reply library")
    found = [(r["path"], r["rule"], r["match"]) for r in doc["results"]]
    assert found == [("ok.txt", "burden.have_to", "You must"), ("unclosed.html", "refusal.cant", "We can&#39;t")]
    assert "Traceback" not in result.output


def test_reply_names_lines_and_raw_slices(tmp_path, monkeypatch):
    raw = ('replies:\n  - name: Refund\n    body: |\n      Thanks for waiting.\n      We can\'t refund\n'
           '      this order.\n  - name: "Late"\n    body: "Sorry for the delay!\\nYou\\u2019ll need to\\n  wait."\n')
    (tmp_path / "saved.yml").write_text(raw)
    _, doc = check(tmp_path, monkeypatch, "saved.yml")
    got = [(r["reply"], r["rule"], r["line"], r["column"], r["match"]) for r in doc["results"]]
    assert got == [
        ("Refund", "refusal.cant", 5, 7, "We can't"),
        ("Late", "apology.sorry_for", 8, 12, "Sorry for"),
        ("Late", "deflection.wait_patiently", 8, 34, "You\\u2019ll need to\\n  wait"),
    ]
    for r in doc["results"]:
        assert raw[r["offset"]:r["end_offset"]] == r["match"]


def test_csv_column_option(tmp_path, monkeypatch):
    (tmp_path / "rows.csv").write_text('id,title,notes\n1,Refund,"We can\'t refund,\nsorry."\n')
    result, doc = check(tmp_path, monkeypatch, "rows.csv", "--column", "notes")
    assert [(r["reply"], r["line"], r["match"]) for r in doc["results"]] == [
        ("Refund", 2, "We can't"), ("Refund", 3, "sorry")]


def test_folder_walk_skips_non_library_yaml_with_a_note(tmp_path, monkeypatch):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "lib" / "macros.json").write_text('[{"name": "Refund", "text": "We can\'t refund."}]')
    result, doc = check(tmp_path, monkeypatch, "lib")
    assert result.exit_code == 1
    assert "ci.yml:1: not a reply library" in result.stderr and "(skipped)" in result.stderr
    assert [(r["reply"], r["match"]) for r in doc["results"]] == [("Refund", "We can't")]
