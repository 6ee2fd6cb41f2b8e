"""`phraselint fix -i`, driven through click's test runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from phraselint.cli import cli

TEXT = "Hi Sam,\n\nSorry 'bout that! Obviously, you need to restart.\nWe can't refund it, as you should know.\n"


@pytest.fixture
def fix_i(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(TEXT)

    def invoke(answers: str):
        result = CliRunner().invoke(cli, ["fix", "-i", "draft.txt"], input=answers, catch_exceptions=False)
        return result, (tmp_path / "draft.txt").read_text()

    return invoke


def test_pick_by_number_skip_and_finish(fix_i):
    result, text = fix_i("1\ns\ns\ns\ns\n")
    assert "draft.txt:3:1  apology.flippant" in result.stdout
    assert "1. I apologize for  [safe]" in result.stdout and "→ I apologize for that!" in result.stdout
    assert text == TEXT.replace("Sorry 'bout", "I apologize for")
    assert "Fixed 1 finding in 1 file" in result.stderr


def test_type_your_own_rewrite(fix_i):
    result, text = fix_i("e\nmy apologies for\nq\n")
    assert text.startswith("Hi Sam,\n\nMy apologies for that!")  # shaped: a capital at the sentence start


def test_quit_saves_what_was_accepted(fix_i):
    result, text = fix_i("s\n1\nq\n")
    assert "Sorry 'bout that! You need to restart." in text
    assert "We can't refund it, as you should know." in text


def test_end_of_input_saves_what_was_accepted(fix_i):
    result, text = fix_i("1\n")
    assert "I apologize for that!" in text and result.exit_code in (0, 1)


def test_an_unknown_answer_asks_again(fix_i):
    result, text = fix_i("9\nx\n1\nq\n")
    assert result.stdout.count("number: apply that suggestion") == 2
    assert "I apologize for that!" in text


def test_sentence_suggestions_are_shown_but_not_numbered(fix_i):
    result, _ = fix_i("s\ns\ns\nq\n")
    assert "[a sentence to adapt]" in result.stdout
    numbered = [line for line in result.stdout.splitlines() if line.strip()[:2] in ("1.", "2.", "3.")]
    assert numbered and not [line for line in numbered if "…" in line]


def test_each_finding_is_shown_with_the_edits_accepted_so_far(fix_i):
    result, text = fix_i("1\n1\nq\n")
    assert "│ I apologize for that! Obviously, you need to restart." in result.stdout
    assert "→ I apologize for that! You need to restart." in result.stdout
    assert text.startswith("Hi Sam,\n\nI apologize for that! You need to restart.\n")


def test_a_finding_held_back_by_an_accepted_edit_is_asked_about_next(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d.txt").write_text("Obviously, just restart it.\n")
    result = CliRunner().invoke(cli, ["fix", "-i", "d.txt"], input="1\n1\n", catch_exceptions=False)
    assert (tmp_path / "d.txt").read_text() == "Restart it.\n"
    assert "Fixed 2 findings in 1 file; 0 findings remaining." in result.stderr
