"""Fixes: which suggestion a finding's fix applies, the edit it makes in the raw file, and
applying a set of edits.

A finding carries a fix when exactly one `safe` suggestion applies cleanly (`--unsafe` also
takes the first `review` suggestion that is a drop-in replacement). The edit is planned on the
reply's text (`rewrite.plan`), then encoded for the place the reply lives in the file
(`ReplyText.codec`). Where the raw span does not decode to exactly the text it replaces (markup
inside it, a folded line break) there is no fix.
"""

from __future__ import annotations

import bisect

from dataclasses import dataclass

from phraselint.rewrite import Edit, plan
from phraselint.rules import Suggestion
from phraselint.text import ReplyText


@dataclass
class Anchor:
    """Where a finding sits in its reply, for planning edits: the reply (by index in its file),
    the matched span of its text, and the suggestions offered."""

    reply: ReplyText
    index: int
    start: int
    end: int
    sentence_start: bool
    offers: list[Suggestion]

    def masks(self) -> list[tuple[int, int]]:
        return self.reply.all_masks()

    def edit(self, suggestion: str) -> Edit | None:
        """The reply-text edit that puts `suggestion` in place of the match."""
        return plan(self.reply.text, self.start, self.end, suggestion, self.sentence_start, self.masks())


def _drop_in(s: Suggestion) -> bool:
    """A replacement that can be dropped in as it is: not a sentence to adapt, no "…" to fill."""
    return s.kind == "replace" and "…" not in s.text and "..." not in s.text


def chosen(offers: list[Suggestion], unsafe: bool = False) -> Suggestion | None:
    """The suggestion a fix applies: the only safe one; with `unsafe`, else the first review one."""
    safe = [s for s in offers if s.safety == "safe" and _drop_in(s)]
    if len(safe) == 1:
        return safe[0]
    if safe or not unsafe:
        return None
    return next((s for s in offers if _drop_in(s)), None)


def raw_edit(reply: ReplyText, edit: Edit, raw: str) -> dict | None:
    """`edit` as `{offset, end_offset, replacement}` in the raw text, or None when the raw span
    holds more than the text it replaces, or the replacement cannot be written there."""
    start, end = reply.to_raw.span(edit.start, edit.end)
    if end <= start or reply.codec.decode(raw[start:end]) != reply.text[edit.start:edit.end]:
        return None
    written = reply.codec.rewrite(start, end, edit.text)
    if written is None or written[2] == raw[written[0]:written[1]]:
        return None
    return {"offset": written[0], "end_offset": written[1], "replacement": written[2]}


def fix_for(anchor: Anchor, raw: str, unsafe: bool = False) -> tuple[dict, Edit] | None:
    """The fix for a finding, in raw offsets, and the reply-text edit it makes."""
    offer = chosen(anchor.offers, unsafe)
    if offer is None:
        return None
    edit = anchor.edit(offer.text)
    if edit is None:
        return None
    fix = raw_edit(anchor.reply, edit, raw)
    return (fix, edit) if fix else None


def non_overlapping(fixes: list[dict]) -> list[dict]:
    """The fixes to apply together: in file order, each one that does not overlap one taken
    before it (ties: the shorter span first, then the replacement, so the choice never depends
    on the order findings were reported in). The rest wait for the next pass."""
    taken: list[dict] = []
    for fix in sorted(fixes, key=lambda f: (f["offset"], f["end_offset"], f["replacement"])):
        if taken and fix["offset"] < taken[-1]["end_offset"]:
            continue
        if taken and fix["offset"] == taken[-1]["offset"] == taken[-1]["end_offset"]:
            continue  # two insertions at one point
        taken.append(fix)
    return taken


def apply(raw: str, fixes: list[dict]) -> str:
    """`raw` with non-overlapping `fixes` applied."""
    out, pos = [], 0
    for fix in sorted(fixes, key=lambda f: f["offset"]):
        out.append(raw[pos:fix["offset"]])
        out.append(fix["replacement"])
        pos = fix["end_offset"]
    out.append(raw[pos:])
    return "".join(out)


class EditLog:
    """The spans of an original text that were rewritten, over several passes of edits, kept in
    the original's offsets: everything outside them is unchanged, byte for byte."""

    def __init__(self) -> None:
        # (original start, original end, current start, current end), sorted, disjoint
        self.spans: list[tuple[int, int, int, int]] = []

    def record(self, fixes: list[dict]) -> None:
        """Note `fixes` (non-overlapping, in the current text's offsets) as applied. One sweep
        from the end: linear in the spans and fixes, not quadratic."""
        old = self.spans
        starts = [s[2] for s in old]
        k = len(old)  # old[:k]: the spans not yet passed, all before the fixes still to come
        tail: list[tuple[int, int, int, int]] = []  # spans passed, current offsets minus `acc` at the time
        acc = 0  # the length change of the fixes applied so far (all after the current one)
        for fix in sorted(fixes, key=lambda f: f["offset"], reverse=True):
            c0, c1, new = fix["offset"], fix["end_offset"], len(fix["replacement"])
            while k and old[k - 1][2] > c1:  # after this fix: shifted by it and every earlier one
                o0, o1, s0, s1 = old[k - 1]
                tail.append((o0, o1, s0 - acc, s1 - acc))
                k -= 1
            touching = []
            while k and old[k - 1][3] >= c0:
                touching.append(old[k - 1])
                k -= 1
            if tail:  # a span merged by a later fix may reach back over this one
                o0, o1, s0, s1 = tail[-1]
                if s0 + acc <= c1 and c0 <= s1 + acc:
                    touching.append((o0, o1, s0 + acc, s1 + acc))
                    tail.pop()

            def original(pos: int) -> int:
                i = bisect.bisect_right(starts, pos, 0, k) - 1
                best = old[i] if i >= 0 else None
                for span in touching:
                    if span[2] <= pos and (best is None or span[2] > best[2]):
                        best = span
                if best is None:
                    return pos
                return best[0] if pos < best[3] else pos + best[1] - best[3]

            o0 = min([original(c0)] + [t[0] for t in touching])
            o1 = max([original(c1) if c1 > c0 else original(c0)] + [t[1] for t in touching])
            n0 = min([c0] + [t[2] for t in touching])
            delta = new - (c1 - c0)
            n1 = max([c1] + [t[3] for t in touching]) + delta
            acc += delta
            tail.append((o0, o1, n0 - acc, n1 - acc))
        self.spans = old[:k] + [(o0, o1, s0 + acc, s1 + acc) for o0, o1, s0, s1 in reversed(tail)]

    def unchanged_outside(self, before: str, after: str) -> bool:
        """Whether `after` equals `before` outside the recorded spans."""
        o, c = 0, 0
        for o0, o1, c0, c1 in self.spans:
            if before[o:o0] != after[c:c0]:
                return False
            o, c = o1, c1
        return before[o:] == after[c:]
