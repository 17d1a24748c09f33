"""The compact rows of stored contradictions (kg.detect.stored) answer as a plain dictionary of
the records would."""

import hashlib
from collections import namedtuple

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kg.detect import stored as stored_module
from kg.detect.stored import NO_SIDE, StoredContradiction, StoredContradictions, explanation_digest

STATEMENTS = [f"statement:{n}" for n in range(5)]
side = st.sampled_from([None, *STATEMENTS])
record = st.builds(
    StoredContradiction,
    id=st.sampled_from([f"contradiction:{n}" for n in range(12)]),
    status=st.sampled_from([None, "open", "confirmed", "rejected"]),
    produced_by=st.sampled_from([None, "rule:detector/polarity", "casefile:case.yaml", "person:ana"]),
    basis=st.sampled_from([None, "polarity", "numeric"]),
    score=st.one_of(st.none(), st.sampled_from([0.5, 0.75, 1.0])),
    explanation_digest=st.sampled_from([explanation_digest(text) for text in ("", "one", "two")]),
    sides=st.tuples(side, side),
)
# Ids are unique in a store: the first record of each id stands.
records = st.lists(record, max_size=12).map(lambda found: list({r.id: r for r in reversed(found)}.values()))


def _crowded_key(text):
    """Digests that differ, but whose first 32 bits are one of three: the sorted entries then
    hold runs of rows that only the whole digest (or the id) tells apart."""
    if text is None:
        return NO_SIDE
    return (len(text) % 3 + 1) << 62 | int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")


@pytest.fixture(params=["blake2b", "crowded"])
def digests(request, monkeypatch):
    if request.param == "crowded":
        monkeypatch.setattr(stored_module, "_key", _crowded_key)


Claim = namedtuple("Claim", "index ids")
# The statements grouped into claims: each statement in one claim (3 stands for none: a stored
# side may be a statement that the detector does not compare).
claims = st.lists(st.integers(0, 3), min_size=len(STATEMENTS), max_size=len(STATEMENTS)).map(
    lambda of: [Claim(index, tuple(x for x, c in zip(STATEMENTS, of) if c == index)) for index in sorted(set(of) - {3})]
).filter(len)


def statements(chosen: list[Claim]) -> list[str]:
    return list(dict.fromkeys(x for claim in chosen for x in claim.ids))


def recorded_through(found: list[StoredContradiction], statements_a: list[str], statements_b: list[str]):
    """The first stored pair of a statement of side a (in its order) with one of side b (the
    first in its order), by going through every pair."""
    for x in statements_a:
        matches = [(statements_b.index(y), r.id) for r in found for y in statements_b
                   if None not in r.sides and r.sides[0] != r.sides[1] and set(r.sides) == {x, y}]
        if matches:
            return min(matches, key=lambda match: match[0])[1]
    return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records, st.sampled_from([f"contradiction:{n}" for n in range(14)]))
def test_a_stored_contradiction_is_found_by_its_id(digests, found, cid):
    stored = StoredContradictions(found)
    by_id = {r.id: r for r in found}
    row = stored.find(cid)
    assert (row is None) == (cid not in by_id)
    if row is not None:
        wanted = by_id[cid]
        assert stored.id(row) == cid
        assert (stored.status(row), stored.produced_by(row)) == (wanted.status, wanted.produced_by)
        for sides in ((STATEMENTS[0], STATEMENTS[1]), wanted.sides):
            if None not in sides:
                assert stored.same_sides(row, sides) == (wanted.sides == sides)
        if wanted.basis and wanted.score is not None and None not in wanted.sides:
            assert stored.same(row, wanted.basis, wanted.score, wanted.explanation_digest, wanted.sides)
            assert not stored.same(row, wanted.basis, wanted.score + 0.1, wanted.explanation_digest, wanted.sides)
            assert not stored.same(row, wanted.basis, wanted.score, explanation_digest("other"), wanted.sides)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records, claims, st.data())
def test_a_pair_recorded_through_copies_is_the_first_in_their_order(digests, found, grouped, data):
    side_a = data.draw(st.lists(st.sampled_from(grouped), max_size=3))
    side_b = data.draw(st.lists(st.sampled_from(grouped), max_size=3))
    stored = StoredContradictions(found, grouped)
    row = stored.recorded_through(side_a, side_b)
    wanted = recorded_through(found, statements(side_a), statements(side_b))
    assert (None if row is None else stored.id(row)) == wanted


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records, st.sets(st.sampled_from([f"contradiction:{n}" for n in range(12)])))
def test_the_open_pairs_of_a_producer_not_found_again(digests, found, found_again):
    stored = StoredContradictions(found)
    for cid in found_again:
        row = stored.find(cid)
        if row is not None:
            stored.mark_found(row)
    assert stored.not_found("rule:detector/", "open") == sorted(
        r.id for r in found
        if (r.produced_by or "").startswith("rule:detector/") and r.status == "open" and r.id not in found_again)
