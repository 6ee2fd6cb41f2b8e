"""A cache of parsed rule packs, so that a cold check does not parse YAML it parsed before.

Reading and validating the built-in packs is a tenth of a second, a tenth of a cold check. A
pack is cached by what it was built from: its text, where it is, whether the reply-level
vocabulary validated it, the Python version and phraselint's own code (each source file's
size and time of change). Any change to one of them is a new entry, never a stale one.

The cache lives in `$PHRASELINT_CACHE_DIR`, else `$XDG_CACHE_HOME/phraselint`, else
`~/.cache/phraselint`; `PHRASELINT_NO_CACHE=1` turns it off. It is an optimisation only: an
entry that cannot be read or written (a read-only home, a full disk, a damaged file) is
ignored, and the pack is parsed as if there were none. Entries are written to a temporary
file and renamed into place, so that two runs at once never read half an entry; the newest 256
are kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

#: Bumped when what is cached changes shape in a way the code fingerprint would not show.
FORMAT = 1
#: Entries kept; older ones are removed when a new one is written.
MAX_ENTRIES = 256
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where entries go; None when the cache is off."""
    if os.environ.get("PHRASELINT_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("PHRASELINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "phraselint"


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """phraselint's own code and data, by each file's name, size and time of change (a stat per
    file, far cheaper than reading them)."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".yaml")):
                st = os.stat(os.path.join(root, name))
                digest.update(f"{os.path.relpath(os.path.join(root, name), _PACKAGE)} {st.st_size} "
                              f"{st.st_mtime_ns}\n".encode())
    return digest.digest()


def cached(kind: str, parts: tuple[bytes, ...], build: Callable[[], Any], expect: type = object) -> Any:
    """`build()`'s result, from the cache when an entry for `kind` and `parts` (what the result
    is built from) exists and holds an `expect`, else built and stored."""
    folder = cache_dir()
    if folder is None:
        return build()
    digest = hashlib.sha256(code_fingerprint())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    entry = folder / f"{kind}-{digest.hexdigest()[:32]}.pickle"
    try:
        with open(entry, "rb") as f:
            value = pickle.load(f)
        if isinstance(value, expect):
            return value
    except Exception:  # noqa: BLE001 - no entry, or one that cannot be read: build it
        pass
    value = build()
    _store(folder, entry, value)
    return value


def _prune(folder: Path) -> None:
    """Keep the newest `MAX_ENTRIES` entries: a pack edited many times leaves one entry per
    version, and only the latest are read again."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns)
    for old in entries[:-MAX_ENTRIES]:
        old.unlink(missing_ok=True)


def _store(folder: Path, entry: Path, value: Any) -> None:
    import tempfile  # only when an entry is written: not on a warm start

    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, entry)
        tmp = None
        _prune(folder)
    except Exception:  # noqa: BLE001 - an optimisation only: a cache that cannot be written is skipped
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
