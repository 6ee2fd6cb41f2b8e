"""Reply-level coaching: checks over a whole reply (empathy first, a proper apology, the
customer's name, ownership, an alternative to a "no", a follow-up) and the reply score.

- `cues.py`: the signal phrases of the packs, found in the Doc the phrase rules matched;
- `message.py`: the customer's message, read for a complaint or a failure;
- `checks.py`: the checks, by name, each a small function of a reply's `Facts`;
- `assess.py`: runs the active checks on a reply and weighs them into a score.
"""

from phraselint.coaching.checks import CHECKS
from phraselint.coaching.cues import SIGNALS
from phraselint.coaching.message import MESSAGE_SIGNALS, MESSAGE_WORD_SIGNALS
from phraselint.rules import Vocabulary

#: What the coaching packs may name: its checks with their option defaults, and its signals.
VOCABULARY = Vocabulary({name: check.options for name, check in CHECKS.items()},
                        SIGNALS + MESSAGE_SIGNALS + MESSAGE_WORD_SIGNALS)
