"""Writing files without ever leaving a half-written one: a temporary file in the same
folder, flushed to disk, then renamed over the target. An interrupted run (a crash, Ctrl-C)
leaves the target wholly old or wholly new, and no temporary file behind."""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO

from phraselint.errors import PhraselintError


def _cannot(exc: OSError, path) -> PhraselintError:
    return PhraselintError(f"cannot write: {exc.strerror or exc}", str(path))


def _replace(target: Path, data: bytes | Callable[[BinaryIO], None], path,
             check: Callable[[Path], None] | None = None) -> None:
    """Write `data` (bytes, or a function writing to a binary file) to a temporary file beside
    `target` and rename it over `target`, keeping the target's permissions (and owner, where
    allowed). `check(file)` may refuse by raising: it reads `target` just before the rename,
    and, where the two can be swapped atomically, reads the file that was replaced just after,
    swapping it back if it changed in between (an editor's save in that instant is kept)."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        info = target.stat() if target.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _cannot(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if info is None:  # a new file: the user's umask, not mkstemp's 0600
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(tmp, 0o666 & ~mask)
        else:
            os.chmod(tmp, info.st_mode & 0o7777)
            try:
                os.chown(tmp, info.st_uid, info.st_gid)
            except OSError:
                pass  # not ours to give away: the new file keeps our own
        if check:
            check(target)
            if _exchange(tmp, target):  # the old file is at `tmp` now
                try:
                    check(Path(tmp))
                except PhraselintError:
                    _exchange(tmp, target)  # it changed in between: put it back
                    raise
                os.unlink(tmp)
                return
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _cannot(exc, path) from None
        raise


def _exchange(a: str | Path, b: str | Path) -> bool:
    """Swap two paths in one step (Linux `renameat2` with RENAME_EXCHANGE); False, doing
    nothing, where the system or file system cannot."""
    rename2 = _renameat2()
    if rename2 is None:
        return False
    import ctypes

    at_cwd, rename_exchange = -100, 2
    if rename2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


_RENAMEAT2: list = []


def _renameat2():
    """libc's renameat2, looked up once (None where there is none)."""
    if not _RENAMEAT2:
        fn = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                fn = ctypes.CDLL(None, use_errno=True).renameat2
                fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
                fn.restype = ctypes.c_int
            except (OSError, AttributeError):
                fn = None
        _RENAMEAT2.append(fn)
    return _RENAMEAT2[0]


def write_atomically(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> None:
    """Replace a regular file atomically. A symlink's target is replaced (the link stays); a
    device or FIFO (/dev/null, /dev/stdout) is written in place, as it cannot be renamed over."""
    stream_atomically(path, lambda out: out.write(text), encoding)


def stream_atomically(path: str | os.PathLike, produce: Callable[[TextIO], None], encoding: str = "utf-8") -> None:
    """`write_atomically`, for a text `produce(out)` writes as it is made (never held whole)."""
    target = Path(os.path.realpath(path))
    try:
        special = target.exists() and not stat.S_ISREG(target.stat().st_mode)
    except OSError:
        special = False
    if special:
        try:
            with open(target, "w", encoding=encoding, newline="") as handle:
                produce(handle)
        except OSError as exc:
            raise _cannot(exc, path) from None
        return

    def write(handle: BinaryIO) -> None:
        text = io.TextIOWrapper(handle, encoding=encoding, newline="", write_through=False)
        produce(text)
        text.flush()
        text.detach()  # the caller flushes, syncs and closes the file

    _replace(target, write, path)


def _refuse_what_a_rename_would_lose(target: Path, path, read_only_too: bool = False) -> None:
    """A file rewritten by rename loses its other hard links and its extended attributes, and a
    read-only file is one its owner asked to keep: refuse each, with the reason."""
    try:
        info = target.stat()
        attributes = os.listxattr(target) if hasattr(os, "listxattr") else []
    except OSError as exc:
        if getattr(exc, "errno", None) in (errno.ENOTSUP, errno.EOPNOTSUPP):
            attributes = []
            info = target.stat()
        else:
            raise _cannot(exc, path) from None
    if not read_only_too and (not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
                              or not os.access(target, os.W_OK)):
        raise PhraselintError("not fixed: the file is read-only (--include-read-only rewrites it)", path)
    if info.st_nlink > 1:
        raise PhraselintError(f"not fixed: the file has {info.st_nlink} hard links, which a rewrite would split",
                              path)
    if attributes:
        raise PhraselintError("not fixed: the file has extended attributes, which a rewrite would drop", path)


def rewrite_file(path: str, text: str, bom: bool, digest: str, digest_of: Callable[[bytes], str],
                 read_only_too: bool = False) -> None:
    """Replace a file we read earlier with `text` (UTF-8, with the BOM it had), refusing when
    its bytes no longer match `digest`: someone changed it since it was read."""
    target = Path(os.path.realpath(path))
    _refuse_what_a_rename_would_lose(target, path, read_only_too)

    def unchanged(file: Path) -> None:
        try:
            now = file.read_bytes()
        except OSError as exc:
            raise _cannot(exc, path) from None
        if digest_of(now) != digest:
            raise PhraselintError("changed on disk since it was read; not written", path)

    _replace(target, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"), path, unchanged)
