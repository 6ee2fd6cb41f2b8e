"""Rule files are validated strictly: errors name file, line and key, and never raise tracebacks."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from phraselint.cli import cli
from phraselint.engine import Engine
from phraselint.errors import PhraselintError
from phraselint.rules import load_pack

from .conftest import reply

GOOD = """\
rules:
  - id: house.dear
    severity: warning
    message: Generic salutation.
    why: Use the customer's name; the guidance says it is good practice in a difficult situation.
    match:
      phrases: [dear customer]
"""


def pack(tmp_path, text):
    path = tmp_path / "house.yaml"
    path.write_text(text)
    return path


def error_of(tmp_path, text) -> str:
    with pytest.raises(PhraselintError) as exc:
        load_pack(pack(tmp_path, text))
    return str(exc.value)


def test_good_pack_loads(tmp_path):
    (rule,) = load_pack(pack(tmp_path, GOOD))
    assert rule.id == "house.dear" and rule.category == "house" and rule.match.phrases == ["dear customer"]


def test_unknown_key_with_did_you_mean(tmp_path):
    msg = error_of(tmp_path, GOOD.replace("    message:", "    mesage:"))
    assert msg.endswith("house.yaml:4: unknown key 'mesage' in rule (did you mean 'message'?)")


def test_wrong_type(tmp_path):
    assert "house.yaml:7: 'phrases' must be a list of non-empty strings" in error_of(
        tmp_path, GOOD.replace("[dear customer]", "dear customer"))


def test_bad_severity(tmp_path):
    assert "house.yaml:3: 'severity' must be one of error, warning, suggestion, got 'warn'" in error_of(
        tmp_path, GOOD.replace("severity: warning", "severity: warn"))


def test_bad_regex(tmp_path):
    msg = error_of(tmp_path, GOOD.replace("phrases: [dear customer]", "regex: ['(unclosed']"))
    assert "house.yaml:7: bad regex" in msg


def test_unknown_context_condition(tmp_path):
    msg = error_of(tmp_path, GOOD + "    context:\n      not_folowed_by: [x]\n")
    assert "house.yaml:9: unknown context condition 'not_folowed_by' (did you mean 'not_followed_by'?)" in msg


def test_yaml_syntax_error_names_the_line(tmp_path):
    assert "house.yaml:8: YAML syntax error" in error_of(tmp_path, GOOD.replace("[dear customer]", "[dear customer"))


def test_example_match_must_occur(tmp_path):
    text = GOOD + "    examples:\n      flag:\n        - {text: Dear customer, match: hello}\n"
    assert "does not occur in its text" in error_of(tmp_path, text)


def test_combos_expand(tmp_path):
    (rule,) = load_pack(pack(tmp_path, GOOD.replace("phrases: [dear customer]", "combos: [[[dear, hi], [customer, user]]]")))
    assert rule.match.phrases == ["dear customer", "dear user", "hi customer", "hi user"]


def test_bad_token_pattern_is_a_clean_error(tmp_path, nlp):
    (rule,) = load_pack(pack(tmp_path, GOOD.replace("phrases: [dear customer]", "patterns: [[{LOWRE: dear}]]")))
    with pytest.raises(PhraselintError, match=r"house.yaml:2: rule house.dear: bad token pattern"):
        Engine([rule], nlp=nlp)


def test_token_patterns_match(tmp_path, nlp):
    (rule,) = load_pack(pack(tmp_path, GOOD.replace("phrases: [dear customer]", "patterns: [[{LOWER: dear}, {IS_TITLE: true}]]")))
    (hits,) = list(Engine([rule], nlp=nlp).lint([reply("Dear Customer, hi")]))
    assert [(h.start, h.end) for h in hits] == [(0, 13)]


def test_duplicate_rule_id_across_files(tmp_path, monkeypatch):
    pack(tmp_path, GOOD.replace("house.dear", "refusal.cant"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["rules", "--rules", str(tmp_path / "house.yaml")])
    assert result.exit_code == 2
    assert "duplicate rule id 'refusal.cant'" in result.stderr
    assert "Traceback" not in result.output


def test_cli_reports_rule_file_errors_as_one_line(tmp_path, monkeypatch):
    pack(tmp_path, GOOD.replace("    message:", "    mesage:"))
    (tmp_path / "d.txt").write_text("hello")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "d.txt", "--rules", "house.yaml"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "unknown key 'mesage'" in result.stderr


def test_a_yaml_boolean_in_a_word_list_says_to_quote_it(tmp_path):
    from phraselint.errors import PhraselintError
    from phraselint.rules import load_pack

    pack = tmp_path / "pack.yaml"
    pack.write_text("rules:\n  - id: house.x\n    severity: warning\n    message: M.\n    why: W.\n"
                    "    match: {phrases: [sorry]}\n    context: {not_preceded_by: [no, my]}\n")
    with pytest.raises(PhraselintError, match="quote them"):
        load_pack(pack)


def test_an_opt_in_rule_runs_only_when_selected_by_its_id(tmp_path):
    from phraselint.rules import select_rules

    opt_in = GOOD.replace("    severity: warning\n", "    severity: warning\n    opt_in: true\n")
    (rule,) = load_pack(pack(tmp_path, opt_in))
    assert rule.opt_in
    assert select_rules([rule], None, None) == []
    assert select_rules([rule], ["house"], None) == []  # its category does not run it
    assert select_rules([rule], ["house.dear"], None) == [rule]
    assert select_rules([rule], ["house.dear"], ["house"]) == []
    assert "'opt_in' takes true or false" in error_of(tmp_path, opt_in.replace("opt_in: true", "opt_in: sometimes"))


@pytest.mark.parametrize(("rule", "customer", "developer"), [
    # a lone acronym the customer may not know
    ("jargon.acronym_unexplained", "The ONT in your hallway is showing a red light.",
     "The ONT log shows it; see the pull request for the fix."),
    # an acronym for our own process
    ("jargon.acronym_internal", "Your request is in the DPO queue.", "Your request is in the DPO queue; see the changelog."),
])
def test_an_acronym_is_flagged_in_customer_text_not_a_developers(monkeypatch, tmp_path, rule, customer, developer):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "customer.txt").write_text(customer + "\n")
    (tmp_path / "developer.txt").write_text(developer + "\n")
    runner = CliRunner()
    args = ["check", "--ignore", "coaching", "--format", "json"]
    assert f'"{rule}"' in runner.invoke(cli, args + ["customer.txt"]).output
    assert "jargon.acronym" not in runner.invoke(cli, args + ["developer.txt"]).output
    explained = runner.invoke(cli, ["rule", rule])
    assert explained.exit_code == 0 and "developer" in explained.output


@pytest.mark.parametrize("text", [
    "Your SMETS2 meter lost its HAN link, so the ESME can't reach the DCC.",
    "DD review to follow within 10WD, and the 3DS check failed on the SCA step.",
    "The ABCDEFGHIJ code and the KYC, AML and IDV checks are pending.",
    "Thanks, see you Monday. ^JR",
    "Hi, your order ships today.",
])
def test_the_cheap_first_count_of_acronyms_changes_no_count_that_matters(monkeypatch, text):
    """The first pass over runs of capitals only turns away texts that could not hold three
    acronyms: with it turned off, every text with three or more reads the same."""
    import re as _re

    from phraselint import context

    with_pass = context._read_rare_acronyms(text)
    monkeypatch.setattr(context, "_DIGIT_CAPITAL", _re.compile(r"[\s\S]"))  # the first pass never turns away
    without = context._read_rare_acronyms(text)
    if len(without) >= context.DENSE_ACRONYMS:
        assert with_pass == without
    else:
        assert len(with_pass) < context.DENSE_ACRONYMS
