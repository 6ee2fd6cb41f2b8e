"""User regexes (a config's `placeholders`, a pack's `regex`): compiled once, and refused at
load when they could backtrack without bound; and a case-blind regex's case-sensitive twin,
for the lowered text (`fold_case`).

Python's `re` has no time limit, so a pattern like `(a+)+$` can run for ever on a long line. The
check below refuses a repeated group that itself repeats (the classic catastrophic form) unless
a character the inner repeat cannot take marks off each turn, and a repeated choice whose
branches can match the same text ('(a|ab)*'); a repeat of at most a few turns is fine.
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
#: A repeat of at most this many times may hold one without a small bound ('(?:\\w+ ){1,4}'):
#: at worst the text's length to this power.
_FEW = 4


def compile_bounded(pattern: str) -> re.Pattern:
    """`pattern` compiled; raises ValueError (with the reason) for a bad or unbounded pattern.
    (Compiled from its parse tree, which the probes and the folding read again: one parse.)"""
    try:
        tree = _parse(pattern)
        compiled = _sre_compile.compile(tree)
    except re.error as exc:
        raise ValueError(str(exc)) from None
    if _nested_repeat(tree, tree.state):
        raise ValueError("a repeated group that repeats inside (like '(a+)+') can take exponential time; "
                         "rewrite it without the nesting")
    if _ambiguous_choice(tree, False, tree.state):
        raise ValueError("a repeated choice whose branches can match the same text (like '(a|ab)*') can take "
                         "exponential time; make the branches start differently")
    return compiled


#: Nodes whose body is matched as part of the pattern around them: (op, the body from its argument).
_BODIES = {
    _sre_parse.SUBPATTERN: lambda arg: [arg[-1]],
    _sre_parse.BRANCH: lambda arg: arg[1],
    _sre_parse.ASSERT: lambda arg: [arg[1]],
    _sre_parse.ASSERT_NOT: lambda arg: [arg[1]],
    _sre_parse.GROUPREF_EXISTS: lambda arg: [b for b in arg[1:] if b is not None],
}
if hasattr(_sre_parse, "ATOMIC_GROUP"):  # Python 3.11+
    _BODIES[_sre_parse.ATOMIC_GROUP] = lambda arg: [arg]


def _nested_repeat(items, state) -> bool:
    """A repeat (of more than `_FEW` times) around a repeat without a small bound: each level
    multiplies the ways to split a text ('(a+)+' exponentially, '(.*a){10}' as n**10), unless
    each turn of the outer one is marked off by a character the inner ones cannot take
    ('(?: \\w+)+', '(?:[A-Z][a-z]+ ?)+')."""
    for op, arg in items:
        if op in REPEATS:
            low, high, body = arg
            if (high is _sre_parse.MAXREPEAT or high > _FEW) and _repeats_inside(body) and not _marked_off(body, state):
                return True
            if _nested_repeat(body, state):
                return True
        elif op in _BODIES:
            if any(_nested_repeat(body, state) for body in _BODIES[op](arg)):
                return True
    return False


#: Nodes that match one character.
_ONE_CHAR = {_sre_parse.LITERAL, _sre_parse.NOT_LITERAL, _sre_parse.IN, _sre_parse.ANY}
#: Characters two one-character nodes are tried on: do they share one?
_SAMPLE = [chr(i) for i in range(128)] + list("\u00a0\u00e9\u00c9\u2019\u2018\u201c\u2013\u00df\u4e2d\u0416\ue000")


def _repeats_inside(items) -> list | None:
    """The unbounded repeats in `items` (each its body), or None when there are none."""
    found = []
    for op, arg in items:
        if op in REPEATS:
            if arg[1] is _sre_parse.MAXREPEAT or arg[1] > _SMALL:
                found.append(arg[2])
            found.extend(_repeats_inside(arg[2]) or ())
        elif op in _BODIES:
            for body in _BODIES[op](arg):
                found.extend(_repeats_inside(body) or ())
    return found or None


def _marked_off(body, state) -> bool:
    """Whether `body` must match a character (outside any repeat) that none of its unbounded
    repeats, each of one character, can take."""
    inner = _repeats_inside(body)
    if not inner or any(len(b) != 1 or b[0][0] not in _ONE_CHAR for b in inner):
        return False
    takes = [_chars(b[0], state) for b in inner]
    for op, arg in body:
        if op in _ONE_CHAR and not any(_chars((op, arg), state) & t for t in takes):
            return True
    return False


def _chars(node, state) -> frozenset:
    """The sample characters a one-character node matches, under the pattern's flags."""
    compiled = _sre_compile.compile(_sre_parse.SubPattern(state, [node]))
    return frozenset(c for c in _SAMPLE if compiled.fullmatch(c))


def _ambiguous_choice(items, inside: bool, state) -> bool:
    """Under a repeat without a small bound, a choice with a branch that can match nothing or two
    branches that can start with the same character: '(a|a)*', '(?:a|aa)*b' (each 'a' can be
    either, so a failing match tries them all); unless the branches are words each turn ends
    after, on a character none of them holds ('(?:please|pls|so),? )*')."""
    for op, arg in items:
        if op in REPEATS:
            high = arg[1]
            if _ambiguous_choice(arg[2], inside or high is _sre_parse.MAXREPEAT or high > _SMALL, state):
                return True
            continue
        if op is _sre_parse.BRANCH and inside and _overlapping(arg[1]) and not _words_marked_off(arg[1], items, state):
            return True
        # A lookaround is tried once where it stands (never backtracked into): a context of its own.
        within = inside and op not in (_sre_parse.ASSERT, _sre_parse.ASSERT_NOT)
        if op in _BODIES and any(_ambiguous_choice(body, within, state) for body in _BODIES[op](arg)):
            return True
    return False


def _overlapping(branches) -> bool:
    firsts = []
    for branch in branches:
        first, nullable = _first(branch)
        if nullable or any(_overlap(first, other) for other in firsts):
            return True
        firsts.append(first)
    return False


def _words_marked_off(branches, sequence, state) -> bool:
    """Whether every branch is a fixed word (no repeat, no choice) and `sequence`, the choice's
    own, must match a character that none of the words holds."""
    held: set[str] = set()
    for branch in branches:
        if not branch or any(op not in _ONE_CHAR for op, _ in branch):
            return False
        for node in branch:
            held |= _chars(node, state)
    return any(op in _ONE_CHAR and not (_chars((op, arg), state) & held) for op, arg in sequence)


#: Any character: a first character not worked out (a class, a category, a back-reference).
_ANY = None


def _first(items) -> tuple[set[str] | None, bool]:
    """The characters `items` can start with (both cases of each letter; `_ANY` when not worked
    out), and whether it can match nothing."""
    found: set[str] = set()
    for op, arg in items:
        if op in (_sre_parse.AT,):  # an anchor takes no character
            continue
        if op is _sre_parse.LITERAL:
            c = chr(arg)
            return found | {c.lower(), c.upper()}, False
        if op is _sre_parse.IN and all(o is _sre_parse.LITERAL for o, _ in arg):
            return found | {x for _, a in arg for x in (chr(a).lower(), chr(a).upper())}, False
        if op in REPEATS:
            first, nullable = _first(arg[2])
            if first is _ANY:
                return _ANY, False
            found |= first
            if arg[0] > 0 and not nullable:
                return found, False
            continue
        if op is _sre_parse.SUBPATTERN:
            first, nullable = _first(arg[-1])
            if first is _ANY:
                return _ANY, False
            found |= first
            if not nullable:
                return found, False
            continue
        if op is _sre_parse.BRANCH:
            nullable_any = False
            for branch in arg[1]:
                first, nullable = _first(branch)
                if first is _ANY:
                    return _ANY, False
                found |= first
                nullable_any = nullable_any or nullable
            if not nullable_any:
                return found, False
            continue
        return _ANY, False
    return found, True


def _overlap(a: set[str] | None, b: set[str] | None) -> bool:
    return a is _ANY or b is _ANY or bool(a & b)


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

