"""Rendering query results as a table, JSON or CSV: data for stdout."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable, Iterable, Iterator

from kg.stores.base import QueryResult

FORMATS = ("table", "json", "csv")
_MAX_CELL = 60


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float):
        return f"{value:g}"
    return " ".join(str(value).split())


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def render_table(result: QueryResult) -> str:
    return "\n".join(table_lines(result.columns, lambda: result.rows))


def table_lines(columns: list[str], rows: Callable[[], Iterable[list[Any]]]) -> Iterator[str]:
    """The lines of a table of these rows, a row at a time: `rows` is called twice, once to
    measure the columns and once to write them, so that the rows need not be held at once."""
    widths = [len(c) for c in columns]
    count = 0
    for row in rows():
        count += 1
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(_clip(_cell(value))))
    yield "  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()
    yield "  ".join("-" * w for w in widths)
    for row in rows():
        yield "  ".join(_clip(_cell(v)).ljust(w) for v, w in zip(row, widths)).rstrip()
    yield f"({count} row{'s' if count != 1 else ''})"


def render_json(result: QueryResult) -> str:
    return json.dumps(result.records(), ensure_ascii=False, indent=2)


def render_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().rstrip("\n")


def render(result: QueryResult, fmt: str) -> str:
    return {"table": render_table, "json": render_json, "csv": render_csv}[fmt](result)
