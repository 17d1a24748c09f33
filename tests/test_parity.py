"""Same answers on both stores: every named query, on the Chechnya example, on LadybugDB and Neo4j."""

import json

import pytest

from kg.loading import load_paths
from kg.queries import load_queries

from conftest import CHECHNYA
from test_queries import PARAMS


def canonical(result):
    """Rows as JSON text, in the order the query gave them."""
    return [json.dumps(row, sort_keys=True, ensure_ascii=False, default=str) for row in result.rows]


@pytest.fixture(scope="module")
def neo4j_chechnya(neo4j_store_factory):
    store = neo4j_store_factory()
    load_paths(store, [CHECHNYA])
    yield store


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_named_query_gives_the_same_answer_on_both_stores(name, chechnya_store, neo4j_chechnya):
    query = load_queries()[name]
    params = PARAMS.get(name, {})
    embedded = query.run(chechnya_store, params)
    server = query.run(neo4j_chechnya, params)
    assert embedded.columns == server.columns
    assert canonical(embedded) == canonical(server)


def test_counts_are_the_same(chechnya_store, neo4j_chechnya):
    assert chechnya_store.counts() == neo4j_chechnya.counts()


def test_the_demo_on_neo4j_reports_the_same_contradictions(tmp_path, neo4j_uri, neo4j_store_factory):
    from click.testing import CliRunner

    from kg.cli import main

    neo4j_store_factory()  # an emptied database
    runner = CliRunner()
    embedded = runner.invoke(main, ["demo", "--out", str(tmp_path / "embedded")], catch_exceptions=False)
    server = runner.invoke(main, ["demo", "--out", str(tmp_path / "server"), "--store", neo4j_uri],
                           catch_exceptions=False)
    assert embedded.exit_code == server.exit_code == 0
    assert (tmp_path / "embedded" / "contradictions.md").read_text() == (tmp_path / "server" / "contradictions.md").read_text()


def test_every_named_query_agrees_on_a_generated_corpus(tmp_path, neo4j_store_factory):
    """A larger graph than the example: recurring actors under varying aliases, many articles."""
    from kg.generate import generate_corpus
    from kg.stores.ladybug import LadybugStore

    corpus = tmp_path / "corpus"
    generate_corpus(corpus, 40, 11)
    server = neo4j_store_factory()
    load_paths(server, [corpus], per_transaction=10)
    with LadybugStore(tmp_path / "embedded") as embedded:
        load_paths(embedded, [corpus], per_transaction=10)
        assert embedded.counts() == server.counts()
        speakers = [row[0] for row in embedded.run(
            "MATCH (a:Actor)-[:SAID]->(s:Statement) RETURN a.id, count(s) AS n ORDER BY n DESC, a.id LIMIT 2"
        ).rows]
        params = {
            "actor_profile": {"actor": speakers[0]},
            "statements_about": {"subject": "a"},
            "neighbourhood": {"actor": speakers[0], "depth": "2"},
            "paths_between": {"source": speakers[0], "target": speakers[1]},
        }
        for name, query in load_queries().items():
            left = query.run(embedded, params.get(name, {}))
            right = query.run(server, params.get(name, {}))
            assert left.columns == right.columns, name
            assert canonical(left) == canonical(right), name
            assert left.rows or name == "paths_between", name
