"""Commands that protect people and sources: sensitive actors and roles, restricted items.

Each mark or unmark is an audit entry (who, when, why), and wins over the case files' flags
for that actor or item; a reload never undoes it."""

from __future__ import annotations

import click

from kg.cli import main, open_cli_store, output_options, reveal_option, store_option
from kg.output import render


def _note_option(func):
    return click.option("--note", default=None, help="Why, for the audit log.")(func)


def _roles_option(func):
    return click.option("--role", "roles", multiple=True, metavar="ROLE",
                        help="A role (victim, relative, survivor, witness, ...): everyone holding it, as an "
                             "actor's role or as a participant in an event, now and in later loads.")(func)


@main.group()
def sensitive():
    """Sensitive people: shown under keyed pseudonyms in every output unless --reveal.

    \b
    Example:
      kg sensitive mark "Maxim Lapunov" --note "asked not to be named"
      kg sensitive mark --role victim --role relative
      kg sensitive list
    """


@sensitive.command("mark")
@click.argument("actors", nargs=-1)
@_roles_option
@_note_option
@store_option
def sensitive_mark(actors, roles, note, store):
    """Mark actors (id, name or alias) or whole roles sensitive.

    \b
    Example:
      kg sensitive mark Lapunov --role relative
    """
    _mark(store, actors, roles, note, unmark=False)


@sensitive.command("unmark")
@click.argument("actors", nargs=-1)
@_roles_option
@_note_option
@store_option
def sensitive_unmark(actors, roles, note, store):
    """Lift the sensitive mark from actors or roles; for an actor this overrides its case files.

    \b
    Example:
      kg sensitive unmark "Maxim Lapunov" --note "spoke publicly under his name"
    """
    _mark(store, actors, roles, note, unmark=True)


def _mark(store, actors, roles, note, *, unmark):
    from kg.errors import KGError
    from kg.privacy import mark_sensitive

    if not actors and not roles:
        raise KGError("name at least one actor or --role")
    with open_cli_store(store) as graph:
        done = mark_sensitive(graph, tuple(actors), tuple(roles), unmark=unmark, note=note)
    for subject in done:
        click.echo(f"{'unmarked' if unmark else 'marked'} sensitive: {subject}")


def _list_command(group, table_name: str, help_text: str) -> None:
    """A `list` command in group printing kg.privacy's table_name."""

    @group.command("list", help=help_text)
    @store_option
    @output_options
    @reveal_option
    def list_command(store, fmt, reveal):
        from kg import privacy

        with open_cli_store(store, read_only=True) as graph:
            click.echo(render(getattr(privacy, table_name)(graph, reveal=reveal), fmt))


@main.group()
def restricted():
    """Restricted items: left out of exports and visuals, with what would give them away.

    \b
    Example:
      kg restricted mark article:3f2a9c0d1e2b3a4c5d6e --note "source asked"
      kg restricted list
    """


_list_command(sensitive, "sensitive_table", """List the sensitive actors (pseudonym, and name with --reveal) and why,
    and the roles marked sensitive.

    \b
    Example:
      kg sensitive list --reveal
    """)


@restricted.command("mark")
@click.argument("items", nargs=-1, required=True)
@_note_option
@store_option
def restricted_mark(items, note, store):
    """Restrict items: any node's id (article, statement, event, actor, ...), or an actor's name.

    \b
    Example:
      kg restricted mark statement:0a1b2c3d4e5f60718293
    """
    _restrict(store, items, note, unmark=False)


@restricted.command("unmark")
@click.argument("items", nargs=-1, required=True)
@_note_option
@store_option
def restricted_unmark(items, note, store):
    """Lift a restriction; this overrides the item's case-file flag.

    \b
    Example:
      kg restricted unmark statement:0a1b2c3d4e5f60718293
    """
    _restrict(store, items, note, unmark=True)


def _restrict(store, items, note, *, unmark):
    from kg.privacy import mark_restricted

    with open_cli_store(store) as graph:
        done = mark_restricted(graph, tuple(items), unmark=unmark, note=note)
    for item in done:
        click.echo(f"{'unrestricted' if unmark else 'restricted'}: {item}")


_list_command(restricted, "restricted_table", """List the restricted items and why.

    \b
    Example:
      kg restricted list --csv
    """)
