"""The pack cache: a hit is the pack as parsed, any change to what it was built from is a new
entry, and a cache that cannot be used is no error."""

from __future__ import annotations

import re

import pytest

from phraselint import cache
from phraselint.coaching import VOCABULARY
from phraselint.errors import PhraselintError
from phraselint.rules import read_pack

PACK = """rules:
  - id: house.no_promises
    severity: warning
    message: Don't promise what the team may not keep.
    why: The guidance asks you to say what you will do.
    match:
      phrases: [we promise]
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("PHRASELINT_CACHE_DIR", str(where))
    monkeypatch.delenv("PHRASELINT_NO_CACHE", raising=False)
    return where


def _pack(tmp_path, text=PACK):
    path = tmp_path / "house.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_second_read_comes_from_the_cache_and_equals_the_first(tmp_path, folder, monkeypatch):
    path = _pack(tmp_path)
    first = read_pack(path, VOCABULARY)
    assert len(list(folder.glob("pack-*.pickle"))) == 1
    monkeypatch.setattr("phraselint.rules._parse_pack", lambda *a: pytest.fail("parsed again"))
    again = read_pack(path, VOCABULARY)
    assert [vars(r) for r in again.rules] == [vars(r) for r in first.rules]
    assert again.rules[0].line == 2 and again.rules[0].source == str(path)


def test_a_changed_pack_is_a_new_entry_not_a_stale_one(tmp_path, folder):
    path = _pack(tmp_path)
    read_pack(path, VOCABULARY)
    _pack(tmp_path, PACK.replace("we promise", "we guarantee"))
    assert read_pack(path, VOCABULARY).rules[0].match.phrases == ["we guarantee"]
    assert len(list(folder.glob("pack-*.pickle"))) == 2


def test_validation_with_and_without_the_vocabulary_are_two_entries(tmp_path, folder):
    path = _pack(tmp_path)
    read_pack(path, VOCABULARY)
    read_pack(path, None)
    assert len(list(folder.glob("pack-*.pickle"))) == 2


def test_a_bad_pack_is_an_error_every_time_and_never_cached(tmp_path, folder):
    path = _pack(tmp_path, PACK.replace("severity: warning", "severity: loud"))
    for _ in range(2):
        with pytest.raises(PhraselintError, match="severity"):
            read_pack(path, VOCABULARY)
    assert not folder.exists() or not list(folder.glob("pack-*.pickle"))


def test_a_damaged_entry_is_rebuilt(tmp_path, folder):
    path = _pack(tmp_path)
    read_pack(path, VOCABULARY)
    (entry,) = folder.glob("pack-*.pickle")
    entry.write_bytes(entry.read_bytes()[:20])
    assert read_pack(path, VOCABULARY).rules[0].id == "house.no_promises"
    assert entry.stat().st_size > 20  # written again, whole


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path, monkeypatch):
    """A path that is a file, not a folder: nothing can be written there, even by root."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("PHRASELINT_CACHE_DIR", str(blocker))
    assert read_pack(_pack(tmp_path), VOCABULARY).rules[0].id == "house.no_promises"
    assert blocker.read_text() == "x"


def test_no_cache_writes_nothing(tmp_path, folder, monkeypatch):
    monkeypatch.setenv("PHRASELINT_NO_CACHE", "1")
    assert cache.cache_dir() is None
    read_pack(_pack(tmp_path), VOCABULARY)
    assert not folder.exists()


def test_the_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("PHRASELINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("PHRASELINT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "phraselint"


def test_no_temporary_file_is_left_behind(tmp_path, folder):
    read_pack(_pack(tmp_path), VOCABULARY)
    assert [p.name for p in folder.iterdir() if not p.name.startswith("pack-")] == []


def test_an_entry_of_the_wrong_kind_is_rebuilt(tmp_path, folder):
    import pickle

    path = _pack(tmp_path)
    read_pack(path, VOCABULARY)
    (entry,) = folder.glob("pack-*.pickle")
    entry.write_bytes(pickle.dumps({"rules": "not a catalog"}))
    assert read_pack(path, VOCABULARY).rules[0].id == "house.no_promises"


def test_old_entries_are_pruned(tmp_path, folder, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    path = _pack(tmp_path)
    for word in ("one", "two", "three", "four"):
        _pack(tmp_path, PACK.replace("we promise", f"we promise {word}"))
        read_pack(path, VOCABULARY)
    assert len(list(folder.glob("pack-*.pickle"))) == 2
    # the newest is kept: a read of the last version is a hit
    monkeypatch.setattr("phraselint.rules._parse_pack", lambda *a: pytest.fail("parsed again"))
    assert read_pack(path, VOCABULARY).rules[0].match.phrases == ["we promise four"]


def test_an_entry_that_is_no_regular_file_is_never_opened(tmp_path, folder):
    """A FIFO would block a reader for ever."""
    import os

    path = _pack(tmp_path)
    read_pack(path, VOCABULARY)
    (entry,) = folder.glob("pack-*.pickle")
    entry.unlink()
    os.mkfifo(entry)
    assert read_pack(path, VOCABULARY).rules[0].id == "house.no_promises"


def test_a_temporary_file_an_interrupted_run_left_is_removed(tmp_path, folder):
    cache._sweep.cache_clear()
    import os
    import time

    folder.mkdir(mode=0o700)
    left = folder / ".phraselint-tmp-abc123"
    left.write_bytes(b"")
    hour_ago = time.time() - 7200
    os.utime(left, (hour_ago, hour_ago))
    fresh = folder / ".phraselint-tmp-def456"  # a run at work right now
    fresh.write_bytes(b"")
    read_pack(_pack(tmp_path), VOCABULARY)
    assert not left.exists() and fresh.exists()


def test_pruning_touches_only_phraselints_own_files(tmp_path, folder, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 1)
    folder.mkdir(mode=0o700)
    (folder / "my-results.pickle").write_bytes(b"mine")
    (folder / ".tmp-other-tool").write_bytes(b"theirs")
    for word in ("one", "two", "three"):
        read_pack(_pack(tmp_path, PACK.replace("we promise", f"we promise {word}")), VOCABULARY)
    assert (folder / "my-results.pickle").read_bytes() == b"mine"
    assert (folder / ".tmp-other-tool").exists()
    assert len(list(folder.glob("pack-*.pickle"))) == 1


def test_a_folder_others_may_write_to_is_not_used(tmp_path, monkeypatch):
    """Entries are pickles: whoever writes them runs code."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("PHRASELINT_CACHE_DIR", str(shared))
    cache._trusted.cache_clear()
    try:
        assert read_pack(_pack(tmp_path), VOCABULARY).rules[0].id == "house.no_promises"
        assert not list(shared.iterdir())
    finally:
        cache._trusted.cache_clear()


def test_the_fingerprint_survives_a_dangling_link_in_the_package(tmp_path, monkeypatch):
    """An editor's lock link (".#rules.py") points at nothing."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "a.py").write_text("x = 1\n")
    (package / ".#rules.py").symlink_to(tmp_path / "nowhere")
    monkeypatch.setattr(cache, "_PACKAGE", package)
    cache.code_fingerprint.cache_clear()
    try:
        first = cache.code_fingerprint()
        (package / "a.py").write_text("x = 22\n")
        cache.code_fingerprint.cache_clear()
        assert cache.code_fingerprint() != first  # a change of size is a new key
    finally:
        cache.code_fingerprint.cache_clear()


def test_the_cache_folder_follows_the_user_not_the_working_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("PHRASELINT_CACHE_DIR", "~/pl-cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "pl-cache"
    monkeypatch.delenv("PHRASELINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as the XDG spec says
    assert cache.cache_dir() == tmp_path / ".cache" / "phraselint"


def test_no_home_means_no_cache(monkeypatch):
    """Where "~" cannot be expanded, the cache is off rather than a "~" folder in the project."""
    monkeypatch.delenv("PHRASELINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("PHRASELINT_NO_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(cache.os.path, "expanduser", lambda path: path)
    assert cache.cache_dir() is None


def test_the_regexes_probes_and_folded_twins_come_from_the_cache_and_equal_a_fresh_analysis(folder):
    from phraselint import engine
    from phraselint.probes import probe
    from phraselint.regexes import folded_source

    sources = [r"(?i)\bwe (?:can't|won't) refund\b", r"\bRTF[MD]\b", r"(?i)(?-i:[A-Z])ops"]
    first = engine._analysed(sources)
    assert list(folder.glob("regexes-*.pickle"))
    again = engine._analysed(sources)
    assert first == again == [(probe(re.compile(s)), folded_source(s)) for s in sources]
    assert again[0][1] is not None and again[1][1] is None and again[2][1] is None
