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
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from typing import Iterable

from kg.stores.base import GraphStore

SHINGLE = 5
SAME_STORY = 0.8     # Jaccard similarity at which two texts are copies of one story
CONTAINED = 0.9      # share of the shorter text's shingles found in the longer one
# Both tests imply that this share of the smaller text's shingles is in the other text.
MIN_OVERLAP = min(SAME_STORY, CONTAINED)
# Looking through every text that holds a phrase of a template made grouping grow as n^1.5 on
# the generated corpus (12.6 s of CPU for 10,000 articles, 36 s for 20,000).
COMMON_SHINGLE = 500
SEEN_SLOTS = 1 << 24  # the most slots of the table that tells shingles met once from those met again
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
        """Groups the articles behind sides with several articles into stories."""
        self._group(sorted({a for g in groups if len(set(g)) > 1 for a in g if a not in self._story}))

    def _shingled(self, ids: list[str]) -> list[array]:
        """Each article's shingles, sorted, four bytes each (a set of Python ints takes some
        fifty a member, and a corpus of 100,000 articles has tens of millions of shingles); the
        texts are read from the store 500 at a time and let go."""
        found: dict[str, array] = {}
        unread = [a for a in ids if a not in self._texts and a not in self._shingle_sets]
        if unread and self.store is not None:
            query = self.store.ontology.render(
                "UNWIND $ids AS wanted MATCH (a:{label} {{id: wanted}}) RETURN a.id, a.text", label="Article"
            )
            for start in range(0, len(unread), 500):
                for article_id, text in self.store.run(query, {"ids": unread[start:start + 500]}).rows:
                    found[article_id] = array("I", sorted(shingles(text or "")))
        for article_id in ids:
            if article_id not in found:
                known = self._shingle_sets.get(article_id)
                if known is None:
                    known = shingles(self._texts.pop(article_id, article_id))
                found[article_id] = array("I", sorted(known))
        return [found[article_id] for article_id in ids]

    def _group(self, ids: list[str]) -> None:
        """Near-identical texts (see same_story) among the articles, as stories. Only pairs that
        share one of the rarest shingles of the smaller text are compared: if two texts are
        copies, 80% of the smaller one's shingles are in the other, so one of its first 20% (+1),
        taken rarest first, must be (prefix filtering). Comparing every pair cost n². Shingles
        of one text alone are the rarest and are left out of the posting lists (a real corpus
        has mostly those): a text with more of them than a copy may lack is nobody's copy."""
        if not ids:
            return
        sets = self._shingled(ids)
        # Per slot of a shingle: 0 not seen, 1 once, 2 more often; twice as many slots as
        # shingles, up to SEEN_SLOTS (a slot shared by two shingles only lists one needlessly).
        mask = min(SEEN_SLOTS, 1 << (2 * sum(len(shingle_set) for shingle_set in sets)).bit_length()) - 1
        seen = bytearray(mask + 1)
        for shingle_set in sets:
            for shingle in shingle_set:
                slot = shingle & mask
                if seen[slot] < 2:
                    seen[slot] += 1
        postings: dict[int, array] = {}  # a list's length is its shingle's frequency
        for i, shingle_set in enumerate(sets):
            for shingle in shingle_set:
                if seen[shingle & mask] == 2:
                    posting = postings.get(shingle)
                    if posting is None:
                        posting = postings[shingle] = array("I")
                    posting.append(i)
        parent = list(range(len(ids)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, shingle_set in enumerate(sets):
            # Shared shingles rarest first, each as one int (its text count above its 32 bits):
            # ints sort several times faster than (count, shingle) pairs.
            ranked = sorted((len(posting) << 32) | shingle for shingle in shingle_set
                            if (posting := postings.get(shingle)) is not None)
            size = len(shingle_set)
            misses = size - math.ceil(MIN_OVERLAP * size - 1e-9)  # the most a copy of it may lack
            # A copy holds all but `misses` of any prefix: of the first 2 * misses + 1 shingles
            # (its own first), at least misses + 1, which sorts out texts sharing a phrase or two.
            length = min(size, 2 * misses + 1)
            needed = length - misses
            room = length - (size - len(ranked))  # the prefix past the text's own shingles
            if needed > room:
                continue  # more shingles of its own than a copy may lack: nobody's copy
            del ranked[room:]
            # Shingles in more than COMMON_SHINGLE texts (a template's phrases) are not looked
            # through when the rarer rest of the prefix is enough: a copy lacks at most `misses`
            # of it too. A story printed by more outlets than that is looked through whole.
            common = len(ranked) - bisect_left(ranked, (COMMON_SHINGLE + 1) << 32)
            if needed - common >= 1:
                needed -= common
                del ranked[len(ranked) - common:]
            prefix = [key & 0xFFFFFFFF for key in ranked]
            hits = Counter(chain.from_iterable(map(postings.__getitem__, prefix)))
            candidates = [j for j, n in hits.items() if n >= needed and j != i and len(sets[j]) >= size]
            if not candidates:
                continue
            own = frozenset(shingle_set)
            for j in sorted(candidates):
                if find(i) != find(j) and same_story(own, frozenset(sets[j])):
                    parent[find(j)] = find(i)
        for i, article_id in enumerate(ids):
            self._story[article_id] = ids[find(i)]

    def sources(self, articles: Iterable[str]) -> int:
        """The number of independent stories among the articles (near-identical texts are one)."""
        ids = set(articles)
        if len(ids) <= 1:
            return len(ids)
        self._group(sorted(a for a in ids if a not in self._story))
        return len({self._story[article_id] for article_id in ids})

    def support(self, statements: int, articles: Iterable[str]) -> Support:
        ids = set(articles)
        return Support(statements, len(ids), self.sources(ids))
