"""`kg demo`: the Chechnya case end to end on a fresh embedded store."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

from kg import report
from kg.errors import KGError
from kg.loading import load_paths
from kg.resources import resource_path
from kg.stores import open_store
from kg.stores.base import GraphStore
from kg.stores.ladybug import DATABASE_FILE, LadybugStore
from kg.viz import write_network_html


def _fresh_store_dir(path: Path) -> Path:
    # Only ever remove a folder that holds a kg store (or nothing): never a user's other files.
    if path.exists():
        if any(path.iterdir()) and not (path / DATABASE_FILE).exists():
            raise KGError("exists and is not a kg store; choose another --out", where=str(path))
        shutil.rmtree(path)
    return path


def run_demo(out: Path, *, store_spec: str | None = None, reveal: bool = False,
             echo: Callable[[str], None] = print) -> dict:
    """Without store_spec, a fresh embedded store in out/store. With a server URI, the case is
    loaded into that server (idempotently: a team's graph is never wiped)."""
    case_dir = resource_path("examples", "chechnya")
    out.mkdir(parents=True, exist_ok=True)
    if store_spec:
        store: GraphStore = open_store(store_spec)
        where: object = store_spec
    else:
        where = _fresh_store_dir(out / "store")
        store = LadybugStore(where)
    with store:
        loaded = load_paths(store, [case_dir])
        echo(f"loaded {loaded.files} case file: {loaded.written.nodes} nodes, "
             f"{loaded.written.relationships} relationships")
        page = out / "network.html"
        write_network_html(store, page, title="Chechnya: denials and testimony (2018)", reveal=reveal)
        result = report.contradictions(store, reveal=reveal)
        report_path = out / "contradictions.md"
        report_path.write_text(
            report.render_markdown(result, title="Contradictions in the Chechnya case"), encoding="utf-8"
        )
    return {"store": where, "page": page, "report": report_path, "contradictions": len(result.rows)}
