"""Hostile input and faults (issue 12): each is a one-line error with exit code 2, or correct
behaviour; never an internal error, never data loss, never raw control characters on a terminal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from phraselint.cli import cli

ESC = "\x1b]0;pwned\x07\x1b[2J"
RULE = {"id": "team.x", "severity": "warning", "message": "M.", "why": "W."}


def _run(*args, stdin=None, env=None, cwd=None, **kw):
    return subprocess.run([sys.executable, "-m", "phraselint", *args], capture_output=True, text=True,
                          stdin=stdin, env={**os.environ, **(env or {})}, cwd=cwd, **kw)


@pytest.mark.parametrize("fmt", ["text", "line", "github"])
def test_reply_text_quoted_in_a_message_reaches_no_terminal_raw(tmp_path, fmt):
    (tmp_path / "r.txt").write_text(f"Sorry {ESC} for the wait!\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(tmp_path / "r.txt"), "--format", fmt, "--fail-on", "suggestion"])
    assert out.exit_code == 1
    assert "apology_form" in out.stdout and "\x1b" not in out.stdout and "\x07" not in out.stdout


def test_a_diff_or_fixed_text_on_a_terminal_obeys_no_escape_sequence(tmp_path, monkeypatch):
    import io

    from phraselint import cli as cli_mod

    class Terminal(io.TextIOWrapper):
        def isatty(self):
            return True

    screen = Terminal(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", screen)
    out = cli_mod._BinaryOut()
    out.write("-Sorry bout that." + ESC + "\r\n+I apologize.\rfake\n")
    shown = screen.buffer.getvalue().decode("utf-8")
    assert "\x1b" not in shown and "\x07" not in shown and "\rfake" not in shown
    assert shown.endswith("\r\n+I apologize.\ufffdfake\n")


def test_file_names_in_notes_reach_no_terminal_raw(tmp_path):
    (tmp_path / f"bin{ESC}.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "ok.txt").write_text("Thanks, Sam!\n", encoding="utf-8")
    result = _run("check", str(tmp_path))
    assert "internal error" not in result.stderr and "\x1b" not in result.stderr


@pytest.mark.parametrize("match", [
    {"patterns": 5},
    {"combos": 5},
    {"patterns": [[{"POS": "VERB"}]]},  # a tagger's attribute without `requires:`
    {"patterns": [[{"_": {"x": 1}}]]},  # no custom attribute is registered
    {"patterns": [[{"LOWER": "a", "OP": "{1,100000}"}]]},  # would hang the matcher
    {"combos": [[[f"a{i}" for i in range(100)]] * 3]},  # 10^6 phrases from a few hundred bytes
    {"patterns": [[{"OP": "*"}, {"OP": "+"}, {"LOWER": "x"}]]},  # open quantifiers: n**2 matches
    {"patterns": [[{"LOWER": "a", "OP": "+"}]]},  # one is enough: 43 s and 1 GB on 2,000 words
    {"patterns": [[{"LOWER": "a", "OP": "{2,}"}]]},
    {"patterns": [[{"OP": "{0,10}"}, {"OP": "{0,10}"}, {"LOWER": "x"}]]},  # 20 optional tokens: a minute
])
def test_a_bad_pack_is_a_one_line_error_naming_the_file(tmp_path, match):
    pack = tmp_path / "team.yaml"
    pack.write_text(yaml.safe_dump({"rules": [{**RULE, "match": match}]}), encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "r.txt"), "--rules", str(pack)])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "team.yaml" in line and "internal error" not in line


def test_combos_are_capped_for_the_pack_not_each_combo(tmp_path):
    rules = [{**RULE, "id": f"team.x{i}", "match": {"combos": [[[f"a{j}" for j in range(100)]] * 2]}}
             for i in range(50)]  # 10,000 phrases each: half a million in all
    pack = tmp_path / "team.yaml"
    pack.write_text(yaml.safe_dump({"rules": rules}), encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "r.txt"), "--rules", str(pack)])
    assert result.exit_code == 2 and "team.yaml" in result.stderr and "in all" in result.stderr


@pytest.mark.parametrize(("name", "content", "line"), [
    ("phraselint.yaml", "select: [jargon]\nselect: [refusal]\n", 2),
    ("team.yaml", "rules:\n  - id: team.x\n    id: team.y\n    severity: warning\n", 3),
    ("lib.yml", "- title: a\n  body: We can't refund it.\n  body: Fine.\n", 3),
])
def test_a_key_written_twice_is_an_error_not_a_silent_choice(tmp_path, monkeypatch, name, content, line):
    # YAML forbids it, and PyYAML would keep the last where a hand-written reader keeps the first.
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    args = {"phraselint.yaml": ["r.txt"], "team.yaml": ["r.txt", "--rules", "team.yaml"], "lib.yml": ["lib.yml"]}[name]
    result = CliRunner().invoke(cli, ["check", *args])
    assert result.exit_code == 2
    assert f"{name}:{line}: " in result.stderr and "duplicate key" in result.stderr


_BOMB = ", ".join(["&a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
                  + [f"&{c} [" + ", ".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi")])


@pytest.mark.parametrize(("name", "content", "args"), [
    ("team.yaml", "rules:\n  - id: team.x\n    severity: [" + _BOMB + "]\n    message: m\n    why: w\n", ["--rules"]),
    ("lib.yaml", "? [" + _BOMB + "]\n: 1\n", []),
])
def test_an_alias_bomb_quoted_in_an_error_is_not_expanded(tmp_path, name, content, args):
    # 9**9 items through aliases: the message names the value briefly instead of printing it.
    (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    paths = [str(tmp_path / "r.txt"), *args, str(tmp_path / name)] if args else [str(tmp_path / name)]
    result = _run("check", *paths, timeout=60)
    assert result.returncode == 2
    (line,) = [x for x in result.stderr.splitlines() if name in x]
    assert len(line) < 400


def test_config_errors_name_the_right_key_and_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    (tmp_path / "phraselint.yaml").write_text('severity: {"bad": warning}\n', encoding="utf-8")
    assert "'bad' in severity" in CliRunner().invoke(cli, ["check", "r.txt"]).stderr
    (tmp_path / "phraselint.yaml").write_text("select: [refusal]\nunknown\x1b[31m: 1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "r.txt"])
    assert result.exit_code == 2 and "phraselint.yaml:2: YAML error: unacceptable character" in result.stderr
    assert "\x1b" not in result.stderr


def test_a_rule_id_too_long_is_a_short_error():
    result = CliRunner().invoke(cli, ["rule", "a" * 100_000])
    assert result.exit_code == 2 and len(result.stderr) < 400


def test_a_timestamp_that_is_no_date_is_read_as_text(tmp_path):
    (tmp_path / "phraselint.yaml").write_text("fail-on: 2001-02-30\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    result = _run("check", "r.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "fail-on" in result.stderr and "internal error" not in result.stderr


def test_a_runaway_extends_chain_is_an_error(tmp_path):
    for i in range(60):
        (tmp_path / f"c{i}.yaml").write_text(f"extends: c{i + 1}.yaml\n", encoding="utf-8")
    (tmp_path / "c60.yaml").write_text("fail-on: error\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "r.txt"), "--config", str(tmp_path / "c0.yaml")])
    assert result.exit_code == 2 and "extends" in result.stderr and "internal" not in result.stderr


@pytest.mark.parametrize("extra", [["-o", "{lib}"], ["--baseline", "{lib}", "--write-baseline"]])
def test_an_output_over_an_input_is_refused_and_the_input_kept(tmp_path, extra):
    lib = tmp_path / "lib.txt"
    lib.write_text("Sorry for the wait.\n", encoding="utf-8")
    args = [a.format(lib=lib) for a in extra]
    result = CliRunner().invoke(cli, ["check", str(lib), *args])
    assert result.exit_code == 2 and "refusing" in result.stderr
    assert lib.read_text(encoding="utf-8") == "Sorry for the wait.\n"


@pytest.mark.parametrize("args", [["check", "r.txt", "--rules", "{long}"], ["check", "r.txt", "--baseline", "{long}"],
                                  ["init", "{long}"], ["check", "r.txt", "-o", "{long}"], ["check", "{long}"],
                                  ["check", "r.txt", "--incoming", "{long}"]])
def test_a_name_too_long_for_the_file_system_is_a_short_error_naming_it(tmp_path, args):
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    long = "a" * 5000
    result = _run(*[a.format(long=long) for a in args], cwd=tmp_path)
    assert result.returncode == 2
    (line,) = [x for x in result.stderr.splitlines() if "aaaa" in x]
    assert len(line) < 400 and "5,000 characters" in line and "internal" not in line


def test_a_config_reached_by_many_extends_paths_is_read_once(tmp_path, monkeypatch):
    # Each config extends the next twice: 2**25 loads if each path were followed again.
    monkeypatch.chdir(tmp_path)
    for i in range(25):
        (tmp_path / f"c{i}.yaml").write_text(f"extends: [c{i + 1}.yaml, c{i + 1}.yaml]\nignore: [jargon]\n",
                                             encoding="utf-8")
    (tmp_path / "c25.yaml").write_text("select: [refusal, jargon]\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it. I escalated it.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", "r.txt", "--config", "c0.yaml", "--format", "json"])
    assert out.exit_code == 1, out.stderr
    assert {r["rule"] for r in __import__("json").loads(out.stdout)["results"]} == {"refusal.cant"}


def test_a_closed_stdout_is_no_internal_error(tmp_path):
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    result = subprocess.run(f'"{sys.executable}" -m phraselint check r.txt >&-', shell=True, cwd=tmp_path,
                            capture_output=False, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 1 and "internal error" not in result.stderr


@pytest.mark.parametrize("extra", ["", "--diff", "--format json"])
def test_fixing_stdin_into_a_closed_stdout_is_an_error_not_a_success(tmp_path, extra):
    result = subprocess.run(f'echo "Sorry bout that." | "{sys.executable}" -m phraselint fix - {extra} >&-', shell=True,
                            cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2 and "stdout is closed" in result.stderr


def test_text_output_works_on_a_non_utf8_console(tmp_path):
    (tmp_path / "r.txt").write_text("Sorry for the wait… we can’t refund it.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "phraselint", "check", "r.txt"], capture_output=True,
                            cwd=tmp_path, env={**os.environ, "PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 1 and b"internal error" not in result.stderr
    assert b"apology.sorry_for" in result.stdout


def test_piped_text_without_a_dash_is_not_a_folder_walk(tmp_path):
    result = _run("check", input="We can't refund it.\n", cwd=tmp_path)
    assert result.returncode == 2 and "'-'" in result.stderr
    assert _run("check", "-", input="We can't refund it.\n", cwd=tmp_path).returncode == 1


def test_a_file_name_that_is_not_utf8_does_not_stop_a_walk(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=False)
    (tmp_path / "ok.txt").write_text("We can't refund it.\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xff.txt"), "wb") as f:
        f.write(b"We can't refund it either.\n")
    result = _run("check", str(tmp_path), "--format", "json", "--select", "refusal")
    assert result.returncode == 1, result.stderr
    assert len({r["path"] for r in __import__("json").loads(result.stdout)["results"]}) == 2


@pytest.mark.parametrize("args", [["check", "d", "--format", "sarif"], ["check", "d", "--format", "json", "-o", "r.json"],
                                  ["check", "d", "--baseline", "b.json", "--write-baseline"], ["fix", "--diff", "d"],
                                  ["fix", "d", "--format", "json"], ["score", "d", "--format", "json"]])
def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_output(tmp_path, args):
    os.mkdir(tmp_path / "d")
    with open(os.path.join(os.fsencode(tmp_path), b"d", b"bad\xff.txt"), "wb") as f:
        f.write(b"Sorry bout that. We can't refund it.\n")
    result = _run(*args, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    written = result.stdout + "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.json"))
    assert "bad\\xff.txt" in written or "bad%5Cxff.txt" in written or "bad\\\\xff.txt" in written


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000,
                                     '{"version": 1, "findings": [{"count": ' + "9" * 5000 + "}]}"])
def test_a_hostile_baseline_is_a_one_line_error(tmp_path, content):
    (tmp_path / "b.json").write_text(content, encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    result = _run("check", "r.txt", "--baseline", "b.json", cwd=tmp_path)
    assert result.returncode == 2 and "b.json" in result.stderr and "internal" not in result.stderr


@pytest.mark.parametrize(("how", "target"), [(how, target) for how in ("-o", "--write-baseline")
                                               for target in ("phraselint.yaml", "house/pack.yaml", "house", "incoming.txt")]
                         + [("-o", "old.json")])  # (--write-baseline over the baseline read is its purpose)
def test_an_output_over_the_config_a_pack_or_the_incoming_message_is_refused(tmp_path, monkeypatch, target, how):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "house").mkdir()
    pack = "rules:\n  - " + yaml.safe_dump(dict(RULE, match={"phrases": ["zork"]})).replace("\n", "\n    ") + "\n"
    (tmp_path / "house" / "pack.yaml").write_text(pack, encoding="utf-8")
    (tmp_path / "phraselint.yaml").write_text("rules: [house/]\n", encoding="utf-8")
    (tmp_path / "incoming.txt").write_text("My parcel never came!\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    CliRunner().invoke(cli, ["check", "r.txt", "--baseline", "old.json", "--write-baseline"])
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    out = str(tmp_path / "house" / "new.json") if target == "house" else target
    if target == "house":
        (tmp_path / "house" / "new.json").write_text("{}", encoding="utf-8")
        before[tmp_path / "house" / "new.json"] = b"{}"
    args = ["-o", out] if how == "-o" else ["--baseline", out, "--write-baseline"]
    extra = ["--baseline", "old.json"] if how == "-o" and target == "old.json" else []
    result = CliRunner().invoke(cli, ["check", "r.txt", "--incoming", "incoming.txt", *extra, *args])
    assert result.exit_code == 2 and "refusing to write over" in result.stderr, result.output
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("option", ["--incoming", "--baseline"])
def test_an_endless_input_is_capped(tmp_path, option):
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    result = _run("check", "r.txt", option, "/dev/zero", cwd=tmp_path, timeout=60)
    assert result.returncode == 2 and "larger than" in result.stderr


@pytest.mark.parametrize("command", ["check", "fix"])
def test_an_endless_stdin_is_capped(monkeypatch, command):
    from phraselint import inputs

    monkeypatch.setattr(inputs, "MAX_STDIN_BYTES", 1_000)
    result = CliRunner().invoke(cli, [command, "-"], input="We can't refund it.\n" * 100)
    assert result.exit_code == 2
    assert "stdin: larger than" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_wide_unicode_with_a_bom_is_read_and_not_rewritten(tmp_path, encoding):
    path = tmp_path / "r.txt"
    path.write_bytes("Hi Sam,\nWe can't refund it. Sorry 'bout that.\n".encode(encoding))  # Python writes the BOM
    before = path.read_bytes()
    out = CliRunner().invoke(cli, ["check", str(path), "--format", "line", "--select", "refusal"])
    assert out.exit_code == 1 and "2:1: warning refusal.cant" in out.stdout
    fixed = CliRunner().invoke(cli, ["fix", str(path)])
    assert fixed.exit_code == 2 and "UTF-8" in fixed.stderr and path.read_bytes() == before


def test_bare_cr_line_ends_count_as_lines(tmp_path):
    (tmp_path / "r.txt").write_bytes(b"Hi Sam,\rThanks.\rWe can't refund it.\r")
    out = CliRunner().invoke(cli, ["check", str(tmp_path / "r.txt"), "--format", "line", "--select", "refusal"])
    assert ":3:1: warning refusal.cant" in out.stdout


def test_fix_leaves_read_only_and_hard_linked_files_alone(tmp_path):
    ro, linked = tmp_path / "ro.txt", tmp_path / "linked.txt"
    for p in (ro, linked):
        p.write_text("Sorry 'bout that.\n", encoding="utf-8")
    ro.chmod(0o444)
    os.link(linked, tmp_path / "other.txt")
    for p, reason in ((ro, "read-only"), (linked, "hard links")):
        result = CliRunner().invoke(cli, ["fix", str(p)])
        assert result.exit_code == 2 and reason in result.stderr
        assert p.read_text(encoding="utf-8") == "Sorry 'bout that.\n"


def test_a_new_report_follows_the_umask(tmp_path):
    (tmp_path / "r.txt").write_text("We can't refund it.\n", encoding="utf-8")
    old = os.umask(0o022)
    try:
        CliRunner().invoke(cli, ["check", str(tmp_path / "r.txt"), "-o", str(tmp_path / "report.txt")])
    finally:
        os.umask(old)
    assert (tmp_path / "report.txt").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(("config", "args", "rules"), [
    ("severity: {jargon: warning}\n", ["--select", "refusal"], {"refusal.cant"}),  # no false error
    ("select: [jargon]\n", ["--select", "refusal"], {"refusal.cant"}),  # replaces, as in ruff
    ("select: [jargon]\n", ["--extend-select", "refusal"], {"refusal.cant", "jargon.support"}),
    ("select: [jargon, refusal]\n", ["--ignore", "jargon"], {"refusal.cant"}),
])
def test_command_line_select_combines_with_the_config_as_ruff_does(tmp_path, monkeypatch, config, args, rules):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "phraselint.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "r.txt").write_text("We can't refund it. I escalated it to tier 2.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", "r.txt", "--format", "json", *args])
    assert out.exit_code in (0, 1), out.stderr
    assert {r["rule"] for r in __import__("json").loads(out.stdout)["results"]} == rules


def test_a_template_repository_walk_lints_exactly_the_reply_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = {".github/replies.yml": "- name: refund\n  body: We can't refund it.\n",
             ".github/SAVED_REPLIES.md": "## Refund\n\nWe can't refund it.\n",
             "replies/refund.txt": "We can't refund it.\n",
             "README.md": "We can't promise anything: this is a README.\n",
             "LICENSE": "You can't use this without the notice.\n",
             "CONTRIBUTING.md": "You must sign the CLA.\n",
             "requirements.txt": "spacy\n",
             "tool.py": "print(\"we can't\")\n",
             ".hidden/notes.txt": "We can't refund it.\n"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", ".", "--format", "json", "--select", "refusal"])
    linted = {os.path.normpath(r["path"]) for r in __import__("json").loads(out.stdout)["results"]}
    assert linted == {os.path.normpath(p) for p in (".github/replies.yml", ".github/SAVED_REPLIES.md",
                                                     "replies/refund.txt")}


def test_the_pre_commit_hooks_take_the_readers_formats_only():
    import re
    from pathlib import Path

    from phraselint import readers

    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in hooks:
        pattern = re.compile(hook["files"])
        assert all(pattern.search(f"a{ext}") for ext in readers.extensions()), hook["id"]
        assert not any(pattern.search(name) for name in ("tool.py", ".gitignore", "Makefile", "a.js")), hook["id"]


@pytest.mark.parametrize("regex", ["(a+)+$", "(a|a)*b", "(?:a|aa)*b", "(?:.*a){10}z", "(?>a+)+b", "(a+|b)+$"])
@pytest.mark.parametrize("where", ["config", "pack", "token pattern"])
def test_a_regex_that_could_backtrack_for_ever_is_refused_at_load(tmp_path, monkeypatch, where, regex):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text("a" * 50 + "!\n", encoding="utf-8")
    args = ["check", "r.txt"]
    if where == "config":
        (tmp_path / "phraselint.yaml").write_text(yaml.safe_dump({"placeholders": [regex]}), encoding="utf-8")
    else:
        match = {"regex": [regex]} if where == "pack" else {"patterns": [[{"TEXT": {"REGEX": regex}}]]}
        (tmp_path / "team.yaml").write_text(yaml.safe_dump({"rules": [{**RULE, "match": match}]}), encoding="utf-8")
        args += ["--rules", "team.yaml"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "exponential" in result.stderr


def test_ruff_conventions_exit_zero_statistics_quiet_color(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.txt").write_text("Hi Sam, we can't refund it. We can't ship it either.\n", encoding="utf-8")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01binary")
    stats = CliRunner().invoke(cli, ["check", "r.txt", "--statistics", "--select", "refusal"])
    assert stats.exit_code == 1 and stats.stdout.split()[:2] == ["2", "refusal.cant"]
    assert CliRunner().invoke(cli, ["check", "r.txt", "--exit-zero"]).exit_code == 0
    quiet = _run("check", ".", "--quiet", "--select", "refusal", cwd=tmp_path)
    assert "skipped" not in quiet.stderr and "Found" not in quiet.stdout and "refusal.cant" in quiet.stdout
    assert "skipped" in _run("check", ".", "--select", "refusal", cwd=tmp_path).stderr
    never = _run("check", "r.txt", "--color", "never", env={"FORCE_COLOR": "1"}, cwd=tmp_path)
    always = _run("check", "r.txt", "--color", "always", cwd=tmp_path)
    assert "\x1b[" not in never.stdout and "\x1b[" in always.stdout


def test_a_summary_never_says_all_is_well_beside_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.txt").write_text("Thanks, Sam! Your refund is on its way.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "ok.txt", "missing.txt", "--select", "refusal"])
    assert result.exit_code == 2 and "1 error" in result.stdout


def test_rule_all_explains_every_rule():
    out = CliRunner().invoke(cli, ["rule", "--all"])
    assert out.exit_code == 0 and "refusal.cant" in out.stdout and "coaching.empathy" in out.stdout
    assert CliRunner().invoke(cli, ["rule"]).exit_code == 2


def test_a_zendesk_macro_whose_actions_is_one_object_is_read(tmp_path):
    doc = {"macros": [{"title": "refund", "actions": {"field": "comment_value", "value": "We can't refund it."}}]}
    (tmp_path / "zd.json").write_text(__import__("json").dumps(doc), encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(tmp_path / "zd.json"), "--format", "line", "--select", "refusal"])
    assert out.exit_code == 1 and "refusal.cant [refund]" in out.stdout


def test_a_teams_glossary_term_is_one_finding_with_the_teams_rewrite(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "phraselint.yaml").write_text("jargon:\n  SLA: the time we promised to answer in\n", encoding="utf-8")
    (tmp_path / "r.txt").write_text("Per the SLA we reply in 4 hours.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", "r.txt", "--select", "jargon", "--format", "json"])
    results = __import__("json").loads(out.stdout)["results"]
    assert [(r["rule"], r["suggestions"][0]) for r in results] == [("jargon.glossary", "the time we promised to answer in")]


def test_two_configs_extending_one_base_read_its_pack_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "x.yaml").write_text(yaml.safe_dump({"rules": [{**RULE, "id": "house.x",
                                                                         "match": {"phrases": ["frobnicate"]}}]}))
    (tmp_path / "base.yaml").write_text("rules: [house/]\n")
    (tmp_path / "a.yaml").write_text("extends: base.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: base.yaml\n")
    (tmp_path / "phraselint.yaml").write_text("extends: [a.yaml, b.yaml]\n")
    (tmp_path / "r.txt").write_text("We will frobnicate it.\n")
    out = CliRunner().invoke(cli, ["check", "r.txt", "--select", "house", "--format", "line"])
    assert out.exit_code == 1 and "house.x" in out.stdout


def test_stdin_filename_names_the_text_and_picks_its_format(tmp_path):
    doc = '{"name": "refund", "text": "We cannot refund it."}'
    out = _run("check", "-", "--stdin-filename", "macros/refund.json", "--format", "line", "--select", "refusal",
               input=doc, cwd=tmp_path)
    assert out.returncode == 1 and out.stdout.startswith("macros/refund.json:1:") and "[refund]" in out.stdout
    text = _run("check", "-", "--stdin-filename", "draft.md", "--select", "refusal", input="Hi,\nWe can't.\n",
                cwd=tmp_path)
    assert "draft.md:2:1" in text.stdout and "We can't" in text.stdout  # the excerpt is shown too
