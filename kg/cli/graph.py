"""Commands on the graph: load, query, cypher, viz, export, stats, validate, demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli import main, open_cli_store, output_options, parse_params, record_output, reveal_option, store_option
from kg.errors import KGError
from kg.output import render


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--per-transaction", type=click.IntRange(min=1), default=1, show_default=True,
              help="Articles written together in one transaction (larger is faster for bulk loads).")
@click.option("--extractor", default="rules", show_default=True, help="Extractor for raw articles.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def load(paths, store, per_transaction, extractor, quiet):
    """Load case files and raw articles (.txt, .md, .html, .jsonl, .csv), or folders of them.

    Case files are validated before anything is written; raw articles are extracted with
    evidence (span, rule, cue). Each transaction holds whole articles, and loading again
    changes nothing. Where a case file covers the same article, its curated items stand.

    \b
    Example:
      kg load examples/chechnya/case.yaml
      kg load reports/ --per-transaction 50
    """
    from kg.loading import find_inputs, load_paths

    files = find_inputs(paths)
    with open_cli_store(store) as graph:
        with click.progressbar(length=len(files), label="loading", file=sys.stderr,
                               hidden=quiet or len(files) < 2) as bar:
            report = load_paths(graph, files, per_transaction=per_transaction, extractor=extractor,
                                on_progress=lambda _: bar.update(1))
    written = report.written
    click.echo(f"loaded {report.files} file(s), {report.articles} article(s): "
               f"{written.nodes} nodes, {written.relationships} relationships")


@main.group()
def query():
    """Named queries (queries/*.cypher).

    \b
    Example:
      kg query list
      kg query run actor_profile -p actor=Kadyrov
    """


@query.command("list")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
def query_list(as_json):
    """List the named queries and their parameters.

    \b
    Example:
      kg query list --json
    """
    from kg.queries import load_queries

    queries = load_queries()
    if as_json:
        click.echo(json.dumps([
            {"name": q.name, "description": q.description,
             "parameters": [{"name": p.name, "type": p.type, "required": p.required,
                             "default": p.default, "description": p.description} for p in q.parameters.values()]}
            for q in queries.values()
        ], indent=2))
        return
    for q in queries.values():
        click.echo(f"{q.name}: {q.description}")
        for p in q.parameters.values():
            need = "required" if p.required else f"default {p.default!r}"
            click.echo(f"    -p {p.name}=<{p.type}>  ({need}) {p.description}")


@query.command("run")
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter.")
@store_option
@output_options
@reveal_option
def query_run(name, params, store, fmt, reveal):
    """Run a named query.

    \b
    Example:
      kg query run paths_between -p source=Lapunov -p target=Kadyrov --json
    """
    from kg.privacy import Redactor
    from kg.queries import get_query

    named = get_query(name)
    with open_cli_store(store, read_only=True) as graph:
        result = Redactor.for_store(graph, reveal=reveal).result(named.run(graph, parse_params(params)))
    click.echo(render(result, fmt))


@main.command()
@click.argument("cypher")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter ($name), as text.")
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@store_option
@output_options
@reveal_option
def cypher(cypher, params, write, store, fmt, reveal):
    """Run an ad hoc Cypher query, read-only unless --write.

    \b
    Example:
      kg cypher "MATCH (a:Actor) RETURN a.name ORDER BY a.name LIMIT 5"
    """
    from kg.privacy import Redactor

    with open_cli_store(store, read_only=not write) as graph:
        result = graph.run(cypher, parse_params(params), write=write)
        result = Redactor.for_store(graph, reveal=reveal).result(result)
    click.echo(render(result, fmt))


@main.command()
@store_option
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("kg-network.html"), show_default=True)
@click.option("--title", default="kg network", show_default=True)
@reveal_option
def viz(store, output, title, reveal):
    """Write an interactive network page (one self-contained HTML file).

    \b
    Example:
      kg viz -o network.html
    """
    from kg.viz import write_network_html

    with open_cli_store(store, read_only=True) as graph:
        info = write_network_html(graph, output, title=title, reveal=reveal)
    click.echo(f"wrote {output} ({info['nodes']} nodes, {info['edges']} edges)")


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["turtle", "jsonld", "graphml"]), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@reveal_option
def export(store, fmt, output, reveal):
    """Export the graph as RDF (Turtle, JSON-LD) or GraphML; sensitive people pseudonymised.

    \b
    Example:
      kg export --format turtle -o graph.ttl
    """
    from kg.rdf import export_store

    with open_cli_store(store, read_only=True) as graph:
        counts = export_store(graph, output, fmt, reveal=reveal)
    record_output(store, "export", output, note=f"{fmt}{', names revealed' if reveal else ''}")
    click.echo(f"wrote {output} ({counts['nodes']} nodes, {counts['relationships']} relationships)")


@main.command()
@store_option
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
def stats(store, as_json):
    """Count nodes by label and relationships by type.

    \b
    Example:
      kg stats --json
    """
    with open_cli_store(store, read_only=True) as graph:
        counts = graph.counts()
    if as_json:
        click.echo(json.dumps(counts, indent=2))
        return
    width = max(map(len, counts))
    for name, count in counts.items():
        click.echo(f"{name.ljust(width)}  {count}")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files):
    """Check case files against the case-file schema and the SHACL shapes, without loading.

    \b
    Example:
      kg validate examples/chechnya/case.yaml
    """
    from kg.loading import find_inputs, read_bundle
    from kg.rdf import check_shapes

    paths = find_inputs(files)
    for path in paths:
        check_shapes(read_bundle(path), where=str(path))
    click.echo(f"{len(paths)} file(s) valid")


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=Path("kg-demo"), show_default=True,
              help="Folder for the demo store, page and report.")
@click.option("--store", "store", envvar="KG_STORE", default=None,
              help="A neo4j:// or bolt:// URI to load the case into instead of a fresh embedded store.")
@reveal_option
def demo(out, store, reveal):
    """Build the Chechnya example end to end: a fresh embedded store, the network page and the
    contradictions report.

    \b
    Example:
      kg demo --out /tmp/chechnya
      kg demo --store bolt://127.0.0.1:7687   # the same on a Neo4j server
    """
    from kg.demo import run_demo
    from kg.stores import is_server_uri

    if store and not is_server_uri(store):
        raise KGError("kg demo builds its own embedded store in --out; --store takes a server URI", where=store)
    result = run_demo(out, store_spec=store, reveal=reveal, echo=lambda line: click.echo(line, err=True))
    click.echo(f"store:          {result['store']}")
    click.echo(f"network page:   {result['page']}")
    click.echo(f"contradictions: {result['report']} ({result['contradictions']} found)")

