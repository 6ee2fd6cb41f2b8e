"""The real replies in ../shared/corpus (skipped when absent): no crash, exact offsets, nothing
flagged inside masked regions, and the refusals, burdens and bare apologies found."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from phraselint.cli import cli

from .conftest import CORPUS, PHRASES_ONLY

REPLIES = CORPUS / "replies"
pytestmark = pytest.mark.skipif(not REPLIES.is_dir(), reason="shared corpus not present")

_MASKED = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+\.[\w.-]+|@\w+|\{\{.*?\}\}|%\{[^}]*\}|`[^`\n]+`")


@pytest.fixture(scope="module")
def corpus_results():
    result = CliRunner().invoke(cli, ["check", str(REPLIES), "--format", "json", "--fail-on", "never", *PHRASES_ONLY],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_runs_over_every_reply(corpus_results):
    assert corpus_results["summary"]["files"] == len(list(REPLIES.rglob("*.txt")))


def test_offsets_are_exact_and_nothing_masked_is_flagged(corpus_results):
    texts = {}
    for r in corpus_results["results"]:
        text = texts.setdefault(r["path"], open(r["path"], encoding="utf-8").read())
        assert text[r["offset"]:r["end_offset"]] == r["match"]
        for m in _MASKED.finditer(text):
            assert not (m.start() < r["end_offset"] and r["offset"] < m.end()), (r["path"], r["match"], m.group())


def _flagged(results, rule_prefix):
    return {(r["path"].split("replies/")[1], r["match"].lower()) for r in results["results"]
            if r["rule"].startswith(rule_prefix)}


def _sentences_with(pattern: str):
    rx = re.compile(pattern)
    for path in sorted(REPLIES.rglob("*.txt")):
        for m in rx.finditer(path.read_text(encoding="utf-8")):
            yield str(path).split("replies/")[1], m


@pytest.mark.parametrize(("pattern", "rule"), [
    # (not "unable to reproduce": a test's result, no refusal)
    (r"(?i)\bwe(?:'re| are) unable to\b(?! reproduce)", "refusal"),
    (r"(?i)\bwe cannot (?:assist|provide|remove)\b", "refusal"),
    (r"(?i)(?:^|[.!?,]\s*|@\w+\s+)(?:so )?sorry for (?:this|the trouble|the inconvenience)\b", "apology"),
])
def test_known_triggers_in_corpus_are_flagged(corpus_results, pattern, rule):
    flagged = {path for path, _ in _flagged(corpus_results, rule)}
    occurrences = list(_sentences_with(pattern))
    assert occurrences, "the corpus has examples of this trigger"
    missed = [(path, m.group()) for path, m in occurrences if path not in flagged]
    assert not missed


def test_no_finding_for_harmless_corpus_lookalikes(corpus_results):
    texts = {}
    for r in corpus_results["results"]:
        text = texts.setdefault(r["path"], open(r["path"], encoding="utf-8").read())
        sentence = text[max(0, r["offset"] - 40):r["end_offset"] + 40].lower()
        assert not re.search(r"if you(?:'re| are) unable to|can'?t wait|sorry to hear you cannot", sentence) \
            or r["rule"] not in ("refusal.cant", "refusal.you_cant", "apology.sorry_to_hear"), (r["path"], sentence)


def _manifest():
    import csv

    with open(CORPUS / "manifest.tsv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _findings(paths):
    result = CliRunner().invoke(cli, ["check", *map(str, paths), "--format", "json", "--fail-on", "never",
                                      *PHRASES_ONLY],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["results"]


def _key(r):
    match = r["match"]
    if "\\" in match:  # a match inside a JSON string, as the raw file spells it: decode it
        try:
            match = json.loads(f'"{match}"')
        except ValueError:
            pass
    return r["rule"], " ".join(match.lower().split())


def test_raw_libraries_find_the_same_triggers_as_the_extracted_replies():
    """Linting the raw YAML, JSON and Markdown files finds what linting the extracted replies
    finds, reply by reply (manifest.tsv pairs them)."""
    from collections import Counter, defaultdict

    rows = [r for r in _manifest() if r["format"].split()[0] in ("YAML", "JSON", "Markdown", "MDX")]
    raw_paths = sorted({CORPUS / "raw" / r["source"] / r["path"] for r in rows})
    by_raw: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for r in _findings(raw_paths):
        by_raw[(r["path"], r["reply"] or "")][_key(r)] += 1
    by_reply: dict[str, Counter] = defaultdict(Counter)
    for r in _findings([CORPUS / row["file"] for row in rows]):
        by_reply[r["path"]][_key(r)] += 1
    per_file = Counter(str(CORPUS / "raw" / r["source"] / r["path"]) for r in rows)
    # Several replies of one file may share a name (three "Closing Invalid Pull Requests"):
    # compare each name's findings with those of all the extracted replies of that name.
    wanted: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for row in rows:
        raw = str(CORPUS / "raw" / row["source"] / row["path"])
        key = (raw, "" if per_file[raw] == 1 else row["item"])
        wanted[key] += by_reply.get(str(CORPUS / row["file"]), Counter())
    mismatches = []
    for (raw, item), want in wanted.items():
        if not item:  # a one-reply file: whatever its reply is called
            got = sum((c for (p, _), c in by_raw.items() if p == raw), Counter())
        else:
            got = by_raw.get((raw, item), Counter())
        if got != want:
            mismatches.append((raw, item, dict(got), dict(want)))
    assert len(rows) > 1000
    assert not mismatches, mismatches[:5]


def test_no_refusal_is_reported_twice():
    """With coaching on: a "no" is one finding. The refusal finding carries whether an
    alternative follows, so no coaching.alternative finding sits on the same words, and no two
    refusal findings overlap."""
    result = CliRunner().invoke(cli, ["check", str(REPLIES), "--format", "json", "--fail-on", "never"],
                                catch_exceptions=False)
    by_path: dict[str, list[dict]] = {}
    for r in json.loads(result.stdout)["results"]:
        by_path.setdefault(r["path"], []).append(r)
    refusals_seen = 0
    for found in by_path.values():
        nos = [r for r in found if r["rule"].startswith("refusal.")]
        refusals_seen += len(nos)
        others = [r for r in found if r["rule"] == "coaching.alternative"]
        for a in nos:
            assert "alternative" in a["message"]
            for b in nos + others:
                if b is not a:
                    assert not (a["offset"] < b["end_offset"] and b["offset"] < a["end_offset"]), (a, b)
    assert refusals_seen > 20
