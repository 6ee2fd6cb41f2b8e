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


#: A literal this long that every match contains lets a text without it skip the pattern.
_PROBE_CHARS = 3


def probe(pattern: re.Pattern) -> tuple[str, bool] | None:
    """The longest run of literal characters every match of `pattern` holds, at the top level of
    the pattern ("responsibility" in `… the (?:\\w+'s )?responsibility\\b`), and whether it is to
    be looked for case-blind; None when there is none of at least three characters. A text
    without it cannot match, and a regex search costs far more than a substring test."""
    try:
        tree = _sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:  # pragma: no cover - it compiled already
        return None
    best, run = "", []
    for op, arg in tree:
        if op is _sre_parse.LITERAL:
            run.append(chr(arg))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    if len(run) > len(best):
        best = "".join(run)
    if len(best) < _PROBE_CHARS:
        return None
    blind = bool(pattern.flags & re.IGNORECASE)
    return (best.lower() if blind else best), blind
