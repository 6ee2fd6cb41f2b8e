from __future__ import annotations

import io
import re

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from phraselint.cli import cli
from phraselint.formats import github_format, printable
from phraselint.formats.github_format import _inert
from phraselint.model import Finding, Report

from ..conftest import PHRASES_ONLY

#: How the Actions runner reads a workflow command (ActionCommand.TryParseV2): the command info
#: runs from "::" to the next "::"; its name ends at the first space; the properties after it
#: are split on "," and each on the first "="; the rest of the line is the message.
COMMAND = re.compile(r"::(?P<info>.*?)::(?P<data>.*)", re.DOTALL)


def unescape_property(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    assert "\n" not in line and "\r" not in line
    m = COMMAND.fullmatch(line.lstrip())
    assert m, line
    name, _, props = m["info"].partition(" ")
    properties = {}
    for item in props.strip().split(","):
        key, sep, value = item.partition("=")
        if item and sep and value:
            properties[key] = unescape_property(value)
    return name, properties, unescape_data(m["data"])


def finding(**kw) -> Finding:
    base = dict(path="replies/a.txt", rule="refusal.cant", severity="warning",
                message="A flat refusal tells the customer no.", line=1, column=1, end_line=1, end_column=9,
                offset=0, end_offset=8, match="We can't", suggestions=["What I can do is …"])
    return Finding(**(base | kw))


def render(report: Report) -> list[str]:
    out = io.StringIO()
    github_format.write(report, out)
    text = out.getvalue()
    assert text == "" or text.endswith("\n")
    return text.split("\n")[:-1]  # the runner reads lines ending at \n, \r or \r\n only


def test_exact_output():
    report = Report(files=2, findings=[
        finding(),
        finding(path="notes/a, b:c.md", rule="burden.have_to", severity="error", message="Obligation: 100%.",
                line=3, column=29, end_line=4, end_column=3, match="You have\nto", suggestions=["", "Please"]),
        finding(path="-", rule="jargon.acronym", severity="suggestion", message="Jargon.", suggestions=[]),
    ])
    assert render(report) == [
        "::warning file=replies/a.txt,line=1,col=1,endLine=1,endColumn=9,title=refusal.cant::"
        "A flat refusal tells the customer no. Try: What I can do is …",
        "::error file=notes/a%2C b%3Ac.md,line=3,col=29,endLine=4,endColumn=3,title=burden.have_to::"
        "Obligation: 100%25. Try: (delete “You have%0Ato”) / Please",
        "::notice line=1,col=1,endLine=1,endColumn=9,title=jargon.acronym::Jargon.",
    ]
    name, props, data = parse(render(report)[1])
    assert name == "error"
    assert props == {"file": "notes/a, b:c.md", "line": "3", "col": "29", "endLine": "4", "endColumn": "3",
                     "title": "burden.have_to"}
    assert data == "Obligation: 100%. Try: (delete “You have\nto”) / Please"


def test_no_findings_no_output():
    assert render(Report(files=1)) == []


rule_ids = st.from_regex(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", fullmatch=True)
#: Not "-" (stdin has no file); not starting with "=", which the runner's split may swallow.
paths = st.text(min_size=1).filter(lambda p: p != "-" and not p.startswith("="))


@given(path=paths, rule=rule_ids, message=st.text(), suggestions=st.lists(st.text(), max_size=3),
       severity=st.sampled_from(["error", "warning", "suggestion"]))
def test_escaping_round_trips(path, rule, message, suggestions, severity):
    f = finding(path=path, rule=rule, message=message, suggestions=suggestions, severity=severity)
    (line,) = render(Report(findings=[f]))
    name, props, data = parse(line)
    assert name == {"error": "error", "warning": "warning", "suggestion": "notice"}[severity]
    assert props == {"file": printable(path), "line": "1", "col": "1", "endLine": "1", "endColumn": "9",
                     "title": rule}
    tries = " / ".join(s or "(delete “We can't”)" for s in suggestions)
    # The escaping round-trips the text after the one control-character filter (line breaks kept).
    assert data == _inert(f"{message} Try: {tries}" if suggestions else message)
    assert "\x1b" not in data


def test_cli_end_to_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.txt").write_text("Hi Sam,\n\nWe can't refund this order.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "b.txt", "--format", "github", *PHRASES_ONLY], catch_exceptions=False)
    assert result.exit_code == 1
    (line,) = result.stdout.split("\n")[:-1]
    name, props, data = parse(line)
    assert (name, props["file"], props["line"], props["col"], props["title"]) == (
        "warning", "b.txt", "3", "1", "refusal.cant")
    assert " Try: " in data
