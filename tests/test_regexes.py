"""Regex probes: the literal every match of a pack's regex holds, so a text without it skips it."""

from __future__ import annotations

import re

import pytest

from phraselint.regexes import probe


@pytest.mark.parametrize("pattern, expected", [
    (r"\bis the (?:\w+'s )?responsibility\b", ("responsibility", False)),
    (r"(?i)\btoo (?:\w+ ){1,2}to (?:ship|merge)\b", ("too ", True)),
    (r"(?i)as the (?:dialog|page) (?:warned|warns)\b", ("as the ", True)),
    (r"[A-Z][A-Z0-9]{1,4}\b", None),       # no literal at all
    (r"\b(?:read|check) the docs", (" the docs", False)),
])
def test_probe_is_the_longest_literal_every_match_holds(pattern, expected):
    assert probe(re.compile(pattern)) == expected


@pytest.mark.parametrize("pattern, text", [
    (r"\bis the (?:\w+'s )?responsibility\b", "Damage in transit is the carrier's responsibility."),
    (r"(?i)\btoo (?:\w+ ){1,2}to (?:ship|merge)\b", "It is TOO specialised to SHIP."),
])
def test_every_match_holds_its_probe(pattern, text):
    compiled = re.compile(pattern)
    needle, blind = probe(compiled)
    for m in compiled.finditer(text):
        assert needle in (m.group().lower() if blind else m.group())
