"""How many independent sources stand behind each side of a contradiction.

A side is supported by the articles that report its statement, its copies (the same words from
the same speaker) and the statements folded into it. Articles whose texts are near-identical
(a wire story printed by several outlets) are one source: texts are compared by the Jaccard
similarity of their word 5-gram shingles, or by containment when one is a trimmed copy of the
other. Only the articles behind detected contradictions are read, and they are grouped into stories
once, whatever the number of sides they support. The detector also asks which stories a side is
printed in: pairs whose sides are printed in the same stories, in the same words, by speakers of
the same name, are copies of one pair (kg.detect.engine, fold_copies).
"""

from __future__ import annotations

import math
import re
import zlib
from array import array
from collections import Counter, deque
from dataclasses import dataclass
from functools import partial, reduce
from itertools import chain
from operator import is_not, methodcaller, or_
from typing import Iterable

from kg.stores.base import GraphStore

SHINGLE = 5
SAME_STORY = 0.8     # Jaccard similarity at which two texts are copies of one story
CONTAINED = 0.9      # share of the shorter text's shingles found in the longer one
# The share of the smaller text's shingles (x of them) that a copy of at least its length (y >= x)
# holds: c >= CONTAINED * x, or c >= SAME_STORY * (x + y - c) >= SAME_STORY * (2x - c), that is
# c >= 2 * SAME_STORY / (1 + SAME_STORY) * x (8/9 of x).
MIN_OVERLAP = min(CONTAINED, 2 * SAME_STORY / (1 + SAME_STORY))
# A text looks through the lists of this many more of its shingles than a copy may lack, so that
# texts sharing fewer than MIN_HITS of them are not even fingerprinted. More lists cost more reading
# (on the generated 100k corpus, 20: 165M list entries; 10: 77M; 5: 49M) and fewer fingerprints.
MIN_HITS = 10
# Bits of a text's fingerprint (one per shingle, at the shingle modulo this): 256 bytes a text.
FINGERPRINT_BITS = 2048
_WORD = re.compile(r"\w+")


def shingles(text: str) -> frozenset[int]:
    tokens = _WORD.findall(text.casefold())
    if len(tokens) < SHINGLE:
        return frozenset({zlib.crc32(" ".join(tokens).encode())})
    return frozenset(
        zlib.crc32(" ".join(tokens[i:i + SHINGLE]).encode()) for i in range(len(tokens) - SHINGLE + 1)
    )


def same_story(x: frozenset[int], y: frozenset[int]) -> bool:
    return _copies(len(x & y), len(x), len(y))


def _copies(common: int, x: int, y: int) -> bool:
    """Whether texts of x and y shingles, `common` of them shared, are copies of one story."""
    if not x or not y:
        return False
    return common / (x + y - common) >= SAME_STORY or common / min(x, y) >= CONTAINED


def _misses(size: int) -> int:
    """The most shingles a copy at least as long as a text of `size` shingles may lack of it."""
    return size - math.ceil(MIN_OVERLAP * size - 1e-9)


_BIT = [1 << slot for slot in range(FINGERPRINT_BITS)]
_BIT_OF_SHINGLE = (FINGERPRINT_BITS - 1).__and__
_SHINGLE_OF_RANK = (0xFFFFFFFF).__and__  # a rank key's low 32 bits
_not_none = partial(is_not, None)


def _fingerprint(shingle_set: array) -> int:
    return reduce(or_, map(_BIT.__getitem__, map(_BIT_OF_SHINGLE, shingle_set)), 0)


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


def _rarest(sets: list[array]) -> tuple[list[array | None], array]:
    """Per text, the shingles whose lists it looks through (None: nobody's copy) and how many of
    them a copy holds at least. Ranked by a single int each, the number of texts holding the
    shingle above its 32 bits: ints sort several times faster than (count, shingle) pairs."""
    holders = Counter(chain.from_iterable(sets))
    rank = {shingle: (count << 32) | shingle for shingle, count in holders.items() if count > 1}
    del holders
    looked_through: list[array | None] = []
    hits_needed = array("I")
    for shingle_set in sets:
        ranked = sorted(filter(None, map(rank.get, shingle_set)))
        size = len(shingle_set)
        may_lack = _misses(size) - (size - len(ranked))
        if may_lack < 0:
            looked_through.append(None)
            hits_needed.append(0)
            continue
        k = min(len(ranked), may_lack + MIN_HITS)
        looked_through.append(array("I", map(_SHINGLE_OF_RANK, ranked[:k])))
        hits_needed.append(k - may_lack)
    return looked_through, hits_needed


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
        """Near-identical texts (see same_story) among the articles, as stories. Each text looks
        for its copies among the texts at least as long as itself, through a few of its
        shingles: a copy lacks at most `misses` of its shingles (see MIN_OVERLAP), so of any k of
        them it holds at least k - misses, and only texts listed that often under those k are
        candidates. Shingles of one text alone are in no copy: a text with more of them than
        `misses` is nobody's copy, and with fewer they lower what a copy may lack of the rest.
        The k shingles are the rarest (the shortest lists), MIN_HITS more than a copy may lack.
        A candidate is then compared by fingerprint: a shingle whose bit is not in the other's
        fingerprint is not in the other text, so more such bits than `misses` rule it out; the
        rest are compared in full. Every test is exact (no copy is missed, whatever the corpus):
        the two parameters only move work between reading lists and comparing fingerprints.

        What still grows faster than the corpus: in the generated corpus texts are filled-in
        templates, so even a text's rarest shared shingles are in a fixed share of it (a text
        reads 85 list entries at 10k articles, 770 at 100k), and the template siblings found
        there are fingerprinted. Copies in news share rare phrases (names, quotes, numbers),
        which should keep those lists short on real corpora; no exact test on single shingles
        avoids reading them."""
        if not ids:
            return
        sets = self._shingled(ids)
        looked_through, hits_needed = _rarest(sets)
        holding = {shingle: array("I") for shingle in set(chain.from_iterable(filter(None, looked_through)))}
        for i, shingle_set in enumerate(sets):  # C loops: 24 million shingles at 100k articles
            deque(map(methodcaller("append", i), filter(_not_none, map(holding.get, shingle_set))), maxlen=0)
        fingerprints = list(map(_fingerprint, sets))
        parent = list(range(len(ids)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i, shingle_set in enumerate(sets):
            prefix = looked_through[i]
            if prefix is None:
                continue
            needed = hits_needed[i]
            size = len(shingle_set)
            hits = Counter(chain.from_iterable(map(holding.__getitem__, prefix)))
            candidates = [j for j, n in hits.items() if n >= needed and j != i and len(sets[j]) >= size]
            if not candidates:
                continue
            misses = _misses(size)
            fingerprint = fingerprints[i]
            candidates = [j for j in candidates if (fingerprint & ~fingerprints[j]).bit_count() <= misses]
            own = frozenset(shingle_set)
            for j in sorted(candidates):
                if find(i) != find(j) and _copies(len(own.intersection(sets[j])), size, len(sets[j])):
                    parent[find(j)] = find(i)
        for i, article_id in enumerate(ids):
            self._story[article_id] = ids[find(i)]

    def sources(self, articles: Iterable[str]) -> int:
        """The number of independent stories among the articles (near-identical texts are one)."""
        ids = set(articles)
        if len(ids) <= 1:
            return len(ids)
        return len(self.stories(ids))

    def stories(self, articles: Iterable[str]) -> frozenset[str]:
        """The stories the articles are printed in, each named by its first article. Articles not
        grouped yet are grouped among themselves (only), so articles to compare with each other
        are best grouped at once (`prefetch`)."""
        ids = set(articles)
        if len(ids) == 1:
            (article_id,) = ids
            return frozenset((self._story.get(article_id, article_id),))
        self._group(sorted(a for a in ids if a not in self._story))
        return frozenset(self._story[article_id] for article_id in ids)

    def support(self, statements: int, articles: Iterable[str]) -> Support:
        ids = set(articles)
        return Support(statements, len(ids), self.sources(ids))
