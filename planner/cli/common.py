"""What every command module of the command line shares: the one-sentence ``UserError``, the
``Number`` type of a campaign's (or a cost's, a result's, an import's) number, the store the
command works on, reading a date, today, and printing a table or JSON."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from planner.cli.database import resolve_db_path
from planner.domain.errors import PlannerError
from planner.domain.inputs import parse_date
from planner.domain.later import Later
from planner.store import Store

if TYPE_CHECKING:
    import json
else:
    json = Later("json")  # for the commands that print JSON, not at every start


class UserError(click.ClickException):
    """A problem the user can fix: one sentence on stderr, exit code 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


# What each kind of number names, and the command that lists them (by the argument's name).
NUMBERED = {
    "campaign_id": ("campaign", "planner list"),
    "cost_id": ("cost", "planner costs list ID"),
    "result_id": ("result", "planner results list ID"),
    "import_id": ("import", "planner imports ID"),
}


class Number(click.ParamType):
    """The number of a campaign (or a cost, a result, an import) as its list shows it; any
    other text is refused with a sentence saying what to type."""

    name = "number"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value < 2**63:
            return value
        text = str(value).strip()
        if text.isascii() and text.isdigit() and 1 <= int(text) < 2**63:
            return int(text)
        what, listing = NUMBERED.get(param.name if param else "", NUMBERED["campaign_id"])
        raise UserError(
            f"'{value}' is not the number of a {what}; type the number '{listing}' shows in "
            f"its ID column (such as 1)."
        )


CAMPAIGN_ID = Number()


def open_store(ctx: click.Context) -> Store:
    """The store of the database ``--db`` names, opened on first use and closed when the
    command is done."""
    obj = ctx.ensure_object(dict)
    if "store" not in obj:
        from planner.plan.readability import consult

        obj["store"] = store = Store.open(resolve_db_path(obj.get("db")))
        store.merge_saves = False  # each command is a change of its own in the history
        ctx.call_on_close(store.close)
        # Reading grades read the counts stored with the messages instead of loading the
        # pronouncing dictionary (until the store closes: the callbacks run last first).
        ctx.call_on_close(consult(store.text_readings))
        # What a command had to count (messages saved by an older planner or imported from a
        # file without counts, or changed by an undo) is kept when it is done, whichever
        # command it was (a show, a lint, a brief...): the next one loads no dictionary.
        ctx.call_on_close(lambda: keep_counted(store))
    return obj["store"]


def keep_counted(store: Store) -> None:
    """Store the reading counts worked out in this process and not yet stored. Only a help
    for speed: a read-only or busy database keeps none, and the next command counts them
    again."""
    from planner.plan import readability

    if store.read_only or not readability.counted():
        return
    from planner.plan.readings import keep

    # A show or a lint does not wait on another program's long write to keep them.
    with contextlib.suppress(PlannerError), store.waiting_at_most(200):
        keep(store)


def read_date(value: str | None) -> dt.date | None:
    """A date option as typed (YYYY-MM-DD); one that cannot be read is a user error."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise PlannerError(str(exc)) from None


def today() -> dt.date:
    """The day the planner takes as today (``$PLANNER_TODAY``, else the computer's)."""
    from planner.domain import clock

    return clock.today()


def echo_table(table: list[tuple[str, ...]]) -> None:
    """Rows of text in aligned columns, the first row being the headings."""
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def echo_json(data: Any) -> None:
    """``data`` as indented JSON, keeping the letters of every language as they are."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def echo_json_list(items: Any) -> None:
    """A JSON list written as it is read, so that a million entries never sit in memory."""
    first = True
    click.echo("[", nl=False)
    for item in items:
        click.echo(("" if first else ",") + "\n  " + json.dumps(item, ensure_ascii=False), nl=False)
        first = False
    click.echo("]" if first else "\n]")
