"""The contradictions report (filters, groups, the denial-vs-testimony view, per-actor denials,
HTML) and the contradictions of one article on its own (kg extract)."""

import hashlib
import json
import tempfile

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import report
from kg.cli import main
from kg.detect import detect_contradictions
from kg.errors import KGError, UnknownActorError
from kg.loading import load_paths
from kg.report import Filters
from kg.spill import RecordSpill
from kg.stores.ladybug import LadybugStore

from conftest import CHECHNYA, MINIMAL_CASE, write_case


def _open(request, tmp_path):
    if request.param == "neo4j":
        return request.getfixturevalue("neo4j_store_factory")()
    return LadybugStore(tmp_path / "store")


@pytest.fixture(params=["ladybug", "neo4j"])
def store(request, tmp_path):
    opened = _open(request, tmp_path)
    yield opened
    if request.param == "ladybug":
        opened.close()


@pytest.fixture
def seed(store):
    load_paths(store, [CHECHNYA])
    return store


def pairs(built):
    return [(r["speaker_a"], r["speaker_b"]) for r in built.records]


# --- the report ----------------------------------------------------------------------------------------


def test_each_side_gives_its_quote_where_it_stands_in_its_article(seed):
    text = (CHECHNYA / "article.txt").read_text(encoding="utf-8")
    records = report.build_report(seed).records
    for record in records:
        for side in ("a", "b"):
            assert text[record[f"start_{side}"]:record[f"end_{side}"]] == record[f"quote_{side}"]
            assert record[f"article_sha256_{side}"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    first = records[0]
    assert (f"— Report: 125 People Have Fled Chechnya Following Anti-LGBTQ Crackdown (INTO), 2018-07, "
            f"characters {first['start_a']}–{first['end_a']}") in report.render_report(report.build_report(seed), "markdown")


def test_filters_by_actor_dates_basis_status_and_score(seed):
    everything = report.build_report(seed)
    assert len(everything.records) == 20
    kadyrov = report.build_report(seed, Filters(actor="kadyrov"))
    assert len(kadyrov.records) == 5
    assert all("Ramzan Kadyrov" in pair for pair in pairs(kadyrov))
    # The article is dated 2018-07: in a range starting mid-July (it may fall in it), not in 2017.
    assert len(report.build_report(seed, Filters(since="2018-07-15", until="2018")).records) == 20
    assert report.build_report(seed, Filters(until="2017")).records == []
    assert report.build_report(seed, Filters(since="2019-01")).records == []
    assert Filters(since="2018", until="2019").describe() == \
        "articles from 2018 · articles until 2019 · undated articles left out"
    existence = report.build_report(seed, Filters(basis="existence"))
    assert {r["basis"] for r in existence.records} == {"existence"} and len(existence.records) == 4
    assert len(report.build_report(seed, Filters(status="rejected")).records) == 1
    assert report.build_report(seed, Filters(min_score=1.0)).records == everything.records


def test_the_report_is_read_in_pages(seed, monkeypatch):
    whole, rows = report.build_report(seed, Filters(since="2018")).records, report.contradictions(seed).rows
    monkeypatch.setattr(report, "PAGE_ROWS", 3)
    assert report.build_report(seed, Filters(since="2018")).records == whole
    assert report.contradictions(seed).rows == rows and len(rows) == 20


def test_every_grouping_and_view_is_the_same_read_in_pages(seed, monkeypatch):
    combinations = [(group_by, view) for group_by in report.GROUPINGS for view in report.VIEWS]
    whole = [report.render_report(report.build_report(seed, group_by=g, view=v), "json") for g, v in combinations]
    monkeypatch.setattr(report, "PAGE_ROWS", 3)
    assert [report.render_report(report.build_report(seed, group_by=g, view=v), "json") for g, v in combinations] == whole


def test_the_records_wait_in_a_file_that_has_no_name(seed, tmp_path, monkeypatch):
    # The quotes are about persecuted people: held on disk while the report is written, they are
    # in no file anyone could find or that could be left behind.
    spill_dir = tmp_path / "spill"
    spill_dir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill_dir))
    with report.build_report(seed, group_by="event") as built:
        assert len(built.records) == 20 and built.records[0]["quote_a"]
        assert list(spill_dir.iterdir()) == []


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
_RECORDS = st.lists(st.dictionaries(st.text(max_size=8), _JSON_VALUES, max_size=4), max_size=4)


@settings(max_examples=200, deadline=None)
@given(_RECORDS)
def test_the_spill_gives_back_each_record_as_written(records):
    with RecordSpill() as spill:
        for record in records[:2]:
            spill.append(record)
        if records:
            assert spill[0] == records[0]   # a record read between two writes
        for record in records[2:]:
            spill.append(record)
        assert len(spill) == len(records)
        assert [spill[i] for i in reversed(range(len(records)))] == records[::-1]


@settings(max_examples=200, deadline=None)
@given(_RECORDS)
def test_json_written_a_record_at_a_time_is_the_whole_list_as_json(records):
    written = report.render_report(report.Report(title="t", records=records), "json")
    assert written == json.dumps(records, ensure_ascii=False, indent=2)


_SIDE_FIELDS = ("speaker", "role", "stance", "quote", "source", "publisher", "date")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "basis": st.sampled_from(["polarity", "shift"]), "status": st.just("open"), "id": st.text(max_size=6),
    "score": st.floats(0, 1), "explanation": st.text(max_size=12),
    **{f"{name}_{side}": st.text(max_size=6) | st.none() for name in _SIDE_FIELDS for side in "ab"},
}), max_size=3), st.text(max_size=6))
def test_markdown_written_a_line_at_a_time_ends_as_the_joined_lines(records, title):
    # The report ends with one newline, however many blank lines its last record leaves.
    built = report.Report(title=title, records=records)
    assert report.render_report(built, "markdown") == "\n".join(report._markdown_lines(built)).rstrip() + "\n"


def test_filter_errors_name_the_filter(seed):
    with pytest.raises(KGError, match="since: expected YYYY, YYYY-MM or YYYY-MM-DD, got '2018-13'"):
        report.build_report(seed, Filters(since="2018-13"))
    with pytest.raises(KGError, match="since 2019 is after until 2017-06: no article can be in that range"):
        report.build_report(seed, Filters(since="2019", until="2017-06"))
    with pytest.raises(KGError, match="basis must be one of existence, numeric, polarity, responsibility, shift"):
        report.build_report(seed, Filters(basis="nope"))
    with pytest.raises(UnknownActorError, match="no actor named 'Nobody'"):
        report.build_report(seed, Filters(actor="Nobody"))
    with pytest.raises(KGError, match="group by one of none, event, topic"):
        report.build_report(seed, group_by="place")


def test_grouped_by_event_and_by_topic(seed):
    by_event = report.build_report(seed, group_by="event")
    assert [(label, len(list(records))) for label, records in by_event.groups()] == [
        ("Anti-LGBTQ purge in Chechnya", 8),
        ("Flogging and beating of Maxim Lapunov in detention", 2),
        ("Detention of Maxim Lapunov in Grozny", 5),
        ("Detention and questioning of 49 of the refugees by law enforcers in Chechnya", 5),
    ]
    by_topic = report.build_report(seed, group_by="topic")
    assert sum(len(list(records)) for _, records in by_topic.groups()) == 20
    assert "Existence of gay people in Chechnya" in [label for label, _ in by_topic.groups()]
    markdown = report.render_report(by_event, "markdown")
    assert markdown.startswith("# Contradictions\n\n20 contradictions, strongest first, grouped by event.\n\n"
                               "## Anti-LGBTQ purge in Chechnya\n\n### 1. ")


def test_official_denial_against_survivor_testimony(seed):
    view = report.build_report(seed, view="denial-vs-testimony")
    assert pairs(view) == [
        ("Ramzan Kadyrov", "Maxim Lapunov"),
        ("Valery Maksimenko", "Maxim Lapunov"),
        ("Vladimir Putin", "Maxim Lapunov"),
        ("Ramzan Kadyrov", "Maxim Lapunov"),
        ("Spokesman for Vladimir Putin", "Maxim Lapunov"),
        ("Valery Maksimenko", "Maxim Lapunov"),
        ("Kremlin", "Maxim Lapunov"),
    ]
    assert all((r["voice_a"], r["stance_a"], r["voice_b"], r["stance_b"]) == ("official", "denial", "survivor", "testimony")
               for r in view.records)
    assert report.render_report(view, "markdown").startswith("# Official denial vs. survivor testimony\n\n7 contradictions")


def test_who_denies_whose_accounts(seed):
    rows = report.actor_denials(seed).records()
    assert [r["actor"] for r in rows] == ["Valery Maksimenko", "Ramzan Kadyrov", "Spokesman for Vladimir Putin",
                                          "Vladimir Putin", "Kremlin"]
    maksimenko = rows[0]
    assert (maksimenko["voice"], maksimenko["denials"], maksimenko["contradictions"]) == ("official", 3, 8)
    assert maksimenko["accounts_denied"][:2] == ["Russian LGBTQ Network (3)", "Maxim Lapunov (2)"]
    lapunov = report.actor_denials(seed, Filters(actor="Lapunov")).records()
    assert {r["actor"]: r["accounts_denied"] for r in lapunov}["Kremlin"] == ["Maxim Lapunov (1)"]
    markdown = report.render_table_result(report.actor_denials(seed, Filters(actor="Lapunov")), "markdown", "Who denies")
    assert markdown.splitlines()[:4] == ["# Who denies", "", "| actor | voice | denials | contradictions | accounts_denied |",
                                         "| --- | --- | --- | --- | --- |"]
    assert "| Kremlin | official | 1 | 1 | Maxim Lapunov (1) |" in markdown.splitlines()


def test_the_same_report_on_both_stores(tmp_path, neo4j_store_factory):
    server = neo4j_store_factory()
    load_paths(server, [CHECHNYA])
    with LadybugStore(tmp_path / "embedded") as embedded:
        load_paths(embedded, [CHECHNYA])
        for fmt in report.REPORT_FORMATS:
            for group_by in report.GROUPINGS:
                left = report.render_report(report.build_report(embedded, group_by=group_by), fmt)
                right = report.render_report(report.build_report(server, group_by=group_by), fmt)
                assert left == right, (fmt, group_by)
        assert report.actor_denials(embedded).rows == report.actor_denials(server).rows


HOSTILE_ARTICLE = "The minister said: “<script>alert(1)</script> Nothing & *happened*.” A survivor said he was beaten."


def test_html_is_self_contained_escaped_and_pseudonymised(store, tmp_path):
    case = MINIMAL_CASE.replace('text: "Nothing happened."', 'text: "<script>alert(1)</script> Nothing & *happened*."')
    load_paths(store, [write_case(tmp_path / "case", case, article=HOSTILE_ARTICLE)])
    page = report.render_report(report.build_report(store, group_by="event"), "html")
    assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Nothing &amp; *happened*." in page
    assert "http://" not in page and "https://" not in page and "<link" not in page
    assert "Survivor A" not in page and "Protected person " in page
    assert "Survivor A" in report.render_report(report.build_report(store, reveal=True), "html")
    markdown = report.render_report(report.build_report(store), "markdown")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Nothing &amp; \\*happened\\*." in markdown
    for fmt in ("table", "json", "markdown"):
        assert "Survivor A" not in report.render_report(report.build_report(store), fmt)
    # The survivor's testimony against the minister's denial; the survivor stays pseudonymised.
    (row,) = report.build_report(store, view="denial-vs-testimony").records
    assert row["speaker_a"] == "Ivan Petrov" and row["speaker_b"].startswith("Protected person ")
    assert "Survivor A" not in json.dumps(report.actor_denials(store).records())


# --- one article on its own ----------------------------------------------------------------------------

OWN_ARTICLE = """\
Police detained twelve gay men in Grozny in March 2019, the Russian LGBT Network said.

Adam Aliev, a survivor, said police detained him in Grozny and beat him for three days.

"No one was detained in Grozny," Interior Minister Ruslan Alkhanov said.
"""


def test_extract_lists_the_articles_own_contradictions(tmp_path):
    path = tmp_path / "raid.txt"
    path.write_text(OWN_ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--min-score", "0.3"], catch_exceptions=False)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    speakers = {s["id"]: (s["speaker_name"], s["stance"]) for s in document["statements"]}
    assert speakers == {
        "statement:7ad35d079bb18421aeb5": ("Russian LGBT Network", "accusation"),
        "statement:8e5d8729aa721e77a7dd": ("Adam Aliev", "testimony"),
        "statement:ce3b02eb5ecb7af35ae6": ("Ruslan Alkhanov", "denial"),
    }
    assert document["contradictions"] == [
        {"a": "statement:7ad35d079bb18421aeb5", "b": "statement:ce3b02eb5ecb7af35ae6", "basis": "numeric",
         "score": 1.0,
         "explanation": "Russian LGBT Network (activist) gives “twelve” where Ruslan Alkhanov (official) gives "
                        "“no one”: incompatible counts (twelve against no one for detention: detained twelve gay men)."},
        {"a": "statement:ce3b02eb5ecb7af35ae6", "b": "statement:8e5d8729aa721e77a7dd", "basis": "polarity",
         "score": 0.814,
         "explanation": "Ruslan Alkhanov (official) denies — “No one was detained in Grozny” — what Adam Aliev "
                        "(survivor) testifies: “police detained him in Grozny and beat him for three days”. "
                        "Both are about: detention: detained twelve gay men; detention: detained; torture: beat."},
    ]
    default = json.loads(CliRunner().invoke(main, ["extract", str(path)]).stdout)
    assert [c["score"] for c in default["contradictions"]] == [1.0, 0.814]


def test_an_articles_own_contradictions_are_what_the_detector_finds_once_it_is_loaded(store, tmp_path):
    """The facts built from the extractor's records are the facts read back from a store."""
    raw = tmp_path / "raw" / "article.txt"
    raw.parent.mkdir()
    raw.write_text((CHECHNYA / "article.txt").read_text(encoding="utf-8"), encoding="utf-8")
    extracted = json.loads(CliRunner().invoke(main, ["extract", str(raw), "--min-score", "0.1"]).stdout)
    load_paths(store, [raw])
    stored = detect_contradictions(store, min_score=0.1, write=False)
    assert extracted["contradictions"]
    assert [(c["a"], c["b"], c["basis"], c["score"]) for c in extracted["contradictions"]] == sorted(
        ((d.a, d.b, d.basis, round(d.score, 3)) for d in stored.detected), key=lambda t: (-t[3], t[2], t[0], t[1]))
