"""The server store: a Neo4j 5 database reached over Bolt with the official driver.

Neo4j needs no declared tables; ensure_schema creates what the ontology implies instead: a
uniqueness constraint on `id` for every node label (which also gives the index MERGE uses)
and a few lookup indexes. Writes run in managed transactions (`execute_write`), so the driver
retries transient failures (deadlocks, leader switches) by running the whole unit again;
every write is a MERGE, so a retry cannot duplicate anything. Reads run through
`execute_read`, so a cluster routes them to its readers.

Credentials come from NEO4J_USERNAME (default neo4j) and NEO4J_PASSWORD, never from the URI,
and never appear in a message.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping, Sequence, TypeVar
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Path, Relationship
from neo4j.time import Date, DateTime, Duration, Time

from kg.errors import KGError, StoreConnectionError, StoreError
from kg.ontology import Ontology
from kg.records import ArticleBundle, NodeRecord
from kg.stores.base import (
    GraphStore,
    QueryResult,
    Transaction,
    WriteSummary,
    assignments_from_row,
    without_literals,
)

T = TypeVar("T")

# Seconds to wait for a TCP/Bolt connection: a wrong host or port fails fast.
CONNECTION_TIMEOUT = 10.0

# Scalar columns worth a range index wherever the ontology declares them: the sha256 that ties
# evidence to its article (all facts of one article; reloads and deletions go by it), the
# article's own sha256, display names, and an article's origin (every write group looks up the
# stored versions of its articles by url or source file: without an index, a scan of all
# articles per group). `id` is covered by the uniqueness constraints.
INDEXED_COLUMNS = ("article_sha256", "sha256", "name", "url", "source_path")

URI_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")

_IN_TRANSACTIONS = re.compile(r"\bIN\s+(?:\d+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS\b", re.IGNORECASE)

_AUTH_MESSAGE = "the Neo4j server refused the credentials (NEO4J_USERNAME / NEO4J_PASSWORD)"
_UNREACHABLE_MESSAGE = "cannot reach the Neo4j server"
UNKNOWN_OUTCOME_MESSAGE = (
    "the connection to the Neo4j server was lost while committing, so the outcome is unknown: the write "
    "may or may not be saved; run the same load again: writes are idempotent, so it converges"
)


def redact_uri(uri: str) -> str:
    """The URI without user name or password, fit for messages."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<unparseable Neo4j URI>"
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _auth_from_environment() -> tuple[str, str] | None:
    # No local variable keeps the password in __init__'s frame (tracebacks may show locals).
    if "NEO4J_PASSWORD" not in os.environ:
        return None
    return (os.environ.get("NEO4J_USERNAME") or "neo4j", os.environ["NEO4J_PASSWORD"])


def schema_statements(ontology: Ontology) -> dict[str, str]:
    """Constraints and indexes the ontology implies, by name; each is safe to run again."""
    statements = {}
    for label in ontology.nodes:
        statements[f"{label}_id"] = ontology.render(
            "CREATE CONSTRAINT {label}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE", label=label
        )
    for label, table in ontology.nodes.items():
        for name in INDEXED_COLUMNS:
            column = table.columns.get(name)
            if column is not None and not column.many:
                statements[f"{label}_{name}"] = ontology.render(
                    "CREATE INDEX {label}_{col} IF NOT EXISTS FOR (n:{label}) ON (n.{col})", label=label, col=name
                )
    return statements


def _value(value: Any) -> Any:
    """Driver values as plain Python, shaped like the embedded store's (see ladybug._value)."""
    if isinstance(value, Node):
        label = min(value.labels) if value.labels else None
        return {"_label": label, **{k: _value(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_type": value.type, **{k: _value(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {
            "nodes": [_value(n) for n in value.nodes],
            "relationships": [_value(r) for r in value.relationships],
        }
    if isinstance(value, (Date, DateTime, Time, Duration)):
        return value.iso_format()
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    return value


def _collect(result: neo4j.Result) -> QueryResult:
    columns = list(result.keys())
    rows = [[_value(v) for v in record.values()] for record in result]
    return QueryResult(columns, rows)


def _first_line(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return message.strip().splitlines()[0]


@contextmanager
def _translated(where: str) -> Iterator[None]:
    """Driver exceptions as kg errors. Messages are the server's, which never hold credentials."""
    try:
        yield
    except neo4j_errors.AuthError:
        raise StoreConnectionError(_AUTH_MESSAGE, where=where) from None
    except neo4j_errors.IncompleteCommit:
        # Before ServiceUnavailable, its parent: the commit was sent, its answer never came.
        raise StoreConnectionError(UNKNOWN_OUTCOME_MESSAGE, where=where) from None
    except (
        neo4j_errors.ServiceUnavailable,
        neo4j_errors.SessionExpired,
        neo4j_errors.ConnectionAcquisitionTimeoutError,
    ):
        raise StoreConnectionError(_UNREACHABLE_MESSAGE, where=where) from None
    except neo4j_errors.Neo4jError as exc:
        raise StoreError(f"query failed: {_first_line(exc)}") from None
    except neo4j_errors.ConfigurationError as exc:
        raise StoreError(f"cannot configure the Neo4j driver: {_first_line(exc)}", where=where) from None


class _Neo4jTransaction(Transaction):
    """A driver transaction as a kg Transaction.

    Inside a managed transaction (`execute_write`) driver errors must reach the driver
    untranslated, or it cannot tell a transient error it should retry; the caller translates
    them afterwards. In an explicit transaction they are translated here."""

    def __init__(self, tx: neo4j.ManagedTransaction | neo4j.Transaction, where: str | None = None) -> None:
        self._tx = tx
        self._where = where

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        if self._where is None:
            return _collect(self._tx.run(cypher, dict(params or {})))
        with _translated(self._where):
            return _collect(self._tx.run(cypher, dict(params or {})))


class Neo4jStore(GraphStore):
    dialect = "neo4j"

    def __init__(self, uri: str, *, database: str | None = None, read_only: bool = False,
                 ontology: Ontology | None = None) -> None:
        super().__init__(ontology)
        self.uri = uri
        self.where = redact_uri(uri)
        self.database = database or None
        self.read_only = read_only
        self._driver: neo4j.Driver | None = None
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in URI_SCHEMES:
            raise StoreError(
                f"not a Neo4j URI; it starts with one of {', '.join(s + '://' for s in URI_SCHEMES)}", where=self.where
            )
        if "@" in urlsplit(uri).netloc:
            raise StoreError(
                "put the Neo4j credentials in NEO4J_USERNAME and NEO4J_PASSWORD, not in the URI", where=self.where
            )
        try:
            with _translated(self.where):
                self._driver = neo4j.GraphDatabase.driver(
                    uri,
                    auth=_auth_from_environment(),
                    connection_timeout=CONNECTION_TIMEOUT,
                    connection_acquisition_timeout=2 * CONNECTION_TIMEOUT,
                    # The server's hints (e.g. on the two-node MATCH of the edge writes) would go
                    # to the neo4j.notifications logger, and from there to stderr.
                    notifications_min_severity="OFF",
                    user_agent="kg",
                )
                self._driver.verify_connectivity()
        except ValueError as exc:  # a URI the driver cannot parse (scheme, port)
            self.close()
            raise StoreError(f"not a Neo4j URI (bolt:// or neo4j://): {_first_line(exc)}", where=self.where) from None
        except BaseException:
            self.close()
            raise
        # One bookmark manager for all sessions: a read after a write sees it, even on a cluster.
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()
        if not read_only:
            try:
                self.ensure_schema()
            except BaseException:
                self.close()
                raise

    # --- plumbing ------------------------------------------------------------------------------

    def _session(self, *, write: bool = True) -> neo4j.Session:
        if self._driver is None:
            raise StoreError("the Neo4j store is closed", where=self.where)
        return self._driver.session(
            database=self.database,
            bookmark_manager=self._bookmarks,
            default_access_mode=neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS,
        )

    def _check_writable(self) -> None:
        if self.read_only:
            raise KGError("the store was opened read-only")

    def _managed(self, work: Callable[[neo4j.ManagedTransaction], T], *, write: bool) -> T:
        with _translated(self.where), self._session(write=write) as session:
            return session.execute_write(work) if write else session.execute_read(work)

    # --- GraphStore ----------------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the missing constraints and indexes. Those already there (by name) are not
        asked for again, so a user without schema privileges can still open a prepared database."""
        self._check_writable()
        try:
            existing = {
                row[0]
                for query in ("SHOW CONSTRAINTS YIELD name RETURN name", "SHOW INDEXES YIELD name RETURN name")
                for row in self.run(query).rows
            }
        except StoreError:
            existing = set()  # not allowed to look: create them all (IF NOT EXISTS)
        for name, statement in schema_statements(self.ontology).items():
            if name not in existing:
                self._managed(lambda tx, s=statement: tx.run(s).consume(), write=True)
        self.index_name_keys()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One explicit write transaction. Not retried: prefer write_bundle, which is."""
        self._check_writable()
        with _translated(self.where), self._session() as session:
            tx = session.begin_transaction()
            try:
                yield _Neo4jTransaction(tx, where=self.where)
            except BaseException:
                if not tx.closed():
                    try:
                        tx.rollback()
                    except (neo4j_errors.Neo4jError, neo4j_errors.DriverError):
                        pass  # the server rolls back a transaction whose connection is gone
                raise
            try:
                tx.commit()
            except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired):
                raise StoreConnectionError(UNKNOWN_OUTCOME_MESSAGE, where=self.where) from None

    def write_bundles(self, bundles: Sequence[ArticleBundle], extra: Sequence[NodeRecord] = ()) -> WriteSummary:
        """Write articles in one managed transaction, retried by the driver if transient
        errors interrupt it. Actors are resolved again on every attempt."""
        for bundle in bundles:
            bundle.check(self.ontology)
        self._check_writable()

        def work(tx: neo4j.ManagedTransaction) -> WriteSummary:
            return self.write_group(_Neo4jTransaction(tx), bundles, extra)

        return self._managed(work, write=True)

    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        self.check_read_only(cypher, write)
        if write:
            self._check_writable()
        values = dict(params or {})
        if _IN_TRANSACTIONS.search(without_literals(cypher)):
            # CALL { ... } IN TRANSACTIONS commits as it goes: only allowed outside a transaction.
            with _translated(self.where), self._session(write=write) as session:
                return _collect(session.run(cypher, values))
        return self._managed(lambda tx: _collect(tx.run(cypher, values)), write=write)

    def write_nodes(self, tx: Transaction, label: str, rows: list[dict[str, Any]]) -> set[str]:
        # MERGE does not say which nodes it created. Looking new articles up first, to CREATE
        # their nodes and relationships, saved only 1.10-1.17x of the server's CPU
        # (benchmarks/RESULTS.md, session 7), so every row is merged.
        tx.run(self.node_write_statement(label), {"rows": rows})
        return set()

    def node_write_statement(self, label: str) -> str:
        assignments = assignments_from_row(self.ontology, "n", self.ontology.nodes[label].columns, "id")
        merge = self.ontology.render("UNWIND $rows AS row MERGE (n:{label} {{id: row.id}})", label=label)
        return merge + " SET " + assignments if assignments else merge

    def edge_write_statement(self, rel_type: str, source_label: str, target_label: str) -> str:
        assignments = assignments_from_row(self.ontology, "r", self.ontology.relationships[rel_type].columns, "key")
        match = self.ontology.render(
            "UNWIND $rows AS row MATCH (s:{source} {{id: row.source}}) MATCH (t:{target} {{id: row.target}}) "
            "MERGE (s)-[r:{rel} {{key: row.key}}]->(t)",
            source=source_label, target=target_label, rel=rel_type,
        )
        return match + " SET " + assignments if assignments else match

    def close(self) -> None:
        driver, self._driver = self._driver, None
        if driver is not None:
            driver.close()
