"""YAML that remembers where each value came from, so errors can name file, line and key."""

from __future__ import annotations

from typing import Any

import yaml

from phraselint.errors import PhraselintError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located:
    """Parsed YAML data plus the line of every key and item, by path."""

    def __init__(self, data: Any, lines: dict[tuple, int], path: str):
        self.data = data
        self.lines = lines
        self.path = path

    def line(self, keys: tuple) -> int | None:
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return self.lines.get((), None)

    def error(self, keys: tuple, message: str) -> PhraselintError:
        return PhraselintError(message, self.path, self.line(tuple(keys)))


def _index(node: yaml.Node, keys: tuple, lines: dict[tuple, int], seen: set[int] | None = None) -> None:
    """Record the line of every key and item. An aliased node is indexed once: aliases share
    nodes, so a "billion laughs" document stays linear here."""
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    lines[keys] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            _index(value_node, keys + (key,), lines, seen)
            lines[keys + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, keys + (i,), lines, seen)


def load_located(text: str, path: str) -> Located:
    try:
        data = yaml.load(text, Loader=_Loader)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise PhraselintError(f"YAML syntax error: {problem}", path, line) from None
    except yaml.YAMLError as exc:
        raise PhraselintError(f"YAML error: {exc}", path) from None
    lines: dict[tuple, int] = {}
    if node is not None:
        _index(node, (), lines)
    return Located(data, lines, path)
