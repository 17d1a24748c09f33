"""The `kg` command: a thin layer over the library. Data goes to stdout, progress and errors
to stderr; a user error is one line and a non-zero exit, never a traceback.

Commands live in the modules of this package, one module per area, each registering its
commands on `main`; this module holds the group and the options they share."""

from __future__ import annotations

import logging

import click

from kg.errors import KGError
from kg.stores import DEFAULT_STORE

STORE_HELP = "Store: a directory (embedded LadybugDB) or a neo4j:// / bolt:// URI. [env KG_STORE; default ./kg-data]"


class KGGroup(click.Group):
    """Turns KGError into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KGError as error:
            click.echo(f"kg: error: {error}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            ctx.exit(130)


class _WarningsToStderr(logging.Handler):
    """The library's warnings (the "kg" logger) as "kg: warning: ..." lines on stderr; it looks
    stderr up at each line, so it follows click's own streams."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"kg: warning: {record.getMessage()}", err=True)


def _show_library_warnings() -> None:
    library = logging.getLogger("kg")
    if not any(isinstance(handler, _WarningsToStderr) for handler in library.handlers):
        library.addHandler(_WarningsToStderr(logging.WARNING))


def store_option(func):
    return click.option("--store", "--db", "store", envvar=["KG_STORE", "KG_DB"], default=DEFAULT_STORE,
                        show_default=False, help=STORE_HELP)(func)


def output_options(func):
    func = click.option("--csv", "fmt", flag_value="csv", help="Output CSV.")(func)
    func = click.option("--json", "fmt", flag_value="json", help="Output JSON.")(func)
    return click.option("--table", "fmt", flag_value="table", default=True, help="Output a table (default).")(func)


def reveal_option(func):
    return click.option("--reveal", is_flag=True, help="Show the real names of sensitive people.")(func)


def include_restricted_option(func):
    return click.option("--include-restricted", is_flag=True,
                        help="Keep restricted items (left out by default; `kg restricted list`).")(func)


def export_note(reveal: bool, include_restricted: bool) -> str:
    """What an audit entry of an output adds about its protections."""
    return (", names revealed" if reveal else "") + (", restricted items included" if include_restricted else "")


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg-news", prog_name="kg")
@click.option("--database", envvar="NEO4J_DATABASE", default=None,
              help="Neo4j database name, for server stores. [env NEO4J_DATABASE; default: the server's]")
def main(database):
    """kg: news reports into a graph of actors, statements and events, and where they contradict.

    \b
    Example:
      kg demo                      # the Chechnya case, end to end
      kg load examples/chechnya    # load case files into ./kg-data
      kg query run contradictions
    """
    _show_library_warnings()


def open_cli_store(spec: str, *, read_only: bool = False, buffer_pool_mb: int | None = None,
                   create: bool = False):
    """open_store with the --database given to `kg` itself. Only the commands that bring data
    or a schema in (load, init, pull) pass create=True; every other command, writing or not,
    refuses an embedded store that does not exist, so a mistyped --store makes nothing."""
    from kg.stores import open_store

    database = click.get_current_context().find_root().params.get("database")
    return open_store(spec, read_only=read_only, database=database, buffer_pool_mb=buffer_pool_mb, create=create)


def record_output(spec: str, action: str, output, *, note: str | None = None) -> None:
    """An audit entry for a file that carries data out of the store, with the file's sha256."""
    from pathlib import Path

    from kg.audit import audit_entry, file_sha256, record

    path = Path(output)
    with open_cli_store(spec) as store:
        record(store, audit_entry(action, str(path), hashes=[file_sha256(path)], note=note))


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise KGError(f"parameters are given as -p name=value, got {pair!r}")
        params[name] = value
    return params


# Registered last: the command modules import main from here.
from kg.cli import contradictions, custody, extraction, graph, server  # noqa: E402,F401
from kg.cli import scale  # noqa: E402,F401
from kg.cli import sensitive  # noqa: E402,F401
from kg.cli import merges  # noqa: E402,F401
