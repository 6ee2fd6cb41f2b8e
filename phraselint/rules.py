"""Rule packs: load YAML rule files, validate them strictly, and select rules.

The format is documented in rules/README.md. One rule is one self-contained unit: id,
category, severity, message, why, match, context, suggestions and examples together.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phraselint import cache, context
from phraselint.errors import PhraselintError, brief_value, did_you_mean
from phraselint.regexes import compile_bounded
from phraselint.yamlsrc import Located, load_located

SEVERITIES = ("error", "warning", "suggestion")
SAFETIES = ("safe", "review")
#: replace: a rewrite of the matched words; sentence: a sentence to write instead, kept as written.
SUGGESTION_KINDS = ("replace", "sentence")
MATCH_ATTRS = ("norm", "lower", "orth")
#: What `match.extend` may widen a finding's span to: the words these context conditions found.
EXTENDS = ("subject", "preceded_by", "followed_by", "verb")
PIPES = ("tagger", "parser", "morphologizer", "lemmatizer", "ner", "senter")
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def builtin_packs_dir() -> Path:
    """The default packs: installed as phraselint/packs, or rules/ beside a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "packs"
    return installed if installed.is_dir() else here.parent / "rules"


@dataclass(frozen=True)
class Suggestion:
    text: str
    safety: str = "review"
    kind: str = "replace"


@dataclass(frozen=True)
class Example:
    text: str
    match: str | None = None
    #: What `phraselint fix` makes of the text (flag examples of rules with a safe fix).
    fixed: str | None = None


@dataclass
class Match:
    phrases: list[str] = field(default_factory=list)
    glossary: dict[str, str] = field(default_factory=dict)
    patterns: list[list[dict]] = field(default_factory=list)
    regex: list[str] = field(default_factory=list)
    attr: str = "norm"
    extend: tuple[str, ...] = ()

    def all_phrases(self) -> list[str]:
        return self.phrases + list(self.glossary)


@dataclass
class Rule:
    id: str
    category: str
    severity: str
    message: str
    why: str
    match: Match
    context: dict[str, Any]
    suggestions: list[Suggestion]
    flag_examples: list[Example]
    pass_examples: list[Example]
    requires: list[str]
    source: str
    line: int | None
    #: A reply-level rule: the name of its check (in the analyzer's vocabulary), its weight in
    #: the reply score, and its options (defaults filled in). None for a phrase rule.
    check: str | None = None
    weight: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    #: Runs only when selected by its own id (`--select jargon.acronym_unexplained`): a rule whose
    #: precision on new text is too low for every run, kept for the teams that want it.
    opt_in: bool = False

    @property
    def scope(self) -> str:
        return "reply" if self.check else "phrase"

    def with_severity(self, severity: str) -> Rule:
        import copy

        clone = copy.copy(self)
        clone.severity = severity
        return clone


# ---------------------------------------------------------------- validation helpers


class _Checker:
    """Validates one pack file, raising errors that name file, line and key."""

    def __init__(self, located: Located):
        self.src = located
        self.expanded = 0  # phrases the pack's combos made so far

    def fail(self, keys: tuple, message: str) -> PhraselintError:
        return self.src.error(keys, message)

    def keys(self, value: Any, keys: tuple, allowed: dict[str, bool], what: str) -> dict:
        """`allowed` maps key -> required."""
        if not isinstance(value, dict):
            raise self.fail(keys, f"{what} must be a mapping, got {type(value).__name__}")
        for key in value:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                raise self.fail(keys + (key,), f"unknown key '{brief_value(key)}' in {what}{hint}")
        for key, required in allowed.items():
            if required and key not in value:
                raise self.fail(keys, f"{what} is missing the required key '{key}'")
        return value

    def string(self, value: Any, keys: tuple, *, one_line: bool = False) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(keys, f"'{keys[-1]}' must be a non-empty string")
        if one_line and "\n" in value.strip():
            raise self.fail(keys, f"'{keys[-1]}' must fit on one line")
        return value.strip()

    def choice(self, value: Any, keys: tuple, choices: tuple) -> str:
        if value not in choices:
            shown = brief_value(value)
            hint = did_you_mean(shown, choices)
            raise self.fail(keys, f"'{keys[-1]}' must be one of {', '.join(choices)}, got '{shown}'{hint}")
        return value

    def strings(self, value: Any, keys: tuple) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            hint = ""
            if isinstance(value, list) and any(isinstance(v, bool) for v in value):
                hint = " (YAML reads on, off, yes and no as true/false: quote them)"
            raise self.fail(keys, f"'{keys[-1]}' must be a list of non-empty strings{hint}")
        return [v.strip() for v in value]


#: Limits that keep a pack from costing unbounded memory or time: its combos' expansion (all of
#: them together), and a token pattern's quantifiers.
MAX_COMBO_PHRASES = 20_000
MAX_QUANTIFIER = 10
MAX_OPTIONAL_TOKENS = 8
#: Token attributes that a blank pipeline never sets: a pattern on them needs `requires:`.
_PIPELINE_ATTRS = {"POS": "tagger", "TAG": "tagger", "DEP": "parser", "LEMMA": "lemmatizer", "MORPH": "morphologizer",
                   "ENT_TYPE": "ner", "ENT_IOB": "ner", "SENT_START": "senter", "IS_SENT_START": "senter"}
_QUANTIFIER = re.compile(r"^(?:[!?+*]|\{(\d*)(?:,(\d*))?\})$")


def _check_token_spec(c: _Checker, spec: dict, keys: tuple) -> None:
    """A token spec's keys and quantifier, checked at load: no custom `_` attributes (none is
    registered), no quantifier beyond MAX_QUANTIFIER repeats."""
    if "_" in spec:
        raise c.fail(keys + ("_",), "custom attributes ('_') are not available in token patterns")
    op = spec.get("OP")
    if op is not None:
        m = _QUANTIFIER.match(str(op))
        if not m:
            raise c.fail(keys + ("OP",), f"unknown OP '{brief_value(op)}': use !, ?, {{n}} or {{n,m}}")
        if any(g and int(g) > MAX_QUANTIFIER for g in m.groups()):
            raise c.fail(keys + ("OP",), f"a quantifier may repeat at most {MAX_QUANTIFIER} times")
    for key, value in spec.items():
        if isinstance(value, dict) and "REGEX" in value:
            try:
                compile_bounded(str(value["REGEX"]))
            except ValueError as exc:
                raise c.fail(keys + (key, "REGEX"), f"bad regex '{brief_value(value['REGEX'])}': {exc}") from None


def _check_token_pattern(c: _Checker, pattern: list, keys: tuple) -> None:
    """A token pattern's quantifiers, together: spaCy's matcher keeps every way a pattern can
    still match, and returns every match. An open quantifier (`*`, `+`, `{n,}`) matches every
    run of tokens it can, a number of matches the square of the text's length (one `+` took 43 s
    and 1 GB on 2,000 words): refused; `{n,m}` bounds it. Each optional token doubles the ways,
    so a pattern holds at most MAX_OPTIONAL_TOKENS (`?`; `{n,m}` counts m - n)."""
    optional = 0
    for spec in pattern:
        m = _QUANTIFIER.match(str(spec.get("OP", "!")))
        op = m.group(0)
        if op in ("*", "+") or m.group(2) == "":
            raise c.fail(keys, f"open quantifier '{op}': a token pattern's matches would grow with the square of "
                               f"the text; use {{n,m}} with m at most {MAX_QUANTIFIER}")
        if op == "?":
            optional += 1
        elif m.group(2):
            optional += int(m.group(2)) - int(m.group(1) or 0)
    if optional > MAX_OPTIONAL_TOKENS:
        raise c.fail(keys, f"a token pattern may hold at most {MAX_OPTIONAL_TOKENS} optional tokens (? or {{n,m}}, "
                           "which counts m - n): each doubles the matcher's work")


def _needs(pattern_list: list) -> set[str]:
    """The pipeline components a rule's token patterns read."""
    return {_PIPELINE_ATTRS[k] for pattern in pattern_list for spec in pattern for k in spec if k in _PIPELINE_ATTRS}


def _parse_match(c: _Checker, value: Any, keys: tuple) -> Match:
    allowed = {"phrases": False, "combos": False, "glossary": False, "patterns": False, "regex": False,
               "attr": False, "extend": False}
    c.keys(value, keys, allowed, "match")
    m = Match(attr=c.choice(value.get("attr", "norm"), keys + ("attr",), MATCH_ATTRS))
    if "extend" in value:
        extend = c.strings(value["extend"], keys + ("extend",))
        m.extend = tuple(c.choice(e, keys + ("extend", i), EXTENDS) for i, e in enumerate(extend))
    if "phrases" in value:
        m.phrases = c.strings(value["phrases"], keys + ("phrases",))
    combos = value.get("combos", []) or []
    if not isinstance(combos, list):
        raise c.fail(keys + ("combos",), "'combos' must be a list of combos, each a list of slots")
    for i, combo in enumerate(combos):
        ck = keys + ("combos", i)
        if not isinstance(combo, list) or not combo:
            raise c.fail(ck, "each combo must be a list of slots, each slot a list of alternatives")
        slots = [c.strings(slot, ck + (j,)) for j, slot in enumerate(combo)]
        c.expanded += math.prod(len(slot) for slot in slots)
        if c.expanded > MAX_COMBO_PHRASES:
            raise c.fail(ck, f"a pack's combos may expand to at most {MAX_COMBO_PHRASES:,} phrases in all")
        m.phrases.extend(_expand(slots))
    if "glossary" in value:
        g = value["glossary"]
        if not isinstance(g, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in g.items()):
            raise c.fail(keys + ("glossary",), "'glossary' must map each term to its plain alternative")
        m.glossary = {k.strip(): v.strip() for k, v in g.items()}
    patterns = value.get("patterns", []) or []
    if not isinstance(patterns, list):
        raise c.fail(keys + ("patterns",), "'patterns' must be a list of patterns, each a list of token specs")
    for i, pattern in enumerate(patterns):
        if not isinstance(pattern, list) or not all(isinstance(t, dict) for t in pattern) or not pattern:
            raise c.fail(keys + ("patterns", i), "each pattern must be a non-empty list of token specs (mappings)")
        for j, spec in enumerate(pattern):
            _check_token_spec(c, spec, keys + ("patterns", i, j))
        _check_token_pattern(c, pattern, keys + ("patterns", i))
        m.patterns.append(pattern)
    if "regex" in value:
        m.regex = c.strings(value["regex"], keys + ("regex",))
        for i, rx in enumerate(m.regex):
            try:
                compile_bounded(rx)
            except ValueError as exc:
                raise c.fail(keys + ("regex", i), f"bad regex '{brief_value(rx)}': {exc}") from None
    if not (m.phrases or m.glossary or m.patterns or m.regex):
        raise c.fail(keys, "match needs at least one of phrases, combos, glossary, patterns or regex")
    return m


def _expand(slots: list[list[str]]) -> list[str]:
    phrases = [""]
    for slot in slots:
        phrases = [f"{p} {alt}".strip() for p in phrases for alt in slot]
    return phrases


def _parse_suggestions(c: _Checker, value: Any, keys: tuple) -> list[Suggestion]:
    if not isinstance(value, list):
        raise c.fail(keys, "'suggestions' must be a list")
    out = []
    for i, item in enumerate(value):
        ik = keys + (i,)
        if isinstance(item, str):
            out.append(Suggestion(c.string(item, ik)))
            continue
        c.keys(item, ik, {"text": True, "safety": False, "kind": False}, "suggestion")
        text = item["text"]
        if not isinstance(text, str):
            raise c.fail(ik + ("text",), "suggestion 'text' must be a string (\"\" means: delete the match)")
        out.append(Suggestion(text.strip(),
                              c.choice(item.get("safety", "review"), ik + ("safety",), SAFETIES),
                              c.choice(item.get("kind", "replace"), ik + ("kind",), SUGGESTION_KINDS)))
    return out


def _parse_examples(c: _Checker, value: Any, keys: tuple) -> tuple[list[Example], list[Example]]:
    c.keys(value, keys, {"flag": False, "pass": False}, "examples")
    lists = []
    for kind in ("flag", "pass"):
        items = value.get(kind, []) or []
        if not isinstance(items, list):
            raise c.fail(keys + (kind,), f"'{kind}' must be a list")
        parsed = []
        for i, item in enumerate(items):
            ik = keys + (kind, i)
            if isinstance(item, str):
                parsed.append(Example(c.string(item, ik)))
            else:
                allowed = {"text": True, "match": False, **({"fixed": False} if kind == "flag" else {})}
                c.keys(item, ik, allowed, "example")
                match = c.string(item["match"], ik + ("match",)) if "match" in item else None
                text = c.string(item["text"], ik + ("text",))
                if match and match not in text:
                    raise c.fail(ik + ("match",), f"example match {match!r} does not occur in its text")
                fixed = c.string(item["fixed"], ik + ("fixed",)) if "fixed" in item else None
                parsed.append(Example(text, match, fixed))
        lists.append(parsed)
    return lists[0], lists[1]


_RULE_KEYS = {"id": True, "category": False, "severity": True, "message": True, "why": True, "match": False,
              "check": False, "weight": False, "options": False, "opt_in": False,
              "context": False, "suggestions": False, "examples": False, "requires": False}
#: Keys only a phrase rule (`match`) or only a reply-level rule (`check`) may have.
_PHRASE_ONLY = ("match", "context", "requires")
_REPLY_ONLY = ("check", "weight", "options")


@dataclass(frozen=True)
class Vocabulary:
    """What a reply-level analyzer accepts in the packs: its checks (name -> option defaults)
    and its signal lists. The analyzer gives it (`phraselint.coaching.VOCABULARY`), so this
    module knows no analyzer. Without one, packs are read leniently: check names, options and
    signal names are taken as written (enough to list rules and run phrase rules)."""

    checks: dict[str, dict[str, Any]]
    signals: tuple[str, ...]


def _parse_check(c: _Checker, value: dict, keys: tuple, vocabulary: Vocabulary | None) -> tuple[str, int, dict]:
    if vocabulary is None:
        name = c.string(value["check"], keys + ("check",))
    else:
        name = c.choice(value["check"], keys + ("check",), tuple(vocabulary.checks))
    weight = value.get("weight", 0)
    if isinstance(weight, bool) or not isinstance(weight, int) or not 0 <= weight <= 100:
        raise c.fail(keys + ("weight",), "'weight' must be a whole number from 0 to 100")
    options = value.get("options", {}) or {}
    if vocabulary is None:
        if not isinstance(options, dict):
            raise c.fail(keys + ("options",), "'options' must be a mapping")
        return name, weight, dict(options)
    defaults = vocabulary.checks[name]
    c.keys(options, keys + ("options",), dict.fromkeys(defaults, False), f"options of check '{name}'")
    for key, given in options.items():
        default = defaults[key]
        if type(given) is not type(default):
            raise c.fail(keys + ("options", key), f"option '{key}' must be a {type(default).__name__}")
        if key == "min_severity":
            c.choice(given, keys + ("options", key), SEVERITIES)
        if key == "answered":
            c.choice(given, keys + ("options", key), SEVERITIES + ("off",))
    return name, weight, {**defaults, **options}


def _parse_rule(c: _Checker, value: Any, keys: tuple, default_category: str | None,
                vocabulary: Vocabulary | None = None) -> Rule:
    c.keys(value, keys, _RULE_KEYS, "rule")
    if ("match" in value) == ("check" in value):
        raise c.fail(keys, "a rule needs exactly one of 'match' (a phrase rule) or 'check' (a reply-level rule)")
    for key in _REPLY_ONLY if "match" in value else _PHRASE_ONLY:
        if key in value:
            raise c.fail(keys + (key,), f"'{key}' belongs to {'reply-level' if key in _REPLY_ONLY else 'phrase'} "
                                        f"rules only")
    check, weight, options = _parse_check(c, value, keys, vocabulary) if "check" in value else (None, 0, {})
    rule_id = c.string(value["id"], keys + ("id",))
    if not _ID.match(rule_id):
        raise c.fail(keys + ("id",), f"rule id '{rule_id}' must be dotted lower-case words, e.g. refusal.cant")
    category = value.get("category") or default_category or rule_id.split(".")[0]
    category = c.string(category, keys + ("category",))
    ctx = value.get("context", {}) or {}
    try:
        ctx = context.validate(ctx)
    except context.ConditionError as exc:
        raise c.fail(keys + ("context",) + exc.keys, str(exc)) from None
    flags, passes = _parse_examples(c, value.get("examples", {}) or {}, keys + ("examples",))
    requires = c.strings(value.get("requires", []) or [], keys + ("requires",)) if "requires" in value else []
    for i, pipe in enumerate(requires):
        c.choice(pipe, keys + ("requires", i), PIPES)
    match = _parse_match(c, value["match"], keys + ("match",)) if check is None else Match()
    missing = sorted(_needs(match.patterns) - set(requires))
    if missing:
        raise c.fail(keys + ("match", "patterns"), f"token patterns on {', '.join(missing)} attributes need "
                                                   f"'requires: [{', '.join(missing)}]' (and a --model that has it)")
    return Rule(
        id=rule_id,
        category=category,
        severity=c.choice(value["severity"], keys + ("severity",), SEVERITIES),
        message=c.string(value["message"], keys + ("message",), one_line=True),
        why=" ".join(c.string(value["why"], keys + ("why",)).split()),
        match=match,
        context=ctx,
        suggestions=_parse_suggestions(c, value.get("suggestions", []) or [], keys + ("suggestions",)),
        flag_examples=flags,
        pass_examples=passes,
        requires=requires,
        source=c.src.path,
        line=c.src.line(keys),
        check=check,
        weight=weight,
        options=options,
        opt_in=_opt_in(c, value.get("opt_in", False), keys + ("opt_in",)),
    )


def _opt_in(c: _Checker, value: Any, keys: tuple) -> bool:
    if not isinstance(value, bool):
        raise c.fail(keys, "'opt_in' takes true or false")
    return value


@dataclass
class Catalog:
    """Every rule of a run's packs, and the signal word lists the reply-level checks read."""

    rules: list[Rule] = field(default_factory=list)
    signals: dict[str, list[str]] = field(default_factory=dict)
    #: The categories of phrase rules the reply-level checks read (a pack's `reads:`), reported
    #: or not: `reads: [refusal]` lets the alternative check see every "no".
    reads: list[str] = field(default_factory=list)


def _parse_signals(c: _Checker, value: Any, vocabulary: Vocabulary | None) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise c.fail(("signals",), "'signals' must map signal names to lists of phrases")
    out = {}
    for name, phrases in value.items():
        if vocabulary is not None and name not in vocabulary.signals:
            raise c.fail(("signals", name), f"unknown signal '{brief_value(name)}'{did_you_mean(brief_value(name), vocabulary.signals)}")
        out[str(name)] = c.strings(phrases, ("signals", name))
    return out


def load_pack(path: Path) -> list[Rule]:
    return read_pack(path).rules


def read_pack(path: Path, vocabulary: Vocabulary | None = None) -> Catalog:
    """A pack's rules, signals and reads, validated (from the cache when it was read before:
    cache.py)."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PhraselintError(f"cannot read rule file: {exc}", str(path)) from None
    made_of = (b"pack", str(path).encode("utf-8", "surrogateescape"), raw, repr(vocabulary).encode())
    return cache.cached("pack", made_of, lambda: _parse_pack(text, path, vocabulary), valid=_a_catalog)


def _a_catalog(value: Any) -> bool:
    """A cache entry holds a pack as `_parse_pack` makes one."""
    return (isinstance(value, Catalog) and isinstance(value.rules, list)
            and all(isinstance(r, Rule) for r in value.rules)
            and isinstance(value.signals, dict) and isinstance(value.reads, list))


def _parse_pack(text: str, path: Path, vocabulary: Vocabulary | None) -> Catalog:
    src = load_located(text, str(path))
    c = _Checker(src)
    data = src.data
    if data is None:
        return Catalog()
    c.keys(data, (), {"category": False, "description": False, "signals": False, "reads": False, "rules": True},
           "rule file")
    if not isinstance(data["rules"], list):
        raise c.fail(("rules",), "'rules' must be a list of rules")
    default_category = c.string(data["category"], ("category",)) if "category" in data else None
    signals = _parse_signals(c, data["signals"], vocabulary) if "signals" in data else {}
    reads = c.strings(data["reads"], ("reads",)) if "reads" in data else []
    rules = [_parse_rule(c, item, ("rules", i), default_category, vocabulary) for i, item in enumerate(data["rules"])]
    return Catalog(rules, signals, reads)


def is_builtin(rule: Rule) -> bool:
    """Whether a rule comes from phraselint's own packs (not a team's pack or config)."""
    source = rule.source
    # (a relative path is read against the working directory of the moment: not remembered)
    return _builtin_source(source) if Path(source).is_absolute() else _builtin_source.__wrapped__(source)


@functools.lru_cache(maxsize=256)
def _builtin_source(source: str) -> bool:
    """`is_builtin` of a rule file, worked out once a file (a pack holds dozens of rules, and
    resolving two paths for each was a twentieth of building the engine)."""
    try:
        return Path(source).resolve().is_relative_to(builtin_packs_dir().resolve())
    except (OSError, ValueError, TypeError):
        return False


def pack_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if path.is_file():
        return [path]
    raise PhraselintError("rule file or folder not found", str(path))


def load_rules(extra: list[Path] = (), builtin: bool = True, vocabulary: Vocabulary | None = None) -> list[Rule]:
    """The default packs plus extra rule files or folders. Rule ids must be unique."""
    return load_catalog(extra, builtin, vocabulary).rules


def load_catalog(extra: list[Path] = (), builtin: bool = True, vocabulary: Vocabulary | None = None) -> Catalog:
    """The default packs plus extra rule files or folders: their rules (ids must be unique),
    their signals (each pack's words added to the lists of the same name) and what the
    reply-level checks read. `vocabulary`: the reply-level analyzer's, to validate its keys."""
    paths = pack_files(builtin_packs_dir()) if builtin else []
    for p in extra:
        paths.extend(pack_files(Path(p)))
    catalog = Catalog()
    rules = catalog.rules
    seen: dict[str, Rule] = {}
    for path in paths:
        pack = read_pack(path, vocabulary)
        for name, phrases in pack.signals.items():
            catalog.signals.setdefault(name, []).extend(phrases)
        catalog.reads.extend(r for r in pack.reads if r not in catalog.reads)
        for rule in pack.rules:
            if rule.id in seen:
                first = seen[rule.id]
                raise PhraselintError(
                    f"duplicate rule id '{rule.id}' (first defined in {first.source}:{first.line})",
                    rule.source, rule.line)
            seen[rule.id] = rule
            rules.append(rule)
    return catalog


def glossary_rule(glossary: dict[str, str], source: str) -> Rule:
    """The organisation's own jargon, from the config's `jargon` glossary, as a rule."""
    return Rule(
        id="jargon.glossary", category="jargon", severity="suggestion",
        message="Internal jargon: the customer may not know this term.",
        why="The guidance warns that even your organisation's jargon can have a negative effect on a "
            "customer interaction. Use the plain words the customer would use.",
        match=Match(glossary=dict(glossary), attr="lower"), context={}, suggestions=[],
        flag_examples=[], pass_examples=[], requires=[], source=source, line=None)


def names(selector: str, rule_id: str, category: str) -> bool:
    """Whether a selector (a rule id, a dotted id prefix or a category) names this rule. The one
    definition: --select/--ignore, severity overrides and suppression comments all use it."""
    return rule_id == selector or rule_id.startswith(selector + ".") or category == selector


def _selector_matches(selector: str, rule: Rule) -> bool:
    return names(selector, rule.id, rule.category)


def select_rules(rules: list[Rule], select: list[str] | None, ignore: list[str] | None,
                 origin: str = "select", known: list[Rule] | None = None, select_key: str = "select") -> list[Rule]:
    """Rules named by `select` (all when None; an opt-in rule only by its own id), minus those
    named by `ignore`.

    A selector is a rule id, a dotted id prefix or a category. One that names no rule of
    `known` (default: `rules`) is an error; one that names a known rule `rules` left out is not
    ("--ignore coaching" with a config that selects only "burden").
    """
    known = rules if known is None else known
    names_known = sorted({r.id for r in known} | {r.category for r in known})
    for kind, selectors in ((select_key, select), ("ignore", ignore)):
        for sel in selectors or []:
            if not any(_selector_matches(sel, r) for r in known):
                shown = brief_value(sel)
                raise PhraselintError(f"unknown rule id or category '{shown}' in {kind}{did_you_mean(shown, names_known)}",
                                      origin if origin != "select" else None)
    # An opt-in rule runs only when a selector names its own id: not by default, nor with its category.
    chosen = [r for r in rules if (r.id in (select or ()) if r.opt_in
                                   else select is None or any(_selector_matches(s, r) for s in select))]
    return [r for r in chosen if not any(_selector_matches(s, r) for s in ignore or [])]
