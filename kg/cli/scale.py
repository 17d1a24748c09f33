"""Commands for scale: generate synthetic corpora, and benchmark every stage on them."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from kg.cli import main
from kg.bench import STAGES
from kg.errors import KGError
from kg.loading import DEFAULT_PER_TRANSACTION


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--articles", "-n", type=click.IntRange(min=0), required=True, help="How many articles to write.")
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives byte-identical files.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def generate(out, articles, seed, quiet):
    """Write a synthetic corpus: invented news articles, each with a gold case file.

    OUT/NNNNNN/article.txt and OUT/NNNNNN/case.yaml for each article, and OUT/corpus.json
    (counts, and named-query parameters that fit the corpus). All names are invented. OUT
    must be new or empty. Load the corpus with `kg load OUT`.

    \b
    Example:
      kg generate --articles 1000 --seed 7 corpus/
      kg load corpus/ --store /tmp/kg-1000
    """
    from kg.generate import check_output_dir, generate_corpus

    check_output_dir(out)
    start = time.perf_counter()
    with click.progressbar(length=articles, label="generating", file=sys.stderr,
                           hidden=quiet or articles < 2) as bar:
        last = 0

        def advance(number: int) -> None:
            nonlocal last
            if number - last >= 100 or number == articles:
                bar.update(number - last)
                last = number

        report = generate_corpus(out, articles, seed, on_progress=advance)
    seconds = time.perf_counter() - start
    rate = f", {articles / seconds:,.0f} articles/s" if seconds > 0 and articles else ""
    click.echo(f"wrote {report.articles} articles to {out}: {report.statements} statements, "
               f"{report.contradictions} contradictions, {report.syndicated} syndicated copies "
               f"({seconds:.1f} s{rate})")


def _sizes(value: str, option: str = "--sizes") -> list[int]:
    sizes = []
    for part in value.split(","):
        part = part.strip().replace("_", "")
        if not part:
            continue
        try:
            size = int(float(part)) if "e" in part.lower() else int(part)
        except ValueError:
            raise KGError(f"{option} takes whole numbers separated by commas, got {value!r}") from None
        if size < 1:
            raise KGError(f"{option}: every value is at least 1, got {size}")
        sizes.append(size)
    if not sizes:
        raise KGError(f"{option} needs at least one value, e.g. {option} 1000,10000")
    return sorted(set(sizes))


def _stages(text: str) -> frozenset[str]:
    names = frozenset(name.strip() for name in text.split(",") if name.strip())
    unknown = sorted(names - STAGES)
    if unknown or not names:
        raise click.BadParameter(f"choose from {', '.join(sorted(STAGES))}", param_hint="--stages")
    return names


@main.command()
@click.option("--sizes", default="1000,10000", show_default=True,
              help="Corpus sizes in articles, separated by commas.")
@click.option("--neo4j", metavar="URI", default=None,
              help="Also load into this Neo4j server (bolt:// or neo4j://) and query it. Its database is emptied.")
@click.option("--workdir", type=click.Path(path_type=Path), default=Path("kg-bench"), show_default=True,
              help="Folder for the corpora (kept and reused by size and seed), stores and pages.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generated corpora.")
@click.option("--repeat", type=click.IntRange(min=1), default=5, show_default=True,
              help="Timed runs of each query (the median is reported), after one warm-up run.")
@click.option("--per-row-sample", type=click.IntRange(min=1), default=100, show_default=True,
              help="Articles written one row per transaction on Neo4j, to compare with batched writes.")
@click.option("--per-transaction", "per_transaction", default=str(DEFAULT_PER_TRANSACTION), show_default=True, metavar="N[,N...]",
              help="Articles per load transaction (as kg load --per-transaction); several values load once each.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extracting processes in the pipeline stage (as kg load --workers).")
@click.option("--stages", default=",".join(sorted(STAGES)), show_default=True, metavar="NAME[,NAME...]",
              help="Which stages to run: extract, parse, load, neo4j, queries, report, viz, pipeline.")
@click.option("--stage-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Stop a stage that runs longer, record it as stopped, and go on.")
@click.option("--json", "as_json", is_flag=True, help="Output the records as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
def bench(sizes, neo4j, workdir, seed, repeat, per_row_sample, per_transaction, workers, stages, stage_timeout,
          as_json, quiet):
    """Benchmark each stage (extract, parse, load, queries, contradictions, viz, and the whole
    pipeline from raw articles: extract + load + detect contradictions) on generated corpora of
    the given sizes.

    Each stage runs in a process of its own; for each it reports the time (for queries, the
    median latency), the throughput, the peak memory of that process, and the exponent k in
    time ~ size^k between consecutive sizes. With --neo4j it also loads into the server, both
    batched (the normal path) and one row per transaction on a sample, and reports the ratio.
    The server's database is emptied first: never point it at a database you need.

    \b
    Example:
      kg bench --sizes 1000,10000 --workdir /tmp/kg-bench
      kg bench --sizes 20,40 --json --quiet
      kg bench --sizes 1000 --neo4j bolt://127.0.0.1:7687 --per-transaction 1,500
      kg bench --sizes 1000,10000,100000 --workers 2
      kg bench --sizes 10000,100000 --stages pipeline --workers 2
    """
    from kg.bench import BenchConfig, render_table, run_bench

    config = BenchConfig(
        sizes=_sizes(sizes), workdir=workdir, seed=seed, neo4j=neo4j, repeat=repeat,
        per_row_sample=per_row_sample, per_transaction=_sizes(per_transaction, "--per-transaction"), workers=workers,
        stages=_stages(stages),
        stage_timeout=stage_timeout, progress=not quiet,
        echo=(lambda line: None) if quiet else (lambda line: click.echo(line, err=True)),
    )
    records = run_bench(config)
    if as_json:
        click.echo(json.dumps(records, indent=2))
    else:
        click.echo(render_table(records))
