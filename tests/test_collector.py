"""The collector during start-up: paused only by a one-shot run, and back once its engine exists."""

from __future__ import annotations

import gc

import pytest

from phraselint import collector


@pytest.fixture
def restore():
    was = gc.isenabled()
    yield
    collector._paused = False
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


def test_resume_without_pause_leaves_a_library_callers_collector_alone(restore):
    gc.disable()  # the caller's own choice
    collector.resume()
    assert not gc.isenabled() and gc.get_freeze_count() == 0


def test_building_the_first_engine_resumes_a_paused_collector(restore, default_rules, nlp):
    from phraselint.lint import Linter, Settings

    collector.pause()
    assert not gc.isenabled()
    linter = Linter(Settings(), nlp=nlp)
    linter.engine  # noqa: B018 - builds it
    assert gc.isenabled() and gc.get_freeze_count() > 0
    collector.resume()  # a second engine: nothing more to do
    assert gc.isenabled()


def test_the_cli_runs_with_the_collector_on_once_its_engine_is_built(tmp_path):
    import subprocess
    import sys

    draft = tmp_path / "draft.txt"
    draft.write_text("We can't refund it.\n")
    code = ("import gc, sys, phraselint.lint as L\n"
            "orig = L.Linter.findings\n"
            "def findings(self, *a, **k):\n"
            "    assert gc.isenabled() and gc.get_freeze_count() > 0, 'collector still paused'\n"
            "    return orig(self, *a, **k)\n"
            "L.Linter.findings = findings\n"
            "from phraselint.cli import main\n"
            f"sys.argv = ['phraselint', 'check', {str(draft)!r}, '--format', 'json']\n"
            "main()\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr  # a finding, and no assertion error
    assert '"refusal.cant"' in run.stdout


def test_a_command_that_builds_no_engine_gives_the_collector_back(restore):
    import sys

    from phraselint import cli

    argv = sys.argv
    sys.argv = ["phraselint", "rules"]
    try:
        with pytest.raises(SystemExit):
            cli.main()
    finally:
        sys.argv = argv
    assert gc.isenabled() and not collector._paused
