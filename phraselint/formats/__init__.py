"""Output formats: one small module each, found by name. Each declares `write(report, out)`.

Machine formats own stdout; logs and warnings go to stderr.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from phraselint.errors import printable  # noqa: F401  (the one filter, re-exported for the formats)

#: Every output format. Adding one means adding `phraselint/formats/<name>_format.py` and its name here.
FORMATS = ("text", "json", "sarif", "github", "line")


def get(name: str) -> ModuleType:
    return importlib.import_module(f"phraselint.formats.{name}_format")
