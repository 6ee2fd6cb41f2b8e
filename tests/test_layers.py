"""The layers: the engine only matches and the rule loader only reads packs; coaching is an
analyzer on top of them, and nothing below it names a rule category."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "phraselint"


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


@pytest.mark.parametrize("name", ["engine.py", "rules.py", "context.py", "clauses.py", "text.py"])
def test_lower_layers_do_not_import_coaching(name):
    assert not {m for m in _imports(PACKAGE / name) if m.startswith("phraselint.coaching")}


@pytest.mark.parametrize("name", ["engine.py", "lint.py", "coaching/analyzer.py"])
def test_no_code_keys_meaning_on_a_category_name(name):
    """Which phrase rules the checks read is data (`reads:` in the coaching pack)."""
    strings = [n.value for n in ast.walk(ast.parse((PACKAGE / name).read_text(encoding="utf-8")))
               if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert "refusal" not in strings


def test_the_coaching_pack_declares_what_it_reads():
    from phraselint.coaching import VOCABULARY
    from phraselint.rules import load_catalog

    assert load_catalog(vocabulary=VOCABULARY).reads == ["refusal"]
