"""User regexes (a config's `placeholders`, a pack's `regex`): compiled once, and refused at
load when they could backtrack without bound.

Python's `re` has no time limit, so a pattern like `(a+)+$` can run for ever on a long line. The
check below refuses a repeated group that itself repeats (the classic catastrophic form), which
is what a linear-time engine would forbid too; a bounded repeat of at most a few items is fine.
We chose a load-time refusal over the `regex` package's timeouts: it keeps the runtime
dependencies at four, and a pattern that is refused is refused on every machine, not only on
the input that happens to be slow.
"""

from __future__ import annotations

import re
from typing import NamedTuple

try:  # Python 3.11+
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_REPEATS = {_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, getattr(_sre_parse, "POSSESSIVE_REPEAT", None)} - {None}
#: A repeat of at most this many times is bounded enough to nest.
_SMALL = 10


def compile_bounded(pattern: str) -> re.Pattern:
    """`pattern` compiled; raises ValueError (with the reason) for a bad or unbounded pattern."""
    try:
        compiled = re.compile(pattern)
        tree = _sre_parse.parse(pattern)
    except re.error as exc:
        raise ValueError(str(exc)) from None
    if _nested_repeat(tree, inside=False):
        raise ValueError("a repeated group that repeats inside (like '(a+)+') can take exponential time; "
                         "rewrite it without the nesting")
    return compiled


def _nested_repeat(items, inside: bool) -> bool:
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            big = high is _sre_parse.MAXREPEAT or high > _SMALL
            if big and inside:
                return True
            if _nested_repeat(body, inside or big):
                return True
        elif op is _sre_parse.SUBPATTERN:
            if _nested_repeat(arg[-1], inside):
                return True
        elif op is _sre_parse.BRANCH:
            if any(_nested_repeat(branch, inside) for branch in arg[1]):
                return True
        elif op in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT):
            if _nested_repeat(arg[1], inside):
                return True
    return False


#: Items that match no characters: the literal run around them goes on in every match.
_ZERO_WIDTH = frozenset((_sre_parse.AT, _sre_parse.ASSERT, _sre_parse.ASSERT_NOT))
#: A literal this long that every match contains lets a text without it skip the pattern.
_PROBE_CHARS = 3


class Probe(NamedTuple):
    """What every match of a pattern holds: for each of `needs`, one of its literals (at least
    three characters each), looked for case-blind (in the lowered text) when `blind`. A text
    without them cannot match, and a substring test costs far less than a regex search."""

    needs: tuple[tuple[str, ...], ...]
    blind: bool

    def admits(self, text: str) -> bool:
        """`text` (lowered already when `blind`) holds every need."""
        contains = text.__contains__  # mapped over each need: no generator per literal
        for need in self.needs:
            if not any(map(contains, need)):
                return False
        return True

    def admits_found(self, found: frozenset[str] | set[str]) -> bool:
        """Whether every need has a literal in `found`: the literals a `LiteralScan` found in
        the lowered text (of the scan's literals, which hold every case-blind probe's)."""
        for need in self.needs:
            if found.isdisjoint(need):
                return False
        return True


class LiteralScan:
    """Which of many literals a text holds, in one pass: a regex of the literals as a trie, tried
    at every position, gives the longest literal that starts there, and every literal that is a
    prefix of it starts there too. One pass over a reply instead of a substring scan for each
    literal of each probe (about 280 scans of a 120-word reply). Compiled at its first use."""

    def __init__(self, literals):
        self._literals = sorted(set(literals))
        self._pattern: re.Pattern | None = None
        # Each literal, with the literals it opens with ("mention" with "men"): found at a
        # position, the scan returns only the longest.
        known = set(self._literals)
        self._prefixes = {lit: frozenset(lit[:k] for k in range(1, len(lit) + 1) if lit[:k] in known)
                          for lit in self._literals}

    def found(self, text: str) -> frozenset[str]:
        """The literals `text` holds."""
        if not self._literals:
            return frozenset()
        if self._pattern is None:
            self._pattern = re.compile(f"(?=({_trie(self._literals)}))")
        prefixes = self._prefixes
        return frozenset().union(*[prefixes[lit] for lit in set(self._pattern.findall(text))])


def _trie(words: list[str]) -> str:
    """A pattern matching each of `words`, the longest one where several start at a position
    ("mentioned" before "mention"): the words as a trie, so that at each position the engine
    follows one path of shared prefixes instead of trying every word in turn."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def probe(pattern: re.Pattern) -> Probe | None:
    """The literals every match of `pattern` holds: runs of literal characters ("responsibility"
    in `… the (?:\\w+'s )?responsibility\\b`), read through groups and required repeats, and
    through a choice whose every branch holds one ("read" or "check" in `(?:read|check) the`).
    None when there is none of at least three characters."""
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:  # pragma: no cover - it compiled already
        return None
    blind = bool(pattern.flags & re.IGNORECASE)
    needs = [_shortest(need) for need in _needs(tree, blind) if min(map(len, need)) >= _PROBE_CHARS]
    # The cheapest test first, and the likeliest to fail: one literal before a choice of ten,
    # a long one (rarer) before a short one ("stand" before "the", "fee", "fine", …).
    needs.sort(key=lambda need: (len(need), -min(map(len, need))))
    return Probe(tuple(needs), blind) if needs else None


def _shortest(need: tuple[str, ...]) -> tuple[str, ...]:
    """`need` without the literals that hold another of its literals: a text holds one of them
    just when it holds one of the rest ("mention" covers "mentioned"), and each is a scan less."""
    return tuple(lit for lit in need if not any(other != lit and other in lit for other in need))


def _needs(items, blind: bool) -> list[tuple[str, ...]]:
    """For the sequence `items`: sets of literals, one of each of which every match holds."""
    needs: list[tuple[str, ...]] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            needs.append(("".join(run).lower() if blind else "".join(run),))
            run.clear()

    for op, arg in items:
        if op is _sre_parse.LITERAL and (not blind or chr(arg).isascii()):
            run.append(chr(arg))
            continue
        if op in _ZERO_WIDTH:
            continue  # a lookaround or "\\b" consumes nothing: "n(?<!\\w.)o " holds "no "
        end_run()
        if op is _sre_parse.SUBPATTERN:
            _group, add, delete, body = arg
            if not (add | delete) & re.IGNORECASE:  # a case rule of its own: not read
                needs.extend(_needs(body, blind))
        elif op is _sre_parse.BRANCH:
            either: list[str] = []
            for branch in arg[1]:
                best = _best(_needs(branch, blind))
                if best is None:
                    break
                either.extend(best)
            else:
                needs.append(tuple(dict.fromkeys(either)))
        elif op in _REPEATS and arg[0] >= 1:
            needs.extend(_needs(arg[2], blind))
    end_run()
    return needs


def _best(needs: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The need whose shortest literal is longest."""
    return max(needs, key=lambda need: min(map(len, need)), default=None)
