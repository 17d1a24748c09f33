"""Writing detected contradictions, and the reviewer's decisions on them.

Detected contradictions are merged by id (``contradiction_id`` of the two statements, so the
same pair always has the same id, whichever side it is on). A stored contradiction is never
overwritten when it came from a case file (``produced_by`` starting ``casefile:``) or when a
reviewer has decided on it (status other than ``open``); an open one the detector made earlier
is refreshed only if its basis, score or explanation changed. Statements are rendered from the
ontology (labels pass its allowlist) and every value is a parameter.
"""

from __future__ import annotations

from typing import Any, Sequence

from kg.audit import audit_entry, record
from kg.errors import KGError
from kg.stores.base import GraphStore, QueryResult

PRODUCER_PREFIX = "rule:detector/"
CASEFILE_PREFIX = "casefile:"
REVIEW_STATUSES = ("open", "confirmed", "rejected")


def _refresh(store: GraphStore) -> str:
    # Guarded again in the query: a decision taken since the detector read the graph wins.
    return store.ontology.render(
        "UNWIND $rows AS row MATCH (c:{label} {{id: row.id}}) "
        "WHERE c.status = 'open' AND c.produced_by STARTS WITH $prefix "
        "SET c.basis = row.basis, c.explanation = row.explanation, c.score = row.score, "
        "c.produced_by = row.produced_by",
        label="Contradiction",
    )


def _sides(store: GraphStore) -> str:
    return store.ontology.render(
        "UNWIND $rows AS row MATCH (c:{label} {{id: row.source}}) MATCH (s:{statement} {{id: row.target}}) "
        "MERGE (c)-[r:{rel} {{key: row.key}}]->(s) "
        "ON CREATE SET r.side = row.side, r.produced_by = row.produced_by",
        label="Contradiction", statement="Statement", rel="INVOLVES",
    )


def _prune(store: GraphStore) -> str:
    # Guarded as _refresh is: a decision taken since the detector read the graph wins.
    return store.ontology.render(
        "UNWIND $ids AS cid MATCH (c:{label} {{id: cid}}) "
        "WHERE c.status = 'open' AND c.produced_by STARTS WITH $prefix DETACH DELETE c",
        label="Contradiction",
    )


def prune_detections(store: GraphStore, stale: Sequence[str]) -> None:
    """Remove open contradictions the detector recorded earlier and no longer finds (stale:
    their ids), in transactions of TRANSACTION_ROWS. Reviewed ones and those from case files
    are never removed."""
    for start in range(0, len(stale), TRANSACTION_ROWS):
        with store.transaction() as tx:
            for chunk in _chunks(list(stale[start:start + TRANSACTION_ROWS])):
                tx.run(_prune(store), {"ids": chunk, "prefix": PRODUCER_PREFIX})


def _drop_sides(store: GraphStore) -> str:
    return store.ontology.render(
        "UNWIND $ids AS cid MATCH (c:{label} {{id: cid}})-[r:{rel}]->(:{statement}) "
        "WHERE c.status = 'open' AND c.produced_by STARTS WITH $prefix DELETE r",
        label="Contradiction", statement="Statement", rel="INVOLVES",
    )


def write_detections(store: GraphStore, new: Sequence[Any], refresh: Sequence[Any], resided: Sequence[str]) -> None:
    """new and refresh: detected contradictions (kg.detect.Detected: id, basis, score,
    explanation, and the statements a and b). resided: ids of open detector contradictions
    whose sides changed (their INVOLVES are written anew).

    Written in transactions of TRANSACTION_ROWS contradictions, each with its sides, so that a
    contradiction is never stored without them: one transaction for all (400,000 contradictions
    and 800,000 sides at 100,000 articles) filled LadybugDB's 1 GB buffer pool. A run stopped
    between two transactions leaves whole contradictions, which the next run keeps."""
    moved = set(resided)
    columns = store.ontology.nodes["Contradiction"].columns
    for start in range(0, len(new), TRANSACTION_ROWS):
        part = new[start:start + TRANSACTION_ROWS]
        with store.transaction() as tx:
            created: set[str] = set()
            for chunk in _chunks([{**dict.fromkeys(columns), **_node_row(r), "status": "open"} for r in part]):
                created |= store.add_nodes(tx, "Contradiction", chunk)
            # The sides of a contradiction created just now cannot be stored yet (see create_edges).
            for chunk in _chunks(_side_rows([d for d in part if d.id in created])):
                store.create_edges(tx, "INVOLVES", "Contradiction", "Statement", chunk)
            for chunk in _chunks(_side_rows([d for d in part if d.id not in created])):
                tx.run(_sides(store), {"rows": chunk})
    for start in range(0, len(refresh), TRANSACTION_ROWS):
        part = refresh[start:start + TRANSACTION_ROWS]
        sides_anew = [d for d in part if d.id in moved]
        with store.transaction() as tx:
            for chunk in _chunks([_node_row(r) for r in part]):
                tx.run(_refresh(store), {"rows": chunk, "prefix": PRODUCER_PREFIX})
            for chunk in _chunks([d.id for d in sides_anew]):
                tx.run(_drop_sides(store), {"ids": chunk, "prefix": PRODUCER_PREFIX})
            for chunk in _chunks(_side_rows(sides_anew)):
                tx.run(_sides(store), {"rows": chunk})


TRANSACTION_ROWS = 20_000


def _side_rows(detected: Sequence[Any]) -> list[dict[str, Any]]:
    """INVOLVES rows (contradiction -> statement, keyed by side), as GraphStore.write_edges takes them."""
    return [{"source": d.id, "target": getattr(d, side), "key": side, "side": side,
             "produced_by": PRODUCER_PREFIX + d.basis}
            for d in detected for side in ("a", "b")]


BATCH = 5000  # rows per statement: large runs stay within the servers' memory for one query


def _chunks(rows: list) -> list[list]:
    return [rows[i:i + BATCH] for i in range(0, len(rows), BATCH)]


def _node_row(d: Any) -> dict[str, Any]:
    return {"id": d.id, "basis": d.basis, "explanation": d.explanation, "score": float(d.score),
            "produced_by": PRODUCER_PREFIX + d.basis}


# --- review ---------------------------------------------------------------------------------------------


def find_contradiction(store: GraphStore, contradiction_id: str) -> dict[str, Any]:
    """The stored contradiction with this id (the 'contradiction:' prefix may be left out)."""
    wanted = contradiction_id if contradiction_id.startswith("contradiction:") else f"contradiction:{contradiction_id}"
    rows = store.run(store.ontology.render(
        "MATCH (c:{label} {{id: $id}}) RETURN c.id AS id, c.status AS status, c.basis AS basis, "
        "c.note AS note, c.produced_by AS produced_by", label="Contradiction"), {"id": wanted}).records()
    if not rows:
        raise KGError(f"no contradiction with id {contradiction_id!r}; `kg contradictions list` shows them")
    return rows[0]


def set_status(store: GraphStore, contradiction_id: str, status: str, note: str | None = None) -> dict[str, Any]:
    """Record a reviewer's decision, and its audit entry in the same transaction: the entry is
    what tells a reload of the contradiction's case file that a reviewer decided
    (kg.stores.base.keep_reviews). Without a note, an earlier note is kept."""
    if status not in REVIEW_STATUSES:
        raise KGError(f"status must be one of {', '.join(REVIEW_STATUSES)}, not {status!r}")
    found = find_contradiction(store, contradiction_id)
    o = store.ontology
    if note is None:
        query = o.render("MATCH (c:{label} {{id: $id}}) SET c.status = $status", label="Contradiction")
        params = {"id": found["id"], "status": status}
    else:
        query = o.render("MATCH (c:{label} {{id: $id}}) SET c.status = $status, c.note = $note",
                         label="Contradiction")
        params = {"id": found["id"], "status": status, "note": note}
    with store.transaction() as tx:
        tx.run(query, params)
        record(store, audit_entry("review", found["id"], note=status + (f": {note}" if note else "")), tx)
    return {**found, "previous": found["status"], "status": status, "note": note if note is not None else found["note"]}


def list_contradictions(store: GraphStore, *, status: str = "", basis: str = "", produced_by: str = "") -> QueryResult:
    """Stored contradictions with both speakers, one row each, strongest first. One row per side
    is read and folded here (LadybugDB 0.22 drops rows from a two-sided join)."""
    query = store.ontology.render(
        "MATCH (c:{label})-[i:{rel}]->(s:{statement})<-[:{said}]-(p:{actor}) "
        "WHERE ($status = '' OR c.status = $status) AND ($basis = '' OR c.basis = $basis) "
        "AND ($producer = '' OR c.produced_by STARTS WITH $producer) "
        "RETURN c.id, c.status, c.basis, c.score, c.produced_by, c.note, c.explanation, i.side, p.name, s.text",
        label="Contradiction", rel="INVOLVES", statement="Statement", said="SAID", actor="Actor",
    )
    rows: dict[str, dict[str, Any]] = {}
    for cid, st, bas, score, producer, note, explanation, side, speaker, text in store.run(
            query, {"status": status, "basis": basis, "producer": produced_by}).rows:
        row = rows.setdefault(cid, {"id": cid, "status": st, "basis": bas, "score": score, "produced_by": producer,
                                    "speaker_a": None, "speaker_b": None, "quote_a": None, "quote_b": None,
                                    "note": note, "explanation": explanation})
        if side in ("a", "b") and (row[f"speaker_{side}"] is None or speaker < row[f"speaker_{side}"]):
            row[f"speaker_{side}"], row[f"quote_{side}"] = speaker, text
    ordered = sorted(rows.values(), key=lambda r: (-(r["score"] or 0.0), r["basis"] or "", r["id"]))
    columns = ["id", "status", "basis", "score", "produced_by", "speaker_a", "quote_a", "speaker_b", "quote_b",
               "note", "explanation"]
    return QueryResult(columns, [[r[c] for c in columns] for r in ordered])
