"""Fixtures: real LadybugDB stores in temporary directories, and the example case loaded once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore

REPO = Path(__file__).resolve().parent.parent
CHECHNYA = REPO / "examples" / "chechnya"


@pytest.fixture(autouse=True, scope="session")
def private_user_config(tmp_path_factory):
    """Keys made for server stores go to a temporary config folder, not the real home."""
    patcher = pytest.MonkeyPatch()
    patcher.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    patcher.delenv("KG_PSEUDONYM_KEY", raising=False)
    yield
    patcher.undo()


@pytest.fixture(scope="session")
def neo4j_uri():
    """The Neo4j test server. Missing is a failure, not a skip: a skipped store test looks passed."""
    uri = os.environ.get("KG_TEST_NEO4J_URI")
    if not uri:
        pytest.fail(
            "KG_TEST_NEO4J_URI is not set: start a server with `scripts/neo4j-test-server start` "
            "and set KG_TEST_NEO4J_URI to the bolt:// URI it prints",
            pytrace=False,
        )
    return uri


def open_neo4j(uri, **kwargs):
    from kg.errors import StoreConnectionError
    from kg.stores.neo4j import Neo4jStore

    try:
        return Neo4jStore(uri, **kwargs)
    except StoreConnectionError as exc:
        pytest.fail(
            f"the Neo4j test server named by KG_TEST_NEO4J_URI does not answer ({exc}); "
            "is `scripts/neo4j-test-server start` running?",
            pytrace=False,
        )


@pytest.fixture(scope="module")
def neo4j_store_factory(neo4j_uri):
    """Opens Neo4j stores on an emptied database; closes them after the module."""
    opened = []

    def factory():
        store = open_neo4j(neo4j_uri)
        store.run("MATCH (n) DETACH DELETE n", write=True)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def fresh_store(tmp_path):
    with LadybugStore(tmp_path / "store") as store:
        yield store


@pytest.fixture(scope="session")
def chechnya_dir(tmp_path_factory):
    """A store with the Chechnya case loaded, closed again so tests can open it read-only."""
    directory = tmp_path_factory.mktemp("chechnya") / "store"
    with LadybugStore(directory) as store:
        load_paths(store, [CHECHNYA])
    return directory


@pytest.fixture
def chechnya_store(chechnya_dir):
    with LadybugStore(chechnya_dir, read_only=True) as store:
        yield store


def write_case(directory: Path, body: str, article: str = "The minister said: “Nothing happened.” A survivor said he was beaten.") -> Path:
    """A small case file with its article beside it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "article.txt").write_text(article, encoding="utf-8")
    path = directory / "case.yaml"
    path.write_text(body, encoding="utf-8")
    return path


MINIMAL_CASE = """\
article:
  title: A test report
  publisher: Test Wire
  published: "2020-01-02"
  text_file: article.txt
actors:
  - id: minister
    name: Ivan Petrov
    type: Person
    aliases: [Petrov, the minister]
    roles: [official]
  - id: survivor
    name: Survivor A
    type: Person
    roles: [survivor]
    sensitive: true
statements:
  - id: denial
    speaker: minister
    text: "Nothing happened."
    kind: direct
    stance: denial
  - id: testimony
    speaker: survivor
    text: "he was beaten"
    kind: indirect
    stance: testimony
contradictions:
  - a: denial
    b: testimony
    basis: polarity
    explanation: The minister denies what the survivor describes.
"""
