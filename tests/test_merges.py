"""Reviewing proposed merges of actors: decisions are reversible, audited, and survive reloads."""

import pytest
from click.testing import CliRunner

from kg.audit import audit_log
from kg.cli import main
from kg.errors import KGError
from kg.loading import load_paths
from kg.merges import decide, list_merges, merge_id
from kg.stores.ladybug import LadybugStore

from conftest import MINIMAL_CASE, write_case

# The same minister, once with a Cyrillic а in his name (and no aliases to match him by).
LOOKALIKE = MINIMAL_CASE.replace("name: Ivan Petrov", "name: Ivаn Petrov").replace("aliases: [Petrov, the minister]", "aliases: []")
LATER_ARTICLE = "The minister said: “Nothing happened.” A survivor said he was beaten. A week later."


@pytest.fixture(params=["ladybug", "neo4j"])
def store(request, tmp_path):
    if request.param == "neo4j":
        yield request.getfixturevalue("neo4j_store_factory")()
        return
    with LadybugStore(tmp_path / "store") as embedded:
        yield embedded


def load_both(store, tmp_path, lookalike=LOOKALIKE):
    load_paths(store, [write_case(tmp_path / "latin", MINIMAL_CASE),
                       write_case(tmp_path / "lookalike", lookalike, article=LATER_ARTICLE)])


def test_a_decision_is_reversible_audited_and_survives_a_reload(store, tmp_path):
    load_both(store, tmp_path)
    (proposal,) = list_merges(store)
    assert (proposal.source_name, proposal.target_name, proposal.status, proposal.produced_by) == (
        "Ivаn Petrov", "Ivan Petrov", "open", "rule:lookalike")
    assert proposal.id == merge_id(proposal.source, proposal.target, "lookalike")

    before, after = decide(store, proposal.id, "confirmed", "the outlet typed a Cyrillic а")
    assert (before.status, after.status, after.note) == ("open", "confirmed", "the outlet typed a Cyrillic а")
    load_both(store, tmp_path)  # the loaders run again and propose the same merge
    (kept,) = list_merges(store)
    assert (kept.status, kept.note) == ("confirmed", "the outlet typed a Cyrillic а")

    decide(store, proposal.id.removeprefix("merge:"), "rejected")  # a later decision replaces it
    assert [(p.status, p.note) for p in list_merges(store)] == [("rejected", "the outlet typed a Cyrillic а")]
    decide(store, proposal.id, "unsure", "ask the outlet")
    assert [p.id for p in list_merges(store, status="unsure")] == [proposal.id]
    assert list_merges(store, status="open") == []

    reviews = [r for r in audit_log(store).records() if r["action"] == "review"]
    assert [r["subject"] for r in reviews] == [proposal.id] * 3
    assert [r["note"].split(" (was ")[0] for r in reviews] == ["confirmed", "rejected", "unsure"]
    assert reviews[-1]["note"].endswith("; ask the outlet")


def test_unknown_ids_and_decisions_are_errors(store, tmp_path):
    load_both(store, tmp_path)
    with pytest.raises(KGError, match="no proposed merge with id 'merge:nope'"):
        decide(store, "merge:nope", "confirmed")
    with pytest.raises(KGError, match="a decision is one of confirmed, rejected, unsure, not 'open'"):
        decide(store, list_merges(store)[0].id, "open")
    with pytest.raises(KGError, match="status must be one of"):
        list_merges(store, status="maybe")


def test_merges_cli_exact_output(tmp_path):
    runner = CliRunner()
    directory = tmp_path / "store"
    with LadybugStore(directory) as store:
        load_both(store, tmp_path)
        (proposal,) = list_merges(store)

    def invoke(*args):
        return runner.invoke(main, [*args, "--store", str(directory)], catch_exceptions=False)

    listed = invoke("merges", "list", "--csv")
    assert listed.stdout == (
        "id,status,source_name,target_name,source,target,produced_by,note\n"
        f"{proposal.id},open,Ivаn Petrov,Ivan Petrov,{proposal.source},actor:ivan-petrov,rule:lookalike,\n"
    )
    confirmed = invoke("merges", "confirm", proposal.id, "--note", "same man")
    assert (confirmed.exit_code, confirmed.stdout) == (0, f"confirmed {proposal.id} (was open)\n")
    assert invoke("merges", "unsure", proposal.id).stdout == f"unsure {proposal.id} (was confirmed)\n"
    assert invoke("merges", "list", "--status", "open", "--csv").stdout == (
        "id,status,source_name,target_name,source,target,produced_by,note\n")
    missing = invoke("merges", "reject", "merge:nope")
    assert (missing.exit_code, missing.stderr) == (
        1, "kg: error: no proposed merge with id 'merge:nope'; `kg merges list` shows them\n")
    for command in ("list", "confirm", "reject", "unsure"):
        assert "Example:" in runner.invoke(main, ["merges", command, "--help"]).stdout
    assert "do not yet follow confirmed merges" in " ".join(runner.invoke(main, ["merges", "--help"]).stdout.split())


def test_sensitive_actors_in_proposals_are_pseudonymised_unless_revealed(tmp_path):
    runner = CliRunner()
    directory = tmp_path / "store"
    with LadybugStore(directory) as store:
        load_both(store, tmp_path, LOOKALIKE.replace("roles: [official]", "roles: [official]\n    sensitive: true", 1))
    hidden = runner.invoke(main, ["merges", "list", "--json", "--store", str(directory)]).stdout
    assert "Ivаn Petrov" not in hidden and "Protected person " in hidden
    shown = runner.invoke(main, ["merges", "list", "--json", "--reveal", "--store", str(directory)]).stdout
    assert "Ivаn Petrov" in shown
