"""Statements grouped into claims (kg.detect.facts.build_claims): one claim per speaker, folded
wording and stance, whatever order the statements are read in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.detect.facts import build_claims
from kg.detect.text import fold

FIELDS = ("id", "ids", "text", "stance", "role", "speaker", "date", "dated", "cue", "articles", "about", "offset")

maybe = st.none() | st.just("")


@st.composite
def statement_rows(draw) -> list[dict]:
    count = draw(st.integers(min_value=1, max_value=12))
    numbers = draw(st.lists(st.integers(0, 99), min_size=count, max_size=count, unique=True))
    return [{
        "id": f"statement:{number:02d}",
        # Three wordings, two of which fold to the same words.
        "text": draw(st.sampled_from(["There were no arrests.", "there  were NO arrests.", "They held us."])),
        "stance": draw(st.sampled_from(["denial", "testimony", None])),
        "speaker": draw(st.sampled_from(["actor:kadyrov", "actor:survivor", None])),
        "speaker_role": draw(maybe | st.sampled_from(["official", "witness"])),
        "date": draw(maybe | st.sampled_from(["2017-04-01", "2017-05-12"])),
        "published": draw(maybe | st.sampled_from(["2017-04-02", "2017-06-30"])),
        "cue": draw(maybe | st.sampled_from(["denied", "said"])),
        "articles": draw(st.lists(st.sampled_from(["article:a", "article:b", "article:c"]), max_size=2)),
        "about": draw(st.lists(st.sampled_from(["event:raid", "topic:purge"]), max_size=2)),
        "start_offset": number * 10,
    } for number in numbers]


def as_fields(claims) -> list[tuple]:
    return [tuple(getattr(claim, name) for name in FIELDS) for claim in claims]


@settings(max_examples=300, deadline=None)
@given(rows=statement_rows(), data=st.data())
def test_the_claims_do_not_depend_on_the_order_statements_are_read_in(rows, data):
    shuffled = data.draw(st.permutations(rows))
    assert as_fields(build_claims(shuffled, read_text=False)) == as_fields(build_claims(rows, read_text=False))


@settings(max_examples=300, deadline=None)
@given(rows=statement_rows())
def test_a_claim_takes_its_smallest_statement_its_earliest_date_and_the_first_role_given(rows):
    claims = build_claims(rows, read_text=False)
    assert sorted(x for claim in claims for x in claim.ids) == sorted(row["id"] for row in rows)
    for claim in claims:
        members = sorted((row for row in rows if row["id"] in claim.ids), key=lambda row: row["id"])
        first = members[0]
        assert {(row["speaker"], fold(row["text"]), row["stance"]) for row in members} == \
            {(first["speaker"], fold(first["text"]), first["stance"])}
        assert (claim.id, claim.text, claim.offset) == (first["id"], first["text"], first["start_offset"])
        assert claim.ids == tuple(row["id"] for row in members)
        dates = [row["date"] for row in members if row["date"]]
        published = [row["published"] for row in members if row["published"]]
        assert claim.dated == bool(dates)
        assert claim.date == (min(dates) if dates else min(published, default=None))
        assert claim.role == next((row["speaker_role"] for row in members if row["speaker_role"]), None)
        assert claim.cue == next((row["cue"] for row in members if row["cue"]), None)
        assert claim.articles == tuple(sorted({a for row in members for a in row["articles"]}))
        assert claim.about == frozenset(t for row in members for t in row["about"])
        assert claim.stance == (first["stance"] or "other")
