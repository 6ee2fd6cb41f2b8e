"""Sentence spans of a lint view, by the sentencizer's rule."""

import pytest

from phraselint.sentences import spans
from phraselint.text import MARK


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi Mr. Smith. I am here!! Ok?", ["Hi Mr. Smith.", "I am here!!", "Ok?"]),
    ("Steps:\n\n1. Open the app. 2. Tap Save.", ["Steps:", "1. Open the app.", "2. Tap Save."]),
    ("We sell pens, cups, etc.) and more. Next one.", ["We sell pens, cups, etc.) and more.", "Next one."]),
    ('He said "Stop." Then (left.) Next', ['He said "Stop."', "Then (left.)", "Next"]),
    ("Version 2.5 is out. See e.g. the notes.", ["Version 2.5 is out.", "See e.g. the notes."]),
    ("First paragraph\n\nSecond paragraph", ["First paragraph", "Second paragraph"]),
    (f"{MARK} Hello there. {MARK}", ["Hello there."]),  # masked regions at the ends are trimmed
    ("", []),
])
def test_spans(text, expected):
    assert [text[a:b] for a, b in spans(text)] == expected
