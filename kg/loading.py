"""Loading files into a store: find them, validate them all, then write each in a transaction.

Every file is read and validated before the first write, so a mistake in the tenth file of a
folder leaves the store as it was, and no file is ever half-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from kg.audit import audit_entry
from kg.casefile import load_casefile
from kg.errors import InputError
from kg.records import ArticleBundle
from kg.stores.base import GraphStore, WriteSummary

CASEFILE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadReport:
    files: int
    written: WriteSummary


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Case files named directly, or found below the folders named, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in CASEFILE_SUFFIXES))
        elif path.exists():
            found.append(path)
        else:
            raise InputError("no such file or folder", where=str(path))
    if not found:
        raise InputError("no case files (*.yaml) found", where=", ".join(str(p) for p in paths))
    return found


def read_bundle(path: Path) -> ArticleBundle:
    if path.suffix.lower() in CASEFILE_SUFFIXES:
        return load_casefile(path)
    raise InputError("not a case file (.yaml or .yml)", where=str(path))


def load_paths(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    per_transaction: int = 1,
    on_progress: Callable[[Path], None] | None = None,
) -> LoadReport:
    """Load files; per_transaction articles are written together (all or none of them)."""
    if per_transaction < 1:
        raise InputError("articles per transaction must be at least 1")
    files = find_inputs(paths)
    bundles = [read_bundle(path) for path in files]
    for bundle in bundles:
        bundle.check(store.ontology)
    written = WriteSummary()
    for start in range(0, len(bundles), per_transaction):
        group = bundles[start:start + per_transaction]
        entry = audit_entry(
            "load",
            ", ".join(b.origin for b in group),
            hashes=[b.article.props["sha256"] for b in group],
        )
        written = written + store.write_bundles(group, extra=[entry])
        if on_progress:
            for path in files[start:start + per_transaction]:
                on_progress(path)
    return LoadReport(files=len(files), written=written)
