"""The network page: self-contained, offline, text-only for data, pseudonyms for sensitive people."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from kg import privacy, viz
from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore
from kg.privacy import KEY_ENV, pseudonym
from kg.viz import write_network_html

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
    assert seen
    for cypher in seen:
        assert cypher.startswith("MATCH (")
        assert not re.search(r"\b(labels?|type)\s*\(", cypher, re.IGNORECASE)
        if "-[r:" in cypher:
            assert re.match(r"MATCH \(s:\w+\)-\[r:\w+\]->\(t:\w+\)", cypher)


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
    monkeypatch.setattr(viz, "LAYOUT_THRESHOLD", 10)
    result, page = write(example_store, tmp_path)
    data = page_data(page)
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n.get("x"), float) and isinstance(n.get("y"), float) for n in data["nodes"])
    points = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(points) == result["nodes"]  # no two nodes on the same spot


def test_tree_layout_keeps_nodes_apart():
    assert viz._tree_layout(0, []) == []
    links = [(0, i) for i in range(1, 60)] + [(1, i) for i in range(60, 90)] + [(2, 90), (90, 91), (95, 96)]
    positions = viz._tree_layout(100, links, spacing=100.0)
    assert len(positions) == 100
    closest = min(math.dist(p, q) for i, p in enumerate(positions) for q in positions[i + 1:])
    assert closest > 40


def test_output_folder_must_exist(example_store, tmp_path, cwd, key):
    with pytest.raises(viz.KGError):
        write_network_html(example_store, tmp_path / "missing" / "page.html")
