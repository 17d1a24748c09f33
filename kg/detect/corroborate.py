"""How many independent sources stand behind each side of a contradiction.

A side is supported by the articles that report its statement, its copies (the same words from
the same speaker) and the statements folded into it. Articles whose texts are near-identical
(a wire story printed by several outlets) are one source: texts are compared by the Jaccard
similarity of their word 5-gram shingles, or by containment when one is a trimmed copy of the
other. Only the articles behind detected contradictions are read, and they are grouped into stories
once, whatever the number of sides they support.
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
    return common / (len(x) + len(y) - common) >= SAME_STORY or common / min(len(x), len(y)) >= CONTAINED


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
    """Counts sources. The articles behind every side with several articles are grouped into
    stories once (`prefetch`), so that a side's count is a look-up per article: sides recur and
    overlap (one statement against many), and grouping each side on its own compared the same
    texts again for every side they appear on."""

    def __init__(self, store: GraphStore | None, texts: dict[str, str] | None = None,
                 shingle_sets: dict[str, frozenset[int]] | None = None) -> None:
        self.store = store
        self._texts: dict[str, str] = dict(texts or {})
        self._shingle_sets: dict[str, frozenset[int]] = dict(shingle_sets or {})
        self._story: dict[str, str] = {}  # article id -> the first article of its story

    def prefetch(self, groups: Iterable[Iterable[str]]) -> None:
        """Reads the texts of the articles behind sides with several articles and groups them
        into stories."""
        needed = sorted({a for g in groups if len(set(g)) > 1 for a in g} - set(self._story))
        unread = [a for a in needed if a not in self._texts and a not in self._shingle_sets]
        if unread and self.store is not None:
            query = self.store.ontology.render(
                "MATCH (a:{label}) WHERE a.id IN $ids RETURN a.id, a.text", label="Article"
            )
            for start in range(0, len(unread), 500):
                for article_id, text in self.store.run(query, {"ids": unread[start:start + 500]}).rows:
                    self._texts[article_id] = text or ""
        self._group(needed)

    def _sh(self, article_id: str) -> frozenset[int]:
        found = self._shingle_sets.get(article_id)
        if found is None:
            found = shingles(self._texts.pop(article_id, article_id))
        return found

    def _group(self, ids: list[str]) -> None:
        """Near-identical texts (see same_story) among the articles, as stories. Only pairs that
        share one of the rarest shingles of the smaller text are compared: if two texts are
        copies, 80% of the smaller one's shingles are in the other, so one of its first 20% (+1),
        taken rarest first, must be (prefix filtering). Comparing every pair cost n²."""
        if not ids:
            return
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
                if find(i) != find(j) and same_story(shingle_set, sets[j]):
                    parent[find(j)] = find(i)
        for i, article_id in enumerate(ids):
            self._story[article_id] = ids[find(i)]

    def sources(self, articles: Iterable[str]) -> int:
        """The number of independent stories among the articles (near-identical texts are one)."""
        ids = set(articles)
        if len(ids) <= 1:
            return len(ids)
        self._group(sorted(ids - set(self._story)))
        return len({self._story[article_id] for article_id in ids})

    def support(self, statements: int, articles: Iterable[str]) -> Support:
        ids = set(articles)
        return Support(statements, len(ids), self.sources(ids))
