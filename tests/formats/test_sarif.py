from __future__ import annotations

import io
import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from phraselint import __version__
from phraselint.cli import cli
from phraselint.docs import rule_doc
from phraselint.formats import sarif_format
from phraselint.model import Finding, Report
from phraselint.rules import load_rules

from ..conftest import PHRASES_ONLY

SCHEMA = Path(__file__).resolve().parents[2].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
#: RFC 3986 characters only, every % starting an escape, and no scheme-like first segment.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~/!$&'()*+,;=@]|%[0-9A-F]{2})+$")


def finding(**kw) -> Finding:
    base = dict(path="replies/a.txt", rule="refusal.cant", severity="warning",
                message="A flat refusal tells the customer no.", line=1, column=1, end_line=1, end_column=9,
                offset=0, end_offset=8, match="We can't", suggestions=["What I can do is …"])
    return Finding(**(base | kw))


def report_of(findings: list[Finding], rule_ids=("refusal.cant", "burden.have_to", "jargon.acronym"),
              errors=()) -> Report:
    report = Report(findings=findings, files=len({f.path for f in findings}), errors=list(errors))
    rules = {r.id: r for r in load_rules()}
    report.rules = [rules[i] for i in rule_ids]  # the active rules, as lint.check sets them
    return report


def render(report: Report) -> dict:
    out = io.StringIO()
    sarif_format.write(report, out)
    text = out.getvalue()
    assert text.endswith("}\n") and text.count("\n}\n") == 1  # one JSON document, nothing else
    return json.loads(text)


def validate(doc: dict) -> None:
    if not SCHEMA.parent.is_dir():
        pytest.skip("no /work/shared/schemas")
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)  # the schema declares draft-04
    cls.check_schema(schema)
    cls(schema, format_checker=cls.FORMAT_CHECKER).validate(doc)
    for run in doc["runs"]:
        for result in run["results"]:
            for loc in result["locations"]:
                assert URI_REFERENCE.match(loc["physicalLocation"]["artifactLocation"]["uri"])


MIXED = [
    finding(),
    finding(path="notes/Réponse 1:draft.md", rule="burden.have_to", message="Obligation.", line=3, column=29,
            end_line=4, end_column=3, offset=40, end_offset=51, match="You have\nto", suggestions=[""],
            reply="refund-denied", fix={"offset": 40, "end_offset": 51, "replacement": "Please"}),
    finding(path="-", rule="jargon.acronym", severity="suggestion", message="Jargon.", column=8, end_column=11,
            offset=7, end_offset=10, match="SLA", suggestions=[]),
]


def test_document_is_valid_sarif():
    doc = render(report_of(MIXED, errors=["missing.txt: no such file or folder"]))
    validate(doc)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = doc["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": False, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": "missing.txt: no such file or folder"}}]}]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("phraselint", __version__)
    assert "informationUri" not in driver


def test_rule_metadata():
    report = report_of([])
    (run,) = render(report)["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["refusal.cant", "burden.have_to", "jargon.acronym"]
    cant, source = rules[0], report.rules[0]
    assert cant["name"] == "RefusalCant"
    assert cant["shortDescription"] == {"text": source.message}
    assert cant["fullDescription"] == {"text": source.why}
    assert cant["help"]["text"] == rule_doc(source)
    assert rule_doc(source) in cant["help"]["markdown"]
    assert cant["defaultConfiguration"] == {"level": "warning"}
    assert cant["properties"] == {"category": "refusal", "tags": ["refusal"]}
    assert report.rules[2].severity == "suggestion" and rules[2]["defaultConfiguration"] == {"level": "note"}
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["results"] == []


def test_results():
    (run,) = render(report_of(MIXED))["runs"]
    plain, multi, stdin = run["results"]
    assert (plain["ruleId"], plain["ruleIndex"], plain["level"]) == ("refusal.cant", 0, "warning")
    assert plain["message"] == {"text": "A flat refusal tells the customer no. → What I can do is …"}
    (loc,) = plain["locations"]
    assert loc == {"physicalLocation": {
        "artifactLocation": {"uri": "replies/a.txt"},
        "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 9,
                   "charOffset": 0, "charLength": 8, "snippet": {"text": "We can't"}}}}
    assert "fixes" not in plain

    assert (multi["ruleIndex"], multi["message"]["text"]) == (1, "Obligation. → (delete “You have\nto”)")
    (loc,) = multi["locations"]
    uri = loc["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "notes/R%C3%A9ponse%201%3Adraft.md" and unquote(uri) == "notes/Réponse 1:draft.md"
    assert loc["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 29, "endLine": 4, "endColumn": 3, "charOffset": 40, "charLength": 11,
        "snippet": {"text": "You have\nto"}}
    assert loc["logicalLocations"] == [{"name": "refund-denied"}]
    assert multi["fixes"] == [{"artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": [
        {"deletedRegion": {"charOffset": 40, "charLength": 11}, "insertedContent": {"text": "Please"}}]}]}]

    assert (stdin["level"], stdin["message"]["text"]) == ("note", "Jargon.")
    assert stdin["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "stdin"


def test_rule_index_only_for_known_rules():
    (run,) = render(report_of(MIXED, rule_ids=()))["runs"]
    assert run["tool"]["driver"]["rules"] == []
    assert all("ruleIndex" not in r for r in run["results"])
    bare = Report(findings=MIXED)
    if hasattr(bare, "rules"):
        del bare.rules  # a Report from before it carried the active rules
    validate(render(bare))


@pytest.mark.parametrize("path, uri", [
    ("a.txt", "a.txt"),
    ("./sub/./b c.md", "sub/./b%20c.md"),
    ("-", "stdin"),
    ("/tmp/x y.txt", "file:///tmp/x%20y.txt"),
    ("100%.txt", "100%25.txt"),
    ("a#b?.txt", "a%23b%3F.txt"),
])
def test_artifact_uri(path, uri):
    assert sarif_format.artifact_uri(path) == uri


def hashes(findings: list[Finding]) -> list[str]:
    (run,) = render(report_of(findings))["runs"]
    return [r["partialFingerprints"]["phraselintFindingHash/v1"] for r in run["results"]]


def test_fingerprints_survive_unrelated_edits():
    before = [finding(), finding(offset=30, end_offset=38, line=2, column=5, end_column=13)]
    # Text was added above both findings: every position moved, and the case and spacing changed.
    after = [finding(offset=130 + d, end_offset=138 + d, line=7 + n, column=3, end_column=11, match="we  CAN'T")
             for n, d in ((0, 0), (1, 30))]
    assert hashes(before) == hashes(after)
    assert len(set(hashes(before))) == 2  # the same words twice in a file: told apart by occurrence
    assert hashes(list(reversed(before))) == list(reversed(hashes(before)))  # report order does not matter


def test_fingerprints_differ_by_rule_path_reply_and_words():
    base = hashes([finding()])[0]
    for other in (finding(rule="refusal.we_dont"), finding(path="replies/b.txt"), finding(reply="greeting"),
                  finding(match="We cannot")):
        assert hashes([other])[0] != base


def test_cli_end_to_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub dir").mkdir()
    (tmp_path / "sub dir" / "b.txt").write_text("Hi Sam,\nWe can't refund this order.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "sub dir/b.txt", "--format", "sarif", *PHRASES_ONLY], catch_exceptions=False)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    validate(doc)
    (run,) = doc["runs"]
    (r,) = run["results"]
    assert (r["ruleId"], r["level"]) == ("refusal.cant", "warning")
    region = r["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["snippet"]["text"]) == (2, 1, "We can't")
    assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "sub%20dir/b.txt"
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_cli_lists_active_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.txt").write_text("We can't refund this order.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "b.txt", "--format", "sarif", "--select", "refusal"],
                                catch_exceptions=False)
    (run,) = json.loads(result.stdout)["runs"]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids and all(i.startswith("refusal.") for i in ids)
    (r,) = run["results"]
    assert ids[r["ruleIndex"]] == "refusal.cant"
