"""Commands between stores: init (schema), push and pull."""

from __future__ import annotations

import click

from kg.cli import main, open_cli_store, store_option
from kg.errors import KGError
from kg.stores import is_server_uri


@main.command()
@store_option
def init(store):
    """Create the schema (tables, or Neo4j constraints and indexes) from the ontology.

    Loading does this by itself; init is for preparing a server before a team loads into it.

    \b
    Example:
      kg init --store bolt://127.0.0.1:7687
    """
    with open_cli_store(store, create=True):
        pass
    click.echo(f"schema ready: {_shown(store)}")


def _copy(source_spec: str, target_spec: str, quiet: bool) -> None:
    from kg.transfer import copy_graph

    def progress(name: str, count: int) -> None:
        if not quiet:
            click.echo(f"  {name}: {count}", err=True)

    with open_cli_store(source_spec, read_only=True) as source, open_cli_store(target_spec, create=True) as target:
        report = copy_graph(source, target, on_progress=progress)
    click.echo(f"copied {report.nodes} nodes and {report.relationships} relationships "
               f"from {_shown(source_spec)} to {_shown(target_spec)}")


def _shown(spec: str) -> str:
    from urllib.parse import urlsplit

    if is_server_uri(spec):
        parts = urlsplit(spec)
        return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return spec


@main.command()
@click.option("--to", "target", required=True, envvar="KG_SERVER", help="The server: a neo4j:// or bolt:// URI.")
@store_option
@click.option("-q", "--quiet", is_flag=True, help="No progress.")
def push(target, store, quiet):
    """Copy the embedded store into a Neo4j server (idempotent: a second push adds nothing).

    \b
    Example:
      kg push --to neo4j://team-server:7687
    """
    if not is_server_uri(target):
        raise KGError("--to takes a neo4j:// or bolt:// URI", where=target)
    _copy(store, target, quiet)


@main.command()
@click.option("--from", "source", required=True, envvar="KG_SERVER", help="The server: a neo4j:// or bolt:// URI.")
@store_option
@click.option("-q", "--quiet", is_flag=True, help="No progress.")
def pull(source, store, quiet):
    """Copy a Neo4j server's graph into the embedded store, to work offline.

    \b
    Example:
      kg pull --from neo4j://team-server:7687 --store ./offline
    """
    if not is_server_uri(source):
        raise KGError("--from takes a neo4j:// or bolt:// URI", where=source)
    if is_server_uri(store):
        raise KGError("pull copies into an embedded store; --store must be a directory", where=_shown(store))
    _copy(source, store, quiet)
