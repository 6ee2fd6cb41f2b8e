"""Many files on several cores: the same output, in the same order, as one process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from phraselint import parallel
from phraselint.model import Finding, Report, ReplyScore

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def test_shards_are_contiguous_and_cover_everything():
    items = list(range(1003))
    for n in (1, 2, 3, 4):
        parts = parallel.shards(items, n)
        assert len(parts) == n and sum(parts, []) == items
        assert max(map(len, parts)) - min(map(len, parts)) <= 1


def test_few_files_are_not_forked(monkeypatch):
    assert parallel.workers(parallel.MIN_FILES - 1) == 1
    monkeypatch.setenv("PHRASELINT_WORKERS", "1")
    assert parallel.workers(10_000) == 1


def _finding(path: str, n: int) -> Finding:
    return Finding(path, "r.x", "warning", "m", 1, 1, 1, 2, n, n + 1, "x", [])


def test_workers_results_come_back_in_shard_order():
    files = [f"f{i:03d}" for i in range(40)]

    def lint(part, report):
        for name in part:
            report.files += 1
            report.replies.append(ReplyScore(name, None, 50, {}))
            yield _finding(name, 0)
        if "f035" in part:
            report.errors.append("f035: broken")

    report = Report()
    found = [f.path for f in parallel.lint_sharded(files, 3, lint, report)]
    assert found == files
    assert report.files == 40 and [r.path for r in report.replies] == files
    assert report.errors == ["f035: broken"]


def test_a_failing_worker_is_an_error_not_a_crash(capsys):
    files = [f"f{i:03d}" for i in range(20)]
    parent = os.getpid()

    def lint(part, report):
        for name in part:
            if os.getpid() != parent and name == "f015":
                raise RuntimeError("boom")
            report.files += 1
            yield _finding(name, 0)

    report = Report()
    found = [f.path for f in parallel.lint_sharded(files, 2, lint, report)]
    assert found == files[:15]  # the parent's half, and the worker's findings before it failed
    assert any("internal error in a worker: RuntimeError: boom" in e for e in report.errors)
    assert "boom" in capsys.readouterr().err


def test_cli_output_is_the_same_with_and_without_workers(tmp_path):
    texts = ["We can't refund it.", "Thanks for your patience!", "You have to restart it.",
             "Sorry 'bout that, obviously it failed."]
    for i in range(parallel.MIN_FILES + 50):
        (tmp_path / f"r{i:04d}.txt").write_text(texts[i % len(texts)] + "\n", encoding="utf-8")
    (tmp_path / "r0230.txt").write_bytes(b"\x00\x01binary\x00")  # in the second half
    (tmp_path / "r0240.json").write_text('{"macros": [', encoding="utf-8")  # an error there too

    def run(workers: str):
        env = {**os.environ, "PHRASELINT_WORKERS": workers}
        return subprocess.run([sys.executable, "-m", "phraselint", "check", ".", "--format", "json"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)

    one, many = run("1"), run("")
    assert one.returncode == many.returncode == 2  # the broken JSON file
    assert one.stdout == many.stdout
    doc = json.loads(many.stdout)
    assert doc["summary"]["files"] == parallel.MIN_FILES + 50  # 251 files, less the binary one
    assert many.stderr.count("r0240.json") == 1  # said once, by the worker that read it


def test_workers_messages_come_in_path_order(tmp_path):
    """What a worker says on stderr is said when its shard is passed on: the same order as one
    process, whatever the timing."""
    for i in range(parallel.MIN_FILES + 50):
        (tmp_path / f"r{i:04d}.txt").write_text("We can't refund it.\n", encoding="utf-8")
    for i in (10, 240):  # one in each half
        (tmp_path / f"r{i:04d}.json").write_text('{"macros": [', encoding="utf-8")

    def run(workers: str):
        env = {**os.environ, "PHRASELINT_WORKERS": workers}
        return subprocess.run([sys.executable, "-m", "phraselint", "check", ".", "--format", "json"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)

    one, many = run("1"), run("")
    assert one.stderr == many.stderr
    assert many.stderr.index("r0010.json") < many.stderr.index("r0240.json")


def test_a_stopped_worker_counts_the_files_it_passed_on():
    files = [f"f{i:03d}" for i in range(20)]
    parent = os.getpid()

    def lint(part, report):
        for name in part:
            if os.getpid() != parent and name == "f015":
                raise SystemExit(143)  # SIGTERM, as the CLI's handler turns it
            report.files += 1
            yield _finding(name, 0)

    report = Report()
    found = [f.path for f in parallel.lint_sharded(files, 2, lint, report)]
    assert found == files[:15] and report.files == 15
    assert any("a worker was stopped (SystemExit: 143)" in e for e in report.errors)


def _alive(pid: str) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except OSError:
        return False


@pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/task/{os.getpid()}/children"), reason="reads /proc")
def test_workers_end_when_their_parent_is_killed():
    import textwrap
    import time

    script = textwrap.dedent("""
        import time
        from phraselint import parallel
        from phraselint.model import Report
        def lint(part, report):
            time.sleep(600)
            yield from ()
        list(parallel.lint_sharded(list(range(400)), 2, lint, Report()))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    kids: list[str] = []
    for _ in range(600):  # until the worker is forked
        with open(f"/proc/{proc.pid}/task/{proc.pid}/children", encoding="utf-8") as f:
            kids = f.read().split()
        if kids:
            break
        time.sleep(0.1)
    assert kids
    proc.kill()
    proc.wait()
    for _ in range(300):
        if not any(_alive(k) for k in kids):
            break
        time.sleep(0.1)
    assert not any(_alive(k) for k in kids)
