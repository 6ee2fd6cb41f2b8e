"""Each rule's own documentation, as `phraselint rule ID` prints it: what it flags, why it
hurts, examples, and what to write instead."""

from __future__ import annotations

import os
from pathlib import Path

from phraselint.errors import printable
from phraselint.rules import Rule, builtin_packs_dir


def _where(rule: Rule) -> str:
    """Where a rule is defined, the same on every machine for the built-in packs."""
    source = Path(rule.source)
    try:
        shown = f"built-in pack {source.resolve().relative_to(builtin_packs_dir().resolve()).as_posix()}"
    except ValueError:
        try:
            shown = os.path.relpath(source)
        except ValueError:
            shown = str(source)
    return shown + (f":{rule.line}" if rule.line else "")


def rule_doc(rule: Rule) -> str:
    lines = [f"{rule.id}  ({rule.category}, {rule.severity}{', opt-in' if rule.opt_in else ''})", "", rule.message,
             "", "Why", f"  {rule.why}"]
    if rule.opt_in:
        lines += ["", f"Opt-in: runs only when selected by its id (--select {rule.id}, or `select:` in the config)."]
    if rule.scope == "reply":
        lines += ["", "Reply-level check",
                  f"  check: {rule.check}; weight in the reply score: {rule.weight}"
                  + (" (reports only with --min-score)" if rule.check == "min_score" else "")]
        lines += [f"  option {key}: {value}" for key, value in rule.options.items()]
    if rule.flag_examples:
        lines += ["", "Fails on" if rule.scope == "reply" else "Flags"]
        for ex in rule.flag_examples:
            lines.append(f"  ✗ {ex.text!s}".replace("\n", "⏎"))
            if ex.fixed is not None:
                lines.append(f"    fixed: {ex.fixed}".replace("\n", "⏎"))
    if rule.pass_examples:
        lines += ["", "Passes" if rule.scope == "reply" else "Leaves alone"]
        lines += [f"  ✓ {ex.text}".replace("\n", "⏎") for ex in rule.pass_examples]
    instead = [f"  → {s.text or '(delete the word)'}  [{'a sentence to adapt' if s.kind == 'sentence' else s.safety}]"
               for s in rule.suggestions]
    if rule.match.glossary:
        instead += [f"  → {term} → {plain}" for term, plain in rule.match.glossary.items()]
    if instead:
        lines += ["", "Instead"] + instead
    if rule.context:
        lines += ["", "Counts only when"]
        for name, option in rule.context.items():
            if isinstance(option, dict):  # a clause frame: one line per key
                lines.append(f"  {name}:")
                lines += [f"    {key}: {', '.join(value) if isinstance(value, list) else value}"
                          for key, value in option.items()]
                continue
            shown = ", ".join(option) if isinstance(option, list) else option
            lines.append(f"  {name}: {shown}" if option is not True else f"  {name}")
    if rule.requires:
        lines += ["", f"Needs a trained pipeline with: {', '.join(rule.requires)} (--model)"]
    lines += ["", f"Defined in {_where(rule)}"]
    # A team's pack is text from a repository: no control character of it reaches a terminal.
    return "\n".join(printable(line) for line in "\n".join(lines).split("\n"))
