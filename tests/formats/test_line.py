from __future__ import annotations

import io

from click.testing import CliRunner

from phraselint.cli import cli
from phraselint.formats import line_format
from phraselint.model import Finding, Report

from ..conftest import PHRASES_ONLY


def finding(**kw) -> Finding:
    base = dict(path="replies/a.txt", rule="refusal.cant", severity="warning",
                message="A flat refusal tells the customer no.", line=1, column=1, end_line=1, end_column=9,
                offset=0, end_offset=8, match="We can't", suggestions=["What I can do is …"])
    return Finding(**(base | kw))


def render(report: Report) -> str:
    out = io.StringIO()
    line_format.write(report, out)
    return out.getvalue()


def test_exact_output():
    report = Report(files=3, findings=[
        finding(),
        finding(path="lib/macros.yaml", rule="burden.have_to", message="Obligation.", line=12, column=5,
                end_line=13, end_column=3, reply="refund-denied"),
        finding(path="-", rule="jargon.acronym", severity="suggestion", message="Jargon: “SLA”.", line=2,
                column=10, end_column=13, suggestions=[]),
    ], errors=["gone.txt: no such file or folder"])
    assert render(report) == (
        "replies/a.txt:1:1: warning refusal.cant: A flat refusal tells the customer no.\n"
        "lib/macros.yaml:12:5: warning burden.have_to [refund-denied]: Obligation.\n"
        "-:2:10: suggestion jargon.acronym: Jargon: “SLA”.\n"
    )


def test_no_findings_no_output():
    assert render(Report(files=4)) == ""


def test_cli_end_to_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.txt").write_text("Hi Sam,\n\nWe can't refund this order.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "b.txt", "--format", "line", *PHRASES_ONLY], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout.startswith("b.txt:3:1: warning refusal.cant: ")
    assert result.stdout.count("\n") == 1


def test_control_characters_never_split_a_line_or_reach_the_terminal():
    from phraselint.formats import printable

    assert printable("evil\nname\x1b[2J\tok") == "evil\ufffdname\ufffd[2J\tok"
