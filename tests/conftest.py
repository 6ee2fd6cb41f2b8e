from __future__ import annotations

from pathlib import Path

import pytest

from phraselint.engine import Engine, load_pipeline
from phraselint.rules import load_rules
from phraselint.text import OffsetMap, ReplyText

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def default_rules():
    return load_rules()


@pytest.fixture(scope="session")
def engine(nlp, default_rules):
    return Engine(default_rules, nlp=nlp)


@pytest.fixture(scope="session")
def linter(engine):
    from phraselint.lint import Linter, Settings

    return Linter(Settings(), engine=engine)


def reply(text: str) -> ReplyText:
    return ReplyText(text, OffsetMap.identity(len(text)))


def hits_of(engine: Engine, text: str) -> list[tuple[str, str]]:
    """(rule id, matched text) for every hit in `text`."""
    (hits,) = list(engine.lint([reply(text)]))
    return [(h.rule.id, text[h.start:h.end]) for h in hits]
