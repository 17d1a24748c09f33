"""The audit log: who did what to the graph, when, with which articles.

Entries are AuditEntry nodes. A load's entry is written in the same transaction as the load,
so the log and the graph never disagree; an entry is created once and never updated.

The log is a hash chain: each entry carries the hash of its own fields (entry_hash) and the
entry_hash of the latest entry when it was written (previous_hash). Editing an entry, or
removing one that a later entry follows, breaks the chain, and `kg audit --verify` says where.
Writers on one Neo4j database at the same time may both follow the same entry (a fork); that
is counted, not an error (two writers starting an empty log at the same instant are the one
case reported as a restart). Entries written by a kg older than the chain have no entry_hash;
the first chained entry follows them, so they are covered from there on.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import secrets
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

from kg.records import NodeRecord
from kg.stores.base import GraphStore, QueryResult, Transaction

AUDIT_LOG = (
    "MATCH (e:AuditEntry) RETURN e.at AS at, e.user AS user, e.action AS action, e.subject AS subject, "
    "e.note AS note, e.hashes AS hashes ORDER BY at, e.id"
)
_ENTRIES = (
    "MATCH (e:AuditEntry) RETURN e.id AS id, e.action AS action, e.at AS at, e.user AS user, "
    "e.subject AS subject, e.note AS note, e.hashes AS hashes, e.previous_hash AS previous_hash, "
    "e.entry_hash AS entry_hash ORDER BY e.at, e.id"
)
_HEAD = _ENTRIES.replace("ORDER BY e.at, e.id", "ORDER BY e.at DESC, e.id DESC LIMIT 1")

# What an entry's hash covers: everything it says, and the entry it follows.
_CHAINED_FIELDS = ("id", "action", "at", "user", "subject", "note", "hashes", "previous_hash")


def current_user() -> str:
    configured = os.environ.get("KG_USER")
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def entry_hash(fields: Mapping[str, Any]) -> str:
    """sha256 of an entry's fields as canonical JSON (hashes sorted, absent fields null)."""
    values = {name: fields.get(name) for name in _CHAINED_FIELDS}
    values["hashes"] = sorted(values["hashes"] or [])
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def audit_entry(action: str, subject: str, *, hashes: Iterable[str] = (), note: str | None = None,
                previous_hash: str | None = None) -> NodeRecord:
    """A new entry following the entry whose hash is previous_hash (record() and AuditChain
    link it to the log's latest entry)."""
    at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    entry = NodeRecord("AuditEntry", f"audit:{at}:{secrets.token_hex(4)}", {
        "action": action,
        "at": at,
        "user": current_user(),
        "subject": subject,
        "hashes": sorted(set(hashes)),
        "note": note,
    })
    return linked(entry, previous_hash)


def linked(entry: NodeRecord, previous_hash: str | None) -> NodeRecord:
    """The entry following previous_hash, with its entry_hash."""
    props = {**entry.props, "previous_hash": previous_hash}
    props["entry_hash"] = entry_hash({"id": entry.id, **props})
    return replace(entry, props=props)


def head_hash(runner) -> str | None:
    """The hash of the log's latest entry (a store or a transaction reads it), or None."""
    rows = runner.run(_HEAD).records()
    if not rows:
        return None
    return rows[0]["entry_hash"] or entry_hash(rows[0])


class AuditChain:
    """Links the entries one writer makes in a row (a load's, one per transaction): the log's
    head is read once, then each entry follows the one before it."""

    def __init__(self, store: GraphStore) -> None:
        self._head = head_hash(store)

    def link(self, entry: NodeRecord) -> NodeRecord:
        entry = linked(entry, self._head)
        self._head = entry.props["entry_hash"]
        return entry


def record(store: GraphStore, entry: NodeRecord, tx: Transaction | None = None) -> None:
    """Write one entry following the log's latest entry, read in the same transaction: in tx,
    the transaction of the change it records (a review decision and its entry are written
    together or not at all), or on its own (for actions that change nothing else, such as an
    export)."""
    store.ontology.check_node(entry.label, entry.row(), where=entry.id)
    if tx is None:
        with store.transaction() as own:
            record(store, entry, own)
        return
    entry = linked(entry, head_hash(tx))
    columns = store.ontology.nodes["AuditEntry"].columns
    row = {name: None for name in columns}
    row.update(entry.row())
    store.write_nodes(tx, "AuditEntry", [row])


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    unchained: int  # written before kg kept the chain
    forks: int  # entries followed by more than one entry (concurrent writers)
    problems: list[tuple[str, str, str]]  # (at, entry id, what is wrong)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_log(store: GraphStore) -> ChainCheck:
    """Re-hash every entry and follow every link."""
    entries = store.run(_ENTRIES).records()
    known = {e["entry_hash"] or entry_hash(e) for e in entries}
    problems = []
    chain_began = False
    for entry in entries:
        where = (entry["at"] or "", entry["id"])
        if entry["entry_hash"] is None:
            if chain_began:
                problems.append((*where, "has no entry_hash, yet comes after the chain began: added by hand?"))
            continue
        chain_began = True
        if entry["entry_hash"] != entry_hash(entry):
            problems.append((*where, "was changed after it was written: its fields no longer hash to its entry_hash"))
        previous = entry["previous_hash"]
        if previous is not None and previous not in known:
            problems.append((*where, f"follows an entry that is missing or was rewritten ({previous[:16]}…)"))
        elif previous is None and entry is not entries[0]:
            problems.append((*where, "starts the chain again: it follows none of the entries before it"))
    followers = Counter(e["previous_hash"] for e in entries if e["previous_hash"])
    return ChainCheck(
        entries=len(entries),
        unchained=sum(1 for e in entries if e["entry_hash"] is None),
        forks=sum(1 for count in followers.values() if count > 1),
        problems=problems,
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def audit_log(store: GraphStore) -> QueryResult:
    return store.run(AUDIT_LOG)
