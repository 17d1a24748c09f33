"""The load path at scale: worker processes, groups of articles, the spool of validated case files.

Partitioning the work by article must not change the graph: the same corpus loaded with one
process and with two workers, in groups of any size, gives identical nodes and relationships
(audit entries aside, which name the time)."""

from __future__ import annotations

import json
import shutil

import pytest

from kg.errors import CaseFileError
from kg.generate import generate_corpus
from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus") / "corpus"
    generate_corpus(folder, 24, 5)
    return folder


@pytest.fixture(scope="module")
def raw_articles(corpus, tmp_path_factory):
    """The corpus's article texts alone, so that they go through the extractor."""
    folder = tmp_path_factory.mktemp("raw")
    for article in sorted(corpus.glob("*/article.txt")):
        shutil.copy(article, folder / f"{article.parent.name}.txt")
    return folder


def snapshot(store: LadybugStore) -> list[str]:
    """Every content node and relationship with its properties, in a stable order."""
    lines = []
    for label in store.ontology.content_nodes:
        query = store.ontology.render("MATCH (n:{label}) RETURN n ORDER BY n.id", label=label)
        lines += [json.dumps(row, sort_keys=True) for row in store.run(query).rows]
    for rel in store.ontology.relationships:
        query = store.ontology.render("MATCH (a)-[r:{rel}]->(b) RETURN a.id, b.id, r", rel=rel)
        lines += [json.dumps(row, sort_keys=True) for row in store.run(query).rows]
    return sorted(lines)


@pytest.mark.parametrize("inputs", ["corpus", "raw_articles"])
def test_two_workers_and_any_group_size_give_the_graph_of_one_process(inputs, request, tmp_path):
    folder = request.getfixturevalue(inputs)
    graphs = []
    for workers, per_transaction in ((1, 1), (2, 5), (2, 100)):
        with LadybugStore(tmp_path / f"store-{workers}-{per_transaction}") as store:
            report = load_paths(store, [folder], workers=workers, per_transaction=per_transaction)
            assert report.articles == 24
            graphs.append(snapshot(store))
    # The relationships of new nodes are created, not merged; loading again merges them all.
    with LadybugStore(tmp_path / "store-2-100") as store:
        load_paths(store, [folder], per_transaction=100)
        graphs.append(snapshot(store))
    assert graphs[0] == graphs[1] == graphs[2] == graphs[3]
    assert any('"Statement"' in line for line in graphs[0])


def test_an_error_found_by_a_worker_names_the_file_and_line_and_nothing_is_written(corpus, tmp_path):
    folder = tmp_path / "cases"
    shutil.copytree(corpus, folder)
    broken = folder / "000017" / "case.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "  colour: green")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with LadybugStore(tmp_path / "store") as store:
        with pytest.raises(CaseFileError) as raised:
            load_paths(store, [folder], workers=2, per_transaction=4)
        assert raised.value.where == f"{broken}:3"
        assert "colour" in raised.value.message
        assert store.run("MATCH (a:Article) RETURN count(a)").rows[0][0] == 0
