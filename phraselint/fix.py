"""Fixes: which suggestion a finding's fix applies, the edit it makes in the raw file, and
applying a set of edits.

A finding carries a fix when exactly one `safe` suggestion applies cleanly (`--unsafe` also
takes the first `review` suggestion that is a drop-in replacement). The edit is planned on the
reply's text (`rewrite.plan`), then encoded for the place the reply lives in the file
(`ReplyText.codec`). Where the raw span does not decode to exactly the text it replaces (markup
inside it, a folded line break) there is no fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from phraselint.rewrite import Edit, plan
from phraselint.rules import Suggestion
from phraselint.text import ReplyText, inline_masks, merge_spans


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
        cached = getattr(self.reply, "_fix_masks", None)
        if cached is None:
            cached = merge_spans(list(self.reply.masks) + inline_masks(self.reply.text))
            self.reply._fix_masks = cached  # type: ignore[attr-defined]
        return cached

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

    def _to_original(self, pos: int) -> int:
        shift = 0
        for o0, _o1, c0, c1 in self.spans:
            if pos < c0:
                break
            if pos < c1:
                return o0
            shift = _o1 - c1
        return pos + shift

    def record(self, fixes: list[dict]) -> None:
        """Note `fixes` (non-overlapping, in the current text's offsets) as applied."""
        for fix in sorted(fixes, key=lambda f: f["offset"], reverse=True):  # later first: offsets hold
            c0, c1, new = fix["offset"], fix["end_offset"], len(fix["replacement"])
            touching = [s for s in self.spans if s[2] <= c1 and c0 <= s[3]]
            o0 = min([self._to_original(c0)] + [s[0] for s in touching])
            o1 = max([self._to_original(c1) if c1 > c0 else self._to_original(c0)] + [s[1] for s in touching])
            n0 = min([c0] + [s[2] for s in touching])
            n1 = max([c1] + [s[3] for s in touching]) + new - (c1 - c0)
            delta = new - (c1 - c0)
            rest = [s if s[2] < c0 else (s[0], s[1], s[2] + delta, s[3] + delta)
                    for s in self.spans if s not in touching]
            self.spans = sorted(rest + [(o0, o1, n0, n1)])

    def unchanged_outside(self, before: str, after: str) -> bool:
        """Whether `after` equals `before` outside the recorded spans."""
        o, c = 0, 0
        for o0, o1, c0, c1 in self.spans:
            if before[o:o0] != after[c:c0]:
                return False
            o, c = o1, c1
        return before[o:] == after[c:]
