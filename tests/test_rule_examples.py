"""Every rule example is a test: `flag` examples must be flagged by their rule (on the given
match, when one is given), `pass` examples must not be."""

from __future__ import annotations

import pytest

from phraselint.engine import Engine
from phraselint.rules import load_rules

from .conftest import hits_of

RULES = load_rules()
PHRASE_RULES = [r for r in RULES if r.scope == "phrase"]
REPLY_RULES = [r for r in RULES if r.scope == "reply"]
CASES = [
    pytest.param(rule, kind, ex, id=f"{rule.id}-{kind}-{i}")
    for rule in PHRASE_RULES
    for kind, examples in (("flag", rule.flag_examples), ("pass", rule.pass_examples))
    for i, ex in enumerate(examples)
]
REPLY_CASES = [
    pytest.param(rule, kind, ex, id=f"{rule.id}-{kind}-{i}")
    for rule in REPLY_RULES
    for kind, examples in (("flag", rule.flag_examples), ("pass", rule.pass_examples))
    for i, ex in enumerate(examples)
]
#: The minimum score the examples of coaching.score (the min_score check) are written for.
EXAMPLE_MIN_SCORE = 50
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


@pytest.mark.parametrize(("rule", "kind", "example"), REPLY_CASES)
def test_reply_example(rule, kind, example, coach):
    """A reply-level rule's `flag` examples fail its check (with a finding when the check
    reports one), its `pass` examples do not; every rule of the default packs runs."""
    score, findings = coach(example.text, min_score=EXAMPLE_MIN_SCORE)
    mine = [f for f in findings if f.rule == rule.id]
    if rule.check == "min_score":
        assert bool(mine) == (kind == "flag"), f"score {score.score}: {example.text!r}"
        return
    verdict = score.checks[rule.id]
    if kind == "flag":
        assert verdict is False, f"{rule.id} should fail on {example.text!r} (score {score.checks})"
        if rule.check == "alternative" and not mine:  # one finding per "no": the refusal's says it
            assert any("no alternative" in f.message for f in findings if f.scope == "phrase")
        else:
            assert mine or rule.check == "wording", "a failed check reports a finding"
        assert all(f.scope == "reply" for f in mine)
    else:
        assert verdict is not False and not mine, f"{rule.id} should hold on {example.text!r}"


FIX_CASES = [pytest.param(rule, ex, id=f"{rule.id}-fix-{i}")
             for rule in RULES for i, ex in enumerate(rule.flag_examples) if ex.fixed is not None]


@pytest.mark.parametrize(("rule", "example"), FIX_CASES)
def test_fix_example(rule, example, nlp):
    """A flag example's `fixed` text is what `phraselint fix` makes of it, with the rule alone."""
    from phraselint import fixfile, readers
    from phraselint.inputs import Source
    from phraselint.lint import Linter, Settings

    linter = Linter(Settings(select=[rule.id]), engine=_engine_for(rule, nlp))
    result = fixfile.fix_source(linter, Source("example.txt", example.text), readers.reader_for("example.txt"))
    assert result.after == example.fixed


@pytest.mark.parametrize("rule", [r for r in RULES if any(s.safety == "safe" for s in r.suggestions)],
                         ids=lambda r: r.id)
def test_rules_with_a_safe_fix_show_it(rule):
    assert any(ex.fixed is not None for ex in rule.flag_examples), "show what the safe fix writes"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_is_documented(rule):
    assert rule.flag_examples, "every rule shows what it flags"
    assert rule.pass_examples, "every rule shows a look-alike it leaves alone"
    assert rule.suggestions or rule.match.glossary, "every finding comes with a rewrite"
    if rule.scope == "reply":
        assert all(s.kind == "sentence" for s in rule.suggestions), "a reply-level rewrite is a sentence to adapt"
    assert len(rule.why.split()) >= 15, "why paraphrases the guidance"
