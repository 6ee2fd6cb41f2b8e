"""The fix edit log (fix.EditLog): one linear sweep per pass, checked against the plain
quadratic definition it replaced, and on what it promises: outside its spans, nothing changed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from phraselint.fix import EditLog, apply


def _reference(spans, fixes):
    """The definition: each fix, later first, merged with the spans it touches."""
    def original(pos):
        shift = 0
        for o0, o1, c0, c1 in spans:
            if pos < c0:
                break
            if pos < c1:
                return o0
            shift = o1 - c1
        return pos + shift

    for fix in sorted(fixes, key=lambda f: f["offset"], reverse=True):
        c0, c1, new = fix["offset"], fix["end_offset"], len(fix["replacement"])
        touching = [s for s in spans if s[2] <= c1 and c0 <= s[3]]
        o0 = min([original(c0)] + [s[0] for s in touching])
        o1 = max([original(c1) if c1 > c0 else original(c0)] + [s[1] for s in touching])
        n0 = min([c0] + [s[2] for s in touching])
        n1 = max([c1] + [s[3] for s in touching]) + new - (c1 - c0)
        delta = new - (c1 - c0)
        spans = sorted([s if s[2] < c0 else (s[0], s[1], s[2] + delta, s[3] + delta)
                        for s in spans if s not in touching] + [(o0, o1, n0, n1)])
    return spans


@st.composite
def passes(draw):
    text = draw(st.text(alphabet="abc ,.", min_size=1, max_size=60))
    out, current = [], text
    for _ in range(draw(st.integers(1, 4))):
        cuts = sorted(draw(st.lists(st.integers(0, len(current)), max_size=8)))
        fixes, last = [], -1
        for a, b in zip(cuts[::2], cuts[1::2]):
            if a > last:
                fixes.append({"offset": a, "end_offset": b, "replacement": draw(st.text(alphabet="XY", max_size=4))})
                last = b
        out.append(fixes)
        current = apply(current, fixes)
    return text, out


@settings(max_examples=300, deadline=None)
@given(passes())
def test_the_sweep_matches_the_definition_and_keeps_its_promise(case):
    text, rounds = case
    log, spans, current = EditLog(), [], text
    for fixes in rounds:
        log.record(fixes)
        spans = _reference(spans, fixes)
        assert log.spans == spans
        current = apply(current, fixes)
    assert log.unchanged_outside(text, current)
