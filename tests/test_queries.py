"""Every named query, run on the Chechnya example, with asserted results."""

import pytest

from kg.errors import QueryParameterError, UnknownActorError, UnknownQueryError
from kg.queries import get_query, load_queries

PARAMS = {
    "actor_profile": {"actor": "Lapunov"},
    "statements_about": {"subject": "Lapunov"},
    "neighbourhood": {"actor": "Kadyrov", "depth": "1"},
    "paths_between": {"source": "Maxim Lapunov", "target": "Kadyrov"},
}


def test_every_query_runs(chechnya_store):
    assert set(load_queries()) >= {"actor_profile", "statements_about", "contradictions", "paths_between",
                                   "timeline", "neighbourhood", "denials"}
    for name, query in load_queries().items():
        result = query.run(chechnya_store, PARAMS.get(name, {}))
        assert result.rows, name


def records(store, name, **params):
    return get_query(name).run(store, params).records()


def test_actor_profile_has_what_lapunov_said_and_what_was_said_about_him(chechnya_store):
    rows = records(chechnya_store, "actor_profile", actor="lapunov")
    relations = {r["relation"] for r in rows}
    assert {"said", "said about them"} <= relations
    assert any(r["relation"].startswith("took part as victim") for r in rows)
    said = [r["text"] for r in rows if r["relation"] == "said"]
    assert any("flogged repeatedly" in text for text in said)
    about = {r["speaker"] for r in rows if r["relation"] == "said about them"}
    assert "Valery Maksimenko" in about
    assert all(r["article"].startswith("Report: 125 People") for r in rows)


def test_contradictions_hold_the_seed_pairs(chechnya_store):
    rows = records(chechnya_store, "contradictions")
    pairs = {(r["speaker_a"], r["speaker_b"]) for r in rows}
    assert ("Valery Maksimenko", "Maxim Lapunov") in pairs
    assert ("Valery Maksimenko", "Russian LGBTQ Network") in pairs
    assert ("Ramzan Kadyrov", "Maxim Lapunov") in pairs or ("Ramzan Kadyrov", "Russian LGBTQ Network") in pairs
    assert ("Kremlin", "Maxim Lapunov") in pairs
    assert any(r["speaker_a"].startswith("Spokesman") or r["speaker_a"] == "Vladimir Putin" for r in rows)
    assert all(r["status"] != "rejected" for r in rows)
    assert all(r["quote_a"] and r["quote_b"] and r["source_a"] for r in rows)
    rejected = records(chechnya_store, "contradictions", status="rejected")
    assert len(rejected) == 1
    existence = records(chechnya_store, "contradictions", basis="existence")
    assert existence and all(r["basis"] == "existence" for r in existence)


def test_contradictions_read_a_page_at_a_time_are_the_whole(chechnya_store):
    whole = records(chechnya_store, "contradictions")
    pages = [records(chechnya_store, "contradictions", skip=str(skip), limit="7") for skip in range(0, 28, 7)]
    assert [len(page) for page in pages] == [7, 7, 6, 0]
    assert [row for page in pages for row in page] == whole
    lapunov = records(chechnya_store, "contradictions", actor="Lapunov")
    assert records(chechnya_store, "contradictions", actor="Lapunov", skip="2", limit="3") == lapunov[2:5]


def test_paths_between_lapunov_and_kadyrov(chechnya_store):
    rows = records(chechnya_store, "paths_between", source="Lapunov", target="Ramzan Kadyrov")
    assert len(rows) >= 2
    assert {row["hops"] for row in rows} == {3}
    for row in rows:
        assert row["via"][0] == "Maxim Lapunov" and row["via"][-1] == "Ramzan Kadyrov"
        assert row["hops"] == len(row["links"]) == len(row["via"]) - 1
    assert ["Maxim Lapunov", "Chechen authorities hoped to beat the names of other LGBTQ people out of him",
            "Chechen authorities", "Ramzan Kadyrov"] in [row["via"] for row in rows]
    assert records(chechnya_store, "paths_between", source="Lapunov", target="Kadyrov", max_hops="1") == []


def test_timeline_is_in_date_order_and_filters(chechnya_store):
    rows = records(chechnya_store, "timeline")
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert any(r["type"] == "kidnapping" and r["place"] == "St. Petersburg" for r in rows)
    late = records(chechnya_store, "timeline", **{"from": "2018"})
    assert late and all(r["date"] >= "2018" for r in late)


def test_neighbourhood_grows_with_depth(chechnya_store):
    one = records(chechnya_store, "neighbourhood", actor="Kadyrov", depth="1")
    two = records(chechnya_store, "neighbourhood", actor="Kadyrov", depth="2")
    assert {r["distance"] for r in one} == {1}
    assert len(two) > len(one)
    assert "We don’t have any gays" in {r["name"] for r in one}


def test_statements_about_and_denials(chechnya_store):
    rows = records(chechnya_store, "statements_about", subject="lapunov")
    assert {"denial", "testimony"} <= {r["stance"] for r in rows}
    denials = records(chechnya_store, "denials")
    by_actor = {r["actor"]: r for r in denials}
    assert "Maxim Lapunov" in by_actor["Valery Maksimenko"]["contradicted"]


def test_parameters_are_checked(chechnya_store):
    with pytest.raises(UnknownQueryError):
        get_query("nope")
    with pytest.raises(QueryParameterError, match="missing required parameter 'actor'"):
        get_query("actor_profile").run(chechnya_store, {})
    with pytest.raises(QueryParameterError, match="unknown parameter 'who'"):
        get_query("actor_profile").run(chechnya_store, {"who": "x"})
    with pytest.raises(QueryParameterError, match="expected a int"):
        get_query("neighbourhood").run(chechnya_store, {"actor": "Kadyrov", "depth": "two"})
    with pytest.raises(UnknownActorError, match="no actor named 'Nobody'"):
        get_query("actor_profile").run(chechnya_store, {"actor": "Nobody"})
