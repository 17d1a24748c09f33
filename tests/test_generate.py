"""The synthetic corpus generator: deterministic, valid gold case files, recurring actors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.casefile import load_casefile, read_casefile
from kg.cli import main
from kg.errors import KGError
from kg.generate import generate_corpus, iter_articles
from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore

ARTICLES = 60


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "c"
    generate_corpus(out, ARTICLES, seed=11)
    return out


def test_layout_and_manifest(corpus):
    folders = sorted(p.name for p in corpus.iterdir() if p.is_dir())
    assert folders == [f"{n:06d}" for n in range(1, ARTICLES + 1)]
    for name in folders:
        assert sorted(p.name for p in (corpus / name).iterdir()) == ["article.txt", "case.yaml"]
    manifest = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    assert manifest["articles"] == ARTICLES and manifest["seed"] == 11
    assert manifest["statements"] > ARTICLES and manifest["contradictions"] >= ARTICLES
    assert set(manifest["query_params"]) == {"actor_profile", "statements_about", "neighbourhood", "paths_between"}


def test_same_seed_gives_identical_bytes(corpus, tmp_path):
    again = tmp_path / "again"
    generate_corpus(again, ARTICLES, seed=11)
    assert tree_bytes(again) == tree_bytes(corpus)


def test_another_seed_gives_another_corpus(corpus, tmp_path):
    other = tmp_path / "other"
    generate_corpus(other, ARTICLES, seed=12)
    assert tree_bytes(other) != tree_bytes(corpus)


def test_streamed_articles_match_the_files(corpus):
    for article in iter_articles(ARTICLES, 11):
        folder = corpus / f"{article.number:06d}"
        assert (folder / "article.txt").read_text(encoding="utf-8") == article.text
        assert (folder / "case.yaml").read_text(encoding="utf-8") == article.case_yaml


def test_every_case_file_loads_and_has_contradictions(corpus):
    kinds = {"direct": 0, "indirect": 0}
    bases: set[str] = set()
    stances: set[str] = set()
    for path in sorted(corpus.glob("*/case.yaml")):
        case = read_casefile(path)
        bundle = load_casefile(path)
        contradictions = [n for n in bundle.nodes if n.label == "Contradiction"]
        assert contradictions, path
        bases.update(c.props["basis"] for c in contradictions)
        # contradictions join statements of the same article
        statement_ids = {n.id for n in bundle.nodes if n.label == "Statement"}
        involved = [e.target for e in bundle.edges if e.type == "INVOLVES"]
        assert involved and set(involved) <= statement_ids
        for item in case.items("statements"):
            kinds[item["kind"]] += 1
            stances.add(item["stance"])
            span = case.spans[(item["id"], "text")]
            assert case.text[span.start:span.end].strip() == case.text[span.start:span.end]
    assert kinds["direct"] and kinds["indirect"]
    assert {"denial", "testimony", "accusation"} <= stances
    assert {"polarity", "numeric"} <= bases


def test_events_have_places_dates_and_counts(corpus):
    events = [item for path in sorted(corpus.glob("*/case.yaml")) for item in read_casefile(path).items("events")]
    assert any(e["place"] for e in events)
    assert any(e["time_start"] for e in events)
    assert any(e["count"] is not None for e in events)
    assert any(e["key"] for e in events)


def test_back_references_and_syndicated_copies(corpus):
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*/article.txt"))]
    joined = "\n".join(texts)
    assert " he added" in joined or " she added" in joined
    assert "the group’s director" in joined or "The group said" in joined
    # a syndicated copy repeats an earlier article's body under another headline
    bodies = [text.split("\n", 1)[1].split("\n(Reporting by")[0].strip() for text in texts]
    assert len(set(bodies)) < len(bodies)


def test_recurring_actors_merge_into_one_node(corpus, tmp_path):
    """An official named in several articles under different forms (full name, with a
    middle initial, with an initial only) is one Actor node with those forms as aliases."""
    forms: dict[str, set[str]] = {}
    for path in sorted(corpus.glob("*/case.yaml")):
        for actor in read_casefile(path).items("actors"):
            if actor["id"] == "a-spokes":
                surname = actor["aliases"][0]
                forms.setdefault(surname, set()).add(actor["name"])
    surname, names = max(forms.items(), key=lambda kv: len(kv[1]))
    assert len(names) >= 2, "the generator varies name forms across articles"
    with LadybugStore(tmp_path / "store") as store:
        load_paths(store, [corpus])
        rows = store.run(
            "MATCH (a:Actor) WHERE $key IN a.name_keys RETURN a.id, a.name, a.aliases",
            {"key": surname.lower()},
        ).rows
        assert len(rows) == 1
        _, name, aliases = rows[0]
        assert names <= {name, *aliases}
        said = store.run(
            "MATCH (a:Actor {id: $id})-[:SAID]->(s:Statement)-[:REPORTED_IN]->(r:Article) RETURN count(DISTINCT r)",
            {"id": rows[0][0]},
        ).rows[0][0]
        assert said >= 2
        # the hub organisation recurs too, under one node
        hubs = store.run("MATCH (a:Actor) WHERE 'cwi' IN a.name_keys RETURN count(a)").rows[0][0]
        assert hubs <= 1
        # loading the corpus again changes nothing
        before = store.counts()
        load_paths(store, [corpus])
        after = store.counts()
        assert {k: v for k, v in after.items() if k != "AuditEntry"} == {
            k: v for k, v in before.items() if k != "AuditEntry"}


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(KGError, match="not empty"):
        generate_corpus(tmp_path, 2, seed=1)


def test_cli_generate(tmp_path):
    out = tmp_path / "c"
    result = CliRunner().invoke(main, ["generate", "--articles", "5", "--seed", "3", "--quiet", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 5 articles" in result.output
    assert (out / "000005" / "case.yaml").is_file()
    again = CliRunner().invoke(main, ["generate", "--articles", "5", "--seed", "3", str(out)])
    assert again.exit_code == 1 and "not empty" in again.output
    help_text = CliRunner().invoke(main, ["generate", "--help"]).output
    assert "Example:" in help_text
