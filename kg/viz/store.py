"""Reading the graph for the view: nodes and edges through Cypher both stores accept, and, for
a capped view, the choice of what to draw made by the database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection, Iterable, Mapping, Sequence

from kg.errors import KGError
from kg.ontology import Ontology
from kg.privacy import _CASCADE, left_out, protection, pseudonym_key
from kg.viz.common import MAX_NODES, _DISPLAY_COLUMNS, _EDGE_COLUMNS, _FALLBACK_COLUMNS, Key, _Edge, _Node
from kg.viz.view import NetworkView, Selection, _contradiction_pairs, build_view, check_output

if TYPE_CHECKING:
    from kg.stores.base import GraphStore


# --- reading the graph -----------------------------------------------------------------------------


def _read_nodes(store: Any, ontology: Ontology, ids: Mapping[str, Collection[str]] | None = None
                ) -> dict[tuple[str, str], _Node]:
    """Every content node, or (ids: label -> ids) only those."""
    nodes: dict[tuple[str, str], _Node] = {}
    for label, table in ontology.content_nodes.items():
        if ids is not None and not ids.get(label):
            continue
        wanted = _DISPLAY_COLUMNS.get(label, _FALLBACK_COLUMNS)
        columns = [c for c in wanted if c in table.columns and c != "id"]
        if ids is None:
            cypher = ontology.render("MATCH (n:{label}) RETURN n.id", label=label)
        else:  # one key lookup per id: `WHERE n.id IN $ids` compares every node with every id on LadybugDB
            cypher = ontology.render("UNWIND $ids AS node_id MATCH (n:{label} {{id: node_id}}) RETURN n.id",
                                     label=label)
        cypher += "".join(", " + ontology.render("n.{col}", col=c) for c in columns)
        cypher += " ORDER BY n.id"
        rows = store.run(cypher).rows if ids is None else store.run(cypher, {"ids": sorted(ids[label])}).rows
        for row in rows:
            node_id, values = row[0], row[1:]
            if node_id is None:
                continue
            nodes[(label, str(node_id))] = _Node(label, str(node_id), dict(zip(columns, values)))
    return nodes


def _protect(nodes: dict[Key, _Node], edges: list[_Edge], sensitive: Collection[str], out: Collection[str]
             ) -> tuple[dict[Key, _Node], list[_Edge]]:
    """The graph as its protections say: actors sensitive by case file, command or role are
    marked so, and what is left out (restricted items and what would give them away) goes."""
    for node in nodes.values():
        if node.label == "Actor":
            node.props["sensitive"] = node.id in sensitive
    if not out:
        return nodes, edges
    return ({k: n for k, n in nodes.items() if n.id not in out},
            [e for e in edges if e.source[1] not in out and e.target[1] not in out])


# Edges read around the nodes a capped view draws, for what their tooltips, dates and captions
# say (speakers, articles, contradictions), with the end they are found from.
_CONTEXT_EDGES = {("SAID", "target"), ("REPORTED_IN", "source"), ("INVOLVES", "target")}


def _read_edges(store: Any, ontology: Ontology, around: Mapping[str, Collection[str]] | None = None
                ) -> list[_Edge]:
    """Every edge, or (around: label -> ids) the edges among those nodes and the context edges
    (_CONTEXT_EDGES) reaching them."""
    edges: list[_Edge] = []
    for rel_type, table in ontology.relationships.items():
        columns = [c for c in _EDGE_COLUMNS if c in table.columns]
        for source, target in table.pairs:
            # Labelled endpoints: LadybugDB then scans one table pair instead of all of them.
            names = {"source": source, "rel": rel_type, "target": target}
            params: dict[str, Any] = {}
            if around is None:
                cypher = ontology.render("MATCH (s:{source})-[r:{rel}]->(t:{target})", **names)
            else:  # from the given ends, by key lookups (see _read_nodes)
                # The edges are an OPTIONAL MATCH from the looked-up ends: LadybugDB 0.22 plans a
                # MATCH of the whole pattern as a hash join over every edge of the type (947,653
                # REPORTED_IN for 1,146 statements at 100,000 articles, which filled its buffer
                # pool), and the optional one as reads of those ends' edges only.
                sources, targets = sorted(around.get(source, ())), sorted(around.get(target, ()))
                if (rel_type, "target") in _CONTEXT_EDGES and targets:
                    cypher = ontology.render("UNWIND $targets AS node_id MATCH (t:{target} {{id: node_id}}) "
                                             "OPTIONAL MATCH (s:{source})-[r:{rel}]->(t) WITH s, r, t "
                                             "WHERE s IS NOT NULL", **names)
                    params = {"targets": targets}
                elif (rel_type, "source") in _CONTEXT_EDGES and sources:
                    cypher = ontology.render("UNWIND $sources AS node_id MATCH (s:{source} {{id: node_id}}) "
                                             "OPTIONAL MATCH (s)-[r:{rel}]->(t:{target}) WITH s, r, t "
                                             "WHERE t IS NOT NULL", **names)
                    params = {"sources": sources}
                elif sources and targets:
                    cypher = ontology.render("UNWIND $sources AS node_id MATCH (s:{source} {{id: node_id}}) "
                                             "OPTIONAL MATCH (s)-[r:{rel}]->(t:{target}) WITH s, r, t "
                                             "WHERE t.id IN $targets", **names)
                    params = {"sources": sources, "targets": targets}
                else:
                    continue
            cypher += " RETURN s.id, t.id"
            cypher += "".join(", " + ontology.render("r.{col}", col=c) for c in columns)
            cypher += " ORDER BY s.id, t.id"
            for row in (store.run(cypher, params) if params else store.run(cypher)).rows:
                edges.append(_Edge(rel_type, (source, str(row[0])), (target, str(row[1])),
                                   dict(zip(columns, row[2:]))))
    return edges


# --- choosing a capped view in the store ---------------------------------------------------------------
# Without options that need the whole graph (the whole view, or only the contradictions), a
# view over the cap is chosen by the database: the strongest contradictions and then each
# label's most connected nodes, as ids; only those nodes, the edges among them and what their
# texts name are read. Python holds O(max_nodes).


def _left_out_in_store(store: Any, ontology: Ontology, restricted: Iterable[str]) -> set[str]:
    """kg.privacy.left_out, following each relationship of its cascade from the ids left out
    so far instead of reading every edge."""
    out = set(restricted)
    for rel_type, restricted_end in _CASCADE:
        if not out:
            break
        for source, target in ontology.relationships[rel_type].pairs:
            names = {"source": source, "rel": rel_type, "target": target}
            if restricted_end == "target":
                cypher = ontology.render("UNWIND $ids AS node_id "
                                         "MATCH (s:{source})-[r:{rel}]->(t:{target} {{id: node_id}})", **names)
            else:
                cypher = ontology.render("UNWIND $ids AS node_id "
                                         "MATCH (s:{source} {{id: node_id}})-[r:{rel}]->(t:{target})", **names)
            cypher += " RETURN s.id, t.id"
            for source_id, target_id in store.run(cypher, {"ids": sorted(out)}).rows:
                out.add(str(source_id if restricted_end == "target" else target_id))
    return out


def _drawn_as_node(ontology: Ontology, label: str) -> str:
    """A Cypher condition on n to add to a WHERE: that a node of this label is drawn as a node
    (a contradiction between two statements or more is drawn as an edge; see _Page.links)."""
    if label != "Contradiction":
        return ""
    return ontology.render(" AND COUNT {{ MATCH (n)-[:{rel}]->(:{target}) }} < 2", rel="INVOLVES", target="Statement")


def _degree(ontology: Ontology, label: str, labels: Collection[str]) -> str:
    """A Cypher expression: the edges of n (of this label) to drawn nodes."""
    terms = []
    for rel_type, table in ontology.relationships.items():
        for source, target in table.pairs:
            if source == label and target in labels:
                terms.append(ontology.render("COUNT {{ MATCH (n)-[:{rel}]->(:{target}) }}", rel=rel_type, target=target))
            if target == label and source in labels:
                terms.append(ontology.render("COUNT {{ MATCH (n)<-[:{rel}]-(:{source}) }}", rel=rel_type, source=source))
    return " + ".join(terms) or "0"


def _shown_contradiction(ontology: Ontology) -> str:
    """A Cypher condition on c: a contradiction drawn as an edge between its statements (two
    or more) and stepped through by the story (not rejected, not left out; $rejected, $out)."""
    return ontology.render("(c.status IS NULL OR c.status <> $rejected) AND NOT c.id IN $out AND "
                           "COUNT {{ MATCH (c)-[:{rel}]->(:{target}) }} >= 2", rel="INVOLVES", target="Statement")


def _view_queries(ontology: Ontology, *, include_articles: bool, contradictions_only: bool
                  ) -> list[tuple[str, str, str]]:
    """(label, a Cypher counting the view's nodes of that label, one ranking them by their
    degree in the view: n.id, degree, at most $limit); with parameters $out and $rejected."""
    if contradictions_only:  # the statements of the contradictions and who said them (_only_contradictions)
        shown = _shown_contradiction(ontology)
        names = {"contradiction": "Contradiction", "involves": "INVOLVES", "statement": "Statement",
                 "said": "SAID", "actor": "Actor"}
        statements = ontology.render("MATCH (c:{contradiction})-[:{involves}]->(n:{statement}) WHERE ", **names) + shown
        speakers = (ontology.render("MATCH (c:{contradiction})-[:{involves}]->(s:{statement})<-[:{said}]-(n:{actor}) "
                                    "WHERE ", **names) + shown)
        return [
            ("Statement", statements + " RETURN count(DISTINCT n)",
             statements + ontology.render(" WITH n, count(c) AS conflicts RETURN n.id, conflicts + "
                                          "COUNT {{ MATCH (n)<-[:{said}]-(:{actor}) }} AS degree", **names)
             + " ORDER BY degree DESC, n.id LIMIT $limit"),
            ("Actor", speakers + " RETURN count(DISTINCT n)",
             speakers + " WITH DISTINCT n, s RETURN n.id, count(s) AS degree ORDER BY degree DESC, n.id LIMIT $limit"),
        ]
    labels = [label for label in ontology.content_nodes if include_articles or label != "Article"]
    queries = []
    for label in labels:
        nodes = ontology.render("MATCH (n:{label}) WHERE NOT n.id IN $out", label=label) + _drawn_as_node(ontology, label)
        queries.append((label, nodes + " RETURN count(n)", nodes + " RETURN n.id, " + _degree(ontology, label, labels)
                        + " AS degree ORDER BY degree DESC, n.id LIMIT $limit"))
    return queries


def _contradiction_groups(store: Any, ontology: Ontology, out: set[str], page_size: int
                          ) -> Iterable[set[Key]]:
    """Each contradiction drawn as an edge (not rejected), in _strength's order: its
    statements and their speakers."""
    ranked = (ontology.render("MATCH (c:{label}) WHERE ", label="Contradiction") + _shown_contradiction(ontology)
              + " RETURN c.id ORDER BY coalesce(c.score, 0.0) DESC, "
                "CASE WHEN c.status = $confirmed THEN 0 ELSE 1 END, c.id SKIP $skip LIMIT $limit")
    statements = ontology.render("UNWIND $ids AS node_id MATCH (s:{source} {{id: node_id}})-[r:{rel}]->(t:{target}) "
                                 "RETURN s.id, t.id", source="Contradiction", rel="INVOLVES", target="Statement")
    speakers = ontology.render("UNWIND $ids AS node_id MATCH (s:{source})-[r:{rel}]->(t:{target} {{id: node_id}}) "
                               "RETURN t.id, s.id", source="Actor", rel="SAID", target="Statement")
    skip = 0
    while True:
        ids = [str(row[0]) for row in store.run(ranked, {"rejected": "rejected", "confirmed": "confirmed",
                                                         "out": sorted(out), "skip": skip, "limit": page_size}).rows]
        if not ids:
            return
        involved: dict[str, list[str]] = defaultdict(list)
        for contradiction, statement in store.run(statements, {"ids": ids}).rows:
            involved[str(contradiction)].append(str(statement))
        said: dict[str, list[str]] = defaultdict(list)
        for statement, speaker in store.run(speakers, {"ids": sorted({s for ss in involved.values() for s in ss})}).rows:
            said[str(statement)].append(str(speaker))
        for cid in ids:
            yield ({("Statement", s) for s in involved[cid]}
                   | {("Actor", a) for s in involved[cid] for a in said[s] if a not in out})
        skip += page_size


def _choose_in_store(store: Any, ontology: Ontology, *, include_articles: bool, contradictions_only: bool,
                     limit: int, out: set[str]) -> Selection | None:
    """The nodes of the whole view (or of the contradictions-only view) to draw, chosen by the
    database as _most_important chooses (the degree counts edges to left-out neighbours too);
    None when the view has no more than `limit` nodes."""
    queries = _view_queries(ontology, include_articles=include_articles, contradictions_only=contradictions_only)
    params = {"out": sorted(out), "rejected": "rejected"}
    total = sum(int(store.run(count, params).rows[0][0]) for _, count, _ in queries)
    if total <= limit:
        return None

    keep: set[Key] = set()
    for group in _contradiction_groups(store, ontology, out, limit):
        new = group - keep
        if len(keep) + len(new) > limit:
            break
        keep |= new
    room = limit - len(keep)
    candidates: list[tuple[int, str, str]] = []
    for label, _, ranked in queries if room else []:
        # The kept ones are skipped here, not in the query (a long `NOT IN` list is slow on LadybugDB).
        kept = sum(1 for k in keep if k[0] == label)
        candidates += [(-int(degree), label, str(node_id))
                       for node_id, degree in store.run(ranked, {**params, "limit": room + kept}).rows
                       if (label, str(node_id)) not in keep]
    keep.update((label, node_id) for _, label, node_id in sorted(candidates)[:room])
    return Selection(frozenset(keep), total)


class _NotLeftOut:
    """The keys of nodes not left out (for _contradiction_pairs)."""

    def __init__(self, out: Collection[str]) -> None:
        self.out = out

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and key[1] not in self.out


def _adjacent_in_store(store: Any, ontology: Ontology, keys: Collection[Key], labels: Collection[str],
                       out: Collection[str]) -> set[Key]:
    """The nodes one edge away from `keys` in the picture _Page.links draws: edges to nodes of
    the drawn labels, and a contradiction as edges between its statements (or, when it has
    fewer than two, as a node of its own)."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, node_id in sorted(keys):
        by_label[label].append(node_id)
    found: set[Key] = set()
    for rel_type, table in ontology.relationships.items():
        if rel_type == "INVOLVES":
            continue
        for source, target in table.pairs:
            names = {"source": source, "rel": rel_type, "target": target}
            if by_label.get(source) and target in labels:
                cypher = ontology.render("UNWIND $ids AS node_id MATCH (s:{source} {{id: node_id}})-[r:{rel}]->"
                                         "(t:{target}) RETURN t.id", **names)
                found.update((target, str(row[0])) for row in store.run(cypher, {"ids": by_label[source]}).rows)
            if by_label.get(target) and source in labels:
                cypher = ontology.render("UNWIND $ids AS node_id MATCH (s:{source})-[r:{rel}]->"
                                         "(t:{target} {{id: node_id}}) RETURN s.id", **names)
                found.update((source, str(row[0])) for row in store.run(cypher, {"ids": by_label[target]}).rows)
    names = {"source": "Contradiction", "rel": "INVOLVES", "target": "Statement"}
    contradictions = set(by_label.get("Contradiction", []))
    if by_label.get("Statement"):
        cypher = ontology.render("UNWIND $ids AS node_id MATCH (s:{source})-[r:{rel}]->(t:{target} {{id: node_id}}) "
                                 "RETURN s.id", **names)
        contradictions.update(str(row[0]) for row in store.run(cypher, {"ids": by_label["Statement"]}).rows)
    sides: dict[str, dict[str, list[Key]]] = defaultdict(lambda: defaultdict(list))
    cypher = ontology.render("UNWIND $ids AS node_id MATCH (s:{source} {{id: node_id}})-[r:{rel}]->(t:{target}) "
                             "RETURN s.id, t.id, r.side ORDER BY s.id, t.id", **names)
    for cid, statement, side in store.run(cypher, {"ids": sorted(contradictions - set(out))}).rows:
        sides[str(cid)][str(side or "")].append(("Statement", str(statement)))
    drawn = _NotLeftOut(out)
    for cid, by_side in sides.items():
        pairs = _contradiction_pairs(by_side, drawn)
        if pairs is None:  # drawn as a node, with an edge to each of its statements
            pairs = [(("Contradiction", cid), s) for ss in by_side.values() for s in ss if s in drawn]
        for x, y in pairs:
            if x in keys:
                found.add(y)
            if y in keys:
                found.add(x)
    return {k for k in found if k in drawn}


def _neighbourhood_in_store(store: Any, ontology: Ontology, start: Key, depth: int, *, include_articles: bool,
                            out: Collection[str]) -> set[Key]:
    """_neighbourhood, walked in the store one step at a time (articles reached, not gone through)."""
    labels = {label for label in ontology.content_nodes if include_articles or label != "Article"}
    seen = {start}
    frontier = {start}
    for _ in range(depth):
        frontier = {k for k in frontier if k[0] != "Article" or k == start}
        if not frontier:
            break
        frontier = _adjacent_in_store(store, ontology, frontier, labels, out) - seen
        seen |= frontier
    return seen


def _statement_counts_in_store(store: Any, ontology: Ontology, keys: Collection[Key], out: Collection[str]
                               ) -> dict[Key, int]:
    """_statement_counts of these nodes in the whole graph, counted by the database: a
    statement counts itself, anything else the statements said by or about it."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for label, node_id in sorted(keys):
        by_label[label].append(node_id)
    counts: dict[Key, int] = {}
    for label, ids in by_label.items():
        terms = []
        for rel_type in ("SAID", "ABOUT"):
            for source, target in ontology.relationships[rel_type].pairs:
                if source == label:
                    terms.append(ontology.render("COUNT {{ MATCH (n)-[:{rel}]->(m:{target}) WHERE NOT m.id IN $out }}",
                                                 rel=rel_type, target=target))
                if target == label:
                    terms.append(ontology.render("COUNT {{ MATCH (n)<-[:{rel}]-(m:{source}) WHERE NOT m.id IN $out }}",
                                                 rel=rel_type, source=source))
        if not terms:
            continue
        cypher = (ontology.render("UNWIND $ids AS node_id MATCH (n:{label} {{id: node_id}}) RETURN n.id, ", label=label)
                  + " + ".join(terms))
        for node_id, count in store.run(cypher, {"ids": ids, "out": sorted(out)}).rows:
            if count:
                counts[(label, str(node_id))] = 1 if label == "Statement" else int(count)
    return counts


def _read_chosen(store: Any, ontology: Ontology, keys: Collection[Key], sensitive: Collection[str]
                 ) -> tuple[dict[Key, _Node], list[_Edge]]:
    """The chosen nodes, the edges among them, and what their texts name: the speakers of
    their statements, the articles reporting them, the contradictions involving them, and
    every sensitive actor (whose names are blotted out of all text)."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for label, node_id in keys:
        by_label[label].add(node_id)
    edges = _read_edges(store, ontology, by_label)
    wanted = defaultdict(set, {label: set(ids) for label, ids in by_label.items()})
    for edge in edges:
        for label, node_id in (edge.source, edge.target):
            wanted[label].add(node_id)
    wanted["Actor"].update(sensitive)
    return _read_nodes(store, ontology, wanted), edges


def network_view(
    store: "GraphStore",
    *,
    title: str = "kg network",
    reveal: bool = False,
    include_articles: bool = False,
    focus: str | None = None,
    depth: int = 2,
    query: str | None = None,
    params: Mapping[str, Any] | None = None,
    types: Sequence[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    contradictions_only: bool = False,
    actors_only: bool = False,
    size: str = "degree",
    present: bool = False,
    theme: str = "light",
    include_restricted: bool = False,
    max_nodes: int = MAX_NODES,
) -> NetworkView:
    """Read the graph in `store` and make the view the options ask for.

    focus: an actor's id, name or alias (kg.queries.resolve_actor), drawn with everything within
    `depth` edges of it. query/params: a named query, whose rows' ids (or exact names) pick what
    is drawn. types: legend names (Person, Statement, Event, ...; Actor for every actor).
    date_from/date_to: ISO prefixes (2017, 2018-07) bounding the dates of statements and events.
    contradictions_only: the contradicting statements, their speakers and the contradictions.
    actors_only: statements collapsed into speaker-to-actor edges (denies, accuses, ...).
    size: node size by "degree" or by number of "statements". present/theme: how the page opens.
    Restricted items are left out unless include_restricted (kg.privacy.left_out).
    max_nodes: at most this many nodes are drawn (0: all), strongest contradictions first, then
    the most connected. Without query, types, dates or actors_only only what is drawn is read:
    the database chooses the nodes, or the focus's neighbourhood is walked in it; else the
    whole graph is read first."""
    ontology: Ontology = store.ontology
    focus_id = None
    if focus is not None:
        from kg.queries import resolve_actor

        focus_id = resolve_actor(store, focus)
    selected = None
    selected_by = ""
    if query is not None:
        from kg.queries import get_query

        result = get_query(query).run(store, dict(params or {}))
        selected = _query_values(result.rows)
        selected_by = f"query {query} ({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})"
    elif params:
        raise KGError("query parameters are given without a query")
    protected = protection(store)
    # Read only what is drawn: a neighbourhood walked in the store, or the nodes the database
    # chooses for a cap.
    walk = focus_id is not None and not contradictions_only
    chosen = None
    if not (query is not None or types or date_from or date_to or actors_only) and (
            walk or (focus_id is None and max_nodes > 0)):
        out = set() if include_restricted else _left_out_in_store(store, ontology, protected.restricted)
        if walk:
            around = _neighbourhood_in_store(store, ontology, ("Actor", str(focus_id)), depth,
                                             include_articles=include_articles, out=out)
            chosen = Selection(frozenset(around))
        else:
            chosen = _choose_in_store(store, ontology, include_articles=include_articles,
                                      contradictions_only=contradictions_only, limit=max_nodes, out=out)
        if chosen is not None and size == "statements":
            chosen = replace(chosen, statement_counts=_statement_counts_in_store(store, ontology, chosen.keys, out))
    if chosen is None:
        nodes, edges = _read_nodes(store, ontology), _read_edges(store, ontology)
        out = set() if include_restricted else left_out(protected.restricted,
                                                         ((e.type, e.source[1], e.target[1]) for e in edges))
    else:
        nodes, edges = _read_chosen(store, ontology, chosen.keys, protected.sensitive)
    nodes, edges = _protect(nodes, edges, protected.sensitive, out)
    return build_view(
        ontology,
        ((n.label, n.id, n.props) for n in nodes.values()),
        ((e.type, e.source, e.target, e.props) for e in edges),
        key=lambda: pseudonym_key(_store_directory(store)),
        title=title, reveal=reveal, include_articles=include_articles, focus_id=focus_id, depth=depth,
        selected=selected, selected_by=selected_by, types=types, date_from=date_from, date_to=date_to,
        contradictions_only=contradictions_only, actors_only=actors_only, size=size, present=present,
        theme=theme, max_nodes=max_nodes, chosen=chosen,
    )


def write_network_html(store: "GraphStore", output: Path, *, title: str = "kg network", reveal: bool = False,
                       include_articles: bool = False, **options: Any) -> dict[str, Any]:
    """Write the graph in `store` as one self-contained HTML page at `output`.

    Returns {"path": ..., "nodes": n, "edges": m}: the nodes and edges drawn on the page.
    Sensitive actors are pseudonymised unless reveal=True; articles (and the REPORTED_IN and
    MENTIONED_IN edges to them) are left out unless include_articles=True. Other keyword
    options narrow the view, cap it (max_nodes, MAX_NODES unless given) and set how the page
    opens: see network_view."""
    output = check_output(output)
    view = network_view(store, title=title, reveal=reveal, include_articles=include_articles, **options)
    return view.write_html(output)


def _store_directory(store: Any) -> Path | None:
    directory = getattr(store, "directory", None)
    return Path(directory) if directory is not None else None


def _query_values(rows: Iterable[Sequence[Any]]) -> set[str]:
    values: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, str):
            values.add(value)
        elif isinstance(value, (list, tuple)):
            for item in value:
                add(item)
        elif isinstance(value, Mapping):
            if isinstance(value.get("id"), str):
                values.add(value["id"])

    for row in rows:
        for value in row:
            add(value)
    return values
