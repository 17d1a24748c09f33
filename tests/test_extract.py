"""The rule-based extractor (kg/extract): each rule family on small sentences, the seed case end
to end, properties over arbitrary text, and the records it produces."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import identity
from kg.errors import InputError, KGError
from kg.extract import extract, load_lexicon
from kg.extract.evaluate import evaluate, lenient_same
from kg.extract.lexicon import read_lexicon
from kg.ontology import load_ontology
from kg.resources import resource_path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "examples" / "chechnya" / "case.yaml"


def statements(text: str, **kwargs):
    return extract(text, **kwargs).to_json()["statements"]


def one(text: str, **kwargs) -> dict:
    found = statements(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


def by_text(found: list[dict], words: str) -> dict:
    hits = [s for s in found if words in s["text"]]
    assert hits, f"no statement containing {words!r} in {[s['text'] for s in found]}"
    return hits[0]


# --- lexicons --------------------------------------------------------------------------------------


def test_lexicon_loads_once_and_compiles():
    lexicon = load_lexicon()
    assert load_lexicon() is lexicon
    assert "said" in lexicon.verbs and lexicon.verbs["denied"].stance == "denial"
    assert {"detention", "torture", "killing"} <= set(lexicon.event_types)


def test_lexicon_unknown_key_names_file_and_line(tmp_path):
    directory = tmp_path / "lexicons"
    shutil.copytree(resource_path("loaders", "lexicons"), directory)
    path = directory / "speech.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("  say:"))
    lines[index] = "  say:       {forms: [say, said], tense: past}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_lexicon(directory)
    assert caught.value.where == f"{path}:{index + 1}"
    assert "tense" in caught.value.message


def test_lexicon_vocabulary_checked_against_ontology(tmp_path):
    directory = tmp_path / "lexicons"
    shutil.copytree(resource_path("loaders", "lexicons"), directory)
    path = directory / "events.yaml"
    text = path.read_text(encoding="utf-8").replace("  meeting:\n", "  picnic:\n", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="picnic"):
        read_lexicon(directory)


# --- direct quotes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "“We were beaten every night,” said Anna Petrova.",
    "\"We were beaten every night,\" Anna Petrova said.",
    "Anna Petrova said: “We were beaten every night.”",
])
def test_direct_quote_curly_and_straight(text):
    statement = one(text)
    assert statement["kind"] == "direct"
    assert statement["speaker_name"] == "Anna Petrova"
    assert statement["text"].startswith("We were beaten every night")
    assert not statement["text"].endswith(",")


def test_multi_paragraph_quote_is_one_statement_per_paragraph():
    text = (
        "Rights activist Oleg Brun spoke to reporters on Monday.\n\n"
        "“They took our phones and beat us in the corridor.\n\n"
        "“Nobody told us why we were held,” Brun said."
    )
    found = statements(text)
    first = by_text(found, "They took our phones")
    second = by_text(found, "Nobody told us why")
    assert first["speaker_name"] == second["speaker_name"] == "Oleg Brun"
    assert "\n" not in first["text"] and first["kind"] == second["kind"] == "direct"


def test_quote_continuation_in_the_same_paragraph():
    text = "“We will appeal,” the lawyer Maria Sousa said. “The court ignored the evidence.”"
    found = statements(text)
    assert by_text(found, "The court ignored")["speaker_name"] == "Maria Sousa"


def test_missing_opening_mark_closes_from_the_next_sentence():
    text = "“We don’t have any gays,” Kadyrov added. If there are any, take them to Canada.”"
    found = statements(text)
    taken = by_text(found, "If there are any")
    assert taken["text"] == "If there are any, take them to Canada."
    assert taken["speaker_name"] == "Kadyrov"


# --- reported speech ---------------------------------------------------------------------------------


def test_partial_quote_inside_reported_speech_is_one_indirect_statement():
    text = "Prosecutor Ivan Dolgov claimed there is no evidence showing he “was illegally detained and tortured.”"
    statement = one(text)
    assert statement["kind"] == "indirect"
    assert statement["text"] == "there is no evidence showing he “was illegally detained and tortured.”"
    assert statement["stance"] == "denial"


def test_said_that_and_coordinated_that_clauses():
    text = "The Northern Rights Monitor said 63 people had been held, and that nine needed hospital treatment."
    found = statements(text)
    assert [s["text"] for s in found] == ["63 people had been held", "nine needed hospital treatment"]
    assert {s["speaker_name"] for s in found} == {"Northern Rights Monitor"}


@pytest.mark.parametrize("text, words", [
    ("According to the Interior Ministry, 14 people were briefly held.", "14 people were briefly held"),
    ("Fourteen people were briefly held, according to the Interior Ministry.", "Fourteen people were briefly held"),
])
def test_according_to(text, words):
    statement = one(text)
    assert statement["text"] == words
    assert statement["speaker_name"] == "Interior Ministry"


def test_trailing_attribution_after_an_unquoted_clause():
    text = "Guards beat him until he fainted, alleged Rahim Saidov."
    statement = one(text)
    assert statement["text"] == "Guards beat him until he fainted"
    assert statement["speaker_name"] == "Rahim Saidov"


def test_denial_with_a_plain_object_keeps_the_verb():
    statement = one("President Anton Vasek has denied the reports.")
    assert statement["text"] == "denied the reports" and statement["stance"] == "denial"


# --- speakers ------------------------------------------------------------------------------------------


def test_appositive_of_an_organisation():
    result = extract("Valery Maksimenko of the Prosecutor General’s Office said the reports were false.").to_json()
    assert result["statements"][0]["speaker_name"] == "Valery Maksimenko"
    relation = result["relations"][0]
    assert (relation["source_name"], relation["relation"], relation["target_name"]) == (
        "Valery Maksimenko", "member_of", "Prosecutor General’s Office")


def test_title_before_name_gives_role_and_appositive_name_is_the_speaker():
    result = extract(
        "Police spokesman Ettore Calvani said the operation was lawful. "
        "The directorate's head, Hernan Villalobos, told Radio Cumbre that there were no injuries."
    ).to_json()
    assert [s["speaker_name"] for s in result["statements"]] == ["Ettore Calvani", "Hernan Villalobos"]
    calvani = next(a for a in result["actors"] if a["name"] == "Ettore Calvani")
    assert "spokesperson" in calvani["roles"]


def test_back_references_to_the_last_speaker_and_person():
    text = (
        "“This information was not confirmed,” Valery Maksimenko said.\n\n"
        "“No one was detained,” he added.\n\n"
        "Maxim Lapunov was the first survivor to speak out. At a press conference, the 30-year-old "
        "claimed he was flogged repeatedly."
    )
    found = statements(text)
    assert by_text(found, "No one was detained")["speaker_name"] == "Valery Maksimenko"
    assert by_text(found, "he was flogged")["speaker_name"] == "Maxim Lapunov"


def test_group_back_reference_and_institution_speaker():
    text = (
        "The Russian LGBT Network said 40 people had fled. “Others received threats,” the group continued.\n\n"
        "But the Kremlin maintained that police had found no evidence."
    )
    found = statements(text)
    assert by_text(found, "Others received threats")["speaker_name"] == "Russian LGBT Network"
    kremlin = by_text(found, "police had found no evidence")
    assert kremlin["speaker_name"] == "Kremlin" and kremlin["stance"] == "denial"


def test_unnamed_speaker_with_a_given_name_is_sensitive_and_referred_back_to():
    text = (
        "A 26-year-old graphic designer, who gave her name only as Sara, said she was driven to the station.\n\n"
        "“I kept asking whether I was under arrest,” the 26-year-old said."
    )
    result = extract(text).to_json()
    speakers = {s["speaker"] for s in result["statements"]}
    assert len(speakers) == 1
    actor = next(a for a in result["actors"] if a["id"] in speakers)
    assert "Sara" in actor["aliases"] and actor["sensitive"] is True
    assert actor["id"].startswith("actor:p-")  # a sensitive person's id does not spell the name


def test_mentions_of_one_actor_merge():
    result = extract(
        "Chechen strongman Ramzan Kadyrov dismissed the reports. Kadyrov said there were no such people."
    ).to_json()
    kadyrov = [a for a in result["actors"] if "Kadyrov" in a["name"]]
    assert len(kadyrov) == 1 and kadyrov[0]["name"] == "Ramzan Kadyrov" and "Kadyrov" in kadyrov[0]["aliases"]
    assert kadyrov[0]["type"] == "Person"


@pytest.mark.parametrize("text, name, actor_type", [
    ("The Human Rights Campaign said the crackdown must end.", "Human Rights Campaign", "NGO"),
    ("The Interior Ministry said the figure was inflated.", "Interior Ministry", "GovernmentBody"),
    ("The news website Crime Russia reported that three men were held.", "Crime Russia", "MediaOutlet"),
    ("Chechen authorities said the men had left voluntarily.", "Chechen authorities", "GovernmentBody"),
])
def test_actor_types_from_organisation_words_descriptors_and_collectives(text, name, actor_type):
    result = extract(text).to_json()
    actor = next(a for a in result["actors"] if a["name"] == name)
    assert actor["type"] == actor_type
    assert result["statements"][0]["speaker_name"] == name


# --- stance --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, stance, cue", [
    ("The Interior Ministry said the information was not confirmed.", "denial", "not confirmed"),
    ("Police spokesman Ettore Calvani said the report was “nonsense.”", "denial", "nonsense"),
    ("Human Rights Watch said detainees were tortured in custody.", "accusation", "tortured"),
    ("Survivor Maxim Lapunov said he was beaten in the legs.", "testimony", None),
    ("The Interior Ministry said 14 people had been released.", "affirmation", None),
    ("Officials said the review may be completed next month.", "other", "may be"),
])
def test_stance_cues(text, stance, cue):
    statement = one(text, published="2023-03-14")
    assert statement["stance"] == stance, statement
    if cue:
        assert statement["cue"] == cue


def test_passive_denied_is_not_a_denial():
    statement = one("Ilse Varga of the Northern Rights Monitor said detainees were denied lawyers for 14 hours.")
    assert statement["stance"] == "accusation"


# --- events ----------------------------------------------------------------------------------------


def test_event_trigger_count_place_and_relative_time():
    text = "Police detained at least 40 people in Tsarvel last week, witnesses said."
    events = extract(text, published="2023-03-14").to_json()["events"]
    detention = next(e for e in events if e["type"] == "detention")
    assert detention["count"] == 40
    assert detention["place"] == "Tsarvel"
    assert detention["time"] == "last week"
    assert (detention["time_start"], detention["time_end"]) == ("2023-03-06", "2023-03-12")
    assert {"actor": "actor:police", "role": "perpetrator"} in [
        {"actor": p["actor"], "role": p["role"]} for p in detention["participants"]]


@pytest.mark.parametrize("text, published, start, end", [
    ("In an October press conference, he spoke.", "2018-07", "2017-10", "2017-10"),
    ("He was kidnapped earlier this month.", "2018-07", "2018-07", "2018-07"),
    ("He was captured in Grozny last year.", "2018-07", "2017", "2017"),
    ("They were arrested in 2017.", None, "2017", "2017"),
    ("He was detained on 12 March 2019.", None, "2019-03-12", "2019-03-12"),
])
def test_relative_and_absolute_dates(text, published, start, end):
    events = extract(text, published=published).to_json()["events"]
    assert events, text
    assert (events[0]["time_start"], events[0]["time_end"]) == (start, end)


def test_passive_trigger_gives_victim_and_perpetrator():
    text = "Zelimkhan Akhmadov was kidnapped by Chechen authorities earlier this month."
    event = extract(text, published="2018-07").to_json()["events"][0]
    assert event["type"] == "kidnapping"
    roles = {p["name"]: p["role"] for p in event["participants"]}
    assert roles == {"Zelimkhan Akhmadov": "victim", "Chechen authorities": "perpetrator"}


def test_campaign_of_harm_triggers_is_one_event():
    text = "The group said authorities began arresting, beating, and torturing people in 2017."
    events = extract(text).to_json()["events"]
    assert [e["type"] for e in events] == ["persecution_campaign"]
    assert events[0]["time_start"] == "2017"


@pytest.mark.parametrize("text, count", [
    ("Approximately 125 people fled the republic.", 125),
    ("The killing of at least three citizens was reported.", 3),
    ("49 of the Chechen refugees were detained.", 49),
])
def test_counts(text, count):
    events = extract(text).to_json()["events"]
    assert events[0]["count"] == count


# --- the seed, end to end ----------------------------------------------------------------------------


def test_seed_meets_the_targets():
    report = evaluate([SEED])
    seed = report.articles[0]
    assert seed.statements.recall >= 0.9
    assert seed.speaker.value >= 0.9
    assert seed.stance.value >= 0.85
    table = report.render_table()
    assert "chechnya" in table and "MICRO" in table
    assert report.to_json()["micro"]["statements"]["tp"] == seed.statements.tp


def test_lenient_speaker_match():
    assert lenient_same({"interior ministry"}, {"korvanian interior ministry"})
    assert not lenient_same({"kremlin"}, {"korvanian interior ministry"})


# --- records -----------------------------------------------------------------------------------------


def seed_extraction():
    text = (REPO / "examples" / "chechnya" / "article.txt").read_text(encoding="utf-8")
    return text, extract(text, title="Report: 125 People Have Fled Chechnya Following Anti-LGBTQ Crackdown",
                         publisher="INTO", published="2018-07", source="examples/chechnya/article.txt")


def test_bundle_passes_the_ontology_and_shapes():
    _, result = seed_extraction()
    bundle = result.to_bundle()
    bundle.check(load_ontology())
    from kg.rdf import check_shapes

    check_shapes(bundle, "extracted seed")
    labels = {n.label for n in bundle.nodes}
    assert {"Actor", "Statement", "Event", "Place"} <= labels
    assert all(e.props.get("produced_by", "rule:").startswith("rule:") for e in bundle.edges if e.props)


def test_ids_and_shapes_match_the_case_file_loader():
    text, result = seed_extraction()
    sha = identity.text_sha256(text)
    data = result.to_json()
    for statement in data["statements"]:
        assert statement["id"] == identity.statement_id(sha, statement["start"], statement["end"])
    from kg.casefile import load_casefile

    gold = load_casefile(SEED)
    gold_statement = next(n for n in gold.nodes if n.label == "Statement")
    ours = next(n for n in result.to_bundle().nodes if n.label == "Statement")
    assert set(ours.props) == set(gold_statement.props)
    assert ours.props["produced_by"].startswith("rule:")
    gold_actor_ids = {n.id for n in gold.nodes if n.label == "Actor"}
    assert {"actor:maxim-lapunov", "actor:vladimir-putin", "actor:kremlin"} <= gold_actor_ids & {
        a["id"] for a in data["actors"]}


def test_extraction_is_deterministic():
    text, first = seed_extraction()
    _, second = seed_extraction()
    assert first.to_json() == second.to_json()


def test_memory_does_not_grow_across_articles():
    text, _ = seed_extraction()
    variants = [text.replace("Chechnya", f"Region{i}") for i in range(40)]
    for variant in variants[:10]:
        extract(variant)
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for variant in variants[10:]:
        extract(variant).to_json()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert grown < 512 * 1024, f"grew by {grown} bytes over 30 articles"


def test_bad_input_is_an_input_error():
    with pytest.raises(InputError):
        extract("Some text.", published="July 2018")
    with pytest.raises(InputError):
        extract(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        extract("lone \ud800 surrogate")
    assert extract("").to_json()["statements"] == []


# --- properties ------------------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "“", "”", "\"", "‘", "’", "'", ",", ".", " ", "\n", "\n\n", " said ", " told ", "according to ", "As ",
    "he ", "the group ", "Police ", "Maria Sousa", "Kremlin", " was detained ", " in 2017", " last year",
    "at least 3 people ", " claimed that ", " denied ", "—", ":", "(", ")", "[…]", "A 26-year-old ", ", who ",
])
_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, published=st.sampled_from([None, "2018", "2018-07", "2018-07-16"]))
def test_arbitrary_text_gives_valid_spans_or_a_kg_error(text, published):
    try:
        result = extract(text, published=published, publisher="Wire")
    except KGError:
        return
    data = result.to_json()
    for item in data["statements"]:
        assert 0 <= item["start"] < item["end"] <= len(text)
        assert text[item["start"]:item["end"]] == item["text"]
    for event in data["events"]:
        assert 0 <= event["start"] < event["end"] <= len(text)
        assert text[event["start"]:event["end"]] == event["text"]
        assert event["start"] <= event["trigger_start"] < event["trigger_end"] <= event["end"]
    for relation in data["relations"]:
        assert text[relation["start"]:relation["end"]] == relation["text"]
    actor_ids = {a["id"] for a in data["actors"]}
    assert {s["speaker"] for s in data["statements"]} <= actor_ids
    result.to_bundle().check(load_ontology())
