"""kg push and kg pull between a real LadybugDB store and a real Neo4j server."""

from click.testing import CliRunner

from kg.cli import main
from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore

from conftest import CHECHNYA


def test_push_then_pull_round_trips_and_is_idempotent(tmp_path, neo4j_uri, neo4j_store_factory):
    server = neo4j_store_factory()
    local = tmp_path / "local"
    with LadybugStore(local) as store:
        load_paths(store, [CHECHNYA])
        expected = store.counts()
    runner = CliRunner()
    first = runner.invoke(main, ["push", "--to", neo4j_uri, "--store", str(local), "-q"], catch_exceptions=False)
    assert first.exit_code == 0
    # The 104 nodes of the case, the audit entry of its load (the log travels with the graph) and
    # the 34 name keys of its 27 actors (the index loaders find actors by).
    assert first.stdout.startswith("copied 139 nodes and 264 relationships from ")
    assert server.counts() == expected
    runner.invoke(main, ["push", "--to", neo4j_uri, "--store", str(local), "-q"], catch_exceptions=False)
    assert server.counts() == expected

    pulled = tmp_path / "pulled"
    result = runner.invoke(main, ["pull", "--from", neo4j_uri, "--store", str(pulled), "-q"], catch_exceptions=False)
    assert result.exit_code == 0
    with LadybugStore(pulled, read_only=True) as store:
        assert store.counts() == expected
        texts = sorted(r[0] for r in store.run("MATCH (s:Statement) RETURN s.text").rows)
    with LadybugStore(local, read_only=True) as store:
        assert texts == sorted(r[0] for r in store.run("MATCH (s:Statement) RETURN s.text").rows)


def test_push_needs_a_server_uri(tmp_path):
    result = CliRunner().invoke(main, ["push", "--to", str(tmp_path / "x")])
    assert (result.exit_code, result.stderr) == (1, f"kg: error: {tmp_path / 'x'}: --to takes a neo4j:// or bolt:// URI\n")
