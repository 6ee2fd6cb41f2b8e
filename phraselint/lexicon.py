"""The shared word lists (`lexicon.yaml`): plain data that the context conditions and the clause
reader compare with spaCy's NORM. Loaded once, at import."""

from __future__ import annotations

from pathlib import Path

PATH = Path(__file__).with_name("lexicon.yaml")


def _load() -> dict:
    import yaml

    from phraselint.yamlsrc import Loader

    data = yaml.load(PATH.read_text(encoding="utf-8"), Loader=Loader)
    return {name: words if isinstance(words, dict) else frozenset(words) for name, words in data.items()}


LEXICON = _load()
