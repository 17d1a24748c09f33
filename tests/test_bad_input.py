"""Bad input the other test files do not cover: entity bombs in HTML, wrong charset declarations,
lone surrogates, and names disguised with invisible, bidirectional, fullwidth or palochka
characters."""

import time

import pytest

from kg.articles import read_articles
from kg.errors import InputError
from kg.extract import extract
from kg.identity import name_key
from kg.loading import load_paths

from conftest import MINIMAL_CASE, write_case


def test_a_billion_laughs_page_is_not_expanded(tmp_path):
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    page = (f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]><html><body><article>'
            "<p>The ministry said &lol9; nothing happened in the city last week, a spokesman told the agency "
            "in a long statement.</p></article></body></html>")
    path = tmp_path / "lol.html"
    path.write_text(page, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InputError) as raised:
        list(read_articles(path))
    assert time.perf_counter() - started < 5
    assert str(raised.value) == f"{path}: the HTML holds no article text (nothing to extract)"


@pytest.mark.parametrize("declared, encoding", [("utf-8", "cp1251"), ("windows-1251", "utf-8")])
def test_a_wrong_charset_declaration_does_not_garble_cyrillic(tmp_path, declared, encoding):
    """The bytes decide, not the page's claim: what is not valid UTF-8 is tried as cp1251."""
    text = ("Рамзан Кадыров заявил, что «в Чечне нет таких людей». Правозащитники сообщили о задержаниях "
            "в Грозном в прошлом месяце, сказал представитель.")
    page = f'<html><head><meta charset="{declared}"><title>Т</title></head><body><article><p>{text}</p></article></body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding))
    (article,) = read_articles(path)
    assert (article.text, article.encoding) == (text, encoding)


def test_lone_surrogates_are_refused_by_every_reader(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text('{"text": "a lone \\ud800 surrogate said nothing"}\n', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        list(read_articles(path))
    assert str(raised.value) == f"{path}:1: the text holds lone surrogates, which are not Unicode text"
    with pytest.raises(InputError):
        extract("lone \udc80 surrogate")


@pytest.mark.parametrize("disguised, plain", [
    ("Ivan\u200b Petrov", "Ivan Petrov"),                  # zero-width space
    ("Ivan Pe\u00adtrov", "Ivan Petrov"),                   # soft hyphen
    ("\u202eIvan Petrov\u202c", "Ivan Petrov"),             # right-to-left override
    ("\uff29\uff56\uff41\uff4e \uff30\uff45\uff54\uff52\uff4f\uff56", "Ivan Petrov"),  # fullwidth forms
    ("\u041c\u0430\u0433\u04c0\u043e\u043c\u0435\u0434", "\u041c\u0430\u0433l\u043e\u043c\u0435\u0434"),  # palochka / Latin l
    ("\u041c\u0430\u0433\u04cf\u043e\u043c\u0435\u0434", "\u041c\u0430\u04331\u043e\u043c\u0435\u0434"),  # small palochka / digit 1
    ("\u041c\u0430\u0433\u04c0\u043e\u043c\u0435\u0434", "\u041c\u0430\u0433I\u043e\u043c\u0435\u0434"),  # palochka / Latin I
])
def test_disguised_names_match_for_merging(disguised, plain):
    assert name_key(disguised) == name_key(plain)


def test_a_disguised_name_joins_its_actor_and_is_kept_as_written(fresh_store, tmp_path):
    load_paths(fresh_store, [write_case(tmp_path / "one", MINIMAL_CASE)])
    disguised = "\u202e\uff29\uff56\uff41\uff4e Pe\u00adtrov\u202c"
    body = MINIMAL_CASE.replace("name: Ivan Petrov", f'name: "{disguised}"')
    load_paths(fresh_store, [write_case(tmp_path / "two", body, article="The minister said: “Nothing happened.” "
                                                                           "A survivor said he was beaten!")])
    rows = fresh_store.run("MATCH (a:Actor) WHERE a.id = 'actor:ivan-petrov' RETURN a.name, a.aliases").rows
    assert rows[0][0] == "Ivan Petrov" and disguised in rows[0][1]  # merged, the original text kept
    assert fresh_store.counts()["Actor"] == 2
