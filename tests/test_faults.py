"""Faults: a load killed mid-way, two loaders at once on one Neo4j database, a connection lost
during commit, and the loaders fed whatever the fuzz target makes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore

from conftest import MINIMAL_CASE, write_case

ARTICLE = "Report {n}. The minister said: “Nothing happened.” A survivor said he was beaten."


def make_cases(root, count, start=0):
    paths = []
    for n in range(start, start + count):
        paths.append(write_case(root / f"case-{n:04d}", MINIMAL_CASE, article=ARTICLE.format(n=n)))
    return paths


def kg_load(store, folder, *extra):
    env = {**os.environ, "KG_USER": "fault-test"}
    return subprocess.Popen([sys.executable, "-m", "kg", "load", "--store", str(store), str(folder), "-q", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def test_a_load_killed_midway_leaves_whole_articles_and_a_store_that_opens(tmp_path):
    make_cases(tmp_path / "cases", 300)
    started = time.monotonic()
    # Small groups, so that a kill can land between transactions.
    full = kg_load(tmp_path / "timing", tmp_path / "cases", "--per-transaction", "10")
    assert full.wait(timeout=600) == 0, full.stderr.read().decode()
    duration = time.monotonic() - started

    partial = 0
    for fraction in (0.6, 0.75, 0.45, 0.85, 0.3):
        store = tmp_path / f"killed-{fraction}"
        process = kg_load(store, tmp_path / "cases", "--per-transaction", "10")
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        with LadybugStore(store) as graph:
            articles = graph.run("MATCH (a:Article) RETURN count(a)").rows[0][0]
            incomplete = graph.run(
                "MATCH (a:Article) OPTIONAL MATCH (s:Statement)-[:REPORTED_IN]->(a) "
                "WITH a, count(s) AS statements WHERE statements <> 2 RETURN count(a)"
            ).rows[0][0]
            assert incomplete == 0
            assert graph.run("MATCH (c:Contradiction) RETURN count(c)").rows[0][0] == articles
            # The store takes the rest of the load afterwards, and ends where a clean load ends.
            load_paths(graph, [tmp_path / "cases"])
            assert graph.run("MATCH (a:Article) RETURN count(a)").rows[0][0] == 300
        if 0 < articles < 300:
            partial += 1
            break
    assert partial == 1, "no kill landed in the middle of a load"


_LOAD_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from kg.cli import main
from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore
store = LadybugStore(sys.argv[1])
load_paths(store, [Path(sys.argv[2])], per_transaction=5)
os.kill(os.getpid(), signal.SIGKILL)  # no close, so no checkpoint: the commits stay in the log
"""


@pytest.mark.parametrize("torn_bytes", [1, 700])
def test_a_log_torn_in_its_last_commit_opens_with_the_commits_before_it(tmp_path, caplog, torn_bytes):
    """A writer killed while it appends a commit to the write-ahead log leaves a torn record;
    the store opens with every whole commit, says so, and keeps the log as found."""
    make_cases(tmp_path / "cases", 20)
    store = tmp_path / "a store"  # LadybugDB names the log's path in one of its messages
    subprocess.run([sys.executable, "-c", _LOAD_THEN_DIE, str(store), str(tmp_path / "cases")], check=False)
    log = store / "graph.lbug.wal"
    as_written = log.read_bytes()
    log.write_bytes(as_written[:-torn_bytes])

    with LadybugStore(store, read_only=True) as graph:
        assert graph.run("MATCH (a:Article) RETURN count(a)").rows[0][0] == 15
    assert log.read_bytes() == as_written[:-torn_bytes], "a read-only open changed the log"
    stats = CliRunner().invoke(main, ["stats", "--store", str(store), "--json"])
    assert stats.exit_code == 0 and json.loads(stats.stdout)["Article"] == 15
    assert stats.stderr == (
        f"kg: warning: {store}: the write-ahead log ended in a damaged record (a writer stopped mid-write); "
        "opened with the transactions committed before it; open it once for writing to repair the log\n")
    with LadybugStore(store) as graph:
        assert graph.run("MATCH (a:Article) RETURN count(a)").rows[0][0] == 15
        load_paths(graph, [tmp_path / "cases"])
        assert graph.run("MATCH (a:Article) RETURN count(a)").rows[0][0] == 20
    assert (store / "graph.lbug.wal.damaged").read_bytes() == as_written[:-torn_bytes]
    warnings = [record.getMessage() for record in caplog.records if record.name == "kg.stores.ladybug"]
    assert warnings == 2 * [
        f"{store}: the write-ahead log ended in a damaged record (a writer stopped mid-write); opened with the "
        "transactions committed before it; open it once for writing to repair the log",
    ] + [
        f"{store}: the write-ahead log ended in a damaged record (a writer stopped mid-write); opened with the "
        "transactions committed before it; the log as found is kept in graph.lbug.wal.damaged",
    ]


def test_two_loaders_on_one_neo4j_database_give_the_counts_of_one_after_the_other(tmp_path, neo4j_uri,
                                                                                  neo4j_store_factory):
    server = neo4j_store_factory()
    make_cases(tmp_path / "a", 60, start=0)
    make_cases(tmp_path / "b", 60, start=30)  # 30 articles in both folders
    with LadybugStore(tmp_path / "sequential") as sequential:
        load_paths(sequential, [tmp_path / "a"])
        load_paths(sequential, [tmp_path / "b"])
        expected = sequential.counts()
    # One article per transaction, so that the two loads interleave.
    first = kg_load(neo4j_uri, tmp_path / "a", "--per-transaction", "1")
    second = kg_load(neo4j_uri, tmp_path / "b", "--per-transaction", "1")
    for process in (first, second):
        assert process.wait(timeout=600) == 0, process.stderr.read().decode()
    assert server.counts() == expected


def test_a_connection_lost_during_commit_is_an_unknown_outcome_in_one_line():
    """The driver raises IncompleteCommit (a ServiceUnavailable) when the answer to a commit
    never comes: that is not "cannot reach the server" but an unknown outcome, and the message
    says what to do."""
    from neo4j.exceptions import IncompleteCommit

    from kg.errors import StoreConnectionError
    from kg.stores.neo4j import _translated

    with pytest.raises(StoreConnectionError) as raised:
        with _translated("bolt://db.example:7687"):
            raise IncompleteCommit("Failed to read from defunct connection")
    assert str(raised.value) == (
        "bolt://db.example:7687: the connection to the Neo4j server was lost while committing, so the outcome "
        "is unknown: the write may or may not be saved; run the same load again: writes are idempotent, so it "
        "converges")
    assert "\n" not in str(raised.value)


def test_a_load_cut_off_midway_on_neo4j_converges_when_run_again(tmp_path, neo4j_uri, neo4j_store_factory):
    """A kg load whose connection dies mid-way (the process is killed, so the server sees the
    connection drop with a transaction open or committing) leaves whole articles; running the
    same load again ends with the counts of one clean load."""
    server = neo4j_store_factory()
    make_cases(tmp_path / "cases", 40)
    with LadybugStore(tmp_path / "clean") as clean:
        load_paths(clean, [tmp_path / "cases"])
        expected = clean.counts()
    process = kg_load(neo4j_uri, tmp_path / "cases", "--per-transaction", "1")
    deadline = time.monotonic() + 120
    while server.run("MATCH (a:Article) RETURN count(a)").rows[0][0] < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    cut = server.counts()
    assert 0 < cut["Article"] < 40, "the kill did not land in the middle of the load"
    assert cut["Statement"] == 2 * cut["Article"] and cut["Contradiction"] == cut["Article"]
    again = kg_load(neo4j_uri, tmp_path / "cases")
    assert again.wait(timeout=600) == 0, again.stderr.read().decode()
    assert server.counts() == expected


def test_the_loader_fuzz_target_survives_a_few_hundred_inputs():
    """fuzz/fuzz_loaders.py as documented: case files, every article format and the extractor
    fed seeds, hostile mutations and random bytes; only KGErrors may come out."""
    fuzz = Path(__file__).resolve().parent.parent / "fuzz" / "fuzz_loaders.py"
    done = subprocess.run([sys.executable, str(fuzz), "--runs", "300", "--seed", "0"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "fuzz_loaders: 300 inputs, no crash\n"


def test_a_csv_collection_the_csv_module_cannot_read_is_an_input_error(tmp_path):
    """Found by the fuzz target: a stray carriage return made the csv module's own error escape."""
    from kg.articles import read_articles
    from kg.errors import InputError

    path = tmp_path / "articles.csv"
    path.write_bytes(b"\rtitle,text\nOne,No.\n")
    with pytest.raises(InputError) as raised:
        list(read_articles(path))
    assert str(raised.value) == f"{path}:1: a CSV collection needs a header row with a text column"
    path.write_text("title,text\nOne," + "x" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        list(read_articles(path))
    assert str(raised.value) == f"{path}:2: not CSV: field larger than field limit (131072)"
