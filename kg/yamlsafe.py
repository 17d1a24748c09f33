"""Reading YAML written by people, strictly.

Case files and lexicons are read with PyYAML's safe loader, narrowed further:
* every scalar stays the text that was written (YAML 1.1 turns NO into False, 0123 into 83
  and 12:30 into 750); the schema that reads the value decides its type;
* tags, anchors and aliases are refused before anything is built, so no !!python object and
  no alias bomb gets constructed;
* a key given twice in one mapping is an error instead of the last one silently winning;
* every mapping and list remembers the line it starts on, for error messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kg.errors import YAMLSyntaxError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class LineDict(dict):
    """A mapping from YAML that knows its line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list from YAML that knows its line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def _line(node: Node) -> int:
    return node.start_mark.line + 1


_PLAIN_TAGS = {
    ScalarNode: "tag:yaml.org,2002:str",
    SequenceNode: "tag:yaml.org,2002:seq",
    MappingNode: "tag:yaml.org,2002:map",
}


def _build(node: Node, where: str) -> Any:
    # With implicit resolution off, any other tag was written explicitly (!!python/..., !!int).
    if node.tag != _PLAIN_TAGS.get(type(node)):
        raise YAMLSyntaxError(f"tags are not allowed ({node.tag})", where=f"{where}:{_line(node)}")
    if isinstance(node, ScalarNode):
        if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return node.value
    if isinstance(node, SequenceNode):
        items = LineList(_build(child, where) for child in node.value)
        items.line = _line(node)
        items.item_lines = [_line(child) for child in node.value]
        return items
    if isinstance(node, MappingNode):
        mapping = LineDict()
        mapping.line = _line(node)
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YAMLSyntaxError("mapping keys must be plain text", where=f"{where}:{_line(key_node)}")
            key = key_node.value
            if key == "<<":
                raise YAMLSyntaxError("merge keys (<<) are not allowed", where=f"{where}:{_line(key_node)}")
            if key in mapping.key_lines:
                raise YAMLSyntaxError(
                    f"duplicate key {key!r} (first on line {mapping.key_lines[key]})",
                    where=f"{where}:{_line(key_node)}",
                )
            mapping.key_lines[key] = _line(key_node)
            mapping[key] = _build(value_node, where)
        return mapping
    raise YAMLSyntaxError(f"unsupported YAML node {node.tag}", where=f"{where}:{_line(node)}")


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader that resolves no implicit types and refuses aliases while composing."""

    yaml_implicit_resolvers: dict = {}

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YAMLSyntaxError(
                "anchors and aliases (*name) are not allowed",
                where=f"{self.name}:{event.start_mark.line + 1}",
            )
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YAMLSyntaxError(
                "anchors and aliases (&name) are not allowed",
                where=f"{self.name}:{event.start_mark.line + 1}",
            )
        return super().compose_node(parent, index)


def parse_yaml_text(text: str, where: str) -> Any:
    """Parse one YAML document into plain dicts, lists and strings (see module docstring)."""
    loader = None
    try:
        loader = _PlainLoader(text)
        loader.name = where
        node = loader.get_single_node()
    except YAMLSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise YAMLSyntaxError(f"not valid YAML: {exc.problem or exc.context}", where=f"{where}{line}") from None
    except yaml.YAMLError as exc:
        raise YAMLSyntaxError(f"not valid YAML: {exc}", where=where) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None
    return _build(node, where)


def read_text_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a UTF-8 text file people wrote, refusing what is not text before decoding it."""
    where = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise YAMLSyntaxError("no such file", where=where) from None
    except OSError as exc:
        raise YAMLSyntaxError(f"cannot read: {exc.strerror}", where=where) from None
    if size > max_bytes:
        raise YAMLSyntaxError(f"file is {size} bytes, over the limit of {max_bytes}", where=where)
    data = path.read_bytes()
    if b"\x00" in data:
        raise YAMLSyntaxError("binary file (contains NUL bytes)", where=where)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YAMLSyntaxError("not UTF-8 text", where=f"{where}:{line}") from None


def load_yaml_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    return parse_yaml_text(read_text_file(path, max_bytes=max_bytes), str(path))
