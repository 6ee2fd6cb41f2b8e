"""Inline suppressions: directives in a file's own comment syntax that switch rules off.

- HTML and Markdown: `<!-- phraselint-disable RULE[,RULE] -->` … `<!-- phraselint-enable -->`
  (to the end of the file when not re-enabled), and `<!-- phraselint-disable-next-line RULE -->`.
- Plain text: a line `phraselint-disable-next-line RULE[,RULE]` (also `phraselint-disable` /
  `phraselint-enable` lines).
- YAML and JSON libraries: a `phraselint` key on the reply (see those readers), which the
  reader turns into `ReplyText.disable`.

A directive with no rule ids switches off every rule. A rule may be named by id, id prefix or
category, as in `--select`.
"""

from __future__ import annotations

import bisect
import itertools

import re
from dataclasses import dataclass, field

from phraselint.rules import names
from phraselint.text import Directive, LineIndex

# The rule list: words (ids, commas) each after spaces, so that no run of spaces can be read two
# ways (spaces inside the list and around it overlapped: a directive then a few thousand spaces
# took the regex cubic time).
_BODY = r"phraselint-(?P<verb>disable-next-line|disable|enable)(?P<rules>(?:[ \t]+[\w.,]+)*)"
_PATTERNS = {
    "html": re.compile(r"<!--[ \t]*" + _BODY + r"[ \t]*-->"),
    "line": re.compile(r"^[ \t]*(?:#|//)?[ \t]*" + _BODY + r"[ \t]*$", re.MULTILINE),
}


def directive_spans(raw: str, style: str | None) -> list[tuple[int, int]]:
    """Where the directives themselves are, in `raw` (readers mask them)."""
    pattern = _PATTERNS.get(style or "")
    if pattern is None or "phraselint-" not in raw:
        return []
    return [m.span() for m in pattern.finditer(raw)]


def parse(raw: str, style: str | None, comments=None) -> list[Directive]:
    """The directives in `raw`, each with the raw range it silences. `comments(raw)`: the
    reader's real comments, as `(start, end, …)`; a directive counts only as one of them (not in
    a code span, a fence, a script or an attribute, where it is text)."""
    pattern = _PATTERNS.get(style or "")
    if pattern is None or "phraselint-" not in raw:
        return []
    lines = LineIndex(raw)
    out: list[Directive] = []
    open_: list[tuple[tuple[str, ...], int, int, str]] = []  # disable ranges not yet closed
    found = pattern.finditer(raw)
    if comments is not None:
        real = {(c[0], c[1]) for c in comments(raw)}
        found = (m for m in found if m.span() in real)
    for m in found:
        rules = tuple(r for r in re.split(r"[\s,]+", m.group("rules")) if r)
        line, _ = lines.position(m.start())
        verb = m.group("verb")
        if verb == "disable-next-line":
            nxt = raw.find("\n", m.end())
            start = len(raw) if nxt < 0 else nxt + 1
            end = raw.find("\n", start)
            out.append(Directive(rules, start, len(raw) if end < 0 else end, line, m.group()))
        elif verb == "disable":
            open_.append((rules, m.end(), line, m.group()))
        else:  # enable: closes the matching disables (all of them when no rule is named)
            keep = []
            for d_rules, start, d_line, text in open_:
                if not rules or set(d_rules) & set(rules):
                    out.append(Directive(d_rules, start, m.start(), d_line, text))
                else:
                    keep.append((d_rules, start, d_line, text))
            open_ = keep
    out.extend(Directive(r, start, len(raw), line, text) for r, start, line, text in open_)
    return out


#: The forms of a library reply's `phraselint` key, for error messages.
KEY_FORMS = 'expected {disable: [rule, ...]} or "disable=rule,..."'
_DISABLE_STRING = re.compile(r"disable\s*[=:](.*)", re.DOTALL)  # on the stripped string: linear


def reply_disable(spec: object) -> tuple[str, ...]:
    """The rule ids a library reply's `phraselint` key switches off: `{disable: [a, b]}`,
    `{disable: "a,b"}` or `"disable=a,b"`. Raises ValueError for anything else."""
    value: object = None
    if isinstance(spec, dict):
        unknown = [k for k in spec if k != "disable"]
        if unknown:
            from phraselint.errors import did_you_mean

            from phraselint.errors import brief_value

            shown = brief_value(unknown[0])
            raise ValueError(f"unknown key '{shown}' in the phraselint key{did_you_mean(shown, ['disable'])}")
        value = spec.get("disable", [])
    elif isinstance(spec, str) and (m := _DISABLE_STRING.fullmatch(spec.strip())):
        value = m.group(1)
    if isinstance(value, str):
        return tuple(r for r in re.split(r"[\s,]+", value) if r)
    if isinstance(value, list) and all(isinstance(r, str) for r in value):
        return tuple(r.strip() for r in value if r.strip())
    raise ValueError(f"phraselint key: {KEY_FORMS}")


#: A directive spanning more characters than this is "wide" (checked for every finding).
_WIDE = 10_000


@dataclass
class Suppressions:
    """The directives of one file, and which of them have silenced something."""

    directives: list[Directive]
    used: set[int] = field(default_factory=set)
    #: The directives' index (rebuilt when directives are added): narrow ones by start, wide ones
    #: (over _WIDE characters, e.g. a whole reply) apart, so a lookup costs what is near it.
    _index: tuple = field(default=(), repr=False)
    _wide_by_rule: dict = field(default_factory=dict, repr=False)

    def _lookup(self) -> tuple[list[int], list[int], list[int]]:
        if not self._index or self._index[0] != len(self.directives):
            narrow = sorted((i for i, d in enumerate(self.directives) if d.end - d.start <= _WIDE),
                            key=lambda i: self.directives[i].start)
            wide = [i for i, d in enumerate(self.directives) if d.end - d.start > _WIDE]
            self._index = (len(self.directives), [self.directives[i].start for i in narrow], narrow, wide)
        return self._index[1:]

    def silences(self, rule_id: str, category: str, start: int, end: int) -> bool:
        if not self.directives:
            return False
        starts, narrow, wide = self._lookup()
        near = []
        k = bisect.bisect_right(starts, start) - 1
        while k >= 0 and starts[k] >= start - _WIDE:
            near.append(narrow[k])
            k -= 1
        hit = False
        for i in near:
            d = self.directives[i]
            if d.start <= start < max(d.end, d.start + 1) and (
                    not d.rules or any(names(r, rule_id, category) for r in d.rules)):
                self.used.add(i)
                hit = True
        return self._wide_silence(rule_id, category, start) or hit if wide else hit

    def _wide_silence(self, rule_id: str, category: str, start: int) -> bool:
        """The wide directives' part of `silences`, in logarithmic time: for each rule, those
        naming it, by start, with the furthest end reached so far (a file with thousands of
        "disable" lines never re-enabled holds thousands of wide directives), and those not yet
        marked used, each marked once."""
        key = (self._index[0], rule_id, category)
        found = self._wide_by_rule.get(key)
        if found is None:
            if len(self._wide_by_rule) > 256:
                self._wide_by_rule.clear()
            matching = sorted((i for i in self._index[3] if not self.directives[i].rules
                               or any(names(r, rule_id, category) for r in self.directives[i].rules)),
                              key=lambda i: self.directives[i].start)
            ends = (max(self.directives[i].end, self.directives[i].start + 1) for i in matching)
            found = self._wide_by_rule[key] = ([self.directives[i].start for i in matching],
                                               list(itertools.accumulate(ends, max)), matching)
        starts, reach, pending = found
        k = bisect.bisect_right(starts, start)
        if not k or reach[k - 1] <= start:
            return False
        directives = self.directives
        j = bisect.bisect_right(pending, start, key=lambda i: directives[i].start)  # those begun by `start`
        kept = []
        for i in pending[:j]:
            d = directives[i]
            if start < max(d.end, d.start + 1):
                self.used.add(i)
            elif i not in self.used:
                kept.append(i)
        pending[:j] = kept
        return True

    def unused(self) -> list[Directive]:
        return [d for i, d in enumerate(self.directives) if i not in self.used]


def unknown_rules(directives: list[Directive], known: set[str]) -> list[tuple[Directive, str]]:
    """Rule names in directives that name no rule id, id prefix or category."""
    out = []
    for d in directives:
        for r in d.rules:
            if not any(k == r or k.startswith(r + ".") for k in known):
                out.append((d, r))
    return out
