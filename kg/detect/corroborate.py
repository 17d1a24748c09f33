"""How many independent sources stand behind each side of a contradiction.

A side is supported by the articles that report its statement, its copies (the same words from
the same speaker) and the statements folded into it. Articles whose texts are near-identical
(a wire story printed by several outlets) are one source: texts are compared by the Jaccard
similarity of their word 5-gram shingles, or by containment when one is a trimmed copy of the
other. Only the articles behind detected contradictions are read, and only articles supporting
the same side are compared with each other.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from kg.stores.base import GraphStore

SHINGLE = 5
SAME_STORY = 0.8     # Jaccard similarity at which two texts are copies of one story
CONTAINED = 0.9      # share of the shorter text's shingles found in the longer one
# Both tests imply that this share of the smaller text's shingles is in the other text.
MIN_OVERLAP = min(SAME_STORY, CONTAINED)
_WORD = re.compile(r"\w+")


def shingles(text: str) -> frozenset[int]:
    tokens = _WORD.findall(text.casefold())
    if len(tokens) < SHINGLE:
        return frozenset({zlib.crc32(" ".join(tokens).encode())})
    return frozenset(
        zlib.crc32(" ".join(tokens[i:i + SHINGLE]).encode()) for i in range(len(tokens) - SHINGLE + 1)
    )


def same_story(x: frozenset[int], y: frozenset[int]) -> bool:
    if not x or not y:
        return False
    common = len(x & y)
    return common / len(x | y) >= SAME_STORY or common / min(len(x), len(y)) >= CONTAINED


@dataclass(frozen=True)
class Support:
    statements: int
    articles: int
    sources: int  # independent: near-identical articles counted once

    def phrase(self) -> str:
        text = f"{self.sources} independent source{'s' if self.sources != 1 else ''}"
        details = []
        if self.statements > 1:
            details.append(f"{self.statements} statements")
        if self.articles != self.sources:
            details.append(f"{self.articles} articles, near-identical copies counted once")
        return text + (f" ({'; '.join(details)})" if details else "")


class Corroborator:
    """Counts sources; reads article texts from the store only when a side has several."""

    def __init__(self, store: GraphStore | None, texts: dict[str, str] | None = None) -> None:
        self.store = store
        self._texts: dict[str, str] = dict(texts or {})
        self._shingles: dict[str, frozenset[int]] = {}
        # Sides recur (one statement against several) and share articles: remember both.
        self._sources: dict[frozenset[str], int] = {}
        self._same: dict[tuple[str, str], bool] = {}

    def prefetch(self, groups: Iterable[Iterable[str]]) -> None:
        needed = sorted({a for g in groups if len(set(g)) > 1 for a in g} - set(self._texts))
        if not needed or self.store is None:
            return
        query = self.store.ontology.render(
            "MATCH (a:{label}) WHERE a.id IN $ids RETURN a.id, a.text", label="Article"
        )
        for start in range(0, len(needed), 500):
            for article_id, text in self.store.run(query, {"ids": needed[start:start + 500]}).rows:
                self._texts[article_id] = text or ""

    def _sh(self, article_id: str) -> frozenset[int]:
        found = self._shingles.get(article_id)
        if found is None:
            found = self._shingles[article_id] = shingles(self._texts.get(article_id, article_id))
        return found

    def sources(self, articles: Iterable[str]) -> int:
        """The number of independent stories among the articles: near-identical texts (see
        same_story) are one. Only pairs that share one of the rarest shingles of the smaller
        text are compared: if two texts are copies, 80% of the smaller one's shingles are in
        the other, so one of its first 20% (+1), taken rarest first, must be (prefix filtering).
        Comparing every pair cost n² on sides that hundreds of articles support."""
        key = frozenset(articles)
        if len(key) <= 1:
            return len(key)
        if key not in self._sources:
            self._sources[key] = self._count_stories(sorted(key))
        return self._sources[key]

    def _count_stories(self, ids: list[str]) -> int:
        sets = [self._sh(article_id) for article_id in ids]
        postings: dict[int, list[int]] = defaultdict(list)  # its length is the shingle's frequency
        for i, shingle_set in enumerate(sets):
            for shingle in shingle_set:
                postings[shingle].append(i)
        parent = list(range(len(ids)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, shingle_set in enumerate(sets):
            rarest_first = sorted(shingle_set, key=lambda shingle: (len(postings[shingle]), shingle))
            prefix = rarest_first[: len(rarest_first) - math.ceil(MIN_OVERLAP * len(rarest_first) - 1e-9) + 1]
            candidates = {j for shingle in prefix for j in postings[shingle] if j != i and len(sets[j]) >= len(shingle_set)}
            for j in sorted(candidates):
                if find(i) != find(j) and self._same_story(ids[i], ids[j]):
                    parent[find(j)] = find(i)
        return len({find(i) for i in range(len(ids))})

    def _same_story(self, a: str, b: str) -> bool:
        pair = (a, b) if a < b else (b, a)
        if pair not in self._same:
            self._same[pair] = same_story(self._sh(a), self._sh(b))
        return self._same[pair]

    def support(self, statements: int, articles: Iterable[str]) -> Support:
        ids = set(articles)
        return Support(statements, len(ids), self.sources(ids))
