"""The audit log: who did what to the graph, when, with which articles.

Entries are AuditEntry nodes. A load's entry is written in the same transaction as the load,
so the log and the graph never disagree; an entry is created once and never updated.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from kg.records import NodeRecord
from kg.stores.base import GraphStore, QueryResult

AUDIT_LOG = (
    "MATCH (e:AuditEntry) RETURN e.at AS at, e.user AS user, e.action AS action, e.subject AS subject, "
    "e.note AS note, e.hashes AS hashes ORDER BY at, e.id"
)


def current_user() -> str:
    configured = os.environ.get("KG_USER")
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def audit_entry(action: str, subject: str, *, hashes: Iterable[str] = (), note: str | None = None) -> NodeRecord:
    at = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    return NodeRecord("AuditEntry", f"audit:{at}:{secrets.token_hex(4)}", {
        "action": action,
        "at": at,
        "user": current_user(),
        "subject": subject,
        "hashes": sorted(set(hashes)),
        "note": note,
    })


def record(store: GraphStore, entry: NodeRecord) -> None:
    """Write one entry on its own (for actions that change nothing else, such as an export)."""
    store.ontology.check_node(entry.label, entry.row(), where=entry.id)
    row = {name: None for name in store.ontology.nodes["AuditEntry"].columns}
    row.update(entry.row())
    with store.transaction() as tx:
        tx.run(store.node_write_statement("AuditEntry"), {"rows": [row]})


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def audit_log(store: GraphStore) -> QueryResult:
    return store.run(AUDIT_LOG)
