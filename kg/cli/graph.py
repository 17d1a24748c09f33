"""Commands on the graph: load, query, cypher, viz, export, stats, validate, demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli import (export_note, include_restricted_option, main, open_cli_store, output_options, parse_params,
                    record_output, reveal_option, store_option)
from kg.errors import KGError
from kg.output import render


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
# The default is kg.loading.DEFAULT_PER_TRANSACTION, written out: the CLI imports kg.loading only
# when it loads (tests/test_cli.py checks that the two agree).
@click.option("--per-transaction", type=click.IntRange(min=1), default=500, show_default=True,
              help="Articles written together in one transaction (each article lands whole or not at all).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes that parse case files and extract articles while this one writes.")
@click.option("--extractor", default="rules", show_default=True, help="Extractor for raw articles.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def load(paths, store, per_transaction, workers, extractor, quiet):
    """Load case files and raw articles (.txt, .md, .html, .jsonl, .csv), or folders of them.

    Case files are validated before anything is written; raw articles are extracted with
    evidence (span, rule, cue). Each transaction holds whole articles, and loading again
    changes nothing. Where a case file covers the same article, its curated items stand.

    \b
    Example:
      kg load examples/chechnya/case.yaml
      kg load reports/ --workers 2
    """
    from kg.loading import find_inputs, load_paths

    files = find_inputs(paths)
    with open_cli_store(store, create=True) as graph:
        with click.progressbar(length=len(files), label="loading", file=sys.stderr,
                               hidden=quiet or len(files) < 2) as bar:
            report = load_paths(graph, files, per_transaction=per_transaction, extractor=extractor,
                                workers=workers, on_progress=lambda _: bar.update(1))
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
    """Run an ad hoc Cypher query, read-only unless --write. A write is recorded in the audit log
    (action edit, with the query).

    \b
    Example:
      kg cypher "MATCH (a:Actor) RETURN a.name ORDER BY a.name LIMIT 5"
    """
    from kg.audit import audit_entry, record
    from kg.privacy import Redactor

    with open_cli_store(store, read_only=not write) as graph:
        result = graph.run(cypher, parse_params(params), write=write)
        if write:
            record(graph, audit_entry("edit", cypher, note=", ".join(params) or None))
        result = Redactor.for_store(graph, reveal=reveal).result(result)
    click.echo(render(result, fmt))


@main.command()
@store_option
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="The HTML page to write. [default: kg-network.html, unless only pictures or Gephi files are asked for]")
@click.option("--title", default="kg network", show_default=True)
@click.option("--focus", metavar="ACTOR", default=None, help="Only the neighbourhood of this actor (id, name or alias).")
@click.option("--depth", type=click.IntRange(1, 6), default=None, metavar="N",
              help="How many steps from --focus.  [default: 2]")
@click.option("--query", "query_name", metavar="NAME", default=None,
              help="Only what a named query returns (`kg query list`), and the edges among it.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter of --query.")
@click.option("--types", metavar="TYPE,...", default=None,
              help="Only these node types: Person, Organization, GovernmentBody, NGO, MediaOutlet, Actor (all "
                   "actors), Statement, Event, Place, Topic, Article.")
@click.option("--from", "date_from", metavar="DATE", default=None,
              help="Only statements and events on or after this date (2017, 2018-07, 2018-07-16).")
@click.option("--to", "date_to", metavar="DATE", default=None, help="Only statements and events up to this date.")
@click.option("--contradictions-only", is_flag=True,
              help="Only statements in contradictions, their speakers and the contradictions.")
@click.option("--actors-only", is_flag=True,
              help="Actors only: statements become edges from the speaker to whom they are about (denies, "
                   "accuses, testifies about, ...).")
@click.option("--articles", "include_articles", is_flag=True, help="Draw the articles too.")
# The default is kg.viz.MAX_NODES, written out: the CLI imports kg.viz only when it draws.
@click.option("--max-nodes", type=click.IntRange(min=0), default=2000, show_default=True, metavar="N",
              help="Draw at most N nodes: the statements in the strongest contradictions and their speakers, "
                   "then the most connected; 0 draws them all.")
@click.option("--size", type=click.Choice(["degree", "statements"]), default="degree", show_default=True,
              help="Node size by number of edges or by number of statements said or about it.")
@click.option("--present", is_flag=True, help="Open the page in the presenter view (title slide, then the "
                                              "contradictions one by one).")
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True,
              help="The theme the page opens in (the key t switches).")
@click.option("--png", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Also a 1920x1080 picture for slides (needs Chromium).")
@click.option("--svg", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Also a 1920x1080 SVG picture for slides.")
@click.option("--gexf", type=click.Path(path_type=Path), default=None, metavar="FILE", help="Also a GEXF file for Gephi.")
@click.option("--graphml", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Also a GraphML file (Gephi, yEd, Cytoscape).")
@reveal_option
@include_restricted_option
def viz(store, output, title, focus, depth, query_name, params, types, date_from, date_to, contradictions_only,
        actors_only, include_articles, max_nodes, size, present, theme, png, svg, gexf, graphml, reveal,
        include_restricted):
    """Draw the graph: an interactive, self-contained, offline HTML page (search box, type and
    date filters, a presenter view stepping through the contradictions), and on request a PNG or
    SVG picture and GEXF or GraphML files. Sensitive people appear under pseudonyms unless
    --reveal; restricted items are left out unless --include-restricted. Every file written is
    recorded in the audit log. A view of more than --max-nodes nodes is cut down to the most
    important ones, and a line on stderr says so.

    \b
    Example:
      kg viz -o network.html
      kg viz --focus Kadyrov --depth 2 -o kadyrov.html
      kg viz --contradictions-only --present --theme dark -o talk.html
      kg viz --actors-only --from 2017 --to 2018-07 --png actors.png --gexf actors.gexf
      kg viz --query statements_about -p subject=Lapunov -o lapunov.html
      kg viz --max-nodes 500 -o overview.html
    """
    from kg.viz import CAP_ORDER, check_output, find_chromium, network_view

    if depth is not None and focus is None:
        raise KGError("--depth goes with --focus")
    if params and query_name is None:
        raise KGError("-p goes with --query")
    pictures = {"png": png, "svg": svg, "gexf": gexf, "graphml": graphml}
    if output is None and not any(pictures.values()):
        output = Path("kg-network.html")
    for path in [output, *pictures.values()]:
        if path is not None:
            check_output(path)
    if png is not None and not find_chromium():
        raise KGError("--png needs Chromium: install it (apt-get install chromium) or set KG_CHROMIUM")
    type_list = [t for t in types.split(",") if t.strip()] if types is not None else None
    with open_cli_store(store, read_only=True) as graph:
        view = network_view(
            graph, title=title, reveal=reveal, include_articles=include_articles, focus=focus,
            depth=depth or 2, query=query_name, params=parse_params(params), types=type_list,
            date_from=date_from, date_to=date_to, contradictions_only=contradictions_only,
            actors_only=actors_only, size=size, present=present, theme=theme, include_restricted=include_restricted,
            max_nodes=max_nodes,
        )
    if view.capped_from is not None:
        click.echo(f"kg viz: drawing {view.counts['nodes']:,} of {view.capped_from:,} nodes ({CAP_ORDER}); "
                   "narrow with --focus/--query/--from, or --max-nodes 0 for all", err=True)
    counts = f"({view.counts['nodes']} nodes, {view.counts['edges']} edges)"
    note = export_note(reveal, include_restricted)
    if output is not None:
        view.write_html(output)
        record_output(store, "export", output, note="viz html" + note)
        click.echo(f"wrote {output} {counts}")
    writers = {"png": view.write_png, "svg": view.write_svg, "gexf": view.write_gexf, "graphml": view.write_graphml}
    for kind, path in pictures.items():
        if path is not None:
            writers[kind](path)
            record_output(store, "export", path, note=f"viz {kind}" + note)
            click.echo(f"wrote {path} {counts}")


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["turtle", "jsonld", "graphml"]), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@reveal_option
@include_restricted_option
def export(store, fmt, output, reveal, include_restricted):
    """Export the graph as RDF (Turtle, JSON-LD) or GraphML; sensitive people pseudonymised,
    restricted items left out (with the statements, events and contradictions that would give
    them away). The export is recorded in the audit log with the file's sha256.

    \b
    Example:
      kg export --format turtle -o graph.ttl
    """
    from kg.rdf import export_store

    with open_cli_store(store, read_only=True) as graph:
        counts = export_store(graph, output, fmt, reveal=reveal, include_restricted=include_restricted)
    record_output(store, "export", output, note=fmt + export_note(reveal, include_restricted))
    click.echo(f"wrote {output} ({counts['nodes']} nodes, {counts['relationships']} relationships)")
    if counts["left_out"]:
        click.echo(f"left out {counts['left_out']} restricted or dependent node(s); --include-restricted keeps them",
                   err=True)


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

