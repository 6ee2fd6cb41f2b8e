"""`init`, `config` and `fix --format json`: the conventions a newcomer reaches for."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from phraselint import config as config_mod
from phraselint.cli import STARTER_CONFIG, cli


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def test_init_writes_a_valid_commented_config_and_never_overwrites(run, tmp_path):
    result = run("init")
    assert result.exit_code == 0
    path = tmp_path / "phraselint.yaml"
    assert path.read_text(encoding="utf-8") == STARTER_CONFIG
    assert config_mod.load(path).select is None  # every key commented out: the defaults
    path.write_text("select: [refusal]\n", encoding="utf-8")
    again = run("init")
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == "select: [refusal]\n"
    assert run("init", "--force").exit_code == 0
    assert path.read_text(encoding="utf-8") == STARTER_CONFIG


def test_every_commented_key_of_the_starter_config_is_valid(tmp_path):
    """Uncommenting the example lines gives a config that loads (the rules dir aside)."""
    (tmp_path / "base.yaml").write_text("ignore: [jargon]\n", encoding="utf-8")
    lines = []
    for line in STARTER_CONFIG.splitlines():
        stripped = line[2:] if line.startswith("# ") and not line.startswith("# phraselint") else line
        if stripped.startswith(("extends:", "rules:")) or "`phraselint" in stripped or "settings;" in stripped:
            continue
        lines.append(stripped if not stripped.startswith("#") else "")
    (tmp_path / "phraselint.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    loaded = config_mod.load(tmp_path / "phraselint.yaml")
    assert loaded.select == ["refusal", "burden", "apology"] and loaded.min_score == 60
    assert loaded.jargon["L2"] == "our specialist team" and loaded.placeholders


def test_config_shows_the_effective_settings_after_extends(run, tmp_path):
    (tmp_path / "base.yaml").write_text("ignore: [jargon]\nfail-on: error\n", encoding="utf-8")
    (tmp_path / "phraselint.yaml").write_text("extends: base.yaml\nseverity: {burden: error}\n", encoding="utf-8")
    doc = json.loads(run("config", "--format", "json").stdout)
    assert doc["path"].endswith("phraselint.yaml")
    assert doc["ignore"] == ["jargon"] and doc["fail-on"] == "error" and doc["severity"] == {"burden": "error"}
    assert doc["active_rules"] > 10
    text = run("config").stdout
    assert text.startswith("# ") and 'ignore: ["jargon"]' in text
    (tmp_path / "phraselint.yaml").unlink()
    assert "no config file found" in run("config").stdout


def test_fix_json_reports_edits_in_original_offsets(run, tmp_path):
    draft = "Sorry 'bout that! Obviously you have to restart.\n"
    (tmp_path / "d.txt").write_text(draft, encoding="utf-8")
    result = run("fix", "d.txt", "--diff", "--format", "json")
    doc = json.loads(result.stdout)
    (entry,) = doc["files"]
    assert doc["summary"]["dry_run"] is True and entry["changed"] and entry["applied"] == doc["summary"]["applied"]
    rebuilt, pos = [], 0
    for edit in entry["edits"]:
        rebuilt += [draft[pos:edit["offset"]], edit["replacement"]]
        pos = edit["end_offset"]
    fixed = "".join(rebuilt) + draft[pos:]
    assert "'bout" not in fixed and "Obviously" not in fixed
    assert (tmp_path / "d.txt").read_text(encoding="utf-8") == draft  # --diff writes nothing
    assert [f["rule"] for f in entry["remaining"]] == ["burden.have_to"]
    written = run("fix", "d.txt", "--format", "json")
    assert json.loads(written.stdout)["summary"]["dry_run"] is False
    assert (tmp_path / "d.txt").read_text(encoding="utf-8") == fixed


def test_fix_json_on_stdin_puts_the_text_in_the_document(run):
    result = run("fix", "-", "--format", "json", input="Sorry 'bout that!\n")
    doc = json.loads(result.stdout)  # stdout is exactly one JSON document
    assert doc["files"][0]["path"] == "-" and doc["files"][0]["text"].startswith("I apologize for")


def test_fix_json_refuses_interactive(run, tmp_path):
    (tmp_path / "d.txt").write_text("Sorry 'bout that!\n", encoding="utf-8")
    assert run("fix", "d.txt", "-i", "--format", "json").exit_code == 2


def test_a_server_without_its_extra_is_a_one_line_error(run, monkeypatch):
    from phraselint import servers

    monkeypatch.setitem(servers.EXTRAS, "mcp", "no_such_package_for_phraselint")
    result = run("mcp")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("phraselint: 'phraselint mcp' needs the no_such_package_for_phraselint "
                                     "package: pip install 'phraselint[mcp]'")
