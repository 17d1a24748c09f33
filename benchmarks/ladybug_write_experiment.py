"""Experiment: why loading into the embedded store slows down as it grows, and what fixes it.

Loads the first N articles of a generated corpus into fresh LadybugDB stores, four ways:

  statement   the edge write statement of kg/stores/ladybug.py, either as it is
              ("comma": MATCH (s:A {id: row.source}), (t:B {id: row.target}) MERGE ...) or with
              the two endpoints matched by two MATCH clauses ("two-match": MATCH (s:A {id:
              row.source}) MATCH (t:B {id: row.target}) MERGE ...), which is what the Neo4j
              store already writes;
  per tx      articles per transaction (load_paths(per_transaction=...)), 1 (the default of
              `kg load`) or more.

The patched statement exists only inside this process (a monkeypatch of
LadybugStore.edge_write_statement); nothing in kg is changed. After each run the node and
relationship counts are printed, and the script checks that every variant wrote the same
graph (counts, and a digest of every node's and relationship's properties; audit entries,
which differ by time, are left out of the digest).

    PYTHONPATH=. python benchmarks/ladybug_write_experiment.py --articles 2000 --corpus /tmp/kg-bench/corpus-10000-seed1

Without --corpus a corpus of N articles (seed 1) is generated in a temporary folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import tempfile
import time
from pathlib import Path

from kg.loading import find_inputs, load_paths
from kg.stores.ladybug import LadybugStore

ORIGINAL = LadybugStore.edge_write_statement


def two_match(self, rel_type: str, source_label: str, target_label: str) -> str:
    """The same statement with the endpoints matched by two MATCH clauses."""
    statement = ORIGINAL(self, rel_type, source_label, target_label)
    head, sep, rest = statement.partition("), (t:")
    assert sep, statement
    return head + ") MATCH (t:" + rest


def digest(store: LadybugStore) -> str:
    """A digest of every node and relationship with its properties (audit entries left out)."""
    lines = []
    for label in store.ontology.nodes:
        if label.lower().startswith("audit"):
            continue
        query = store.ontology.render("MATCH (n:{label}) RETURN n ORDER BY n.id", label=label)
        for (node,) in store.run(query).rows:
            lines.append(json.dumps(node, sort_keys=True, default=str))
    for rel in store.ontology.relationships:
        query = store.ontology.render(
            "MATCH (a)-[r:{rel}]->(b) RETURN a.id, b.id, r ORDER BY a.id, b.id, r.key", rel=rel
        )
        for row in store.run(query).rows:
            lines.append(json.dumps(row, sort_keys=True, default=str))
    lines.sort()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def run(files: list[Path], statement: str, per_tx: int, workdir: Path) -> dict:
    LadybugStore.edge_write_statement = ORIGINAL if statement == "comma" else two_match
    directory = workdir / f"store-{statement}-{per_tx}"
    shutil.rmtree(directory, ignore_errors=True)
    times: list[float] = []
    with LadybugStore(directory) as store:
        original = store.write_bundles

        def timed(bundles, *args, **kwargs):
            start = time.perf_counter()
            try:
                return original(bundles, *args, **kwargs)
            finally:
                times.extend([(time.perf_counter() - start) / len(bundles)] * len(bundles))

        store.write_bundles = timed
        start = time.perf_counter()
        load_paths(store, files, per_transaction=per_tx)
        seconds = time.perf_counter() - start
        counts = store.counts()
        result_digest = digest(store)
    decile = max(1, len(times) // 10)
    LadybugStore.edge_write_statement = ORIGINAL
    return {
        "statement": statement, "per_transaction": per_tx, "articles": len(files),
        "seconds": round(seconds, 1), "write_seconds": round(sum(times), 1),
        "articles_per_s": round(len(files) / seconds, 1),
        "statements_per_s": round(counts.get("Statement", 0) / seconds, 1),
        "write_ms_first_decile": round(1000 * sum(times[:decile]) / decile, 1),
        "write_ms_last_decile": round(1000 * sum(times[-decile:]) / decile, 1),
        "counts": {k: v for k, v in counts.items() if v}, "digest": result_digest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--per-transaction", default="1,500", help="comma-separated, e.g. 1,500")
    parser.add_argument("--statements", default="comma,two-match")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-lb-experiment-"))
    corpus = args.corpus
    if corpus is None:
        from kg.generate import generate_corpus

        corpus = workdir / "corpus"
        if not (corpus / "corpus.json").exists():
            shutil.rmtree(corpus, ignore_errors=True)
            generate_corpus(corpus, args.articles, 1)
    files = find_inputs([corpus])[: args.articles]
    results = []
    for statement in args.statements.split(","):
        for per_tx in (int(k) for k in args.per_transaction.split(",")):
            result = run(files, statement, per_tx, workdir)
            results.append(result)
            print(json.dumps(result), flush=True)
    digests = {r["digest"] for r in results}
    print(f"same graph in every variant: {len(digests) == 1} ({', '.join(sorted(digests))})")


if __name__ == "__main__":
    main()
