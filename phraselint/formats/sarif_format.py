"""`--format sarif`: one SARIF 2.1.0 document on stdout, for GitHub code scanning and other viewers.

Rule metadata comes from `report.rules` (the active rules) when the report has it. Columns and
character offsets count Unicode code points, as every phraselint position does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import PurePath
from typing import TextIO
from urllib.parse import quote

from phraselint import __version__
from phraselint.docs import rule_doc
from phraselint.model import Finding, Report
from phraselint.rules import Rule

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "suggestion": "note"}
FINGERPRINT = "phraselintFindingHash/v1"
STDIN_URI = "stdin"


def artifact_uri(path: str) -> str:
    """A URI reference for `path`: relative paths stay relative (forward slashes, percent-encoded)."""
    if path == "-":
        return STDIN_URI
    if os.path.isabs(path):
        return PurePath(path).as_uri()
    posix = path.replace(os.sep, "/")
    while posix.startswith("./"):
        posix = posix[2:]
    return quote(posix, safe="/")


def rule_name(rule_id: str) -> str:
    """`refusal.cant_clipped` -> `RefusalCantClipped`."""
    return "".join(part.capitalize() for part in rule_id.replace(".", "_").split("_"))


def _markdown(doc: str) -> str:
    fence = "`" * max([3] + [len(run) + 1 for run in re.findall("`+", doc)])
    return f"{fence}text\n{doc}\n{fence}"


def _descriptor(rule: Rule) -> dict:
    doc = rule_doc(rule)
    return {
        "id": rule.id,
        "name": rule_name(rule.id),
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.why},
        "help": {"text": doc, "markdown": _markdown(doc)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }


def _message(f: Finding) -> str:
    if not f.suggestions:
        return f.message
    first = f.suggestions[0] or f"(delete “{f.match}”)"
    return f"{f.message} → {first}"


def _key(f: Finding) -> str:
    return "\0".join([f.rule, f.path, f.reply or "", " ".join(f.match.casefold().split())])


def _hash(key: str, occurrence: int) -> str:
    return hashlib.sha256(f"{key}\0{occurrence}".encode()).hexdigest()


def fingerprints(findings: list[Finding]) -> list[str]:
    """A hash per finding that survives unrelated edits: rule, path, reply and matched words,
    plus which occurrence of that same key in the file (in text order) it is."""
    seen: Counter = Counter()
    out = [""] * len(findings)
    for i in sorted(range(len(findings)), key=lambda i: findings[i].sort_key):
        key = _key(findings[i])
        out[i] = _hash(key, seen[key])
        seen[key] += 1
    return out


def _fingerprinted(report: Report) -> Iterator[tuple[Finding, str]]:
    """Each finding with its fingerprint. A list is counted in text order; a stream comes
    file by file in text order already, so its counts restart with each file."""
    if isinstance(report.findings, list):
        yield from zip(report.findings, fingerprints(report.findings))
        return
    seen: Counter = Counter()
    path = None
    for f in report.findings:
        if f.path != path:
            seen.clear()
            path = f.path
        key = _key(f)
        yield f, _hash(key, seen[key])
        seen[key] += 1


def _result(f: Finding, uri: str, rule_index: dict[str, int], fingerprint: str) -> dict:
    location: dict = {"physicalLocation": {
        "artifactLocation": {"uri": uri},
        "region": {
            "startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column,
            "charOffset": f.offset, "charLength": f.end_offset - f.offset,
            "snippet": {"text": f.match},
        },
    }}
    if f.reply:
        location["logicalLocations"] = [{"name": f.reply}]
    result: dict = {"ruleId": f.rule}
    if f.rule in rule_index:
        result["ruleIndex"] = rule_index[f.rule]
    result |= {
        "level": LEVELS[f.severity],
        "message": {"text": _message(f)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    if f.fix:
        result["fixes"] = [{"artifactChanges": [{
            "artifactLocation": {"uri": uri},
            "replacements": [{
                "deletedRegion": {"charOffset": f.fix["offset"],
                                  "charLength": f.fix["end_offset"] - f.fix["offset"]},
                "insertedContent": {"text": f.fix["replacement"]},
            }],
        }]}]
    return result


def _invocation(report: Report) -> dict:
    invocation: dict = {"executionSuccessful": not report.errors}
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": error}} for error in report.errors]
    return invocation


def _head(report: Report) -> tuple[dict, dict[str, int]]:
    rules: list[Rule] = list(getattr(report, "rules", None) or [])
    driver = {"name": "phraselint", "version": __version__, "rules": [_descriptor(rule) for rule in rules]}
    return {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints"}, {r.id: i for i, r in enumerate(rules)}


def sarif(report: Report) -> dict:
    """The whole document (`write` streams the same, result by result)."""
    run, rule_index = _head(report)
    run["results"] = [_result(f, artifact_uri(f.path), rule_index, h) for f, h in _fingerprinted(report)]
    run["invocations"] = [_invocation(report)]  # after the results: a stream's errors are known then
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _indented(value, depth: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * depth)


def write(report: Report, out: TextIO) -> None:
    """The document of `sarif`, written as the findings come (indented as `json.dump` would)."""
    run, rule_index = _head(report)
    out.write(f'{{\n  "$schema": {json.dumps(SCHEMA)},\n  "version": "2.1.0",\n  "runs": [\n    {{')
    for key, value in run.items():
        out.write(f"\n      {json.dumps(key)}: {_indented(value, 3)},")
    out.write('\n      "results": [')
    first = True
    for f, h in _fingerprinted(report):
        out.write("\n        " if first else ",\n        ")
        out.write(_indented(_result(f, artifact_uri(f.path), rule_index, h), 4))
        first = False
    out.write("]" if first else "\n      ]")
    out.write(f',\n      "invocations": {_indented([_invocation(report)], 3)}\n    }}\n  ]\n}}\n')
