"""The embedded store: idempotent, transactional loads and alias merging, on real LadybugDB files."""

import pytest

from kg.errors import CaseFileError, KGError, StoreError, WriteNotAllowedError
from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore

from conftest import CHECHNYA, MINIMAL_CASE, write_case


def nonzero(counts):
    return {k: v for k, v in counts.items() if v}


def test_loading_twice_changes_nothing(fresh_store):
    load_paths(fresh_store, [CHECHNYA])
    first = fresh_store.counts()
    load_paths(fresh_store, [CHECHNYA])
    assert fresh_store.counts() == first
    assert first["Article"] == 1 and first["Statement"] >= 20 and first["Contradiction"] >= 10


def test_the_same_actor_in_two_files_is_one_node(fresh_store, tmp_path):
    load_paths(fresh_store, [write_case(tmp_path / "one", MINIMAL_CASE)])
    other = MINIMAL_CASE.replace("name: Ivan Petrov", "name: PETROV").replace(
        "aliases: [Petrov, the minister]", "aliases: [I. Petrov]"
    )
    load_paths(fresh_store, [write_case(tmp_path / "two", other, article="Petrov said: “Nothing happened.” A survivor said he was beaten. Again.")])
    rows = fresh_store.run(
        "MATCH (a:Actor) WHERE 'petrov' IN a.name_keys RETURN a.id, a.name, a.aliases"
    ).rows
    assert len(rows) == 1
    actor_id, name, aliases = rows[0]
    assert (actor_id, name) == ("actor:ivan-petrov", "Ivan Petrov")
    assert set(aliases) == {"Petrov", "the minister", "PETROV", "I. Petrov"}
    said = fresh_store.run("MATCH (a:Actor {id: 'actor:ivan-petrov'})-[:SAID]->(s) RETURN count(s)").rows
    assert said == [[2]]


def test_unicode_and_invisible_characters_do_not_split_an_actor(fresh_store, tmp_path):
    load_paths(fresh_store, [write_case(tmp_path / "one", MINIMAL_CASE)])
    disguised = MINIMAL_CASE.replace("name: Ivan Petrov", "name: \"Ivan\u00a0Pe\u200btrov\"")
    load_paths(fresh_store, [write_case(tmp_path / "two", disguised, article="The minister said: “Nothing happened.” A survivor said he was beaten!")])
    assert fresh_store.run("MATCH (a:Actor) WHERE a.id = 'actor:ivan-petrov' RETURN count(a)").rows == [[1]]
    assert fresh_store.counts()["Actor"] == 2


def test_a_bad_file_among_good_ones_writes_nothing(fresh_store, tmp_path):
    good = write_case(tmp_path / "a-good", MINIMAL_CASE)
    bad = write_case(tmp_path / "b-bad", MINIMAL_CASE.replace("stance: denial", "stance: maybe"))
    with pytest.raises(CaseFileError):
        load_paths(fresh_store, [good, bad])
    assert nonzero(fresh_store.counts()) == {}


def test_a_write_that_fails_midway_is_rolled_back(fresh_store, monkeypatch):
    original = fresh_store.edge_write_statement

    def broken(rel_type, *shape_and_clause):
        # Nodes and several relationship types are written before SAID fails.
        return "THIS IS NOT CYPHER" if rel_type == "SAID" else original(rel_type, *shape_and_clause)

    monkeypatch.setattr(fresh_store, "edge_write_statement", broken)
    with pytest.raises(StoreError):
        load_paths(fresh_store, [CHECHNYA])
    assert nonzero(fresh_store.counts()) == {}
    monkeypatch.setattr(fresh_store, "edge_write_statement", original)
    load_paths(fresh_store, [CHECHNYA])
    assert fresh_store.counts()["SAID"] > 0


def test_reads_refuse_writes_and_read_only_stores_need_a_store(fresh_store, tmp_path):
    with pytest.raises(WriteNotAllowedError):
        fresh_store.run("MATCH (a:Actor) SET a.name = 'x'")
    assert fresh_store.run("MATCH (a:Actor) RETURN 'SET a.name' AS text").rows == []
    with pytest.raises(StoreError, match="no kg store here"):
        LadybugStore(tmp_path / "missing", read_only=True)


def test_a_second_writer_is_told_the_store_is_busy(fresh_store, tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\nfrom kg.stores.ladybug import LadybugStore\nfrom kg.errors import StoreLockedError\n"
        f"try:\n    LadybugStore({str(fresh_store.directory)!r})\nexcept StoreLockedError as e:\n    print(e); sys.exit(3)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    assert "another kg process is writing to this store" in result.stdout


def test_a_hostile_name_is_stored_verbatim(fresh_store, tmp_path):
    hostile = "x' }) DETACH DELETE n //"
    body = MINIMAL_CASE.replace("name: Ivan Petrov", f'name: "{hostile}"')
    load_paths(fresh_store, [write_case(tmp_path, body)])
    assert fresh_store.run("MATCH (a:Actor) WHERE a.name = $name RETURN count(a)", {"name": hostile}).rows == [[1]]
    assert fresh_store.counts()["Statement"] == 2


def test_transliterations_merge_and_lookalikes_are_flagged_not_merged(fresh_store, tmp_path):
    article = "Кадыров said: “Nothing happened.” Kаdyrov said he was beaten. Ramzan Kadyrov spoke."
    body = """\
article:
  title: Names
  text_file: article.txt
actors:
  - {id: latin, name: Ramzan Kadyrov, type: Person, aliases: [Kadyrov]}
"""
    load_paths(fresh_store, [write_case(tmp_path / "latin", body, article=article)])
    cyrillic = body.replace("{id: latin, name: Ramzan Kadyrov, type: Person, aliases: [Kadyrov]}",
                            "{id: cyr, name: Кадыров, type: Person}")
    load_paths(fresh_store, [write_case(tmp_path / "cyrillic", cyrillic, article=article)])
    assert fresh_store.counts()["Actor"] == 1
    (aliases,) = fresh_store.run("MATCH (a:Actor) RETURN a.aliases").rows[0]
    assert "Кадыров" in aliases

    lookalike = body.replace("{id: latin, name: Ramzan Kadyrov, type: Person, aliases: [Kadyrov]}",
                             "{id: fake, name: Kаdyrov, type: Person}")
    load_paths(fresh_store, [write_case(tmp_path / "lookalike", lookalike, article=article)])
    assert fresh_store.counts()["Actor"] == 2
    rows = fresh_store.run(
        "MATCH (a:Actor)-[r:POSSIBLY_SAME_AS]->(b:Actor) RETURN a.name, b.name, r.status, r.produced_by"
    ).rows
    assert rows == [["Kаdyrov", "Ramzan Kadyrov", "open", "rule:lookalike"]]


def test_many_articles_per_transaction_give_the_same_graph(tmp_path):
    one = write_case(tmp_path / "one", MINIMAL_CASE)
    two = write_case(tmp_path / "two", MINIMAL_CASE.replace("name: Ivan Petrov", "name: PETROV"),
                     article="Petrov said: “Nothing happened.” A survivor said he was beaten. Again.")
    counts = []
    for per_transaction in (1, 2):
        with LadybugStore(tmp_path / f"store-{per_transaction}") as store:
            report = load_paths(store, [one, two], per_transaction=per_transaction)
            assert report.files == 2
            counts.append(store.counts())
            assert store.run("MATCH (a:Actor) WHERE 'petrov' IN a.name_keys RETURN count(a)").rows == [[1]]
    assert counts[0] == counts[1]


def test_a_store_made_by_an_older_kg_is_brought_up_to_date(tmp_path):
    from kg.ontology import load_ontology
    from kg.resources import resource_path

    old_ttl = resource_path("ontology", "kg.ttl").read_text(encoding="utf-8")
    old_ttl = old_ttl.replace("kg:encoding a owl:DatatypeProperty", "kg:encodingGone a owl:AnnotationProperty")
    old_ttl = old_ttl.replace('kg:relType "PREVIOUS_VERSION" ;', "")
    path = tmp_path / "old.ttl"
    path.write_text(old_ttl, encoding="utf-8")
    old = load_ontology(path)
    assert "PREVIOUS_VERSION" not in old.relationships and "encoding" not in old.nodes["Article"].columns
    LadybugStore(tmp_path / "store", ontology=old).close()

    with pytest.raises(StoreError, match="made by an older kg"):
        LadybugStore(tmp_path / "store", read_only=True)
    with LadybugStore(tmp_path / "store") as store:
        assert store.schema_changes() == []
    with LadybugStore(tmp_path / "store", read_only=True) as store:
        assert store.run("MATCH (a:Article) RETURN a.encoding").rows == []


@pytest.mark.parametrize("kind", ["ladybug", "neo4j"])
def test_a_store_without_name_keys_gets_them_and_a_reload_finds_its_actors(kind, tmp_path, request):
    """Stores made before NameKey nodes (the index loaders find actors by) are given them when
    opened for writing, so that loading again does not make the actors a second time."""
    if kind == "ladybug":
        def reopen():
            return LadybugStore(tmp_path / "store")
    else:
        factory = request.getfixturevalue("neo4j_store_factory")
        factory().close()  # empties the database
        from conftest import open_neo4j

        uri = request.getfixturevalue("neo4j_uri")

        def reopen():
            return open_neo4j(uri)
    with reopen() as store:
        load_paths(store, [CHECHNYA])
        expected = store.counts()
        keys = store.run("MATCH (k:NameKey) RETURN count(k)").rows[0][0]
        assert keys == store.run("MATCH (a:Actor) UNWIND a.name_keys AS key RETURN count(key)").rows[0][0]
        store.run("MATCH (k:NameKey) DELETE k", write=True)
    with reopen() as store:
        assert store.run("MATCH (k:NameKey) RETURN count(k)").rows[0][0] == keys
        load_paths(store, [CHECHNYA])
        assert store.counts() == expected


def test_an_extracted_actor_matching_two_stored_actors_stays_apart_and_is_flagged(fresh_store, tmp_path):
    """A case file naming an actor that matches two stored ones is refused (a curator can fix
    it); an extracted one cannot be asked, so it stays an actor of its own, proposed as
    possibly the same as both, and its shared names keep finding the actors that had them."""
    from kg.casefile import load_casefile

    load_paths(fresh_store, [write_case(tmp_path / "one", MINIMAL_CASE)])
    ambiguous = MINIMAL_CASE.replace("aliases: [Petrov, the minister]", "aliases: [Petrov, Survivor A]").replace(
        "name: Survivor A", "name: Survivor B"
    )
    article = "The minister said: “Nothing happened.” A survivor said he was beaten. Later."
    bundle = load_casefile(write_case(tmp_path / "two", ambiguous, article=article))
    with pytest.raises(KGError, match="matches several stored actors"):
        fresh_store.write_bundles([bundle])
    bundle.curated = False  # as the extractor's bundles are
    for _ in range(2):  # and loading it again changes nothing
        fresh_store.write_bundles([bundle])
        proposals = fresh_store.run(
            "MATCH (a:Actor)-[r:POSSIBLY_SAME_AS]->(b:Actor) RETURN a.name, b.name, r.key, r.status"
        ).rows
        assert proposals == [["Ivan Petrov", "Survivor A", "shared-name", "open"]]
    names = fresh_store.run("MATCH (a:Actor) RETURN a.name ORDER BY a.name").rows
    assert names == [["Ivan Petrov"], ["Survivor A"], ["Survivor B"]]
    holders = dict(fresh_store.run("MATCH (k:NameKey) MATCH (a:Actor {id: k.actor}) RETURN k.id, a.name").rows)
    assert holders["petrov"] == "Ivan Petrov" and holders["survivor a"] == "Survivor A"


def test_many_small_transactions_fit_a_small_buffer_pool(tmp_path, monkeypatch):
    """Committed transactions hold buffer-pool pages until the next checkpoint: the checkpoint
    threshold follows the pool's size, so one-article transactions never fill it."""
    from kg.generate import generate_corpus

    generate_corpus(tmp_path / "corpus", 150, 3)
    monkeypatch.setenv("KG_BUFFER_POOL_MB", "128")
    with LadybugStore(tmp_path / "store") as store:
        report = load_paths(store, [tmp_path / "corpus"], per_transaction=1)
        assert report.articles == 150
        assert store.counts()["Article"] == 150


@pytest.mark.parametrize("kind", ["ladybug", "neo4j"])
@pytest.mark.parametrize("many", [3, 80])  # LadybugDB writes 64 rows or more through Arrow
def test_adding_nodes_creates_the_new_and_leaves_the_stored_as_they_are(kind, many, tmp_path, request):
    store = (request.getfixturevalue("neo4j_store_factory")() if kind == "neo4j"
             else LadybugStore(tmp_path / "store"))
    columns = store.ontology.nodes["Contradiction"].columns

    def row(number, status):
        return {**dict.fromkeys(columns), "id": f"contradiction:{number}", "basis": "polarity",
                "explanation": "detected", "score": 0.5, "produced_by": "rule:detector/polarity", "status": status}

    with store.transaction() as tx:
        store.add_nodes(tx, "Contradiction", [row(0, "confirmed")])
    with store.transaction() as tx:
        created = store.add_nodes(tx, "Contradiction", [row(n, "open") for n in range(many)])
    stored = dict(store.run("MATCH (c:Contradiction) RETURN c.id, c.status").rows)
    assert stored == {f"contradiction:{n}": "confirmed" if n == 0 else "open" for n in range(many)}
    # The ids created, where the store learns them (LadybugDB seeks them first; Neo4j's MERGE does not say).
    assert created == ({f"contradiction:{n}" for n in range(1, many)} if kind == "ladybug" else set())
    if kind == "ladybug":
        store.close()


@pytest.mark.parametrize("kind", ["ladybug", "ladybug read-only", "neo4j"])
def test_a_store_reads_within_a_capped_cache_and_writes_on_after_it(kind, tmp_path, request, chechnya_dir):
    """The detector lets go of the store's cache after it reads the statements, and caches
    little of what it reads after (capped_cache): the store reads as it did within, and reads
    and writes as it did after."""
    if kind == "ladybug read-only":
        store = LadybugStore(chechnya_dir, read_only=True)
    else:
        store = request.getfixturevalue("neo4j_store_factory")() if kind == "neo4j" else LadybugStore(tmp_path / "store")
        load_paths(store, [CHECHNYA])
    embedded = kind != "neo4j"
    with store:
        before = store.counts()
        own_pool = store._db.buffer_pool_size if embedded else None
        with store.capped_cache(16):
            assert store.counts() == before
            if embedded:
                assert store._db.buffer_pool_size == 16 * 1024 * 1024
        assert store.counts() == before
        if embedded:
            assert store._db.buffer_pool_size == own_pool
        if kind != "ladybug read-only":
            load_paths(store, [CHECHNYA])
            assert store.counts() == before
