"""The acronym condition's reading of a whole text."""

import random
import re

from phraselint.context import _TextFacts


class _Doc:
    text = ""


def test_first_use_finds_what_its_regex_finds():
    rng = random.Random(3)
    alphabet = list("ABCs'’_ x1é-.")
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25)))
        acronym = rng.choice(["AB", "ABC", "BC", "A"])
        m = re.search(r"(?<![\w])" + re.escape(acronym) + r"(?:['’]?s)?(?!\w)", text)
        assert _TextFacts(_Doc, text).first_use(acronym) == (m.start() if m else -1), (text, acronym)


def test_first_use_of_a_plural_and_a_possessive():
    facts = _TextFacts(_Doc, "XRMAs, the RMA's form, an RMA")
    assert facts.first_use("RMA") == 11
    assert _TextFacts(_Doc, "RMAsx RMA").first_use("RMA") == 6
