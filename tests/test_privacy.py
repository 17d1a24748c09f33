"""Sensitive people and restricted items: marked in case files or by command, honoured by every
output that leaves the store (exports, visuals, reports, query results, the audit log)."""

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.loading import load_paths
from kg.privacy import (APOSTROPHES, NameMatcher, SpelledNames, _tree_pattern, mark_restricted, mark_sensitive,
                        protection, pseudonym, pseudonym_key)
from kg.rdf import store_graph
from kg.stores.ladybug import LadybugStore

from conftest import CHECHNYA, MINIMAL_CASE, write_case

KEY = "k" * 40


@pytest.fixture(autouse=True)
def pseudonym_key_set(monkeypatch):
    monkeypatch.setenv("KG_PSEUDONYM_KEY", KEY)
    monkeypatch.setenv("KG_USER", "analyst-3")


def kg(*args, code=0):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == code, result.output + result.stderr
    return result


@pytest.fixture
def chechnya(tmp_path):
    """A writable copy of the Chechnya case, loaded through the CLI."""
    store = tmp_path / "store"
    kg("load", "--store", store, CHECHNYA)
    return store


def every_output(store, tmp_path, *extra):
    """The text of every output that leaves the store."""
    texts = []
    for fmt in ("turtle", "jsonld", "graphml"):
        path = tmp_path / f"graph.{fmt}"
        kg("export", "--store", store, "--format", fmt, "-o", path, *extra)
        texts.append(path.read_text(encoding="utf-8"))
    page, gexf = tmp_path / "page.html", tmp_path / "page.gexf"
    kg("viz", "--store", store, "-o", page, "--gexf", gexf, *extra)
    texts += [page.read_text(encoding="utf-8"), gexf.read_text(encoding="utf-8")]
    reveal = ["--reveal"] if "--reveal" in extra else []
    texts.append(kg("query", "run", "actor_profile", "-p", "actor=actor:maxim-lapunov", "--store", store, "--json",
                    *reveal).stdout)
    texts.append(kg("query", "run", "timeline", "--store", store, "--json", *reveal).stdout)
    texts.append(kg("cypher", "MATCH (a:Actor) RETURN a.name, a.aliases, a.id", "--store", store, *reveal).stdout)
    texts.append(kg("contradictions", "--format", "markdown", "--store", store, *reveal).stdout)
    texts.append(kg("audit", "--store", store, "--json", *reveal).stdout)
    return texts


def test_an_actor_marked_by_command_is_pseudonymised_in_every_output(chechnya, tmp_path):
    assert kg("sensitive", "mark", "Lapunov", "--note", "asked not to be named", "--store", chechnya).stdout == \
        f"marked sensitive: {pseudonym('actor:maxim-lapunov', KEY.encode())}\n"
    for text in every_output(chechnya, tmp_path):
        assert "lapunov" not in text.casefold()
    assert pseudonym("actor:maxim-lapunov", KEY.encode()) in every_output(chechnya, tmp_path)[0]
    revealed = every_output(chechnya, tmp_path, "--reveal")
    assert all("Lapunov" in text for text in revealed[:-1])


def test_marks_are_audited_and_survive_a_reload(chechnya):
    kg("sensitive", "mark", "Lapunov", "--store", chechnya)
    kg("load", "--store", chechnya, CHECHNYA)
    with LadybugStore(chechnya, read_only=True) as graph:
        assert protection(graph).sensitive["actor:maxim-lapunov"] == "command"
    log = json.loads(kg("audit", "--store", chechnya, "--json", "--reveal").stdout)
    assert [(e["action"], e["subject"], e["user"]) for e in log if e["action"] != "load"] == [
        ("mark_sensitive", "actor:maxim-lapunov", "analyst-3")]


def test_unmark_overrides_the_case_file_and_refuses_what_is_not_marked(chechnya):
    listed = kg("sensitive", "list", "--store", chechnya, "--csv").stdout.splitlines()
    assert listed[0] == "shown as,name,why" and listed[1].endswith(",(withheld),case file")
    assert kg("sensitive", "list", "--store", chechnya, "--csv", "--reveal").stdout.splitlines()[1].endswith(
        ",Father of Zelimkhan Akhmadov,case file")
    kg("sensitive", "unmark", "Father of Zelimkhan Akhmadov", "--store", chechnya)
    assert kg("sensitive", "list", "--store", chechnya, "--csv").stdout == "shown as,name,why\n"
    refused = kg("sensitive", "unmark", "Kadyrov", "--store", chechnya, code=1)
    assert refused.stderr == "kg: error: 'Kadyrov' is not marked sensitive\n"
    assert kg("sensitive", "mark", "Nobody Atall", "--store", chechnya, code=1).stderr == \
        "kg: error: no actor named 'Nobody Atall'\n"


def test_a_role_marked_by_command_covers_actor_roles_and_event_participants(chechnya, tmp_path):
    kg("sensitive", "mark", "--role", "victim", "--store", chechnya)
    with LadybugStore(chechnya, read_only=True) as graph:
        why = protection(graph).sensitive
    # Lapunov is a victim as a participant in events; Akhmadov as a participant in his kidnapping.
    assert why["actor:maxim-lapunov"] == "role victim"
    assert "actor:zelimkhan-akhmadov" in why
    assert "actor:ramzan-kadyrov" not in why
    page = tmp_path / "page.html"
    kg("viz", "--store", chechnya, "-o", page)
    assert "Lapunov" not in page.read_text(encoding="utf-8")
    assert kg("sensitive", "mark", "--role", "hostage", "--store", chechnya, code=1).stderr.startswith(
        "kg: error: a role is one of activist, ")


def test_a_case_file_protects_roles_in_its_privacy_section(tmp_path, fresh_store):
    body = MINIMAL_CASE.replace("    roles: [survivor]\n    sensitive: true\n", "    roles: [survivor]\n") + \
        "privacy:\n  sensitive_roles: [survivor]\n"
    load_paths(fresh_store, [write_case(tmp_path / "case", body)])
    rows = fresh_store.run("MATCH (a:Actor) RETURN a.id, a.sensitive ORDER BY a.id").rows
    assert rows[0] == ["actor:ivan-petrov", False]
    assert rows[1][0].startswith("actor:p-") and rows[1][1] is True  # the id does not spell the name


def test_export_ids_never_spell_or_plainly_hash_a_protected_name(chechnya, tmp_path):
    kg("sensitive", "mark", "Lapunov", "--store", chechnya)
    out = tmp_path / "g.ttl"
    kg("export", "--store", chechnya, "-o", out)
    text = out.read_text(encoding="utf-8")
    assert "lapunov" not in text.casefold()  # not in the actor's id, nor in event keys
    assert "actor/p-" not in text and "actor:p-" not in text  # case-file ids are sha256 of names
    assert "actor:protected-" in text


def test_restricted_items_are_left_out_of_exports_and_visuals_unless_included(tmp_path):
    body = MINIMAL_CASE.replace('    text: "he was beaten"\n', '    text: "he was beaten"\n    restricted: true\n')
    store = tmp_path / "store"
    kg("load", "--store", store, write_case(tmp_path / "case", body))
    out = tmp_path / "g.ttl"
    result = kg("export", "--store", store, "-o", out)
    # The statement, and the contradiction that quotes it, are left out.
    assert result.stdout == f"wrote {out} (4 nodes, 4 relationships)\n"
    assert result.stderr == "left out 2 restricted or dependent node(s); --include-restricted keeps them\n"
    assert "beaten" not in out.read_text(encoding="utf-8")
    page = tmp_path / "page.html"
    kg("viz", "--store", store, "-o", page)
    assert "beaten" not in page.read_text(encoding="utf-8")
    kg("export", "--store", store, "-o", out, "--include-restricted")
    assert "beaten" in out.read_text(encoding="utf-8")
    notes = [e["note"] for e in json.loads(kg("audit", "--store", store, "--json").stdout) if e["action"] == "export"]
    assert notes == ["turtle", "viz html", "turtle, restricted items included"]


def test_restricting_an_article_by_command_takes_what_was_read_from_it(chechnya, tmp_path):
    with LadybugStore(chechnya, read_only=True) as graph:
        article = graph.run("MATCH (a:Article) RETURN a.id").rows[0][0]
    assert kg("restricted", "mark", article, "--store", chechnya).stdout == f"restricted: {article}\n"
    out = tmp_path / "g.graphml"
    kg("export", "--store", chechnya, "--format", "graphml", "-o", out)
    text = out.read_text(encoding="utf-8")
    assert "Statement" not in text and "Event" not in text and "Contradiction" not in text
    assert kg("restricted", "list", "--store", chechnya, "--csv").stdout == f"item,why\n{article},command\n"
    kg("restricted", "unmark", article, "--store", chechnya)
    kg("export", "--store", chechnya, "--format", "graphml", "-o", out)
    assert "Statement" in out.read_text(encoding="utf-8")
    assert kg("restricted", "unmark", article, "--store", chechnya, code=1).stderr == \
        f"kg: error: {article!r} is not restricted\n"


@pytest.mark.parametrize("kind", ["ladybug", "neo4j"])
def test_command_marks_hold_on_both_stores(kind, tmp_path, request):
    if kind == "neo4j":
        graph = request.getfixturevalue("neo4j_store_factory")()
    else:
        graph = LadybugStore(tmp_path / "store")
    try:
        load_paths(graph, [write_case(tmp_path / "case", MINIMAL_CASE)])
        mark_sensitive(graph, ("Petrov",))
        statement = graph.run("MATCH (s:Statement) WHERE s.text = 'Nothing happened.' RETURN s.id").rows[0][0]
        mark_restricted(graph, (statement,))
        nodes, edges = store_graph(graph)
        text = json.dumps([n.props for n in nodes] + [[e.source, e.target] for e in edges])
        assert "Petrov" not in text and "Nothing happened" not in text
        key = pseudonym_key(getattr(graph, "directory", None))
        assert pseudonym("actor:ivan-petrov", key) in text
        assert {n.label for n in nodes} == {"Actor", "Article", "Statement"}  # the contradiction went with it
    finally:
        if kind == "ladybug":
            graph.close()


def test_a_store_made_before_restrictions_and_the_chain_gains_the_columns(tmp_path):
    """An embedded store made by an older kg (no restricted, previous_hash, entry_hash columns)
    is brought up to date when opened for writing, and its old audit entries are followed."""
    store = tmp_path / "store"
    with LadybugStore(store) as graph:
        load_paths(graph, [write_case(tmp_path / "case", MINIMAL_CASE)])
        for table, column in (("Statement", "restricted"), ("Article", "restricted"), ("Event", "restricted"),
                              ("AuditEntry", "previous_hash"), ("AuditEntry", "entry_hash")):
            graph.run(graph.ontology.render("ALTER TABLE {table} DROP {col}", table=table, col=column), write=True)
        assert len(graph.schema_changes()) == 5
    refused = kg("export", "--store", store, "-o", tmp_path / "g.ttl", code=1)
    assert "made by an older kg" in refused.stderr
    with LadybugStore(store) as graph:
        assert graph.schema_changes() == []
    kg("restricted", "mark", "Petrov", "--store", store)
    assert kg("audit", "--verify", "--store", store).stderr == \
        "chain intact: 2 entries, 1 from before the chain, 0 fork(s) from concurrent writers\n"


# --- finding names --------------------------------------------------------------------------------------

def _alternation(names):
    """The names as one alternation of whole names, longest first: how NameMatcher was written
    before its patterns became trees (and slow for many names sharing a first word)."""
    written = [r"\s+".join(re.sub(APOSTROPHES, APOSTROPHES, re.escape(word)) for word in name.split())
               for name in sorted(names, key=lambda n: (-len(n), n))]
    return re.compile("|".join(written), re.IGNORECASE)


_NAME_WORDS = st.text(alphabet="abcABC'\u2019", min_size=1, max_size=4)
_NAMES = st.lists(st.lists(_NAME_WORDS, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(names=_NAMES, text=st.text(alphabet="abcABC'\u2019` \n.", max_size=60))
def test_the_tree_of_names_finds_what_the_alternation_of_whole_names_finds(names, text):
    tree = re.compile(_tree_pattern(names), re.IGNORECASE)
    assert [m.span() for m in tree.finditer(text)] == [m.span() for m in _alternation(names).finditer(text)]


def test_names_are_found_whatever_the_case_spacing_and_apostrophe_and_the_longest_wins():
    matcher = NameMatcher(["Rina Kos", "Rina", "Father of Rina", "Ana O'Neil"])
    assert matcher.sub(lambda found: f"[{found}]", "Father  of rina kos met RINA\nKOS, Rina and ana o\u2019neil.") == (
        "[Father  of rina] kos met [RINA\nKOS], [Rina] and [ana o\u2019neil].")


def test_an_id_spells_a_name_when_its_slug_is_in_it():
    spelled = SpelledNames(["Maxim Lapunov", "Ali", "Zelim Bakaev"])
    assert spelled.found_in("event:maxim-lapunov-detention-2017")
    assert spelled.found_in("Statement:ZELIM-BAKAEV-said")
    assert not spelled.found_in("event:lapunov-detention")  # the slug is the whole name
    assert not spelled.found_in("actor:ali")  # slugs shorter than four characters are left out
