from __future__ import annotations

from phraselint import engine as engine_mod
from phraselint import text as text_mod
from phraselint.engine import Engine

from .conftest import hits_of, reply


def test_markdown_code_is_not_linted(engine):
    from phraselint.readers import markdown

    raw = "Try this:\n\n```\nyou have to restart\n```\n\nOr run `you must` here. <!-- you must -->"
    (texts,) = [markdown.read(raw, "x.md")]
    (hits,) = list(engine.lint(texts))
    assert hits == []


def test_long_text_is_linted_in_chunks_with_right_offsets(engine, monkeypatch):
    monkeypatch.setattr(engine_mod, "CHUNK_CHARS", 200)
    para = "Thanks for writing in. We can't refund this order.\n\n"
    text = para * 40
    (hits,) = list(engine.lint([reply(text)]))
    cant = [h for h in hits if h.rule.id == "refusal.cant"]
    assert len(cant) == 40
    assert all(text[h.start:h.end] == "We can't" for h in cant)


def test_long_paragraph_is_cut_at_sentences_without_overlap(engine):
    # Over LONG_PARAGRAPH_CHARS: cut into runs of sentences, each character read once.
    # (its last 1,350 characters hold no sentence end: a cut must not look past the paragraph)
    long_para = "Thanks for writing in. We can't refund this order. " * 150 + "and then " * 150
    assert len(long_para) > engine_mod.LONG_PARAGRAPH_CHARS
    text = long_para + "\n\nYou have to call us. We can't refund it."
    pieces = list(engine_mod._split(text))
    assert "".join(p for _, p in pieces) == text  # the pieces tile the text: none overlaps the next paragraph
    assert all(b == a + len(p) for (a, p), (b, _) in zip(pieces, pieces[1:]))
    assert max(len(p) for _, p in pieces) < engine_mod.LONG_PARAGRAPH_CHARS
    (hits,) = list(engine.lint([reply(text)]))
    cant = [h for h in hits if h.rule.id == "refusal.cant"]
    assert len(cant) == 151
    assert len({h.start for h in cant}) == 151
    assert all(text[h.start:h.end] == "We can't" for h in cant)
    assert [text[h.start:h.end] for h in hits if h.rule.id == "burden.have_to"] == ["You have to"]


def test_long_run_without_a_space_goes_to_spacy_in_short_pieces(engine):
    # The tokenizer's time on one run is its length squared: no piece holds a long run.
    text = "We can't refund it. " + "=" * 5_000 + " " + "\U0001f600" * 300 + "\n\nYou have to call us."
    pieces = list(engine_mod._split(text))
    assert "".join(p for _, p in pieces) == text
    assert all(b == a + len(p) for (a, p), (b, _) in zip(pieces, pieces[1:]))
    assert max(len(w) for _, p in pieces for w in p.split()) <= text_mod.RUN_CHARS
    assert set(hits_of(engine, text)) >= {("refusal.cant", "We can't"), ("burden.have_to", "You have to")}


def test_runs_cut_leaves_ordinary_text_whole():
    assert list(text_mod.runs_cut("")) == [(0, 0)]
    assert list(text_mod.runs_cut("We can't refund it.")) == [(0, 19)]
    word = "x" * (text_mod.RUN_CHARS + 1)
    assert list(text_mod.runs_cut("a " + word)) == [(0, 2), (2, 2 + text_mod.RUN_CHARS), (2 + text_mod.RUN_CHARS, len(word) + 2)]


def test_text_over_spacy_limit_is_linted(engine):
    text = ("Thanks for your message. " * 45_000) + "We can't refund this."
    assert len(text) > 1_000_000
    assert ("refusal.cant", "We can't") in hits_of(engine, text)


def test_upper_case_contractions(engine):
    assert ("burden.have_to", "YOU'LL NEED TO") in hits_of(engine, "YOU'LL NEED TO CALL US.")
    assert ("refusal.cant", "WE CAN’T") in hits_of(engine, "WE CAN’T.")


def test_overlapping_rules_keep_the_more_specific(engine):
    found = hits_of(engine, "You'll have to wait for the next release.")
    assert [rid for rid, _ in found] == ["deflection.wait_patiently"]


def test_requires_skips_rule_with_note(nlp, default_rules):
    import copy

    rule = copy.copy(default_rules[0])
    rule.requires = ["parser"]
    notes = []
    eng = Engine([rule], nlp=nlp, warn=notes.append)
    assert eng.rules == []
    assert rule.id in notes[0] and "parser" in notes[0]


def test_glossary_suggestion_follows_the_term(engine):
    text = "I've escalated this to tier 2."
    (hits,) = list(engine.lint([reply(text)]))
    by_match = {text[h.start:h.end]: h.texts for h in hits}
    assert by_match == {"escalated": ["passed on"], "tier 2": ["our specialist team"]}


def test_plain_reader_reads_big_files_in_parts_with_raw_offsets(engine, monkeypatch):
    from phraselint.readers import plain

    monkeypatch.setattr(plain, "PART_CHARS", 300)
    raw = "".join(f"Reply {i}: thanks for writing in.\n\nWe can't refund order {i}.\n\n" for i in range(30))
    texts = list(plain.read(raw, "big.txt"))
    assert len(texts) > 5
    found = []
    for reply, hits in zip(texts, engine.lint(texts)):
        for h in hits:
            start, end = reply.to_raw.span(h.start, h.end)
            found.append(raw[start:end])
    assert found == ["We can't"] * 30


def test_two_rules_with_one_regex_both_find_it(nlp, tmp_path):
    """The engine runs a regex once a text and gives its matches to every rule that has it."""
    from phraselint.rules import load_pack

    pack = tmp_path / "house.yaml"
    pack.write_text("""rules:
  - id: house.promise
    category: house
    severity: warning
    message: Don't promise.
    why: The guidance asks you to say what you will do.
    match:
      regex: ["(?i)\\\\bwe promise\\\\b"]
  - id: other.promise
    category: other
    severity: suggestion
    message: Don't promise, again.
    why: The same regex, another family.
    match:
      regex: ["(?i)\\\\bwe promise\\\\b"]
""", encoding="utf-8")
    eng = Engine(load_pack(pack), nlp=nlp)
    found = hits_of(eng, "We promise it ships today. Honestly, we promise.")
    assert sorted(found) == [("house.promise", "We promise"), ("house.promise", "we promise"),
                             ("other.promise", "We promise"), ("other.promise", "we promise")]
