"""The contradictions report: the `contradictions` named query, rendered for reading."""

from __future__ import annotations

import json

from kg.privacy import Redactor
from kg.queries import get_query
from kg.stores.base import GraphStore, QueryResult

REPORT_FORMATS = ("table", "markdown", "json")


def contradictions(store: GraphStore, *, status: str = "", basis: str = "", min_score: float = 0.0,
                   reveal: bool = False) -> QueryResult:
    result = get_query("contradictions").run(
        store, {"status": status, "basis": basis, "min_score": min_score}
    )
    return Redactor.for_store(store, reveal=reveal).result(result)


def _md(value: object) -> str:
    """Article text is data: keep it from turning into links, HTML or emphasis in Markdown."""
    text = " ".join(str(value if value is not None else "").split())
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(char, escaped)
    for char in "\\`*_[]#|":
        text = text.replace(char, "\\" + char)
    return text


def _side(record: dict, side: str) -> str:
    role = _md(record[f"role_{side}"] or "unknown role")
    source = _md(record[f"source_{side}"] or "unknown source")
    publisher = _md(record[f"publisher_{side}"])
    cited = f"{source} ({publisher})" if publisher else source
    return (
        f"- **{_md(record[f'speaker_{side}'])}** ({role}, {_md(record[f'stance_{side}'])}): "
        f"“{_md(record[f'quote_{side}'])}” — {cited}"
    )


def render_markdown(result: QueryResult, title: str = "Contradictions") -> str:
    records = result.records()
    lines = [f"# {title}", "", f"{len(records)} contradiction{'s' if len(records) != 1 else ''}, strongest first.", ""]
    for number, record in enumerate(records, 1):
        lines += [
            f"## {number}. {_md(record['speaker_a'])} vs. {_md(record['speaker_b'])} ({record['basis']})",
            "",
            f"Status: {record['status']} · score {record['score']:g} · `{record['id']}`",
            "",
            _side(record, "a"),
            _side(record, "b"),
            "",
            _md(record["explanation"]),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def render_json(result: QueryResult) -> str:
    return json.dumps(result.records(), ensure_ascii=False, indent=2)
