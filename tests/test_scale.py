"""Work that must stay linear in the size of one reply: a whole page as one reply."""

from __future__ import annotations

import random

from click.testing import CliRunner

from phraselint.cli import cli
from phraselint.coaching.checks import _overlapped, _reach
from phraselint.coaching.cues import Cue
from phraselint.lint import MAX_REPLY_CHARS


def test_overlap_by_bisection_agrees_with_the_plain_test():
    rng = random.Random(7)
    for _ in range(300):
        apologies = [Cue("apology", s, s + rng.randint(1, 40)) for s in
                     (rng.randint(0, 500) for _ in range(rng.randint(0, 30)))]
        starts, reach = _reach(apologies)
        for _ in range(20):
            s = rng.randint(0, 520)
            cue = Cue("empathy", s, s + rng.randint(1, 30))
            plain = any(a.start < cue.end and cue.start < a.end for a in apologies)
            assert _overlapped(cue, starts, reach) == plain


def test_a_page_too_long_to_be_a_reply_is_linted_not_scored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    para = "<p>Sorry for the wait. We can't refund this order, sorry.</p>\n"
    page = "<html><body>" + para * (2 * MAX_REPLY_CHARS // len(para)) + "</body></html>\n"  # text: ~1.7x the limit
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "page.html", "--format", "json"], catch_exceptions=False)
    assert "too long to be one reply" in result.stderr
    assert '"replies": []' in result.stdout  # not scored
    assert result.stdout.count('"rule": "refusal.cant"') == page.count("We can't")
