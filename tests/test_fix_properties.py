"""Property tests: generated replies mixing trigger phrases, placeholders, URLs, quotes and odd
whitespace. Fixing never changes text outside the fixed spans, never touches a placeholder,
URL or quote, keeps a JSON library's structure, and is idempotent."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from phraselint import fixfile, readers
from phraselint.inputs import Source
from phraselint.text import inline_masks, merge_spans

TRIGGERS = ["Sorry 'bout that", "sorry ’bout", "SORRY BOUT THAT", "Sorry for the wait", "sorry about this",
            "Apologies for the delay", "Sorry to keep you waiting", "Obviously,", "obviously", "Clearly,",
            "Just restart the app", "you simply click", "just", "As you should know,", "needless to say",
            "an obviously easy step", "We can't refund", "you have to"]
PROTECTED = ["{{name}}", "{{ ticket.id }}", "[NAME]", "{% if x %}", "https://example.com/a?b=c",
             "support@example.com", '"Sorry for the wait"', "“Obviously wrong”", "@sam"]
WORDS = ["the", "app", "refund", "Hi", "Thanks", "we", "will", "fix", "it", "today", "I", "a", "order"]
GLUE = [" ", "  ", "\t", "\n", "\r\n", "\n\n", ", ", ". ", "! ", "? ", "\u00a0", " - ", ": "]

pieces = st.one_of(st.sampled_from(TRIGGERS), st.sampled_from(PROTECTED), st.sampled_from(WORDS))
replies = st.lists(st.tuples(pieces, st.sampled_from(GLUE)), min_size=1, max_size=14).map(
    lambda parts: "".join(p + g for p, g in parts))

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _fix(linter, name: str, raw: str):
    return fixfile.fix_source(linter, Source(name, raw), readers.reader_for(name))


def _protected_spans(text: str) -> list[tuple[int, int]]:
    return merge_spans(inline_masks(text))


@SETTINGS
@given(text=replies)
def test_plain_text_fixes_stay_inside_their_spans(linter, text):
    fixed = _fix(linter, "r.txt", text)
    assert fixed.log.unchanged_outside(text, fixed.after)
    for o0, o1, _, _ in fixed.log.spans:
        assert not any(m0 < max(o1, o0 + 1) and o0 < m1 for m0, m1 in _protected_spans(text)), (text, fixed.after)
    protected = [text[a:b] for a, b in _protected_spans(text)]
    assert all(p in fixed.after for p in protected)
    assert not [f for f in fixed.remaining if f.fix]
    again = _fix(linter, "r.txt", fixed.after)
    assert again.applied == 0 and again.after == fixed.after


@SETTINGS
@given(bodies=st.lists(replies, min_size=1, max_size=3))
def test_json_library_fixes_keep_the_structure(linter, bodies):
    raw = json.dumps([{"title": f"t{i}", "body": b, "id": i} for i, b in enumerate(bodies)], indent=1)
    fixed = _fix(linter, "lib.json", raw)
    assert fixed.log.unchanged_outside(raw, fixed.after)
    after = json.loads(fixed.after)
    assert [(x["title"], x["id"]) for x in after] == [(f"t{i}", i) for i in range(len(bodies))]
    for body, new in zip(bodies, (x["body"] for x in after)):
        assert [body[a:b] for a, b in _protected_spans(body)] == [new[a:b] for a, b in _protected_spans(new)] \
            or all(body[a:b] in new for a, b in _protected_spans(body))
    again = _fix(linter, "lib.json", fixed.after)
    assert again.applied == 0
