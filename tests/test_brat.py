"""BRAT standoff attributions (kg/extract/brat.py) and `kg eval --brat`: reading .ann/.txt pairs
strictly, grouping Source / Cue / Content into attributions, and scoring the extractor on them.

The fixtures are small invented news texts written here (no corpus text is stored in the repo).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.errors import InputError
from kg.extract.brat import evaluate_brat, find_documents, read_document

TEXT = (
    "Officials deny detentions\n"
    "\n"
    "“Nobody was held in Varnitsa,” Interior Minister Oleg Varin told reporters on Monday.\n"
    "\n"
    "The Northern Rights Monitor said at least 41 people had been detained, and a student said he was "
    "beaten in a cell.\n"
)


def _span(text: str, words: str, nth: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = text.index(words, start + 1)
    return start, start + len(words)


def _t(ident: str, kind: str, text: str, *pieces: str) -> str:
    spans = [_span(text, p) for p in pieces]
    offsets = ";".join(f"{s} {e}" for s, e in spans)
    return f"{ident}\t{kind} {offsets}\t{' '.join(text[s:e] for s, e in spans)}"


def _ann(text: str) -> str:
    return "\n".join([
        _t("T1", "Content", text, "Nobody was held in Varnitsa"),
        _t("T2", "Source", text, "Interior Minister Oleg Varin"),
        _t("T3", "Cue", text, "told"),
        "R1\tSOURCE Arg1:T3 Arg2:T2",
        "R2\tCONTENT Arg1:T3 Arg2:T1",
        _t("T4", "Source", text, "The Northern Rights Monitor"),
        _t("T5", "Cue", text, "said"),
        _t("T6", "Content", text, "at least 41 people had been detained"),
        "E1\tAttribution:T5 Source:T4 Content:T6",
        _t("T7", "Source", text, "a student"),
        _t("T8", "Content", text, "he was beaten in a cell"),
        "R3\tSOURCE Arg1:T8 Arg2:T7",  # no cue annotated
        "A1\tNested T8",
        "#1\tAnnotatorNotes T8\tthe student's own account",
    ]) + "\n"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8", newline="")
    (tmp_path / "a.ann").write_text(_ann(TEXT), encoding="utf-8", newline="")
    return tmp_path


def test_reads_textbounds_relations_events_and_groups_attributions(corpus):
    document = read_document(corpus / "a.ann")
    assert document.text == TEXT
    assert document.textbounds["T2"].type == "Source"
    assert TEXT[slice(*document.textbounds["T1"].fragments[0])] == "Nobody was held in Varnitsa"
    attributions = document.attributions()
    assert len(attributions) == 3
    varin = next(a for a in attributions if a.source and "Varin" in a.source[0].text)
    assert [c.text for c in varin.cue] == ["told"]
    assert [c.text for c in varin.content] == ["Nobody was held in Varnitsa"]
    monitor = next(a for a in attributions if a.source and "Monitor" in a.source[0].text)
    assert [c.text for c in monitor.content] == ["at least 41 people had been detained"]  # via the event
    student = next(a for a in attributions if a.source and a.source[0].text == "a student")
    assert student.cue == []


def test_discontinuous_span_and_the_polnear_layout(tmp_path):
    text = "“We will not,” the mayor said, “allow this to happen again.”\n"
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc-1").write_text(text, encoding="utf-8")  # PolNeAR: text/NAME, no extension
    first, second = _span(text, "We will not"), _span(text, "allow this to happen again")
    ann = (f"T1\tContent {first[0]} {first[1]};{second[0]} {second[1]}\tWe will not allow this to happen again\n"
           + _t("T2", "Source", text, "the mayor") + "\n" + _t("T3", "Cue", text, "said") + "\n"
           + "R1\tSOURCE Arg1:T3 Arg2:T2\nR2\tCONTENT Arg1:T3 Arg2:T1\n")
    (tmp_path / "attributions" / "doc-1.ann").write_text(ann, encoding="utf-8")
    document = read_document(tmp_path / "attributions" / "doc-1.ann")
    content = document.textbounds["T1"]
    assert content.fragments == (first, second)
    assert content.length == len("We will not") + len("allow this to happen again")
    assert find_documents([tmp_path]) == [tmp_path / "attributions" / "doc-1.ann"]
    report = evaluate_brat([tmp_path])
    assert report.total.gold == 1 and report.total.matched == 1  # either half of the split quote matches
    assert report.total.speaker_right == 1 and report.total.cue_right == 1


def test_polnear_annotator_files_unordered_fragments_and_raw_newlines(tmp_path):
    """PolNeAR names annotation files NAME_ANNOTATOR.ann beside text/NAME.txt (agreement articles
    have several), may list a discontinuous span's fragments out of text order, and writes the
    newlines of a span raw into the .ann's text field."""
    text = "Turnout: 41.\n\nThe share of voters who came, officials reported on Monday, fell sharply.\n"
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "wire_2016-10-01_turnout.txt").write_text(text, encoding="utf-8")
    number, share, fell = _span(text, "41."), _span(text, "The share of voters who came"), _span(text, "fell sharply")
    ann = (f"T1\tContent {fell[0]} {fell[1]};{share[0]} {share[1]}\tfell sharply The share of voters who came\n"
           + _t("T2", "Source", text, "officials") + "\n" + _t("T3", "Cue", text, "reported") + "\n"
           + "E1\tAttribution:T3 Source:T2 Content:T1\n"
           + f"T4\tContent {number[0]} {share[1]}\t{text[number[0]:share[1]]}\n")
    for annotator in ("ab12", "cd34"):
        (tmp_path / "attributions" / f"wire_2016-10-01_turnout_{annotator}.ann").write_text(ann, encoding="utf-8")
    document = read_document(tmp_path / "attributions" / "wire_2016-10-01_turnout_ab12.ann")
    assert document.text_path == tmp_path / "text" / "wire_2016-10-01_turnout.txt"
    assert document.textbounds["T1"].fragments == (share, fell)
    assert document.textbounds["T4"].text == "41.\n\nThe share of voters who came"
    report = evaluate_brat([tmp_path])
    assert [Path(d.path).name for d in report.documents] == ["wire_2016-10-01_turnout_ab12.ann"]  # one per text


def test_offsets_count_carriage_returns(tmp_path):
    text = "Intro line.\r\n\r\nPolice said 12 people were held.\r\n"
    (tmp_path / "c.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "c.ann").write_text(_t("T1", "Content", text, "12 people were held") + "\n", encoding="utf-8")
    document = read_document(tmp_path / "c.ann")
    start, end = document.textbounds["T1"].fragments[0]
    assert document.text[start:end] == "12 people were held"


@pytest.mark.parametrize("line, message", [
    ("X1\tContent 0 5\tOffic", "unknown annotation id"),
    ("T1\tContent 0 5", "three tab-separated fields"),
    ("T1\tContent 0\tO", "offsets are"),
    ("T1\tContent 5 2\tx", "not inside the text"),
    ("T1\tContent 0 99999\tx", "not inside the text"),
    ("T1\tContent 0 10;5 15\tOfficials ials deny", "fragments overlap"),
    ("T1\tContent 0 9\tSomething", "is not the text at"),
    ("R1\tSOURCE Arg1:T1", "a relation is"),
    ("R1\tSOURCE Arg1:T9 Arg2:T8", "refers to T9"),
    ("E1\tCue Source:T1", "an event starts with"),
    ("A1\tNested", "an attribute is"),
])
def test_strict_errors_name_file_and_line(tmp_path, line, message):
    (tmp_path / "d.txt").write_text(TEXT, encoding="utf-8")
    path = tmp_path / "d.ann"
    path.write_text(_t("T5", "Source", TEXT, "Officials") + "\n\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.where == f"{path}:3"
    assert message in caught.value.message


def test_duplicate_ids_and_missing_text_are_errors(tmp_path):
    (tmp_path / "e.txt").write_text(TEXT, encoding="utf-8")
    line = _t("T1", "Source", TEXT, "Officials")
    (tmp_path / "e.ann").write_text(line + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate id T1"):
        read_document(tmp_path / "e.ann")
    (tmp_path / "f.ann").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text for this annotation file"):
        read_document(tmp_path / "f.ann")
    (tmp_path / "g.txt").write_bytes(b"\xff\xfe bad")
    (tmp_path / "g.ann").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="not UTF-8"):
        read_document(tmp_path / "g.ann")


def test_scores_statements_speakers_and_cues(corpus):
    report = evaluate_brat([corpus])
    total = report.total
    assert total.gold == 3
    assert total.matched == 3 and total.recall == 1.0
    assert total.speaker_total == 3 and total.speaker_right == 3  # the titled minister, the Monitor, the student
    assert total.cue_total == 2 and total.cue_right == 2
    data = report.to_json(details=True)
    assert data["micro"]["recall"] == 1.0
    assert "MICRO" in report.render_table()


def test_cli_eval_brat(corpus):
    from kg.cli import main

    result = CliRunner().invoke(main, ["eval", "--brat", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["micro"]["content_spans"] == 3
    table = CliRunner().invoke(main, ["eval", "--brat", str(corpus), "--details"])
    assert table.exit_code == 0 and "MICRO (all)" in table.output
    (corpus / "a.ann").write_text("T1\tContent 0 3\tNope\n", encoding="utf-8")
    broken = CliRunner().invoke(main, ["eval", "--brat", str(corpus)])
    assert broken.exit_code != 0
    assert f"{corpus / 'a.ann'}:1" in broken.output


# --- properties ------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.errors import KGError  # noqa: E402

_ANN_PIECES = st.sampled_from([
    "T1", "T2", "R1", "E1", "A1", "#1", "*", "X9", "\t", " ", "\n", "\r\n", ";", ":", "Content", "Source", "Cue",
    "0", "3", "5", "12", "999", "Arg1:T1", "Arg2:T2", "Cue:T2", "Equiv", "Nested", "Officials", "deny", "“", "’",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(ann=st.one_of(st.text(max_size=120), st.lists(_ANN_PIECES, max_size=40).map("".join)),
       text=st.sampled_from(["Officials deny detentions\n", "", "a\r\nb “c” d\n", TEXT]))
def test_arbitrary_annotations_give_spans_of_the_text_or_an_input_error(tmp_path, ann, text):
    (tmp_path / "p.txt").write_text(text, encoding="utf-8", newline="")
    (tmp_path / "p.ann").write_text(ann, encoding="utf-8", newline="")
    try:
        document = read_document(tmp_path / "p.ann")
    except KGError:
        return
    for tb in document.textbounds.values():
        for start, end in tb.fragments:
            assert 0 <= start < end <= len(document.text)
        assert " ".join(tb.text.split()) == " ".join(" ".join(document.text[s:e] for s, e in tb.fragments).split())
    for attribution in document.attributions():
        assert attribution.content or attribution.cue
