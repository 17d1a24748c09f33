"""The network page: self-contained, offline, text-only for data, pseudonyms for sensitive people."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from conftest import MINIMAL_CASE, write_case

from kg import privacy, viz
from kg.errors import KGError
from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore
from kg.privacy import KEY_ENV, pseudonym
from kg.viz import pictures, write_network_html

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "chechnya"

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(1)> href javascript:"
SECRET_NAME = "Aslan Secretov"
SECRET_ALIAS = "Uncle Hidden"
SECRET_DESCRIPTION = "Lives at the secret address on Quiet Street"

HOSTILE_CASE = """\
article:
  title: "Hostile </script><script>alert(2)</script> report"
  publisher: "Evil <b>Press</b>"
  published: "2024-01-02"
  url: "javascript:alert(3)"
  text: "Officials said \\"HOSTILE\\" in a statement. A witness said \\"Aslan Secretov was taken away at night\\". \\
    The spokesman said \\"nothing happened\\". Bidi \\u202egnirts\\u202c and zero\\u200bwidth."

actors:
  - id: official
    name: "Mallory <img src=x onerror=alert(4)>"
    type: GovernmentBody
    description: "HOSTILE"
  - id: witness
    name: Open Witness
    type: Person
  - id: secret
    name: Aslan Secretov
    aliases: [Uncle Hidden]
    type: Person
    sensitive: true
    roles: [victim]
    description: "Lives at the secret address on Quiet Street"
  - id: bidi
    name: "Bidi \\u202egnirts\\u202c Man"
    type: Person

events:
  - id: taking
    type: kidnapping
    label: "Aslan Secretov taken away"
    evidence: "taken away at night"
    participants:
      - {actor: secret, role: victim}

statements:
  - id: hostile
    speaker: official
    text: "HOSTILE"
    kind: direct
    stance: denial
    about: [taking]
  - id: witness-says
    speaker: witness
    text: "Aslan Secretov was taken away at night"
    kind: direct
    stance: testimony
    about: [taking, secret]
  - id: nothing
    speaker: official
    text: "nothing happened"
    kind: direct
    stance: denial
    about: [taking]

contradictions:
  - a: nothing
    b: witness-says
    basis: polarity
    explanation: "Denial against testimony; HOSTILE"
""".replace("HOSTILE", HOSTILE.replace("\\", "\\\\").replace('"', '\\"'))


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    """Run in an empty working directory and check that it stays empty."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    yield folder
    assert list(folder.iterdir()) == [], "the page writer must not write into the working directory"


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv(KEY_ENV, "test-key-for-pseudonyms")
    return b"test-key-for-pseudonyms"


@pytest.fixture
def example_store(tmp_path):
    store = LadybugStore(tmp_path / "db")
    load_paths(store, [EXAMPLE])
    yield store
    store.close()


@pytest.fixture
def hostile_store(tmp_path):
    case_dir = tmp_path / "cases"
    case_dir.mkdir()
    (case_dir / "hostile.yaml").write_text(HOSTILE_CASE, encoding="utf-8")
    store = LadybugStore(tmp_path / "hostile-db")
    load_paths(store, [case_dir])
    yield store
    store.close()


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.DOTALL)
    assert match, "the page embeds its graph as one JSON block"
    return json.loads(match.group(1))


def without_vis(page: str) -> str:
    """The page minus the inlined vis-network library (whose code has its own strings)."""
    stripped, count = re.subn(r'<script id="kg-vis">.*?</script>', "", page, flags=re.DOTALL)
    assert count == 1
    return stripped


def write(store, tmp_path, name="page.html", **kwargs):
    out = tmp_path / name
    result = write_network_html(store, out, **kwargs)
    return result, out.read_text(encoding="utf-8")


# --- the page is one offline file ---------------------------------------------------------------


def test_example_page_is_self_contained(example_store, tmp_path, cwd, key):
    result, page = write(example_store, tmp_path, title="Chechnya")
    assert result["path"] == str(tmp_path / "page.html")
    assert page.startswith("<!DOCTYPE html>")

    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert not re.search(r"<link\b", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.IGNORECASE)
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    for host in ("cdnjs", "jsdelivr", "unpkg", "googleapis", "sourceMappingURL"):
        assert host not in page

    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert csp, "the page carries a Content-Security-Policy"
    policy = csp.group(1)
    assert "default-src 'none'" in policy
    assert "script-src 'unsafe-inline'" in policy and "style-src 'unsafe-inline'" in policy
    assert "img-src data:" in policy
    assert "connect-src 'none'" in policy

    assert "vis.Network" in page  # vis-network is inlined, not fetched
    assert "<title>Chechnya</title>" in page and "Legend" in page


def test_counts_match_the_page(example_store, tmp_path, cwd, key):
    result, page = write(example_store, tmp_path)
    data = page_data(page)
    assert result["nodes"] == len(data["nodes"]) > 0
    assert result["edges"] == len(data["edges"]) > 0
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) == len(data["nodes"])
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])

    counts = example_store.counts()
    expected_nodes = sum(counts[label] for label in ("Actor", "Statement", "Event", "Place", "Topic"))
    assert result["nodes"] == expected_nodes  # no articles, contradictions drawn as edges


def test_readable_fonts_and_ontology_colours(example_store, tmp_path, cwd, key):
    _, page = write(example_store, tmp_path)
    data = page_data(page)
    assert data["options"]["nodes"]["font"]["size"] >= 16
    assert data["options"]["edges"]["font"]["size"] >= 16
    legend = {e["name"]: e for e in example_store.ontology.legend()}
    colours = {n["color"] if isinstance(n["color"], str) else n["color"]["background"] for n in data["nodes"]}
    assert legend["Statement"]["colour"] in colours
    assert legend["GovernmentBody"]["colour"] in colours
    statements = [n for n in data["nodes"] if n["shape"] == legend["Statement"]["shape"]]
    assert statements and all(n["label"].startswith("\u201c") for n in statements)
    assert all(len(n["label"]) <= 48 for n in statements)


def test_edge_labels_and_contradictions(example_store, tmp_path, cwd, key):
    _, page = write(example_store, tmp_path)
    data = page_data(page)
    labels = {e["label"] for e in data["edges"]}
    assert {"said", "about", "occurred in", "member of", "participated in (victim)"} <= labels
    assert not any("reported in" in label or "mentioned in" in label for label in labels)
    assert not any(label.startswith("involves") for label in labels)

    contradicts = [e for e in data["edges"] if e["label"].startswith("contradicts")]
    rows = example_store.run("MATCH (c:Contradiction) WHERE c.status <> 'rejected' RETURN count(c)").rows
    assert len(contradicts) == rows[0][0] > 0
    assert all(e["dashes"] and e["color"]["color"] == "#e74c3c" for e in contradicts)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert all(by_id[e["from"]]["shape"] == by_id[e["to"]]["shape"] == "ellipse" for e in contradicts)
    assert any(e["label"].startswith("rejected") for e in data["edges"])


def test_articles_only_on_request(example_store, tmp_path, cwd, key):
    result, page = write(example_store, tmp_path, include_articles=True)
    data = page_data(page)
    labels = {e["label"] for e in data["edges"]}
    assert "reported in" in labels and "mentioned in" in labels
    assert any(n["shape"] == "box" for n in data["nodes"])
    without, _ = write(example_store, tmp_path, name="without.html")
    assert result["nodes"] == without["nodes"] + 1


def test_statement_tooltip_is_plain_text_with_context(example_store, tmp_path, cwd, key):
    _, page = write(example_store, tmp_path)
    data = page_data(page)
    tip = next(n["title"] for n in data["nodes"] if n["label"].startswith("\u201cThis information was not"))
    assert tip.startswith("\u201cThis information was not confirmed")
    assert "Speaker: Valery Maksimenko" in tip
    assert "Stance: denial" in tip
    assert "Report: 125 People Have Fled Chechnya" in tip and "INTO" in tip
    # The page turns every title into a DOM node filled through textContent.
    assert "textContent = text" in page and "innerHTML" not in without_vis(page)


# --- hostile text stays text -------------------------------------------------------------------------


def test_hostile_text_is_escaped(hostile_store, tmp_path, cwd, key):
    result, page = write(hostile_store, tmp_path, title="</title><script>alert(5)</script>")
    assert result["nodes"] > 0
    assert "<script>alert(" not in page
    assert "<img src=x" not in page
    assert "<b>Press" not in page
    # Only the page's own three script elements: the JSON data, vis-network and the glue.
    assert len(re.findall(r"<script\b", without_vis(page), re.IGNORECASE)) == 2
    assert len(re.findall(r"</script", page, re.IGNORECASE)) == 3
    assert "\u2028" not in page and "\u2029" not in page

    data = page_data(page)
    hostile = next(n for n in data["nodes"] if n["title"].startswith("\u201c<script>"))
    assert HOSTILE in hostile["title"]  # kept as literal text, for textContent
    contradiction = next(e for e in data["edges"] if e["label"] == "contradicts")
    assert HOSTILE in contradiction["title"]


def test_bidi_and_zero_width_characters_are_stripped(hostile_store, tmp_path, cwd, key):
    _, page = write(hostile_store, tmp_path, include_articles=True)
    for char in "\u202e\u202c\u200b\u2066\u2067\u2068\u2069\u200e\u200f":
        assert char not in without_vis(page)
    data = page_data(page)
    assert any(n["label"] == "Bidi gnirts Man" for n in data["nodes"])


def test_embedded_json_cannot_close_the_script():
    text = viz.script_json({"a": "</script><!-- \u2028 \u2029 & <b>"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 \u2029 & <b>"}


# --- sensitive people ---------------------------------------------------------------------------------


def test_sensitive_actor_hidden_by_default(hostile_store, tmp_path, cwd, key):
    _, page = write(hostile_store, tmp_path, include_articles=True)
    for secret in (SECRET_NAME, SECRET_ALIAS, SECRET_DESCRIPTION, "Secretov", "Quiet Street"):
        assert secret.lower() not in page.lower()
    actor_id = hostile_store.run("MATCH (a:Actor) WHERE a.sensitive RETURN a.id").rows[0][0]
    assert actor_id not in page  # the id is a hash of the name: guessable, so not shown
    alias = pseudonym(actor_id, key)
    data = page_data(page)
    assert any(n["label"] == alias for n in data["nodes"])
    # Its name is blotted out of the quotes and labels that mention it, too.
    quote = next(n for n in data["nodes"] if "was taken away at night" in n["title"])
    assert quote["title"].startswith("\u201c" + alias + " was taken away")
    assert "protected person is shown under a pseudonym" in page


def test_sensitive_actor_revealed_on_request(hostile_store, tmp_path, cwd, key):
    _, page = write(hostile_store, tmp_path, reveal=True)
    assert SECRET_NAME in page and SECRET_ALIAS in page and SECRET_DESCRIPTION in page
    assert "Protected person" not in page
    assert "REVEALED" in page


def test_example_sensitive_actor(example_store, tmp_path, cwd, key):
    _, page = write(example_store, tmp_path)
    assert "Father of Zelimkhan Akhmadov" not in page
    assert "One of the five assailants who kidnapped his son" not in page
    _, revealed = write(example_store, tmp_path, name="revealed.html", reveal=True)
    assert "Father of Zelimkhan Akhmadov" in revealed


def test_pseudonyms_are_stable_and_keyed():
    first = pseudonym("actor:p-1", b"k" * 32)
    assert first == pseudonym("actor:p-1", b"k" * 32)
    assert re.fullmatch(r"Protected person [0-9a-f]{6}", first)
    assert first != pseudonym("actor:p-2", b"k" * 32)
    assert first != pseudonym("actor:p-1", b"j" * 32)


def test_key_file_made_in_the_store_and_reused(hostile_store, tmp_path, cwd, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    _, first = write(hostile_store, tmp_path, name="one.html")
    key_file = hostile_store.directory / privacy.KEY_FILE
    assert key_file.is_file()
    assert key_file.stat().st_mode & 0o077 == 0
    _, second = write(hostile_store, tmp_path, name="two.html")
    names = lambda page: sorted(re.findall(r"Protected person [0-9a-f]{6}", page))  # noqa: E731
    assert names(first) == names(second) and names(first)
    actor_id = hostile_store.run("MATCH (a:Actor) WHERE a.sensitive RETURN a.id").rows[0][0]
    assert names(first)[0] == pseudonym(actor_id, privacy.pseudonym_key(hostile_store.directory))

    monkeypatch.setenv(KEY_ENV, "another key")
    _, third = write(hostile_store, tmp_path, name="three.html")
    assert names(third)[0] == pseudonym(actor_id, b"another key") != names(first)[0]


def test_same_pseudonym_as_the_reports(hostile_store, tmp_path, cwd, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    _, page = write(hostile_store, tmp_path)
    in_reports = privacy.Redactor.for_store(hostile_store).text(SECRET_NAME)
    assert in_reports.startswith("Protected person ") and in_reports in page


def test_a_store_without_directory_uses_the_users_key(hostile_store, tmp_path, cwd, monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    class Remote:  # a store with no directory, like Neo4j
        ontology = hostile_store.ontology

        def run(self, cypher, params=None):
            return hostile_store.run(cypher, params)

    assert write_network_html(Remote(), tmp_path / "remote.html")["nodes"] > 0
    key_file = tmp_path / "config" / "kg" / privacy.KEY_FILE
    assert key_file.is_file() and key_file.stat().st_mode & 0o077 == 0


# --- queries, empty and large graphs ------------------------------------------------------------------


def test_queries_are_portable_reads(example_store, tmp_path, cwd, key):
    seen: list[str] = []

    class Recording:
        ontology = example_store.ontology
        directory = example_store.directory

        def run(self, cypher, params=None):
            seen.append(cypher)
            return example_store.run(cypher, params)

    write_network_html(Recording(), tmp_path / "page.html")
    write_network_html(Recording(), tmp_path / "capped.html", max_nodes=10)  # chosen in the store
    assert seen
    for cypher in seen:
        cypher = re.sub(r"^UNWIND \$\w+ AS node_id ", "", cypher)  # nodes looked up by id
        assert cypher.startswith("MATCH (")
        assert not re.search(r"\b(labels?|type)\s*\(", cypher, re.IGNORECASE)
        if "-[r:" in cypher:  # labelled ends: a whole pattern, or the edges of ends looked up by id
            assert re.match(r"MATCH \(s:\w+( \{id: node_id\})?\)-\[r:\w+\]->\(t:\w+( \{id: node_id\})?\)"
                            r"|MATCH \((s|t):\w+ \{id: node_id\}\) OPTIONAL MATCH \(s(:\w+)?\)-\[r:\w+\]->\(t(:\w+)?\)",
                            cypher)


def test_empty_store(tmp_path, cwd):
    store = LadybugStore(tmp_path / "empty")
    try:
        result, page = write(store, tmp_path)
    finally:
        store.close()
    assert result == {"path": str(tmp_path / "page.html"), "nodes": 0, "edges": 0}
    assert "The graph is empty" in page
    assert "Content-Security-Policy" in page
    assert "<script" not in page


def test_only_articles(tmp_path, cwd):
    case_dir = tmp_path / "cases"
    case_dir.mkdir()
    (case_dir / "bare.yaml").write_text('article:\n  title: "Bare"\n  text: "Nothing here."\n', encoding="utf-8")
    store = LadybugStore(tmp_path / "bare-db")
    try:
        load_paths(store, [case_dir])
        result, page = write(store, tmp_path)
        assert (result["nodes"], result["edges"]) == (0, 0)
        assert "Nothing to draw" in page
        assert write(store, tmp_path, name="with.html", include_articles=True)[0]["nodes"] == 1
        assert not (store.directory / privacy.KEY_FILE).exists()  # no sensitive actor, no key needed
    finally:
        store.close()


def test_large_graph_gets_a_fixed_layout(example_store, tmp_path, cwd, key, monkeypatch):
    monkeypatch.setattr(viz.view, "LAYOUT_THRESHOLD", 10)
    result, page = write(example_store, tmp_path)
    data = page_data(page)
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n.get("x"), float) and isinstance(n.get("y"), float) for n in data["nodes"])
    points = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(points) == result["nodes"]  # no two nodes on the same spot


def test_tree_layout_keeps_nodes_apart():
    assert pictures._tree_layout(0, []) == []
    links = [(0, i) for i in range(1, 60)] + [(1, i) for i in range(60, 90)] + [(2, 90), (90, 91), (95, 96)]
    positions = pictures._tree_layout(100, links, spacing=100.0)
    assert len(positions) == 100
    closest = min(math.dist(p, q) for i, p in enumerate(positions) for q in positions[i + 1:])
    assert closest > 40


def test_output_folder_must_exist(example_store, tmp_path, cwd, key):
    with pytest.raises(KGError):
        write_network_html(example_store, tmp_path / "missing" / "page.html")


# --- narrowing the view ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    """The example, loaded once, for tests that only read it."""
    store = LadybugStore(tmp_path_factory.mktemp("shared") / "db")
    load_paths(store, [EXAMPLE])
    yield store
    store.close()


def view(store, **kwargs):
    return viz.network_view(store, **kwargs)


def node_named(data_or_view, label):
    nodes = data_or_view.nodes if hasattr(data_or_view, "nodes") else data_or_view["nodes"]
    return next(n for n in nodes if n["label"] == label)


ACTOR_TYPES = {"Person", "Organization", "GovernmentBody", "NGO", "MediaOutlet", "Actor"}


def test_focus_draws_a_neighbourhood(shared_store, key):
    everything = view(shared_store)
    one = view(shared_store, focus="Kadyrov", depth=1)
    two = view(shared_store, focus="Ramzan Kadyrov", depth=2)
    assert 1 < one.counts["nodes"] < two.counts["nodes"] < everything.counts["nodes"]
    kadyrov = node_named(one, "Ramzan Kadyrov")
    assert one.focus == kadyrov["id"]
    # Depth 1: Kadyrov and what is one edge away, every edge among them.
    assert all(e["from"] == kadyrov["id"] or e["to"] == kadyrov["id"] for e in one.edges if e["kgKind"] != "contradiction"
               and e["label"] == "said")
    assert any(n["kgType"] == "Statement" for n in one.nodes)
    assert "neighbourhood of Ramzan Kadyrov (2 steps)" in two.slide["view"]
    with pytest.raises(KGError):
        view(shared_store, focus="Nobody At All")


def test_focus_on_a_sensitive_actor_keeps_the_pseudonym(hostile_store, tmp_path, key):
    result, page = write(hostile_store, tmp_path, focus=SECRET_NAME, depth=1)
    assert result["nodes"] > 1
    assert "secretov" not in page.lower() and "uncle hidden" not in page.lower()
    actor_id = hostile_store.run("MATCH (a:Actor) WHERE a.sensitive RETURN a.id").rows[0][0]
    assert f"neighbourhood of {pseudonym(actor_id, key)}" in page


def test_query_draws_what_it_returns(shared_store, key):
    about = view(shared_store, query="statements_about", params={"subject": "Lapunov"})
    rows = get_rows(shared_store, "statements_about", subject="Lapunov")
    statements = [n for n in about.nodes if n["kgType"] == "Statement"]
    assert len(statements) == len({r["statement"] for r in rows}) > 0
    assert any(n["label"] == "Maxim Lapunov" for n in about.nodes)  # named in the rows
    ids = {n["id"] for n in about.nodes}
    assert all(e["from"] in ids and e["to"] in ids for e in about.edges)
    assert "query statements_about" in about.slide["view"] and "Lapunov" not in about.slide["view"]

    conflicts = view(shared_store, query="contradictions")
    contradicts = [e for e in conflicts.edges if e["kgKind"] == "contradiction"]
    assert len(contradicts) == len(get_rows(shared_store, "contradictions")) == 20
    assert len(conflicts.story) == 20
    with pytest.raises(KGError):
        view(shared_store, query="no_such_query")


def get_rows(store, name, **params):
    from kg.queries import get_query

    result = get_query(name).run(store, params)
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_types_keep_only_those_types(shared_store, key):
    picked = view(shared_store, types=["Person", "statement", "Government body"])
    assert {n["kgType"] for n in picked.nodes} == {"Person", "Statement", "GovernmentBody"}
    actors = view(shared_store, types=["Actor"])
    assert {n["kgType"] for n in actors.nodes} <= ACTOR_TYPES and len(actors.nodes) == shared_store.counts()["Actor"]
    with_articles = view(shared_store, types=["Article", "Statement"])
    assert {n["kgType"] for n in with_articles.nodes} == {"Article", "Statement"}
    with pytest.raises(KGError, match="unknown type 'Persn'"):
        view(shared_store, types=["Persn"])


def test_dates_filter_statements_and_events(shared_store, key):
    everything = view(shared_store)
    autumn = view(shared_store, date_from="2017-09", date_to="2017-12")
    dated = [n for n in autumn.nodes if "kgDate" in n]
    assert dated and all(n["kgDate"] and n["kgDate"][1] >= "2017-09-01" and n["kgDate"][0] <= "2017-12-31"
                         for n in dated)
    assert 0 < autumn.counts["nodes"] < everything.counts["nodes"]
    assert "from 2017-09 to 2017-12" in autumn.slide["view"] and "left out" in autumn.slide["view"]
    # Statements without a date of their own take their article's (2018-07).
    summer = view(shared_store, date_from="2018")
    statement_count = sum(1 for n in summer.nodes if n["kgType"] == "Statement")
    assert statement_count == sum(1 for n in everything.nodes if n["kgType"] == "Statement"
                                  and n["kgDate"][1] >= "2018-01-01")
    for bad in ({"date_from": "July 2018"}, {"date_to": "2018-7"}, {"date_from": "2019", "date_to": "2018"}):
        with pytest.raises(KGError):
            view(shared_store, **bad)


def test_contradictions_only(shared_store, key):
    only = view(shared_store, contradictions_only=True)
    kinds = {e["kgKind"] for e in only.edges}
    assert kinds == {"contradiction", "relationship"}
    assert {e["label"] for e in only.edges if e["kgKind"] == "relationship"} == {"said"}
    assert sum(e["kgKind"] == "contradiction" for e in only.edges) == 20  # the rejected one is left out
    in_conflict = {x for e in only.edges if e["kgKind"] == "contradiction" for x in (e["from"], e["to"])}
    assert {n["id"] for n in only.nodes if n["kgType"] == "Statement"} == in_conflict
    assert all(n["kgType"] in ACTOR_TYPES | {"Statement"} for n in only.nodes)


def test_actors_only_projects_statements_onto_actors(shared_store, key):
    actors = view(shared_store, actors_only=True)
    assert actors.nodes and all(n["kgType"] in ACTOR_TYPES for n in actors.nodes)
    labels = {e["label"].split(" (")[0] for e in actors.edges}
    assert {"denies", "accuses", "testifies about", "contradicts"} <= labels
    by_id = {n["id"]: n["label"] for n in actors.nodes}
    denial = next(e for e in actors.edges if e["label"].startswith("denies"))
    assert by_id[denial["from"]] != by_id[denial["to"]]
    assert "\u201c" in denial["title"] and "Article: " in denial["title"]  # the quotes behind it
    contradiction = next(e for e in actors.edges if e["kgKind"] == "contradiction")
    assert contradiction["dashes"] and "\u2014 " in contradiction["title"]
    assert actors.story and all(len(step["sides"]) == 2 for step in actors.story)
    assert "actors only" in actors.slide["view"]
    both = view(shared_store, actors_only=True, contradictions_only=True)
    assert both.counts["nodes"] <= actors.counts["nodes"]


def test_actors_only_keeps_pseudonyms(hostile_store, tmp_path, key):
    _, page = write(hostile_store, tmp_path, actors_only=True)
    assert "secretov" not in page.lower()
    data = page_data(page)
    actor_id = hostile_store.run("MATCH (a:Actor) WHERE a.sensitive RETURN a.id").rows[0][0]
    alias = pseudonym(actor_id, key)
    protected = next(n for n in data["nodes"] if n["label"] == alias)
    assert any(e["to"] == protected["id"] and e["label"].startswith("testifies about") for e in data["edges"])


def test_size_by_statements(shared_store, key):
    by_degree = view(shared_store)
    by_statements = view(shared_store, size="statements")
    sizes = {n["label"]: n["size"] for n in by_statements.nodes if n["kgType"] in ACTOR_TYPES}
    assert sizes["Valery Maksimenko"] > sizes["Donald Trump"]
    assert [n["size"] for n in by_degree.nodes] != [n["size"] for n in by_statements.nodes]
    with pytest.raises(KGError):
        view(shared_store, size="weight")
    with pytest.raises(KGError):
        view(shared_store, theme="sepia")


# --- a cap on what is drawn -----------------------------------------------------------------------------


@pytest.fixture(params=["ladybug", "neo4j"])
def example_in_either(request, tmp_path):
    if request.param == "neo4j":
        store = request.getfixturevalue("neo4j_store_factory")()
        load_paths(store, [EXAMPLE])
        yield store
        return
    with LadybugStore(tmp_path / "store") as embedded:
        load_paths(embedded, [EXAMPLE])
        yield embedded


def test_the_store_chooses_what_a_capped_view_keeps(example_in_either, key, monkeypatch):
    whole = view(example_in_either, max_nodes=0)
    assert view(example_in_either, max_nodes=whole.counts["nodes"]).html() == whole.html()  # under the cap
    capped = view(example_in_either, max_nodes=5)
    assert (capped.counts["nodes"], capped.capped_from) == (5, whole.counts["nodes"])
    assert "Showing: the 5 most important of 82 nodes (contradictions first, then the most connected)" in capped.html()
    strongest = whole.story[0]  # both statements of the strongest contradiction and their speakers
    assert {whole.nodes[number - 1]["label"] for number in strongest["nodes"]} <= {n["label"] for n in capped.nodes}
    assert capped.story[0]["sides"] == strongest["sides"]
    # the database keeps what the whole graph read into memory would keep
    for limit, contradictions_only, size in ((5, False, "degree"), (20, False, "statements"), (60, False, "degree"),
                                             (5, True, "degree"), (10, True, "statements")):
        options = {"max_nodes": limit, "contradictions_only": contradictions_only, "size": size}
        chosen_in_store = view(example_in_either, **options).html()
        with monkeypatch.context() as patched:
            patched.setattr(viz.store, "_choose_in_store", lambda *args, **kwargs: None)
            assert view(example_in_either, **options).html() == chosen_in_store, options


def test_a_neighbourhood_is_walked_in_the_store(example_in_either, key, monkeypatch):
    ontology = example_in_either.ontology
    graph = {(label, node_id) for label in ontology.content_nodes
             for (node_id,) in example_in_either.run(ontology.render("MATCH (n:{label}) RETURN n.id", label=label)).rows}
    for focus, depth, limit, size in (("Kadyrov", 1, 0, "degree"), ("Lapunov", 2, 0, "statements"),
                                      ("Kadyrov", 2, 12, "degree"), ("Putin", 3, 0, "degree")):
        options = {"focus": focus, "depth": depth, "max_nodes": limit, "size": size}
        walked = view(example_in_either, **options)
        with monkeypatch.context() as patched:  # the whole graph read, the neighbourhood found in memory
            patched.setattr(viz.store, "_neighbourhood_in_store", lambda *args, **kwargs: graph)
            assert view(example_in_either, **options).html() == walked.html(), options
        assert walked.counts["nodes"] <= (limit or 82)


def test_a_view_capped_in_the_store_leaves_restricted_items_out(tmp_path, key, monkeypatch):
    body = MINIMAL_CASE.replace('    text: "he was beaten"\n', '    text: "he was beaten"\n    restricted: true\n')
    with LadybugStore(tmp_path / "store") as store:
        load_paths(store, [write_case(tmp_path / "case", body)])
        whole = view(store, max_nodes=0)
        capped = view(store, max_nodes=2)
        with monkeypatch.context() as patched:
            patched.setattr(viz.store, "_choose_in_store", lambda *args, **kwargs: None)
            assert view(store, max_nodes=2).html() == capped.html()
    assert (capped.counts["nodes"], capped.capped_from) == (2, whole.counts["nodes"])
    assert "he was beaten" not in capped.html()


def test_a_narrowed_view_is_capped_too(shared_store, key):
    actors = view(shared_store, actors_only=True, max_nodes=0)
    capped = view(shared_store, actors_only=True, max_nodes=4)
    assert (capped.counts["nodes"], capped.capped_from) == (4, actors.counts["nodes"])
    assert capped.story and all(n["kgType"] in ACTOR_TYPES for n in capped.nodes)


# --- the page: search, filters, presenter view -------------------------------------------------------


def test_page_has_search_filters_and_presenter_controls(example_store, tmp_path, cwd, key):
    _, page = write(example_store, tmp_path, present=True, theme="dark")
    for element in ('id="kg-search"', 'id="kg-types"', 'id="kg-from"', 'id="kg-to"', 'id="kg-present"',
                    'id="kg-caption"', 'id="kg-slide"', 'id="kg-next"', 'id="kg-prev"'):
        assert element in page
    data = page_data(page)
    assert data["present"] is True and data["theme"] == "dark"
    assert '<body class="kg-dark"' in page
    boxes = re.findall(r'<input type="checkbox" value="([^"]+)" checked>', page)
    assert set(boxes) == {n["kgType"] for n in data["nodes"]}
    # What the search matches: names as shown, never anything else.
    assert all(n["kgSearch"] for n in data["nodes"])
    app = re.search(r'<script id="kg-app">(.*?)</script>', page, re.DOTALL).group(1)
    for key_name in ('"ArrowRight"', '"PageDown"', '" "', '"PageUp"', '"ArrowLeft"', '"t"'):
        assert key_name in app


def test_story_steps_through_the_contradictions(example_store, tmp_path, cwd, key):
    _, page = write(example_store, tmp_path)
    data = page_data(page)
    story = data["story"]
    assert len(story) == 20
    edges = {e["id"]: e for e in data["edges"]}
    nodes = {n["id"]: n for n in data["nodes"]}
    for step in story:
        conflict = [edges[e] for e in step["edges"] if edges[e]["kgKind"] == "contradiction"]
        assert len(conflict) == 1
        both = {conflict[0]["from"], conflict[0]["to"]}
        assert both <= set(step["nodes"])
        assert any(nodes[n]["kgType"] in ACTOR_TYPES for n in step["nodes"])  # the speakers
        for side in step["sides"]:
            assert side["quote"].startswith("\u201c") and side["speaker"] and side["source"].startswith("Report: 125")
    assert data["slide"]["subtitle"].endswith("20 contradictions")
    assert data["slide"]["sources"] == ["Report: 125 People Have Fled Chechnya Following Anti-LGBTQ Crackdown "
                                        "(INTO \u00b7 2018-07)"]
    assert "1 protected person is shown under a pseudonym" in data["slide"]["note"]


def test_story_captions_are_text_and_pseudonymised(hostile_store, tmp_path, cwd, key):
    _, page = write(hostile_store, tmp_path)
    data = page_data(page)
    (step,) = data["story"]
    quotes = [side["quote"] for side in step["sides"]]
    actor_id = hostile_store.run("MATCH (a:Actor) WHERE a.sensitive RETURN a.id").rows[0][0]
    assert "\u201c" + pseudonym(actor_id, key) + " was taken away at night\u201d" in quotes
    assert HOSTILE in step["explanation"]
    assert "Mallory <img src=x onerror=alert(4)>" in " ".join(s["speaker"] for s in step["sides"])
    assert "secretov" not in page.lower()
    assert "innerHTML" not in without_vis(page) and "insertAdjacentHTML" not in without_vis(page)
    assert "document.write" not in without_vis(page) and "eval(" not in without_vis(page)


def test_revealed_names_are_searchable_only_when_revealed(hostile_store, tmp_path, cwd, key):
    _, hidden = write(hostile_store, tmp_path)
    assert not any("secretov" in n["kgSearch"].lower() for n in page_data(hidden)["nodes"])
    _, shown = write(hostile_store, tmp_path, name="revealed.html", reveal=True)
    assert any(SECRET_NAME in n["kgSearch"] and SECRET_ALIAS in n["kgSearch"] for n in page_data(shown)["nodes"])
    assert "REVEALED" in page_data(shown)["slide"]["warning"]


# --- pictures and Gephi files ---------------------------------------------------------------------------


def test_svg_is_escaped_and_pseudonymised(hostile_store, tmp_path, cwd, key):
    import xml.etree.ElementTree as ET

    result = viz.network_view(hostile_store, title="<script>alert(6)</script>").write_svg(tmp_path / "p.svg")
    text = (tmp_path / "p.svg").read_text(encoding="utf-8")
    root = ET.fromstring(text)  # well-formed
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert not tags & {"script", "foreignObject", "image", "a", "use", "iframe"}
    assert not any(name.startswith("on") for element in root.iter() for name in element.attrib)
    assert "<script" not in text and "<img" not in text and "secretov" not in text.lower()
    assert "&lt;script&gt;alert(6)&lt;/script&gt;" in text
    assert result["nodes"] == len([e for e in root.iter() if e.tag.endswith("}g")])
    for char in "\u202e\u202c\u200b":
        assert char not in text


def test_svg_layout_keeps_labels_apart(example_store, tmp_path, cwd, key):
    network = viz.network_view(example_store)
    points = pictures._positions(network)
    boxes = [pictures._label_box(n) for n in network.nodes]
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            overlap_x = boxes[i][0] + boxes[j][0] - abs(points[i][0] - points[j][0])
            overlap_y = boxes[i][1] + boxes[j][1] - abs(points[i][1] - points[j][1])
            assert overlap_x <= 1 or overlap_y <= 1, (network.nodes[i]["label"], network.nodes[j]["label"])


def test_gexf_and_graphml_for_gephi(hostile_store, tmp_path, cwd, key):
    import networkx as nx

    network = viz.network_view(hostile_store)
    network.write_gexf(tmp_path / "g.gexf")
    network.write_graphml(tmp_path / "g.graphml")
    actor_id = hostile_store.run("MATCH (a:Actor) WHERE a.sensitive RETURN a.id").rows[0][0]
    for name in ("g.gexf", "g.graphml"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "secretov" not in text.lower() and actor_id not in text and "uncle hidden" not in text.lower()
        assert pseudonym(actor_id, key) in text
    graph = nx.read_gexf(tmp_path / "g.gexf")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (network.counts["nodes"], network.counts["edges"])
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    assert "Mallory <img src=x onerror=alert(4)>" in labels  # data, escaped by the XML writer
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    kinds = {data["kind"] for _, _, data in graphml.edges(data=True)}
    assert "contradiction" in kinds


def test_force_layout_is_deterministic_and_finite():
    links = [(0, i) for i in range(1, 30)] + [(30, 31)]
    first = pictures._force_layout(40, links, [(20.0, 20.0)] * 40)
    assert first == pictures._force_layout(40, links, [(20.0, 20.0)] * 40)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in first)
    assert max(math.hypot(x, y) for x, y in first) < 5000  # isolated nodes stay near the rest


# --- the command ----------------------------------------------------------------------------------------


def test_cli_viz_options(tmp_path, cwd, key):
    from click.testing import CliRunner

    from kg.cli import main

    store = tmp_path / "store"
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    assert run("load", "--store", store, EXAMPLE).exit_code == 0
    result = run("viz", "--store", store, "-o", tmp_path / "k.html", "--focus", "Kadyrov", "--depth", "1",
                 "--types", "Person,Statement", "--from", "2017", "--size", "statements", "--present",
                 "--theme", "dark")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"wrote \S+k\.html \(\d+ nodes, \d+ edges\)\n", result.stdout)
    only_files = run("viz", "--store", store, "--actors-only", "--svg", tmp_path / "a.svg", "--gexf", tmp_path / "a.gexf",
                     "--graphml", tmp_path / "a.graphml")
    assert only_files.exit_code == 0 and only_files.stdout.count("wrote ") == 3
    assert all((tmp_path / name).stat().st_size > 500 for name in ("a.svg", "a.gexf", "a.graphml"))
    query = run("viz", "--store", store, "-o", tmp_path / "q.html", "--query", "neighbourhood", "-p", "actor=Lapunov")
    assert query.exit_code == 0, query.output

    for args, message in ((("--depth", "2"), "--depth goes with --focus"), (("-p", "a=b"), "-p goes with --query"),
                          (("--types", "Nope"), "unknown type 'Nope'"), (("--from", "last year"), "--from takes a date"),
                          (("--focus", "Nobody"), "no actor named 'Nobody'"),
                          (("-o", tmp_path / "missing" / "x.html"), "the folder for the output does not exist")):
        failed = runner.invoke(main, ["viz", "--store", str(store), *map(str, args)])
        assert failed.exit_code != 0
        assert message in failed.output and "Traceback" not in failed.output
        assert len(failed.output.strip().splitlines()) == 1
    assert "Example:" in run("viz", "--help").stdout

    capped = run("viz", "--store", store, "-o", tmp_path / "c.html", "--max-nodes", "10")
    assert capped.stderr == ("kg viz: drawing 10 of 82 nodes (contradictions first, then the most connected); "
                             "narrow with --focus/--query/--from, or --max-nodes 0 for all\n")
    assert re.fullmatch(r"wrote \S+c\.html \(10 nodes, \d+ edges\)\n", capped.stdout)
    assert run("viz", "--store", store, "-o", tmp_path / "all.html").stderr == ""
