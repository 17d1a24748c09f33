"""Choosing a store: a directory path means the embedded store, a Bolt/Neo4j URI a server."""

from __future__ import annotations

from kg.stores.base import GraphStore, QueryResult

SERVER_SCHEMES = ("neo4j://", "neo4j+s://", "neo4j+ssc://", "bolt://", "bolt+s://", "bolt+ssc://")
DEFAULT_STORE = "kg-data"


def is_server_uri(spec: str) -> bool:
    return spec.startswith(SERVER_SCHEMES)


def open_store(spec: str, *, read_only: bool = False, database: str | None = None,
               buffer_pool_mb: int | None = None, create: bool = True) -> GraphStore:
    """database: the Neo4j database; buffer_pool_mb: the embedded store's page cache; create:
    whether a writable open may make an embedded store that does not exist yet (False: it is
    refused, as a read-only open refuses it). A server is a server: create does not apply."""
    if is_server_uri(spec):
        from kg.stores.neo4j import Neo4jStore

        return Neo4jStore(spec, database=database, read_only=read_only)
    from kg.stores.ladybug import LadybugStore

    return LadybugStore(spec, read_only=read_only, buffer_pool_mb=buffer_pool_mb, create=create)


__all__ = ["GraphStore", "QueryResult", "open_store", "is_server_uri", "DEFAULT_STORE"]
