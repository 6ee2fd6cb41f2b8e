"""Each rule's own documentation, as `phraselint rule ID` prints it: what it flags, why it
hurts, examples, and what to write instead."""

from __future__ import annotations

from phraselint.rules import Rule


def rule_doc(rule: Rule) -> str:
    lines = [f"{rule.id}  ({rule.category}, {rule.severity})", "", rule.message, "", "Why", f"  {rule.why}"]
    if rule.flag_examples:
        lines += ["", "Flags"] + [f"  ✗ {ex.text!s}".replace("\n", "⏎") for ex in rule.flag_examples]
    if rule.pass_examples:
        lines += ["", "Leaves alone"] + [f"  ✓ {ex.text}".replace("\n", "⏎") for ex in rule.pass_examples]
    instead = [f"  → {s.text or '(delete the word)'}  [{s.safety}]" for s in rule.suggestions]
    if rule.match.glossary:
        instead += [f"  → {term} → {plain}" for term, plain in rule.match.glossary.items()]
    if instead:
        lines += ["", "Instead"] + instead
    if rule.context:
        lines += ["", "Counts only when"]
        for name, option in rule.context.items():
            shown = ", ".join(option) if isinstance(option, list) else option
            lines.append(f"  {name}: {shown}" if option is not True else f"  {name}")
    if rule.requires:
        lines += ["", f"Needs a trained pipeline with: {', '.join(rule.requires)} (--model)"]
    lines += ["", f"Defined in {rule.source}" + (f":{rule.line}" if rule.line else "")]
    return "\n".join(lines)
