"""`phraselint fix -i`: walk each finding, show it in context, and let the user pick a
suggestion by number, type their own, skip it, or quit (what was accepted is saved)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import click

from phraselint.fix import apply, raw_edit
from phraselint.formats import printable
from phraselint.model import Finding
from phraselint.suggest import shape

HELP = "number: apply that suggestion · e: type your own · s: skip · q (or Ctrl-D): save and quit"


def _shifted(pos: int, accepted: list[Finding]) -> int:
    """Where `pos` of the text is once the accepted edits (all elsewhere) are made."""
    return pos + sum(len(a.fix["replacement"]) - (a.fix["end_offset"] - a.fix["offset"])
                     for a in accepted if a.fix["end_offset"] <= pos)


class Reviewer:
    """Chooses the fixes of one file at a time, by asking. `ask(prompt, default)` returns the
    answer (click.prompt; tests drive it through click's runner)."""

    def __init__(self, console=None, ask: Callable[..., str] | None = None):
        from rich.console import Console

        self.console = console or Console(highlight=False, soft_wrap=True)
        self.ask = ask or (lambda prompt, default: click.prompt(prompt, default=default, show_default=True))
        self.quit = False

    def _show(self, f: Finding, text: str, options: list, accepted: list[Finding]) -> None:
        """The finding, its line as it reads with the edits accepted so far, and the choices."""
        from rich.text import Text

        current = apply(text, [a.fix for a in accepted])
        start, end = _shifted(f.offset, accepted), _shifted(f.end_offset, accepted)
        line_start = current.rfind("\n", 0, start) + 1
        line_end = current.find("\n", start)
        line = current[line_start:line_end if line_end >= 0 else None].rstrip("\r")
        shown = Text(printable(line))
        shown.stylize("bold reverse", start - line_start, min(end, line_start + len(line)) - line_start)
        self.console.print()
        self.console.print(Text(f"{printable(f.path)}:{f.line}:{f.column}", style="bold")
                           + Text(f"  {f.rule}", style="cyan") + Text(f"  {f.message}"))
        self.console.print(Text("  │ ") + shown)
        for n, s in enumerate(options, 1):
            label = "(delete)" if not s.text else s.text
            self.console.print(Text(f"  {n}. {label}") + Text(f"  [{s.safety}]", style="dim"))
        for s in f.anchor.offers:
            if s not in options:
                self.console.print(Text(f"  •  {s.text}") + Text("  [a sentence to adapt]", style="dim"))

    def _answer(self, count: int, default: str) -> str:
        choices = f"1-{count}/" if count > 1 else "1/" if count else ""
        while True:
            try:
                answer = self.ask(f"Apply? [{choices}e/s/q]", default).strip().lower()
            except click.exceptions.Abort:  # end of input or Ctrl-C: stop, keeping what was accepted
                return "q"
            if answer in ("e", "s", "q") or (answer.isdigit() and 1 <= int(answer) <= count):
                return answer
            self.console.print(f"  {HELP}")

    def choose(self, findings: list[Finding], text: str) -> list[Finding]:
        from rich.text import Text

        accepted: list[Finding] = []
        for f in findings:
            if self.quit:
                break
            if any(f.offset < a.fix["end_offset"] and a.fix["offset"] < f.end_offset for a in accepted):
                continue  # its text was just rewritten
            options = [s for s in f.anchor.offers if s.kind == "replace"]
            self._show(f, text, options, accepted)
            answer = self._answer(len(options), "1" if options and options[0].safety == "safe" else "s")
            if answer == "q":
                self.quit = True
                break
            if answer == "s":
                continue
            if answer == "e":
                try:
                    typed = self.ask(f"Replace “{f.match}” with", options[0].text if options else f.match)
                except click.exceptions.Abort:
                    self.quit = True
                    break
                wanted = shape(typed.strip(), f.match, f.anchor.sentence_start)
            else:
                wanted = options[int(answer) - 1].text
            edit = f.anchor.edit(wanted)
            fix = raw_edit(f.anchor.reply, edit, text) if edit else None
            if fix is None or any(fix["offset"] < a.fix["end_offset"] and a.fix["offset"] < fix["end_offset"]
                                  for a in accepted):
                self.console.print("  [yellow]cannot apply that here (it would touch markup, a placeholder "
                                   "or another edit); skipped[/]", markup=True)
                continue
            accepted.append(dataclasses.replace(f, fix=fix, edit=edit))
            preview = apply(text, [a.fix for a in accepted])
            at = _shifted(fix["offset"], accepted[:-1])
            start = preview.rfind("\n", 0, at) + 1
            end = preview.find("\n", at + len(fix["replacement"]))
            after = printable(preview[start:end if end >= 0 else None].rstrip("\r"))
            self.console.print(Text("  → ", style="green") + Text(after))
        return accepted
