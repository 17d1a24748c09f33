"""The embedded store: LadybugDB, an in-process Cypher graph database kept in one directory.

LadybugDB wants a declared schema (one node table per label, relationship tables with their
endpoint pairs); it is rendered from the ontology. One process may write at a time; readers
open the database read-only, so a query never takes the write lock.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping

from kg.errors import KGError, StoreError, StoreLockedError
from kg.ontology import Column, Ontology
from kg.stores.base import GraphStore, QueryResult, Transaction

DATABASE_FILE = "graph.lbug"

_TYPES = {"string": "STRING", "date": "STRING", "integer": "INT64", "boolean": "BOOLEAN", "double": "DOUBLE"}


def _column_type(column: Column) -> str:
    base = _TYPES[column.datatype]
    return f"{base}[]" if column.many else base


def schema_statements(ontology: Ontology) -> list[str]:
    """The DDL for the ontology: node tables first, then relationship tables."""
    statements = []
    for table in ontology.nodes.values():
        columns = ", ".join(
            f"{c.name} {_column_type(c)}{' PRIMARY KEY' if c.name == 'id' else ''}" for c in table.columns.values()
        )
        statements.append(
            ontology.render("CREATE NODE TABLE IF NOT EXISTS {label}(", label=table.label) + columns + ")"
        )
    for table in ontology.relationships.values():
        pairs = ", ".join(f"FROM {source} TO {target}" for source, target in table.pairs)
        columns = "".join(f", {c.name} {_column_type(c)}" for c in table.columns.values())
        statements.append(
            ontology.render("CREATE REL TABLE IF NOT EXISTS {rel}(", rel=table.type) + pairs + columns + ")"
        )
    return statements


def _value(value: Any) -> Any:
    """Nodes, relationships and paths come back as dicts with internal keys; keep what kg declares."""
    if isinstance(value, dict):
        if "_LABEL" in value and "_ID" in value:
            # Unlabelled variables come back with every table's columns; unset ones are null.
            # Dropping nulls matches Neo4j, which has no property where nothing was set.
            props = {k: _value(v) for k, v in value.items() if not k.startswith("_") and v is not None}
            if "_SRC" in value:
                return {"_type": value["_LABEL"], **props}
            return {"_label": value["_LABEL"], **props}
        if "_NODES" in value:
            return {"nodes": [_value(n) for n in value["_NODES"]], "relationships": [_value(r) for r in value["_RELS"]]}
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


class _LadybugTransaction(Transaction):
    def __init__(self, store: "LadybugStore") -> None:
        self._store = store

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        return self._store._execute(cypher, params)


class LadybugStore(GraphStore):
    dialect = "ladybug"

    def __init__(self, directory: str | os.PathLike[str], *, read_only: bool = False,
                 ontology: Ontology | None = None) -> None:
        super().__init__(ontology)
        import ladybug

        self.directory = Path(directory)
        self.read_only = read_only
        path = self.directory / DATABASE_FILE
        if read_only and not path.exists():
            raise StoreError("no kg store here; load something first (kg load or kg demo)", where=str(self.directory))
        if not read_only:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the store directory: {exc.strerror}", where=str(self.directory)) from None
        buffer_mb = int(os.environ.get("KG_BUFFER_POOL_MB", "1024"))
        try:
            self._db = ladybug.Database(str(path), read_only=read_only, buffer_pool_size=buffer_mb * 1024 * 1024)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise StoreLockedError(
                    "another kg process is writing to this store; wait for it to finish", where=str(self.directory)
                ) from None
            raise StoreError(f"cannot open the store: {message.splitlines()[0]}", where=str(self.directory)) from None
        if read_only:
            if self.schema_changes():
                raise StoreError(
                    "the store was made by an older kg; open it once for writing "
                    "(kg init --store DIR) to bring its tables up to date",
                    where=str(self.directory),
                )
        else:
            self.ensure_schema()

    def schema_changes(self) -> list[str]:
        """DDL that would bring this store's tables up to the ontology: tables it lacks, and
        columns that were added to the ontology since the store was made."""
        existing = {name for name, _ in self._execute("CALL show_tables() RETURN name, type").rows}
        changes = []
        tables = [*self.ontology.nodes.values(), *self.ontology.relationships.values()]
        for table, statement in zip(tables, schema_statements(self.ontology)):
            name = getattr(table, "label", None) or table.type
            if name not in existing:
                changes.append(statement)
                continue
            # table_info takes no parameters; the name is the ontology's, checked by render.
            info = self._execute(self.ontology.render("CALL table_info('{table}') RETURN name", table=name)).rows
            present = {row[0] for row in info}
            for column in table.columns.values():
                if column.name not in present:
                    changes.append(
                        self.ontology.render("ALTER TABLE {table} ADD {col} ", table=name, col=column.name)
                        + _column_type(column)
                    )
        return changes

    def ensure_schema(self) -> None:
        for statement in self.schema_changes():
            self._execute(statement)

    def _execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        try:
            result = self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as exc:
            raise StoreError(f"query failed: {str(exc).splitlines()[0]}") from None
        columns = result.get_column_names()
        rows = []
        while result.has_next():
            rows.append([_value(v) for v in result.get_next()])
        result.close()
        return QueryResult(columns, rows)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        self._execute("BEGIN TRANSACTION")
        try:
            yield _LadybugTransaction(self)
        except BaseException:
            self._rollback()
            raise
        self._execute("COMMIT")

    def _rollback(self) -> None:
        # LadybugDB rolls back on its own when a statement inside the transaction fails.
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError:
            pass

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        self.check_read_only(cypher, write)
        if write and self.read_only:
            raise KGError("the store was opened read-only")
        return self._execute(cypher, params)

    def node_write_statement(self, label: str) -> str:
        table = self.ontology.nodes[label]
        # Every value is cast to its column type: a batch in which a column is all null
        # would otherwise bind as STRING and fail on an INT64 or BOOLEAN column.
        assignments = ", ".join(
            self.ontology.render("n.{col} = CAST(row.{col} AS ", col=c.name) + _column_type(c) + ")"
            for c in table.columns.values()
            if c.name != "id"
        )
        return self.ontology.render("UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET ", label=label) + assignments

    def edge_write_statement(self, rel_type: str, source_label: str, target_label: str) -> str:
        table = self.ontology.relationships[rel_type]
        assignments = ", ".join(
            self.ontology.render("r.{col} = CAST(row.{col} AS ", col=c.name) + _column_type(c) + ")"
            for c in table.columns.values()
            if c.name != "key"
        )
        match = self.ontology.render(
            "UNWIND $rows AS row MATCH (s:{source} {{id: row.source}}), (t:{target} {{id: row.target}}) "
            "MERGE (s)-[r:{rel} {{key: row.key}}]->(t)",
            source=source_label, target=target_label, rel=rel_type,
        )
        return match + " SET " + assignments if assignments else match

    def close(self) -> None:
        conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
        if conn is not None:
            conn.close()
        if db is not None:
            db.close()
        self._conn = self._db = None
