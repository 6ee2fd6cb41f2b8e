"""Regressions from an adversarial review: writes that keep links and devices, special files,
YAML alias bombs, masks that neither hide pages nor split, one-line usage errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from phraselint.cli import cli

from .conftest import PHRASES_ONLY


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args):
        return CliRunner().invoke(cli, ["check", *args, *PHRASES_ONLY], catch_exceptions=False)

    return invoke


def found(result):
    return [(r["path"], r["line"], r["match"]) for r in json.loads(result.stdout)["results"]]


def test_output_file_through_a_symlink_updates_the_target(run, tmp_path):
    (tmp_path / "a.txt").write_text("We can't refund.\n")
    (tmp_path / "real.json").write_text("old")
    os.symlink("real.json", tmp_path / "link.json")
    run("a.txt", "--format", "json", "-o", "link.json")
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "real.json").read_text())["summary"]["findings"] == 1


def test_output_file_to_a_device_writes_in_place(run, tmp_path):
    (tmp_path / "a.txt").write_text("We can't refund.\n")
    before = os.stat("/dev/null")
    run("a.txt", "--format", "json", "-o", "/dev/null")
    after = os.stat("/dev/null")
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_are_not_read(run, tmp_path):
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "d" / "pipe.txt")
    (tmp_path / "d" / "a.txt").write_text("We can't refund.\n")
    walked = run("d", "--format", "json")
    assert "pipe.txt: skipped, not a regular file" in walked.stderr and len(found(walked)) == 1
    named = run("d/pipe.txt", "d/a.txt", "--format", "json")
    assert named.exit_code == 2 and "d/pipe.txt: not a regular file" in named.stderr
    assert len(found(named)) == 1


def test_yaml_alias_bomb_in_a_phraselint_key_is_refused(run, tmp_path):
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    (tmp_path / "lib.yaml").write_text("\n".join(levels) + "\nreplies:\n  - name: x\n    body: We can't refund.\n"
                                       "    phraselint: {disable: *i}\n")
    result = run("lib.yaml", "--format", "json")
    assert result.exit_code == 2 and "lib.yaml:13: the phraselint key is too large" in result.stderr


def test_an_aliased_reply_is_linted_once(run, tmp_path):
    (tmp_path / "lib.yaml").write_text("base: &r {name: R, body: \"We can't refund.\"}\nreplies: [*r, *r, *r]\n")
    assert len(found(run("lib.yaml", "--format", "json"))) == 1


def test_a_stray_placeholder_opener_hides_nothing(run, tmp_path):
    (tmp_path / "a.txt").write_text("Hi {{name,\n\nWe can't refund this.\n\nYou must pay.\n")
    assert [line for _, line, _ in found(run("a.txt", "--format", "json"))] == [3, 5]


def test_crlf_and_longer_closing_fences_close_code_blocks(run, tmp_path):
    (tmp_path / "a.md").write_bytes(b"Intro\r\n\r\n```\r\ncode\r\n```\r\n\r\nWe can't refund.\r\n")
    (tmp_path / "b.md").write_text("~~~\ncode\n~~~~\n\nWe can't refund.\n")
    assert [(p, line) for p, line, _ in found(run("a.md", "b.md", "--format", "json"))] == [("a.md", 7), ("b.md", 5)]


def test_big_single_line_file_is_never_cut_inside_a_placeholder(run, tmp_path, monkeypatch):
    from phraselint.readers import plain

    monkeypatch.setattr(plain, "PART_CHARS", 1000)
    (tmp_path / "a.txt").write_text("x " * 490 + "{{ We can't refund that. You have to wait. }} We can't.\n")
    assert [m for _, _, m in found(run("a.txt", "--format", "json"))] == ["We can't"]


def test_usage_errors_are_one_line():
    for args in (["check", "-", "--fail-on", "bogus"], ["check", "-", "--format", "xml"], ["nosuch"]):
        proc = subprocess.run([sys.executable, "-m", "phraselint", *args], capture_output=True, text=True, input="")
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and proc.stderr.startswith("phraselint: ")


def test_folder_of_only_skipped_files_is_an_error(run, tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "a.txt").write_bytes(b"\0\1\2")
    result = run("bin")
    assert result.exit_code == 2 and "no readable text" in result.stderr


def test_the_same_input_twice_is_linted_once(run, tmp_path):
    (tmp_path / "a.txt").write_text("We can't refund.\n")
    assert len(found(run("a.txt", "./a.txt", "--format", "json"))) == 1
