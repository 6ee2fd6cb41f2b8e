"""Regex probes: the literals every match of a pack's regex holds, so that a text without them
skips the regex, and the scan that finds many literals in a text at once.

A reply meets about 90 pack regexes; most cannot match it, and a look for a few literals costs
far less than a regex search. `ProbeIndex` names the regexes a text may match.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from phraselint.regexes import REPEATS

try:  # Python 3.11+
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]


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
    """Which of many literals a (lowered) text holds. A literal without white space lies inside
    one of the text's chunks (its runs between white space): each distinct chunk is searched
    once, for every such literal at once (a regex of them as a trie), and what it holds is
    remembered, so that a reply costs a look-up a chunk. A literal with white space ("has
    been", " not ") is looked for in the text itself only when its pieces could be there: a
    piece with white space on both sides is a whole chunk, and its longest piece was found in
    one. About three times faster than the trie tried at every position of the text."""

    #: Chunks remembered at most; then forgotten all at once (a chunk costs about 150 bytes).
    MAX_CHUNKS = 50_000

    def __init__(self, literals):
        self._literals = frozenset(literals)
        self._pattern: re.Pattern | None = None
        #: The literals with white space: (the literal, its whole-chunk pieces), by its longest
        #: piece ("" for none).
        self._spanning: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for lit in sorted(self._literals):
            pieces = lit.split()
            if len(pieces) == 1 and pieces[0] == lit:
                continue
            self._spanning.setdefault(max(pieces, key=len, default=""), []).append((lit, _whole_pieces(lit)))
        self._loose = [lit for lit, _ in self._spanning.pop("", [])]
        #: What is looked for in chunks: the literals without white space, and the others' pieces.
        parts = {lit for lit in self._literals if lit.split() == [lit]} | set(self._spanning)
        self._parts = sorted(parts)
        # Each part, with the parts it opens with ("mention" with "men"): found at a position,
        # the trie returns only the longest.
        self._prefixes = {part: frozenset(part[:k] for k in range(1, len(part) + 1) if part[:k] in parts)
                          for part in self._parts}
        self._chunks: dict[str, frozenset[str]] = {}
        self._shared: dict[frozenset[str], frozenset[str]] = {}

    def found(self, text: str) -> frozenset[str]:
        """The literals `text` holds."""
        if not self._literals:
            return frozenset()
        known = self._chunks
        if len(known) > self.MAX_CHUNKS:
            known.clear()
        chunks = set(text.split())
        helds = list(map(known.get, chunks))  # (C loops: a Python one per chunk costs twice as much)
        if None in helds:
            for k, chunk in enumerate(chunks):
                if helds[k] is None:
                    helds[k] = known[chunk] = self._in_chunk(chunk)
        parts: set[str] = set().union(*helds)
        found = set(self._literals.intersection(parts))
        spanning = self._spanning
        maybe = [lit for key in parts.intersection(spanning) for lit, whole in spanning[key] if whole <= chunks]
        found.update(filter(text.__contains__, maybe))
        found.update(filter(text.__contains__, self._loose))
        return frozenset(found)

    def _in_chunk(self, chunk: str) -> frozenset[str]:
        if self._pattern is None:
            self._pattern = re.compile(f"(?=({_trie(self._parts)}))")
        prefixes = self._prefixes
        held = frozenset().union(*[prefixes[part] for part in set(self._pattern.findall(chunk))])
        return self._shared.setdefault(held, held)  # one set for the many chunks that hold the same


def _whole_pieces(literal: str) -> frozenset[str]:
    """The pieces of `literal` with white space on both sides: each must be a whole chunk of a
    text that holds it (" not " holds "not"; "has been" holds none)."""
    pieces = re.split(r"(\s+)", literal)  # pieces at even places, white space at odd
    return frozenset(pieces[k] for k in range(0, len(pieces), 2)
                     if pieces[k] and 0 < k < len(pieces) - 1)


class ProbeIndex:
    """Which of many patterns a text may match, told by their probes (`probe`, None for a
    pattern without one): the case-blind probes' literals found in one `LiteralScan`, and each
    such pattern filed under the literals of one need, so that a text's found literals name the
    few patterns worth a closer look instead of a test of every probe (about 90 a reply)."""

    def __init__(self, probes: list[Probe | None]):
        self._probes = list(probes)
        #: Patterns without a probe: tried on every text.
        self._open = [i for i, p in enumerate(probes) if p is None]
        #: Case-sensitive probes: each tested on the text itself.
        self._cased = [(i, p) for i, p in enumerate(probes) if p is not None and not p.blind]
        self._keyed: dict[str, list[int]] = {}
        for i, p in enumerate(probes):
            if p is not None and p.blind:
                for lit in p.needs[0]:  # the first need: the fewest, longest literals (see `probe`)
                    self._keyed.setdefault(lit, []).append(i)
        self.scan = LiteralScan(lit for p in probes if p is not None and p.blind for need in p.needs for lit in need)

    def candidates(self, text: str, lowered: str | None = None) -> list[int]:
        """The indexes, in order, of the patterns whose probes `text` passes (`lowered`:
        `text.lower()`, when the caller has it)."""
        out = list(self._open)
        out.extend(i for i, p in self._cased if p.admits(text))
        if self._keyed:
            found = self.scan.found(text.lower() if lowered is None else lowered)
            probes, keyed = self._probes, self._keyed
            filed = {i for lit in found.intersection(keyed) for i in keyed[lit]}
            # (`Probe.admits_found`, inlined: one C loop, not a call per pattern)
            out.extend(i for i in filed if not any(map(found.isdisjoint, probes[i].needs)))
        out.sort()
        return out


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
    return probe_of(tree)


def probe_of(tree) -> Probe | None:
    """`probe` of a parsed pattern (`regexes.parsed`)."""
    blind = bool(tree.state.flags & re.IGNORECASE)
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
        elif op in REPEATS and arg[0] >= 1:
            needs.extend(_needs(arg[2], blind))
    end_run()
    return needs


def _best(needs: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The need whose shortest literal is longest."""
    return max(needs, key=lambda need: min(map(len, need)), default=None)
