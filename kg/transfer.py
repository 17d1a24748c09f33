"""Copying a whole graph between stores: `kg push` (embedded to server) and `kg pull` (back).

An investigator works offline on the embedded store and publishes to the team's Neo4j server,
or takes a copy of the team graph away. Nodes and relationships are merged by id and key, so
copying again adds nothing and an interrupted copy is finished by running it again. Each chunk
is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kg.stores.base import GraphStore, Transaction

CHUNK = 5000


@dataclass(frozen=True)
class CopyReport:
    nodes: int
    relationships: int


def copy_graph(source: GraphStore, target: GraphStore, *, chunk: int = CHUNK,
               on_progress: Callable[[str, int], None] | None = None) -> CopyReport:
    ontology = source.ontology
    nodes = relationships = 0
    for label, table in ontology.nodes.items():
        columns = list(table.columns)
        rows = source.run(ontology.render("MATCH (n:{label}) RETURN n ORDER BY n.id", label=label)).rows
        records = [{name: props.get(name) for name in columns} for (props,) in rows]
        nodes += _write_chunks(target, lambda tx, rows, label=label: target.write_nodes(tx, label, rows),
                               records, chunk)
        if on_progress:
            on_progress(label, len(records))
    for rel in ontology.relationships.values():
        columns = list(rel.columns)
        for source_label, target_label in rel.pairs:
            cypher = ontology.render(
                "MATCH (s:{source})-[r:{rel}]->(t:{target}) RETURN s.id, t.id, r ORDER BY s.id, t.id, r.key",
                source=source_label, rel=rel.type, target=target_label,
            )
            records = [
                {"source": s, "target": t, **{name: props.get(name) for name in columns}}
                for s, t, props in source.run(cypher).rows
            ]
            relationships += _write_chunks(
                target,
                lambda tx, rows, shape=(rel.type, source_label, target_label): target.write_edges(tx, *shape, rows),
                records, chunk,
            )
            if on_progress:
                on_progress(rel.type, len(records))
    return CopyReport(nodes, relationships)


def _write_chunks(target: GraphStore, write: Callable[[Transaction, list[dict]], None],
                  records: list[dict], chunk: int) -> int:
    for start in range(0, len(records), chunk):
        with target.transaction() as tx:
            write(tx, records[start:start + chunk])
    return len(records)
