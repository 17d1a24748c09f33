"""Raw articles: formats, encodings, hostile files, and case files winning over extraction."""

import json

import pytest
from click.testing import CliRunner

from kg.articles import read_articles
from kg.cli import main
from kg.errors import InputError
from kg.loading import load_paths

from conftest import CHECHNYA

REPORT = ("Officials deny detentions\n\nThe Interior Ministry denied that anyone had been detained. "
          "“Nobody was held in Varnitsa,” Interior Minister Oleg Varin told reporters on Monday.\n\n"
          "A 27-year-old student said he was beaten in a cell for three days, according to the Northern "
          "Rights Monitor, which counted at least 41 people detained.\n")


def test_a_text_article_loads_with_evidence(fresh_store, tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    report = load_paths(fresh_store, [path])
    assert (report.files, report.articles) == (1, 1)
    rows = fresh_store.run(
        "MATCH (a:Actor)-[:SAID]->(s:Statement)-[:REPORTED_IN]->(art:Article) "
        "RETURN a.name, s.text, s.start_offset, s.end_offset, s.produced_by, art.text ORDER BY s.start_offset"
    ).rows
    assert rows
    for name, text, start, end, produced_by, article in rows:
        assert article[start:end] == text
        assert produced_by.startswith("rule:")
    assert any("he was beaten in a cell" in r[1] and "student" in r[0] for r in rows)


def test_html_keeps_the_article_and_drops_scripts_and_boilerplate(tmp_path):
    page = ("<html><head><title>Officials deny detentions</title>"
            "<meta property='og:site_name' content='Wire Service'>"
            "<meta property='article:published_time' content='2023-03-14'></head><body>"
            "<nav>Home | World | Sport</nav><article><h1>Officials deny detentions</h1>"
            + "".join(f"<p>{p}</p>" for p in REPORT.split("\n\n")[1:])
            + "<script>document.title='pwned'</script><iframe src='http://evil.example'></iframe>"
            "<p onclick=\"alert(1)\">Rights groups called for an inquiry.</p></article>"
            "<footer>Copyright 2023</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    (article,) = read_articles(path)
    assert "Nobody was held in Varnitsa" in article.text
    assert "pwned" not in article.text and "alert" not in article.text and "evil.example" not in article.text
    assert "Home | World" not in article.text
    assert (article.title, article.publisher, article.published) == ("Officials deny detentions", "Wire Service", "2023-03-14")


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">'
            '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            "<html><body><article><p>The ministry said &xxe; nothing happened &b; in the city last week, "
            "a spokesman told the agency in a long statement about the events.</p></article></body></html>")
    path = tmp_path / "xxe.html"
    path.write_text(page)
    try:
        articles = list(read_articles(path))
    except InputError:
        return
    assert all("TOP-SECRET" not in a.text for a in articles)


def test_deeply_nested_html_is_reported_not_loaded_empty(tmp_path):
    path = tmp_path / "nested.html"
    path.write_text("<html><body>" + "<div>" * 20000 + "x" + "</div>" * 20000 + "</body></html>")
    with pytest.raises(InputError):
        list(read_articles(path))


def test_cp1251_cyrillic_comes_out_right(tmp_path):
    text = "Рамзан Кадыров заявил, что «в Чечне нет таких людей». Правозащитники сообщили о задержаниях в Грозном."
    path = tmp_path / "ru.txt"
    path.write_bytes(text.encode("cp1251"))
    (article,) = read_articles(path)
    assert article.text == text
    assert article.encoding.replace("_", "").lower() in ("cp1251", "windows1251")


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"abc\x00def", "binary file"),
    (b"   \n\n  ", "has no text"),
])
def test_bad_files_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(read_articles(path))


def test_the_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_MAX_ARTICLE_BYTES", "100")
    path = tmp_path / "big.txt"
    path.write_text("x " * 100)
    with pytest.raises(InputError, match="over the limit of 100"):
        list(read_articles(path))


def test_collections_and_their_errors(tmp_path):
    good = {"url": "https://example.org/1", "title": "T", "publisher": "P", "date": "2023-03-14", "text": REPORT}
    path = tmp_path / "items.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "author": "x"}) + "\n")
    items = read_articles(path)
    first = next(items)
    assert (first.url, first.published, first.source) == ("https://example.org/1", "2023-03-14", f"{path}:1")
    with pytest.raises(InputError, match="unknown field 'author'") as caught:
        next(items)
    assert str(caught.value).startswith(f"{path}:2: ")
    csv_path = tmp_path / "items.csv"
    csv_path.write_text('url,title,text\nhttps://example.org/2,Two,"He said: ""Nothing happened."""\n')
    (row,) = read_articles(csv_path)
    assert row.text == 'He said: "Nothing happened."' and row.source == f"{csv_path}:2"


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Denials\ndate: 2023-03-14\npublisher: Wire\n---\n" + REPORT)
    (article,) = read_articles(path)
    assert (article.title, article.published, article.publisher) == ("Denials", "2023-03-14", "Wire")
    assert article.text == REPORT


def test_case_files_win_over_extraction_of_the_same_article(fresh_store):
    load_paths(fresh_store, [CHECHNYA / "case.yaml"])
    curated = fresh_store.run("MATCH (s:Statement) RETURN count(s)").rows[0][0]
    load_paths(fresh_store, [CHECHNYA / "article.txt"])
    rows = fresh_store.run("MATCH (s:Statement) RETURN s.start_offset, s.end_offset, s.produced_by").rows
    curated_spans = [(s, e) for s, e, by in rows if by.startswith("casefile:")]
    extracted_spans = [(s, e) for s, e, by in rows if by.startswith("rule:")]
    assert len(curated_spans) == curated
    for s, e in extracted_spans:
        assert all(min(e, ce) - max(s, cs) < 0.5 * min(e - s, ce - cs) for cs, ce in curated_spans)
    assert fresh_store.counts()["Article"] == 1


def test_a_folder_with_a_case_file_loads_the_case_not_its_text_twice(fresh_store):
    report = load_paths(fresh_store, [CHECHNYA])
    assert (report.files, report.articles) == (1, 1)


def test_kg_extract_prints_the_contract(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--json"], catch_exceptions=False)
    document = json.loads(result.stdout)
    assert set(document) >= {"article", "actors", "statements", "events", "relations", "contradictions"}
    assert set(document["article"]) >= {"url", "title", "publisher", "date", "sha256", "text", "encoding"}
    for statement in document["statements"]:
        assert document["article"]["text"][statement["start"]:statement["end"]] == statement["text"]
        assert set(statement) >= {"id", "speaker", "speaker_name", "kind", "stance", "cue", "confidence"}
    lines = CliRunner().invoke(main, ["extract", str(path), str(path), "--jsonl"], catch_exceptions=False)
    assert len(lines.stdout.splitlines()) == 2
