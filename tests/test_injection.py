"""Values reach Cypher only as parameters; labels and types only through the ontology's allowlist."""

import re
from pathlib import Path

import pytest

from kg.errors import OntologyError
from kg.ontology import load_ontology

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
CYPHER_WORDS = re.compile(r"\b(MATCH|MERGE|CREATE|DELETE|SET|UNWIND|RETURN)\b")
STRING_BUILDING = re.compile(r"""(\bf["']|\.format\(|%\s*\(|["']\s*%\s*\w)""")


def test_no_cypher_is_built_by_string_formatting():
    """A line that holds Cypher keywords and an f-string, .format( or % formatting is refused;
    the one sanctioned place is Ontology.render, which checks every identifier it fills in."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if CYPHER_WORDS.search(code) and STRING_BUILDING.search(code):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize("identifier", ["Actor) DETACH DELETE (n", "Actor`", "NoSuchLabel", "a b"])
def test_render_refuses_anything_the_ontology_does_not_declare(identifier):
    with pytest.raises(OntologyError):
        load_ontology().render("MATCH (n:{label}) RETURN n", label=identifier)
