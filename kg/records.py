"""Typed records: what loaders produce and stores write.

A loader turns one article (case file or raw text) into an ArticleBundle of node and edge
records with deterministic ids; a store writes a bundle in one transaction. Records are
checked against the ontology before any of them is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from kg.errors import OntologyError
from kg.ontology import Ontology


@dataclass(frozen=True)
class NodeRecord:
    label: str
    id: str
    props: Mapping[str, Any]

    def row(self) -> dict[str, Any]:
        return {"id": self.id, **self.props}


@dataclass(frozen=True)
class EdgeRecord:
    type: str
    source_label: str
    source: str
    target_label: str
    target: str
    key: str
    props: Mapping[str, Any] = field(default_factory=dict)

    def row(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "key": self.key, **self.props}


@dataclass
class ArticleBundle:
    """Everything one article contributes to the graph. `origin` names where it came from."""

    origin: str
    article: NodeRecord
    nodes: list[NodeRecord] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)
    # From a case file: a person's judgement, so loaders refuse what they cannot place rather
    # than flag it for review as they do with extracted records.
    curated: bool = False
    _checked_against: Ontology | None = field(default=None, init=False, repr=False, compare=False)

    def all_nodes(self) -> list[NodeRecord]:
        return [self.article, *self.nodes]

    def __getstate__(self) -> dict[str, Any]:
        # A pickled bundle (to a worker process, to the load's spool) travels without the
        # ontology it was checked against.
        return {**self.__dict__, "_checked_against": None}

    def mark_checked(self, ontology: Ontology) -> None:
        """Record that the bundle passed check(ontology) before it was pickled."""
        self._checked_against = ontology

    def check(self, ontology: Ontology) -> None:
        """Raise OntologyError, naming the record, unless every record fits the ontology. A
        bundle that passed is not checked again (loads check before writing, stores on write)."""
        if self._checked_against is ontology:
            return
        for node in self.all_nodes():
            try:
                ontology.check_node(node.label, node.row(), where=None)
            except OntologyError as error:
                error.where = f"{self.origin}: {node.id}"
                raise
        for edge in self.edges:
            try:
                ontology.check_edge(edge.type, edge.source_label, edge.target_label,
                                    {"key": edge.key, **edge.props}, where=None)
            except OntologyError as error:
                error.where = f"{self.origin}: {edge.type} {edge.source} -> {edge.target}"
                raise
        self._checked_against = ontology
