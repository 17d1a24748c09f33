"""A reviewer's decision on a contradiction survives loading its case file again, on both stores."""

import json

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import MINIMAL_CASE, write_case

LATER_ARTICLE = "The minister said: “Nothing happened.” A survivor said he was beaten. A week later."
EXPLANATION = "explanation: The minister denies what the survivor describes."
REVIEWED, OTHER = "contradiction:1d47e9bf9d67d3fedda6", "contradiction:2ee86a42b64c93a479ba"
HEADER = "id,status,basis,score,produced_by,speaker_a,quote_a,speaker_b,quote_b,note,explanation\n"
QUOTES = "Ivan Petrov,Nothing happened.,Survivor A,he was beaten"


@pytest.fixture(params=["ladybug", "neo4j"])
def store(request, tmp_path):
    """--store for the CLI: a directory, or the URI of an emptied Neo4j database."""
    if request.param == "neo4j":
        request.getfixturevalue("neo4j_store_factory")()  # empties the database
        return request.getfixturevalue("neo4j_uri")
    return str(tmp_path / "store")


def kg(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def cases(tmp_path, reviewed=MINIMAL_CASE, other=MINIMAL_CASE):
    """Two case files of two articles, one contradiction each."""
    return [write_case(tmp_path / "reviewed", reviewed), write_case(tmp_path / "other", other, article=LATER_ARTICLE)]


def listed(store):
    return kg("contradictions", "list", "--csv", "--reveal", "--store", store).stdout


def test_a_decision_survives_a_reload_and_a_changed_case_file(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # case files are named relative to it in produced_by
    first = kg("load", "--store", store, *cases(tmp_path))
    assert first.stdout == "loaded 2 file(s), 2 article(s): 10 nodes, 16 relationships\n"
    note = "the survivor was not there that day"
    assert kg("contradictions", "reject", REVIEWED, "--note", note, "--store", store).stdout == \
        f"rejected {REVIEWED} (was confirmed)\n"
    stats = kg("stats", "--json", "--store", store).stdout

    kg("load", "--store", store, *cases(tmp_path))  # the same files again
    assert listed(store) == HEADER + (
        f"{REVIEWED},rejected,polarity,1,casefile:reviewed/case.yaml,{QUOTES},{note},"
        "The minister denies what the survivor describes.\n"
        f"{OTHER},confirmed,polarity,1,casefile:other/case.yaml,{QUOTES},,"
        "The minister denies what the survivor describes.\n"
    )
    assert kg("stats", "--json", "--store", store).stdout == stats

    # The curator edits both contradictions: the explanation, and the status the file gives.
    # The reviewed one keeps the reviewer's status and note; the other takes the file's status.
    edited = MINIMAL_CASE.replace(EXPLANATION, "explanation: Edited by the curator.\n    status: open")
    assert edited != MINIMAL_CASE
    for _ in range(2):  # and loading the edited files again changes nothing
        kg("load", "--store", store, *cases(tmp_path, edited, edited))
        assert listed(store) == HEADER + (
            f"{REVIEWED},rejected,polarity,1,casefile:reviewed/case.yaml,{QUOTES},{note},Edited by the curator.\n"
            f"{OTHER},open,polarity,1,casefile:other/case.yaml,{QUOTES},,Edited by the curator.\n"
        )
        assert kg("stats", "--json", "--store", store).stdout == stats

    # A later decision is kept in its turn (a note, unless a new one is given); the audit log
    # has every decision.
    assert kg("contradictions", "confirm", REVIEWED, "--store", store).stdout == \
        f"confirmed {REVIEWED} (was rejected)\n"
    kg("load", "--store", store, *cases(tmp_path))
    assert listed(store).splitlines()[1] == (
        f"{REVIEWED},confirmed,polarity,1,casefile:reviewed/case.yaml,{QUOTES},{note},"
        "The minister denies what the survivor describes."
    )
    entries = json.loads(kg("audit", "--json", "--store", store).stdout)
    assert [(e["subject"], e["note"]) for e in entries if e["action"] == "review"] == [
        (REVIEWED, f"rejected: {note}"), (REVIEWED, "confirmed"),
    ]


def test_a_decision_taken_through_the_library_is_audited_with_it_and_survives_a_reload(store, tmp_path, monkeypatch):
    """set_status writes the decision and its audit entry in one transaction, so a decision not
    taken through the CLI is known to the next load as well."""
    from kg.detect import set_status
    from kg.stores import open_store

    monkeypatch.chdir(tmp_path)
    kg("load", "--store", store, *cases(tmp_path))
    with open_store(store) as graph:
        set_status(graph, REVIEWED, "rejected", "a different incident")
    kg("load", "--store", store, *cases(tmp_path))
    assert listed(store).splitlines()[1].startswith(f"{REVIEWED},rejected,") and "a different incident" in listed(store)
    entries = json.loads(kg("audit", "--json", "--store", store).stdout)
    assert [(e["subject"], e["note"]) for e in entries if e["action"] == "review"] == [
        (REVIEWED, "rejected: a different incident")]
