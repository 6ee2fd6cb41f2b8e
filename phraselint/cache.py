"""A cache of parsed rule packs, so that a cold check does not parse YAML it parsed before.

Reading and validating the built-in packs is a tenth of a second, a tenth of a cold check. A
pack is cached by what it was built from: its text, where it is, whether the reply-level
vocabulary validated it, the Python and PyYAML versions and phraselint's own code (each source
file's size and time of change). Any change to one of them is a new entry, never a stale one.

The cache lives in `$PHRASELINT_CACHE_DIR`, else `$XDG_CACHE_HOME/phraselint` (when absolute),
else `~/.cache/phraselint`; `PHRASELINT_NO_CACHE` set to anything but "" or "0" turns it off. It
is an optimisation only: an entry that cannot be read or written (a read-only home, a full disk,
a damaged file, something that is not a regular file) is ignored, and the pack is parsed as if
there were none. Entries are pickles, so the folder is used only when it is the user's own and
no one else may write to it (as ssh treats its keys). They are written to a temporary file and
renamed into place, so that two runs at once never read half an entry; the newest
`MAX_ENTRIES` are kept (an entry read again counts as new once a day), and temporary files an
interrupted run left behind are removed by a later one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

#: Bumped when what is cached changes shape in a way the code fingerprint would not show.
FORMAT = 1
#: Entries kept; the least recently written (or refreshed) are removed when a new one is written.
MAX_ENTRIES = 1024
#: An entry read this long after it was written is marked as new again (an mtime update).
_REFRESH_S = 24 * 3600
#: A temporary file this old was left by an interrupted run.
_STALE_TMP_S = 3600
_TMP_PREFIX = ".phraselint-tmp-"
_ENTRY_GLOB = "*-????????????????????????????????.pickle"
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """Where entries go; None when the cache is off."""
    if os.environ.get("PHRASELINT_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("PHRASELINT_CACHE_DIR")
    if explicit:
        return Path(os.path.expanduser(explicit))
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    # No home to find (a bare CI container): no cache, rather than a "~" folder in the project.
    return Path(base) / "phraselint" if os.path.isabs(base) else None


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """phraselint's own code and data, by each file's name, size and time of change (a stat per
    file, far cheaper than reading them), and the versions of Python and PyYAML."""
    import yaml

    digest = hashlib.sha256(f"{FORMAT} {sys.version} {getattr(yaml, '__version__', '')}".encode())
    for root, dirs, files in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".yaml")):
                path = os.path.join(root, name)
                try:  # an editor's lock link (".#rules.py") may point nowhere
                    st = os.stat(path)
                    state = f"{st.st_size} {st.st_mtime_ns}"
                except OSError:
                    state = "-"
                digest.update(f"{os.path.relpath(path, _PACKAGE)} {state}\n".encode("utf-8", "surrogateescape"))
    return digest.digest()


def cached(kind: str, parts: tuple[bytes, ...], build: Callable[[], Any],
           valid: Callable[[Any], bool] = lambda value: True) -> Any:
    """`build()`'s result, from the cache when an entry for `kind` and `parts` (what the result
    is built from) exists and `valid(entry)` holds, else built and stored."""
    folder = cache_dir()
    try:
        if folder is None or not _trusted(folder):
            return build()
        digest = hashlib.sha256(code_fingerprint())
    except (OSError, ValueError):
        return build()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    entry = folder / f"{kind}-{digest.hexdigest()[:32]}.pickle"
    _sweep(folder)
    value = _load(entry)
    if value is not _MISSING and valid(value):
        return value
    value = build()
    _store(folder, entry, value)
    return value


_MISSING = object()


@lru_cache(maxsize=8)
def _trusted(folder: Path) -> bool:
    """The folder may be used: it does not exist yet, or it is a folder of the user's own that
    no one else may write to (the entries are pickles: whoever writes them runs code)."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return False
    return True


def _load(entry: Path) -> Any:
    """The entry's value, or `_MISSING`: only a regular file is read (never a FIFO or a device,
    which could block), and a damaged one is no error."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(entry, flags)
    except OSError:
        return _MISSING
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
            return _MISSING
        with os.fdopen(fd, "rb") as f:
            fd = -1
            value = pickle.load(f)
        if time.time() - st.st_mtime > _REFRESH_S:
            os.utime(entry)  # read again: keep it among the newest
        return value
    except Exception:  # noqa: BLE001 - a damaged or foreign entry: build it again
        return _MISSING
    finally:
        if fd >= 0:
            os.close(fd)


@lru_cache(maxsize=8)
def _sweep(folder: Path) -> None:
    """Once a process: remove the temporary files an interrupted run left (a signal between
    their creation and the rename; a run at work now has a fresh one, and keeps it)."""
    now = time.time()
    try:
        for tmp in folder.glob(_TMP_PREFIX + "*"):
            if now - tmp.lstat().st_mtime > _STALE_TMP_S:
                tmp.unlink()
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """Keep the newest `MAX_ENTRIES` entries (a pack edited many times leaves one per version,
    and only the latest are read again). Only phraselint's own files are touched, whatever else
    the folder holds."""
    entries = list(folder.glob(_ENTRY_GLOB))
    if len(entries) <= MAX_ENTRIES:
        return

    def written(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    entries.sort(key=written)
    for old in entries[:-MAX_ENTRIES]:
        old.unlink(missing_ok=True)


def _store(folder: Path, entry: Path, value: Any) -> None:
    import tempfile  # only when an entry is written: not on a warm start

    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=folder)
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
