"""The Neo4j store against a real Neo4j 5 server.

Start one with `scripts/neo4j-test-server start` and pass the bolt:// URI it prints:

    KG_TEST_NEO4J_URI=bolt://127.0.0.1:PORT python -m pytest tests/test_neo4j_store.py

Without that variable, or with a server that does not answer, these tests fail rather than
skip: a skipped store test looks like a passed one. Every test empties the database first.

A wrong password can only be tested against a server with authentication on; the default
harness has it off. Start a second one (`KG_NEO4J_TEST_DIR=... scripts/neo4j-test-server
start --password PW`) and pass its URI as KG_TEST_NEO4J_AUTH_URI to run that test too.
"""

from __future__ import annotations

import os
import socket
import time

import pytest
from neo4j import exceptions as neo4j_errors

from kg.errors import KGError, StoreConnectionError, StoreError, WriteNotAllowedError
from kg.loading import load_paths
from kg.ontology import load_ontology
from kg.stores.ladybug import LadybugStore
from kg.stores.neo4j import Neo4jStore, schema_statements

from conftest import CHECHNYA, MINIMAL_CASE, open_neo4j as open_store, write_case


def nonzero(counts):
    return {k: v for k, v in counts.items() if v}


@pytest.fixture
def store(neo4j_uri):
    store = open_store(neo4j_uri)
    store.run("MATCH (n) DETACH DELETE n", write=True)
    yield store
    store.close()


# --- schema ------------------------------------------------------------------------------------


def drop_schema(store):
    for name, kind in store.run("SHOW CONSTRAINTS YIELD name, type RETURN name, type").rows:
        store.run(f"DROP CONSTRAINT `{name}`", write=True)
    for (name,) in store.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name").rows:
        store.run(f"DROP INDEX `{name}`", write=True)


def test_construction_creates_a_uniqueness_constraint_per_label(store, neo4j_uri):
    drop_schema(store)
    assert store.run("SHOW CONSTRAINTS YIELD name RETURN name").rows == []
    with open_store(neo4j_uri) as fresh:
        rows = fresh.run(
            "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
            "RETURN name, type, labelsOrTypes, properties ORDER BY name"
        ).rows
        ontology = fresh.ontology
        assert rows == [
            [f"{label}_id", "UNIQUENESS", [label], ["id"]] for label in sorted(ontology.nodes)
        ]
        indexes = {
            (labels[0], tuple(props))
            for labels, props in fresh.run(
                "SHOW INDEXES YIELD labelsOrTypes, properties WHERE labelsOrTypes IS NOT NULL "
                "RETURN labelsOrTypes, properties"
            ).rows
        }
        assert ("Statement", ("article_sha256",)) in indexes
        assert ("Event", ("article_sha256",)) in indexes
        # Each write group looks up stored versions of its articles by origin.
        assert {("Article", ("url",)), ("Article", ("source_path",))} <= indexes
        # Running it again is harmless.
        fresh.ensure_schema()
        assert len(fresh.run("SHOW CONSTRAINTS YIELD name RETURN name").rows) == len(ontology.nodes)


def test_schema_statements_come_from_the_ontology():
    ontology = load_ontology()
    statements = schema_statements(ontology)
    assert {f"{label}_id" for label in ontology.nodes} <= set(statements)
    assert len([s for s in statements.values() if s.startswith("CREATE CONSTRAINT")]) == len(ontology.nodes)
    assert all(" IF NOT EXISTS " in s and name in s for name, s in statements.items())


def test_the_constraint_refuses_a_second_node_with_the_same_id(store):
    store.run("CREATE (:Actor {id: 'actor:x'})", write=True)
    with pytest.raises(StoreError, match="^query failed: .*already exists"):
        store.run("CREATE (:Actor {id: 'actor:x'})", write=True)


# --- loading -----------------------------------------------------------------------------------


def test_loading_twice_changes_nothing(store):
    load_paths(store, [CHECHNYA])
    first = store.counts()
    load_paths(store, [CHECHNYA])
    assert store.counts() == first
    assert first["Article"] == 1 and first["Statement"] >= 20 and first["Contradiction"] >= 10
    assert set(first) == set(store.ontology.content_nodes) | set(store.ontology.relationships)


def test_the_same_actor_in_two_files_is_one_node(store, tmp_path):
    load_paths(store, [write_case(tmp_path / "one", MINIMAL_CASE)])
    other = MINIMAL_CASE.replace("name: Ivan Petrov", "name: PETROV").replace(
        "aliases: [Petrov, the minister]", "aliases: [I. Petrov]"
    )
    load_paths(store, [write_case(tmp_path / "two", other, article="Petrov said: “Nothing happened.” A survivor said he was beaten. Again.")])
    rows = store.run("MATCH (a:Actor) WHERE 'petrov' IN a.name_keys RETURN a.id, a.name, a.aliases").rows
    assert len(rows) == 1
    actor_id, name, aliases = rows[0]
    assert (actor_id, name) == ("actor:ivan-petrov", "Ivan Petrov")
    assert set(aliases) == {"Petrov", "the minister", "PETROV", "I. Petrov"}
    assert store.run("MATCH (:Actor {id: 'actor:ivan-petrov'})-[:SAID]->(s) RETURN count(s)").rows == [[2]]


def test_a_bundle_that_fails_midway_leaves_no_trace(store, monkeypatch):
    original = store.edge_write_statement

    def broken(rel_type, source_label, target_label):
        if rel_type == "REPORTED_IN":  # written after every node and several other edges
            return "UNWIND $rows AS row THIS IS NOT CYPHER"
        return original(rel_type, source_label, target_label)

    monkeypatch.setattr(store, "edge_write_statement", broken)
    with pytest.raises(StoreError, match="^query failed: "):
        load_paths(store, [CHECHNYA])
    assert nonzero(store.counts()) == {}


def test_a_failed_reload_keeps_what_was_there(store, monkeypatch):
    load_paths(store, [CHECHNYA])
    before = store.counts()
    monkeypatch.setattr(store, "edge_write_statement", lambda *shape: "RETURN 1 +")
    with pytest.raises(StoreError):
        load_paths(store, [CHECHNYA])
    assert store.counts() == before


def test_an_explicit_transaction_commits_all_or_nothing(store):
    node = store.node_write_statement("Topic")
    with pytest.raises(StoreError, match="^query failed: "):
        with store.transaction() as tx:
            tx.run(node, {"rows": [{"id": "topic:a", "label": "A"}]})
            tx.run("MATCH (n) RETURN n.x +")
    with pytest.raises(KGError, match="stop here"):
        with store.transaction() as tx:
            tx.run(node, {"rows": [{"id": "topic:b", "label": "B"}]})
            raise KGError("stop here")
    assert store.counts()["Topic"] == 0

    with store.transaction() as tx:
        tx.run(node, {"rows": [{"id": "topic:c", "label": "C"}]})
        # Inside the transaction its own writes are visible.
        assert tx.run("MATCH (t:Topic) RETURN t.id").rows == [["topic:c"]]
    assert store.run("MATCH (t:Topic) RETURN t.id, t.label").rows == [["topic:c", "C"]]


def test_a_transient_failure_is_retried_without_duplicates(store, monkeypatch):
    load_paths(store, [CHECHNYA])
    expected = store.counts()
    store.run("MATCH (n) DETACH DELETE n", write=True)

    attempts = []
    original = store.write_group

    def flaky(tx, bundles, extra=()):
        summary = original(tx, bundles, extra)
        attempts.append(summary)
        if len(attempts) == 1:
            raise neo4j_errors.SessionExpired("simulated: connection lost before commit")
        return summary

    monkeypatch.setattr(store, "write_group", flaky)
    load_paths(store, [CHECHNYA])
    assert len(attempts) == 2
    assert store.counts() == expected


def test_an_actor_conflict_inside_the_write_is_not_retried(store, tmp_path):
    """resolve_actors raises KGError inside the managed transaction; it must surface as is."""
    load_paths(store, [write_case(tmp_path / "one", MINIMAL_CASE)])
    # Ivan Petrov, now also called "Survivor A", matches two stored actors.
    ambiguous = MINIMAL_CASE.replace("aliases: [Petrov, the minister]", "aliases: [Petrov, Survivor A]").replace(
        "name: Survivor A", "name: Survivor B"
    )
    before = store.counts()
    with pytest.raises(KGError, match="matches several stored actors"):
        load_paths(store, [write_case(tmp_path / "two", ambiguous, article="The minister said: “Nothing happened.” A survivor said he was beaten. Later.")])
    assert store.counts() == before


# --- reading -----------------------------------------------------------------------------------


def test_run_refuses_writes_unless_asked(store):
    with pytest.raises(WriteNotAllowedError):
        store.run("CREATE (:Topic {id: 'topic:x'})")
    with pytest.raises(WriteNotAllowedError):
        store.run("MATCH (n) DETACH DELETE n")
    assert store.counts()["Topic"] == 0
    # Writes the clause check cannot see still fail: reads run in read transactions.
    with pytest.raises(StoreError, match="^query failed: "):
        store.run("CALL db.createLabel('Sneaky')")
    store.run("CREATE (:Topic {id: 'topic:x'})", write=True)
    assert store.counts()["Topic"] == 1


def test_a_read_only_store_refuses_writes(store, neo4j_uri):
    with open_store(neo4j_uri, read_only=True) as reader:
        with pytest.raises(KGError, match="read-only"):
            reader.run("CREATE (:Topic {id: 'topic:x'})", write=True)
        with pytest.raises(KGError, match="read-only"):
            with reader.transaction():
                pass
        assert reader.counts()["Topic"] == 0


def test_values_come_back_as_plain_python(store):
    load_paths(store, [CHECHNYA])
    (node,) = store.run("MATCH (a:Actor {id: 'actor:maxim-lapunov'}) RETURN a").rows[0]
    assert node["_label"] == "Actor"
    assert node["id"] == "actor:maxim-lapunov" and node["name"] == "Maxim Lapunov"
    assert isinstance(node["name_keys"], list)

    rel, path = store.run(
        "MATCH p = (:Actor {id: 'actor:maxim-lapunov'})-[r:SAID]->(:Statement) RETURN r, p LIMIT 1"
    ).rows[0]
    assert rel["_type"] == "SAID" and "key" in rel
    assert [n["_label"] for n in path["nodes"]] == ["Actor", "Statement"]
    assert [r["_type"] for r in path["relationships"]] == ["SAID"]

    row = store.run(
        "RETURN date('2018-07-16') AS d, datetime('2018-07-16T10:30:00Z') AS dt, duration('P1D') AS du, "
        "{nested: [date('2017-01-01')], n: 1} AS m, [1, 'two', null] AS l"
    ).records()[0]
    assert row["d"] == "2018-07-16"
    assert row["dt"].startswith("2018-07-16T10:30:00")
    assert row["du"] == "P1D"
    assert row["m"] == {"nested": ["2017-01-01"], "n": 1}
    assert row["l"] == [1, "two", None]


def test_a_failing_query_is_a_store_error_with_the_first_line(store):
    with pytest.raises(StoreError) as caught:
        store.run("MATCH (n) RETURN n.x +")
    message = str(caught.value)
    assert message.startswith("query failed: ") and "\n" not in message


def test_a_closed_store_says_so(neo4j_uri):
    store = open_store(neo4j_uri)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.run("RETURN 1")


# --- connecting --------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_server_fails_fast():
    uri = f"bolt://127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(StoreConnectionError, match="cannot reach the Neo4j server") as caught:
        Neo4jStore(uri)
    assert time.monotonic() - started < 15
    assert caught.value.where == uri


def test_credentials_in_the_uri_are_refused_and_not_repeated(neo4j_uri):
    host = neo4j_uri.split("://", 1)[1]
    with pytest.raises(StoreError) as caught:
        Neo4jStore(f"bolt://neo4j:s3cret-pw@{host}")
    assert "s3cret-pw" not in str(caught.value)
    assert "NEO4J_PASSWORD" in str(caught.value)


def test_an_unknown_scheme_is_refused():
    with pytest.raises(StoreError, match="not a Neo4j URI"):
        Neo4jStore("http://127.0.0.1:7474")


@pytest.fixture
def auth_uri():
    uri = os.environ.get("KG_TEST_NEO4J_AUTH_URI")
    if not uri:
        message = ("needs a server with authentication on (the default harness has it off): set "
                   "KG_TEST_NEO4J_AUTH_URI and KG_TEST_NEO4J_AUTH_PASSWORD (scripts/test-all does)")
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return uri


def test_a_wrong_password_is_a_connection_error_without_the_password(monkeypatch, auth_uri):
    monkeypatch.setenv("NEO4J_USERNAME", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "definitely-wrong-pw-4711")
    with pytest.raises(StoreConnectionError) as caught:
        Neo4jStore(auth_uri)
    assert "refused the credentials" in str(caught.value)
    assert "definitely-wrong-pw-4711" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_a_missing_password_is_refused_and_the_right_one_connects(monkeypatch, auth_uri):
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    with pytest.raises(StoreConnectionError, match="refused the credentials"):
        Neo4jStore(auth_uri)
    monkeypatch.setenv("NEO4J_USERNAME", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", os.environ["KG_TEST_NEO4J_AUTH_PASSWORD"])
    with Neo4jStore(auth_uri) as store:
        assert store.run("RETURN 1 AS one").rows == [[1]]


# --- parity ------------------------------------------------------------------------------------


def test_counts_match_the_embedded_store(store, tmp_path):
    load_paths(store, [CHECHNYA])
    with LadybugStore(tmp_path / "ladybug") as embedded:
        load_paths(embedded, [CHECHNYA])
        assert store.counts() == embedded.counts()
