"""Issue 8's own example of a responsibility contradiction, found from extraction alone: an
official's "no officials were involved" against a survivor's "police detained him", in an article
in the register of human-rights reporting (invented place and people).

The denial comes as the second sentence of a quotation whose first denies killings, so what it
replies to is read from its own words: "detention" names the detentions the article tells of
(the detector's triggers had only the verb, "detain"). The agent it clears may be the subject of
the phrase ("the police had nothing to do with"), not only what follows it.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.detect.article import article_contradictions
from kg.detect.text import LEXICON, features
from kg.extract import extract

LEAD = ("TARVIK, Oslen Province — Human rights monitors say at least four men from the village of Dernitsa "
        "were shot dead last winter, and that the families of several others have had no news of them since "
        "they were taken from their homes in January.")
TESTIMONY = ("Ilya Ferrin, a survivor from Dernitsa, said police detained him at his home on 12 January and held "
             "him in the basement of the district station for nine days without access to a lawyer. He said "
             "officers beat him during questioning.")
REST = ("Nadia Ferrina, whose brother Pavel has not been seen since that night, said the same patrol took Pavel "
        "away in a police van.\n\n"
        "The Oslen Human Rights Centre has asked the provincial prosecutor to open an investigation into the "
        "disappearances.\n")


def article(denial: str = "No officials were involved in any detention.", testimony: str = TESTIMONY) -> str:
    return (f"{LEAD}\n\n"
            "Provincial Governor Lev Mardan dismissed the monitors' findings at a press briefing in Tarvik on "
            f"Monday. \"There were no killings in Dernitsa,\" Mardan said. \"{denial}\"\n\n"
            f"{testimony}\n\n{REST}")


def _pairs(text: str) -> tuple[dict, list[dict]]:
    result = extract(text, source="dernitsa.txt")
    return {s["id"]: s for s in result.to_json()["statements"]}, article_contradictions(result.to_bundle())


def test_kg_extract_lists_the_official_denial_of_involvement_against_the_survivor(tmp_path):
    path = tmp_path / "dernitsa.txt"
    path.write_text(article(), encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    statements = {s["id"]: s for s in document["statements"]}
    denial = next(s for s in statements.values() if s["text"].startswith("No officials were involved"))
    survivor = next(s for s in statements.values() if s["text"].startswith("police detained him"))
    assert (denial["speaker_name"], denial["speaker_role"], denial["stance"]) == ("Lev Mardan", "official", "denial")
    assert (survivor["speaker_name"], survivor["speaker_role"], survivor["stance"]) == ("Ilya Ferrin", "survivor", "testimony")
    pair, = [c for c in document["contradictions"] if {c["a"], c["b"]} == {denial["id"], survivor["id"]}]
    assert (pair["a"], pair["b"], pair["basis"]) == (denial["id"], survivor["id"], "responsibility")
    assert pair["score"] >= 0.5
    explanation = pair["explanation"]
    assert "Lev Mardan (official)" in explanation and "Ilya Ferrin (survivor)" in explanation
    assert "No officials were involved in any detention" in explanation and "police detained him" in explanation
    # Nothing pairs the denial of involvement in detentions with the account of the killings.
    killings = next(s for s in statements.values() if s["text"].startswith("at least four men"))
    assert not [c for c in document["contradictions"] if {c["a"], c["b"]} == {denial["id"], killings["id"]}]


@pytest.mark.parametrize("denial", [
    "No officials were involved in any detention.",
    "No police officers were involved in the detentions.",
    "Officials were not involved in any detention.",
    "The police had nothing to do with these detentions.",
    "The security services had nothing to do with any detention.",
    "No state body was involved in the arrests.",
    "Officials had no involvement in any detention.",
    "No officials were involved in the incarceration of these men.",
    "The police were not responsible for any detention.",
])
@pytest.mark.parametrize("testimony", [
    TESTIMONY,
    "Nadia Ferrina, whose brother Ilya was taken in January, said police detained him at a checkpoint outside Dernitsa.",
    "\"Police officers arrested me at the market and kept me in a cell for a week,\" said Ilya Ferrin, a survivor.",
])
def test_denials_of_state_involvement_meet_an_account_of_the_police_detaining_him(denial, testimony):
    statements, pairs = _pairs(article(denial, testimony))
    found = [p for p in pairs if statements[p["a"]]["speaker_name"] == "Lev Mardan"
             and statements[p["a"]]["text"].rstrip(".") == denial.rstrip(".")
             and statements[p["b"]]["stance"] == "testimony" and statements[p["b"]]["text"][:20] in testimony]
    assert [p["basis"] for p in found] == ["responsibility"], pairs
    assert "Lev Mardan (official)" in found[0]["explanation"]


def test_the_detector_reads_the_noun_for_a_detention_and_the_subject_cleared():
    # "detention" names the kind of event, as "detained" does (not "detainees": people).
    assert any("detention".startswith(stem) for stem in LEXICON.triggers["detention"])
    # The agent cleared is the state: in the phrase, after a denied link, or as its subject.
    for text in ("No officials were involved in any detention.", "nothing to do with the police",
                 "The police had nothing to do with these detentions.", "Officials were not involved in it",
                 "the security services had no part in his disappearance",
                 "Witnesses said police were not involved"):
        assert features(text).agency_denied and features(text).state_agent, text
    # Not when the subject is no agent of the state, nor one of another clause.
    for text in ("His relatives had nothing to do with it", "the men were not involved in the fighting",
                 "The police said the men were not involved in the protest"):
        assert features(text).agency_denied and not features(text).state_agent, text
