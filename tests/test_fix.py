"""`phraselint fix` on every input format: fixes land only inside their spans, placeholders and
structure survive, encoding and line endings are kept, and a second run changes nothing."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from phraselint import fixfile, readers, writes
from phraselint.cli import cli
from phraselint.errors import PhraselintError
from phraselint.inputs import Source

PLACEHOLDER = re.compile(r"\{\{[^}]*\}\}|\{%[^%]*%\}|\[[A-Z_]+\]")

FIXTURES = {
    "reply.txt": "Hi {{name}},\n\nSorry 'bout that! Obviously, you need to restart.\n"
                 "It’s an obviously simple fix. You simply click {{link}}.\n",
    "crlf.txt": "Hi [NAME],\r\n\r\nSorry for the wait!\r\nJust restart the app.\r\n",
    "mixed.txt": "Sorry for the wait!\r\nJust restart it.\nThanks,\r\nSam",
    "bom.txt": "\ufeffSorry to keep you waiting!\nObviously, the fix is live.\n",
    "saved.md": "## Refund\n\nSorry for the wait! `Just restart` the app. Obviously, it works.\n\n"
                "## Other\n\n> Sorry for the wait, the customer wrote.\n\nJust click \"Sorry for it\" in the menu.\n",
    "page.html": "<html><body><p>Sorry &rsquo;bout that &amp; the wait!</p>"
                 "<p>Sorry for <em>the</em> trouble.</p><p>Just restart {{app}}.</p></body></html>\n",
    "macros.json": json.dumps({"macros": [
        {"id": 1, "title": "Refund", "actions": [{"field": "comment_value", "value":
            "Hi {{ticket.requester.first_name}},\n\nSorry 'bout the \"delay\". Obviously, the refund takes 5 days."}]},
        {"id": 2, "title": "HTML", "actions": [{"field": "comment_value_html", "value":
            "<p>Sorry for the trouble &amp; the wait!</p><p>Just restart <b>the app</b>.</p>"}]},
        {"id": 3, "title": "Untouched", "actions": [{"field": "comment_value", "value": "Thanks for waiting."}]},
    ]}, indent=2) + "\n",
    "ascii.json": '[{"title": "A", "body": "Sorry \\u2019bout that, clearly, it\\u2019s broken."}]\n',
    "replies.yaml": (
        "replies:\n"
        "  - name: plain\n    body: Sorry 'bout that. Obviously, we will fix it.\n"
        "  - name: single\n    body: 'Sorry for the wait! I''m on it. Just restart the app.'\n"
        "  - name: double\n    body: \"Sorry to keep you waiting!\\nObviously the fix is live.\"\n"
        "  - name: literal\n    body: |\n      Hi {{name}},\n\n      Sorry bout that. You simply click the link.\n"
        "  - name: folded\n    body: >\n      Sorry for the\n      trouble. Clearly, the setting was off.\n"
    ),
    "macros.csv": 'title,body\nA,"Sorry for the trouble! Just click ""Reset""."\nB,Sorry for the wait\n',
}


def _fix(linter, name: str, raw: str):
    bom = raw.startswith("\ufeff")
    source = Source(name, raw[1:] if bom else raw, bom, False, "")
    return fixfile.fix_source(linter, source, readers.reader_for(name)), source


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixing_each_format(linter, name):
    raw = FIXTURES[name]
    fixed, source = _fix(linter, name, raw)
    assert fixed.applied >= 2, name
    after = fixed.after
    # only the text inside the fixed spans changed
    assert fixed.log.spans and fixed.log.unchanged_outside(source.text, after)
    # no finding that carries a fix is left, and a second run changes nothing
    assert not [f for f in fixed.remaining if f.fix]
    again, _ = _fix(linter, name, after)
    assert again.applied == 0 and again.after == after
    # placeholders are byte-identical; line endings are kept
    assert PLACEHOLDER.findall(source.text) == PLACEHOLDER.findall(after)
    assert source.text.count("\r\n") == after.count("\r\n")
    assert source.text.count("\n") == after.count("\n")
    for o0, o1, _, _ in fixed.log.spans:
        assert not any(m.start() < o1 and o0 < m.end() for m in PLACEHOLDER.finditer(source.text))


@pytest.mark.parametrize("name, loads", [("macros.json", json.loads), ("ascii.json", json.loads),
                                         ("replies.yaml", yaml.safe_load)])
def test_libraries_keep_their_structure(linter, name, loads):
    fixed, source = _fix(linter, name, FIXTURES[name])
    before, after = loads(source.text), loads(fixed.after)

    def shape(value):
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shape(v) for v in value]
        return "<str>" if isinstance(value, str) else value

    assert shape(before) == shape(after)
    assert "Thanks for waiting." in fixed.after or name != "macros.json"


def test_rewrites_in_each_format_read_well(linter):
    out = {name: _fix(linter, name, raw)[0].after for name, raw in FIXTURES.items()}
    assert "I apologize for that! You need to restart." in out["reply.txt"]
    assert "It’s a simple fix. You click {{link}}." in out["reply.txt"]
    assert 'I apologize for the \\"delay\\". The refund takes 5 days."' in out["macros.json"]
    assert "<p>I apologize for the trouble &amp; the wait!</p><p>Restart <b>the app</b>.</p>" in out["macros.json"]
    assert "I apologize for that, it\\u2019s broken." in out["ascii.json"]  # an ASCII file stays ASCII
    assert "body: 'I apologize for the wait! I''m on it. Restart the app.'" in out["replies.yaml"]
    assert 'body: "I apologize for keeping you waiting!\\nThe fix is live."' in out["replies.yaml"]
    assert "<p>Sorry for <em>the</em> trouble.</p>" not in out["page.html"]
    assert "<em>the</em>" in out["page.html"]  # the markup inside a fixed span survives
    assert "`Just restart`" in out["saved.md"] and "> Sorry for the wait, the customer wrote." in out["saved.md"]
    assert 'A,"I apologize for the trouble! Click ""Reset""."' in out["macros.csv"]


def test_a_structure_change_is_refused():
    with pytest.raises(PhraselintError, match="structure"):
        fixfile._same_structure('{"a": "x", "b": 1}', '{"a": "y", "b": 2}', "json", 1, "f.json")
    with pytest.raises(PhraselintError, match="unreadable"):
        fixfile._same_structure('{"a": "x"}', '{"a": "x', "json", 1, "f.json")
    with pytest.raises(PhraselintError, match="structure"):  # more strings changed than were edited
        fixfile._same_structure("a: x\nb: y\n", "a: z\nb: w\n", "yaml", 1, "f.yaml")
    fixfile._same_structure("a: x\nb: y\n", "a: z\nb: y\n", "yaml", 1, "f.yaml")


# ------------------------------------------------------------------ the command


@pytest.fixture
def run(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def _write(tmp_path, names):
    for name in names:
        (tmp_path / name).write_bytes(FIXTURES[name].encode("utf-8"))


def test_fix_writes_files_and_a_summary(run, tmp_path):
    _write(tmp_path, FIXTURES)
    result = run("fix", ".")
    assert result.exit_code == 1  # findings without a fix remain
    assert re.search(r"Fixed \d+ findings in 10 files; \d+ findings? remaining", result.stderr)
    assert (tmp_path / "bom.txt").read_bytes().startswith(b"\xef\xbb\xbfI apologize for keeping you waiting!\n")
    assert b"\r\n" in (tmp_path / "crlf.txt").read_bytes()
    check = run("check", ".", "--format", "json")
    assert not [r for r in json.loads(check.stdout)["results"] if r["fix"]]
    again = run("fix", ".")
    assert "Fixed 0 findings in 0 files" in again.stderr


def test_diff_writes_nothing(run, tmp_path):
    _write(tmp_path, FIXTURES)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()}
    result = run("fix", "--diff", ".")
    assert result.exit_code == 1
    diff = result.stdout_bytes.decode()
    assert "--- a/crlf.txt\n+++ b/crlf.txt\n" in diff
    assert "-Sorry for the wait!\r\n" in diff and "+I apologize for the wait!\r\n" in diff
    assert "Would fix" in result.stderr
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.iterdir()} == before
    (tmp_path / "clean.txt").write_text("Thanks for your patience.\n")
    assert run("fix", "--diff", "clean.txt").exit_code == 0


def test_stdin_to_stdout(run):
    result = run("fix", "-", input="Sorry bout that.\r\nObviously, it works.")
    assert result.stdout_bytes == b"I apologize for that.\r\nIt works."
    assert result.exit_code == 0
    unsafe = run("fix", "-", "--unsafe", input="We can't refund it. You have to restart.\n")
    assert unsafe.stdout != "We can't refund it. You have to restart.\n"


def test_permissions_are_kept(run, tmp_path):
    _write(tmp_path, ["reply.txt"])
    os.chmod(tmp_path / "reply.txt", 0o640)
    run("fix", "reply.txt")
    assert stat.S_IMODE((tmp_path / "reply.txt").stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_file_changed_since_it_was_read_is_not_written(run, tmp_path, monkeypatch):
    _write(tmp_path, ["reply.txt"])
    real = fixfile.fix_source

    def meddling(*args):
        result = real(*args)
        (tmp_path / "reply.txt").write_text("Someone else's edit.\n")
        return result

    monkeypatch.setattr(fixfile, "fix_source", meddling)
    result = run("fix", "reply.txt")
    assert result.exit_code == 2
    assert "reply.txt: changed on disk since it was read; not written" in result.stderr
    assert (tmp_path / "reply.txt").read_text() == "Someone else's edit.\n"


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(run, tmp_path, monkeypatch):
    _write(tmp_path, ["reply.txt"])

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    monkeypatch.setattr(writes, "_exchange", interrupted)  # where the swap is used instead
    assert run("fix", "reply.txt").exit_code != 0
    assert (tmp_path / "reply.txt").read_text() == FIXTURES["reply.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["reply.txt"]


def test_a_symlink_out_of_the_tree_is_not_followed(run, tmp_path):
    outside = tmp_path / "outside"
    tree = tmp_path / "tree"
    outside.mkdir()
    tree.mkdir()
    (outside / "secret.txt").write_text("Sorry for the wait!\n")
    (tree / "inside.txt").write_text("Sorry for the wait!\n")
    os.symlink(outside / "secret.txt", tree / "link.txt")
    os.symlink(tree / "inside.txt", tree / "alias.txt")
    result = run("fix", "tree")
    assert result.exit_code == 2
    assert "link.txt: not fixed: a symlink to a file outside tree" in result.stderr
    assert (outside / "secret.txt").read_text() == "Sorry for the wait!\n"
    assert (tree / "inside.txt").read_text() == "I apologize for the wait!\n"
    assert os.path.islink(tree / "alias.txt")


def test_bad_utf8_is_not_rewritten(run, tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"Sorry for the wait! \xff\n")
    result = run("fix", "bad.txt")
    assert result.exit_code == 2 and "not valid UTF-8" in result.stderr
    assert (tmp_path / "bad.txt").read_bytes() == b"Sorry for the wait! \xff\n"


def test_broken_input_is_one_line_and_other_files_are_fixed(run, tmp_path):
    (tmp_path / "broken.json").write_text('{"macros": [')
    _write(tmp_path, ["reply.txt"])
    result = run("fix", "broken.json", "reply.txt")
    assert result.exit_code == 2
    assert [line for line in result.stderr.splitlines() if "broken.json" in line] == [
        line for line in result.stderr.splitlines() if line.startswith("phraselint: broken.json:")]
    assert "I apologize for that!" in (tmp_path / "reply.txt").read_text()


def test_interactive_and_stdin_do_not_mix(run):
    result = run("fix", "-i", "-")
    assert result.exit_code == 2 and "--interactive" in result.stderr


def test_check_reports_the_same_edit_in_json_and_sarif(run, tmp_path):
    _write(tmp_path, ["crlf.txt"])
    results = json.loads(run("check", "crlf.txt", "--format", "json").stdout)["results"]
    sarif = json.loads(run("check", "crlf.txt", "--format", "sarif").stdout)["runs"][0]["results"]
    edits = [r["fix"] for r in results if r["fix"]]
    raw = FIXTURES["crlf.txt"]
    assert [(raw[e["offset"]:e["end_offset"]], e["replacement"]) for e in edits] == [
        ("Sorry for", "I apologize for"), ("Just r", "R")]
    replacements = [x["fixes"][0]["artifactChanges"][0]["replacements"][0] for x in sarif if "fixes" in x]
    assert [(r["deletedRegion"]["charOffset"], r["deletedRegion"]["charLength"], r["insertedContent"]["text"])
            for r in replacements] == [(e["offset"], e["end_offset"] - e["offset"], e["replacement"]) for e in edits]
    text = run("check", "crlf.txt").stdout
    assert "apology.sorry_for [*]" in text and "2 fixable with `phraselint fix`" in text


def test_a_plain_yaml_scalar_that_cannot_hold_a_rewrite_becomes_double_quoted(run, tmp_path):
    (tmp_path / "r.yaml").write_text("replies:\n  - name: a\n    body: Sorry 'bout that. We will fix it.\n")
    result = run("fix", "-i", "r.yaml", input="e\nNote: I apologize for\nq\n")
    assert (tmp_path / "r.yaml").read_text() == (
        'replies:\n  - name: a\n    body: "Note: I apologize for that. We will fix it."\n')
    assert yaml.safe_load((tmp_path / "r.yaml").read_text())["replies"][0]["body"].startswith("Note: I")
    assert result.exit_code in (0, 1)


def test_a_read_only_file_keeps_its_mode(run, tmp_path):
    """A read-only file is left alone unless asked; asked, the fixed file replaces the old one
    and keeps its permissions, like `sed -i`."""
    _write(tmp_path, ["reply.txt"])
    os.chmod(tmp_path / "reply.txt", 0o444)
    before = (tmp_path / "reply.txt").read_text()
    assert run("fix", "reply.txt").exit_code == 2
    assert (tmp_path / "reply.txt").read_text() == before
    assert run("fix", "reply.txt", "--include-read-only").exit_code in (0, 1)
    assert stat.S_IMODE((tmp_path / "reply.txt").stat().st_mode) == 0o444
    assert "I apologize for that!" in (tmp_path / "reply.txt").read_text()


@pytest.mark.parametrize("data", [b"\xef\xbb\xbfnot json", b"Obviously, x\n\xff\xfe\n", b"Obviously, a\0b"])
def test_stdin_that_cannot_be_fixed_comes_back_byte_for_byte(run, data):
    args = ["fix", "-"] + (["--input-format", "json"] if data.startswith(b"\xef") else [])
    assert run(*args, input=data).stdout_bytes == data


def test_yaml_plain_scalar_is_requoted_when_a_deletion_changes_how_it_reads(run, tmp_path):
    (tmp_path / "p.yaml").write_text('replies:\n  - name: a\n    body: Obviously, "Save" it.\n'
                                     "  - name: b\n    body: Obviously, no\n  - name: c\n    body: Sorry bout that.\n")
    run("fix", "p.yaml")
    assert [r["body"] for r in yaml.safe_load((tmp_path / "p.yaml").read_text())["replies"]] == [
        '"Save" it.', "No", "I apologize for that."]


def test_a_big_plain_file_is_fixed_across_its_parts(run, tmp_path):
    block = "Thanks for your patience today.\n" * 999 + "Obviously, restart.\n"
    (tmp_path / "big.txt").write_text(block * 12)  # 380,000 characters: read in two parts
    assert run("fix", "big.txt").exit_code == 0
    assert (tmp_path / "big.txt").read_text() == block.replace("Obviously, restart.", "Restart.") * 12


def test_code_and_quoted_customer_text_are_never_rewritten(run, tmp_path):
    (tmp_path / "a.md").write_text("Run:\n\n    # Obviously, just restart\n\nClick `just restart` now.\n")
    (tmp_path / "b.html").write_text("<blockquote>Sorry bout that, obviously</blockquote><p>Thanks!</p>\n")
    before = {p.name: p.read_text() for p in tmp_path.iterdir()}
    run("fix", ".")
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == before


def test_an_edit_saved_in_the_instant_before_the_swap_is_kept(run, tmp_path, monkeypatch):
    """The file is checked again after it was swapped for the fixed one; if it changed in
    between (an editor saved), the swap is undone and the edit stays."""
    _write(tmp_path, ["reply.txt"])
    real = writes._exchange
    if not real(tmp_path / "reply.txt", tmp_path / "reply.txt"):
        pytest.skip("no atomic swap (renameat2) here")
    saved = "The customer's own edit.\n"

    def edit_then_swap(a, b):
        if Path(b).name == "reply.txt" and Path(b).read_text() != saved:
            Path(b).write_text(saved)  # an editor saves in place, just before the swap
        return real(a, b)

    monkeypatch.setattr(writes, "_exchange", edit_then_swap)
    result = run("fix", "reply.txt")
    assert "reply.txt: changed on disk since it was read; not written" in result.stderr
    assert (tmp_path / "reply.txt").read_text() == saved
    assert [p.name for p in tmp_path.iterdir()] == ["reply.txt"]


def test_yaml_replies_through_an_anchor_alias_or_merge_key_are_fixed(run, tmp_path):
    (tmp_path / "lib.yaml").write_text(
        "base: &base\n  title: refund\n  body: \"Sorry 'bout that! We will refund it.\"\n"
        "replies:\n  - *base\n  - <<: *base\n    title: refund2\n", encoding="utf-8")
    result = run("fix", "lib.yaml")
    assert result.exit_code == 0, result.stderr
    fixed = yaml.safe_load((tmp_path / "lib.yaml").read_text(encoding="utf-8"))
    assert fixed["base"]["body"] == "I apologize for that! We will refund it."
    assert fixed["replies"][0]["body"] == fixed["replies"][1]["body"] == fixed["base"]["body"]
    assert "*base" in (tmp_path / "lib.yaml").read_text(encoding="utf-8")  # the alias stays an alias


def test_yaml_reply_that_holds_itself_through_an_alias_is_fixed_without_recursing(run, tmp_path):
    # An anchor whose own merge key points back at it: the parsed library holds itself.
    text = ("replies:\n  - &m\n    <<: *m\n    name: x\n    body: \"Sorry 'bout that! We will refund it.\"\n")
    (tmp_path / "lib.yaml").write_text(text, encoding="utf-8")
    result = run("fix", "lib.yaml")
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.exit_code in (0, 1, 2), result.stderr
    if result.exit_code == 2:  # refused: one line naming the file, the library untouched
        assert result.stderr.count("\n") == 1 and "lib.yaml" in result.stderr
        assert (tmp_path / "lib.yaml").read_text(encoding="utf-8") == text
    else:
        assert "I apologize for that!" in (tmp_path / "lib.yaml").read_text(encoding="utf-8")


def test_deeply_nested_yaml_library_is_compared_without_recursing(run, tmp_path):
    depth = 3000
    text = "replies:\n  - name: x\n    body: \"Sorry 'bout that!\"\n    extra: " + "[" * depth + "]" * depth + "\n"
    (tmp_path / "lib.yaml").write_text(text, encoding="utf-8")
    result = run("fix", "lib.yaml")
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.exit_code in (0, 1, 2), result.stderr


def test_json_with_a_number_over_4300_digits_is_fixed(run, tmp_path):
    huge = "9" * 5000
    (tmp_path / "lib.json").write_text(f'[{{"title": "x", "body": "Sorry \'bout that!", "n": {huge}}}]\n',
                                       encoding="utf-8")
    result = run("fix", "lib.json")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "lib.json").read_text(encoding="utf-8")
    assert '"body": "I apologize for that!"' in text and huge in text


def test_a_symlink_to_a_sibling_is_fixed_once(run, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("Sorry 'bout that!\n", encoding="utf-8")
    os.symlink("a.txt", tmp_path / "d" / "b.txt")
    result = run("fix", "d")
    assert result.exit_code == 0, result.stderr
    assert "d/b.txt: skipped, the same file as d/a.txt" in result.stderr
    assert (tmp_path / "d" / "a.txt").read_text(encoding="utf-8") == "I apologize for that!\n"
    assert os.path.islink(tmp_path / "d" / "b.txt")
