"""The judgment labels are data with tests of their own: the split is the one its seed makes, the
halves are disjoint, and every agreed mark is the reply text it claims (when the corpus is present).
And no suggestion, once applied, is itself flagged."""

from __future__ import annotations

import json
import random

import pytest

from .conftest import CORPUS, ROOT, hits_of

DATA = ROOT / "tests" / "data" / "judgment"
REPLIES = CORPUS / "replies" / "twcs_dev"


def _split():
    return json.loads((DATA / "twcs_split.json").read_text())


def test_split_is_reproducible_from_its_seed():
    split = _split()
    ids = [f"{i:04d}" for i in range(1, 950)]
    random.Random(split["seed"]).shuffle(ids)
    assert split["dev"] == sorted(ids[:475]) and split["test"] == sorted(ids[475:])
    assert not set(split["dev"]) & set(split["test"])


def _rows(name):
    return [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]


def test_labels_cover_exactly_the_test_half():
    test = set(_split()["test"])
    assert {r["id"] for r in _rows("twcs_test_phrases.jsonl")} == test
    assert {r["id"] for r in _rows("twcs_test_checks.jsonl")} == test
    for name in ("twcs_test_A.jsonl", "twcs_test_B.jsonl"):
        assert {r["id"] for r in _rows(f"raw/{name}")} == test


def test_check_verdicts_are_known_values():
    for row in _rows("twcs_test_checks.jsonl"):
        assert set(row["checks"].values()) <= {"holds", "missing", "na", None}


_SETS = [  # labels file, folder its ids are relative to
    ("twcs_test_phrases.jsonl", REPLIES),
    ("ibm_fresh_phrases.jsonl", CORPUS / "replies"),
    ("ibm_fresh2_phrases.jsonl", CORPUS / "replies"),
    ("ibm_fresh3_phrases.jsonl", CORPUS / "replies"),
    ("ibm_fresh4_phrases.jsonl", CORPUS / "replies"),
] + [(p.name, DATA / p.name.replace("_phrases.jsonl", "")) for p in sorted(DATA.glob("written_templates*_phrases.jsonl"))]


@pytest.mark.parametrize(("name", "folder"), _SETS, ids=[n for n, _ in _SETS])
def test_every_mark_is_the_text_it_claims(name, folder):
    if not folder.is_dir():
        pytest.skip("shared corpus not present")
    rows = _rows(name)
    assert any(r.get("family") for r in rows)
    for row in rows:
        if row.get("family"):
            text = (folder / f"{row['id']}.txt").read_text(encoding="utf-8")
            assert text[row["start"]:row["end"]] == row["text"] != ""


_SAMPLES = {"ibm_fresh_sample.json": 240, "ibm_fresh2_sample.json": 240, "ibm_fresh3_sample.json": 240,
            "ibm_fresh4_sample.json": 196}


@pytest.mark.parametrize("name", sorted(_SAMPLES))
def test_fresh_samples_are_disjoint_and_labelled(name):
    ids = json.loads((DATA / name).read_text())["ids"]
    others = [json.loads((DATA / n).read_text())["ids"] for n in _SAMPLES if n != name]
    assert len(ids) == len(set(ids)) == _SAMPLES[name]
    assert all(not set(ids) & set(o) for o in others)
    labelled = {r["id"] for r in _rows(name.replace("_sample.json", "_phrases.jsonl"))}
    assert labelled == set(ids)


# ---------------------------------------------------------------- suggestions are not flagged


def _suggestion_cases():
    from phraselint.rules import load_rules

    for rule in load_rules():
        if rule.check:
            continue
        for s in rule.suggestions:
            if s.kind == "sentence" or "…" in s.text:
                text = s.text.replace("…", "we'll send the replacement today").replace("..", ".")
                yield pytest.param(rule.id, None, text, id=f"{rule.id}:{s.text[:30]}")
            else:
                for ex in rule.flag_examples:
                    if ex.match:
                        yield pytest.param(rule.id, ex, s.text, id=f"{rule.id}:{ex.text[:30]}->{s.text[:20]}")


@pytest.mark.parametrize(("rule_id", "example", "suggestion"), list(_suggestion_cases()))
def test_no_suggestion_is_itself_flagged(engine, rule_id, example, suggestion):
    """A sentence suggestion is clean on its own; a replacement, applied to the rule's own flag
    examples, leaves nothing flagged where it went."""
    if example is None:
        assert hits_of(engine, suggestion) == []
        return
    at = example.text.index(example.match)
    fixed = example.text[:at] + suggestion + example.text[at + len(example.match):]
    region = (at, at + len(suggestion))
    from .conftest import reply

    (hits,) = list(engine.lint([reply(fixed)]))
    clashes = [(h.rule.id, fixed[h.start:h.end]) for h in hits if h.start < region[1] and region[0] < h.end]
    assert clashes == [], fixed


def test_written_sentences_are_well_formed():
    rows = _rows("written_sentences.jsonl")
    assert sum(r["flag"] for r in rows) == 120 and sum(not r["flag"] for r in rows) == 120
    for r in rows:
        assert (r["span"] in r["text"] and r["span"]) if r["flag"] else r["span"] == ""


def _agree():
    import importlib.util

    spec = importlib.util.spec_from_file_location("agree", ROOT / "benchmarks" / "agree.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_mark_with_two_brackets_is_two_spans():
    text = "The RMA window is 7d from POD, sorry."
    spans = _agree().locate(text, "[RMA] window is 7d from [POD]")
    assert [text[a:b] for a, b in spans] == ["RMA", "POD"]
    # a mis-copied context falls back to each bracketed span alone
    spans = _agree().locate(text, "the [RMA] window is seven days from [POD]")
    assert [text[a:b] for a, b in spans] == ["RMA", "POD"]
    assert _agree().locate(text, "no brackets here") is None
