"""The pre-commit hook, run by the real pre-commit tool against a temporary template repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
pytestmark = [pytest.mark.slow,  # pre-commit builds a hook environment: most of the suite's time
              pytest.mark.skipif(not PRE_COMMIT.exists() or shutil.which("git") is None,
                                 reason="pre-commit (a test dependency) or git is not installed")]


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


def test_hook_blocks_a_bad_template_and_passes_a_good_one(tmp_path):
    repo = tmp_path / "templates"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "bad.md").write_text("## Refund\n\nSorry 'bout that. We can't refund this order.\n")
    (repo / "good.txt").write_text("I'm sorry your refund is late, Sam. I'll send it today.\n")
    git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("VIRTUAL_ENV", None)

    def try_repo(*files, hook="phraselint"):
        return subprocess.run([str(PRE_COMMIT), "try-repo", str(ROOT), hook, "--files", *files],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=900)

    bad = try_repo("bad.md", "good.txt")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "apology.flippant" in bad.stdout and "refusal.cant" in bad.stdout
    good = try_repo("good.txt")
    assert good.returncode == 0, good.stdout + good.stderr
    # The fix hook rewrites what it safely can; pre-commit fails the run because files changed.
    fixed = try_repo("bad.md", "good.txt", hook="phraselint-fix")
    assert fixed.returncode == 1 and "files were modified by this hook" in fixed.stdout, fixed.stdout
    assert (repo / "bad.md").read_text() == "## Refund\n\nI apologize for that. We can't refund this order.\n"
    assert (repo / "good.txt").read_text() == "I'm sorry your refund is late, Sam. I'll send it today.\n"
