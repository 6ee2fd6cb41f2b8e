"""The garbage collector during a one-shot run's start-up.

A cold check allocates hundreds of thousands of objects that live as long as the process
(spaCy's modules, the rules, the matchers) and frees almost none, so each full collection in
it walks them all for nothing: about a tenth of the check. The CLI pauses the collector
(`pause`) until the first engine is built (`resume`, called by the linter; a server resumes it
as it starts serving): what exists then is frozen, out of every later collection's way (and
pages a fork shares stay shared), and collection goes on as usual. A command that builds no
engine gets it back as it ends (`restore`). A library caller's collector is never touched:
`resume` and `restore` act only after `pause`.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Pause the collector until `resume`: for a process that runs one job and exits."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """If `pause` paused the collector: freeze what exists and collect again from now on."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def restore() -> None:
    """If `pause` paused the collector and nothing resumed it: collect again, freezing nothing."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
