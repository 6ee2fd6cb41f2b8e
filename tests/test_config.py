from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from phraselint import config as config_mod
from phraselint.cli import cli
from phraselint.errors import PhraselintError

from .conftest import PHRASES_ONLY


def check_json(tmp_path, *args):
    result = CliRunner().invoke(cli, ["check", *args, "--format", "json", *PHRASES_ONLY], catch_exceptions=False)
    return result, (json.loads(result.stdout) if result.stdout else None)


def test_discovered_by_walking_up(tmp_path, monkeypatch):
    (tmp_path / "phraselint.yaml").write_text("ignore: [refusal]\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "d.txt").write_text("We can't help. You must log in.")
    monkeypatch.chdir(sub)
    _, doc = check_json(tmp_path, "d.txt")
    assert [r["rule"] for r in doc["results"]] == ["burden.have_to"]


def test_pyproject_section(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.phraselint]\nselect = ["refusal"]\n')
    (tmp_path / "d.txt").write_text("We can't help. You must log in.")
    monkeypatch.chdir(tmp_path)
    _, doc = check_json(tmp_path, "d.txt")
    assert [r["rule"] for r in doc["results"]] == ["refusal.cant"]


def test_unknown_key_names_file_line_and_near_miss(tmp_path):
    path = tmp_path / "phraselint.yaml"
    path.write_text("select: [refusal]\nignroe: [burden]\n")
    with pytest.raises(PhraselintError) as exc:
        config_mod.load(path)
    assert str(exc.value) == f"{path}:2: unknown config key 'ignroe' (did you mean 'ignore'?)"


def test_unknown_rule_in_config_select_exits_2(tmp_path, monkeypatch):
    (tmp_path / "phraselint.yaml").write_text("select: [refusal.nope]\n")
    (tmp_path / "d.txt").write_text("hello")
    monkeypatch.chdir(tmp_path)
    result, _ = check_json(tmp_path, "d.txt")
    assert result.exit_code == 2
    assert "unknown rule id or category 'refusal.nope' in select" in result.stderr
    assert "phraselint.yaml" in result.stderr


def test_extends_severity_jargon_exclude_and_extra_rules(tmp_path, monkeypatch):
    (tmp_path / "base.yaml").write_text("severity: {refusal: error}\njargon: {WIDGETPLAN: your plan}\n")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "house.yaml").write_text(
        "rules:\n  - id: house.no_dear\n    severity: suggestion\n    message: Skip 'dear customer'.\n"
        "    why: The guidance asks you to use the customer's name; a generic salutation sounds canned.\n"
        "    match: {phrases: [dear customer]}\n    suggestions: [Hi]\n")
    (tmp_path / "phraselint.yaml").write_text(
        "extends: base.yaml\nrules: [extra]\nexclude: ['drafts/*']\nseverity: {refusal.cant: suggestion}\n")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "skip.txt").write_text("We can't help.")
    (tmp_path / "d.txt").write_text("Dear customer, your WIDGETPLAN renews. We can't help. There's nothing we can do.")
    monkeypatch.chdir(tmp_path)
    _, doc = check_json(tmp_path, ".")
    got = {(r["path"], r["rule"], r["severity"], r["match"]) for r in doc["results"]}
    assert got == {
        ("./d.txt", "house.no_dear", "suggestion", "Dear customer"),
        ("./d.txt", "jargon.glossary", "suggestion", "WIDGETPLAN"),
        ("./d.txt", "refusal.cant", "suggestion", "We can't"),
        ("./d.txt", "refusal.nothing_we_can_do", "error", "nothing we can do"),
    }
    glossary = [r for r in doc["results"] if r["rule"] == "jargon.glossary"]
    assert glossary[0]["suggestions"] == ["your plan"]


def test_explicit_config_and_bad_values(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("fail-on: sometimes\n")
    with pytest.raises(PhraselintError, match="'fail-on' must be one of"):
        config_mod.load(path)
    path.write_text("severity: {refusal: fatal}\n")
    with pytest.raises(PhraselintError, match=r"c.yaml:1: severity for 'refusal' must be one of"):
        config_mod.load(path)
    path.write_text("select: [a\n")
    with pytest.raises(PhraselintError, match="YAML syntax error"):
        config_mod.load(path)


def test_fail_on_from_config(tmp_path, monkeypatch):
    (tmp_path / "phraselint.yaml").write_text("fail-on: never\n")
    (tmp_path / "d.txt").write_text("We can't help.")
    monkeypatch.chdir(tmp_path)
    result, doc = check_json(tmp_path, "d.txt")
    assert doc["summary"]["findings"] == 1 and result.exit_code == 0


@pytest.mark.parametrize(("text", "message"), [
    ("[]\n", "config must be a mapping"),
    ("select: []\n", "'select' is empty: no rule would run"),
])
def test_configs_that_would_silently_do_nothing_are_errors(tmp_path, text, message):
    path = tmp_path / "phraselint.yaml"
    path.write_text(text)
    with pytest.raises(PhraselintError, match=message):
        config_mod.load(path)
