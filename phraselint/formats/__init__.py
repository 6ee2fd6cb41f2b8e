"""Output formats: one small module each, found by name. Each declares `write(report, out)`.

Machine formats own stdout; logs and warnings go to stderr.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType

#: Every output format. Adding one means adding `phraselint/formats/<name>_format.py` and its name here.
FORMATS = ("text", "json", "sarif", "github", "line")


def get(name: str) -> ModuleType:
    return importlib.import_module(f"phraselint.formats.{name}_format")


# Control characters (escape sequences included) from a linted file must never reach a terminal
# or split a one-line record. Tabs are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with each control character (newlines and ESC included) shown as U+FFFD."""
    return _CONTROL.sub("\ufffd", text)
