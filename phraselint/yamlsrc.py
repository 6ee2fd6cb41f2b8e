"""YAML that remembers where each value came from, so errors can name file, line and key."""

from __future__ import annotations

from typing import Any

import yaml

from phraselint.errors import PhraselintError

class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The one YAML loader of phraselint's own reading (configs, packs, reply libraries): safe,
    and a value Python cannot hold stays the text it was written as: a timestamp that is no date
    ("2001-02-30", or any timestamp: no field takes one) and an integer too long to convert."""

    def construct_mapping(self, node, deep=False):
        """A mapping, refused when a key is written twice (YAML forbids it; PyYAML would keep
        the last silently, a hand-written parser the first). Keys a merge (`<<: *base`) brings
        may be overridden."""
        checked = self.__dict__.setdefault("_unique", set())
        if isinstance(node, yaml.MappingNode) and id(node) not in checked:
            checked.add(id(node))  # (a merge adds the merged keys to the node once constructed)
            seen = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if (key.tag, key.value) in seen:
                        raise yaml.constructor.ConstructorError(None, None, f"duplicate key '{key.value}'",
                                                                key.start_mark)
                    seen.add((key.tag, key.value))
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # over Python's 4,300-digit limit
            return self.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_str)
Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
_Loader = Loader


class Located:
    """Parsed YAML data plus its node tree, to find the line of any key or item by path.

    Lines are looked up on demand by walking down the path (a rule's line, an error's line):
    indexing every node up front cost more than parsing a large pack.
    """

    def __init__(self, data: Any, node: yaml.Node | None, path: str):
        self.data = data
        self.node = node
        self.path = path

    def line(self, keys: tuple) -> int | None:
        """The line of the deepest key or item along `keys` that exists (a mapping key's own
        line; a sequence item's first line)."""
        node = self.node
        if node is None:
            return None
        line = node.start_mark.line + 1
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value
                              if (k.value if isinstance(k, yaml.ScalarNode) else str(k.value)) == key), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def error(self, keys: tuple, message: str) -> PhraselintError:
        return PhraselintError(message, self.path, self.line(tuple(keys)))


def load_located(text: str, path: str) -> Located:
    """Parse once: compose the node tree, then construct the data from it."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise PhraselintError(f"YAML syntax error: {problem}", path, line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (a raw ESC): its line, not its position
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise PhraselintError(f"YAML error: unacceptable character #x{exc.character:04x}", path, line) from None
    except yaml.YAMLError as exc:
        raise PhraselintError(f"YAML error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                              path) from None
    finally:
        loader.dispose()
    return Located(data, node, path)
