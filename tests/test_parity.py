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
