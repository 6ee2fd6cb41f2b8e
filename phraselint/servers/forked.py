"""A server's `Checker` in a child process, forked before the server's SDK is imported.

Importing spaCy and building a Checker (about 1 s) and importing a server SDK (the MCP SDK:
about 0.6 s) are both CPU-bound Python work. In one process they take turns on one GIL, so the
first result waits for both, one after the other. Forked first, the child builds the Checker on
the machine's other core while the parent imports the SDK and answers `initialize`; the first
check then waits only for the longer of the two. Every call after that is one round trip over a
pipe (a pickled call, a pickled result: a few hundred microseconds beside a check's millisecond).

The child never writes to the parent's stdout (the protocol stream): its file descriptor 1 is
pointed at stderr, and its stdin at /dev/null, as soon as it starts. It serves one call at a time
and exits when the parent closes its end of the pipe (the parent exiting, however it exits).
Where `os.fork` is unsafe or missing (not Linux), `start` returns None and the server builds its
Checker in-process as before.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("phraselint")

#: The Checker's methods and attributes a server may use through the child.
CALLS = frozenset(("check", "fix", "explain", "check_paths", "rules", "settings"))


def start(build: Callable[[], Any]) -> CheckerProcess | None:
    """Fork a child that builds a Checker with `build` and serves calls on it; None where this
    platform cannot fork safely (the caller then builds in-process)."""
    if not sys.platform.startswith("linux") or os.environ.get("PHRASELINT_NO_FORK"):
        return None
    from multiprocessing.connection import Pipe  # standard library, light: not multiprocessing's pools

    parent, child = Pipe(duplex=True)
    parent_pid = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: build, then serve until the parent's end closes
        parent.close()
        _serve(child, build, parent_pid)  # never returns
    child.close()
    return CheckerProcess(parent, pid, build)


def _serve(conn, build: Callable[[], Any], parent_pid: int) -> None:
    code = 0
    try:
        import ctypes
        import signal

        for name in ("SIGTERM", "SIGHUP"):  # not the CLI's handlers (SystemExit, a traceback)
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        # killed with the parent, however it ends, even mid-check (PR_SET_PDEATHSIG = 1)
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
        if os.getppid() != parent_pid:
            return  # the parent ended before prctl
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(2, 1)  # stdout is the protocol stream: nothing of the child's may reach it
        try:
            checker = build()
        except BaseException as exc:  # noqa: BLE001 (the parent reports it on every call)
            conn.send(("error", _portable(exc)))
        else:
            conn.send(("ready", None))
            _answer(conn, checker)
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the parent has gone
    except BaseException:  # noqa: BLE001
        logging.getLogger("phraselint").exception("the checker process failed")
        code = 1
    finally:
        os._exit(code)  # not the parent's atexit handlers, nor its buffered stdout


def _answer(conn, checker) -> None:
    while True:
        name, args, kwargs = conn.recv()
        try:
            member = getattr(checker, name) if name in CALLS else None
            if member is None:
                raise AttributeError(name)
            value = member(*args, **kwargs) if callable(member) else member
        except Exception as exc:  # noqa: BLE001 (raised again in the parent)
            conn.send(("raise", _portable(exc)))
        else:
            conn.send(("ok", value))


def _portable(exc: BaseException) -> BaseException:
    """`exc`, if it survives pickling; else a RuntimeError that says what it was."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")


class _Ended(RuntimeError):
    """The child is gone."""


class CheckerProcess:
    """The parent's end: `wait()` returns a Checker-like proxy once the child has built its
    Checker, or raises what the build raised."""

    def __init__(self, conn, pid: int, build: Callable[[], Any] | None = None):
        self._conn = conn
        self.pid = pid
        self._lock = threading.Lock()
        self._ready: tuple[str, Any] | None = None
        #: How the child built its Checker: built again here if the child dies later.
        self.build = build

    def wait(self) -> RemoteChecker:
        with self._lock:
            if self._ready is None:
                try:
                    self._ready = self._conn.recv()
                except (EOFError, OSError):
                    self._ready = ("error", RuntimeError("the checker process ended before it was ready"))
        kind, value = self._ready
        if kind == "error":
            self._reap()
            raise value
        return RemoteChecker(self)

    def _reap(self) -> None:
        """Collect the child's exit status once it has ended (no zombie left behind)."""
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass

    def call(self, method: str, /, *args, **kwargs) -> Any:
        with self._lock:
            try:
                self._conn.send((method, args, kwargs))
                kind, value = self._conn.recv()
            except (EOFError, OSError):
                self._conn.close()
                self._reap()
                raise _Ended("the checker process has ended") from None
        if kind == "raise":
            raise value
        return value


class RemoteChecker:
    """A `Checker` whose calls run in the child: the same methods, the same results. If the child
    dies (the OOM killer, kill -9), the Checker is built again in this process and the call is
    made there: the server goes on serving, slower to start that once, never answering "the
    checker process has ended" for the rest of the session."""

    def __init__(self, process: CheckerProcess):
        self._process = process
        self._rules: list[str] | None = None
        self._local: Any = None
        self._lock = threading.Lock()

    def _call(self, method: str, *args, **kwargs):
        if self._local is None:
            try:
                return self._process.call(method, *args, **kwargs)
            except _Ended:
                if self._process.build is None:
                    raise
                with self._lock:
                    if self._local is None:
                        log.warning("the checker process has ended: building the checker in this process")
                        self._local = self._process.build()
        return getattr(self._local, method)(*args, **kwargs)

    def check(self, *args, **kwargs):
        return self._call("check", *args, **kwargs)

    def fix(self, *args, **kwargs):
        return self._call("fix", *args, **kwargs)

    def explain(self, *args, **kwargs):
        return self._call("explain", *args, **kwargs)

    def check_paths(self, *args, **kwargs):
        return self._call("check_paths", *args, **kwargs)

    @property
    def rules(self) -> list[str]:
        if self._rules is None:
            self._rules = self._local.rules if self._local is not None else self._call_rules()
        return self._rules

    def _call_rules(self) -> list[str]:
        try:
            return self._process.call("rules")
        except _Ended:
            if self._process.build is None:
                raise
            with self._lock:
                if self._local is None:
                    self._local = self._process.build()
            return self._local.rules
