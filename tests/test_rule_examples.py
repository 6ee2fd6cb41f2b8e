"""Every rule example is a test: `flag` examples must be flagged by their rule (on the given
match, when one is given), `pass` examples must not be."""

from __future__ import annotations

import pytest

from phraselint.engine import Engine
from phraselint.rules import load_rules

from .conftest import hits_of

RULES = load_rules()
CASES = [
    pytest.param(rule, kind, ex, id=f"{rule.id}-{kind}-{i}")
    for rule in RULES
    for kind, examples in (("flag", rule.flag_examples), ("pass", rule.pass_examples))
    for i, ex in enumerate(examples)
]
_engines: dict[str, Engine] = {}


def _engine_for(rule, nlp) -> Engine:
    if rule.id not in _engines:
        _engines[rule.id] = Engine([rule], nlp=nlp)
    return _engines[rule.id]


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_example(rule, kind, example, nlp):
    found = [m for rid, m in hits_of(_engine_for(rule, nlp), example.text) if rid == rule.id]
    if kind == "flag":
        assert found, f"{rule.id} should flag: {example.text!r}"
        if example.match:
            assert example.match in found, f"{rule.id} flagged {found}, expected {example.match!r}"
    else:
        assert not found, f"{rule.id} should leave alone: {example.text!r} (flagged {found})"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_is_documented(rule):
    assert rule.flag_examples, "every rule shows what it flags"
    assert rule.pass_examples, "every rule shows a look-alike it leaves alone"
    assert rule.suggestions or rule.match.glossary, "every finding comes with a rewrite"
    assert len(rule.why.split()) >= 15, "why paraphrases the guidance"
