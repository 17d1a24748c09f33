"""Case files: validation with file:line, quotes located in the text, strict YAML."""

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.casefile import load_casefile, locate_quote, read_casefile
from kg.errors import AmbiguousQuoteError, CaseFileError, KGError, QuoteNotFoundError, YAMLSyntaxError
from kg.yamlsafe import parse_yaml_text

from conftest import CHECHNYA, MINIMAL_CASE, write_case


def test_the_chechnya_case_file_is_complete():
    case = read_casefile(CHECHNYA / "case.yaml")
    assert len(case.items("actors")) >= 20
    assert len(case.items("statements")) >= 20
    assert len(case.items("contradictions")) >= 10
    for (handle, _), span in case.spans.items():
        assert 0 <= span.start < span.end <= len(case.text)


def test_statement_text_is_the_article_text_at_its_span():
    bundle = load_casefile(CHECHNYA / "case.yaml")
    text = bundle.article.props["text"]
    for node in bundle.nodes:
        if node.label == "Statement":
            assert text[node.props["start_offset"]:node.props["end_offset"]] == node.props["text"]


def test_curly_and_straight_quote_marks_match(tmp_path):
    body = MINIMAL_CASE.replace('text: "Nothing happened."', "text: 'Nothing happened.'")
    case = read_casefile(write_case(tmp_path, body, article="He said: ‘Nothing happened.’ A survivor said he was beaten."))
    span = case.spans[("denial", "text")]
    assert case.text[span.start:span.end] == "Nothing happened."


@pytest.mark.parametrize("replace, expected_error, line", [
    (("    aliases: [Petrov, the minister]", "    alias: [Petrov]"), "unknown field 'alias'", 10),
    (('    text: "Nothing happened."', '    text: "Everything happened."'), "not found in the article", 20),
    (("    stance: denial", "    stance: denied"), "stance must be one of", 22),
    (("    speaker: survivor", "    speaker: nobody"), "speaker 'nobody' names no entry in actors", 24),
    (("  - id: survivor", "  - id: minister"), "id 'minister' is already used on line 7", 12),
    (("    sensitive: true", "    sensitive: maybe"), "sensitive must be true or false", 16),
    (('  published: "2020-01-02"', "  published: 2 January 2020"), "must be a date", 4),
    (("    b: testimony", "    b: testimony\n    b: denial"), "duplicate key 'b'", 31),
])
def test_errors_name_the_file_and_line(tmp_path, replace, expected_error, line):
    path = write_case(tmp_path, MINIMAL_CASE.replace(*replace))
    with pytest.raises(KGError) as caught:
        read_casefile(path)
    assert expected_error in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_a_quote_that_appears_twice_needs_an_occurrence(tmp_path):
    article = "“Nothing happened.” Later: “Nothing happened.” A survivor said he was beaten."
    path = write_case(tmp_path, MINIMAL_CASE, article=article)
    with pytest.raises(AmbiguousQuoteError):
        read_casefile(path)
    path = write_case(tmp_path, MINIMAL_CASE.replace("    kind: direct", "    kind: direct\n    occurrence: \"2\""), article=article)
    assert read_casefile(path).spans[("denial", "text")].start == article.rindex("Nothing")


def test_yaml_values_stay_text_until_the_schema_types_them():
    data = parse_yaml_text("a: NO\nb: 0123\nc: 12:30\nd: 2018-07-01\n", "x.yaml")
    assert data == {"a": "NO", "b": "0123", "c": "12:30", "d": "2018-07-01"}


@pytest.mark.parametrize("text, message", [
    ("a: !!python/object/apply:os.system [echo hi]\n", "tags are not allowed"),
    ("a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
    ("a: 1\na: 2\n", "duplicate key 'a'"),
    ("a: [unclosed\n", "not valid YAML"),
])
def test_unsafe_or_ambiguous_yaml_is_refused(text, message):
    with pytest.raises(YAMLSyntaxError, match=re.escape(message)):
        parse_yaml_text(text, "x.yaml")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_the_yaml_reader_raises_only_its_own_error(text):
    try:
        parse_yaml_text(text, "fuzz.yaml")
    except YAMLSyntaxError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=300), st.data())
def test_a_located_quote_is_always_the_text_at_its_span(article, data):
    start = data.draw(st.integers(0, len(article) - 1))
    end = data.draw(st.integers(start + 1, len(article)))
    quote = article[start:end]
    if not quote.strip():
        return
    from kg.identity import fold_quote_marks

    try:
        span = locate_quote(fold_quote_marks(article), quote, None, "x")
    except (AmbiguousQuoteError, QuoteNotFoundError, CaseFileError):
        return
    assert fold_quote_marks(article[span.start:span.end]) == fold_quote_marks(quote.strip())


def test_an_alias_bomb_is_refused_before_it_expands():
    """Nine anchors of nine aliases each would expand to 9^9 items; the reader refuses the first
    anchor as it arrives, in bounded time and memory."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi"))
    started = time.perf_counter()
    with pytest.raises(YAMLSyntaxError, match="anchors and aliases"):
        parse_yaml_text(bomb, "bomb.yaml")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("replace, expected_error", [
    (("  - a: denial", "  - a: retraction"), "contradictions entry: a 'retraction' names no entry in statements"),
    (("    b: testimony", "    b: minister"), "contradictions entry: b 'minister' names no entry in statements"),
    (('    text: "Nothing happened."', "    text: [Nothing, happened]"), "text must be a single value"),
    (("    kind: direct", "    kind: direct\n    occurrence: two"), "occurrence must be a whole number, got 'two'"),
    (("  title: A test report", "  title: {a: b}"), "title must be a single value"),
    (("  - id: survivor", "  - id: survivor\n    colour: red"), "unknown field 'colour' in actors entry"),
    (('    text: "Nothing happened."', '    text: "Nothing \\ud800happened."'), "not valid YAML"),
])
def test_more_bad_case_files_name_the_file_and_line(tmp_path, replace, expected_error):
    path = write_case(tmp_path, MINIMAL_CASE.replace(*replace))
    with pytest.raises(KGError) as caught:
        read_casefile(path)
    assert expected_error in str(caught.value)
    assert re.match(re.escape(str(path)) + r":\d+: ", str(caught.value))
