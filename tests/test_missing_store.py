"""Only the commands that bring data in make an embedded store; every other command refuses a
--store that does not exist, in one line, and makes nothing. A server is left as it is."""

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import MINIMAL_CASE, write_case

# Every command that writes to the store it is given, but brings no data in.
WRITERS = [
    ("contradictions", "detect"),
    ("contradictions", "detect", "--dry-run"),
    ("contradictions", "confirm", "contradiction:1d47e9bf9d67d3fedda6", "--note", "checked"),
    ("contradictions", "reject", "contradiction:1d47e9bf9d67d3fedda6"),
    ("merges", "confirm", "merge:3f2a9c0d1e4b"),
    ("merges", "reject", "merge:3f2a9c0d1e4b"),
    ("merges", "unsure", "merge:3f2a9c0d1e4b"),
    ("sensitive", "mark", "Ivan Petrov"),
    ("sensitive", "mark", "--role", "victim"),
    ("sensitive", "unmark", "Ivan Petrov"),
    ("restricted", "mark", "Ivan Petrov"),
    ("restricted", "unmark", "Ivan Petrov"),
    ("cypher", "MATCH (a:Actor) SET a.name = 'x'", "--write"),
]


def kg(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def refused(where):
    return f"kg: error: {where}: no kg store here; load something first (kg load or kg demo)\n"


@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_a_write_command_refuses_a_store_that_does_not_exist(command, tmp_path):
    missing = tmp_path / "mistyped"
    result = kg(*command, "--store", missing)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", refused(missing))
    assert not missing.exists()

    empty = tmp_path / "empty"  # a directory, but no store in it
    empty.mkdir()
    result = kg(*command, "--store", empty)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", refused(empty))
    assert list(empty.iterdir()) == []


def test_the_default_store_is_refused_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = kg("contradictions", "detect", env={"KG_STORE": None, "KG_DB": None})
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", refused("kg-data"))
    assert list(tmp_path.iterdir()) == []


def test_load_and_init_make_a_store_and_the_writers_then_work(tmp_path):
    loaded, initialised = tmp_path / "loaded", tmp_path / "initialised"
    result = kg("load", "--store", loaded, write_case(tmp_path / "case", MINIMAL_CASE))
    assert (result.exit_code, result.stdout) == (0, "loaded 1 file(s), 1 article(s): 6 nodes, 8 relationships\n")
    result = kg("init", "--store", initialised)
    assert (result.exit_code, result.stdout) == (0, f"schema ready: {initialised}\n")
    assert kg("contradictions", "detect", "--store", initialised).stdout == (
        "detected 0 contradictions (none) in 0 statements: 0 new, 0 updated, 0 unchanged, "
        "0 kept as reviewed, 0 already recorded\n")
    result = kg("contradictions", "reject", "contradiction:1d47e9bf9d67d3fedda6", "--store", loaded)
    assert (result.exit_code, result.stdout) == (0, "rejected contradiction:1d47e9bf9d67d3fedda6 (was confirmed)\n")
    assert kg("sensitive", "mark", "--role", "victim", "--store", loaded).stdout == "marked sensitive: role:victim\n"


def test_a_server_is_not_refused(neo4j_store_factory, neo4j_uri):
    neo4j_store_factory()  # an emptied database: a server holds no store to be missing
    assert kg("contradictions", "detect", "--store", neo4j_uri).stdout == (
        "detected 0 contradictions (none) in 0 statements: 0 new, 0 updated, 0 unchanged, "
        "0 kept as reviewed, 0 already recorded\n")
    result = kg("contradictions", "confirm", "abc", "--store", neo4j_uri)
    assert (result.exit_code, result.stderr) == (
        1, "kg: error: no contradiction with id 'abc'; `kg contradictions list` shows them\n")
