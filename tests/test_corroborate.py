"""Independent sources: the prefix-filtered count equals comparing every pair of articles."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.detect import corroborate
from kg.detect.corroborate import Corroborator, _copies, _misses, same_story


def pairwise_stories(ids: list[str], sets: list[frozenset[int]]) -> dict[str, str]:
    """Each text, in id order, joins to its story every copy at least as long as itself."""
    parent = list(range(len(sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(sets)):
        for j in range(len(sets)):
            if j != i and len(sets[j]) >= len(sets[i]) and same_story(sets[i], sets[j]):
                parent[find(j)] = find(i)
    return {article_id: ids[find(i)] for i, article_id in enumerate(ids)}


def pairwise_sources(sets: list[frozenset[int]]) -> int:
    return len(set(pairwise_stories([str(i) for i in range(len(sets))], sets).values()))


@st.composite
def articles(draw) -> list[frozenset[int]]:
    """A few stories, each printed several times with small edits (copies, trims, additions)."""
    stories = draw(st.lists(st.frozensets(st.integers(0, 300), min_size=1, max_size=40), min_size=1, max_size=4))
    printed = []
    for _ in range(draw(st.integers(2, 12))):
        text = set(draw(st.sampled_from(stories)))
        text -= draw(st.frozensets(st.sampled_from(sorted(text)), max_size=3))
        text |= draw(st.frozensets(st.integers(0, 320), max_size=3))
        printed.append(frozenset(text) or frozenset({0}))
    return printed


@settings(max_examples=300, deadline=None)
@given(articles())
def test_sources_equal_the_pairwise_count(printed):
    ids = [f"article:{i:02d}" for i in range(len(printed))]
    corroborator = Corroborator(None, shingle_sets=dict(zip(ids, printed)))
    assert corroborator.sources(ids) == pairwise_sources(printed)


@st.composite
def templated_articles(draw) -> list[frozenset[int]]:
    """Stories printed several times, every text also holding the phrases of one template."""
    template = frozenset(range(10_000, 10_005))
    stories = draw(st.lists(st.frozensets(st.integers(0, 3000), min_size=25, max_size=40), min_size=1, max_size=4))
    printed = []
    for _ in range(draw(st.integers(6, 12))):
        text = set(draw(st.sampled_from(stories)))
        text -= draw(st.frozensets(st.sampled_from(sorted(text)), max_size=2))
        printed.append(frozenset(text) | template)
    return printed


# MIN_HITS: the fewest lists a copy can be found through, a few more, and every list.
@pytest.mark.parametrize("min_hits", [1, 3, 1000])
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(printed=st.one_of(articles(), templated_articles()))
def test_stories_equal_comparing_every_pair_however_many_lists_are_looked_through(monkeypatch, min_hits, printed):
    monkeypatch.setattr(corroborate, "MIN_HITS", min_hits)
    ids = [f"article:{i:02d}" for i in range(len(printed))]
    corroborator = Corroborator(None, shingle_sets=dict(zip(ids, printed)))
    corroborator.prefetch([ids])
    assert corroborator._story == pairwise_stories(ids, printed)


def test_a_copy_lacks_no_more_than_misses_of_a_text_as_long_or_shorter():
    """Holding fewer is never a copy: for a partner of the same length (the loosest case, as the
    Jaccard similarity only falls as the partner grows, and containment is of the shorter)."""
    for size in range(1, 5000):
        assert not _copies(size - _misses(size) - 1, size, size)
