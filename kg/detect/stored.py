"""The contradictions already in the store, as compact rows, for a re-run's classification.

    stored = StoredContradictions(records, claims)
    row = stored.find(cid)
    through = stored.recorded_through((pair.a, *copies_a), (pair.b, *copies_b))

A re-run of the detector compares each pair it finds with what is stored: the same pair
(unchanged, updated, or kept as a reviewer decided), or the same pair recorded through copies
of its statements. After a first run over 100,000 case files, 1.2 million contradictions are
stored; held as one object each (id, status, producer, basis, score, explanation digest and
both sides) they were about 800 MB, the largest part of the re-run's peak after the claims.

Here a contradiction is a row of fixed-width arrays: codes for its status, producer and basis
(a few strings in all), its score, the digest of its explanation, 64-bit digests of its id and
of its two statements, and its id's bytes in one buffer: about 130 bytes a row. Rows are found
through sorted entries of 64 bits (the first 32 bits of a digest, then the row) and checked
against the id itself, so a lookup by id is exact. Sides are compared by their digests alone:
a false match needs two statement ids with the same 64-bit digest, about one chance in ten
million among a million statements. The pairs of claims that stored pairs join are kept as
sorted entries too, so that a pair of claims with nothing stored between them is passed over
at once.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

if TYPE_CHECKING:
    from kg.detect.facts import Claim

NO_SIDE = 0   # the digest given to a side the store does not have
DIGEST_BYTES = 16


@dataclass(slots=True, frozen=True)
class StoredContradiction:
    """A contradiction already in the store, as much as a re-run compares: its explanation (a
    few hundred characters) only as a digest."""

    id: str
    status: str | None
    produced_by: str | None
    basis: str | None
    score: float | None
    explanation_digest: bytes
    sides: tuple[str | None, str | None]  # the statements on side a and side b


def explanation_digest(text: str | None) -> bytes:
    return hashlib.blake2b((text or "").encode(), digest_size=DIGEST_BYTES).digest()


def _key(text: str | None) -> int:
    if text is None:
        return NO_SIDE
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


# An entry of the sorted indexes: the first 32 bits of a digest, then the row (up to four billion).
ROW_BITS = 32
CHUNK = 1 << 18   # entries sorted at a time before they are merged
ROW_MASK = (1 << ROW_BITS) - 1


def _entry(key: int, row: int) -> int:
    return (key >> (64 - ROW_BITS)) << ROW_BITS | row


def _link(claim: int, other: int) -> int:
    """The entry of a stored pair between two claims, the same in either order."""
    return min(claim, other) << 32 | max(claim, other)


def _sorted(entries: array) -> array:
    """The entries in ascending order, sorted a chunk at a time and merged: sorting them all at
    once made a Python int of each (2.4 million sides at 100,000 case files, 100 MB)."""
    chunks = [array("Q", sorted(entries[start:start + CHUNK])) for start in range(0, len(entries), CHUNK)]
    return array("Q", heapq.merge(*chunks))


class StoredContradictions:
    """The stored contradictions; recorded_through finds those between statements of `claims`."""

    def __init__(self, records: Iterable[StoredContradiction] = (), claims: Iterable[Claim] = ()) -> None:
        self._ids = bytearray()
        self._id_ends = array("Q", [0])   # row i's id is the bytes between _id_ends[i] and _id_ends[i + 1]
        self._strings: list[str | None] = []
        self._codes: dict[str | None, int] = {}
        self._status, self._producer, self._basis = array("I"), array("I"), array("I")
        self._score = array("d")   # NaN where the store has none
        self._digests = bytearray()
        self._side_a, self._side_b = array("Q"), array("Q")
        by_id, by_side = array("Q"), array("Q")
        for row, found in enumerate(records):
            self._ids += found.id.encode()
            self._id_ends.append(len(self._ids))
            by_id.append(_entry(_key(found.id), row))
            self._status.append(self._code(found.status))
            self._producer.append(self._code(found.produced_by))
            self._basis.append(self._code(found.basis))
            self._score.append(math.nan if found.score is None else found.score)
            self._digests += found.explanation_digest.ljust(DIGEST_BYTES, b"\0")[:DIGEST_BYTES]
            side_a, side_b = found.sides
            self._side_a.append(_key(side_a))
            self._side_b.append(_key(side_b))
            if side_a is not None and side_b is not None and side_a != side_b:
                by_side.extend((_entry(self._side_a[-1], row), _entry(self._side_b[-1], row)))
        self._by_id, self._by_side = _sorted(by_id), _sorted(by_side)
        self._found = bytearray(len(self._status))
        self._links = self._linking(claims)

    def _linking(self, claims: Iterable[Claim]) -> array:
        """The pairs of claims between which a pair of their statements is stored, as sorted
        entries (_link). recorded_through looks a pair's claims up here before it looks for the
        stored pair itself. Most pairs of a first run are not stored through copies, and looking
        up each statement of their claims (thousands for a stock phrase) for every pair took
        explain-and-classify from 6 to 11 s at 10,000 case files; linked first, it takes 5.5 s."""
        if not self._by_side:
            return array("Q")
        claim_a, claim_b = array("q", [-1]) * len(self), array("q", [-1]) * len(self)
        for claim in claims:
            for x in claim.ids:
                key = _key(x)
                for row in self._rows(self._by_side, key):
                    if self._side_a[row] == key:
                        claim_a[row] = claim.index
                    elif self._side_b[row] == key:
                        claim_b[row] = claim.index
        links = _sorted(array("Q", (_link(a, b) for a, b in zip(claim_a, claim_b) if a >= 0 and b >= 0)))
        return array("Q", (entry for at, entry in enumerate(links) if at == 0 or links[at - 1] != entry))

    def _code(self, value: str | None) -> int:
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self._strings)
            self._strings.append(value)
        return code

    def __len__(self) -> int:
        return len(self._status)

    def _id_bytes(self, row: int) -> bytes:
        return self._ids[self._id_ends[row]:self._id_ends[row + 1]]

    def id(self, row: int) -> str:
        return self._id_bytes(row).decode()

    def _rows(self, entries: array, key: int) -> Iterator[int]:
        """The rows of the entries whose digest begins as `key` does."""
        prefix = key >> (64 - ROW_BITS)
        at = bisect_left(entries, prefix << ROW_BITS)
        while at < len(entries) and entries[at] >> ROW_BITS == prefix:
            yield entries[at] & ROW_MASK
            at += 1

    def find(self, cid: str) -> int | None:
        """The row of the stored contradiction with this id, if there is one."""
        encoded = cid.encode()
        for row in self._rows(self._by_id, _key(cid)):
            if self._id_bytes(row) == encoded:
                return row
        return None

    def status(self, row: int) -> str | None:
        return self._strings[self._status[row]]

    def produced_by(self, row: int) -> str | None:
        return self._strings[self._producer[row]]

    def same_sides(self, row: int, sides: tuple[str, str]) -> bool:
        return self._side_a[row] == _key(sides[0]) and self._side_b[row] == _key(sides[1])

    def same(self, row: int, basis: str, score: float, digest: bytes, sides: tuple[str, str]) -> bool:
        """Whether the stored row says what the detector says now."""
        start = row * DIGEST_BYTES
        return (self._strings[self._basis[row]] == basis and self._digests[start:start + DIGEST_BYTES] == digest
                and abs(self._score[row] - score) < 1e-9 and self.same_sides(row, sides))

    def recorded_through(self, claims_a: Sequence[Claim], claims_b: Sequence[Claim]) -> int | None:
        """The row of the first stored pair of a statement of `claims_a` (tried in their order,
        each claim's statements in theirs) and one of `claims_b` (the first of them in their
        order), if any."""
        if not self._links:
            return None   # no stored pair between two claims: nothing to look up
        indexes_b = {claim.index for claim in claims_b}
        for claim in claims_a:
            if any(self._linked(claim.index, other) for other in indexes_b):
                row = self._first_pair(claim.ids, claims_b)
                if row is not None:
                    return row
        return None

    def _linked(self, claim: int, other: int) -> bool:
        entry = _link(claim, other)
        at = bisect_left(self._links, entry)
        return at < len(self._links) and self._links[at] == entry

    def _first_pair(self, statements_a: Iterable[str], claims_b: Sequence[Claim]) -> int | None:
        position: dict[int, int] | None = None
        for x in statements_a:
            key = _key(x)
            best: tuple[int, int] | None = None
            for row in self._rows(self._by_side, key):
                if self._side_a[row] == key:
                    other = self._side_b[row]
                elif self._side_b[row] == key:
                    other = self._side_a[row]
                else:
                    continue   # another statement whose digest begins the same
                if position is None:
                    position = {}
                    for i, y in enumerate(y for claim in claims_b for y in claim.ids):
                        position.setdefault(_key(y), i)
                i = position.get(other)
                if i is not None and (best is None or i < best[0]):
                    best = (i, row)
            if best is not None:
                return best[1]
        return None

    def mark_found(self, row: int) -> None:
        self._found[row] = 1

    def not_found(self, produced_by_prefix: str, status: str) -> list[str]:
        """The ids, sorted, of the rows with this status produced by a producer with this prefix
        that were not marked found."""
        codes = {code for code, value in enumerate(self._strings) if (value or "").startswith(produced_by_prefix)}
        wanted = self._codes.get(status)
        return sorted(self.id(row) for row in range(len(self))
                      if not self._found[row] and self._status[row] == wanted and self._producer[row] in codes)
