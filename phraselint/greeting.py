"""Whether a reply addresses the customer by name: a name, or a name placeholder, in the
greeting ("Hi {{ticket.requester.name.first}},", "Dear %{recipient.name.first},", "Hi Sam,").

Reply-level checks use this (the guidance: "it's also good practice to use the customer's name
in a difficult situation")."""

from __future__ import annotations

import re

from phraselint.lexicon import LEXICON
from phraselint.text import PLACEHOLDER


def greeting_words(leave_out: frozenset[str] = frozenset()) -> str:
    """The greetings of `lexicon.yaml` as a regex alternation, longest first."""
    words = sorted(LEXICON["greetings"] - leave_out, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


_GREETING = re.compile(
    r"^\W*(?:@\w+\W+)*(?:" + greeting_words() + r")[ \t,]+(?P<name>\S.{0,80})", re.IGNORECASE)
# A placeholder that stands for a person's name.
_NAME_PLACEHOLDER = re.compile(r"^(?:" + PLACEHOLDER.pattern + ")", re.DOTALL)
_NAMEISH = re.compile(r"name|first|last|customer|requester|recipient|user|author|client|contact|member", re.I)
_NOT_NAMES = frozenset("there all everyone everybody folks friend friends team both again so for you".split())
_ROLES = LEXICON["customer_nouns"] | frozenset(("sir", "madam", "valued", "colleague", "colleagues", "donor", "donors"))


def names_customer(text: str) -> bool:
    """True when the reply's greeting names the customer, by name or by a name placeholder."""
    m = _GREETING.match(text)
    if not m:
        return False
    rest = m.group("name").strip().lstrip("@")
    placeholder = _NAME_PLACEHOLDER.match(rest)
    if placeholder:
        return bool(_NAMEISH.search(placeholder.group()))
    word = re.match(r"(?:(?:mr|mrs|ms|dr)\.?\s+)?([A-Z][\w'’-]+)", rest)
    # A role is no name: "Dear Parent", "Dear Valued Customer", "Hi Sir"
    return bool(word) and word.group(1).lower() not in _NOT_NAMES and word.group(1).lower() not in _ROLES
