"""The ontology is the single source of truth: everything derived from it agrees with it."""

from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import SH

from kg.casefile import casefile_schema
from kg.ontology import KG, load_ontology
from kg.resources import resource_path
from kg.stores.ladybug import schema_statements


def test_every_node_class_has_an_id_and_every_relationship_a_key():
    ontology = load_ontology()
    assert set(ontology.content_nodes) == {"Actor", "Article", "Contradiction", "Event", "Place", "Statement", "Topic"}
    assert set(ontology.nodes) - set(ontology.content_nodes) == {"AuditEntry", "NameKey"}
    assert all("id" in t.columns for t in ontology.nodes.values())
    assert all("key" in t.columns for t in ontology.relationships.values())


def test_shapes_vocabularies_match_the_ontology():
    ontology = load_ontology()
    shapes = Graph().parse(resource_path("ontology", "shapes.ttl"), format="turtle")
    checked = 0
    for prop_shape in shapes.subjects(SH["in"], None):
        path = shapes.value(prop_shape, SH.path)
        values = sorted(str(v) for v in Collection(shapes, shapes.value(prop_shape, SH["in"])))
        local = str(path).rsplit("#", 1)[-1]
        assert values == sorted(ontology.vocabulary(local)), local
        checked += 1
    assert checked >= 6


def test_embedded_schema_has_every_column_of_the_ontology():
    ontology = load_ontology()
    ddl = "\n".join(schema_statements(ontology))
    for table in [*ontology.nodes.values(), *ontology.relationships.values()]:
        for column in table.columns:
            assert f"{column} " in ddl


def test_case_file_vocabularies_exist_in_the_ontology():
    ontology = load_ontology()
    for section in casefile_schema().values():
        for spec in section.fields.values():
            for field in [spec, *spec.fields.values()]:
                if field.vocabulary and field.vocabulary != "actorRelation":
                    assert ontology.vocabulary(field.vocabulary)
    assert set(ontology.actor_relations) == {"member_of", "spokesperson_for", "family_of", "leader_of"}


def test_legend_covers_every_node_class_and_actor_subtype():
    ontology = load_ontology()
    names = {entry["name"] for entry in ontology.legend()}
    assert {"Person", "Organization", "GovernmentBody", "NGO", "MediaOutlet", "Statement", "Event"} <= names
    assert all(entry["colour"].startswith("#") for entry in ontology.legend())


def test_ontology_aligns_with_schema_org():
    graph = load_ontology().graph
    assert (KG.Statement, None, None) in graph
    subclasses = {str(o) for o in graph.objects(KG.Statement, None)}
    assert "https://schema.org/Claim" in subclasses
