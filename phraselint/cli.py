"""The command line: click commands only. The work is done in lint.py, rules.py and formats/."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click

from phraselint import __version__, collector, formats, readers
from phraselint.errors import QUIET, PhraselintError, brief, printable_text, read_capped, say, shown_path
from phraselint.model import FAIL_ON, Report

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: A customer's message is one message: more than this is not one (and `/dev/zero` never ends).
MAX_INCOMING_BYTES = 1_000_000


def _split(values: tuple[str, ...]) -> list[str] | None:
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return items or None


def _fail(message: str) -> None:
    say(message)
    sys.exit(EXIT_ERROR)


def guarded(command):
    """Turn a PhraselintError into one line on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except PhraselintError as exc:
            _fail(str(exc))

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="phraselint")
def cli() -> None:
    """Lint customer-service replies for words that make an upset customer angrier."""


def _config_option(f):
    return click.option("--config", "config_path", metavar="PATH",
                        help="Config file (default: phraselint.yaml, .phraselint.yaml or pyproject.toml, "
                             "found by walking up from the working folder).")(f)


def _rules_option(f):
    return click.option("--rules", "rule_paths", multiple=True, metavar="PATH",
                        help="Extra rule file or folder (repeatable).")(f)


def _run_options(f):
    """The options `check` and `fix` share: which rules, which pipeline, how to read inputs."""
    for option in reversed([
        click.option("--select", multiple=True, metavar="IDS", help="Only these rule ids or categories (comma-separated)."),
        click.option("--extend-select", multiple=True, metavar="IDS", expose_value=False, callback=_remember,
                     help="Add these rule ids or categories to the config's (or --select's) selection."),
        click.option("--ignore", multiple=True, metavar="IDS", help="Skip these rule ids or categories (comma-separated)."),
        _config_option,
        _rules_option,
        click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
                     help="Lowest severity that makes the exit code 1 [default: warning]."),
        click.option("--model", metavar="NAME_OR_PATH",
                     help="An installed trained spaCy pipeline to use instead of the blank one."),
        click.option("--input-format", type=click.Choice(readers.names()), help="Read every input as this format."),
        click.option("--column", metavar="NAME", help="CSV: the column that holds the reply text."),
    ]):
        f = option(f)
    return f


def _coaching_options(f):
    """The options of the reply-level checks, for `check` and `score`."""
    f = click.option("--min-score", type=click.IntRange(0, 100), metavar="N",
                     help="A reply scoring below N is a finding (coaching.score) at the --fail-on level.")(f)
    return click.option("--incoming", "incoming_path", metavar="FILE",
                        help="The customer's message the replies answer (it tells the checks there is a problem).")(f)


def _report_options(f):
    """How `check` reports, as ruff's users expect: kept in the context (`_prefs`), so the
    command's own parameters stay the run's."""
    for option in reversed([
        click.option("--exit-zero", is_flag=True, expose_value=False, callback=_remember,
                     help="Exit 0 even when findings remain (2 still means an error)."),
        click.option("--statistics", is_flag=True, expose_value=False, callback=_remember,
                     help="Print a count per rule instead of the findings."),
        click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_remember,
                     help="Print the findings only: no summary, no notes on stderr (errors still)."),
        click.option("--color", type=click.Choice(("auto", "always", "never")), default="auto", expose_value=False,
                     callback=_remember, help="Colour in the text format (auto: on a terminal, unless NO_COLOR)."),
        click.option("--stdin-filename", metavar="NAME", expose_value=False, callback=_remember,
                     help="The name of the text read from - : its extension picks the format, and findings show it."),
    ]):
        f = option(f)
    return f


def _prefs() -> dict:
    ctx = click.get_current_context(silent=True)
    return ctx.meta if ctx else {}


def _statistics(report: Report, out: TextIO, as_json: bool = False) -> None:
    """`  12  refusal.cant  [*]  A flat refusal …`: findings per rule, most first; with `as_json`
    (a machine format asked for), one JSON document of the same counts, as ruff gives them."""
    from phraselint.errors import printable

    for _ in report.findings:
        pass
    tally = report.tally()
    counts = sorted(tally.rules.items(), key=lambda kv: (-kv[1], kv[0]))
    if as_json:
        import json

        out.write(json.dumps([{"rule": rule, "count": n, "fixable": bool(tally.fixable[rule]),
                               "message": tally.messages[rule]} for rule, n in counts], indent=2) + "\n")
        return
    for rule, n in counts:
        out.write(f"{n:>6}  {rule}  {'[*]' if tally.fixable[rule] else '   '}  {printable(tally.messages[rule])}\n")


def _incoming(path: str | None, paths: tuple[str, ...] = ()) -> str | None:
    """The text of --incoming FILE (- : stdin, when the replies come from files)."""
    if path is None:
        return None
    from phraselint.inputs import decode

    if path == "-" and "-" in paths:
        raise click.UsageError("--incoming - and a reply on stdin cannot both read stdin")
    data = read_capped(path, MAX_INCOMING_BYTES, "the incoming message")
    shown = "stdin" if path == "-" else path
    if b"\0" in data[:8192]:
        raise PhraselintError("cannot read the incoming message: not text (a binary file)", shown)
    return decode(shown, data, say).text


def _remember(ctx, param, value):
    """Keeps an option in the context rather than as a command parameter (--extend-select and
    `check`'s report options), so the commands' signatures stay the run's."""
    ctx.meta[param.name] = value
    return value


def _settings(select, ignore, config_path, rule_paths, model, input_format, column, **extra):
    from phraselint import config as config_mod
    from phraselint.lint import Settings

    config = config_mod.resolve(config_path, Path.cwd())
    ctx = click.get_current_context(silent=True)
    extend = _split(ctx.meta.get("extend_select", ())) if ctx else None
    return Settings(config=config, select=_split(select), ignore=_split(ignore) or [], extend_select=extend or [],
                    rule_paths=[Path(p) for p in rule_paths], model=model, input_format=input_format,
                    read_options=readers.ReadOptions(column=column, placeholders=tuple(config.placeholders)),
                    **extra)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "--output-format", "output_format", type=click.Choice(formats.FORMATS),
              default="text", show_default=True, help="Output format.")
@_run_options
@click.option("--output-file", "-o", metavar="PATH", help="Write the report to this file instead of stdout.")
@click.option("--baseline", metavar="FILE", help="Report only findings that are not in this baseline.")
@click.option("--write-baseline", is_flag=True, help="Record today's findings in the --baseline file.")
@click.option("--report-unused-suppressions", is_flag=True, help="List suppression comments that silenced nothing.")
@click.option("--min-severity", type=click.Choice(("suggestion", "warning", "error")), default=None,
              help="Hide findings below this level (reply scores are still computed).")
@_coaching_options
@_report_options
@guarded
def check(paths, output_format, select, ignore, config_path, rule_paths, fail_on, model, input_format,
          column, output_file, baseline, write_baseline, report_unused_suppressions, min_severity, min_score,
          incoming_path) -> None:
    """Check replies: files, folders (recursively) or - for stdin.

    Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, config, rule-file or
    input error.
    """
    from phraselint import baseline as baseline_mod
    from phraselint.lint import check as run_check
    from phraselint.model import FindingStream, at_least, fails

    if write_baseline and not baseline:
        raise click.UsageError("--write-baseline needs --baseline FILE")
    _refuse_overwriting_inputs(paths, output_file, baseline if write_baseline else None)
    paths = _stdin_or_paths(paths)
    prefs = _prefs()
    if prefs.get("color") in ("always", "never"):  # rich reads these
        os.environ["FORCE_COLOR" if prefs["color"] == "always" else "NO_COLOR"] = "1"
        os.environ.pop("NO_COLOR" if prefs["color"] == "always" else "FORCE_COLOR", None)
    QUIET[0] = bool(prefs.get("quiet"))  # per run: a long-lived process may run several
    stdin_name = prefs.get("stdin_filename")
    if stdin_name and "-" in paths and input_format is None:
        input_format = readers.extensions().get(Path(stdin_name).suffix.lower())
    settings = _settings(select, ignore, config_path, rule_paths, model, input_format, column,
                         report_unused_suppressions=report_unused_suppressions, min_score=min_score,
                         fail_on=fail_on, incoming=_incoming(incoming_path, paths), stdin_name=stdin_name)
    config = settings.config
    _refuse_overwriting_inputs((), output_file, baseline if write_baseline else None,
                               read=[config.path, *map(str, config.rules), *rule_paths, incoming_path,
                                     None if write_baseline else baseline])
    known = baseline_mod.load(baseline) if baseline and not write_baseline else None
    with _progress(output_file) as progress:
        report = run_check(list(paths) or ["."], settings, progress=progress, stream=True)
        # Stages over the stream, in order; the output reads it, file by file.
        findings = report.findings
        if min_severity:
            findings = (f for f in findings if at_least(f.severity, min_severity))
        if write_baseline:
            n = baseline_mod.write(baseline, findings)
            say(f"wrote {n} finding(s) to the baseline {baseline}")
            findings = ()
        elif known is not None:
            findings = baseline_mod.new_findings(findings, known)
        report.findings = FindingStream(findings)
        if prefs.get("statistics"):  # a machine format keeps stdout one document of its kind
            as_json = output_format in ("json", "sarif")
            _write_out(lambda r, out: _statistics(r, out, as_json), report, output_file)
        else:
            _write_out(formats.get(output_format).write, report, output_file)
    if report.errors:
        sys.exit(EXIT_ERROR)
    if prefs.get("exit_zero"):
        sys.exit(EXIT_OK)
    sys.exit(EXIT_FINDINGS if fails(report, fail_on or config.fail_on or "warning") else EXIT_OK)


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "--output-format", "output_format", type=click.Choice(("text", "json")),
              default="text", show_default=True, help="Output format.")
@_run_options
@_coaching_options
@guarded
def score(paths, output_format, select, ignore, config_path, rule_paths, fail_on, model, input_format, column,
          min_score, incoming_path) -> None:
    """Score every reply (0-100) and list them worst first: files, folders or - for stdin.

    Each line shows a reply's score and the coaching checks it misses; `phraselint check`
    shows the findings behind them. Exit codes: 0, or 1 when --min-score is given and a reply
    scores below it (unless --fail-on never); 2 usage, config or input error.
    """
    from phraselint.formats import scores
    from phraselint.lint import check as run_check

    settings = _settings(select, ignore, config_path, rule_paths, model, input_format, column,
                         min_score=min_score, fail_on=fail_on, incoming=_incoming(incoming_path, paths))
    paths = _stdin_or_paths(paths)
    with _progress(None) as progress:
        report = run_check(list(paths) or ["."], settings, progress=progress, stream=True)
        for _ in report.findings:  # the scores are made as the findings are
            pass
    floor = settings.floor
    scores.write(report, sys.stdout, output_format, floor)
    sys.stdout.flush()
    if report.errors:
        sys.exit(EXIT_ERROR)
    below = any(r.below(floor) for r in report.replies)
    sys.exit(EXIT_FINDINGS if below and settings.fail_level != "never" else EXIT_OK)


class _BinaryOut:
    """Text written to stdout as UTF-8 bytes, exactly: no newline translation, any locale. On a
    terminal, control characters from the text (an escape sequence in a macro) are shown as
    U+FFFD instead of being obeyed."""

    def __init__(self):
        try:
            self.terminal = sys.stdout.isatty()
        except (AttributeError, ValueError):
            self.terminal = False

    def write(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        if self.terminal:
            data = printable_text(data.decode("utf-8", errors="replace")).encode("utf-8")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes and write nothing.")
@click.option("--unsafe", is_flag=True, help="Also apply the first suggestion of rules whose rewrites need review.")
@click.option("-i", "--interactive", is_flag=True,
              help="Walk each finding: pick a suggestion by number, type your own, skip, or quit.")
@click.option("--include-read-only", is_flag=True, help="Also rewrite read-only files (left alone by default).")
@click.option("--format", "--output-format", "output_format", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="json: one JSON document on stdout saying what was (or, with --diff, would be) "
                                      "fixed, with each file's edits; a fixed stdin text is in it, not printed.")
@_run_options
@guarded
def fix(paths, diff, unsafe, interactive, include_read_only, output_format, select, ignore, config_path, rule_paths,
        fail_on, model, input_format, column) -> None:
    """Apply fixes to files, folders (recursively) or - (stdin to stdout).

    By default only safe fixes are applied: rewrites that need no judgement. Each file is
    rewritten atomically, keeping its encoding, BOM, line endings and permissions; a file that
    changed since it was read, or whose structure would change, is not written.

    Exit codes: 0 no phrase finding left at or above --fail-on, 1 phrase findings remain (with
    --diff: there are fixes to apply), 2 usage, config or input error. Reply-level findings
    (coaching) have no mechanical fix: `phraselint check` reports them.
    """
    from phraselint.fixfile import fix_paths
    from phraselint.model import Report, fails

    paths = list(_stdin_or_paths(paths)) or ["."]
    if interactive and ("-" in paths or diff or output_format == "json"):
        raise click.UsageError("--interactive reads answers from the terminal: it cannot take -, --diff or "
                               "--format json")
    if "-" in paths and STDOUT_CLOSED[0]:
        raise PhraselintError("stdout is closed: the fixed text would be lost", "stdin")
    settings = _settings(select, ignore, config_path, rule_paths, model, input_format, column)
    review = None
    if interactive:
        from phraselint.interactive import Reviewer

        review = Reviewer()
    note = say
    json_out = output_format == "json"
    result = fix_paths(paths, settings, note, _Discard() if json_out else _BinaryOut(), unsafe=unsafe, diff=diff,
                       review=review, read_only_too=include_read_only)
    if json_out:
        from phraselint.formats import fix_json

        fix_json.write(result, sys.stdout, dry_run=diff)
        sys.stdout.flush()
    say(result.summary(dry_run=diff))
    if result.errors:
        sys.exit(EXIT_ERROR)
    if diff:
        sys.exit(EXIT_FINDINGS if any(f.changed for f in result.files) else EXIT_OK)
    remaining = Report(findings=result.remaining)
    sys.exit(EXIT_FINDINGS if fails(remaining, fail_on or settings.config.fail_on or "warning") else EXIT_OK)


class _Discard:
    """Where `fix --format json` sends the fixed stdin text and diffs: the JSON document has them."""

    def write(self, text: str) -> None:
        pass

    def write_bytes(self, data: bytes) -> None:
        pass


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _refuse_overwriting_inputs(paths, *outputs: str | None, read=()) -> None:
    """A report or baseline written over a file the run reads would destroy it: refuse. `paths`:
    the files linted; `read`: the other files and folders it reads (the config, rule packs, the
    incoming message, the baseline compared with)."""
    for out in outputs:
        if not out or not os.path.exists(out):
            continue
        if any(p != "-" and _same_file(p, out) for p in paths):
            raise PhraselintError("refusing to write over a file being checked; choose another output path", out)
        real = os.path.realpath(out)
        for p in read:
            if p and p != "-" and (_same_file(p, out) or os.path.isdir(p) and _inside(real, os.path.realpath(p))):
                raise PhraselintError(f"refusing to write over {p}, which this run reads; choose another output path", out)


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def _piped(stream) -> bool:
    """Whether text is piped or redirected into `stream` (a pipe or a file), not a terminal or
    /dev/null (as in most CI jobs)."""
    import stat

    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (AttributeError, ValueError, OSError):  # no stream, or one without a descriptor
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def _stdin_or_paths(paths: tuple[str, ...]) -> tuple[str, ...]:
    """No path: the current folder when stdin is a terminal (or absent); with text piped in,
    say how to lint it rather than walking the folder (from /, the whole disk)."""
    if paths or not _piped(sys.stdin):
        return paths
    raise click.UsageError("no path given and stdin is not a terminal: lint stdin with '-' "
                           "('… | phraselint check -'), or name the files or folders to check")


def _write_out(write: Callable[[Report, TextIO], None], report: Report, output_file: str | None) -> None:
    """`write(report, out)` to stdout, or atomically to `output_file`, as it is made."""
    if not output_file:
        write(report, sys.stdout)
        sys.stdout.flush()
        return
    from phraselint.writes import stream_atomically

    stream_atomically(output_file, lambda out: write(report, out))


#: A progress bar appears only when more files than this are linted, on a terminal.
PROGRESS_MIN_FILES = 36


class _progress:
    """A rich progress bar on stderr while files are linted, when both stdout and stderr are
    terminals (none when output is piped or written to a file)."""

    def __init__(self, output_file: str | None):
        self.enabled = (not output_file and sys.stdout.isatty() and sys.stderr.isatty()
                        and not os.environ.get("CI"))
        self.bar = None

    def __enter__(self):
        return self.update if self.enabled else None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            if total <= PROGRESS_MIN_FILES:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("linting", total=total)
        self.bar.update(self.task, completed=done)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _load_active(config_path, rule_paths, *, known: bool = False):
    """The rules a check would run; with `known`, every rule it could run (opt-in ones too)."""
    from phraselint import config as config_mod
    from phraselint.lint import Settings, active_rules, known_catalog

    config = config_mod.resolve(config_path, Path.cwd())
    settings = Settings(config=config, rule_paths=[Path(p) for p in rule_paths])
    return known_catalog(settings).rules if known else active_rules(settings)


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_config_option
@_rules_option
@guarded
def list_rules(output_format, config_path, rule_paths) -> None:
    """List the active rules: id, severity and message."""
    rules = _load_active(config_path, rule_paths)
    if output_format == "json":
        rows = [{"id": r.id, "category": r.category, "severity": r.severity, "scope": r.scope,
                 **({"weight": r.weight} if r.scope == "reply" else {}), "message": r.message} for r in rules]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from phraselint.errors import printable

    width = max((len(r.id) for r in rules), default=0)
    for r in rules:
        click.echo(printable(f"{r.id:<{width}}  {r.severity:<10}  {r.message}"))


@cli.command("rule")
@click.argument("rule_id", required=False)
@click.option("--all", "all_rules", is_flag=True, help="Explain every rule, one after another.")
@_config_option
@_rules_option
@guarded
def show_rule(rule_id, all_rules, config_path, rule_paths) -> None:
    """Explain one rule (or, with --all, every rule): why it matters, examples, and what to
    write instead."""
    from phraselint.docs import rule_doc
    from phraselint.errors import did_you_mean

    rules = {r.id: r for r in _load_active(config_path, rule_paths)}
    if rule_id and rule_id not in rules:  # an opt-in rule, or one the config leaves out
        rules = {r.id: r for r in _load_active(config_path, rule_paths, known=True)}
    if all_rules == bool(rule_id):
        raise click.UsageError("give one RULE_ID, or --all")
    if all_rules:
        click.echo("\n\n".join(rule_doc(rule) for rule in rules.values()))
        return
    if rule_id not in rules:
        raise PhraselintError(f"unknown rule id '{brief(rule_id)}'{did_you_mean(brief(rule_id), rules)}")
    click.echo(rule_doc(rules[rule_id]))


def _server_options(f):
    for option in reversed([
        _config_option, _rules_option,
        click.option("--select", multiple=True, metavar="IDS",
                     help="Rule ids or categories to enable (comma-separated or repeated)."),
        click.option("--ignore", multiple=True, metavar="IDS",
                     help="Rule ids or categories to disable (comma-separated or repeated)."),
    ]):
        f = option(f)
    return f


def _serve(server: str, config_path, rule_paths, select, ignore) -> None:
    from phraselint import servers

    servers.serve(server, config=config_path, rules=list(rule_paths), select=_split(select),
                  ignore=_split(ignore) or [])


@cli.command()
@_server_options
@guarded
def lsp(config_path, rule_paths, select, ignore) -> None:
    """Run the language server on stdio, for editors (needs phraselint[lsp]).

    Without --config, each workspace's phraselint.yaml is found as `check` finds it.
    """
    _serve("lsp", config_path, rule_paths, select, ignore)


@cli.command()
@_server_options
@guarded
def mcp(config_path, rule_paths, select, ignore) -> None:
    """Run the MCP server on stdio, for AI agents (needs phraselint[mcp]).

    Without --config, the phraselint.yaml found from the current folder is used.
    """
    _serve("mcp", config_path, rule_paths, select, ignore)


STARTER_CONFIG = """\
# phraselint configuration: every key is optional. `phraselint config` shows the effective
# settings; `phraselint rules` lists the rules, `phraselint rule ID` explains one.

# extends: ../team-phraselint.yaml   # a base config (or a list); this file's keys win

# select: [refusal, burden, apology] # rule ids or categories to run (default: every rule)
# ignore: [condescension.minimizing] # rule ids or categories to skip

# severity:                          # error, warning or suggestion, by rule id or category
#   jargon: warning
#   refusal.you_cant: suggestion

# fail-on: warning                   # the lowest severity that fails a run (or never)
# min-score: 60                      # a reply scoring below this (0-100) is a finding

# rules: [house-rules/]              # your own rule packs, relative to this file

# jargon:                            # your organisation's glossary: term -> plain words
#   WidgetCare+: your support plan
#   L2: our specialist team

# placeholders: ['\\{\\{\\{[^}]+\\}\\}\\}']  # extra template placeholders (regexes) never to lint
# exclude: ["drafts/**"]             # paths not to lint (globs)
"""


@cli.command()
@click.argument("path", default="phraselint.yaml", required=False)
@click.option("--force", is_flag=True, help="Replace an existing file.")
@guarded
def init(path, force) -> None:
    """Write a commented starter config (default: ./phraselint.yaml)."""
    from phraselint.writes import write_atomically

    if Path(path).exists() and not force:
        raise PhraselintError("already exists; edit it, or pass --force to replace it", path)
    write_atomically(path, STARTER_CONFIG)
    say(f"wrote {path}: every key is commented out, so the defaults apply until you set one")


@cli.command("config")
@_config_option
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True)
@guarded
def show_config(config_path, output_format) -> None:
    """Show the effective configuration: which file, and every setting after `extends`."""
    from phraselint import config as config_mod
    from phraselint.errors import printable
    from phraselint.lint import Settings, active_rules

    config = config_mod.resolve(config_path, Path.cwd())
    rules = active_rules(Settings(config=config))
    doc = {"path": config.path, "select": config.select, "ignore": config.ignore, "severity": config.severity,
           "fail-on": config.fail_on or "warning", "min-score": config.min_score,
           "rules": [str(p) for p in config.rules], "jargon": config.jargon, "exclude": config.exclude,
           "placeholders": config.placeholders, "active_rules": len(rules)}
    if output_format == "json":
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    click.echo(f"# {printable(config.path) if config.path else 'no config file found: the defaults'}")
    for key, value in doc.items():
        if key != "path":
            click.echo(printable(f"{key}: {json.dumps(value, ensure_ascii=False)}"))


#: Whether the process began with stdout closed (`>&-`): see `_usable_streams`.
STDOUT_CLOSED = [False]


def _usable_streams() -> None:
    """Output that cannot fail on the console: a closed stdout becomes /dev/null (the exit code
    still tells), and characters the console's encoding lacks are replaced, not fatal."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
        STDOUT_CLOSED[0] = True
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def _terminate_cleanly() -> None:
    """SIGTERM and SIGHUP end the run as an exception does, so that a write in progress removes
    its temporary file (writes.py) instead of leaving it behind."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            try:
                signal.signal(getattr(signal, name), stop)
            except (ValueError, OSError):  # not the main thread, or not allowed here
                pass


def main() -> None:
    collector.pause()  # until the engine is built: a cold check's start-up is mostly allocation
    _usable_streams()
    _terminate_cleanly()
    try:
        code = cli.main(prog_name="phraselint", standalone_mode=False)
    except click.ClickException as exc:  # a usage error: one line, exit 2
        hint = f" (see '{exc.ctx.command_path} --help')" if getattr(exc, "ctx", None) else ""
        say(f"{exc.format_message()}{hint}")
        sys.exit(EXIT_ERROR)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("phraselint: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # `phraselint check … | head`: the reader left; that is fine
        sys.stderr.close()
        sys.exit(EXIT_ERROR)
    except OSError as exc:  # stdout full, cwd gone, a name no file system takes, …
        name = os.fsdecode(exc.filename) if isinstance(exc.filename, (str, bytes)) else None
        say(f"{brief(shown_path(name))}: {exc.strerror or exc}" if name else str(exc.strerror or exc))
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # a bug: still one line, never a traceback, unless asked for
        if os.environ.get("PHRASELINT_DEBUG"):
            raise
        say(f"internal error: {type(exc).__name__}: {exc} (set PHRASELINT_DEBUG=1 for a traceback)")
        sys.exit(EXIT_ERROR)
    finally:
        collector.restore()  # a command that built no engine, or `main()` called in a process
    sys.exit(code if isinstance(code, int) else EXIT_OK)
