from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from phraselint.cli import cli


from .conftest import PHRASES_ONLY

DRAFT = "Hi Sam,\n\nWe can't refund this order. You have\nto return it first.\nI can't wait to help!\n"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no config above tmp_path is picked up by accident
    runner = CliRunner()

    def invoke(*args, input=None, coaching=False):
        """`check` runs the phrase rules only, unless `coaching`."""
        extra = PHRASES_ONLY if args and args[0] == "check" and not coaching else ()
        return runner.invoke(cli, [*args, *extra], input=input, catch_exceptions=False)

    return invoke


def test_json_contract(run, tmp_path):
    (tmp_path / "b.txt").write_text(DRAFT, encoding="utf-8")
    (tmp_path / "a.md").write_text("Sorry for the trouble!\n", encoding="utf-8")
    result = run("check", "b.txt", "a.md", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["version"] == 1
    assert doc["summary"] == {"files": 2, "findings": 3,
                              "by_severity": {"error": 0, "warning": 3, "suggestion": 0}}
    results = doc["results"]
    assert [(r["path"], r["rule"]) for r in results] == [
        ("a.md", "apology.sorry_for"), ("b.txt", "refusal.cant"), ("b.txt", "burden.have_to")]
    fields = ["path", "rule", "severity", "message", "line", "column", "end_line", "end_column",
              "offset", "end_offset", "match", "suggestions", "fix", "scope", "reply", "reason"]
    for r in results:
        assert list(r) == fields
        text = (tmp_path / r["path"]).read_text(encoding="utf-8")
        assert r["match"] == text[r["offset"]:r["end_offset"]]
        assert r["scope"] == "phrase" and r["suggestions"]
    # A fix only where exactly one safe rewrite applies; none for review-only suggestions.
    assert results[0]["fix"] == {"offset": 0, "end_offset": 9, "replacement": "I apologize for"}
    assert results[1]["fix"] is None and results[2]["fix"] is None
    burden = results[2]
    assert (burden["line"], burden["column"], burden["end_line"], burden["end_column"]) == (3, 29, 4, 3)
    assert burden["match"] == "You have\nto"


def test_columns_count_characters_not_bytes(run, tmp_path):
    (tmp_path / "u.txt").write_text("Héllo 👋 — we can't refund it.", encoding="utf-8")
    (r,) = json.loads(run("check", "u.txt", "--format", "json").stdout)["results"]
    assert (r["column"], r["offset"], r["match"]) == (11, 10, "we can't")


def test_stdin(run):
    result = run("check", "-", "--format", "json", input="You must sign in again.")
    (r,) = json.loads(result.stdout)["results"]
    assert r["path"] == "-" and r["rule"] == "burden.have_to"


def test_exit_codes_and_fail_on(run, tmp_path):
    (tmp_path / "ok.txt").write_text("Thanks, I'll send the label today.", encoding="utf-8")
    (tmp_path / "jargon.txt").write_text("Per the SLA we reply in 4 hours.", encoding="utf-8")
    assert run("check", "ok.txt").exit_code == 0
    assert run("check", "jargon.txt").exit_code == 0  # a suggestion is below the default fail-on
    assert run("check", "jargon.txt", "--fail-on", "suggestion").exit_code == 1
    (tmp_path / "bad.txt").write_text("We can't help.", encoding="utf-8")
    assert run("check", "bad.txt").exit_code == 1
    assert run("check", "bad.txt", "--fail-on", "error").exit_code == 0
    assert run("check", "bad.txt", "--fail-on", "never").exit_code == 0


def test_select_and_ignore(run, tmp_path):
    (tmp_path / "d.txt").write_text(DRAFT, encoding="utf-8")
    rules = lambda *a: [r["rule"] for r in json.loads(run("check", "d.txt", "--format", "json", *a).stdout)["results"]]
    assert rules("--select", "refusal") == ["refusal.cant"]
    assert rules("--ignore", "refusal.cant,burden") == []
    assert rules("--select", "burden.have_to") == ["burden.have_to"]


def test_unknown_rule_in_select_is_an_error(run, tmp_path):
    (tmp_path / "d.txt").write_text(DRAFT, encoding="utf-8")
    result = run("check", "d.txt", "--select", "refusal.cnat")
    assert result.exit_code == 2
    assert "unknown rule id or category 'refusal.cnat'" in result.stderr
    assert "did you mean 'refusal.cant'" in result.stderr
    assert result.stdout == ""


def test_missing_file_is_one_line_exit_2_and_others_still_linted(run, tmp_path):
    (tmp_path / "d.txt").write_text(DRAFT, encoding="utf-8")
    result = run("check", "nope.txt", "d.txt", "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.strip() == "phraselint: nope.txt: no such file or folder"
    assert json.loads(result.stdout)["summary"]["findings"] == 2


def test_folder_recursion_skips_hidden_and_binary(run, tmp_path):
    (tmp_path / "replies" / "sub").mkdir(parents=True)
    (tmp_path / "replies" / "sub" / "a.txt").write_text("We can't help.", encoding="utf-8")
    (tmp_path / "replies" / ".hidden").mkdir()
    (tmp_path / "replies" / ".hidden" / "b.txt").write_text("We can't help.", encoding="utf-8")
    (tmp_path / "replies" / "c.txt").write_bytes(b"\0\1binary can't")
    (tmp_path / "replies" / "image.png").write_bytes(b"\x89PNG")
    result = run("check", "replies", "--format", "json")
    doc = json.loads(result.stdout)
    assert [r["path"] for r in doc["results"]] == [str(tmp_path.joinpath("replies", "sub", "a.txt").relative_to(tmp_path))]
    assert "c.txt: skipped, binary file" in result.stderr


def test_folder_without_text_is_an_error(run, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run("check", "empty")
    assert result.exit_code == 2
    assert "empty: no readable text files in this folder" in result.stderr


def test_invalid_utf8_is_decoded_with_a_warning(run, tmp_path):
    (tmp_path / "latin.txt").write_bytes(b"Hello\ncaf\xe9: we can't refund.\n")
    result = run("check", "latin.txt", "--format", "json")
    assert "latin.txt:2: warning: invalid UTF-8" in result.stderr
    (r,) = json.loads(result.stdout)["results"]
    assert r["match"] == "we can't" and r["line"] == 2


def test_bom_is_not_part_of_the_text(run, tmp_path):
    (tmp_path / "bom.txt").write_bytes("\ufeffWe can't refund.".encode())
    (r,) = json.loads(run("check", "bom.txt", "--format", "json").stdout)["results"]
    assert (r["offset"], r["column"], r["match"]) == (0, 1, "We can't")


def test_text_output(run, tmp_path):
    (tmp_path / "d.txt").write_text("x" * 300 + " We can't refund this order. " + "y" * 300, encoding="utf-8")
    result = run("check", "d.txt")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("d.txt:1:302  warning  refusal.cant  A flat refusal")
    assert "We can't refund" in lines[1] and len(lines[1]) < 120 and "…" in lines[1]
    assert lines[2].strip() == "→ Instead of refunding, what I can do is …"  # built around the verb
    assert lines[3].strip() == "→ What I can do is …"
    assert lines[-1] == "Found 1 finding (1 warning) in 1 file."
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_rules_and_rule_commands(run):
    listing = json.loads(run("rules", "--format", "json").stdout)
    ids = [r["id"] for r in listing]
    assert "refusal.cant" in ids and len(ids) == len(set(ids))
    text = run("rules").stdout
    assert "refusal.cant" in text and "warning" in text
    doc = run("rule", "apology.flippant").stdout
    for part in ("Why", "Flags", "Leaves alone", "Instead", "I apologize for", "Sorry 'bout that"):
        assert part in doc
    bad = run("rule", "apology.flipant")
    assert bad.exit_code == 2 and "did you mean 'apology.flippant'" in bad.stderr


def test_help_and_rules_do_not_import_spacy():
    code = ("import sys; from phraselint.cli import cli\n"
            "try: cli.main(['rules'], standalone_mode=False)\n"
            "finally: print('spacy' in sys.modules, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr.strip() == "False"


def test_module_entry_point(tmp_path):
    (tmp_path / "d.txt").write_text("We can't refund.", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "phraselint", "check", str(tmp_path / "d.txt"), "--format", "json",
                           *PHRASES_ONLY],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["findings"] == 1
    assert "Traceback" not in proc.stderr


def test_model_option_loads_a_saved_pipeline_and_skips_rules_needing_a_parser(run, tmp_path):
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "model")
    (tmp_path / "parser-rule.yaml").write_text(
        "rules:\n  - id: house.parsed\n    severity: warning\n    message: Needs a parse.\n"
        "    why: A rule that reads the dependency parse, to show how rules declare what they need.\n"
        "    match: {phrases: [refund]}\n    requires: [parser]\n")
    (tmp_path / "d.txt").write_text("We can't refund this.", encoding="utf-8")
    result = run("check", "d.txt", "--format", "json", "--model", str(tmp_path / "model"),
                 "--rules", "parser-rule.yaml")
    assert [r["rule"] for r in json.loads(result.stdout)["results"]] == ["refusal.cant"]
    assert "rule house.parsed skipped: it needs a pipeline with parser" in result.stderr


def test_unknown_model_is_a_clean_error(run, tmp_path):
    (tmp_path / "d.txt").write_text("hello", encoding="utf-8")
    result = run("check", "d.txt", "--model", "no_such_pipeline_xyz")
    assert result.exit_code == 2
    assert result.stderr.startswith("phraselint: cannot load spaCy pipeline 'no_such_pipeline_xyz'")


def test_statistics_in_a_machine_format_is_one_json_document(run, tmp_path):
    import json

    (tmp_path / "s.txt").write_text("We can't refund it, sorry 'bout that.\n", encoding="utf-8")
    result = run("check", "s.txt", "--format", "json", "--statistics", "--ignore", "coaching")
    counts = json.loads(result.stdout)
    assert {c["rule"]: c["count"] for c in counts} == {"apology.flippant": 1, "refusal.cant": 1}
    assert next(c for c in counts if c["rule"] == "apology.flippant")["fixable"] is True
    text = run("check", "s.txt", "--statistics", "--ignore", "coaching").stdout
    assert "apology.flippant  [*]" in text


def test_a_packs_control_characters_never_reach_the_terminal_in_rule_docs(run, tmp_path):
    (tmp_path / "evil.yaml").write_text(
        'category: house\nrules:\n  - id: house.evil\n    severity: warning\n'
        '    message: "evil \\e]0;TITLE\\a msg"\n    why: "because \\e[2J"\n    match: {phrases: [zzzq]}\n'
        '    suggestions: [{text: "x"}]\n    examples: {flag: [{text: "zzzq", match: zzzq}], pass: ["ok"]}\n',
        encoding="utf-8")
    for args in (("rule", "house.evil", "--rules", "evil.yaml"), ("rules", "--rules", "evil.yaml")):
        result = run(*args)
        assert result.exit_code == 0, result.stderr
        assert "house.evil" in result.stdout and "\x1b" not in result.stdout and "\x07" not in result.stdout


def test_a_config_no_file_system_takes_is_a_one_line_error(run, tmp_path):
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    (tmp_path / "nul.yaml").write_text('extends: "a\\0b"\n', encoding="utf-8")
    for config in ("l1", "nul.yaml", "a" * 300):
        result = run("check", "--config", config, "r.txt")
        assert result.exit_code == 2
        assert "internal error" not in result.stderr and result.stderr.count("\n") == 1
        assert "config file cannot be opened" in result.stderr
