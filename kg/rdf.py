"""The graph as RDF (for export and SHACL validation), and as a networkx graph (for GraphML).

Node records become resources typed by their ontology class (an Actor by its subtype, e.g.
kg:Person), columns become datatype properties and relationships object properties, all with
the IRIs the ontology declares. Relationship properties (evidence spans, roles) have no place
in plain RDF triples; they are kept in GraphML and in the stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import ShapeViolationError
from kg.ontology import KG, Ontology, load_ontology
from kg.privacy import Redactor, left_out, mask, protection
from kg.records import ArticleBundle
from kg.resources import resource_path
from kg.stores.base import GraphStore

ID_BASE = "https://w3id.org/kg-news/id/"
_XSD = {"string": None, "date": None, "integer": XSD.integer, "boolean": XSD.boolean, "double": XSD.double}
EXPORT_FORMATS = ("turtle", "jsonld", "graphml")


@dataclass(frozen=True)
class GraphNode:
    label: str
    id: str
    props: dict[str, Any]


@dataclass(frozen=True)
class GraphEdge:
    type: str
    source: str
    target: str
    props: dict[str, Any]


def node_iri(node_id: str) -> URIRef:
    return URIRef(ID_BASE + quote(node_id, safe=":-_"))


def _date_literal(value: str) -> Literal:
    # Fuzzy dates keep their precision: 2017 is a gYear, 2018-07 a gYearMonth.
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


def to_rdf(nodes: Iterable[GraphNode], edges: Iterable[GraphEdge], ontology: Ontology | None = None) -> Graph:
    ontology = ontology or load_ontology()
    graph = Graph()
    graph.bind("kg", KG)
    for node in nodes:
        table = ontology.nodes[node.label]
        subject = node_iri(node.id)
        cls = KG[node.props["actor_type"]] if node.label == "Actor" and node.props.get("actor_type") else table.iri
        graph.add((subject, RDF.type, cls))
        for name, value in node.props.items():
            column = table.columns.get(name)
            if column is None or value is None or name == "name_keys":
                continue
            for item in value if column.many else [value]:
                if column.datatype == "date":
                    literal = _date_literal(item)
                else:
                    literal = Literal(item, datatype=_XSD[column.datatype])
                graph.add((subject, column.iri, literal))
        display = node.props.get("name") or node.props.get("label") or node.props.get("title")
        if display:
            graph.add((subject, RDFS.label, Literal(display)))
    for edge in edges:
        graph.add((node_iri(edge.source), ontology.relationships[edge.type].iri, node_iri(edge.target)))
    return graph


def bundle_graph(bundle: ArticleBundle) -> tuple[list[GraphNode], list[GraphEdge]]:
    nodes = [GraphNode(n.label, n.id, {"id": n.id, **n.props}) for n in bundle.all_nodes()]
    edges = [GraphEdge(e.type, e.source, e.target, {"key": e.key, **e.props}) for e in bundle.edges]
    return nodes, edges


def store_graph(store: GraphStore, *, reveal: bool = False,
                include_restricted: bool = False) -> tuple[list[GraphNode], list[GraphEdge]]:
    """Every node and relationship of the store, with sensitive actors pseudonymised (names,
    aliases and ids) and, unless include_restricted, restricted items left out with what would
    give them away (kg.privacy.left_out); their words are masked in the articles' texts."""
    ontology = store.ontology
    protected = protection(store)
    redactor = Redactor.for_store(store, reveal=reveal, protected=protected)
    raw_nodes: list[GraphNode] = []
    for label in ontology.content_nodes:
        for (props,) in store.run(ontology.render("MATCH (n:{label}) RETURN n ORDER BY n.id", label=label)).rows:
            raw_nodes.append(GraphNode(label, props["id"], {k: v for k, v in props.items() if not k.startswith("_")}))
    raw_edges: list[GraphEdge] = []
    for rel in ontology.relationships.values():
        for source_label, target_label in rel.pairs:
            cypher = ontology.render(
                "MATCH (s:{source})-[r:{rel}]->(t:{target}) RETURN s.id, t.id, r ORDER BY s.id, t.id, r.key",
                source=source_label, rel=rel.type, target=target_label,
            )
            for source, target, props in store.run(cypher).rows:
                raw_edges.append(GraphEdge(rel.type, source, target, {k: v for k, v in props.items() if not k.startswith("_")}))
    if not include_restricted:
        raw_nodes, raw_edges = without_restricted(raw_nodes, raw_edges, set(protected.restricted))

    nodes = []
    for node in raw_nodes:
        props = dict(node.props)
        if node.label == "Actor":
            props["sensitive"] = node.id in protected.sensitive
            if props["sensitive"] and not reveal:
                props.update(name=redactor.text(node.id), aliases=[], name_keys=[], description=None)
        node_id = redactor.identifier(node.id)
        nodes.append(GraphNode(node.label, node_id, {**redactor.text(props), "id": node_id}))
    edges = [GraphEdge(e.type, redactor.identifier(e.source), redactor.identifier(e.target), redactor.text(e.props))
             for e in raw_edges]
    return nodes, edges


def without_restricted(nodes: list[GraphNode], edges: list[GraphEdge],
                       restricted: set[str]) -> tuple[list[GraphNode], list[GraphEdge]]:
    """The graph less the restricted items, what would give them away (kg.privacy.left_out),
    and every relationship touching them; the words of left-out statements and events are
    masked in the texts of the articles that stay."""
    out = left_out(restricted, ((e.type, e.source, e.target) for e in edges))
    if not out:
        return nodes, edges
    spans: dict[str, list[tuple[int, int]]] = {}
    for node in nodes:
        props = node.props
        if node.id in out and props.get("article_sha256") and props.get("start_offset") is not None:
            spans.setdefault(props["article_sha256"], []).append((props["start_offset"], props["end_offset"]))
    kept = []
    for node in nodes:
        if node.id in out:
            continue
        if node.label == "Article" and node.props.get("sha256") in spans:
            node = GraphNode(node.label, node.id, {**node.props, "text": mask(node.props["text"], spans[node.props["sha256"]])})
        kept.append(node)
    return kept, [e for e in edges if e.source not in out and e.target not in out]


def to_networkx(nodes: Iterable[GraphNode], edges: Iterable[GraphEdge]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()

    def flat(props: dict[str, Any]) -> dict[str, Any]:
        # GraphML holds scalars only.
        return {k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in props.items() if v is not None}

    for node in nodes:
        # "kg_label" because Event and Topic have a "label" column of their own.
        graph.add_node(node.id, kg_label=node.label, **flat({k: v for k, v in node.props.items() if k != "id"}))
    for edge in edges:
        props = {("rel_key" if k == "key" else k): v for k, v in edge.props.items()}
        graph.add_edge(edge.source, edge.target, key=f"{edge.type}:{edge.props.get('key', '')}",
                       type=edge.type, **flat(props))
    return graph


def export_store(store: GraphStore, output: Path, fmt: str, *, reveal: bool = False,
                 include_restricted: bool = False) -> dict[str, int]:
    nodes, edges = store_graph(store, reveal=reveal, include_restricted=include_restricted)
    if fmt == "graphml":
        nx.write_graphml(to_networkx(nodes, edges), output)
    else:
        to_rdf(nodes, edges, store.ontology).serialize(destination=str(output), format="json-ld" if fmt == "jsonld" else "turtle")
    counts = store.counts()
    stored = sum(counts[label] for label in store.ontology.content_nodes)
    return {"nodes": len(nodes), "relationships": len(edges), "left_out": stored - len(nodes)}


def check_shapes(bundle: ArticleBundle, where: str) -> None:
    """Validate a bundle's RDF against ontology/shapes.ttl; the first violation is raised."""
    from pyshacl import validate

    nodes, edges = bundle_graph(bundle)
    data = to_rdf(nodes, edges)
    shapes = Graph().parse(resource_path("ontology", "shapes.ttl"), format="turtle")
    conforms, report, _ = validate(data, shacl_graph=shapes, ont_graph=load_ontology().graph, inference="rdfs")
    if conforms:
        return
    from rdflib.namespace import SH

    messages = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        messages.append(f"{str(focus).removeprefix(ID_BASE)}: {message}")
    messages.sort()
    raise ShapeViolationError(f"{len(messages)} shape violation(s); first: {messages[0]}", where=where)
