"""`kg contradictions`: the report, and the review loop — detect, list, confirm, reject.

`kg contradictions detect` runs the detector (kg.detect) over the whole store; `confirm` and
`reject` record a reviewer's decision, which later runs of the detector and reloads of case
files never overwrite. Each run and decision leaves an audit entry."""

from __future__ import annotations

import json

import click

from kg.audit import audit_entry, record
from kg.cli import main, open_cli_store, output_options, reveal_option, store_option
from kg.output import render
from kg.stores.base import QueryResult

_STATUSES = ("open", "confirmed", "rejected")
_FORMATS = ("table", "markdown", "html", "json")


def report_filters(func):
    """The filters the report and the per-actor table share."""
    options = [
        click.option("--status", type=click.Choice(_STATUSES), default=None,
                     help="Only this review status (default: open and confirmed)."),
        click.option("--basis", default="", help="Only this basis: polarity, existence, numeric, responsibility or shift."),
        click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
                     help="Only contradictions scoring at least this."),
        click.option("--actor", default="", help="Only those where this actor (id, name or alias) speaks on either side."),
        click.option("--since", default="", help="Only those reported in articles dated this or later (YYYY[-MM[-DD]]); "
                                              "undated articles are left out."),
        click.option("--until", default="", help="Only those reported in articles dated this or earlier (YYYY[-MM[-DD]]); "
                                              "undated articles are left out."),
        click.option("--format", "fmt", type=click.Choice(_FORMATS), default="table", show_default=True,
                     help="html is one self-contained page (no scripts, no requests)."),
        reveal_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _filters(status, basis, min_score, actor, since, until):
    from kg.report import Filters

    return Filters(status=status or "", basis=basis, min_score=min_score, actor=actor, since=since, until=until)


@main.group(invoke_without_command=True)
@click.pass_context
@store_option
@report_filters
@click.option("--group-by", type=click.Choice(("none", "event", "topic")), default="none", show_default=True,
              help="Group by the event or topic both sides are about (else the one side b's account is about).")
@click.option("--view", type=click.Choice(("all", "denial-vs-testimony")), default="all", show_default=True,
              help="denial-vs-testimony: only an official's denial against a survivor's or witness's testimony.")
def contradictions(ctx, store, status, basis, min_score, actor, since, until, fmt, reveal, group_by, view):
    """Report contradictory statements, strongest first; detect new ones; review them.

    Without a subcommand, prints the report as a table, Markdown, one HTML page or JSON,
    filtered by status, basis, score, an actor speaking on either side and the dates of the
    articles, grouped by event or topic. Officials are speakers whose role or type makes them
    one, or who are members, spokespeople or leaders of a government body; survivors speak in
    testimony as survivors, victims or witnesses. `kg contradictions actors` tabulates who
    denies how often, and whose accounts.

    Decisions (confirm, reject) are kept in the graph and never overwritten by later runs of
    the detector or by loading a case file again.

    \b
    Example:
      kg contradictions --format markdown > contradictions.md
      kg contradictions --view denial-vs-testimony --group-by event --format html > denials.html
      kg contradictions --actor Kadyrov --since 2018 --basis existence --format json
      kg contradictions detect
      kg contradictions list --status open
      kg contradictions confirm contradiction:1d5238efc23464ca3360 --note "checked against the video"
    """
    if ctx.invoked_subcommand is not None:
        return
    from kg.report import build_report, write_report

    with open_cli_store(store, read_only=True) as graph:
        built = build_report(graph, _filters(status, basis, min_score, actor, since, until),
                             group_by=group_by, view=view, reveal=reveal)
    with built:
        write_report(built, fmt, lambda text: click.echo(text, nl=False))
    if fmt in ("table", "json"):
        click.echo()


@contradictions.command("actors")
@store_option
@report_filters
def actors(store, status, basis, min_score, actor, since, until, fmt, reveal):
    """Per actor: how many denials they made, in how many of the reported contradictions a
    denial of theirs stands against another speaker's account, and whose accounts those are.

    The filters narrow the contradictions counted (and the date range the denials counted);
    with --actor, only the actors who deny in contradictions with that actor are listed.

    \b
    Example:
      kg contradictions actors
      kg contradictions actors --actor Lapunov --format markdown
    """
    from kg.report import actor_denials, render_table_result

    with open_cli_store(store, read_only=True) as graph:
        result = actor_denials(graph, _filters(status, basis, min_score, actor, since, until), reveal=reveal)
    click.echo(render_table_result(result, fmt, "Who denies whose accounts"), nl=fmt in ("table", "json"))


@contradictions.command("detect")
@store_option
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="Record only contradictions scoring at least this.")
@click.option("--dry-run", is_flag=True, help="Report what would be recorded; write nothing.")
@click.option("--prune", is_flag=True,
              help="Remove the open contradictions recorded by earlier runs that this run no longer finds.")
@click.option("--json", "as_json", is_flag=True, help="Output the full report as JSON.")
@reveal_option
def detect(store, min_score, dry_run, prune, as_json, reveal):
    """Find contradictions among all statements in the store and record new ones as open.

    Contradictions from case files and reviewed ones (confirmed or rejected) are kept as they
    are; running it again records nothing new unless the graph changed. Open ones an earlier
    run recorded and this one no longer finds (the graph changed, or a higher --min-score) are
    counted, and removed with --prune.

    \b
    Example:
      kg contradictions detect --min-score 0.6
      kg contradictions detect --dry-run --json | jq '.by_basis'
      kg contradictions detect --min-score 0.7 --prune
    """
    from kg.detect import BUFFER_POOL_MB, detect_contradictions
    from kg.privacy import Redactor

    with open_cli_store(store, buffer_pool_mb=BUFFER_POOL_MB) as graph:
        report = detect_contradictions(graph, min_score=min_score, write=not dry_run, prune=prune)
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
