"""`kg merges`: review the merges of actors the loaders proposed but were not sure of."""

from __future__ import annotations

import click

from kg.cli import main, open_cli_store, output_options, reveal_option, store_option
from kg.merges import DECISIONS, MERGE_STATUSES

_MEANING = """A confirmed merge is a recorded judgement, not a rewrite of the graph: the two actors
stay two nodes, and queries, the contradiction detector, reports, visuals and exports do not
yet follow confirmed merges."""


@main.group(help=f"""Review proposed merges of actors (look-alike spellings): confirm, reject or mark unsure.

    A loader never merges actors it is not sure of; it links them POSSIBLY_SAME_AS with status
    open. A later decision replaces an earlier one, each decision is in the audit log (kg audit),
    and reloading articles never overwrites a decision.

    {_MEANING}

    \b
    Example:
      kg merges list --status open
      kg merges confirm merge:3f2a9c0d1e4b --note "same person, Cyrillic а typed by the outlet"
    """)
def merges():
    pass


@merges.command("list")
@store_option
@click.option("--status", type=click.Choice(MERGE_STATUSES), default=None, help="Only this status (default: all).")
@output_options
@reveal_option
def list_(store, status, fmt, reveal):
    """List proposed merges with both actors, the rule that proposed them and the decision.

    \b
    Example:
      kg merges list --status open
      kg merges list --json
    """
    from kg.merges import list_merges, merges_result
    from kg.output import render
    from kg.privacy import Redactor

    with open_cli_store(store, read_only=True) as graph:
        result = Redactor.for_store(graph, reveal=reveal).result(merges_result(list_merges(graph, status=status or "")))
    click.echo(render(result, fmt))


def _decide(store: str, merge: str, status: str, note: str | None) -> None:
    from kg.merges import decide

    with open_cli_store(store) as graph:
        before, after = decide(graph, merge, status, note)
    click.echo(f"{after.status} {after.id} (was {before.status})")


def _decision_command(name: str, status: str, summary: str, example_note: str):
    @merges.command(name, help=f"""{summary}

    {_MEANING}

    \b
    Example:
      kg merges {name} merge:3f2a9c0d1e4b --note "{example_note}"
    """)
    @click.argument("merge", metavar="ID")
    @click.option("--note", default=None, help="The reviewer's note (an earlier note is kept unless a new one is given).")
    @store_option
    def command(merge, note, store):
        _decide(store, merge, status, note)

    return command


confirm = _decision_command("confirm", DECISIONS[0], "Decide that the two actors are one.",
                            "same person; the outlet typed a Cyrillic а")
reject = _decision_command("reject", DECISIONS[1], "Decide that the two actors are different.",
                           "a namesake: different age and town")
unsure = _decision_command("unsure", DECISIONS[2], "Record that the proposal was reviewed and cannot be decided yet.",
                           "ask the outlet")
