"""A server's Checker in a forked child process (`phraselint.servers.forked`)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from phraselint import Checker
from phraselint.errors import PhraselintError
from phraselint.servers import forked

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the child is forked on Linux only")


def _broken_config():
    raise PhraselintError("unknown config key 'selekt'", "broken.yaml", 1)


def _ended(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_the_child_answers_as_the_checker_does(monkeypatch):
    monkeypatch.delenv("PHRASELINT_NO_FORK", raising=False)
    process = forked.start(Checker)
    try:
        remote, local = process.wait(), Checker()
        text = "Hi Sam, we can't refund it. Sorry 'bout that."
        assert remote.check(text, incoming="My parcel never arrived!") == local.check(text, incoming="My parcel never arrived!")
        assert remote.fix("Sorry 'bout that.").text == local.fix("Sorry 'bout that.").text
        assert remote.explain("refusal.cant") == local.explain("refusal.cant")
        assert remote.rules == local.rules
        assert remote.check(text, format="plain", name="draft.txt") == local.check(text, format="plain", name="draft.txt")
        with pytest.raises(KeyError):
            remote.explain("no.such_rule")  # the child's exception, raised again here
        with pytest.raises(AttributeError):
            process.call("_linter")  # only the Checker's public calls
        assert remote.check("We can't refund it.").findings  # still serving after the errors
    finally:
        process._conn.close()  # the parent's end closed: the child exits
    assert _ended(process.pid) == 0


def test_a_child_that_dies_is_replaced_by_a_checker_built_here(monkeypatch):
    # The OOM killer or kill -9 after start-up: the server goes on serving, never "has ended".
    import signal

    monkeypatch.delenv("PHRASELINT_NO_FORK", raising=False)
    process = forked.start(Checker)
    remote = process.wait()
    assert remote.check("We can't refund it.").findings
    os.kill(process.pid, signal.SIGKILL)
    assert [f.rule for f in remote.check("We can't refund it.").findings] == \
        [f.rule for f in Checker().check("We can't refund it.").findings]
    assert remote.explain("refusal.cant") and remote.rules


def test_a_build_error_is_raised_on_wait(monkeypatch):
    monkeypatch.delenv("PHRASELINT_NO_FORK", raising=False)
    process = forked.start(_broken_config)
    with pytest.raises(PhraselintError, match=r"^broken.yaml:1: unknown config key 'selekt'$"):
        process.wait()
    with pytest.raises(PhraselintError):
        process.wait()  # every caller hears it
    with pytest.raises(ChildProcessError):
        os.waitpid(process.pid, os.WNOHANG)  # the child has ended, and its status was collected


def test_no_fork_when_turned_off(monkeypatch):
    monkeypatch.setenv("PHRASELINT_NO_FORK", "1")
    assert forked.start(Checker) is None


def test_the_child_never_writes_to_stdout():
    """stdout is a server's protocol stream: what the child prints goes to stderr."""
    script = textwrap.dedent("""
        from phraselint.servers import forked

        class Loud:
            def check(self, text):
                print("from check", flush=True)
                return text.upper()

        def build():
            print("from build", flush=True)
            return Loud()

        process = forked.start(build)
        assert process.wait().check("ok") == "OK"
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "from build" in done.stderr and "from check" in done.stderr
