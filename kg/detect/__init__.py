"""The contradiction detector: finds statements that collide, from whatever source they came.

    report = detect_contradictions(store, min_score=0.5)

reads the statements in the store (from case files or extraction alike), makes candidate pairs
by blocking on what they are about (see kg.detect.engine for the blocking and the rules),
scores each pair on five bases — polarity, existence, numeric, responsibility, shift — explains
each in words naming both speakers, their roles and the words that decide, counts the
independent sources behind each side (kg.detect.corroborate), and writes what scores at least
`min_score` as Contradiction nodes with status `open` and produced_by `rule:detector/<basis>`.

The word lists are data: loaders/lexicons/contradiction.yaml (kg.detect.lexicon).

Quality (python -m kg.detect.quality; tests/test_detect.py holds the floors), measured November
2026 on the seed case and the six gold cases (examples/gold, written after the rules), in two
modes: from the case file's own statements without its curated contradictions, and from
extraction alone (kg.extract on the article text; pairs matched by statement span overlap). A
detected pair stands for the statements folded into it (either speaker saying the same again):

    case                         case file: recall  precision   extraction: recall  precision
    chechnya (seed)                  1.00 (20/20)  1.00 (18/18)      1.00 (20/20)  0.90 (18/20)
    ardenza-club-raid                0.94 (30/32)  0.88 (14/16)      1.00 (32/32)  0.89 (16/18)
    costaverde-prison-death          0.94 (29/31)  0.94 (15/16)      0.94 (29/31)  1.00 (15/15)
    korvania-protest-detentions      0.95 (21/22)  0.92 (11/12)      1.00 (22/22)  1.00 (12/12)
    mirestan-missing-journalist      1.00 (26/26)  1.00 (17/17)      0.96 (25/26)  1.00 (16/16)
    tamboru-forced-evictions         1.00 (15/15)  0.86 (12/14)      1.00 (15/15)  0.93 (13/14)
    velmara-river-pushback           0.91 (31/34)  0.80 (16/20)      0.94 (32/34)  0.85 (17/20)
    all seven                        0.96          0.91              0.97          0.93

The target (recall >= 0.9 at precision >= 0.8, from extraction alone, on the seed and on each own
article) is met. The gold cases gained pairs on review: pairs the detector raised that the
curators had not listed and that say incompatible things about the same incident (each under a
comment in its file). What the rules read: counts with their scope (a tally since January, those
still held, "all were released", a whole against a part of it), undated reversals by one speaker,
things still pending after the same voice said they were done, what a victim says there was
none of against an official's "there was", practices said to have stopped, pretexts ("dressed up
as"), the same harm in one report, and traps (one person against a count of many, injuries
without an act against a denial of what someone did, harm by private people against the state's
denial, "suspected of" attesting nothing, a cause others gave told by an independent voice).
What remains is mostly what no word says: "pushed into the water" against a drowning, an
unresolved "they", a shift only implied.

Scaling (python -m kg.detect.benchmark 10000 100000 1000000; synthetic statements, each size in
its own process, on a 2-core machine shared with four other processes; k is the growth exponent
of detection CPU time):

    statements  generate s  detect s  cpu s  peak MB     pairs compared      found     k
        10,000         1.7       9.1    7.3       89            509,575     54,659
       100,000        13.7      97.9   78.5      468          5,124,047    533,242  1.03
     1,000,000       157.4   1,893.1  1,067.7   2,781         52,327,921  5,411,865  1.13

(The previous round's rules took 528.5 s of CPU at 1M, k 1.09; the rules of this round, more
anchors and checks per pair, memoised per claim, doubled that.) Kept pairs are handed on in
chunks as each denying side is finished (stream_in_facts), as a writer would take them, rather
than held to the end. detect_contradictions keeps each pair's Detected record, explanation
included, in a spill file (kg.spill) until it writes them (in transactions of 20,000,
kg.detect.write): on the 100,000-article case-file store (1,022,648 pairs) the records held in
memory took the peak from 2,977 to 4,161 MB.

On stores (benchmarks/RESULTS.md): the statements are read 200,000 at a time with compact maps of
their speakers, articles and targets, one object for each recurring value; a claim's copies, the
support of each side and the pairs recorded through copies are each gathered once, not per pair,
since at 100,000 articles a stock phrase is printed in thousands of them; so is what a claim is
about, and the articles two claims share are found once per pair. The generated 100,000-article
store (1,243,739 statements) is detected and written end to end in 501 s of CPU at a 3,439 MB peak
(session 9, alone, with the store's page cache at BUFFER_POOL_MB), finding 421,557 pairs; the CPU
grows as n^1.11 from 10,000 articles (39 s): a claim printed in many articles gathers their
targets, so a pair costs more as the corpus grows.
Grouping the articles into stories (kg.detect.corroborate) still grows faster than the corpus,
and the write's memory is the store's own (benchmarks/RESULTS.md, sessions 7 and 8).

Copies of one story make one pair, also where the speaker on a side is unnamed and so a
different actor in each copy (kg.detect.engine, fold_copies): the copies' statements support
the pair, their articles one source. Its id is that of the strongest copy (then the smallest
statement ids). On the generated 10,000-article corpus (818 syndicated copies, extracted)
this folds 1,203 of 48,245 pairs, each the same pair in another copy of its story (an unnamed
witness, an organisation or a surname the extractor keeps to its article), for 33.6 s of CPU
against 33.2 (medians of three alternating runs, write=False; at 541c24a, before a reversal
across reports needed common ground: 39,663 pairs now).

Re-running changes nothing unless the graph did. A contradiction from a case file, or one a
reviewer has confirmed or rejected, is never overwritten; a pair already recorded through a copy
of one of its statements, or through the same pair in a copy of its story, is not recorded
again. Decisions are taken with `set_status`.
"""

from __future__ import annotations

import time
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from kg.collector import cycle_collector_paused
from kg.detect.corroborate import Corroborator, Support
from kg.detect.engine import BASES, Candidate, Detector, copy_groups, explain, fold_copies, fold_denials
from kg.detect.facts import Claim, Facts, read_existing, read_facts
from kg.detect.stored import StoredContradictions, explanation_digest
from kg.detect.synthetic import synthetic_statements
from kg.detect.write import (
    CASEFILE_PREFIX,
    PRODUCER_PREFIX,
    find_contradiction,
    list_contradictions,
    prune_detections,
    set_status,
    write_detections,
)
from kg.identity import contradiction_id
from kg.spill import RecordSpill, SpilledSequence
from kg.stores.base import GraphStore

# The embedded store's page cache while detecting (`kg contradictions detect`, kg bench): the
# detector reads each table once and then works on what it holds in Python, so half of the
# loader's 1 GB is enough, and the other half is what the Python heap needs at scale. At 100,000
# articles the detector's peak RSS was 4,031 MB with 1,024 MB and 3,362 MB with 512 (RESULTS.md).
BUFFER_POOL_MB = 512
# ... and after the statements are read: the rest is read a page at a time, each page once, so
# the cache need only hold a page's work. At 64 MB a page of the stored contradictions (50,000
# rows with their explanations) did not fit; at 128 the stored read of the 100k pipeline store
# (403,025) grew RSS by 304 MB against 484 MB with the whole pool, in 14.9 s against 9.7 s.
CAPPED_CACHE_MB = 128

__all__ = [
    "BASES", "BUFFER_POOL_MB", "DetectionReport", "Detected", "detect_contradictions", "detect_in_facts", "stream_in_facts",
    "set_status",
    "find_contradiction", "list_contradictions", "synthetic_statements", "PRODUCER_PREFIX",
]


@dataclass(frozen=True, slots=True)
class Detected:
    id: str
    basis: str
    score: float
    a: str                 # statement id on side a (the denying or earlier side)
    b: str
    speaker_a: str
    speaker_b: str
    explanation: str
    action: str            # new, updated, unchanged, kept (a reviewer's decision), casefile, recorded
    status: str
    # Statements folded into the pair: side a's speaker, and side b's, saying the same again.
    folded_a: tuple[str, ...] = ()
    folded_b: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


class _DetectedRecords(SpilledSequence):
    """Detected records kept in a spill file (kg.spill), in the order they were added: at
    100,000 case files a run finds a million pairs, whose explanations held in memory while the
    claims still were took the detector's peak from 3.0 to 4.2 GB."""

    def __init__(self) -> None:
        self._spill = RecordSpill()

    def append(self, detected: Detected) -> None:
        self._spill.append(detected.to_dict())

    def __len__(self) -> int:
        return len(self._spill)

    def _item(self, index: int) -> Detected:
        return Detected(**self._spill[index])


class _Chosen(SpilledSequence):
    """Some of the detected records, by position, read when asked for (as the write takes them,
    a transaction's worth at a time)."""

    def __init__(self, detected: Sequence[Detected], positions: array) -> None:
        self._detected, self._positions = detected, positions

    def __len__(self) -> int:
        return len(self._positions)

    def _item(self, index: int) -> Detected:
        return self._detected[self._positions[index]]


@dataclass
class DetectionReport:
    detected: Sequence[Detected] = field(default_factory=_DetectedRecords)
    statements: int = 0
    claims: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    stale: tuple[str, ...] = ()  # ids of open detector contradictions stored earlier and not found this time
    pruned: bool = False   # whether the stale ones were removed
    seconds: float = 0.0
    written: bool = True
    _actions: Counter = field(default_factory=Counter, repr=False)
    _bases: Counter = field(default_factory=Counter, repr=False)

    def add(self, detected: Detected) -> int:
        """Add a detected pair; its position among them."""
        self.detected.append(detected)
        self._actions[detected.action] += 1
        self._bases[detected.basis] += 1
        return len(self.detected) - 1

    def count(self, action: str) -> int:
        return self._actions[action]

    def by_basis(self) -> dict[str, int]:
        return {basis: self._bases[basis] for basis in BASES if self._bases[basis]}

    def summary(self) -> str:
        bases = ", ".join(f"{b} {n}" for b, n in self.by_basis().items()) or "none"
        return (
            f"detected {len(self.detected)} contradiction{'s' if len(self.detected) != 1 else ''} "
            f"({bases}) in {self.statements} statements: {self.count('new')} new, {self.count('updated')} updated, "
            f"{self.count('unchanged')} unchanged, {self.count('kept')} kept as reviewed, "
            f"{self.count('casefile') + self.count('recorded')} already recorded"
            + self._stale_clause()
        )

    def _stale_clause(self) -> str:
        if not self.stale:
            return ""
        n = len(self.stale)
        if self.pruned:
            return f"; {n} recorded earlier and no longer found removed"
        return (f"; {n} open contradiction{'s' if n != 1 else ''} recorded earlier no longer found "
                f"(--prune removes them)")

    def to_dict(self) -> dict[str, Any]:
        return {
            "detected": [d.to_dict() for d in self.detected],
            "by_basis": self.by_basis(),
            "statements": self.statements,
            "claims": self.claims,
            "new": self.count("new"), "updated": self.count("updated"), "unchanged": self.count("unchanged"),
            "kept": self.count("kept"), "already_recorded": self.count("casefile") + self.count("recorded"),
            "stale": len(self.stale), "pruned": self.pruned,
            "stats": self.stats,
            "seconds": round(self.seconds, 3),
        }


def detect_in_facts(facts: Facts, *, min_score: float = 0.5, **options: Any) -> tuple[list[Candidate], Counter]:
    """The detector on facts already in memory (no store): the candidates kept, and counters of
    the work done (blocks, pairs compared and scored). For benchmarks and tests."""
    detector = Detector(facts, min_score=min_score, **options)
    found = fold_denials(detector.run())
    return found, detector.stats


def stream_in_facts(facts: Facts, *, min_score: float = 0.5, stats: Counter | None = None,
                    **options: Any) -> Iterator[list[Candidate]]:
    """The same pairs as detect_in_facts, in chunks as they become final (not sorted across
    chunks), so that they need not all be held at once, before a denying speaker's repeated
    statements are folded together (fold_denials, which needs them all); `stats`, if given,
    receives the counters."""
    detector = Detector(facts, min_score=min_score, **options)
    yield from detector.stream()
    if stats is not None:
        stats.update(detector.stats)


def detect_contradictions(store: GraphStore, *, min_score: float = 0.5, write: bool = True,
                          prune: bool = False, **options: Any) -> DetectionReport:
    """Detect contradictions among the statements in the store and (unless write=False) record
    the new ones as open Contradiction nodes; with prune, remove the open ones it recorded
    earlier and no longer finds (the graph or the detector changed, or a higher min_score).
    See the module docstring."""
    started = time.perf_counter()
    # Reading the store builds millions of objects (statements, claims, stories) that hold no
    # reference cycles: the cycle collector would only rescan them (10,000 articles: 38.5 ->
    # 34.6 s of CPU with it paused throughout). It is on again for the write: Neo4j's driver
    # leaves each result in a cycle with the rows it was sent.
    with cycle_collector_paused():
        report, stats, new, refresh, resided = _find(store, min_score, write, options)
    if write:
        write_detections(store, new, refresh, resided)
        if prune:
            prune_detections(store, report.stale)
            report.pruned = True
    report.stats = dict(stats)
    report.seconds = time.perf_counter() - started
    return report


# What _find returns: the report, the counters of the work, the new contradictions, the stored
# ones to refresh, and the ids of those among them whose sides changed.
_Found = tuple[DetectionReport, Counter, Sequence[Detected], Sequence[Detected], list[str]]


def _find(store: GraphStore, min_score: float, write: bool,
          options: dict[str, Any]) -> _Found:
    """The report of what the detector finds, and what it would write: new contradictions,
    stored ones to refresh, and those among them whose sides changed."""
    facts = read_facts(store)
    # What was read is held as claims; the store's cache of the pages it read would be held on
    # top of them through the detection. What is read after (the stored contradictions, the
    # texts of articles for the stories) is read once, and would fill the cache again.
    with store.capped_cache(CAPPED_CACHE_MB):
        return _find_in_facts(store, facts, min_score, write, options)


def _find_in_facts(store: GraphStore, facts: Facts, min_score: float, write: bool,
                   options: dict[str, Any]) -> _Found:
    candidates, stats = detect_in_facts(facts, min_score=min_score, **options)
    # Read now rather than with the statements: held through the detection, the contradictions
    # of a re-run at 100,000 case files (1.2 million) sat on top of its working memory.
    stored = read_existing(store, facts.claims)

    # Copies of one story make one pair (kg.detect.engine, fold_copies): the articles of the
    # pairs that may be copies are grouped into stories with those of the sides to count.
    corroborator = Corroborator(store)
    groups = copy_groups(facts, candidates)
    supports = _Supports(corroborator, candidates,
                         {a for group in groups for c in group for x in _claims(c) for a in x.articles})
    candidates = fold_copies(candidates, groups, lambda claim: corroborator.stories(claim.articles))
    del groups

    report = DetectionReport(statements=facts.statements, claims=len(facts.claims), written=write)
    new, refresh = array("l"), array("l")   # positions in report.detected
    resided = []
    seen: set[str] = set()
    # Each pair is let go once it is explained and classified, with the cues explain quotes
    # into it: kept to the end of the loop, they were 27 MB at 10,000 articles (by tracemalloc),
    # on top of the pairs themselves, and they grow with the pairs.
    candidates.reverse()
    while candidates:
        c = candidates.pop()
        cid = contradiction_id(c.a.id, c.b.id)
        if cid in seen:
            continue
        seen.add(cid)
        support_a, support_b = supports.of(_side_a(c)), supports.of(_side_b(c))
        sources = f"Support: side a {support_a.phrase()}; side b {support_b.phrase()}."
        text = explain(facts, c, sources)
        row = stored.find(cid)
        if row is not None:
            stored.mark_found(row)
        action, status = _classify(stored, row, c, text)
        detected = Detected(
            id=cid, basis=c.basis, score=c.score, a=c.a.id, b=c.b.id,
            speaker_a=facts.actor_name(c.a.speaker), speaker_b=facts.actor_name(c.b.speaker),
            explanation=text, action=action, status=status,
            folded_a=tuple(x.id for x in c.also), folded_b=tuple(x.id for x in c.folded),
        )
        position = report.add(detected)
        if action == "new":
            new.append(position)
        elif action == "updated":
            refresh.append(position)
            if not stored.same_sides(row, (c.a.id, c.b.id)):
                resided.append(cid)
    report.stale = tuple(stored.not_found(PRODUCER_PREFIX, "open"))
    # The statements, claims and stories in memory (about 3 GB at 100,000 articles) are let go
    # (on return) before the write, whose transactions grow the store's own memory on top of them.
    return report, stats, _Chosen(report.detected, new), _Chosen(report.detected, refresh), resided


def _unique(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    return tuple({x.index: x for x in claims}.values())


def _side_a(c: Candidate) -> tuple[Claim, ...]:
    """Side a of a pair with the claims folded into it: its speaker saying the same again, and
    the same in the pair's copies (fold_copies)."""
    return _side(c, lambda pair: (pair.a, *pair.also))


def _side_b(c: Candidate) -> tuple[Claim, ...]:
    return _side(c, lambda pair: (pair.b, *pair.folded))


def _side(c: Candidate, claims_of: Callable[[Candidate], tuple[Claim, ...]]) -> tuple[Claim, ...]:
    if not c.copies:
        return claims_of(c)
    return _unique(x for pair in (c, *c.copies) for x in claims_of(pair))


def _claims(c: Candidate) -> Iterator[Claim]:
    yield from _side_a(c)
    yield from _side_b(c)


class _Supports:
    """The support of each side of the candidates, worked out once per side. Sides recur (one
    statement against many), and a stock phrase is printed in thousands of articles: gathering
    a side's articles again for every pair it is in took most of the detector's time at 100,000
    articles. The articles of sides with several, and `also` (those of pairs that may be copies
    of one story), are grouped into stories at once: stories are found within one grouping."""

    def __init__(self, corroborator: Corroborator, candidates: list[Candidate], also: set[str] = frozenset()) -> None:
        self._corroborator = corroborator
        self._known: dict[tuple[int, ...], Support] = {}
        behind: set[str] = set(also)   # the articles of sides with several, grouped into stories at once
        gathered: set[int] = set()
        for c in candidates:
            for claims in (_side_a(c), _side_b(c)):
                if len({a for x in claims for a in x.articles[:2]}) > 1:
                    for x in claims:
                        if x.index not in gathered:
                            gathered.add(x.index)
                            behind.update(x.articles)
        corroborator.prefetch([behind])

    def of(self, claims: tuple[Claim, ...]) -> Support:
        """One side of a pair, with the claims folded into it: its statements and their articles."""
        key = tuple(x.index for x in claims)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._corroborator.support(
                sum(len(x.ids) for x in claims), {a for x in claims for a in x.articles})
        return found


def _classify(stored: StoredContradictions, row: int | None, c: Candidate, explanation: str) -> tuple[str, str]:
    """What becomes of the pair c, stored at `row` if it is, with this explanation: new, recorded
    (through copies of its statements), casefile, kept (a reviewer's decision), unchanged or
    updated; and its status."""
    if row is None:
        # The same pair may be recorded through copies of its statements (another article):
        # the first stored pair in the order of side a's and then side b's copies. (Trying
        # every pair of copies ran over ten minutes at 100k, where a stock phrase has thousands.)
        # Copies of the pair in copies of one story (fold_copies) count as copies of its statements.
        through = stored.recorded_through((c.a, *(copy.a for copy in c.copies)),
                                          (c.b, *(copy.b for copy in c.copies)))
        if through is None:
            return "new", "open"
        return "recorded", stored.status(through) or "open"
    producer = stored.produced_by(row) or ""
    status = stored.status(row) or "open"
    if producer.startswith(CASEFILE_PREFIX):
        return "casefile", status
    if status != "open" or not producer.startswith(PRODUCER_PREFIX):
        return "kept", status
    same = stored.same(row, c.basis, c.score, explanation_digest(explanation), (c.a.id, c.b.id))
    return ("unchanged" if same else "updated"), status
