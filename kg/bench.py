"""Benchmarks: how each stage of kg scales with the size of the corpus.

For each corpus size the benchmark generates (or reuses) a synthetic corpus (`kg.generate`),
then runs and times each stage:

  generate          writing the corpus (articles/s); reused from the work folder when cached
  extract           the rule-based extractor on every article text (articles/s), when
                    `from kg.extract import extract` works; otherwise a record says why not
  parse             reading and validating every case file, nothing written (articles/s)
  load              `kg load` into a fresh embedded store: the `load_paths` path with
                    --per-transaction articles per transaction (500 by default, as `kg load`;
                    several values load once each), in statements/s, with the time spent
                    reading case files and writing them reported apart, and the write time
                    per article in the first and last tenth of the load (growth as the store
                    fills shows as a last decile above the first). Left out of --stages, the
                    queries, report and viz read the store an earlier run loaded, if it holds
                    the whole corpus
  load.batched      the same on Neo4j (--neo4j): the normal `write_bundles` path
  load.per_row      Neo4j, the first --per-row-sample articles of the same corpus written one
                    row per transaction (the normal write path, with each batched statement
                    split into one statement and one transaction per row); `ratio` is the
                    batched/per-row throughput, both measured on that sample in this stage
  query.NAME        each named query, median of --repeat runs after one warm-up run
  contradictions    the contradictions report as `kg contradictions --format markdown` makes it
                    (query, voices, pseudonyms, Markdown), written to nothing
  viz               the network page (`kg viz`) of the embedded store
  pipeline.load     the raw article texts alone through `kg load` (extraction and writing) into
                    a fresh embedded store, with --workers extracting processes (articles/s;
                    workers_peak_rss_mb is the largest worker's peak)
  pipeline.detect   the contradiction detector over that store, recording what it finds
  pipeline          extract + load + contradictions: the sum of the two above

Every stage runs in a child process of its own, forked for the stage, so that its peak memory
is its own: `peak_rss_mb` is the child's `ru_maxrss` (resource.getrusage), which includes
the interpreter and imports the child starts with (`base_rss_mb`, its VmRSS at the start of
the stage). Memory of the Neo4j server (a separate JVM) is not included. Between consecutive
sizes, `exponent` is k in time ~ size^k for the same stage and store (for load.per_row the
work is the sample, so its exponent shows how the sample grew, not the corpus).

`cpu_seconds` is the user and system CPU time of the stage's process and of its worker processes
over the whole stage (opening the store, the warm-up and every repeat of a query included; not
the Neo4j server's), and `cpu_exponent` its growth exponent. On a machine shared with other
work, wall-clock time stretches with the load while CPU time barely does: there the CPU exponent
is the steadier measure of how a stage's work grows.

Only time is measured here; nothing asserts a speed.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import resource
import shutil
import statistics
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kg.errors import KGError
from kg.loading import DEFAULT_PER_TRANSACTION
from kg.report import PAGE_ROWS

DEFAULT_SEED = 1
DEFAULT_REPEAT = 5
DEFAULT_PER_ROW_SAMPLE = 100

# The parameters tests/test_queries.py gives the named queries, with its actors (Lapunov,
# Kadyrov) replaced by actors of the generated corpus (from its corpus.json).
FALLBACK_PARAMS: dict[str, dict[str, str]] = {
    "actor_profile": {"actor": "Lapunov"},
    "statements_about": {"subject": "Lapunov"},
    "neighbourhood": {"actor": "Kadyrov", "depth": "1"},
    "paths_between": {"source": "Maxim Lapunov", "target": "Kadyrov"},
    # One page, as the report reads it (the report stage reads them all): every contradiction
    # in one query does not fit the default buffer pool at 100k (queries/contradictions.cypher).
    "contradictions": {"limit": str(PAGE_ROWS)},
}

# Groups of stages --stages picks from: load is the embedded load of the case files, which
# queries, report and viz read; neo4j is every Neo4j stage (with --neo4j); pipeline is raw
# articles through kg load, then the detector.
STAGES = frozenset({"extract", "parse", "load", "neo4j", "queries", "report", "viz", "pipeline"})

RECORD_KEYS = ("stage", "store", "size", "items", "unit", "seconds", "rate", "peak_rss_mb", "exponent",
               "cpu_seconds", "cpu_exponent")


@dataclass
class BenchConfig:
    sizes: list[int]
    workdir: Path
    seed: int = DEFAULT_SEED
    neo4j: str | None = None
    repeat: int = DEFAULT_REPEAT
    per_row_sample: int = DEFAULT_PER_ROW_SAMPLE
    per_transaction: list[int] = field(default_factory=lambda: [DEFAULT_PER_TRANSACTION])  # articles per load transaction
    workers: int = 1  # extracting processes in the pipeline stage
    stages: frozenset[str] = STAGES  # which groups of stages to run (see STAGES)
    stage_timeout: float | None = None
    progress: bool = False  # children print progress lines to stderr
    echo: Callable[[str], None] = field(default=lambda line: None)


# --- memory ---------------------------------------------------------------------------------


def current_rss_mb() -> float | None:
    """This process's resident set now (VmRSS), in MB; None where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def peak_rss_mb() -> float:
    """This process's peak resident set so far (ru_maxrss: KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def cpu_seconds() -> float:
    """User and system CPU time of this process and of the children it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


# --- running a stage in a child process -------------------------------------------------------------


def _child(conn, func: Callable[..., dict], kwargs: dict) -> None:
    try:
        base = current_rss_mb()
        cpu_start = cpu_seconds()
        result = func(**kwargs)
        result["cpu_seconds"] = round(cpu_seconds() - cpu_start, 3)
        result.setdefault("base_rss_mb", base)
        result["peak_rss_mb"] = peak_rss_mb()
        conn.send(("ok", result))
    except KGError as error:
        conn.send(("error", str(error)))
    except BaseException:  # a bug or a store failure: report it as the stage's note
        conn.send(("error", traceback.format_exc(limit=3).strip().splitlines()[-1]))
    finally:
        conn.close()


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_isolated(func: Callable[..., dict], kwargs: dict, timeout: float | None) -> dict:
    """Run func(**kwargs) in a fresh child process; its result dict, with the child's peak RSS.

    A failure or a timeout comes back as {"error": message} instead of raising."""
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    # Not a daemon: a stage may start worker processes of its own (kg load --workers).
    process = ctx.Process(target=_child, args=(child, func, kwargs))
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            process.kill()
            process.join()
            return {"error": f"stopped after {timeout:g} s (--stage-timeout)", "timeout": True}
        status, payload = parent.recv()
    except EOFError:
        process.join()
        return {"error": f"the stage's process died (exit status {process.exitcode})"}
    finally:
        parent.close()
    process.join()
    return payload if status == "ok" else {"error": payload}


# --- the stages (each runs in its own child) ----------------------------------------------------


def _progress(echo_progress: bool, label: str, done: int, total: int, every: int) -> None:
    if echo_progress and total and (done % every == 0 or done == total):
        print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)


def stage_generate(corpus: str, articles: int, seed: int, progress: bool) -> dict:
    from kg.generate import generate_corpus

    final = Path(corpus)
    partial = final.with_name(final.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    every = max(1, articles // 10)
    start = time.perf_counter()
    report = generate_corpus(partial, articles, seed,
                             on_progress=lambda n: _progress(progress, "generate", n, articles, every))
    seconds = time.perf_counter() - start
    partial.rename(final)
    timing = {"seconds": seconds, "articles": articles}
    (final / "bench-generate.json").write_text(json.dumps(timing) + "\n", encoding="utf-8")
    return {"items": articles, "unit": "articles/s", "seconds": seconds, "statements": report.statements}


def _article_paths(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*/article.txt"))


def extract_function() -> tuple[Callable | None, str]:
    """kg.extract.extract if it can be imported, else None and the reason."""
    try:
        from kg.extract import extract  # type: ignore[attr-defined]
    except Exception as exc:  # ImportError, or an error inside the package being written
        return None, f"kg.extract.extract is not importable ({type(exc).__name__}: {exc})"
    return extract, ""


def stage_extract(corpus: str, progress: bool) -> dict:
    import inspect

    extract, why = extract_function()
    if extract is None:
        raise KGError(why)
    params = list(inspect.signature(extract).parameters)
    paths = _article_paths(Path(corpus))
    texts_chars = 0
    every = max(1, len(paths) // 10)
    start = time.perf_counter()
    for done, path in enumerate(paths, 1):
        text = path.read_text(encoding="utf-8")
        texts_chars += len(text)
        # The extractor takes the article's text (its first parameter); a path-taking API gets the path.
        extract(path if params and params[0] in ("path", "file") else text)
        _progress(progress, "extract", done, len(paths), every)
    seconds = time.perf_counter() - start
    return {"items": len(paths), "unit": "articles/s", "seconds": seconds, "characters": texts_chars}


def stage_parse(corpus: str, progress: bool) -> dict:
    from kg.loading import find_inputs, read_bundle
    from kg.ontology import load_ontology

    ontology = load_ontology()
    files = find_inputs([Path(corpus)])
    statements = 0
    every = max(1, len(files) // 10)
    start = time.perf_counter()
    for done, path in enumerate(files, 1):
        bundle = read_bundle(path)
        bundle.check(ontology)
        statements += sum(1 for node in bundle.nodes if node.label == "Statement")
        _progress(progress, "parse", done, len(files), every)
    seconds = time.perf_counter() - start
    return {"items": len(files), "unit": "articles/s", "seconds": seconds, "statements": statements}


class _TimedWrites:
    """Wraps store.write_bundles (what load_paths calls) to time the writes apart from the
    reading; keeps each article's share of its transaction's time, so that a slowdown as the
    store grows shows up (first and last decile)."""

    def __init__(self, store) -> None:
        self.original = store.write_bundles
        self.times: list[float] = []
        self.statements = 0
        store.write_bundles = self

    def __call__(self, bundles, *args, **kwargs):
        self.statements += sum(1 for b in bundles for node in b.nodes if node.label == "Statement")
        start = time.perf_counter()
        try:
            return self.original(bundles, *args, **kwargs)
        finally:
            share = (time.perf_counter() - start) / max(1, len(bundles))
            self.times.extend([share] * len(bundles))

    def decile_ms(self, which: int) -> float | None:
        if not self.times:
            return None
        n = max(1, len(self.times) // 10)
        part = self.times[:n] if which == 0 else self.times[-n:]
        return round(1000 * sum(part) / len(part), 2)


def _load(store, corpus: Path, progress: bool, label: str, per_transaction: int) -> dict:
    from kg.loading import find_inputs, load_paths

    files = find_inputs([corpus])
    timed = _TimedWrites(store)
    every = max(1, len(files) // 10)
    done = 0

    def tick(_path) -> None:
        nonlocal done
        done += 1
        _progress(progress, label, done, len(files), every)

    start = time.perf_counter()
    report = load_paths(store, files, per_transaction=per_transaction, on_progress=tick)
    seconds = time.perf_counter() - start
    write_seconds = sum(timed.times)
    return {
        "items": timed.statements, "unit": "statements/s", "seconds": seconds,
        "per_transaction": per_transaction, "articles": report.files, "nodes": report.written.nodes, "relationships": report.written.relationships,
        "write_seconds": round(write_seconds, 3), "read_seconds": round(seconds - write_seconds, 3),
        "write_ms_first_decile": timed.decile_ms(0), "write_ms_last_decile": timed.decile_ms(9),
    }


def stage_load_ladybug(corpus: str, store_dir: str, per_transaction: int, progress: bool) -> dict:
    from kg.stores.ladybug import LadybugStore

    if Path(store_dir).exists():
        shutil.rmtree(store_dir)
    with LadybugStore(store_dir) as store:
        return _load(store, Path(corpus), progress, f"load (embedded, {per_transaction}/tx)", per_transaction)


def holds_corpus(store_dir: Path, size: int) -> bool:
    """Whether an embedded store left in the work folder holds every article of a corpus."""
    from kg.stores.ladybug import LadybugStore

    if not store_dir.is_dir():
        return False
    try:
        with LadybugStore(store_dir, read_only=True) as store:
            return int(store.run("MATCH (a:Article) RETURN count(a)").rows[0][0]) == size
    except KGError:
        return False


def stage_pipeline_load(corpus: str, store_dir: str, per_transaction: int, workers: int, progress: bool) -> dict:
    """The raw articles alone (no case files) through `kg load`: extraction and writing, with
    `workers` extracting processes."""
    from kg.loading import load_paths
    from kg.stores.ladybug import LadybugStore

    if Path(store_dir).exists():
        shutil.rmtree(store_dir)
    paths = _article_paths(Path(corpus))
    every = max(1, len(paths) // 10)
    done = 0

    def tick(_path) -> None:
        nonlocal done
        done += 1
        _progress(progress, f"extract and load ({workers} workers)", done, len(paths), every)

    with LadybugStore(store_dir) as store:
        start = time.perf_counter()
        report = load_paths(store, paths, per_transaction=per_transaction, workers=workers, on_progress=tick)
        seconds = time.perf_counter() - start
        statements = store.counts()["Statement"]
    return {
        "items": report.articles, "unit": "articles/s", "seconds": seconds, "statements": statements,
        "per_transaction": per_transaction, "workers": workers,
        # ru_maxrss of children: the largest of the worker processes.
        "workers_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def stage_pipeline_detect(store_dir: str) -> dict:
    """The contradiction detector over every statement of the extracted store, recording what
    it finds (as `kg contradictions detect`)."""
    from kg.detect import BUFFER_POOL_MB, detect_contradictions
    from kg.stores.ladybug import LadybugStore

    with LadybugStore(store_dir, buffer_pool_mb=BUFFER_POOL_MB) as store:
        statements = store.counts()["Statement"]
        start = time.perf_counter()
        found = detect_contradictions(store)
        seconds = time.perf_counter() - start
    return {"items": statements, "unit": "statements/s", "seconds": seconds,
            "recorded": len(found.detected)}


def _empty_neo4j(store) -> None:
    store.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", write=True)


def stage_load_neo4j_batched(corpus: str, uri: str, per_transaction: int, progress: bool) -> dict:
    from kg.stores.neo4j import Neo4jStore

    with Neo4jStore(uri) as store:
        _empty_neo4j(store)
        return _load(store, Path(corpus), progress, f"load (neo4j, {per_transaction}/tx)", per_transaction)


class _PerRowTransaction:
    """Stands in for a write transaction in store.write_group: every batched statement
    (an UNWIND over $rows) becomes one statement per row, each in a transaction of its own;
    reads (actor look-ups) run as they would. So the per-row load writes exactly what the
    normal path writes, with the same statements, only not batched."""

    def __init__(self, store) -> None:
        self.store = store
        self.transactions = 0

    def run(self, cypher, params=None):
        params = dict(params or {})
        rows = params.get("rows")
        if isinstance(rows, list) and "$rows" in cypher:
            result = None
            for row in rows:
                result = self.store.run(cypher, {**params, "rows": [row]}, write=True)
                self.transactions += 1
            return result if result is not None else self.store.run("RETURN 1 AS none LIMIT 0")
        return self.store.run(cypher, params)


def _write_per_row(store, bundle) -> int:
    bundle.check(store.ontology)
    tx = _PerRowTransaction(store)
    store.write_group(tx, [bundle])
    return tx.transactions


def stage_load_neo4j_per_row(corpus: str, uri: str, sample: int, per_transaction: int, progress: bool) -> dict:
    """Per-row writes on the first `sample` articles, then the same articles batched,
    per_transaction articles at a time (as `kg load`), each into an emptied database: the
    ratio compares like with like."""
    from kg.loading import find_inputs, read_bundle
    from kg.stores.neo4j import Neo4jStore

    files = find_inputs([Path(corpus)])[:sample]
    bundles = [read_bundle(path) for path in files]
    statements = sum(1 for b in bundles for node in b.nodes if node.label == "Statement")
    with Neo4jStore(uri) as store:
        _empty_neo4j(store)
        for bundle in bundles[:20]:  # warm-up (server JIT, caches, connection pool), not timed
            _write_per_row(store, bundle)
            store.write_bundle(bundle)
        _empty_neo4j(store)
        transactions = 0
        every = max(1, len(bundles) // 5)
        start = time.perf_counter()
        for done, bundle in enumerate(bundles, 1):
            transactions += _write_per_row(store, bundle)
            _progress(progress, "load (neo4j, per row)", done, len(bundles), every)
        per_row = time.perf_counter() - start
        _empty_neo4j(store)
        start = time.perf_counter()
        for first in range(0, len(bundles), per_transaction):
            store.write_bundles(bundles[first:first + per_transaction])
        batched = time.perf_counter() - start
        _empty_neo4j(store)
    per_row_rate = statements / per_row if per_row else None
    batched_rate = statements / batched if batched else None
    return {
        "items": statements, "unit": "statements/s", "seconds": per_row, "articles": len(bundles),
        "transactions": transactions, "per_transaction": per_transaction, "sample_batched_seconds": round(batched, 3),
        "sample_batched_rate": round(batched_rate, 1) if batched_rate else None,
        "ratio": round(batched_rate / per_row_rate, 1) if batched_rate and per_row_rate else None,
    }


def _open(store_spec: str):
    from kg.stores import open_store

    return open_store(store_spec, read_only=True)


def stage_query(store_spec: str, name: str, params: dict, repeat: int) -> dict:
    from kg.queries import get_query

    query = get_query(name)
    with _open(store_spec) as store:
        rows = len(query.run(store, params).rows)  # warm-up (caches, query plans); not counted
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            query.run(store, params)
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    return {"items": 1, "unit": "queries/s", "seconds": median, "rows": rows,
            "min_seconds": round(min(times), 6), "max_seconds": round(max(times), 6), "runs": repeat,
            "params": params}


def stage_contradictions(store_spec: str, repeat: int) -> dict:
    from kg import report

    def markdown(store) -> int:
        """As `kg contradictions --format markdown` makes it; what is written is let go at once."""
        with report.build_report(store) as built:
            report.write_report(built, "markdown", lambda text: None)
            return len(built.records)

    with _open(store_spec) as store:
        rows = markdown(store)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            markdown(store)
            times.append(time.perf_counter() - start)
    return {"items": 1, "unit": "reports/s", "seconds": statistics.median(times), "rows": rows,
            "min_seconds": round(min(times), 6), "max_seconds": round(max(times), 6), "runs": repeat}


def stage_viz(store_spec: str, output: str) -> dict:
    from kg.viz import write_network_html

    with _open(store_spec) as store:
        start = time.perf_counter()
        info = write_network_html(store, Path(output))
        seconds = time.perf_counter() - start
    return {"items": info["nodes"], "unit": "nodes/s", "seconds": seconds, "edges": info["edges"],
            "page_mb": round(Path(output).stat().st_size / 1e6, 1)}


# --- the run --------------------------------------------------------------------------------------


def corpus_dir(workdir: Path, size: int, seed: int) -> Path:
    return workdir / f"corpus-{size}-seed{seed}"


def query_params(corpus: Path) -> dict[str, dict[str, str]]:
    from kg.generate import read_manifest

    manifest = read_manifest(corpus) or {}
    params = {name: dict(values) for name, values in FALLBACK_PARAMS.items()}
    params.update(manifest.get("query_params") or {})
    return params


def _record(stage: str, store: str | None, size: int, result: dict) -> dict:
    record: dict[str, Any] = {"stage": stage, "store": store, "size": size}
    error = result.pop("error", None)
    seconds = result.get("seconds")
    items = result.get("items")
    record.update({
        "items": items,
        "unit": result.get("unit"),
        "seconds": round(seconds, 6) if seconds is not None else None,
        "rate": round(items / seconds, 2) if items is not None and seconds else None,
        "peak_rss_mb": result.get("peak_rss_mb"),
        "exponent": None,
        "cpu_seconds": result.get("cpu_seconds"),
        "cpu_exponent": None,
    })
    for key, value in result.items():
        if key not in record:
            record[key] = value
    if error:
        record["note"] = error
    return record


def _skipped(stage: str, store: str | None, size: int, note: str) -> dict:
    record = {key: None for key in RECORD_KEYS}
    record.update({"stage": stage, "store": store, "size": size, "note": note})
    return record


def add_exponents(records: list[dict]) -> None:
    """exponent = k in seconds ~ size^k, between a stage's record and the same stage's (and
    store's, and articles per transaction's) record at the next smaller size; cpu_exponent the
    same for its CPU time."""
    for measure, exponent in (("seconds", "exponent"), ("cpu_seconds", "cpu_exponent")):
        previous: dict[tuple, dict] = {}
        for record in sorted(records, key=lambda r: r["size"]):
            key = (record["stage"], record["store"], record.get("per_transaction"))
            before = previous.get(key)
            if before and before.get(measure) and record.get(measure) and record["size"] != before["size"]:
                record[exponent] = round(
                    math.log(record[measure] / before[measure]) / math.log(record["size"] / before["size"]), 2
                )
            if record.get(measure):
                previous[key] = record


def run_bench(config: BenchConfig) -> list[dict]:
    """Run every stage for every size; returns the records (see the module docstring)."""
    if not config.sizes or any(size < 1 for size in config.sizes):
        raise KGError("sizes are whole numbers of articles, at least 1 (e.g. --sizes 1000,10000)")
    if config.repeat < 1:
        raise KGError("--repeat must be at least 1")
    workdir = config.workdir
    try:
        workdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KGError(f"cannot create the work folder: {exc.strerror}", where=str(workdir)) from None
    if config.neo4j:
        from kg.stores.neo4j import Neo4jStore

        Neo4jStore(config.neo4j).close()  # fail fast, with the store's own message
    _preload()
    echo = config.echo
    progress = config.progress
    records: list[dict] = []
    timeout = config.stage_timeout

    def run(stage: str, store: str | None, size: int, func: Callable[..., dict], **kwargs) -> dict:
        echo(f"size {size}: {stage}{f' ({store})' if store else ''} ...")
        result = run_isolated(func, kwargs, timeout)
        record = _record(stage, store, size, result)
        records.append(record)
        shown = (f"{record['seconds']:.3f} s, {record['cpu_seconds']} s CPU, peak {record['peak_rss_mb']} MB"
                 if record["seconds"] is not None else record.get("note", ""))
        echo(f"size {size}: {stage}{f' ({store})' if store else ''}: {shown}")
        return record

    for size in sorted(config.sizes):
        corpus = corpus_dir(workdir, size, config.seed)
        from kg.generate import read_manifest

        if read_manifest(corpus) is None:
            if corpus.exists():
                shutil.rmtree(corpus)
            run("generate", None, size, stage_generate, corpus=str(corpus), articles=size, seed=config.seed,
                progress=progress)
        else:
            timing = _cached_timing(corpus)
            record = _record("generate", None, size, {
                "items": size, "unit": "articles/s", "seconds": timing.get("seconds"), "cached": True,
            })
            record["note"] = "corpus reused from the work folder; time of the run that wrote it"
            records.append(record)
            echo(f"size {size}: generate: cached in {corpus}")
        if read_manifest(corpus) is None:
            echo(f"size {size}: no corpus; skipping the other stages")
            continue

        extract, why = extract_function()
        if "extract" not in config.stages:
            pass
        elif extract is None:
            records.append(_skipped("extract", None, size, f"stage left out: {why}"))
            echo(f"size {size}: extract: left out ({why})")
        else:
            run("extract", None, size, stage_extract, corpus=str(corpus), progress=progress)

        if "parse" in config.stages:
            run("parse", None, size, stage_parse, corpus=str(corpus), progress=progress)
        stores = []
        # The queries, the report and the page read the store that the load writes; without
        # the load stage they read the store an earlier run loaded, if it holds the corpus.
        embedded = config.stages & {"load", "queries", "report", "viz"}
        for per_tx in (config.per_transaction if embedded else []):
            store_dir = workdir / f"store-{size}-seed{config.seed}-tx{per_tx}"
            if "load" not in config.stages and holds_corpus(store_dir, size):
                records.append(_skipped("load", "ladybug", size, f"store reused from the work folder: {store_dir}"))
                echo(f"size {size}: load (ladybug): reused {store_dir}")
                ready = True
            else:
                loaded = run("load", "ladybug", size, stage_load_ladybug, corpus=str(corpus), store_dir=str(store_dir),
                             per_transaction=per_tx, progress=progress)
                ready = loaded["seconds"] is not None and "note" not in loaded
            if ready and not stores:
                stores.append(("ladybug", str(store_dir)))
        if embedded and not stores:
            records.append(_skipped("query.*", "ladybug", size, "not run: the embedded store did not load"))

        raw_store = workdir / f"raw-{size}-seed{config.seed}"
        piped = run("pipeline.load", "ladybug", size, stage_pipeline_load, corpus=str(corpus),
                    store_dir=str(raw_store), per_transaction=max(config.per_transaction),
                    workers=config.workers, progress=progress) if "pipeline" in config.stages else {"seconds": None}
        if piped["seconds"] is not None:
            detected = run("pipeline.detect", "ladybug", size, stage_pipeline_detect, store_dir=str(raw_store))
            if detected["seconds"] is not None:
                total = _record("pipeline", "ladybug", size, {
                    "items": size, "unit": "articles/s", "seconds": piped["seconds"] + detected["seconds"],
                    "peak_rss_mb": max(piped["peak_rss_mb"] or 0, detected["peak_rss_mb"] or 0,
                                       piped.get("workers_peak_rss_mb") or 0),
                    "cpu_seconds": round((piped.get("cpu_seconds") or 0) + (detected.get("cpu_seconds") or 0), 3),
                })
                total["parts"] = "pipeline.load (extract + load) + pipeline.detect (contradictions)"
                records.append(total)
                echo(f"size {size}: pipeline (extract + load + contradictions): {total['seconds']:.3f} s, "
                     f"{total['cpu_seconds']} s CPU")

        if config.neo4j and "neo4j" in config.stages:
            sample = min(size, config.per_row_sample)
            run("load.per_row", "neo4j", size, stage_load_neo4j_per_row, corpus=str(corpus), uri=config.neo4j,
                sample=sample, per_transaction=max(config.per_transaction), progress=progress)
            neo4j_loaded = False
            for per_tx in config.per_transaction:
                batched = run("load.batched", "neo4j", size, stage_load_neo4j_batched, corpus=str(corpus),
                              uri=config.neo4j, per_transaction=per_tx, progress=progress)
                neo4j_loaded = batched["seconds"] is not None and "note" not in batched
            if neo4j_loaded:
                stores.append(("neo4j", config.neo4j))
            else:
                records.append(_skipped("query.*", "neo4j", size, "not run: the Neo4j load did not finish"))

        params = query_params(corpus)
        from kg.queries import load_queries

        for store_name, spec in stores:
            for name in (load_queries() if "queries" in config.stages else []):
                run(f"query.{name}", store_name, size, stage_query, store_spec=spec, name=name,
                    params=params.get(name, {}), repeat=config.repeat)
            if "report" in config.stages:
                run("contradictions", store_name, size, stage_contradictions, store_spec=spec, repeat=config.repeat)
        if stores and stores[0][0] == "ladybug" and "viz" in config.stages:
            run("viz", "ladybug", size, stage_viz, store_spec=stores[0][1],
                output=str(workdir / f"network-{size}-seed{config.seed}.html"))
    add_exponents(records)
    return records


def _preload() -> None:
    """Import what the stages use before the first child is forked: every stage of the run
    then measures the code as it was when the run started, even if files change meanwhile."""
    import importlib

    for module in ("kg.casefile", "kg.loading", "kg.queries", "kg.report", "kg.stores.ladybug", "kg.viz",
                   "kg.generate", "kg.stores.neo4j"):
        try:
            importlib.import_module(module)
        except ImportError:  # the Neo4j driver is optional
            pass
    extract_function()


def _cached_timing(corpus: Path) -> dict:
    try:
        return json.loads((corpus / "bench-generate.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --- output ---------------------------------------------------------------------------------------


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value >= 1000:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}".rstrip("0").rstrip(".") if value else "0"
    return str(value)


def render_table(records: list[dict]) -> str:
    """The records as a plain-text table: one line per stage and size, notes below."""
    columns = ["stage", "store", "size", "seconds", "rate", "unit", "peak_rss_mb", "exponent", "cpu_seconds",
               "cpu_exponent", "extra"]
    rows = []
    notes = []
    for record in records:
        extra = []
        for key in ("per_transaction", "sample_batched_rate", "ratio", "rows", "write_ms_first_decile",
                    "write_ms_last_decile", "read_seconds", "write_seconds", "articles", "cached"):
            if record.get(key) is not None:
                extra.append(f"{key}={_fmt(record[key])}")
        if record.get("note"):
            notes.append(f"- {record['stage']} ({record.get('store') or '-'}, size {record['size']}): {record['note']}")
        rows.append([
            record["stage"], record.get("store") or "", _fmt(record["size"]), _fmt(record["seconds"], 4),
            _fmt(record["rate"], 1), record.get("unit") or "", _fmt(record["peak_rss_mb"], 1),
            _fmt(record["exponent"], 2), _fmt(record.get("cpu_seconds"), 4), _fmt(record.get("cpu_exponent"), 2),
            " ".join(extra),
        ])
    widths = [max(len(columns[i]), *(len(r[i]) for r in rows)) if rows else len(columns[i]) for i in range(len(columns))]
    numeric = {2, 3, 4, 6, 7, 8, 9}
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in rows:
        lines.append("  ".join(
            (cell.rjust(w) if i in numeric else cell.ljust(w)) for i, (cell, w) in enumerate(zip(row, widths))
        ).rstrip())
    if notes:
        lines.append("")
        lines.append("notes:")
        lines.extend(notes)
    return "\n".join(lines)


def machine_info() -> dict:
    import platform

    memory = None
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "memory_gb": memory, "python": platform.python_version(),
            "platform": platform.platform()}
