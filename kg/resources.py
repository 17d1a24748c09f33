"""Where the declarative resources (ontology/, loaders/, queries/) are found.

In a source checkout they sit beside the package (with examples/); in an installed wheel they are shipped
inside it as kg/_resources/. KG_RESOURCES points at another directory holding all three,
for researchers who edit lexicons or queries without touching the installation.
"""

from __future__ import annotations

import os
from pathlib import Path

RESOURCE_KINDS = ("ontology", "loaders", "queries", "examples")

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_root() -> Path:
    override = os.environ.get("KG_RESOURCES")
    if override:
        return Path(override)
    shipped = _PACKAGE_DIR / "_resources"
    if shipped.is_dir():
        return shipped
    return _PACKAGE_DIR.parent


def resource_path(kind: str, *parts: str) -> Path:
    """Path of a resource, e.g. resource_path("ontology", "kg.ttl")."""
    if kind not in RESOURCE_KINDS:
        raise ValueError(f"unknown resource kind {kind!r}")
    return resource_root().joinpath(kind, *parts)
