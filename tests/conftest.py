from __future__ import annotations

from pathlib import Path

import pytest

from phraselint.engine import Engine, load_pipeline
from phraselint.coaching import VOCABULARY
from phraselint.rules import load_rules
from phraselint.text import OffsetMap, ReplyText

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
#: Tests of phrase-level behaviour (offsets, readers, suppressions, formats) leave the
#: reply-level checks out, so that they count only the findings they are about.
PHRASES_ONLY = ("--ignore", "coaching")


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def default_rules():
    return load_rules(vocabulary=VOCABULARY)


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


@pytest.fixture(scope="session")
def coach(nlp):
    """`coach(text, incoming=None, min_score=None, name="reply.txt") -> (ReplyScore, findings)`:
    one plain-text reply through every default rule, reply-level checks included."""
    from phraselint import readers
    from phraselint.engine import Engine
    from phraselint.inputs import Source
    from phraselint.lint import Linter, Settings

    shared = {}

    def run(text: str, incoming: str | None = None, min_score: int | None = None, name: str = "reply.txt"):
        settings = Settings(incoming=incoming, min_score=min_score)
        if "engine" not in shared:
            probe = Linter(settings)
            shared["engine"] = Engine(probe.rules, nlp=nlp, observer=probe.coach.observer(probe.catalog.signals))
        linter = Linter(settings, engine=shared["engine"])
        source = Source(name, text)
        replies = list(linter.replies(source, readers.reader_for(name)))
        scores: list = []
        stream = ((source, reply, i, sups) for i, (reply, sups) in enumerate(replies))
        findings = sorted(linter.findings(stream, scores=scores), key=lambda f: f.sort_key)
        return (scores[0] if scores else None), findings

    return run


def pytest_addoption(parser):
    parser.addoption("--slow", action="store_true",
                     help="also run the tests marked slow (the real pre-commit run); CI and the README's "
                          "test command pass it")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes most of the suite's time; runs with --slow")
    # The pack cache (phraselint/cache.py) of this run and the commands it starts: a folder of
    # its own, never the user's ~/.cache.
    import os
    import tempfile

    if "PHRASELINT_CACHE_DIR" not in os.environ:
        config._phraselint_cache = os.environ["PHRASELINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="phraselint-test-cache-")


def pytest_unconfigure(config):
    import os
    import shutil

    made = getattr(config, "_phraselint_cache", None)
    if made:  # the run's own pack cache: nothing of it is left behind
        shutil.rmtree(made, ignore_errors=True)
        os.environ.pop("PHRASELINT_CACHE_DIR", None)


def pytest_collection_modifyitems(config, items):
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (as CI and the README's test command do)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
