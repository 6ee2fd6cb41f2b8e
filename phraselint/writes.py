"""Writing files without ever leaving a half-written one: a temporary file in the same
folder, flushed to disk, then renamed over the target. An interrupted run (a crash, Ctrl-C)
leaves the target wholly old or wholly new, and no temporary file behind."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from phraselint.errors import PhraselintError


def _cannot(exc: OSError, path) -> PhraselintError:
    return PhraselintError(f"cannot write: {exc.strerror or exc}", str(path))


def _replace(target: Path, data: bytes, path, check: Callable[[], None] | None = None) -> None:
    """Write `data` to a temporary file beside `target` and rename it over `target`, keeping
    the target's permissions (and owner, where allowed). `check()` runs just before the rename
    and may refuse by raising."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        info = target.stat() if target.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _cannot(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None:
            os.chmod(tmp, info.st_mode & 0o7777)
            try:
                os.chown(tmp, info.st_uid, info.st_gid)
            except OSError:
                pass  # not ours to give away: the new file keeps our own
        if check:
            check()
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _cannot(exc, path) from None
        raise


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
            raise _cannot(exc, path) from None
        return
    _replace(target, text.encode(encoding), path)


def rewrite_file(path: str, text: str, bom: bool, digest: str, digest_of: Callable[[bytes], str]) -> None:
    """Replace a file we read earlier with `text` (UTF-8, with the BOM it had), refusing when
    its bytes no longer match `digest`: someone changed it since it was read."""
    target = Path(os.path.realpath(path))

    def unchanged() -> None:
        try:
            now = target.read_bytes()
        except OSError as exc:
            raise _cannot(exc, path) from None
        if digest_of(now) != digest:
            raise PhraselintError("changed on disk since it was read; not written", path)

    _replace(target, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"), path, unchanged)
