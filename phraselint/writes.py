"""Writing files without ever leaving a half-written one: a temporary file in the same
folder, flushed to disk, then renamed over the target."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from phraselint.errors import PhraselintError


def write_atomically(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    """Replace a regular file atomically. A symlink's target is replaced (the link stays); a
    device or FIFO (/dev/null, /dev/stdout) is written in place, as it cannot be renamed over."""
    target = Path(os.path.realpath(path))
    try:
        special = target.exists() and not stat.S_ISREG(target.stat().st_mode)
    except OSError:
        special = False
    if special:
        try:
            with open(target, "w", encoding=encoding, newline="") as handle:
                handle.write(text)
        except OSError as exc:
            raise PhraselintError(f"cannot write: {exc.strerror or exc}", str(path)) from None
        return
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o7777 if target.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise PhraselintError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise PhraselintError(f"cannot write: {exc.strerror or exc}", str(path)) from None
        raise
