"""The store interface both graph stores implement, and the write path they share.

A store runs Cypher and writes ArticleBundles. Writing one bundle is one transaction: the
actors in it are first matched against actors already stored (by name keys), then nodes and
relationships are merged in batches, one UNWIND statement per label or relationship type.
What a reviewer decided is kept: a proposed merge already stored, and the status and note
of a contradiction reviewed by command.
The statements are rendered from the ontology; labels and types pass its allowlist, and every
value travels as a parameter.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator, Mapping, Sequence

from kg.errors import KGError, WriteNotAllowedError
from kg.ontology import Ontology, load_ontology
from kg.identity import is_mixed_script, lookalike_key
from kg.records import ArticleBundle, EdgeRecord, NodeRecord


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]


@dataclass(frozen=True)
class WriteSummary:
    articles: int = 0
    nodes: int = 0
    relationships: int = 0

    def __add__(self, other: "WriteSummary") -> "WriteSummary":
        return WriteSummary(
            self.articles + other.articles, self.nodes + other.nodes, self.relationships + other.relationships
        )


class Transaction(ABC):
    @abstractmethod
    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult: ...


# Clauses that change the graph or the schema. Used to refuse writes where only reads are
# allowed; the stores also open read-only, so this is a clear message, not the only guard.
_WRITE_CLAUSE = re.compile(
    r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|ALTER|COPY|LOAD|INSTALL|ATTACH|IMPORT|EXPORT|FOREACH)\b",
    re.IGNORECASE,
)
_STRING_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)


def without_literals(cypher: str) -> str:
    """The query with string literals, quoted names and comments blanked, for keyword checks."""
    return _STRING_OR_COMMENT.sub(" ", cypher)


def refuse_writes(cypher: str) -> None:
    """Raise WriteNotAllowedError if the query has a write clause outside strings and comments."""
    match = _WRITE_CLAUSE.search(without_literals(cypher))
    if match:
        raise WriteNotAllowedError(
            f"this query writes ({match.group(1).upper()}); pass --write to allow it"
        )


# Actors are found by name through NameKey nodes (one per key, indexed by id): looking inside
# every actor's list of keys cost a scan of all actors per batch, quadratic over a large load.
_ACTOR_LOOKUP = (
    "UNWIND $keys AS key MATCH (k:NameKey {id: key}) MATCH (a:Actor {id: k.actor}) "
    "RETURN key, a.id AS id, a.name AS name, a.aliases AS aliases, a.name_keys AS name_keys, "
    "a.roles AS roles, a.sensitive AS sensitive, a.description AS description, "
    "a.actor_type AS actor_type, a.collective AS collective "
    "ORDER BY key"
)
_COUNT_NAME_KEYS = "MATCH (k:NameKey) RETURN count(k)"
_COUNT_ACTORS = "MATCH (a:Actor) RETURN count(a)"
_INDEX_NAME_KEYS = "MATCH (a:Actor) UNWIND a.name_keys AS key MERGE (k:NameKey {id: key}) SET k.actor = a.id"
# Each actor sought by its id: `WHERE x.id IN $ids` read every actor (on run T's 100k store, 350
# ids took 0.61 s that way and 0.016 s this way).
_PROPOSED_MERGES = (
    "UNWIND $ids AS wanted MATCH (x:Actor {id: wanted}) MATCH (x)-[r:POSSIBLY_SAME_AS]->(y:Actor) "
    "WHERE r.key = $key RETURN x.id, y.id"
)


def assignments_from_row(ontology: Ontology, variable: str, columns: Iterable[str], key: str) -> str:
    """`variable.col = row.col, ...` for every column but the key (names checked by render)."""
    return ", ".join(ontology.render(variable + ".{col} = row.{col}", col=column) for column in columns
                     if column != key)


class GraphStore(ABC):
    """A graph store: the embedded LadybugDB store or a Neo4j server."""

    dialect: str  # the name query files use for store-specific variants

    def __init__(self, ontology: Ontology | None = None) -> None:
        self.ontology = ontology or load_ontology()

    # --- what each store provides --------------------------------------------------------------

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create the tables, constraints and indexes the ontology implies, if missing."""

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction: committed when the block ends, rolled back if it raises."""

    @abstractmethod
    def run(self, cypher: str, params: Mapping[str, Any] | None = None, *, write: bool = False) -> QueryResult:
        """Run one query in its own transaction. Without write=True, writes are refused."""

    @abstractmethod
    def edge_write_statement(self, rel_type: str, source_label: str, target_label: str) -> str: ...

    @abstractmethod
    def close(self) -> None: ...

    @contextmanager
    def capped_cache(self, megabytes: int) -> Iterator[None]:
        """Within: the pages this process cached of what it read so far are let go, and it
        caches at most `megabytes` of what it reads (for long work that reads each page once,
        if at all); after, the cache is let go again and has its own size. A server store
        caches nothing in this process."""
        yield

    @abstractmethod
    def write_nodes(self, tx: Transaction, label: str, rows: list[dict[str, Any]]) -> set[str]:
        """Merge nodes by id (distinct ids); each row has every column of the label. Returns
        the ids of the nodes this created, where the store learns them on the way (else none):
        their relationships are new too (see create_edges)."""

    def add_nodes(self, tx: Transaction, label: str, rows: list[dict[str, Any]]) -> set[str]:
        """Create the nodes whose id is not stored yet and leave stored ones as they are (a
        reviewer's decision on one stays); each row has every column of the label. Returns the
        ids created, as write_nodes does."""
        statement = self.ontology.render("UNWIND $rows AS row MERGE (n:{label} {{id: row.id}})", label=label)
        assignments = assignments_from_row(self.ontology, "n", self.ontology.nodes[label].columns, "id")
        tx.run(statement + " ON CREATE SET " + assignments if assignments else statement, {"rows": rows})
        return set()

    def write_edges(self, tx: Transaction, rel_type: str, source_label: str, target_label: str,
                    rows: list[dict[str, Any]]) -> None:
        """Merge relationships by endpoints and key; each row has source, target and every
        column of the type."""
        tx.run(self.edge_write_statement(rel_type, source_label, target_label), {"rows": rows})

    def create_edges(self, tx: Transaction, rel_type: str, source_label: str, target_label: str,
                     rows: list[dict[str, Any]]) -> None:
        """Relationships that cannot be stored yet, because one of their ends was created in
        this transaction (distinct endpoints and keys). Merging them is always right; a store
        that gains by creating them without MERGE's look-up overrides this."""
        self.write_edges(tx, rel_type, source_label, target_label, rows)

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- shared behaviour ----------------------------------------------------------------------

    def check_read_only(self, cypher: str, write: bool) -> None:
        if not write:
            refuse_writes(cypher)

    def write_bundle(self, bundle: ArticleBundle) -> WriteSummary:
        """Write one article's records, all together or not at all."""
        return self.write_bundles([bundle])

    def write_bundles(self, bundles: Sequence[ArticleBundle], extra: Sequence[NodeRecord] = ()) -> WriteSummary:
        """Write several articles in one transaction: all of them or none. Larger groups mean
        fewer, larger batches, which is what bulk loads need. `extra` nodes (an audit entry)
        are written in the same transaction."""
        for bundle in bundles:
            bundle.check(self.ontology)
        with self.transaction() as tx:
            return self.write_group(tx, bundles, extra)

    def write_group(self, tx: Transaction, bundles: Sequence[ArticleBundle],
                    extra: Sequence[NodeRecord] = ()) -> WriteSummary:
        """Resolve the actors of the bundles against the store and each other, then write every
        node and relationship with one batched statement per label and relationship type."""
        nodes, edges, holders = resolve_actors(tx, bundles)
        nodes = keep_reviews(tx, nodes)
        name_keys = [NodeRecord("NameKey", key, {"actor": actor}) for key, actor in sorted(holders.items())]
        nodes += extra
        nodes += name_keys
        edges += _version_edges(tx, [b.article for b in bundles])
        nodes_by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node in nodes:
            nodes_by_label[node.label].append(self._full_row(node))
        created: set[tuple[str, str]] = set()
        for label in sorted(nodes_by_label):
            created.update((label, node_id) for node_id in self.write_nodes(tx, label, nodes_by_label[label]))

        # Per (new, type, source label, target label), the rows keyed as MERGE matches them, so
        # that a relationship named twice is created once. Stored ones are merged first.
        batches: dict[tuple[bool, str, str, str], dict[tuple[str, str, str], dict[str, Any]]] = defaultdict(dict)
        for edge in edges:
            columns = self.ontology.relationships[edge.type].columns
            row = {name: None for name in columns}
            row.update(edge.row())
            new = (edge.source_label, edge.source) in created or (edge.target_label, edge.target) in created
            batches[(new, edge.type, edge.source_label, edge.target_label)][(edge.source, edge.target, edge.key)] = row
        for (new, *shape), rows in sorted(batches.items(), key=lambda batch: batch[0]):
            (self.create_edges if new else self.write_edges)(tx, *shape, list(rows.values()))
        return WriteSummary(len(bundles), len(nodes) - len(extra) - len(name_keys), len(edges))

    def _full_row(self, node: NodeRecord) -> dict[str, Any]:
        row = {name: None for name in self.ontology.nodes[node.label].columns}
        row.update(node.row())
        return row

    def index_name_keys(self) -> None:
        """Give a store made before NameKey nodes existed one per key of each actor."""
        if int(self.run(_COUNT_NAME_KEYS).rows[0][0]) == 0 and int(self.run(_COUNT_ACTORS).rows[0][0]) > 0:
            with self.transaction() as tx:
                tx.run(_INDEX_NAME_KEYS)

    def counts(self) -> dict[str, int]:
        """Number of nodes per label and relationships per type (zero ones included). Audit
        entries are not part of the graph's content and are left out (see kg.audit)."""
        counts = {}
        for label in self.ontology.content_nodes:
            result = self.run(self.ontology.render("MATCH (n:{label}) RETURN count(n)", label=label))
            counts[label] = int(result.rows[0][0])
        for rel_type in self.ontology.relationships:
            result = self.run(self.ontology.render("MATCH ()-[r:{rel}]->() RETURN count(r)", rel=rel_type))
            counts[rel_type] = int(result.rows[0][0])
        return counts


def resolve_actors(tx: Transaction, bundles: Sequence[ArticleBundle]
                   ) -> tuple[list[NodeRecord], list[EdgeRecord], dict[str, str]]:
    """The nodes and relationships to write, with each actor mapped onto the stored actor (or
    the actor of an earlier bundle) that shares a name key, merging what each knows; and the
    holder of each name key of the written actors (for the NameKey index).

    Lists (aliases, roles, keys) are united and `sensitive` is never switched off by a later
    load; name, type and description stay as first stored. Merging two known actors is a
    judgement for a person, not for the loader: an actor of a case file that matches two
    stored actors, or two actors of one case file sharing a name, is an error; an extracted
    actor that matches two stays an actor of its own, with POSSIBLY_SAME_AS relationships to
    both for a reviewer (`kg merges`), and the keys it shares stay with their first holder.
    Nodes and relationships named twice are written once."""
    for bundle in (b for b in bundles if b.curated):
        seen_keys: dict[str, str] = {}
        for actor in (n for n in bundle.nodes if n.label == "Actor"):
            for key in actor.props["name_keys"]:
                other = seen_keys.setdefault(key, actor.id)
                if other != actor.id:
                    raise KGError(
                        f"two actors share the name {key!r}: {other} and {actor.id}", where=bundle.origin
                    )
    all_keys = sorted({k for b in bundles for n in b.nodes if n.label == "Actor" for k in n.props["name_keys"]})
    known: dict[str, dict[str, Any]] = {}  # actor id -> merged props, stored ones included
    holders: dict[str, str] = {}  # name key -> the actor it finds: as stored, then first come
    if all_keys:
        for record in tx.run(_ACTOR_LOOKUP, {"keys": all_keys}).records():
            holders[record.pop("key")] = record["id"]
            known[record["id"]] = record

    nodes: dict[tuple[str, str], NodeRecord] = {}
    edges: dict[tuple[str, str, str, str], EdgeRecord] = {}
    ambiguous: dict[tuple[str, str], EdgeRecord] = {}
    written_actors: set[str] = set()
    for bundle in bundles:
        renamed: dict[str, str] = {}
        for node in bundle.all_nodes():
            if node.label != "Actor":
                nodes[(node.label, node.id)] = node
                continue
            matches = sorted({holders[key] for key in node.props["name_keys"] if key in holders})
            if len(matches) > 1 and bundle.curated:
                raise KGError(
                    f"actor {node.props['name']!r} matches several stored actors ({', '.join(matches)}); "
                    "name it so that it matches one",
                    where=bundle.origin,
                )
            if len(matches) > 1:
                actor_id = node.id
                for other in (m for m in matches if m != actor_id):
                    ambiguous[(actor_id, other)] = EdgeRecord(
                        "POSSIBLY_SAME_AS", "Actor", actor_id, "Actor", other, key="shared-name",
                        props={"status": "open", "note": None, "produced_by": "rule:shared-name"},
                    )
            else:
                actor_id = matches[0] if matches else node.id
            merged = _merge_actor(known[actor_id], node.props) if actor_id in known else dict(node.props)
            known[actor_id] = {"id": actor_id, **merged}
            for key in merged["name_keys"]:
                holders.setdefault(key, actor_id)
            if actor_id != node.id:
                renamed[node.id] = actor_id
            written_actors.add(actor_id)

        def rename(node_id: str) -> str:
            return renamed.get(node_id, node_id)

        for edge in bundle.edges:
            if edge.source in renamed or edge.target in renamed:
                edge = replace(edge, source=rename(edge.source), target=rename(edge.target))
            edges[(edge.type, edge.source, edge.target, edge.key)] = edge

    actors = [
        NodeRecord("Actor", actor_id, {k: v for k, v in known[actor_id].items() if k != "id"})
        for actor_id in sorted(written_actors)
    ]
    lookalikes = _lookalike_edges(tx, actors)
    if ambiguous:
        # As with look-alikes, a proposal already stored keeps the reviewer's decision.
        proposed = {tuple(row) for row in tx.run(
            _PROPOSED_MERGES, {"ids": sorted({a for a, _ in ambiguous}), "key": "shared-name"}).rows}
        ambiguous = {pair: edge for pair, edge in ambiguous.items() if pair not in proposed}
    keys_written = {key for actor in actors for key in actor.props["name_keys"]}
    return ([*nodes.values(), *actors], [*edges.values(), *ambiguous.values(), *lookalikes],
            {key: holder for key, holder in holders.items() if key in keys_written})


# Contradictions of the group that are stored already, and which of those a reviewer decided on
# by command: a decision is an audit entry (action review, subject the contradiction's id; see
# kg.cli.contradictions). One equality per wanted id, as for articles below.
_STORED_CONTRADICTIONS = "UNWIND $ids AS wanted MATCH (c:Contradiction {id: wanted}) RETURN c.id, c.status, c.note"
_REVIEWED = (
    "UNWIND $ids AS wanted MATCH (e:AuditEntry) WHERE e.subject = wanted AND e.action = $action "
    "RETURN DISTINCT e.subject"
)
_REVIEW = "review"
_REVIEW_COLUMNS = ("status", "note")


def keep_reviews(tx: Transaction, nodes: list[NodeRecord]) -> list[NodeRecord]:
    """The nodes to write, with every stored contradiction that a reviewer has decided on by
    command (`kg contradictions confirm|reject`) keeping its stored status and note: loading
    its case file again updates what the file says of it (basis, explanation, ...), never the
    reviewer's judgement. Whether a reviewer decided is read from the audit log, as kg.privacy
    reads command marks, because the status alone cannot tell a case file's `confirmed` from a
    reviewer's; without a decision, the case file's status stands and a changed one is written."""
    ids = sorted({node.id for node in nodes if node.label == "Contradiction"})
    if not ids:
        return nodes
    stored = {cid: (status, note) for cid, status, note in tx.run(_STORED_CONTRADICTIONS, {"ids": ids}).rows}
    if not stored:
        return nodes
    reviewed = {cid for (cid,) in tx.run(_REVIEWED, {"ids": sorted(stored), "action": _REVIEW}).rows}
    return [
        replace(node, props={**node.props, **dict(zip(_REVIEW_COLUMNS, stored[node.id]))})
        if node.label == "Contradiction" and node.id in reviewed else node
        for node in nodes
    ]


# One equality per wanted origin, not `IN $list`: LadybugDB compares every row with every item of
# a list (3x slower here on a 10,000-article store). Neo4j seeks url and source_path by index
# (neo4j.INDEXED_COLUMNS); LadybugDB, with no index beside the primary key, still reads every
# article, measured at 0.025 s a group of 100 at 100,000 articles, too little to need an index node.
_ARTICLES_BY_ORIGIN = (
    "UNWIND $urls AS wanted MATCH (a:Article) WHERE a.url = wanted "
    "RETURN a.id AS id, a.url AS url, a.source_path AS source_path "
    "UNION "
    "UNWIND $paths AS wanted MATCH (a:Article) WHERE a.source_path = wanted "
    "RETURN a.id AS id, a.url AS url, a.source_path AS source_path"
)


def _version_edges(tx: Transaction, articles: list[NodeRecord]) -> list[EdgeRecord]:
    """PREVIOUS_VERSION edges from each article to stored articles with the same url (or, with
    no url, the same source file) but another text: a changed article never replaces the old."""
    urls = sorted({a.props["url"] for a in articles if a.props.get("url")})
    paths = sorted({a.props["source_path"] for a in articles if not a.props.get("url") and a.props.get("source_path")})
    if not urls and not paths:
        return []
    stored = sorted(tx.run(_ARTICLES_BY_ORIGIN, {"urls": urls, "paths": paths}).records(), key=lambda r: r["id"])
    edges = []
    for article in articles:
        url = article.props.get("url")
        for record in stored:
            same = record["url"] == url if url else (not record["url"] and record["source_path"] == article.props.get("source_path"))
            if same and record["id"] != article.id:
                edges.append(EdgeRecord("PREVIOUS_VERSION", "Article", article.id, "Article", record["id"], key=""))
    return edges


def _lookalike_edges(tx: Transaction, actors: list[NodeRecord]) -> list[EdgeRecord]:
    """POSSIBLY_SAME_AS edges from actors whose names mix scripts ("Kаdyrov" with a Cyrillic а)
    to the actors they imitate, for a reviewer to decide."""
    skeletons: dict[str, str] = {}
    for actor in actors:
        for name in [actor.props.get("name"), *(actor.props.get("aliases") or [])]:
            if name and is_mixed_script(name):
                skeletons[lookalike_key(name)] = actor.id
    if not skeletons:
        return []
    known = {key: actor.id for actor in actors for key in actor.props["name_keys"]}
    for record in tx.run(_ACTOR_LOOKUP, {"keys": sorted(skeletons)}).records():
        known.setdefault(record["key"], record["id"])
    # A proposal already stored is left as it is: a reviewer may have decided on it (kg merges).
    proposed = {tuple(row) for row in tx.run(_PROPOSED_MERGES, {"ids": sorted(set(skeletons.values())), "key": "lookalike"}).rows}
    edges = []
    for skeleton, actor_id in sorted(skeletons.items()):
        other = known.get(skeleton)
        if other and other != actor_id and (actor_id, other) not in proposed:
            edges.append(EdgeRecord(
                "POSSIBLY_SAME_AS", "Actor", actor_id, "Actor", other, key="lookalike",
                props={"status": "open", "note": None, "produced_by": "rule:lookalike"},
            ))
    return edges


def _merge_actor(existing: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    name = existing.get("name") or new["name"]
    aliases = _union(existing.get("aliases"), [new["name"]], new.get("aliases"))

    def first(key: str) -> Any:
        return existing[key] if existing.get(key) is not None else new.get(key)

    return {
        **new,
        "name": name,
        "aliases": [a for a in aliases if a != name],
        "name_keys": sorted(set(existing.get("name_keys") or []) | set(new["name_keys"])),
        "roles": _union(existing.get("roles"), new.get("roles")),
        "sensitive": bool(existing.get("sensitive")) or bool(new.get("sensitive")),
        "actor_type": first("actor_type"),
        "collective": first("collective"),
        "description": first("description"),
    }


def _union(*lists: Sequence[str] | None) -> list[str]:
    """The values of the lists in first-seen order, each once (linear: an actor named in many
    articles gathers many aliases, and this runs for every group that mentions it)."""
    return list(dict.fromkeys(value for values in lists for value in values or []))
