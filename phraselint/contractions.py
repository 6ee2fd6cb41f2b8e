"""Phrases said with a contraction that spaCy does not read as its full words.

spaCy's NORM reads "n't", "'re", "'m", "'ll" and "'ve" as "not", "are", "am", "will" and
"have", so a phrase written in full ("do not", "we are") already matches its short form. "'s" and
"'d" stay themselves (they may be "is" or "has", "would" or "had"): "that is our policy" would
never meet "that's our policy". A rule's or a signal's phrases are matched in both forms.
"""

from __future__ import annotations

#: Full words whose short form NORM does not read back: each is also matched as the contraction.
CONTRACTIONS = {"is": "'s", "would": "'d"}


def contracted(phrases) -> list[str]:
    """The phrases, and each said with one contraction: "that is on us" also "that's on us",
    "is down" also "'s down" ("it's down"), "i would recommend" also "i'd recommend"; each once."""
    out = list(dict.fromkeys(phrases))
    seen = set(out)
    for phrase in list(out):
        words = phrase.split(" ")
        for k, word in enumerate(words):
            short = CONTRACTIONS.get(word.lower())
            if not short:
                continue
            variant = " ".join(words[:k - 1] + [words[k - 1] + short] + words[k + 1:]) if k \
                else " ".join([short] + words[1:])
            if variant not in seen:
                seen.add(variant)
                out.append(variant)
    return out
