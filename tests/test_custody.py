"""Chain of custody: kg verify finds changed article texts; the audit log records loads and exports."""

from click.testing import CliRunner

from kg.cli import main
from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore

from conftest import CHECHNYA, MINIMAL_CASE, write_case


def test_verify_passes_then_finds_an_edited_text(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    runner.invoke(main, ["load", "--store", str(store), str(CHECHNYA)], catch_exceptions=False)
    ok = runner.invoke(main, ["verify", "--store", str(store), "--csv"], catch_exceptions=False)
    assert ok.exit_code == 0
    assert ok.stdout.splitlines()[1].split(",")[2] == "ok"
    with LadybugStore(store) as graph:
        graph.run("MATCH (a:Article) SET a.text = a.text + ' (edited)'", write=True)
    changed = runner.invoke(main, ["verify", "--store", str(store), "--csv"])
    assert changed.exit_code == 1
    assert ',CHANGED,"text hashes to ' in changed.stdout
    assert changed.stderr == "kg: error: 1 of 1 article(s) changed since they were loaded\n"


def test_the_audit_log_records_loads_and_exports(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_USER", "analyst-7")
    store = tmp_path / "store"
    runner = CliRunner()
    runner.invoke(main, ["load", "--store", str(store), str(CHECHNYA)], catch_exceptions=False)
    runner.invoke(main, ["export", "--store", str(store), "--format", "turtle", "-o", str(tmp_path / "g.ttl")],
                  catch_exceptions=False)
    log = runner.invoke(main, ["audit", "--store", str(store), "--json"], catch_exceptions=False)
    import json

    entries = json.loads(log.stdout)
    assert [e["action"] for e in entries] == ["load", "export"]
    assert all(e["user"] == "analyst-7" for e in entries)
    load, export = entries
    assert load["subject"].endswith("case.yaml") and len(load["hashes"]) == 1
    assert export["subject"] == str(tmp_path / "g.ttl") and export["note"] == "turtle"


def test_a_changed_article_is_a_new_version_beside_the_old(tmp_path, fresh_store):
    body = MINIMAL_CASE.replace("  publisher: Test Wire", "  publisher: Test Wire\n  url: https://example.org/report")
    load_paths(fresh_store, [write_case(tmp_path / "v1", body)])
    corrected = "The minister said: “Nothing happened.” A survivor said he was beaten. (Corrected.)"
    load_paths(fresh_store, [write_case(tmp_path / "v2", body, article=corrected)])
    assert fresh_store.counts()["Article"] == 2
    rows = fresh_store.run(
        "MATCH (new:Article)-[:PREVIOUS_VERSION]->(old:Article) RETURN new.text, old.text"
    ).rows
    assert rows == [[corrected, "The minister said: “Nothing happened.” A survivor said he was beaten."]]
