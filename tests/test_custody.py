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


def _audited_store(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    for args in (["load", str(CHECHNYA)], ["export", "-o", str(tmp_path / "g.ttl")], ["load", str(CHECHNYA)],
                 ["viz", "-o", str(tmp_path / "page.html")]):
        assert runner.invoke(main, [args[0], "--store", str(store), *args[1:]]).exit_code == 0
    return store, runner


def test_the_audit_log_is_a_hash_chain_and_verifies(tmp_path):
    store, runner = _audited_store(tmp_path)
    with LadybugStore(store, read_only=True) as graph:
        rows = graph.run("MATCH (e:AuditEntry) RETURN e.action, e.note, e.previous_hash, e.entry_hash "
                         "ORDER BY e.at").rows
    assert [(r[0], r[1]) for r in rows] == [("load", None), ("export", "turtle"), ("load", None), ("export", "viz html")]
    assert rows[0][2] is None and all(later[2] == earlier[3] for earlier, later in zip(rows, rows[1:]))
    checked = runner.invoke(main, ["audit", "--verify", "--store", str(store), "--csv"])
    assert checked.exit_code == 0
    assert checked.stdout == "at,entry,problem\n"
    assert checked.stderr == "chain intact: 4 entries, 0 from before the chain, 0 fork(s) from concurrent writers\n"


def test_an_edited_audit_entry_breaks_the_chain(tmp_path):
    store, runner = _audited_store(tmp_path)
    with LadybugStore(store) as graph:
        graph.run("MATCH (e:AuditEntry) WHERE e.action = 'export' AND e.note = 'turtle' SET e.user = 'someone else'",
                  write=True)
    checked = runner.invoke(main, ["audit", "--verify", "--store", str(store), "--csv"])
    assert checked.exit_code == 1
    assert checked.stdout.splitlines()[1].endswith(
        ",was changed after it was written: its fields no longer hash to its entry_hash")
    assert checked.stderr == ("kg: error: the audit log's hash chain is broken in 1 place(s) "
                              "(4 entries, 0 from before the chain, 0 fork(s) from concurrent writers)\n")
    verified = runner.invoke(main, ["verify", "--store", str(store)])
    assert verified.exit_code == 1
    assert verified.stderr == "kg: error: the audit log's hash chain is broken in 1 place(s); see kg audit --verify\n"


def test_a_removed_audit_entry_breaks_the_chain(tmp_path):
    store, runner = _audited_store(tmp_path)
    with LadybugStore(store) as graph:
        graph.run("MATCH (e:AuditEntry) WHERE e.action = 'export' AND e.note = 'turtle' DELETE e", write=True)
    checked = runner.invoke(main, ["audit", "--verify", "--store", str(store), "--csv"])
    assert checked.exit_code == 1
    problem = checked.stdout.splitlines()[1]
    assert ",follows an entry that is missing or was rewritten (" in problem


def test_review_decisions_and_ad_hoc_edits_are_audited(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_USER", "reviewer-2")
    store = tmp_path / "store"
    runner = CliRunner()
    runner.invoke(main, ["load", "--store", str(store), str(CHECHNYA)], catch_exceptions=False)
    with LadybugStore(store, read_only=True) as graph:
        contradiction = graph.run("MATCH (c:Contradiction) RETURN c.id ORDER BY c.id LIMIT 1").rows[0][0]
    for decision in ("reject", "confirm"):
        assert runner.invoke(main, ["contradictions", decision, contradiction, "--note", "checked",
                                    "--store", str(store)]).exit_code == 0
    edit = "MATCH (t:Topic) SET t.label = t.label + ' (edited)'"
    assert runner.invoke(main, ["cypher", edit, "--write", "--store", str(store)]).exit_code == 0
    import json

    entries = json.loads(runner.invoke(main, ["audit", "--store", str(store), "--json"]).stdout)
    assert [(e["action"], e["subject"], e["note"], e["user"]) for e in entries[1:]] == [
        ("review", contradiction, "rejected: checked", "reviewer-2"),
        ("review", contradiction, "confirmed: checked", "reviewer-2"),
        ("edit", edit, None, "reviewer-2"),
    ]
    assert runner.invoke(main, ["audit", "--verify", "--store", str(store)]).exit_code == 0
