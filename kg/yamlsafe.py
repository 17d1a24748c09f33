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
from typing import Any, Iterator

import yaml

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


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it
_NULLS = ("", "~", "null", "Null", "NULL")


def _where(where: str, event: yaml.Event) -> str:
    return f"{where}:{event.start_mark.line + 1}"


def _scalar(event: yaml.ScalarEvent) -> str | None:
    # A plain scalar has no style: None from the Python parser, "" from libyaml.
    if not event.style and event.value in _NULLS:
        return None
    return event.value


def _refuse_markup(event: yaml.Event, where: str) -> None:
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
        raise YAMLSyntaxError("anchors and aliases (&name, *name) are not allowed", where=_where(where, event))
    tag = getattr(event, "tag", None)
    # With implicit typing off, "!" means plain text; any other tag was written on purpose.
    if tag not in (None, "!"):
        raise YAMLSyntaxError(f"tags are not allowed ({tag})", where=_where(where, event))


def _build(events: Iterator[yaml.Event], where: str) -> Any:
    """Build one document from parser events. Anchors, aliases and tags are refused as their
    event arrives, before anything is built from them, so an alias bomb never expands."""
    root: list[Any] = []
    stack: list[Any] = []          # open LineDict / LineList containers
    pending_key: list[Any] = []    # per open mapping: the key awaiting its value, or _NO_KEY
    documents = 0
    for event in events:
        _refuse_markup(event, where)
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YAMLSyntaxError("several YAML documents in one file; write one", where=_where(where, event))
            continue
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            value = stack.pop()
            pending_key.pop()
            _attach(value, event, stack, pending_key, root, where)
            continue
        if isinstance(event, yaml.MappingStartEvent):
            value: Any = LineDict()
            value.key_lines = {}
        elif isinstance(event, yaml.SequenceStartEvent):
            value = LineList()
            value.item_lines = []
        else:
            _attach(_scalar(event), event, stack, pending_key, root, where)
            continue
        value.line = event.start_mark.line + 1
        stack.append(value)
        pending_key.append(_NO_KEY)
    return root[0] if root else None


_NO_KEY = object()


def _attach(value: Any, event: yaml.Event, stack: list[Any], pending_key: list[Any], root: list[Any],
            where: str) -> None:
    if not stack:
        root.append(value)
        return
    parent = stack[-1]
    line = event.start_mark.line + 1
    if isinstance(parent, LineList):
        parent.append(value)
        parent.item_lines.append(_start_line(value, line))
        return
    key = pending_key[-1]
    if key is _NO_KEY:
        if not isinstance(event, yaml.ScalarEvent):
            raise YAMLSyntaxError("mapping keys must be plain text", where=_where(where, event))
        key = event.value
        if key == "<<":
            raise YAMLSyntaxError("merge keys (<<) are not allowed", where=_where(where, event))
        if key in parent.key_lines:
            raise YAMLSyntaxError(
                f"duplicate key {key!r} (first on line {parent.key_lines[key]})", where=_where(where, event)
            )
        parent.key_lines[key] = line
        pending_key[-1] = key
        return
    parent[key] = value
    pending_key[-1] = _NO_KEY


def _start_line(value: Any, end_line: int) -> int:
    # A container is attached at its end event; its own line is where it started.
    return value.line if isinstance(value, (LineDict, LineList)) else end_line


def parse_yaml_text(text: str, where: str) -> Any:
    """Parse one YAML document into plain dicts, lists and strings (see module docstring)."""
    try:
        return _build(yaml.parse(text, Loader=_Loader), where)
    except YAMLSyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise YAMLSyntaxError(f"not valid YAML: {exc.problem or exc.context}", where=f"{where}{line}") from None
    except yaml.YAMLError as exc:
        raise YAMLSyntaxError(f"not valid YAML: {exc}", where=where) from None


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
