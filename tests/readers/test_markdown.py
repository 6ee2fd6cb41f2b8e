from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phraselint.readers import markdown
from phraselint.text import ReplyText

from ..conftest import CORPUS
from .test_yamllib import assert_maps_to_raw, lint


def read(raw: str, path: str = "SAVED_REPLIES.md") -> list[ReplyText]:
    return list(markdown.read(raw, path))


# ------------------------------------------------------------------ a single reply (unchanged)


def test_single_reply_file_keeps_todays_behaviour(engine):
    raw = "---\ntitle: x\n---\nTry `you must` here.\\\nWe can't refund it.\n\n```\nyou have to\n```\n<!-- you must -->\n"
    (reply,) = read(raw, "reply.md")
    assert reply.name is None and len(reply.text) == len(raw)
    assert reply.text == raw.replace("\\\n", " \n")  # a hard break reads as a space
    # An identity map: the hard break's space is the one character that is not the raw one.
    assert [i for i, (t, r) in enumerate(zip(reply.text, raw)) if t != r] == [raw.index("\\\n")]
    (hits,) = list(engine.lint([reply]))
    assert [(h.rule.id, raw[slice(*reply.to_raw.span(h.start, h.end))]) for h in hits] == [("refusal.cant", "We can't")]


def test_one_level2_heading_is_still_a_single_reply():
    raw = "# Title\n\nIntro.\n\n## Only section\n\nWe can't.\n"
    (reply,) = read(raw, "reply.md")
    assert reply.text == raw


def test_mdx_single_reply_hides_import_lines(engine):
    raw = "import { Steps } from '@astrojs/starlight/components';\n\nWe can't do that. <Steps>x</Steps>\n"
    (reply,) = read(raw, "reply.mdx")
    assert lint(engine, raw, [reply]) == [(None, "refusal.cant", "We can't")]
    assert any(raw[a:b].startswith("import {") for a, b in reply.masks)


# ------------------------------------------------------------------ collections

COLLECTION = """\
# Saved replies

The intro is not a reply: we can't lint it.

## Already fixed (v1)

```
Thanks! This was fixed. Run `you must upgrade` to get it.
Sorry for the wait.
```

## Invalid PRs

> When the PR is invalid.

```markdown
Thank you. We can't merge this.
```

> When the PR adds links.

````md
Please be patient.

```bash
you have to run this
```
````

¹ A footnote.

# PRs

## DCO

Thanks for your PR. We are unable to merge it without a sign-off. Please amend the commit and
push again; the reviewers will take another look then. Here is how:

```
git commit --amend --signoff  # you must
```

#### Philosophy

This is not our fault.
"""


def test_collection_sections_and_templates(engine):
    replies = read(COLLECTION)
    assert [r.name for r in replies] == ["Already fixed (v1)", "Invalid PRs", "Invalid PRs", "DCO", "Philosophy"]
    assert replies[0].text == ("Thanks! This was fixed. Run `you must upgrade` to get it.\nSorry for the wait.")
    assert replies[2].text.startswith("Please be patient.") and replies[2].text.endswith("```")
    assert replies[3].text.startswith("Thanks for your PR.") and "git commit" in replies[3].text
    found = lint(engine, COLLECTION, replies)
    assert sorted(found) == sorted([
        ("Already fixed (v1)", "apology.sorry_for", "Sorry for"),
        ("Invalid PRs", "refusal.cant", "We can't"),
        ("Invalid PRs", "deflection.wait_patiently", "Please be patient"),
        ("DCO", "refusal.cant", "We are unable to"),
        ("Philosophy", "blame.not_our_fault", "not our fault"),
    ])  # not the intro, the code spans, the nested bash fence or the DCO's code block


def test_headings_inside_fences_comments_and_front_matter_do_not_count():
    raw = ("---\nx: 1\n---\n## One\n\n```\n## not a heading\nWe can't.\n```\n\n"
           "<!--\n## hidden\n-->\n## Two\n\nText.\n")
    replies = read(raw)
    assert [r.name for r in replies] == ["One", "Two"]
    assert replies[0].text == "## not a heading\nWe can't."


def test_mdx_collection_with_one_heading_and_closing_hashes():
    raw = "---\ntitle: T\n---\n\nimport X from 'y';\n\n## Thank You ##\n\n```markdown\nThanks a lot!\n```\n"
    (reply,) = read(raw, "reply-templates.mdx")
    assert reply.name == "Thank You" and reply.text == "Thanks a lot!"


def test_indented_fence_content_is_dedented_and_mapped(engine):
    raw = "## A\n\n  ```\n  Sorry for the delay.\n    We can't\n  go on.\n  ```\n\n## B\n\nx\n"
    a, _ = read(raw)
    assert a.text == "Sorry for the delay.\n  We can't\ngo on."
    found = lint(engine, raw, [a])
    assert ("A", "refusal.cant", "We can't") in found and ("A", "apology.sorry_for", "Sorry for") in found


def test_hard_breaks_in_collections_drop_the_backslash(engine):
    raw = "## A\n\nThanks for the report.\\\nWe can't\\\nrefund it. `a\\`\n\n## B\n\nx\n"
    a, _ = read(raw)
    assert a.text == "Thanks for the report.\nWe can't\nrefund it. `a\\`"
    i = a.text.index("\nWe")
    assert raw[slice(*a.to_raw.span(i, i + 1))] == "\\\n"
    assert lint(engine, raw, [a]) == [("A", "refusal.cant", "We can't")]


def test_empty_sections_are_skipped():
    raw = "## A\n\n## B\n\n```\n```\n\n## C\n\nText.\n"
    assert [r.name for r in read(raw)] == ["C"]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(["## T\n", "# G\n", "#### S\n", "```\n", "````md\n", "~~~\n", "> q\n",
                                 "We can't.\\\n", "text `code`\n", "\n", "  ```\n", "<!--\n", "-->\n", "---\n"])
                | st.text(max_size=20), max_size=25))
def test_random_documents_map_exactly(parts):
    raw = "".join(parts)
    for path in ("x.md", "x.mdx"):
        for reply in markdown.read(raw, path):
            if reply.name is None:  # a single reply: the identity map
                assert reply.to_raw.segments == [(0, len(raw), 0, len(raw))]
            else:
                assert_maps_to_raw(raw, reply)


# ------------------------------------------------------------------ the corpus

MANIFEST = CORPUS / "manifest.tsv"


def _rows(source: str) -> list[dict]:
    with open(MANIFEST, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f, delimiter="\t") if r["source"] == source]


@pytest.mark.skipif(not MANIFEST.exists(), reason="no shared corpus")
@pytest.mark.parametrize("source", ["angular_cli", "freecodecamp", "prometheus_docs", "opencollective"])
def test_corpus_collections_equal_the_extracted_replies(source):
    rows = _rows(source)
    by_path: dict[str, list[dict]] = {}
    for row in rows:
        by_path.setdefault(row["path"], []).append(row)
    for path, items in by_path.items():
        raw = (CORPUS / "raw" / source / path).read_text(encoding="utf-8")
        replies = read(raw, Path(path).name)
        assert len(replies) == len(items), path
        for reply, row in zip(replies, items):
            assert reply.text.strip() == (CORPUS / row["file"]).read_text(encoding="utf-8").strip()
            if reply.name is not None:  # a collection: named by the heading
                assert reply.name == row["item"]
                assert_maps_to_raw(raw, reply)
            else:  # opencollective: one reply per file
                assert len(items) == 1
