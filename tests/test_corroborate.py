"""Independent sources: the prefix-filtered count equals comparing every pair of articles."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.detect import corroborate
from kg.detect.corroborate import Corroborator, same_story


def pairwise_sources(sets: list[frozenset[int]]) -> int:
    parent = list(range(len(sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            if same_story(sets[i], sets[j]):
                parent[find(j)] = find(i)
    return len({find(i) for i in range(len(sets))})


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


@pytest.fixture
def monkeypatch_common(monkeypatch):
    """Phrases in more than five texts count as a template's (500 in real use)."""
    monkeypatch.setattr(corroborate, "COMMON_SHINGLE", 5)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(templated_articles())
def test_template_phrases_are_not_looked_through_and_copies_are_still_found(monkeypatch_common, printed):
    ids = [f"article:{i:02d}" for i in range(len(printed))]
    corroborator = Corroborator(None, shingle_sets=dict(zip(ids, printed)))
    assert corroborator.sources(ids) == pairwise_sources(printed)
