"""Commands for the chain of custody: verify and audit."""

from __future__ import annotations

import click

from kg.cli import main, open_cli_store, output_options, reveal_option, store_option
from kg.errors import KGError
from kg.output import render
from kg.stores.base import QueryResult


@main.command()
@store_option
@output_options
def verify(store, fmt):
    """Re-hash every article's text and compare it with the sha256 recorded when it was loaded;
    follow the audit log's hash chain too.

    Exits non-zero if any article was changed after loading, or the audit log was tampered with
    (`kg audit --verify` says where).

    \b
    Example:
      kg verify
    """
    from kg.audit import verify_log
    from kg.custody import verify_articles

    with open_cli_store(store, read_only=True) as graph:
        checks = verify_articles(graph)
        log = verify_log(graph)
    rows = [[c.id, c.title, "ok" if c.ok else "CHANGED", c.problem] for c in checks]
    click.echo(render(QueryResult(["article", "title", "status", "problem"], rows), fmt))
    changed = sum(not c.ok for c in checks)
    failures = []
    if changed:
        failures.append(f"{changed} of {len(checks)} article(s) changed since they were loaded")
    if not log.ok:
        failures.append(f"the audit log's hash chain is broken in {len(log.problems)} place(s); see kg audit --verify")
    if failures:
        raise KGError("; ".join(failures))


@main.command()
@store_option
@output_options
@click.option("--verify", "check", is_flag=True,
              help="Follow the hash chain instead: list every edited, removed or inserted entry.")
@reveal_option
def audit(store, fmt, check, reveal):
    """Show the audit log: every load, review decision, protection mark and export, who did it
    and when. Subjects naming sensitive people are pseudonymised unless --reveal.

    With --verify, re-hash every entry and follow the chain of previous_hash links; exits
    non-zero if an entry was edited or a followed entry is missing.

    \b
    Example:
      kg audit --csv > audit.csv
      kg audit --verify
    """
    from kg.audit import audit_log, verify_log
    from kg.privacy import Redactor

    with open_cli_store(store, read_only=True) as graph:
        if not check:
            click.echo(render(Redactor.for_store(graph, reveal=reveal).result(audit_log(graph)), fmt))
            return
        log = verify_log(graph)
    click.echo(render(QueryResult(["at", "entry", "problem"], [list(p) for p in log.problems]), fmt))
    summary = (f"{log.entries} entries, {log.unchained} from before the chain, "
               f"{log.forks} fork(s) from concurrent writers")
    if not log.ok:
        raise KGError(f"the audit log's hash chain is broken in {len(log.problems)} place(s) ({summary})")
    click.echo(f"chain intact: {summary}", err=True)
