"""Configuration: phraselint.yaml, .phraselint.yaml or [tool.phraselint] in pyproject.toml,
found by walking up from the working folder, or given with --config. Validated strictly."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phraselint.errors import PhraselintError, brief_value, did_you_mean
from phraselint.model import FAIL_ON
from phraselint.regexes import compile_bounded
from phraselint.rules import SEVERITIES

CONFIG_NAMES = ("phraselint.yaml", ".phraselint.yaml", "pyproject.toml")

#: Every config key and what it holds. Nothing else is accepted.
KEYS = {
    "extends": "a config file (or list of them) this one builds on, relative to it",
    "select": "rule ids or categories to run (default: all)",
    "ignore": "rule ids or categories to skip",
    "severity": "a mapping of rule id or category to error, warning or suggestion",
    "rules": "extra rule files or folders, relative to the config file",
    "jargon": "your organisation's glossary: term -> plain alternative",
    "exclude": "glob patterns of paths not to lint",
    "fail-on": "error, warning, suggestion or never",
    "placeholders": "extra template-placeholder patterns (Python regexes) never to lint",
    "min-score": "a whole number 0-100: a reply scoring below it is a finding (coaching.score)",
}


@dataclass
class Config:
    path: str | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    rules: list[Path] = field(default_factory=list)
    jargon: dict[str, str] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    fail_on: str | None = None
    placeholders: list[str] = field(default_factory=list)
    min_score: int | None = None


def discover(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        return "[tool.phraselint" in path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def _read(path: Path) -> tuple[Any, Any]:
    """(data, locator) where locator(keys) gives the line of a key when known."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PhraselintError(f"cannot read config: {exc}", str(path)) from None
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise PhraselintError(f"TOML syntax error: {exc}", str(path)) from None
        tool = data.get("tool", {})
        section = tool.get("phraselint", {}) if isinstance(tool, dict) else {}
        return section, lambda keys: None
    from phraselint.yamlsrc import load_located

    located = load_located(text, str(path))
    return ({} if located.data is None else located.data), located.line


def _strings(value: Any, key: str, err) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise err((key,), f"'{key}' must be a list of strings")
    return value


def _mapping(value: Any, key: str, err) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise err((key,), f"'{key}' must map strings to strings")
    return value


#: How many configs an `extends` chain may hold (a guard against a runaway chain, not a style rule).
MAX_EXTENDS_DEPTH = 32


def load(path: Path, _seen: tuple = (), _loaded: dict | None = None) -> Config:
    """The config at `path`, its `extends` merged in. `_seen`: the chain that led here (a loop is
    an error); `_loaded`: the configs read so far in this load, each read once however many
    configs extend it (without it, a chain of configs that each extend the next twice took time
    exponential in its depth)."""
    _loaded = {} if _loaded is None else _loaded
    named = str(path)
    try:  # a name no file system takes ("a\0b", 5,000 characters, a loop of symlinks) is no file
        path = path.resolve()
        found = path.is_file()
    except (OSError, ValueError, RuntimeError) as exc:
        reason = "a loop of symbolic links" if isinstance(exc, RuntimeError) else \
            "a name with a NUL character" if isinstance(exc, ValueError) else exc.strerror or "unreadable"
        raise PhraselintError(f"config file cannot be opened: {reason}", named[:200]) from None
    if path in _seen:
        raise PhraselintError("config extends itself in a loop", str(path))
    if path in _loaded:
        return _loaded[path]
    if len(_seen) >= MAX_EXTENDS_DEPTH:
        raise PhraselintError(f"'extends' chain deeper than {MAX_EXTENDS_DEPTH} configs", str(path))
    if not found:
        raise PhraselintError("config file not found", str(path))
    data, line_of = _read(path)

    def err(keys: tuple, message: str) -> PhraselintError:
        return PhraselintError(message, str(path), line_of(keys))

    if not isinstance(data, dict):
        raise err((), "config must be a mapping of keys to values")
    for key in data:
        if key not in KEYS:
            raise err((key,), f"unknown config key '{brief_value(key)}'{did_you_mean(brief_value(key), KEYS)}")

    config = Config(path=str(path))
    for base in _strings(data.get("extends", []), "extends", err):
        config = _merge(load(path.parent / base, _seen + (path,), _loaded), config)
    if "select" in data:
        config.select = _strings(data["select"], "select", err)
        if not config.select:
            raise err(("select",), "'select' is empty: no rule would run (leave it out to run every rule)")
    if "ignore" in data:
        config.ignore = _strings(data["ignore"], "ignore", err)
    for sel, sev in _mapping(data.get("severity", {}), "severity", err).items():
        if sev not in SEVERITIES:
            raise err(("severity", sel), f"severity for '{brief_value(sel)}' must be one of {', '.join(SEVERITIES)}, "
                           f"got '{brief_value(sev)}'")
        config.severity[sel] = sev
    config.rules += [path.parent / p for p in _strings(data.get("rules", []), "rules", err)]
    config.jargon.update(_mapping(data.get("jargon", {}), "jargon", err))
    config.exclude += _strings(data.get("exclude", []), "exclude", err)
    for i, pattern in enumerate(_strings(data.get("placeholders", []), "placeholders", err)):
        try:
            compile_bounded(pattern)
        except ValueError as exc:
            raise err(("placeholders", i), f"bad placeholder pattern {pattern!r}: {exc}") from None
        config.placeholders.append(pattern)
    if "fail-on" in data:
        if data["fail-on"] not in FAIL_ON:
            raise err(("fail-on",), f"'fail-on' must be one of {', '.join(FAIL_ON)}")
        config.fail_on = data["fail-on"]
    if "min-score" in data:
        value = data["min-score"]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise err(("min-score",), "'min-score' must be a whole number from 0 to 100")
        config.min_score = value
    config.path = str(path)
    _loaded[path] = config
    return config


def _merge(child: Config, base: Config) -> Config:
    """`base` with every key `child` sets taking its place (dicts merge, paths add up)."""
    return Config(
        path=child.path,
        select=child.select if child.select is not None else base.select,
        ignore=_unique(base.ignore + child.ignore),  # two bases extending one config: each once
        severity={**base.severity, **child.severity},
        rules=_unique_paths(base.rules + child.rules),  # two bases extending one pack: read it once
        jargon={**base.jargon, **child.jargon},
        exclude=_unique(base.exclude + child.exclude),
        fail_on=child.fail_on or base.fail_on,
        placeholders=_unique(base.placeholders + child.placeholders),
        min_score=child.min_score if child.min_score is not None else base.min_score,
    )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _unique_paths(paths: list[Path]) -> list[Path]:
    seen, out = set(), []
    for p in paths:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def resolve(explicit: str | None, cwd: Path) -> Config:
    if explicit:
        return load(Path(explicit))
    found = discover(cwd)
    return load(found) if found else Config()
