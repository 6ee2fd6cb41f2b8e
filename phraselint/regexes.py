"""User regexes (a config's `placeholders`, a pack's `regex`): compiled once, and refused at
load when they could backtrack without bound; and a case-blind regex's case-sensitive twin,
for the lowered text (`fold_case`).

Python's `re` has no time limit, so a pattern like `(a+)+$` can run for ever on a long line. The
check below refuses a repeated group that itself repeats (the classic catastrophic form), which
is what a linear-time engine would forbid too; a bounded repeat of at most a few items is fine.
We chose a load-time refusal over the `regex` package's timeouts: it keeps the runtime
dependencies at four, and a pattern that is refused is refused on every machine, not only on
the input that happens to be slow.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # Python 3.11+
    from re import _compiler as _sre_compile  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_compile as _sre_compile  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

REPEATS = {_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT, getattr(_sre_parse, "POSSESSIVE_REPEAT", None)} - {None}
#: A repeat of at most this many times is bounded enough to nest.
_SMALL = 10


def compile_bounded(pattern: str) -> re.Pattern:
    """`pattern` compiled; raises ValueError (with the reason) for a bad or unbounded pattern.
    (Compiled from its parse tree, which the probes and the folding read again: one parse.)"""
    try:
        tree = _parse(pattern)
        compiled = _sre_compile.compile(tree)
    except re.error as exc:
        raise ValueError(str(exc)) from None
    if _nested_repeat(tree, inside=False):
        raise ValueError("a repeated group that repeats inside (like '(a+)+') can take exponential time; "
                         "rewrite it without the nesting")
    return compiled


def _nested_repeat(items, inside: bool) -> bool:
    for op, arg in items:
        if op in REPEATS:
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


#: The pattern's own leading flags, as `(?i)` or `(?ix)`.
_LEADING_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")


def fold_case(pattern: re.Pattern) -> re.Pattern | None:
    """A case-sensitive twin of the case-blind `pattern`, to run on the lowered text (`str.lower`,
    when it keeps every offset; see `folds_safely`): the same matches, found about a third
    faster, since a case-blind choice tries every branch at every position where a cased one
    rejects a branch on its first character. None for a pattern it cannot be sure of: not
    case-blind as a whole, a case rule of its own on a group, a named character, or a range of
    characters that mixes letters and other characters or the two cases."""
    source = folded_source(pattern.pattern) if isinstance(pattern.pattern, str) else None
    try:
        return re.compile(source) if source is not None else None
    except re.error:  # two group names that lowering made one
        return None


@lru_cache(maxsize=2048)
def _parse(text: str):
    """The parse tree of `text`, shared: read it, never change it (`compile_fast` parses its own)."""
    return _sre_parse.parse(text)


def parsed(text: str):
    """The parse tree of the pattern source `text` (its `state.flags`: the pattern's flags), or
    None when it is no pattern. Shared between callers: read it, never change it."""
    try:
        return _parse(text)
    except re.error:
        return None


def folded_source(text: str, tree=None) -> str | None:
    """The source of `fold_case`'s twin of the pattern source `text` (`tree`: its `parsed`
    tree, when the caller has it), or None. It may fail to compile (lowering made two group
    names one): its user falls back to `text` then."""
    lead = _LEADING_FLAGS.match(text)
    if lead is None or "i" not in lead.group(1) or "\\N" in text:
        return None
    tree = parsed(text) if tree is None else tree
    if tree is None or not _foldable(tree):
        return None
    flags = lead.group(1).replace("i", "")
    out, i = ["(?" + flags + ")" if flags else ""], lead.end()
    while i < len(text):  # every letter lowered, but not an escape's ("\\S") nor a named group's "(?P"
        step = 2 if text[i] == "\\" else 3 if text.startswith("(?P", i) else 1
        out.append(text[i:i + step] if step > 1 else text[i].lower())
        i += step
    return "".join(out)


def folds_safely(text: str, lowered: str) -> bool:
    """Whether a folded pattern (`fold_case`) finds in `lowered` what its original finds in
    `text`: the same length (no "İ", which lowers to two characters) and none of the letters that
    a case-blind "i" or "s" matches but that lower to something else."""
    return len(lowered) == len(text) and "ı" not in lowered and "ſ" not in lowered


def _foldable(items) -> bool:
    for op, arg in items:
        if op is _sre_parse.IN:
            for kind, value in arg:
                if kind is _sre_parse.RANGE and not _plain_range(*value):
                    return False
        elif op is _sre_parse.SUBPATTERN:
            if arg[1] or arg[2] or not _foldable(arg[3]):  # "(?-i:…)": a case rule of its own
                return False
        elif op is _sre_parse.BRANCH:
            if not all(_foldable(branch) for branch in arg[1]):
                return False
        elif op in REPEATS:
            if not _foldable(arg[2]):
                return False
        elif op in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT):
            if not _foldable(arg[1]):
                return False
        elif op is _sre_parse.GROUPREF_EXISTS:
            if not all(_foldable(branch) for branch in arg[1:] if branch is not None):
                return False
    return True


def _plain_range(low: int, high: int) -> bool:
    """A range that lowers to a range of the same characters' lower forms: capitals only, small
    letters only, or no letters at all (digits), all ASCII."""
    if high > 0x7F:
        return False
    if ord("A") <= low and high <= ord("Z") or ord("a") <= low and high <= ord("z"):
        return True
    return not any(chr(c).isalpha() for c in range(low, high + 1))


def compile_fast(source: str) -> re.Pattern:
    """`re.compile(source)`, for a case-sensitive pattern that opens with a word boundary and a
    choice of words ("\\b(?:take|raise|bring) …") rewritten to open on the words' first letters,
    the boundary a look-behind after them ("(?:t(?<!\\w.)ake|r(?<!\\w.)aise|…) …"): the same
    matches, but the engine skips ahead to those letters instead of trying every position (half
    the time). Any other pattern is compiled as it is."""
    try:
        tree = _sre_parse.parse(source)
        data = tree.data
        if len(data) >= 2 and data[0] == (_sre_parse.AT, _sre_parse.AT_BOUNDARY) and _opens_on_word(data[1]) \
                and not tree.state.flags & re.IGNORECASE:
            del data[0]
            _bound_after_first(data, 0)
            return _sre_compile.compile(tree, tree.state.flags)
    except Exception:  # pragma: no cover - a private module that changed: compile as written
        pass
    return re.compile(source)


_WORD_CHAR = re.compile(r"\w")


def _opens_on_word(node) -> bool:
    """Every path through `node` opens with a literal word character."""
    op, arg = node
    if op is _sre_parse.LITERAL:
        return _WORD_CHAR.match(chr(arg)) is not None
    if op is _sre_parse.SUBPATTERN:
        _group, add, delete, body = arg
        return not add and not delete and bool(body.data) and _opens_on_word(body.data[0])
    if op is _sre_parse.BRANCH:
        return all(branch.data and _opens_on_word(branch.data[0]) for branch in arg[1])
    return False


def _bound_after_first(items: list, k: int) -> None:
    """Put `(?<!\\w.)` after the first literal of every path through `items[k]`."""
    op, arg = items[k]
    if op is _sre_parse.LITERAL:
        items.insert(k + 1, _sre_parse.parse(r"(?<!\w.)").data[0])
    elif op is _sre_parse.SUBPATTERN:
        _bound_after_first(arg[3].data, 0)
    else:
        for branch in arg[1]:
            _bound_after_first(branch.data, 0)

