"""Many files on several cores: fork after the engine is built, so every worker shares the
loaded spaCy pipeline and rules copy-on-write (`nlp.pipe(n_process=…)` would load them again in
each process, and is slower than one process on two cores).

The files, in path order, are cut into contiguous shards. This process lints the first shard
while forked workers lint the others; each worker writes its findings, reply scores, file count
and errors to an anonymous temporary file as it goes. Then the workers' results are read back in
shard order, so the output is the same, in the same order, as one process would give, and
memory stays flat (nothing is held but the batch being passed on).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import IO

from phraselint.errors import say
from phraselint.model import Finding, Report

#: Fewer files than this are linted in one process: forking would cost more than it saves.
MIN_FILES = 200
#: At most this many processes.
MAX_WORKERS = 4
#: Findings per record a worker writes.
BATCH = 256

#: `lint(files, report)`: the findings of `files`, filling `report.files`, `.errors` and `.replies`.
Lint = Callable[[list, Report], Iterator[Finding]]


def workers(files: int) -> int:
    """How many processes to lint `files` files with (1: don't fork)."""
    if files < MIN_FILES or not hasattr(os, "fork") or os.environ.get("PHRASELINT_WORKERS") == "1":
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS, files // (MIN_FILES // 2)))


def shards(items: list, n: int) -> list[list]:
    """`items` cut into `n` contiguous runs of nearly equal length."""
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def lint_sharded(files: list, n: int, lint: Lint, report: Report) -> Iterator[Finding]:
    """The findings of `files` linted by `n` processes, in the order one process gives them.
    `report` gets every worker's file count, errors and reply scores as their findings are
    passed on; what a worker says on stderr is said then too, so messages keep their order."""
    first, *rest = shards(files, n)
    sys.stdout.flush()  # a worker must not inherit (and write again) buffered output
    sys.stderr.flush()
    started = [_fork(part, lint, report) for part in rest]
    collected: set[int] = set()
    try:
        yield from lint(first, report)
        for pid, spool, said in started:
            status = _reap(pid)
            collected.add(pid)  # reaped: its pid may be reused, never signal it again
            _replay(said)
            yield from _collect(spool, status, report)
    finally:  # on an interrupt (or a reader that stopped early) the workers stop too
        for pid, spool, said in started:
            if pid not in collected:
                try:
                    os.kill(pid, signal.SIGTERM)
                except OSError:
                    pass
                _reap(pid)
            spool.close()
            said.close()


def _fork(part: list, lint: Lint, report: Report) -> tuple[int, IO[bytes], IO[bytes]]:
    """A worker linting `part`: its pid, the file it writes its results to, and the file its
    stderr goes to (both anonymous: gone with the processes, however they end)."""
    spool, said = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the worker
        code = 0
        try:
            _die_with(parent)
            os.dup2(said.fileno(), 2)  # said in order by the parent, when it passes this shard on
            sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
            _work(part, lint, report, spool)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, never raised here
            code = 1
            stopped = isinstance(exc, (SystemExit, KeyboardInterrupt))
            try:
                pickle.dump(("stopped" if stopped else "failed", f"{type(exc).__name__}: {exc}"), spool)
                spool.flush()
            except BaseException:  # noqa: BLE001
                pass
        finally:
            try:
                sys.stderr.flush()
            finally:
                os._exit(code)  # no atexit handlers, no flushing the parent's buffers twice
    return pid, spool, said


def _die_with(parent: int) -> None:
    """A worker ends when its parent does, even by SIGKILL, rather than lint on for no one: the
    kernel sends it SIGTERM then (Linux's parent-death signal), and each batch checks too."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, TypeError):  # not Linux: the check per batch alone
        pass
    _PARENT[0] = parent
    if os.getppid() != parent:  # it died before the signal was asked for
        raise SystemExit(1)


#: The parent of this worker (0 in the parent itself).
_PARENT = [0]


def _work(part: list, lint: Lint, report: Report, spool: IO[bytes]) -> None:
    errors_before, replies_before = len(report.errors), len(report.replies)
    report.files = 0
    files_before = 0
    batch: list[Finding] = []

    def flush() -> None:
        nonlocal replies_before, files_before
        if _PARENT[0] and os.getppid() != _PARENT[0]:
            raise SystemExit(1)  # the parent is gone: no one will read this
        record = ("batch", batch, report.replies[replies_before:], report.files - files_before)
        pickle.dump(record, spool, pickle.HIGHEST_PROTOCOL)
        replies_before, files_before = len(report.replies), report.files
        batch.clear()

    try:
        for finding in lint(part, report):
            finding.anchor = finding.edit = None
            batch.append(finding)
            if len(batch) >= BATCH:
                flush()
    finally:
        flush()  # what was found before a failure is passed on too, files counted with it
    pickle.dump(("end", report.errors[errors_before:]), spool, pickle.HIGHEST_PROTOCOL)
    spool.flush()


def _replay(said: IO[bytes]) -> None:
    """What a worker wrote to stderr, written to ours."""
    said.seek(0)
    sys.stderr.flush()
    text = said.read().decode("utf-8", "replace")  # notes and errors: a few lines per file at most
    if text:
        sys.stderr.write(text)
        sys.stderr.flush()


def _collect(spool: IO[bytes], status: int, report: Report) -> Iterator[Finding]:
    """A finished worker's results, read back from its spool file."""
    spool.seek(0)
    problem = None
    while problem is None:
        try:
            record = pickle.load(spool)
        except EOFError:
            problem = f"a worker process ended early (exit status {status}); some files were not linted"
            break
        except (pickle.UnpicklingError, ValueError, TypeError, AttributeError) as exc:
            problem = f"a worker's results were unreadable ({exc}); some files were not linted"
            break
        if record[0] == "batch":
            report.replies.extend(record[2])
            report.files += record[3]
            yield from record[1]
        elif record[0] == "end":
            report.errors.extend(record[1])  # the worker said them (replayed above)
            return
        elif record[0] == "stopped":
            problem = f"a worker was stopped ({record[1]}); some files were not linted"
        else:  # "failed"
            problem = f"internal error in a worker: {record[1]}; some files were not linted"
    report.errors.append(problem)
    say(problem)


def _reap(pid: int) -> int:
    """Wait for a worker (once); its exit status, or 0 when it was already reaped."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return 0
    return os.waitstatus_to_exitcode(status)
