"""Named queries: Cypher files in queries/, each with a header that names and documents it.

A query file looks like this:

    // name: statements_about
    // description: Statements about an event, actor or topic, with speaker and source.
    // params:
    //   subject: {type: string, required: true, description: id or name of the subject}
    //   limit: {type: int, default: 100}
    MATCH ... RETURN ...
    // dialect: neo4j
    MATCH ... RETURN ...

An optional `// sort: [col, ...]` header line orders the rows after the query has run, for
queries whose order Cypher leaves open on some store (a UNION, ties between shortest paths).

The body before any `// dialect:` line runs on every store; a `// dialect: NAME` section
replaces it on that store (LadybugDB and Neo4j disagree on a few functions, such as shortest
paths). Parameters are checked and converted here and reach Cypher only as parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from kg.errors import KGError, QueryParameterError, UnknownActorError, UnknownQueryError
from kg.identity import is_fuzzy_date, name_key
from kg.resources import resource_path
from kg.stores.base import GraphStore, QueryResult, refuse_writes
from kg.yamlsafe import LineDict, parse_yaml_text, read_text_file

_PARAM_TYPES = ("string", "int", "float", "bool", "date", "actor")
_DIALECT_LINE = re.compile(r"^//\s*dialect:\s*(\w+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    required: bool
    default: Any
    description: str

    def convert(self, raw: Any, query: str) -> Any:
        where = f"query {query}, parameter {self.name}"
        if not isinstance(raw, str):
            return raw
        try:
            if self.type == "int":
                return int(raw)
            if self.type == "float":
                return float(raw)
        except ValueError:
            raise QueryParameterError(f"expected a {self.type}, got {raw!r}", where=where) from None
        if self.type == "bool":
            if raw.lower() not in ("true", "false"):
                raise QueryParameterError(f"expected true or false, got {raw!r}", where=where)
            return raw.lower() == "true"
        if self.type == "date" and raw and not is_fuzzy_date(raw):
            raise QueryParameterError(f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {raw!r}", where=where)
        return raw


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    parameters: Mapping[str, Parameter]
    body: str
    variants: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None
    sort: tuple[str, ...] = ()

    def cypher_for(self, dialect: str) -> str:
        return self.variants.get(dialect, self.body)

    def bind(self, store: GraphStore, given: Mapping[str, Any]) -> dict[str, Any]:
        """Check given parameters, apply defaults, convert types and resolve actor names."""
        unknown = sorted(set(given) - set(self.parameters))
        if unknown:
            raise QueryParameterError(
                f"unknown parameter {unknown[0]!r} (takes: {', '.join(self.parameters) or 'none'})",
                where=f"query {self.name}",
            )
        bound = {}
        for name, parameter in self.parameters.items():
            if name in given:
                value = parameter.convert(given[name], self.name)
            elif parameter.required:
                raise QueryParameterError(f"missing required parameter {name!r}", where=f"query {self.name}")
            else:
                value = parameter.convert(parameter.default, self.name)
            if parameter.type == "actor" and value:
                value = resolve_actor(store, value)
            bound[name] = value
        return bound

    def run(self, store: GraphStore, given: Mapping[str, Any] | None = None) -> QueryResult:
        result = store.run(self.cypher_for(store.dialect), self.bind(store, given or {}))
        if not self.sort:
            return result
        missing = [column for column in self.sort if column not in result.columns]
        if missing:
            raise KGError(f"sort column {missing[0]!r} is not returned by the query", where=str(self.path))
        positions = [result.columns.index(column) for column in self.sort]
        rows = sorted(result.rows, key=lambda row: [_sort_key(row[i]) for i in positions])
        return QueryResult(result.columns, rows)


def _sort_key(value: Any) -> tuple:
    # None first, then values of one kind compared among themselves.
    if value is None:
        return (0, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    if isinstance(value, list):
        return (2, [_sort_key(v) for v in value])
    return (3, str(value))


_ACTOR_BY_ID_OR_KEY = (
    "MATCH (a:Actor) WHERE a.id = $value OR $key IN a.name_keys RETURN a.id AS id, a.name AS name ORDER BY a.id"
)


def resolve_actor(store: GraphStore, value: str) -> str:
    """The id of the one actor whose id, name or alias is value (case and Unicode folded)."""
    rows = store.run(_ACTOR_BY_ID_OR_KEY, {"value": value, "key": name_key(value)}).rows
    if not rows:
        raise UnknownActorError(f"no actor named {value!r}")
    if len(rows) > 1:
        names = "; ".join(f"{r[1]} ({r[0]})" for r in rows)
        raise UnknownActorError(f"{value!r} names several actors: {names}; give an id")
    return rows[0][0]


def parse_query(text: str, where: str) -> NamedQuery:
    lines = text.splitlines()
    header = []
    body_start = 0
    for index, line in enumerate(lines):
        if line.startswith("//") and not _DIALECT_LINE.match(line):
            header.append(line[2:].removeprefix(" "))
            body_start = index + 1
        else:
            break
    meta = parse_yaml_text("\n".join(header), where) or LineDict()
    if not isinstance(meta, dict) or "name" not in meta or "description" not in meta:
        raise KGError("a query file starts with // name: and // description: lines", where=where)
    unknown = set(meta) - {"name", "description", "params", "sort"}
    if unknown:
        raise KGError(f"unknown header field {sorted(unknown)[0]!r}", where=where)
    parameters = {}
    for pname, spec in (meta.get("params") or {}).items():
        spec = spec or {}
        ptype = spec.get("type", "string")
        if ptype not in _PARAM_TYPES:
            raise KGError(f"parameter {pname!r} has unknown type {ptype!r}", where=where)
        parameters[pname] = Parameter(
            name=pname,
            type=ptype,
            required=str(spec.get("required", "false")).lower() == "true",
            default=spec.get("default", ""),
            description=spec.get("description", ""),
        )
    rest = "\n".join(lines[body_start:])
    sections = _DIALECT_LINE.split(rest)
    body, variants = sections[0].strip(), {}
    for dialect, variant in zip(sections[1::2], sections[2::2]):
        variants[dialect] = variant.strip()
    for cypher in (body, *variants.values()):
        refuse_writes(cypher)
    sort = tuple(meta.get("sort") or ())
    return NamedQuery(
        name=meta["name"], description=meta["description"], parameters=parameters,
        body=body, variants=variants, path=Path(where), sort=sort,
    )


@lru_cache(maxsize=None)
def load_queries(directory: Path | None = None) -> dict[str, NamedQuery]:
    directory = directory or resource_path("queries")
    queries = {}
    for path in sorted(directory.glob("*.cypher")):
        query = parse_query(read_text_file(path), str(path))
        if query.name != path.stem:
            raise KGError(f"query name {query.name!r} differs from the file name", where=str(path))
        queries[query.name] = query
    return queries


def get_query(name: str) -> NamedQuery:
    queries = load_queries()
    if name not in queries:
        raise UnknownQueryError(f"no query named {name!r}; `kg query list` shows them")
    return queries[name]
