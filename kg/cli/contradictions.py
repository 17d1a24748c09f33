"""`kg contradictions`: the report, and the review loop — detect, list, confirm, reject.

`kg contradictions detect` runs the detector (kg.detect) over the whole store; `confirm` and
`reject` record a reviewer's decision, which later runs of the detector never overwrite. Each
run and decision leaves an audit entry."""

from __future__ import annotations

import json

import click

from kg.audit import audit_entry, record
from kg.cli import main, open_cli_store, output_options, reveal_option, store_option
from kg.output import render
from kg.stores.base import QueryResult

_STATUSES = ("open", "confirmed", "rejected")


@main.group(invoke_without_command=True)
@click.pass_context
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "json"]), default="table", show_default=True)
@click.option("--status", default="", help="open, confirmed or rejected (default: open and confirmed).")
@click.option("--basis", default="", help="polarity, existence, numeric, responsibility or shift.")
@click.option("--min-score", type=float, default=0.0, show_default=True)
@reveal_option
def contradictions(ctx, store, fmt, status, basis, min_score, reveal):
    """Report contradictory statements, strongest first; detect new ones; review them.

    Without a subcommand, prints the report. Decisions (confirm, reject) are kept in the graph
    and never overwritten by later runs of the detector.

    \b
    Example:
      kg contradictions --format markdown > contradictions.md
      kg contradictions detect
      kg contradictions list --status open
      kg contradictions confirm contradiction:1d5238efc23464ca3360 --note "checked against the video"
    """
    if ctx.invoked_subcommand is not None:
        return
    from kg import report

    with open_cli_store(store, read_only=True) as graph:
        result = report.contradictions(graph, status=status, basis=basis, min_score=min_score, reveal=reveal)
    if fmt == "markdown":
        click.echo(report.render_markdown(result), nl=False)
    elif fmt == "json":
        click.echo(report.render_json(result))
    else:
        columns = ["basis", "score", "speaker_a", "quote_a", "speaker_b", "quote_b"]
        picked = [[r[c] for c in columns] for r in result.records()]
        click.echo(render(QueryResult(columns, picked), "table"))



@contradictions.command("detect")
@store_option
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="Record only contradictions scoring at least this.")
@click.option("--dry-run", is_flag=True, help="Report what would be recorded; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Output the full report as JSON.")
@reveal_option
def detect(store, min_score, dry_run, as_json, reveal):
    """Find contradictions among all statements in the store and record new ones as open.

    Contradictions from case files and reviewed ones (confirmed or rejected) are kept as they
    are; running it again records nothing new unless the graph changed.

    \b
    Example:
      kg contradictions detect --min-score 0.6
      kg contradictions detect --dry-run --json | jq '.by_basis'
    """
    from kg.detect import detect_contradictions
    from kg.privacy import Redactor

    with open_cli_store(store) as graph:
        report = detect_contradictions(graph, min_score=min_score, write=not dry_run)
        redactor = Redactor.for_store(graph, reveal=reveal)
        if not dry_run:
            record(graph, audit_entry("detect", "all statements", note=report.summary()))
    if as_json:
        click.echo(json.dumps(redactor.text(report.to_dict()), ensure_ascii=False, indent=2))
        return
    suffix = " (dry run: nothing written)" if dry_run else ""
    click.echo(report.summary() + suffix)


def _decide(store: str, contradiction_id: str, status: str, note: str | None) -> None:
    from kg.detect import set_status

    with open_cli_store(store) as graph:
        result = set_status(graph, contradiction_id, status, note)
        record(graph, audit_entry("review", result["id"], note=f"{status}" + (f": {note}" if note else "")))
    click.echo(f"{status} {result['id']} (was {result['previous'] or 'unset'})")


@contradictions.command("confirm")
@click.argument("contradiction_id", metavar="ID")
@click.option("--note", default=None, help="The reviewer's note (kept unless a new one is given).")
@store_option
def confirm(contradiction_id, note, store):
    """Mark a contradiction as confirmed.

    \b
    Example:
      kg contradictions confirm contradiction:1d5238efc23464ca3360 --note "both quotes verified"
    """
    _decide(store, contradiction_id, "confirmed", note)


@contradictions.command("reject")
@click.argument("contradiction_id", metavar="ID")
@click.option("--note", default=None, help="Why it is not a contradiction.")
@store_option
def reject(contradiction_id, note, store):
    """Mark a contradiction as rejected: not a real conflict. The detector will not raise it again.

    \b
    Example:
      kg contradictions reject contradiction:1d5238efc23464ca3360 --note "the audit, then its finding"
    """
    _decide(store, contradiction_id, "rejected", note)


@contradictions.command("list")
@store_option
@click.option("--status", type=click.Choice(_STATUSES), default=None, help="Only this status.")
@click.option("--basis", default="", help="polarity, existence, numeric, responsibility or shift.")
@click.option("--detected", is_flag=True, help="Only those the detector produced.")
@output_options
@reveal_option
def list_(store, status, basis, detected, fmt, reveal):
    """List stored contradictions with both speakers and the review status, strongest first.

    \b
    Example:
      kg contradictions list --status open --detected
      kg contradictions list --json
    """
    from kg.detect import PRODUCER_PREFIX, list_contradictions
    from kg.privacy import Redactor

    with open_cli_store(store, read_only=True) as graph:
        result = list_contradictions(graph, status=status or "", basis=basis,
                                     produced_by=PRODUCER_PREFIX if detected else "")
        result = Redactor.for_store(graph, reveal=reveal).result(result)
    if fmt == "table":
        columns = ["id", "status", "basis", "score", "speaker_a", "speaker_b", "note"]
        positions = [result.columns.index(c) for c in columns]
        result = QueryResult(columns, [[row[i] for i in positions] for row in result.rows])
    click.echo(render(result, fmt))


list_.name = "list"
