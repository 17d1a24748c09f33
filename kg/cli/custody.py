"""Commands for the chain of custody: verify and audit."""

from __future__ import annotations

import click

from kg.cli import main, open_cli_store, output_options, store_option
from kg.errors import KGError
from kg.output import render
from kg.stores.base import QueryResult


@main.command()
@store_option
@output_options
def verify(store, fmt):
    """Re-hash every article's text and compare it with the sha256 recorded when it was loaded.

    Exits non-zero if any article was changed after loading.

    \b
    Example:
      kg verify
    """
    from kg.custody import verify_articles

    with open_cli_store(store, read_only=True) as graph:
        checks = verify_articles(graph)
    rows = [[c.id, c.title, "ok" if c.ok else "CHANGED", c.problem] for c in checks]
    click.echo(render(QueryResult(["article", "title", "status", "problem"], rows), fmt))
    changed = sum(not c.ok for c in checks)
    if changed:
        raise KGError(f"{changed} of {len(checks)} article(s) changed since they were loaded")


@main.command()
@store_option
@output_options
def audit(store, fmt):
    """Show the audit log: every load, review decision and export, who did it and when.

    \b
    Example:
      kg audit --csv > audit.csv
    """
    from kg.audit import audit_log

    with open_cli_store(store, read_only=True) as graph:
        click.echo(render(audit_log(graph), fmt))
