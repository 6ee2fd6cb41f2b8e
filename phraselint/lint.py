"""Running a check: settings -> rules -> files -> findings. The CLI and the tests call this."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from phraselint import inputs, readers
from phraselint.config import Config
from phraselint.errors import PhraselintError
from phraselint.model import Finding, Report
from phraselint.rules import Rule, glossary_rule, load_rules, select_rules
from phraselint.text import LineIndex


@dataclass
class Settings:
    config: Config = field(default_factory=Config)
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    rule_paths: list[Path] = field(default_factory=list)
    model: str | None = None
    input_format: str | None = None
    read_options: readers.ReadOptions = field(default_factory=readers.ReadOptions)


def _stderr(message: str) -> None:
    print(f"phraselint: {message}", file=sys.stderr)


def active_rules(settings: Settings) -> list[Rule]:
    """The rules this run uses: default packs, extra packs, the jargon glossary, selected and
    with severity overrides applied."""
    config = settings.config
    rules = load_rules(list(config.rules) + list(settings.rule_paths))
    if config.jargon:
        rules.append(glossary_rule(config.jargon, config.path or "config"))
    origin = config.path or "config"
    rules = select_rules(rules, config.select, config.ignore, origin=origin)
    rules = select_rules(rules, settings.select, settings.ignore)
    for selector, severity in config.severity.items():
        select_rules(rules, [selector], None, origin=origin)  # unknown selectors are errors
    out = []
    for rule in rules:
        override = _severity_for(rule, config.severity)
        out.append(rule.with_severity(override) if override else rule)
    return out


def _severity_for(rule: Rule, overrides: dict[str, str]) -> str | None:
    """The most specific override: a rule id beats a prefix, which beats the category."""
    best, best_len = None, -1
    for selector, severity in overrides.items():
        if rule.id == selector or rule.id.startswith(selector + ".") or rule.category == selector:
            specificity = len(selector) + (1000 if selector == rule.id else 0)
            if specificity > best_len:
                best, best_len = severity, specificity
    return best


def check(paths: list[str], settings: Settings, note: Callable[[str], None] = _stderr) -> Report:
    from phraselint.engine import Engine

    report = Report()

    def error(exc: PhraselintError) -> None:
        report.errors.append(str(exc))
        note(str(exc))

    rules = active_rules(settings)
    files = inputs.expand(paths, settings.config.exclude, note, error)
    if not files:
        return report
    engine = Engine(rules, settings.model, warn=note)

    def replies():
        for path in files:
            try:
                source = inputs.read(path, note)
            except PhraselintError as exc:
                error(exc)
                continue
            if source is None:
                continue
            report.files += 1
            reader = readers.reader_for(path, settings.input_format)
            try:  # readers are generators: their errors surface while iterating
                for reply in reader.read(source.text, path, settings.read_options):
                    yield source, reply
            except PhraselintError as exc:
                error(exc)

    pending: deque[tuple] = deque()

    def tagged():
        for source, reply in replies():
            pending.append((source, reply))
            yield reply

    lines: dict[str, LineIndex] = {}  # only for files with findings
    for hits in engine.lint(tagged()):
        source, reply = pending.popleft()
        for hit in hits:
            start, end = reply.to_raw.span(hit.start, hit.end)
            index = lines.get(source.path)
            if index is None:
                index = lines[source.path] = LineIndex(source.text)
            line, col = index.position(start)
            end_line, end_col = index.position(end)
            for n in range(line, end_line + 1):
                report.source_lines[(source.path, n)] = index.line_text(source.text, n)
            report.findings.append(Finding(
                path=source.path, rule=hit.rule.id, severity=hit.rule.severity, message=hit.rule.message,
                line=line, column=col, end_line=end_line, end_column=end_col, offset=start, end_offset=end,
                match=source.text[start:end], suggestions=hit.suggestions, reply=reply.name,
            ))
    report.findings.sort(key=lambda f: f.sort_key)
    return report
