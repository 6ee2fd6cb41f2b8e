"""Reply-level coaching: checks over a whole reply (empathy first, a proper apology, the
customer's name, ownership, an alternative to a "no", a follow-up) and the reply score.

- `cues.py`: the signal phrases of the packs, found in the Doc the phrase rules matched;
- `checks.py`: the checks, by name, each a small function of a reply's `Facts`;
- `assess.py`: runs the active checks on a reply and weighs them into a score.
"""
