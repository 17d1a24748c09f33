"""Reviewing the entity merges the loaders proposed but were not sure of.

When a loader suspects that two actors are one — a look-alike spelling such as "Kаdyrov" with
a Cyrillic а beside "Kadyrov" — it never merges them: it links them POSSIBLY_SAME_AS with
status `open` and says which rule proposed it (`produced_by`). A reviewer decides:

* ``confirmed``: they are the same actor;
* ``rejected``: they are different actors;
* ``unsure``: looked at, cannot tell yet.

A later decision replaces an earlier one (a note, when given, replaces the earlier note), each
decision leaves an audit entry (kg.audit), and a reload or a re-run of the loaders never
changes a proposal that exists, so a reviewer's judgement is never overwritten.

What a confirmed merge means for the rest of kg today: it is a recorded judgement, not a
rewrite of the graph. The two actors stay two nodes; named queries, the contradiction
detector, reports, visuals and exports do not yet follow confirmed merges (an actor's profile
does not include what was said under the look-alike name).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kg.audit import audit_entry, record
from kg.errors import KGError
from kg.identity import digest
from kg.stores.base import GraphStore, QueryResult

MERGE_STATUSES = ("open", "confirmed", "rejected", "unsure")
DECISIONS = ("confirmed", "rejected", "unsure")
ID_PREFIX = "merge:"


def merge_id(source: str, target: str, key: str) -> str:
    """The id a reviewer names a proposal by: stable across loads, from both actors and the rule's key."""
    return ID_PREFIX + digest("possibly-same-as", source, target, key, length=12)


@dataclass(frozen=True)
class Proposal:
    id: str
    source: str
    source_name: str
    target: str
    target_name: str
    key: str
    status: str
    note: str | None
    produced_by: str | None

    COLUMNS = ("id", "status", "source_name", "target_name", "source", "target", "produced_by", "note")

    def row(self) -> list[Any]:
        return [getattr(self, column) for column in self.COLUMNS]


def _proposals_query(store: GraphStore) -> str:
    return store.ontology.render(
        "MATCH (x:{actor})-[r:{rel}]->(y:{actor}) WHERE $status = '' OR r.status = $status "
        "RETURN x.id, x.name, y.id, y.name, r.key, r.status, r.note, r.produced_by",
        actor="Actor", rel="POSSIBLY_SAME_AS",
    )


def list_merges(store: GraphStore, *, status: str = "") -> list[Proposal]:
    """The proposed merges (of one status, or all), by the names of the actors."""
    if status and status not in MERGE_STATUSES:
        raise KGError(f"status must be one of {', '.join(MERGE_STATUSES)}, not {status!r}")
    proposals = [
        Proposal(merge_id(source, target, key or ""), source, source_name, target, target_name, key or "",
                 row_status or "open", note, produced_by)
        for source, source_name, target, target_name, key, row_status, note, produced_by
        in store.run(_proposals_query(store), {"status": status}).rows
    ]
    return sorted(proposals, key=lambda p: (p.source_name, p.target_name, p.id))


def merges_result(proposals: list[Proposal]) -> QueryResult:
    return QueryResult(list(Proposal.COLUMNS), [p.row() for p in proposals])


def find_merge(store: GraphStore, wanted: str) -> Proposal:
    """The proposal with this id (the 'merge:' prefix may be left out)."""
    full = wanted if wanted.startswith(ID_PREFIX) else ID_PREFIX + wanted
    for proposal in list_merges(store):
        if proposal.id == full:
            return proposal
    raise KGError(f"no proposed merge with id {wanted!r}; `kg merges list` shows them")


def decide(store: GraphStore, wanted: str, status: str, note: str | None = None) -> tuple[Proposal, Proposal]:
    """Record a reviewer's decision on a proposed merge, and its audit entry in the same
    transaction. Returns the proposal before and after."""
    if status not in DECISIONS:
        raise KGError(f"a decision is one of {', '.join(DECISIONS)}, not {status!r}")
    before = find_merge(store, wanted)
    after = replace(before, status=status, note=note if note is not None else before.note)
    summary = f"{status} (was {before.status}): {before.source} same as {before.target}"
    with store.transaction() as tx:
        tx.run(store.ontology.render(
            "MATCH (x:{actor} {{id: $source}})-[r:{rel} {{key: $key}}]->(y:{actor} {{id: $target}}) "
            "SET r.status = $status, r.note = $note",
            actor="Actor", rel="POSSIBLY_SAME_AS",
        ), {"source": before.source, "target": before.target, "key": before.key, "status": after.status,
            "note": after.note})
        record(store, audit_entry("review", before.id, note=summary + (f"; {note}" if note else "")), tx)
    return before, after
