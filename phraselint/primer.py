"""spaCy's tokenizer with its cache kept full.

spaCy's tokenizer remembers how it split each whitespace-separated chunk of a text (up to
`max_cache_size` chunks, 10,000 by default), but once a Doc has met a special case ("can't",
"I'm", "e.g.") it remembers nothing more for the rest of that Doc. In support replies one comes
early, so most of a reply's chunks are split afresh on every call, however often they were
seen: about 330 µs for a 120-word reply, against about 50 µs with every chunk remembered.

`PrimedTokenizer` first hands the chunks of a text it has not seen before to the tokenizer in a
Doc of their own, without the chunks that may meet a special case (spaCy never remembers those
anyway), so that spaCy remembers each one exactly as it would at the start of any Doc; then it
tokenizes the text: the same tokens, mostly from the cache. It splits chunks as spaCy does, on
`str.isspace()` characters. A chunk taken for plain that meets a special case after all only
leaves the chunks after it in that Doc unremembered: never a different token.
"""

from __future__ import annotations

import weakref
from typing import Any

#: Characters an affix may strip from a chunk's ends before a special case is met ("(e.g.",
#: "Mr.,"): a chunk is kept out of priming when a special case is left once they are stripped.
_OPENERS = "([{\"'`«‘“*"
_CLOSERS = ")]}\"'.,!?:;»’”*…"
_APOSTROPHES = ("'", "’", "‘")
#: Chunks longer than this are not primed (nor remembered here): a URL, a token or a blob is
#: seldom seen twice, and a hostile text of long chunks would fill `_seen` with them.
MAX_CHUNK = 64


def primed(nlp: Any) -> PrimedTokenizer:
    """The one `PrimedTokenizer` of a pipeline's tokenizer, shared by every engine on it (so that
    one engine's `forget()` holds for all)."""
    primer = _PRIMERS.get(nlp)
    if primer is None or primer.tokenizer is not nlp.tokenizer:
        primer = _PRIMERS[nlp] = PrimedTokenizer(nlp.tokenizer)
    return primer


class PrimedTokenizer:
    """Call it as spaCy's tokenizer. Call `forget()` whenever the tokenizer's special cases
    change (spaCy then empties its cache)."""

    def __init__(self, tokenizer: Any, limit: int | None = None):
        self.tokenizer = tokenizer
        #: Chunks primed at most: as many as spaCy's cache holds (it saves no more).
        self.limit = limit if limit is not None else getattr(tokenizer, "max_cache_size", 10_000)
        self._seen: set[str] = set()
        self._specials = frozenset(tokenizer.rules)

    def __call__(self, text: str) -> Any:
        if len(self._seen) < self.limit:
            # (`-`, not `difference_update`, which walks every chunk seen so far)
            new = set(text.split()) - self._seen
            if new and max(map(len, new)) > MAX_CHUNK:
                new = {chunk for chunk in new if len(chunk) <= MAX_CHUNK}
            if new:
                self._prime(new)
        return self.tokenizer(text)

    def forget(self) -> None:
        """Prime every chunk again from now on (the tokenizer's cache was emptied)."""
        self._seen.clear()
        self._specials = frozenset(self.tokenizer.rules)

    def _prime(self, new: set[str]) -> None:
        room = self.limit - len(self._seen)
        if len(new) > room:
            new = set(sorted(new)[:room])
        self._seen.update(new)
        plain = [chunk for chunk in new if not self._may_be_special(chunk)]
        if plain:
            self.tokenizer(" ".join(plain))

    def _may_be_special(self, chunk: str) -> bool:
        """Whether `chunk` is, or holds once affixes are stripped from its ends one by one, a
        special case (or holds an apostrophe, as contractions do)."""
        if any(a in chunk for a in _APOSTROPHES):
            return True
        specials = self._specials
        while True:
            core = chunk
            while True:
                if core in specials:
                    return True
                if not core or core[-1] not in _CLOSERS:
                    break
                core = core[:-1]
            if not chunk or chunk[0] not in _OPENERS:
                return False
            chunk = chunk[1:]


_PRIMERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
