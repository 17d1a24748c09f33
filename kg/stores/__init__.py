"""Choosing a store: a directory path means the embedded store, a Bolt/Neo4j URI a server."""

from __future__ import annotations

from kg.stores.base import GraphStore, QueryResult

SERVER_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")
DEFAULT_STORE = "kg-data"


def is_server_uri(spec: str) -> bool:
    return spec.startswith(SERVER_SCHEMES)


def open_store(spec: str, *, read_only: bool = False, database: str | None = None) -> GraphStore:
    if is_server_uri(spec):
        from kg.stores.neo4j import Neo4jStore

        return Neo4jStore(spec, database=database, read_only=read_only)
    from kg.stores.ladybug import LadybugStore

    return LadybugStore(spec, read_only=read_only)


__all__ = ["GraphStore", "QueryResult", "open_store", "is_server_uri", "DEFAULT_STORE"]
