"""Dictionaries are plain data with tests of their own: sorted, no duplicates, no rewrite equal
to its input, and the rule docs list every context condition."""

from __future__ import annotations

import pytest

from phraselint import context
from phraselint.rules import builtin_packs_dir, load_rules

from .conftest import ROOT

RULES = load_rules()


@pytest.mark.parametrize("name", sorted(k for k, v in context.LEXICON.items() if not isinstance(v, dict)))
def test_lexicon_list_is_sorted_and_unique(name):
    import yaml

    raw = yaml.safe_load((ROOT / "phraselint" / "lexicon.yaml").read_text())[name]
    assert raw == sorted(raw) and len(raw) == len(set(raw))


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_phrases_are_unique_and_rewrites_differ(rule):
    phrases = [p.lower() for p in rule.match.all_phrases()]
    assert len(phrases) == len(set(phrases)), "duplicate phrase"
    for term, plain in rule.match.glossary.items():
        assert term.lower() != plain.lower()
    for s in rule.suggestions:
        assert s.text.lower() not in phrases, "a rewrite equal to its input"
    for name, option in rule.context.items():
        if isinstance(option, list):
            assert len(option) == len(set(option)), f"duplicate word in {name}"


def test_glossaries_are_sorted():
    for rule in RULES:
        keys = list(rule.match.glossary)
        assert keys == sorted(keys, key=str.lower), rule.id


def test_rule_ids_unique_and_grouped_by_file():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert r.source.endswith(f"{r.category}.yaml") or r.id.split(".")[0] == r.category


def test_format_docs_mention_every_condition_and_key():
    doc = (builtin_packs_dir() / "README.md").read_text()
    for name in context.CONDITIONS:
        assert f"`{name}`" in doc, name
    for key in ("id", "category", "severity", "message", "why", "match", "context", "suggestions",
                "examples", "requires", "phrases", "combos", "glossary", "patterns", "regex", "attr",
                "safety", "kind", "extend"):
        assert f"`{key}`" in doc, key
