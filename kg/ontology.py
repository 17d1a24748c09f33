"""The graph schema, derived from ontology/kg.ttl.

Nothing here declares a type or a property: node tables, relationship tables, columns and
vocabularies are all read from the OWL file (its header explains the conventions). Stores,
loaders, validators and visuals ask this module, so a change to the ontology reaches them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.errors import OntologyError
from kg.resources import resource_path

KG = Namespace("https://w3id.org/kg-news/ontology#")

# Dates are kept as ISO 8601 text in both stores: they sort correctly, allow the fuzzy
# precisions reports use ("2017", "2018-07"), and compare the same way in every dialect.
_DATATYPES = {
    XSD.string: "string",
    XSD.date: "date",
    XSD.integer: "integer",
    XSD.boolean: "boolean",
    XSD.double: "double",
}

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


@dataclass(frozen=True)
class Column:
    name: str
    datatype: str  # string | date | integer | boolean | double
    many: bool
    iri: URIRef
    vocabulary: tuple[str, ...] | None = None
    comment: str = ""

    def check(self, value: Any, where: str | None) -> None:
        """Raise OntologyError unless value fits this column."""
        if value is None:
            return
        if self.many:
            if not isinstance(value, (list, tuple)):
                raise OntologyError(f"{self.name} takes a list, got {type(value).__name__}", where=where)
            for item in value:
                self._check_one(item, where)
        else:
            self._check_one(value, where)

    def _check_one(self, item: Any, where: str | None) -> None:
        # type() first: loads check millions of values, and nearly all are plain str.
        if not (type(item) is str and self.datatype in ("string", "date")) and not _fits(self.datatype, item):
            raise OntologyError(f"{self.name} takes {self.datatype} values, got {item!r}", where=where)
        if self.vocabulary is not None and item not in self.vocabulary:
            raise OntologyError(
                f"{self.name} must be one of {', '.join(self.vocabulary)}; got {item!r}", where=where
            )


def _fits(datatype: str, value: Any) -> bool:
    if datatype in ("string", "date"):
        return isinstance(value, str)
    if datatype == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if datatype == "boolean":
        return isinstance(value, bool)
    if datatype == "double":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return False


@dataclass(frozen=True)
class NodeTable:
    label: str
    iri: URIRef
    columns: Mapping[str, Column]
    colour: str
    shape: str
    comment: str = ""
    operational: bool = False


@dataclass(frozen=True)
class RelTable:
    type: str
    iri: URIRef
    pairs: tuple[tuple[str, str], ...]  # (source label, target label)
    columns: Mapping[str, Column]
    actor_relation: bool
    comment: str = ""

    @property
    def relation_name(self) -> str:
        """The name a case file uses for an actor relation (member_of for MEMBER_OF)."""
        return self.type.lower()


@dataclass(frozen=True)
class Subtype:
    """A subclass of a node class, stored as a value of its type column (Person for Actor)."""

    name: str
    label: str
    parent: str
    colour: str
    shape: str


@dataclass(frozen=True)
class Ontology:
    nodes: Mapping[str, NodeTable]
    relationships: Mapping[str, RelTable]
    vocabularies: Mapping[str, tuple[str, ...]]  # property local name -> allowed values
    subtypes: tuple[Subtype, ...]
    graph: Graph = field(repr=False, compare=False)

    # --- allowlists: the only way a label or type reaches a Cypher text ------------------

    def render(self, template: str, **identifiers: str) -> str:
        """Fill a Cypher template's {placeholders} with labels, relationship types or property
        names, each checked against the ontology. Values never go through here: they are
        passed as parameters."""
        known = set(self.nodes) | set(self.relationships) | {
            c for t in [*self.nodes.values(), *self.relationships.values()] for c in t.columns
        }
        for name, value in identifiers.items():
            if value not in known or not _IDENTIFIER.match(value):
                raise OntologyError(f"{name} {value!r} is not declared in the ontology")
        return template.format(**identifiers)

    # --- checks on records -------------------------------------------------------------------

    def check_node(self, label: str, props: Mapping[str, Any], where: str | None) -> None:
        table = self.nodes.get(label)
        if table is None:
            raise OntologyError(f"unknown node label {label!r}", where=where)
        for key, value in props.items():
            column = table.columns.get(key)
            if column is None:
                raise OntologyError(f"{label} has no property {key!r}", where=where)
            column.check(value, where)

    def check_edge(
        self, rel_type: str, source_label: str, target_label: str, props: Mapping[str, Any], where: str | None
    ) -> None:
        table = self.relationships.get(rel_type)
        if table is None:
            raise OntologyError(f"unknown relationship type {rel_type!r}", where=where)
        if (source_label, target_label) not in table.pairs:
            raise OntologyError(
                f"{rel_type} does not go from {source_label} to {target_label}", where=where
            )
        for key, value in props.items():
            column = table.columns.get(key)
            if column is None:
                raise OntologyError(f"{rel_type} has no property {key!r}", where=where)
            column.check(value, where)

    def vocabulary(self, name: str) -> tuple[str, ...]:
        try:
            return self.vocabularies[name]
        except KeyError:
            raise OntologyError(f"the ontology declares no vocabulary {name!r}") from None

    @property
    def content_nodes(self) -> dict[str, NodeTable]:
        """The node tables holding what the reports say (not the audit log)."""
        return {label: table for label, table in self.nodes.items() if not table.operational}

    @property
    def actor_relations(self) -> dict[str, RelTable]:
        return {t.relation_name: t for t in self.relationships.values() if t.actor_relation}

    def legend(self) -> list[dict[str, str]]:
        """One entry per node class and actor subtype, with the colour and shape visuals use."""
        entries = [
            {"name": t.label, "label": t.label, "colour": t.colour, "shape": t.shape}
            for t in self.content_nodes.values()
            if t.label != "Actor"
        ]
        entries += [
            {"name": s.name, "label": s.label, "colour": s.colour, "shape": s.shape}
            for s in self.subtypes
        ]
        return entries


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _members(graph: Graph, node: Any) -> list[URIRef]:
    """The classes or properties a domain/range/annotation names, unfolding owl:unionOf."""
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return [URIRef(m) for m in Collection(graph, union)]
    return [URIRef(node)]


def _text(graph: Graph, subject: URIRef, predicate: URIRef, default: str = "") -> str:
    value = graph.value(subject, predicate)
    return str(value) if value is not None else default


@lru_cache(maxsize=None)
def load_ontology(path: Path | None = None) -> Ontology:
    path = path or resource_path("ontology", "kg.ttl")
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser types; all mean the same to the user
        raise OntologyError(f"cannot read the ontology: {exc}", where=str(path)) from exc

    node_classes = {
        URIRef(cls): str(label) for cls, label in graph.subject_objects(KG.nodeLabel)
    }

    vocabularies: dict[str, tuple[str, ...]] = {}
    subtypes: list[Subtype] = []

    def subclasses_of(parent: URIRef) -> list[URIRef]:
        found, frontier = [], [parent]
        while frontier:
            current = frontier.pop()
            for child in sorted(graph.subjects(RDFS.subClassOf, current)):
                if child not in found:
                    found.append(URIRef(child))
                    frontier.append(child)
        return found

    def vocabulary_of(prop: URIRef) -> tuple[str, ...] | None:
        vocab_class = graph.value(prop, KG.vocabulary)
        if vocab_class is not None:
            return tuple(
                str(graph.value(ind, RDFS.label))
                for ind in sorted(graph.subjects(RDF.type, vocab_class), key=str)
            )
        parent = graph.value(prop, KG.enumeratesSubclassesOf)
        if parent is not None:
            return tuple(_local(c) for c in subclasses_of(URIRef(parent)))
        return None

    def column_of(prop: URIRef) -> Column:
        range_ = graph.value(prop, RDFS.range)
        if range_ not in _DATATYPES:
            raise OntologyError(f"{_local(prop)} has an unsupported range {range_}", where=str(path))
        vocab = vocabulary_of(prop)
        if vocab is not None:
            vocabularies[_local(prop)] = vocab
        return Column(
            name=_text(graph, prop, KG.column) or _snake(_local(prop)),
            datatype=_DATATYPES[range_],
            many=(prop, RDF.type, OWL.FunctionalProperty) not in graph,
            iri=prop,
            vocabulary=vocab,
            comment=_text(graph, prop, RDFS.comment),
        )

    node_columns: dict[str, dict[str, Column]] = {label: {} for label in node_classes.values()}
    rel_columns: dict[URIRef, dict[str, Column]] = {}
    for prop in sorted(graph.subjects(RDF.type, OWL.DatatypeProperty), key=str):
        column = column_of(URIRef(prop))
        domain = graph.value(prop, RDFS.domain)
        if domain is not None:
            for cls in _members(graph, domain):
                if cls not in node_classes:
                    raise OntologyError(
                        f"{_local(prop)} has a domain that is not a node class: {_local(cls)}",
                        where=str(path),
                    )
                node_columns[node_classes[cls]][column.name] = column
        for rel in graph.objects(prop, KG.onRelationship):
            rel_columns.setdefault(URIRef(rel), {})[column.name] = column

    for label, columns in node_columns.items():
        if "id" not in columns:
            raise OntologyError(f"node class {label} has no id column", where=str(path))

    nodes = {
        label: NodeTable(
            label=label,
            iri=cls,
            columns=dict(sorted(node_columns[label].items(), key=lambda kv: kv[0] != "id")),
            colour=_text(graph, cls, KG.colour, "#999999"),
            shape=_text(graph, cls, KG.shape, "dot"),
            comment=_text(graph, cls, RDFS.comment),
            operational=graph.value(cls, KG.operational) == Literal(True),
        )
        for cls, label in sorted(node_classes.items(), key=lambda kv: kv[1])
    }

    for cls, label in node_classes.items():
        for sub in subclasses_of(cls):
            subtypes.append(
                Subtype(
                    name=_local(sub),
                    label=_text(graph, sub, RDFS.label, _local(sub)),
                    parent=label,
                    colour=_text(graph, sub, KG.colour, nodes[label].colour),
                    shape=_text(graph, sub, KG.shape, nodes[label].shape),
                )
            )

    relationships: dict[str, RelTable] = {}
    for prop, rel_type in sorted(graph.subject_objects(KG.relType), key=lambda kv: str(kv[1])):
        sources = _members(graph, graph.value(prop, RDFS.domain))
        targets = _members(graph, graph.value(prop, RDFS.range))
        pairs = []
        for source in sources:
            for target in targets:
                if source not in node_classes or target not in node_classes:
                    raise OntologyError(
                        f"{rel_type} connects a class that is not a node class", where=str(path)
                    )
                pairs.append((node_classes[source], node_classes[target]))
        columns = rel_columns.get(URIRef(prop), {})
        if "key" not in columns:
            raise OntologyError(f"relationship {rel_type} has no key property", where=str(path))
        relationships[str(rel_type)] = RelTable(
            type=str(rel_type),
            iri=URIRef(prop),
            pairs=tuple(pairs),
            columns=dict(sorted(columns.items())),
            actor_relation=graph.value(prop, KG.actorRelation) == Literal(True),
            comment=_text(graph, prop, RDFS.comment),
        )

    return Ontology(
        nodes=nodes,
        relationships=relationships,
        vocabularies=vocabularies,
        subtypes=tuple(subtypes),
        graph=graph,
    )
